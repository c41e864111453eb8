"""Writes to conversations. The web pages and the API both call these; each is one transaction.

Either side schedules; the employee is invited by e-mail with an iCalendar request
whose organiser is the manager, who gets a copy. Moving a conversation sends an update
with the same UID and the next SEQUENCE, cancelling sends METHOD:CANCEL with the same
UID. The e-mails are written to the outbox in the same transaction (a worker sends
them), in the recipient's language, and name only the kind, the time, the place and
the link.
Holding a conversation moves the employee's cycle milestones in the same transaction.
The report is read-only once both sides confirmed it.
"""

import datetime as dt
import secrets
import uuid
from collections.abc import Collection, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailAlternative, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers.access import security
from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.conversations import ical, permissions, rules, selectors
from koers.conversations.agenda import guiding_item, guiding_questions
from koers.conversations.milestones import (
    record_held,
    record_next_planning,
    record_stage_step_held,
)
from koers.conversations.models import (
    AgendaItem,
    CalendarFeed,
    Conversation,
    Mediation,
    WorkPlan,
    WorkPlanAmendment,
)
from koers.conversations.notifications import (
    CONVERSATION_TO_HOLD,
    MEDIATION_RECORDED,
    MEDIATION_TO_RECORD,
    WORK_PLAN_TO_COMMENT,
    WORK_PLAN_TO_CONFIRM,
)
from koers.conversations.states import (
    WORK_PLAN_OPEN_GROUP,
    ConversationKind,
    ConversationStatus,
    MediationOutcome,
    MediationStatus,
    MediatorKind,
    WorkPlanStatus,
    can_move,
    mediation_can_move,
    work_plan_can_move,
)
from koers.core import clock
from koers.core.errors import (
    EditConflict,
    NotFoundOrForbidden,
    RecordClosed,
    ValidationFailed,
    require_revision,
)
from koers.core.models import User
from koers.cycles.models import CycleState, Participation
from koers.cycles.responsible import nearest_hr
from koers.goals.models import Goal
from koers.notify import outbox
from koers.notify.models import EmailKind
from koers.notify.services import notifications_resolve, notify
from koers.organisation import evaluators
from koers.organisation.models import Person
from koers.rulebook.deadlines import Period, period_for
from koers.rulebook.holding import combined_refusal, designation_refusal
from koers.rulebook.policy import policy_for
from koers.rulebook.terms import terms_for

MAX_AGENDA_ITEM = 500


def _record(conversation: Conversation, *, actor: Viewer, action: str,
            changes: dict[str, object] | None = None) -> None:
    audit.record(actor=actor.user, action=f"conversation.{action}", target=conversation,
                 changes=changes or {}, organisation_id=conversation.employee.organisation_id)


def _check_time(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    errors: dict[str, list[str]] = {}
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors["starts_at"] = [_("Give the time with its time zone.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


ONLINE_LINK_MAX = 200  # the column's length (``Conversation.online_link``)


def _check_spacing(employee: Person, starts_at: dt.datetime, *, despite: bool,
                   moving: Conversation | None = None) -> None:
    """Federal: enough days worked since and until the person's other conversations
    (``rules.spacing_refusal``); an indicative term, so ``despite`` schedules anyway."""
    policy = policy_for(employee.organisation)
    if despite or not policy.minimum_worked_days_between_conversations:
        return
    zone = employee.organisation.time_zone

    def day_of(moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment, ZoneInfo(zone)).date()

    others = (Conversation.objects.filter(employee=employee)
              .exclude(status=ConversationStatus.CANCELLED))
    if moving is not None:
        others = others.exclude(pk=moving.pk)
    absences = list(employee.absences.values_list("start_date", "end_date"))
    refusal = rules.spacing_refusal(policy, day=day_of(starts_at),
                                    others=[day_of(moment) for moment in
                                            others.values_list("starts_at", flat=True)],
                                    absences=absences)
    if refusal:
        raise ValidationFailed(refusal, {"despite_spacing": [refusal]})


def _check_place(location: str, online_link: str, in_writing: bool) -> None:
    if not in_writing and not location.strip() and not online_link.strip():
        message = _("Give a location or an online link, or hold the conversation in writing.")
        raise ValidationFailed(message, {"location": [message]})
    link = online_link.strip()
    # A meeting link opens from the invitation and the page: an https address only
    # (never javascript:, data: or a plain-http page that could be tampered with).
    if link and (not link.lower().startswith("https://") or len(link) > ONLINE_LINK_MAX):
        message = _("Give the meeting's web address, starting with https://.")
        raise ValidationFailed(message, {"online_link": [message]})


def _first(employee: Person) -> str:
    """The 1st evaluator as ``employee``'s regime calls them (``rulebook.terms``), for a
    refusal: "leidinggevende" in a Dutch municipality, whose work plans these are."""
    return str(terms_for(employee.organisation.policy_preset).first_evaluator)


def _invitee_for(actor: Person, employee: Person) -> Person:
    if actor.pk != employee.pk:
        return employee
    first = evaluators.evaluator_line(employee, on=clock.today()).first
    if first is None:
        message = _("You have no %(first)s to invite.") % {"first": _first(employee)}
        raise ValidationFailed(message)
    return first


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("employee__organisation", "organiser", "invitee")
        .get(pk=conversation.pk)
    )


def _visible(actor: Viewer, conversation: Conversation) -> None:
    if not permissions.can_view_conversation(actor, conversation):
        raise NotFoundOrForbidden(_("This conversation does not exist or is not yours to see."))


def _still_scheduled(conversation: Conversation, target: ConversationStatus | None = None) -> None:
    if conversation.status != ConversationStatus.SCHEDULED or (
        target is not None and not can_move(conversation.status, target)
    ):
        raise RecordClosed(_("This conversation is %(status)s: it can no longer change.")
                           % {"status": conversation.get_status_display()}, record=conversation)


# E-mail ---------------------------------------------------------------------------


def _invite(conversation: Conversation, *, method: str) -> None:
    """Write this version's iTIP message (this SEQUENCE) to the outbox, in the caller's
    transaction: to the employee, the attendee, and a copy to the manager, the
    organiser, so both calendars follow every change whoever made it."""
    for person in (conversation.employee, ical.manager(conversation)):
        if not person.email:
            continue
        outbox.enqueue(
            _email(conversation, method=method, recipient=person),
            key=f"conversation:{conversation.pk}:{conversation.ical_sequence}:{method}:"
                f"{person.pk}",
            kind=EmailKind.INVITATION, recipient=person.user,
            organisation_id=conversation.employee.organisation_id)


def _email(conversation: Conversation, *, method: str,
           recipient: Person) -> EmailMultiAlternatives:
    """Text and calendar as alternatives of one message, as Outlook expects an invitation:
    ``multipart/alternative`` with a ``text/calendar; method=…`` part."""
    with translation.override(recipient.reading_language):
        when = date_format(timezone.localtime(conversation.starts_at), "j F Y H:i")
        summary = ical.title(conversation)
        if method == "CANCEL":
            subject = _("Cancelled: %(title)s on %(when)s") % {"title": summary, "when": when}
            intro = _("This conversation is cancelled.")
        elif conversation.ical_sequence:
            subject = _("Moved: %(title)s, now on %(when)s") % {"title": summary, "when": when}
            intro = _("This conversation has a new time or place.")
        else:
            subject = _("Invitation: %(title)s on %(when)s") % {"title": summary, "when": when}
            intro = _("%(name)s invites you to a conversation.") % {
                "name": conversation.organiser.full_name}
            if recipient.pk == conversation.organiser_id:
                intro = _("You scheduled this conversation: this copy puts it in your "
                          "calendar.")
        place = conversation.location or conversation.online_link or (
            _("in writing") if conversation.in_writing else "")
        lines = [intro, f"{summary}\n{when}" + (f"\n{place}" if place else ""),
                 ical.link(conversation),
                 _("This message contains no content of the conversation: sign in to Koers "
                   "to read the agenda.")]
        body = "\n\n".join(lines)
        # The event's title too: the recipient's calendar shows it in their language.
        content = ical.calendar([conversation], stamp=clock.now(), method=method)
    return EmailMultiAlternatives(
        subject=f"[Koers] {subject}", body=body, to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
        alternatives=[EmailAlternative(content.decode(),
                                       f"text/calendar; method={method}; charset=utf-8")])


# Services -------------------------------------------------------------------------


def _check_combined(actor: Viewer, employee: Person, kind: str) -> None:
    """An evaluator combines an evaluation conversation with the next planning, where
    the policy allows it (``rulebook.holding``)."""
    refusal = combined_refusal(policy_for(employee.organisation), kind)
    if refusal is None and not (employee.pk in actor.team_ids
                                or employee.pk in actor.second_line_ids):
        refusal = _("Only the %(first)s combines the evaluation conversation with the "
                    "planning of the next period.") % {"first": _first(employee)}
    if refusal:
        raise ValidationFailed(refusal, {"combined_with_planning": [refusal]})


def conversation_schedule(
    *,
    actor: Viewer,
    employee: Person,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    online_link: str = "",
    in_writing: bool = False,
    agenda: Sequence[str] = (),
    despite_spacing: bool = False,
    improvement_follow_up: bool = False,
    combined_with_planning: bool = False,
) -> Conversation:
    """Schedule a conversation with ``employee`` and invite the other side.

    ``combined_with_planning``: an evaluator marks an evaluation conversation combined
    with the planning of the next period, where the policy allows it
    (``rulebook.holding``).

    Checklist: the actor is the employee or one of their evaluators; the time and place
    are valid; far enough from their other conversations where the policy asks it
    (``despite_spacing``: the actor schedules anyway); save with the guiding questions
    of the kind and the free items as agenda; audit; the invitation into the outbox.
    ``improvement_follow_up``: the improvement room schedules a plan's follow-up, held
    only by recording that follow-up (``conversation_hold``).
    """
    me = actor.person
    if me is None or not permissions.can_schedule_for(actor, employee):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if kind not in ConversationKind.values:
        raise ValidationFailed(_("Choose a kind of conversation."),
                               {"kind": [_("Choose a kind of conversation.")]})
    if combined_with_planning:
        _check_combined(actor, employee, kind)
    _check_time(starts_at, ends_at)
    _check_place(location, online_link, in_writing)
    _check_spacing(employee, starts_at, despite=despite_spacing)
    invitee = _invitee_for(me, employee)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            employee=employee, organiser=me, invitee=invitee, kind=kind, starts_at=starts_at,
            ends_at=ends_at, location=location.strip(), online_link=online_link.strip(),
            in_writing=in_writing, ical_uid=f"{uuid.uuid4()}@koers", created_by=actor.user,
            improvement_follow_up=improvement_follow_up,
            combined_with_planning=combined_with_planning,
        )
        # Each guiding question keeps where it came from, so every reader reads it in
        # their own language; its text is written in the employee's. Free items as typed.
        questions = guiding_questions(policy_for(employee.organisation), kind)
        items = [
            guiding_item(question, conversation=conversation, position=i,
                         language=employee.reading_language,
                         organisation_language=employee.organisation.language)
            for i, question in enumerate(questions, start=1)
        ]
        free = [item.strip()[:MAX_AGENDA_ITEM] for item in agenda if item.strip()]
        items += [AgendaItem(conversation=conversation, position=i, text=text)
                  for i, text in enumerate(free, start=len(items) + 1)]
        AgendaItem.objects.bulk_create(items)
        _record(conversation, actor=actor, action="scheduled", changes={
            "kind": [None, kind], "starts_at": [None, starts_at.isoformat()],
            **({"combined_with_planning": [False, True]} if combined_with_planning else {})})
        _invite(conversation, method="REQUEST")
    return conversation


@security.records_closed_writes
def conversation_reschedule(
    *,
    actor: Viewer,
    conversation: Conversation,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str | None = None,
    online_link: str | None = None,
    despite_spacing: bool = False,
) -> Conversation:
    """Move a scheduled conversation; the others get an update (same UID, SEQUENCE + 1)."""
    _visible(actor, conversation)
    _check_time(starts_at, ends_at)
    _check_spacing(conversation.employee, starts_at, despite=despite_spacing,
                   moving=conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_plan(actor, conversation):
            raise ValidationFailed(_("Only the employee and their evaluators move it."))
        _still_scheduled(conversation)
        before = conversation.starts_at
        conversation.starts_at, conversation.ends_at = starts_at, ends_at
        if location is not None:
            conversation.location = location.strip()
        if online_link is not None:
            conversation.online_link = online_link.strip()
        _check_place(conversation.location, conversation.online_link, conversation.in_writing)
        conversation.ical_sequence += 1
        conversation.save(update_fields=["starts_at", "ends_at", "location", "online_link",
                                         "ical_sequence", "updated_at"])
        _record(conversation, actor=actor, action="rescheduled", changes={
            "starts_at": [before.isoformat(), starts_at.isoformat()]})
        _invite(conversation, method="REQUEST")
    return conversation


# The item the employee adds to put their manager's functioning on the agenda: a built-in
# text like the guiding questions, written in the employee's language and read in each
# reader's.
MANAGER_FUNCTIONING = gettext_noop("The functioning of my manager")


@security.records_closed_writes
def conversation_agenda_add(*, actor: Viewer, conversation: Conversation, text: str = "",
                            manager_functioning: bool = False) -> AgendaItem:
    """Add an item to the agenda of a scheduled conversation: either side, a text of
    their own; or the employee, where the policy allows it, their manager's functioning
    (Heemstede, "Cyclus van jaargesprekken": "Ook het functioneren van de leidinggevende
    kan aan de orde komen")."""
    _visible(actor, conversation)
    if not permissions.can_plan(actor, conversation):
        raise ValidationFailed(_("Only the employee and their evaluators change the agenda."))
    if manager_functioning:
        if not (permissions.is_employee(actor, conversation) and policy_for(
                conversation.employee.organisation).manager_functioning_on_agenda):
            raise ValidationFailed(_("Only the employee puts their manager's functioning on "
                                     "the agenda, where the policy provides for it."))
        with translation.override(conversation.employee.reading_language):
            text = _(MANAGER_FUNCTIONING)
    source = MANAGER_FUNCTIONING if manager_functioning else ""
    text = text.strip()
    if not text:
        message = _("Write the agenda item.")
        raise ValidationFailed(message, {"text": [message]})
    if len(text) > MAX_AGENDA_ITEM:
        message = _("Keep it under %(max)s characters.") % {"max": MAX_AGENDA_ITEM}
        raise ValidationFailed(message, {"text": [message]})
    with transaction.atomic():
        conversation = _locked(conversation)
        _still_scheduled(conversation)
        items = AgendaItem.objects.filter(conversation=conversation)
        if items.filter(Q(text=text) | Q(source=source) if source else Q(text=text)).exists():
            message = _("This item is on the agenda already.")
            raise ValidationFailed(message, {"text": [message]})
        last = items.order_by("-position").values_list("position", flat=True).first() or 0
        item = AgendaItem.objects.create(conversation=conversation, position=last + 1,
                                         text=text, source=source)
        _record(conversation, actor=actor, action="agenda_item_added",
                changes={"position": last + 1})
    return item


@security.records_closed_writes
def conversation_cancel(*, actor: Viewer, conversation: Conversation) -> Conversation:
    """Cancel a scheduled conversation; the others get METHOD:CANCEL with the same UID."""
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_plan(actor, conversation):
            raise ValidationFailed(_("Only the employee and their evaluators cancel it."))
        _still_scheduled(conversation, ConversationStatus.CANCELLED)
        conversation.status = ConversationStatus.CANCELLED
        conversation.ical_sequence += 1
        conversation.save(update_fields=["status", "ical_sequence", "updated_at"])
        _record(conversation, actor=actor, action="cancelled",
                changes={"status": [ConversationStatus.SCHEDULED, ConversationStatus.CANCELLED]})
        _invite(conversation, method="CANCEL")
    return conversation


def follow_up_on_the_plan() -> str:
    """Why a plan's follow-up conversation is not recorded as held on its own."""
    return _("This conversation is a follow-up of an improvement plan: record it on the "
             "plan's follow-up, with the progress per expected improvement and the actions "
             "agreed; that records the conversation as held too.")


@security.records_closed_writes
def conversation_hold(
    *,
    actor: Viewer,
    conversation: Conversation,
    notes: str = "",
    goals: Sequence[Goal] = (),
    report: str = "",
    held_on: dt.date | None = None,
    improvement_points: str = "",
    follow_up_recorded: bool = False,
    combined_with_planning: bool | None = None,
    agreements: str = "",
) -> Conversation:
    """Record that the conversation was held, with notes, goals discussed and a report.

    A conversation combined with the next planning (marked when scheduled, or now with
    ``combined_with_planning``; Dutch policy, ``rulebook.holding``) has a report in two
    parts: looking back (``report``) and the ``agreements`` for the next period; held,
    it is the evaluation of this period and the planning of the next.
    The person designated to hold it holds it as the evaluator would.

    ``improvement_points`` are the points for improvement the evaluator raised (a Dutch
    formal assessment looks for them in a held progress conversation).

    The follow-up of an improvement plan is held by recording that follow-up, which
    passes ``follow_up_recorded``; on its own it is refused, so the plan's follow-up is
    never left open behind a held conversation.

    Checklist: an evaluator of the employee; still scheduled; the goals are the
    employee's; save; the cycle's milestones in the same transaction; audit.
    """
    _visible(actor, conversation)
    if any(goal.owner_id != conversation.employee_id for goal in goals):
        message = _("Choose goals of the employee.")
        raise ValidationFailed(message, {"goals": [message]})
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_hold(actor, conversation):
            raise ValidationFailed(_("Only an evaluator records a conversation as held."))
        _still_scheduled(conversation, ConversationStatus.HELD)
        if conversation.improvement_follow_up and not follow_up_recorded:
            raise ValidationFailed(follow_up_on_the_plan())
        if combined_with_planning is not None \
                and combined_with_planning != conversation.combined_with_planning:
            if combined_with_planning:
                _check_combined(actor, conversation.employee, conversation.kind)
            conversation.combined_with_planning = combined_with_planning
        if agreements.strip() and not conversation.combined_with_planning:
            message = _("Agreements for the next period belong to an evaluation "
                        "conversation combined with the planning.")
            raise ValidationFailed(message, {"agreements": [message]})
        conversation.agreements = agreements.strip()
        conversation.status = ConversationStatus.HELD
        conversation.held_on = held_on or timezone.localtime(conversation.starts_at).date()
        conversation.notes = notes.strip()
        conversation.report = report.strip()
        conversation.improvement_points = improvement_points.strip()
        conversation.report_revision += 1
        conversation.save(update_fields=["status", "held_on", "notes", "report",
                                         "improvement_points", "report_revision",
                                         "combined_with_planning", "agreements",
                                         "updated_at"])
        conversation.goals.set(goals)
        participation = record_held(conversation)
        record_stage_step_held(conversation)
        changes: dict[str, object] = {
            "status": [ConversationStatus.SCHEDULED, ConversationStatus.HELD],
            "participation": [None, participation.pk if participation else None]}
        if conversation.combined_with_planning:
            planned = record_next_planning(conversation, participation)
            changes["planning_participation"] = [None, planned.pk if planned else None]
        _record(conversation, actor=actor, action="held", changes=changes)
    return conversation


@security.records_closed_writes
def conversation_report_write(
    *, actor: Viewer, conversation: Conversation, report: str,
    expected_revision: int | None = None, agreements: str | None = None,
) -> Conversation:
    """Change the report of a held conversation; both sides confirm the new text again.

    ``agreements``: the second part of the report of a conversation combined with the
    next planning (``None`` keeps it).

    ``expected_revision`` is the report's revision the evaluator started from (the page's
    hidden field; required in the API): if someone saved the report since, nothing is
    saved and ``EditConflict`` carries the text saved now.
    """
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_hold(actor, conversation):
            raise ValidationFailed(_("Only an evaluator writes the report."))
        _report_open(conversation)
        if expected_revision is not None and expected_revision != conversation.report_revision:
            raise EditConflict(
                _("Someone else changed this report since you opened it: nothing of yours "
                  "was saved."), current=report_current(conversation),
                revision=conversation.report_revision)
        if agreements is not None and agreements.strip() \
                and not conversation.combined_with_planning:
            message = _("Agreements for the next period belong to an evaluation "
                        "conversation combined with the planning.")
            raise ValidationFailed(message, {"agreements": [message]})
        conversation.report = report.strip()
        if agreements is not None:
            conversation.agreements = agreements.strip()
        conversation.report_revision += 1
        conversation.employee_confirmed_at = None
        conversation.evaluator_confirmed_at = None
        conversation.evaluator_confirmed_by = None
        conversation.save(update_fields=["report", "agreements", "report_revision",
                                         "employee_confirmed_at",
                                         "evaluator_confirmed_at", "evaluator_confirmed_by",
                                         "updated_at"])
        _record(conversation, actor=actor, action="report_written")
    return conversation


def report_current(conversation: Conversation) -> dict[str, str]:
    """The report as saved now, for a conflict."""
    return {"report": conversation.report, "agreements": conversation.agreements}


def _report_open(conversation: Conversation) -> None:
    if conversation.status != ConversationStatus.HELD:
        raise ValidationFailed(_("A report belongs to a held conversation."))
    if conversation.report_locked:
        raise RecordClosed(_("Both sides confirmed the report: it can no longer change."),
                           record=conversation)


@security.records_closed_writes
def conversation_report_confirm(*, actor: Viewer, conversation: Conversation,
                                expected_revision: int | None = None) -> Conversation:
    """Confirm the report for the actor's side; read-only once both sides confirmed.

    ``expected_revision`` is the revision of the text the actor read (the page's hidden
    field; required in the API): a report changed since is not confirmed unseen.
    """
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        _report_open(conversation)
        if not conversation.report:
            raise ValidationFailed(_("There is no report to confirm yet."))
        if expected_revision is not None and expected_revision != conversation.report_revision:
            raise EditConflict(
                _("The report changed since you opened it: nothing was confirmed. Read it "
                  "again before you confirm."), current=report_current(conversation),
                revision=conversation.report_revision)
        now = clock.now()
        if permissions.is_employee(actor, conversation):
            if conversation.employee_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this report."))
            conversation.employee_confirmed_at = now
            side = "employee"
        elif permissions.is_evaluator(actor, conversation) \
                or permissions.is_holder(actor, conversation):
            if conversation.evaluator_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this report."))
            conversation.evaluator_confirmed_at = now
            conversation.evaluator_confirmed_by = actor.user
            side = "evaluator"
        else:
            raise ValidationFailed(_("Only the employee and their evaluators confirm it."))
        conversation.save(update_fields=["employee_confirmed_at", "evaluator_confirmed_at",
                                         "evaluator_confirmed_by", "updated_at"])
        _record(conversation, actor=actor, action="report_confirmed",
                changes={"side": [None, side]})
    return conversation


# Designated holder (Dutch policy, ``rulebook.holding``) ---------------------------




@security.records_closed_writes
def conversation_designate_holder(*, actor: Viewer, conversation: Conversation,
                                  holder_id: int | None) -> Conversation:
    """The 1st evaluator designates a colleague to hold this conversation, or withdraws
    the designation (``holder_id`` ``None``).

    Checklist: the actor may see it; lock; the 1st evaluator; the policy lets someone
    else hold a conversation of this kind; still scheduled; a colleague in the
    employee's organisation, not the employee nor the 1st evaluator; save who, by
    whom and when; audit (the trail keeps every designation); the designate hears of it.
    """
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        employee = conversation.employee
        if not permissions.is_first_evaluator(actor, conversation):
            raise ValidationFailed(_("Only the %(first)s designates who holds the "
                                     "conversation.") % {"first": _first(employee)})
        refusal = designation_refusal(policy_for(employee.organisation), conversation.kind)
        if refusal:
            raise ValidationFailed(refusal, {"holder": [refusal]})
        _still_scheduled(conversation)
        holder = None if holder_id is None else (
            selectors.holder_candidates(conversation, actor=actor).filter(pk=holder_id).first())
        if holder_id is not None and holder is None:
            message = _("Choose a colleague of the organisation, not the employee nor "
                        "yourself.")
            raise ValidationFailed(message, {"holder": [message]})
        before = conversation.holder_id
        if (holder.pk if holder else None) == before:
            return conversation
        conversation.holder = holder
        conversation.holder_designated_by = actor.user if holder else None
        conversation.holder_designated_at = clock.now() if holder else None
        conversation.save(update_fields=["holder", "holder_designated_by",
                                         "holder_designated_at", "updated_at"])
        _record(conversation, actor=actor,
                action="holder_designated" if holder else "holder_withdrawn",
                changes={"holder": [before, holder.pk if holder else None]})
        if holder is not None and holder.user is not None:
            notify(recipient=holder.user, key=f"conversation:{conversation.pk}:holder:"
                                              f"{conversation.holder_designated_at}",
                   kind=CONVERSATION_TO_HOLD, params={"person": employee.full_name},
                   url=reverse("conversation_detail", args=[conversation.pk]),
                   about_id=employee.user_id)
    return conversation


# Calendar feed --------------------------------------------------------------------


def calendar_feed_make(*, user: User) -> tuple[CalendarFeed, bool]:
    """The user's feed and whether this call made it: a link the user has already is
    kept as it is (``calendar_feed_renew`` replaces it)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed, False
    return calendar_feed_renew(user=user), True


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new private link; the old one stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32), "created_at": clock.now()},
        )
        audit.record(actor=user, action="calendar_feed.renewed", target=feed)
    return feed


# The individual work plan (Dutch policy, Heemstede) -----------------------------------

WORK_PLAN_FIELDS = ("expected_performance", "competencies", "development_wishes", "support")


def work_plan_period(employee: Person, *, on: dt.date) -> Period:
    """The twelve months a work plan drafted ``on`` this day holds for; never typed in.

    The period of the employee's participation in a running cycle that holds the day
    (for the Dutch preset the plan year itself, ``PeriodKind.PLAN_YEAR``); without one,
    the policy's period that holds the day, as the cycle will compute it.
    """
    participation = (
        Participation.objects.filter(
            person=employee, closed_on__isnull=True,
            cycle__state__in=[CycleState.OPEN, CycleState.OPENING],
            period_start__lte=on, period_end__gte=on,
        ).order_by("-period_start").first()
    )
    if participation is not None:
        return Period(participation.period_start, participation.period_end)
    policy = policy_for(employee.organisation)
    period = period_for(policy, year=on.year, cycle_start=employee.start_date)
    if on < period.start:
        period = period_for(policy, year=on.year - 1, cycle_start=employee.start_date)
    return period


def work_plan_offered(employee: Person) -> bool:
    """The organisation's policy has the individual work plan (the Dutch preset does)."""
    return policy_for(employee.organisation).individual_work_plan


def _plan_record(plan: WorkPlan, *, actor: Viewer, action: str,
                 changes: dict[str, object] | None = None) -> None:
    audit.record(actor=actor.user, action=f"work_plan.{action}", target=plan,
                 changes=changes or {}, organisation_id=plan.employee.organisation_id)


def _plan_locked(plan: WorkPlan) -> WorkPlan:
    return (
        WorkPlan.objects.select_for_update(of=("self",))
        .select_related("employee__organisation")
        .get(pk=plan.pk)
    )


def _plan_visible(actor: Viewer, plan: WorkPlan) -> None:
    if not permissions.can_view_work_plan(actor, plan):
        raise NotFoundOrForbidden(_("This work plan does not exist or is not yours to see."))


def _plan_open(plan: WorkPlan) -> None:
    if plan.status not in WORK_PLAN_OPEN_GROUP:
        raise RecordClosed(_("This work plan is fixed: it can no longer change."), record=plan)


def _clear_confirmations(plan: WorkPlan) -> list[str]:
    plan.employee_confirmed_at = None
    plan.evaluator_confirmed_at = None
    plan.evaluator_confirmed_by = None
    return ["employee_confirmed_at", "evaluator_confirmed_at", "evaluator_confirmed_by"]


def _plan_notify(plan: WorkPlan, *, actor: Viewer, kind: str, recipient: User | None,
                       key: str) -> None:
    if recipient is None or recipient.pk == actor.user.pk:
        return
    params = {"person": plan.employee.full_name,
              "actor": actor.person.full_name if actor.person else actor.user.email}
    url = reverse("work_plan_detail", args=[plan.pk])
    step = "comment" if kind == WORK_PLAN_TO_COMMENT else "confirm"
    notify(recipient=recipient, key=key, kind=kind, params=params, url=url,
           task=f"work_plan:{plan.pk}:{step}", about_id=plan.employee.user_id)


def _plan_settle(plan: WorkPlan, step: str, *, actor: Viewer) -> None:
    """The actor took ``step``: their notification asking for it is done; everyone's once
    the plan is fixed."""
    notifications_resolve(task=f"work_plan:{plan.pk}:{step}",
                          recipient_id=None if plan.is_fixed else actor.user.pk)


def _first_evaluator_user(employee: Person) -> User | None:
    first = evaluators.evaluator_line(employee, on=clock.today()).first
    return first.user if first is not None else None


def _plan_texts(values: dict[str, str]) -> dict[str, str]:
    unknown = set(values) - set(WORK_PLAN_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s")
                               % {"fields": ", ".join(sorted(unknown))})
    return {name: str(value).strip() for name, value in values.items()}


def work_plan_draft(*, actor: Viewer, **texts: str) -> WorkPlan:
    """The employee starts their work plan for the plan year that holds today.

    Checklist: the actor is an employee whose policy has the work plan; the period is
    computed (``work_plan_period``); one plan a period; save as a draft; audit; the
    1st evaluator hears of it after the commit.
    """
    me = actor.person
    if me is None or not work_plan_offered(me):
        raise ValidationFailed(_("Your organisation's policy has no individual work plan."))
    values = _plan_texts(texts)
    if not any(values.values()):
        message = _("Write at least what you expect to achieve.")
        raise ValidationFailed(message, {"expected_performance": [message]})
    period = work_plan_period(me, on=clock.today())
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(
                employee=me, period_start=period.start, period_end=period.end,
                created_by=actor.user, **values,
            )
            _plan_record(plan, actor=actor, action="drafted", changes={
                "period": [None, f"{period.start.isoformat()}/{period.end.isoformat()}"]})
            _plan_notify(plan, actor=actor, kind=WORK_PLAN_TO_COMMENT,
                               recipient=_first_evaluator_user(me),
                               key=f"work_plan:{plan.pk}:drafted")
    except IntegrityError:
        raise ValidationFailed(_("You already have a work plan for this period.")) from None
    return plan


def work_plan_current(plan: WorkPlan) -> dict[str, str]:
    """What is saved now of the plan's texts, for an editor who met a newer save."""
    return {name: getattr(plan, name) for name in (*WORK_PLAN_FIELDS, "manager_comments")}


def _plan_unchanged_since(plan: WorkPlan, expected_revision: int | None) -> None:
    """Refuse a change that started from an older revision, with what is saved now."""
    if expected_revision is not None and expected_revision != plan.revision:
        raise EditConflict(
            _("Someone else changed this work plan since you opened it: nothing of yours "
              "was saved."), current=work_plan_current(plan), revision=plan.revision)


@security.records_closed_writes
def work_plan_write(*, actor: Viewer, work_plan: WorkPlan, expected_revision: int | None = None,
                    if_revision_in: Collection[int] | None = None, **texts: str) -> WorkPlan:
    """The employee changes their text before it is fixed; both confirm it anew.

    ``expected_revision`` is the revision the employee started from (the pages and the
    API always give it): if the plan changed since, nothing is saved and
    ``EditConflict`` carries what is saved now.

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked plan's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.
    """
    _plan_visible(actor, work_plan)
    values = _plan_texts(texts)
    with transaction.atomic():
        plan = _plan_locked(work_plan)
        require_revision(plan.revision, if_revision_in)
        if not permissions.is_plan_employee(actor, plan):
            raise ValidationFailed(_("Only the employee writes their work plan."))
        _plan_open(plan)
        _plan_unchanged_since(plan, expected_revision)
        diff = {name: [getattr(plan, name), value] for name, value in values.items()
                if getattr(plan, name) != value}
        if not diff:
            raise ValidationFailed(_("Nothing was changed."))
        for name, (_before, after) in diff.items():
            setattr(plan, name, after)
        plan.revision += 1
        update = [*diff, *_clear_confirmations(plan), "revision", "updated_at"]
        plan.save(update_fields=update)
        _plan_record(plan, actor=actor, action="written", changes={"fields": [None, sorted(diff)]})
    return plan


@security.records_closed_writes
def work_plan_comment(*, actor: Viewer, work_plan: WorkPlan, comments: str,
                      expected_revision: int | None = None,
                      if_revision_in: Collection[int] | None = None) -> WorkPlan:
    """The 1st evaluator adds (or changes) their comments; both confirm it anew.

    Checklist: lock; the revision the caller read; the 1st evaluator; not fixed; the
    revision the evaluator started from (``EditConflict`` with what is saved now);
    comments given; draft → commented; next revision; audit; the employee is asked to
    confirm after the commit.

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked plan's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.
    """
    _plan_visible(actor, work_plan)
    if not comments.strip():
        message = _("Write your comments.")
        raise ValidationFailed(message, {"comments": [message]})
    with transaction.atomic():
        plan = _plan_locked(work_plan)
        require_revision(plan.revision, if_revision_in)
        if not permissions.is_plan_first_evaluator(actor, plan):
            raise ValidationFailed(_("Only the %(first)s comments on the work plan.")
                                   % {"first": _first(plan.employee)})
        _plan_open(plan)
        _plan_unchanged_since(plan, expected_revision)
        before = plan.status
        if plan.status == WorkPlanStatus.DRAFT:
            assert work_plan_can_move(plan.status, WorkPlanStatus.COMMENTED)
            plan.status = WorkPlanStatus.COMMENTED
        plan.manager_comments = comments.strip()
        plan.commented_at, plan.commented_by = clock.now(), actor.user
        plan.revision += 1
        update = ["status", "manager_comments", "commented_at", "commented_by",
                  *_clear_confirmations(plan), "revision", "updated_at"]
        plan.save(update_fields=update)
        _plan_record(plan, actor=actor, action="commented",
                     changes={"status": [before, plan.status]})
        _plan_settle(plan, "comment", actor=actor)
        _plan_notify(plan, actor=actor, kind=WORK_PLAN_TO_CONFIRM,
                           recipient=plan.employee.user,
                           key=f"work_plan:{plan.pk}:confirm:{plan.commented_at.isoformat()}")
    return plan


def work_plan_confirm(*, actor: Viewer, work_plan: WorkPlan,
                      if_revision_in: Collection[int] | None = None) -> WorkPlan:
    """Confirm the commented plan for the actor's side; fixed once both confirmed.

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked plan's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.

    Checklist: lock; the revision the caller read; commented; the employee or the 1st
    evaluator, not twice; stamp; both → fixed (read-only from then on); audit; the other
    side is asked after commit.
    """
    _plan_visible(actor, work_plan)
    with transaction.atomic():
        plan = _plan_locked(work_plan)
        require_revision(plan.revision, if_revision_in)
        if plan.status != WorkPlanStatus.COMMENTED:
            raise ValidationFailed(
                _("This work plan is fixed: it can no longer change.") if plan.is_fixed
                else _("The %(first)s comments on the work plan first.")
                % {"first": _first(plan.employee)})
        now = clock.now()
        if permissions.is_plan_employee(actor, plan):
            if plan.employee_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this work plan."))
            plan.employee_confirmed_at = now
            side, other = "employee", _first_evaluator_user(plan.employee)
        elif permissions.is_plan_first_evaluator(actor, plan):
            if plan.evaluator_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this work plan."))
            plan.evaluator_confirmed_at, plan.evaluator_confirmed_by = now, actor.user
            side, other = "evaluator", plan.employee.user
        else:
            raise ValidationFailed(_("Only the employee and their %(first)s confirm it.")
                                   % {"first": _first(plan.employee)})
        changes: dict[str, object] = {"side": [None, side]}
        if plan.employee_confirmed_at is not None and plan.evaluator_confirmed_at is not None:
            assert work_plan_can_move(plan.status, WorkPlanStatus.FIXED)
            changes["status"] = [plan.status, WorkPlanStatus.FIXED.value]
            plan.status, plan.fixed_at = WorkPlanStatus.FIXED, now
        plan.revision += 1
        plan.save(update_fields=["employee_confirmed_at", "evaluator_confirmed_at",
                                 "evaluator_confirmed_by", "status", "fixed_at", "revision",
                                 "updated_at"])
        _plan_record(plan, actor=actor, action="fixed" if plan.is_fixed else "confirmed",
                     changes=changes)
        _plan_settle(plan, "confirm", actor=actor)
        if not plan.is_fixed:
            _plan_notify(plan, actor=actor, kind=WORK_PLAN_TO_CONFIRM, recipient=other,
                               key=f"work_plan:{plan.pk}:confirm:{now.isoformat()}")
    return plan


@security.records_closed_writes
def work_plan_amend(
    *, actor: Viewer, conversation: Conversation, change: str, reason: str
) -> WorkPlanAmendment:
    """Record a changed agreement of the fixed work plan in a held progress conversation.

    Checklist: an evaluator of the employee; a held progress conversation whose report
    is not yet confirmed by both; the employee's fixed plan whose period holds the day it
    was held; what changed and why; save; audit.
    """
    _visible(actor, conversation)
    errors: dict[str, list[str]] = {}
    if not change.strip():
        errors["change"] = [_("Say what changed.")]
    if not reason.strip():
        errors["reason"] = [_("Say why it changed.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_hold(actor, conversation):
            raise ValidationFailed(_("Only an evaluator records changed agreements."))
        if (conversation.kind != ConversationKind.PROGRESS
                or conversation.status != ConversationStatus.HELD):
            raise ValidationFailed(_("Changed agreements are recorded in a held progress "
                                     "conversation."))
        if conversation.report_locked:
            raise RecordClosed(_("Both sides confirmed the report: it can no longer change."),
                               record=conversation)
        day = conversation.held_on
        plan = (
            WorkPlan.objects.select_for_update(of=("self",))
            .filter(employee_id=conversation.employee_id, status=WorkPlanStatus.FIXED,
                    period_start__lte=day, period_end__gte=day)
            .first()
        )
        if plan is None:
            raise ValidationFailed(_("The employee has no fixed work plan for the day this "
                                     "conversation was held."))
        amendment = WorkPlanAmendment.objects.create(
            work_plan=plan, conversation=conversation, change=change.strip(),
            reason=reason.strip(), recorded_by=actor.user, recorded_at=clock.now(),
        )
        audit.record(actor=actor.user, action="work_plan.amended", target=plan,
                     changes={"conversation": [None, conversation.pk],
                              "amendment": [None, amendment.pk]},
                     organisation_id=conversation.employee.organisation_id)
    return amendment


# Mediation in a disagreement (Dutch policy, Heemstede; ``rulebook.mediation``) --------


def mediators_for(employee: Person) -> dict[MediatorKind, list[Person]]:
    """Whom ``employee`` may ask to mediate today, by kind: their next-higher manager
    (the 2nd evaluator of their line, the manager's own manager) and HR's advisers of
    the nearest unit up the tree with HR. Neither is the employee or their 1st evaluator:
    a mediator stands outside the disagreement. ``employee.unit`` must be loaded."""
    today = clock.today()
    line = evaluators.evaluator_line(employee, on=today)
    outside = {employee.pk, line.first.pk if line.first is not None else None}
    next_manager = [line.second] if line.second is not None \
        and line.second.pk not in outside else []
    advisers = [person for person in nearest_hr([employee], on=today).get(employee.pk, ())
                if person.pk not in outside]
    return {MediatorKind.NEXT_MANAGER: next_manager, MediatorKind.HR_ADVISER: advisers}


def _mediation_record(mediation: Mediation, *, actor: Viewer, action: str,
                      changes: dict[str, object]) -> None:
    audit.record(actor=actor.user, action=f"mediation.{action}", target=mediation,
                 changes=changes, organisation_id=mediation.employee.organisation_id)


def _choose_mediator(employee: Person, kind: str, mediator_id: int | None) -> Person:
    try:
        chosen_kind = MediatorKind(kind)
    except ValueError:
        message = _("Choose whom you ask to mediate.")
        raise ValidationFailed(message, {"mediator_kind": [message]}) from None
    candidates = mediators_for(employee)[chosen_kind]
    if not candidates:
        message = (_("You have no next-higher manager to ask: ask an HR adviser.")
                   if chosen_kind == MediatorKind.NEXT_MANAGER
                   else _("Your unit has no HR adviser to ask: ask your next-higher manager."))
        raise ValidationFailed(message, {"mediator_kind": [message]})
    if mediator_id is None:
        return candidates[0]
    for person in candidates:
        if person.pk == mediator_id:
            return person
    message = _("This person cannot mediate for you.")
    raise ValidationFailed(message, {"mediator": [message]})


def mediation_request(*, actor: Viewer, account: str, mediator_kind: str,
                      mediator_id: int | None = None,
                      conversation: Conversation | None = None,
                      work_plan: WorkPlan | None = None) -> Mediation:
    """The employee asks a mediator about a conversation or their work plan.

    Checklist: exactly one subject the actor may see; the actor is its employee; the
    policy has the route; a held conversation that is not the formal assessment itself;
    what the disagreement is about, in their words; a mediator of the chosen kind
    (``mediators_for``; the first when none is named); one open request a subject;
    save; audit; the mediator hears of it after the commit.
    """
    if (conversation is None) == (work_plan is None):
        raise ValidationFailed(_("Ask about one conversation or one work plan."))
    if conversation is not None:
        _visible(actor, conversation)
        employee = conversation.employee
        if not permissions.is_employee(actor, conversation):
            raise ValidationFailed(_("Only the employee asks for mediation."))
    else:
        assert work_plan is not None
        _plan_visible(actor, work_plan)
        employee = work_plan.employee
        if not permissions.is_plan_employee(actor, work_plan):
            raise ValidationFailed(_("Only the employee asks for mediation."))
    if not permissions.mediation_offered_for(employee):
        raise ValidationFailed(_("Your organisation's policy has no mediation in a "
                                 "disagreement."))
    if conversation is not None and (conversation.status != ConversationStatus.HELD
                                     or conversation.kind == ConversationKind.FORMAL_ASSESSMENT):
        raise ValidationFailed(_("Mediation is asked about a held conversation; a formal "
                                 "assessment has its own objection."))
    text = account.strip()
    if not text:
        message = _("Say what you and your manager disagree about.")
        raise ValidationFailed(message, {"account": [message]})
    employee = Person.objects.select_related("unit", "organisation").get(pk=employee.pk)
    mediator = _choose_mediator(employee, mediator_kind, mediator_id)
    try:
        with transaction.atomic():
            mediation = Mediation.objects.create(
                employee=employee, conversation=conversation, work_plan=work_plan,
                account=text, mediator_kind=mediator_kind, mediator=mediator,
                requested_by=actor.user, requested_at=clock.now(),
            )
            _mediation_record(mediation, actor=actor, action="requested", changes={
                "status": [None, MediationStatus.REQUESTED.value],
                "mediator_kind": [None, mediator_kind], "mediator": [None, mediator.pk],
                "conversation": [None, conversation.pk if conversation else None],
                "work_plan": [None, work_plan.pk if work_plan else None]})
            if mediator.user is not None:
                notify(recipient=mediator.user, key=f"mediation:{mediation.pk}:requested",
                       kind=MEDIATION_TO_RECORD, params={"person": employee.full_name},
                       url=reverse("mediation_detail", args=[mediation.pk]),
                       task=f"mediation:{mediation.pk}:record", about_id=employee.user_id)
    except IntegrityError:
        raise ValidationFailed(_("You already asked for mediation about this; its outcome "
                                 "is not recorded yet.")) from None
    return mediation


@security.records_closed_writes
def mediation_record_outcome(*, actor: Viewer, mediation: Mediation, outcome: str,
                             text: str) -> Mediation:
    """The mediator records how it ended: agreed or not, in writing. Once.

    Checklist: the actor may see it; lock; the mediator; still requested; a known
    outcome; the written outcome; requested → closed; audit; the employee hears of it
    and the mediator's task is done, in the same transaction.
    """
    if not permissions.can_view_mediation(actor, mediation):
        raise NotFoundOrForbidden(_("This mediation does not exist or is not yours to see."))
    errors: dict[str, list[str]] = {}
    if outcome not in MediationOutcome.values:
        errors["outcome"] = [_("Say whether you came to an agreement.")]
    if not text.strip():
        errors["text"] = [_("Write down the outcome.")]
    with transaction.atomic():
        locked = (Mediation.objects.select_for_update(of=("self",))
                  .select_related("employee__organisation", "employee__unit", "mediator")
                  .get(pk=mediation.pk))
        if not permissions.is_mediator(actor, locked):
            raise ValidationFailed(_("Only the mediator records the outcome."))
        if locked.is_closed:
            raise RecordClosed(_("The outcome of this mediation is recorded: it can no "
                                 "longer change."), record=locked)
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors)
        assert mediation_can_move(locked.status, MediationStatus.CLOSED)
        locked.status = MediationStatus.CLOSED
        locked.outcome, locked.outcome_text = outcome, text.strip()
        locked.recorded_by, locked.recorded_at = actor.user, clock.now()
        locked.save(update_fields=["status", "outcome", "outcome_text", "recorded_by",
                                   "recorded_at", "updated_at"])
        _mediation_record(locked, actor=actor, action="recorded", changes={
            "status": [MediationStatus.REQUESTED.value, MediationStatus.CLOSED.value],
            "outcome": [None, outcome]})
        notifications_resolve(task=f"mediation:{locked.pk}:record")
        if locked.employee.user is not None:
            notify(recipient=locked.employee.user, key=f"mediation:{locked.pk}:recorded",
                   kind=MEDIATION_RECORDED,
                   params={"person": locked.employee.full_name,
                           "actor": locked.mediator.full_name},
                   url=reverse("mediation_detail", args=[locked.pk]),
                   about_id=locked.employee.user_id)
    return locked
