"""Reads of cycles: counts for the progress page and the API, each in a fixed number of queries."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core.clock import today_for
from koers.cycles.models import Cycle, CycleState, Participation
from koers.organisation.models import Organisation, Person
from koers.rulebook.deadlines import period_for
from koers.rulebook.eligibility import Exemption
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import PeriodKind, Policy


@dataclass(frozen=True)
class CycleCounts:
    participations: int = 0
    mandatory: int = 0  # the evaluation is mandatory
    on_probation: int = 0
    closed: int = 0  # left during the cycle
    exempt_by_reason: tuple[tuple[Exemption, int], ...] = ()  # every reason, in enum order

    @property
    def exempt(self) -> int:
        return sum(count for _reason, count in self.exempt_by_reason)

    def as_json(self) -> dict[str, Any]:
        return {
            "participations": self.participations,
            "mandatory": self.mandatory,
            "exempt": self.exempt,
            "exempt_by_reason": {reason.value: count for reason, count in self.exempt_by_reason},
            "on_probation": self.on_probation,
            "closed": self.closed,
        }


_COUNTS = {
    "participations": Count("pk"),
    "mandatory": Count("pk", filter=Q(evaluation_required=True)),
    "on_probation": Count("pk", filter=Q(on_probation=True)),
    "closed": Count("pk", filter=Q(closed_on__isnull=False)),
    **{f"exempt_{reason.value}": Count("pk", filter=Q(exemption=reason.value))
       for reason in Exemption},
}


def counts_by_cycle(cycle_ids: Iterable[int]) -> dict[int, CycleCounts]:
    """The counts of several cycles in one grouped query; a cycle without rows counts zero."""
    ids = list(cycle_ids)
    rows = (
        Participation.objects.filter(cycle_id__in=ids)
        .values("cycle_id").order_by("cycle_id").annotate(**_COUNTS)
    )
    counts = {pk: CycleCounts() for pk in ids}
    # The annotations are built from a dict, which the typed values() rows do not know.
    for row in cast(Iterable[dict[str, Any]], rows):
        counts[row["cycle_id"]] = CycleCounts(
            participations=row["participations"],
            mandatory=row["mandatory"],
            on_probation=row["on_probation"],
            closed=row["closed"],
            exempt_by_reason=tuple(
                (reason, row[f"exempt_{reason.value}"]) for reason in Exemption
            ),
        )
    return counts


def cycle_counts(cycle: Cycle) -> CycleCounts:
    return counts_by_cycle([cycle.pk])[cycle.pk]


def cycles_of(organisations: Iterable[Organisation]) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(organisation__in=list(organisations))
        .select_related("organisation", "opened_by")
        .order_by("organisation__name", "-year", "pk")
    )


def percent_done(cycle: Cycle) -> int:
    """How far the opening is, for the progress bar: 100 once the cycle is open."""
    if cycle.state != CycleState.OPENING:
        return 100
    if not cycle.people_total:
        return 0
    return min(100, cycle.people_done * 100 // cycle.people_total)


def current_year(organisation: Organisation, policy: Policy | None = None) -> int:
    """The year whose cycle runs today: its organisation-wide period holds today.

    A Flemish cycle of 2026 covers 2026 (its evaluation follows in early 2027, but the
    cycle of 2027 is then the one running). Per-person (federal) cycles are grouped
    by the calendar year their periods start in.
    """
    policy = policy or policy_for(organisation)
    today = today_for(organisation)
    if policy.period_kind == PeriodKind.PER_PERSON:
        return today.year
    if today < policy.period_starts.in_year(today.year):
        return today.year - 1
    return today.year


def _employed_between(first: dt.date, last: dt.date) -> Q:
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def people_in_scope(organisation: Organisation, policy: Policy, year: int) -> QuerySet[Person]:
    """People employed at some point in the cycle's periods.

    Per-person periods are only known per person: the query takes everyone employed in
    the calendar year, and the computation leaves out whom their own period misses.
    """
    people = Person.objects.filter(organisation=organisation)
    if policy.period_kind == PeriodKind.PER_PERSON:
        return people.filter(_employed_between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    period = period_for(policy, year=year)
    return people.filter(_employed_between(period.start, period.end))


def opening_reach(organisation: Organisation, year: int) -> int:
    """How many people opening the cycle of ``year`` touches: the same count the
    opening's progress starts from. One query."""
    return people_in_scope(organisation, policy_for(organisation), year).count()


def exemption_reasons(policy: Policy) -> dict[str, str]:
    """Why the evaluation is not mandatory, as HR reads it, with the policy's own numbers."""
    hours = f"{policy.minimum_hours.normalize():f}"
    months = policy.minimum_months
    absent = policy.exempt_when_absent_months or 0
    return {
        Exemption.NOT_EMPLOYED: _("not employed during the period"),
        Exemption.TOO_FEW_HOURS: _("fewer than %(hours)s hours effectively worked in the year")
        % {"hours": hours},
        Exemption.TOO_FEW_MONTHS: ngettext(
            "employed less than %(months)d whole month in the period",
            "employed less than %(months)d whole months in the period", months,
        ) % {"months": months},
        Exemption.ABSENT_TOO_LONG: ngettext(
            "more than %(months)d month in service without working",
            "more than %(months)d months in service without working", absent,
        ) % {"months": absent},
        Exemption.LEAVES_BEFORE_EVALUATION: _("leaves before the evaluation"),
        Exemption.TOP_MANAGER: _("top manager, evaluated in another form"),
        Exemption.MANDATE_HOLDER: _("mandate holder, evaluated in another form"),
    }


def participations_to_check(cycle: Cycle) -> QuerySet[Participation]:
    """Participations HR looks at after opening: no mandatory evaluation, or on probation."""
    return (
        Participation.objects.filter(cycle=cycle)
        .filter(Q(evaluation_required=False) | Q(on_probation=True))
        .select_related("person", "person__unit")
        .order_by("person__last_name", "person__first_name", "pk")
    )
