"""The Flemish probation record: HR records it, its end is computed, and the person's
``probation_end_date`` follows (so the running cycles know they are on probation). Its
evaluation is an ``Evaluation`` of kind probation (``services.evaluation_open``); its
outcome and what follows a negative one are the consequences room's
(``consequences.probation``).

The rules are ``rulebook.probation`` ([f18]–[f21]); this module only writes and reads.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from koers.access.policy import Viewer, can_change_person, can_view_person, people_visible_to
from koers.audit import services as audit
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.evaluations.models import Evaluation, Probation
from koers.evaluations.states import EvaluationKind, EvaluationState
from koers.organisation.models import Person
from koers.organisation.rules import public_holidays
from koers.organisation.services import person_save
from koers.rulebook import probation as rules
from koers.rulebook.policy import policy_for

MAX_ABSENCES = 400


def days_off(person: Person, absences: Collection[dt.date], starts_on: dt.date,
             ) -> frozenset[dt.date]:
    """The public holidays of the person's region and their recorded absences."""
    preset = person.organisation.policy_preset
    return rules.days_off_between(starts_on, absences=absences,
                                  public_holidays=lambda year: public_holidays(preset, year))


def computed_end(person: Person, *, starts_on: dt.date, months: int,
                 absences: Collection[dt.date]) -> dt.date:
    return rules.probation_end(policy_for(person.organisation), starts_on=starts_on,
                               months=months, days_off=days_off(person, absences, starts_on))


def probation_record(*, actor: Viewer, person: Person, reason: str, starts_on: dt.date,
                     months: int, mentor: Person | None,
                     absences: Collection[dt.date] = ()) -> Probation:
    """HR records a probation of ``person`` ([f21]): why, from when, how many months, the
    mentor; the end is computed ([f18]) and becomes the person's end of probation."""
    if not can_change_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    policy = policy_for(person.organisation)
    errors: dict[str, list[str]] = {}
    if not rules.probation_evaluation_applies(policy):
        raise ValidationFailed(_("This policy has no probation evaluation."))
    if reason not in rules.ProbationReason.values:
        errors["reason"] = [_("Choose why the person is on probation.")]
    if message := rules.months_error(months):
        errors["months"] = [message]
    if mentor is not None and (mentor.pk == person.pk
                               or mentor.organisation_id != person.organisation_id):
        errors["mentor"] = [_("Choose a colleague of the same organisation as mentor.")]
    if starts_on < person.start_date:
        errors["starts_on"] = [_("The probation starts on or after the start date.")]
    if len(absences) > MAX_ABSENCES:
        errors["absences"] = [_("At most %(count)d days not worked.") % {"count": MAX_ABSENCES}]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    ends_on = computed_end(person, starts_on=starts_on, months=months, absences=absences)
    with transaction.atomic():
        if Probation.objects.filter(person=person, starts_on=starts_on).exists():
            message = _("A probation starting on that day is recorded already.")
            raise ValidationFailed(message, {"starts_on": [message]})
        probation = Probation.objects.create(
            person=person, reason=reason, starts_on=starts_on, months=months, mentor=mentor,
            absences=sorted({day.isoformat() for day in absences}), ends_on=ends_on,
            created_by=actor.user)
        audit.record(actor=actor.user, action="probation.recorded", target=probation,
                     changes={"reason": [None, reason], "starts_on": [None, starts_on],
                              "months": [None, months], "ends_on": [None, ends_on],
                              "mentor": [None, mentor.pk if mentor else None]},
                     organisation_id=person.organisation_id)
        person_save(organisation=person.organisation, person=person, actor=actor.user,
                    probation_end_date=ends_on)
    return probation


def probation_absences_set(*, actor: Viewer, probation: Probation,
                           absences: Collection[dt.date]) -> Probation:
    """HR records the days not worked; the end moves with them ([f18])."""
    person = probation.person
    if not can_change_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if any(day < probation.starts_on for day in absences):
        message = _("A day not worked lies within the probation.")
        raise ValidationFailed(message, {"absences": [message]})
    if len(absences) > MAX_ABSENCES:
        message = _("At most %(count)d days not worked.") % {"count": MAX_ABSENCES}
        raise ValidationFailed(message, {"absences": [message]})
    with transaction.atomic():
        probation = Probation.objects.select_for_update().select_related(
            "person__organisation").get(pk=probation.pk)
        before = probation.ends_on
        probation.absences = sorted({day.isoformat() for day in absences})
        probation.ends_on = computed_end(person, starts_on=probation.starts_on,
                                         months=probation.months, absences=absences)
        probation.save(update_fields=["absences", "ends_on"])
        audit.record(actor=actor.user, action="probation.absences_set", target=probation,
                     changes={"ends_on": [before, probation.ends_on],
                              "absences": len(probation.absences)},
                     organisation_id=person.organisation_id)
        if before != probation.ends_on:
            person_save(organisation=person.organisation, person=person, actor=actor.user,
                        probation_end_date=probation.ends_on)
    return probation


# Reads ---------------------------------------------------------------------------------


def probations_visible_to(viewer: Viewer) -> QuerySet[Probation]:
    """The probations of the people the viewer may see (the person, their evaluators,
    their HR): the list half of ``can_view_probation``."""
    return Probation.objects.filter(person__in=people_visible_to(viewer))


def can_view_probation(viewer: Viewer, probation: Probation) -> bool:
    return can_view_person(viewer, probation.person)


def probation_for(viewer: Viewer, pk: int) -> Probation | None:
    """A probation the viewer may see, else ``None`` (missing and forbidden alike)."""
    probation = (Probation.objects.select_related("person__organisation", "person__unit",
                                                  "mentor").filter(pk=pk).first())
    if probation is None or not can_view_probation(viewer, probation):
        return None
    return probation


def probation_evaluation(probation: Probation) -> Evaluation | None:
    """The probation's evaluation that is not cancelled, if opened."""
    return (probation.evaluations.exclude(state="cancelled")
            .select_related("person", "first_evaluator", "second_evaluator")
            .order_by("-pk").first())


@dataclass(frozen=True)
class PersonProbation:
    """What the person's probation page shows: the Flemish probations, or the Dutch
    assessment of the appointment's probation, and what the viewer may do."""

    person: Person
    flemish: bool  # probations are recorded ([f18])
    dutch_due: dt.date | None  # the Dutch assessment's due date (Heemstede)
    probations: list[Probation]
    evaluations: list[Evaluation]  # the person's probation evaluations, latest first
    may_record: bool  # HR, where the policy has probations
    may_open: bool  # the 1st evaluator or HR, while the evaluation is not opened yet


def may_open_probation_evaluation(viewer: Viewer, person: Person) -> bool:
    """The 1st evaluator or HR (``services.evaluation_open`` checks it again)."""
    return person.pk in viewer.team_ids or can_change_person(viewer, person)


def person_probation(viewer: Viewer, person: Person) -> PersonProbation:
    """The person's probation page (the caller checked the viewer sees the person): three
    queries."""
    policy = policy_for(person.organisation)
    flemish = rules.probation_evaluation_applies(policy)
    end = person.probation_end_date
    dutch_due = rules.assessment_due(policy, probation_end=end, employed_from=person.start_date) \
        if end is not None and not flemish else None
    probations = list(person.probations.select_related("mentor")) if flemish else []
    evaluations = list(Evaluation.objects.filter(person=person, kind=EvaluationKind.PROBATION)
                       .select_related("first_evaluator", "second_evaluator",
                                       "person__organisation",
                                       "participation__cycle__organisation")
                       .order_by("-period_end", "-pk"))
    kept = [e for e in evaluations if e.state != EvaluationState.CANCELLED]
    # Still to open: the latest Flemish probation's evaluation, or the Dutch assessment of
    # the appointment's probation.
    if flemish:
        pending = bool(probations) and not any(e.probation_id == probations[0].pk for e in kept)
    else:
        pending = dutch_due is not None and not any(e.period_end == end for e in kept)
    return PersonProbation(
        person=person, flemish=flemish, dutch_due=dutch_due, probations=probations,
        evaluations=evaluations, may_record=flemish and can_change_person(viewer, person),
        may_open=pending and may_open_probation_evaluation(viewer, person),
    )
