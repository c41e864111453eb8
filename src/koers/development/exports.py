"""What the development room exports: the training demand as tables for HR's download,
and a person's part of their personal-data export.

The training demand as tables for a CSV or XLSX download, safe to open in a spreadsheet.

Two tables: the summary (one row per development action and competency, with counts
and terms) and the detail (one row per HR action, with the employee and the status).
Texts are in the active language. A text cell that a spreadsheet would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, the same rule as ``web/page/exports.py`` applies to every download: a plan row
typed as ``=HYPERLINK(…)`` must not become a live link in HR's copy.

A person's part of the export (``development_part``) holds what they may read of it
(``development.permissions``): their self-scan, their own preparations, the preparations
their 1st evaluator wrote about them once shared, the general preparations they wrote as
a manager, and their development plans with every row, round and signature.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.personal_data import (
    ExportContext,
    Field,
    Part,
    Record,
    fields_of,
    item,
    person_name,
    register_exporter,
)
from koers.access.policy import Viewer
from koers.audit.services import chain_for
from koers.core.tables import Cell, neutralise
from koers.development import selectors
from koers.development.models import (
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    FollowUpEntry,
    HrAction,
    ManagerPreparation,
    PlanGoal,
    PlanItem,
    PlanMeans,
    PlanRound,
    PlanSignature,
    SelfScan,
)
from koers.development.selectors import DemandGroup
from koers.development.services.preparations import (
    DEPARTMENT_FIELDS,
    EMPLOYEE_FIELDS,
    MANAGER_FIELDS,
    SELF_SCAN_FIELDS,
)
from koers.development.states import HrActionStatus
from koers.organisation.models import Organisation


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _action_name(group: DemandGroup) -> str:
    return group.action.name if group.action is not None else _("other")


def demand_summary_table(groups: Sequence[DemandGroup]) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Development action"), _("Competency"), _("Number"), _("Requested"),
              _("Arranged"), _("First term"), _("Last term")]
    rows: list[list[Cell]] = [
        [neutralise(_action_name(group)), neutralise(group.competency.name), group.count,
         group.requested, group.arranged, _day(group.first_term), _day(group.last_term)]
        for group in groups
    ]
    return header, rows


def demand_detail_table(groups: Sequence[DemandGroup]) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Development action"), _("Competency"), _("Employee"), _("Employee number"),
              _("Unit"), _("What HR should do"), _("Term"), _("Status"), _("Arranged on"),
              _("Note by HR")]
    rows: list[list[Cell]] = []
    for group in groups:
        for hr_action in group.rows:
            employee = hr_action.item.plan.employee
            rows.append([neutralise(cell) for cell in (
                _action_name(group), group.competency.name, employee.full_name,
                employee.employee_number, employee.unit.name, hr_action.description,
                _day(hr_action.term), str(HrActionStatus(hr_action.status).label),
                _day(hr_action.arranged_on), hr_action.arranged_note,
            )])
    return header, rows


@dataclass(frozen=True)
class DemandTable:
    """The training demand as a download: its sheet's title, its name (without the
    extension) and its table."""

    title: str
    name: str
    header: list[str]
    rows: list[list[Cell]]


def demand_table(viewer: Viewer, organisation: Organisation, *, status: str | None,
                 detail: bool) -> DemandTable:
    """The demand the viewer sees (``selectors.training_demand``), as the page's download
    and the rendering kind ``development.training_demand`` make it: the summary, or one
    line per HR action."""
    groups = selectors.training_demand(viewer, organisation, status=status)
    header, rows = demand_detail_table(groups) if detail else demand_summary_table(groups)
    title = _("Training demand (detail)") if detail else _("Training demand")
    return DemandTable(title, f"{title} {organisation.name}", header, rows)


# A person's part of the personal-data export --------------------------------------------

PLAN_FIELDS = ("period_start", "period_end", "status", "employee_remarks",
               "follow_up_earliest", "follow_up_due")


@register_exporter("development", order=60,
                   covers=(SelfScan, EmployeePreparation, ManagerPreparation,
                           DepartmentPreparation, DevelopmentPlan, PlanRound, PlanSignature,
                           PlanItem, PlanGoal, PlanMeans, HrAction, FollowUpEntry))
def development_part(context: ExportContext) -> Part:
    """Fourteen queries, whatever the number of preparations and plans."""
    person = context.person
    scans = list(SelfScan.objects.filter(employee=person))
    own = list(EmployeePreparation.objects.filter(employee=person)
               .prefetch_related("competencies").order_by("created_at", "pk"))
    # Private to the manager until shared; then the employee reads it.
    about_me = list(ManagerPreparation.objects.filter(employee=person, shared_at__isnull=False)
                    .select_related("author").prefetch_related("competencies")
                    .order_by("created_at", "pk"))
    # As a manager: the general view of their unit, theirs to read always.
    departments = list(DepartmentPreparation.objects.filter(author=person)
                       .select_related("unit").order_by("created_at", "pk"))
    plans = _plans(person.pk)
    records = [
        *(Record(_("Self-scan"), [*fields_of(scan, SELF_SCAN_FIELDS),
                                  item("updated_at", gettext_lazy("changed at"), scan.updated_at)])
          for scan in scans),
        *(Record(_("Your preparation of the development conversation, %(day)s") % {
            "day": p.created_at.date().isoformat()}, [
                *fields_of(p, EMPLOYEE_FIELDS), _competencies(p),
                *_dates(p.shared_at, p.created_at)]) for p in own),
        *(Record(_("Your manager's preparation about you, %(day)s") % {
            "day": p.created_at.date().isoformat()}, [
                *fields_of(p, ("author", *MANAGER_FIELDS)), _competencies(p),
                *_dates(p.shared_at, p.created_at)]) for p in about_me),
        *(Record(_("Your general preparation for %(unit)s, %(day)s") % {
            "unit": p.unit.name, "day": p.created_at.date().isoformat()}, [
                *fields_of(p, ("unit", *DEPARTMENT_FIELDS)),
                *_dates(p.shared_at, p.created_at)]) for p in departments),
        *(_plan_record(plan) for plan in plans),
    ]
    return Part("development", _("Development"), records,
                note=_("Your self-scan, your preparations of the development conversation, "
                       "your manager's preparations about you once shared with you, and your "
                       "personal development plans with every row, round and signature. A "
                       "preparation your manager has not shared is not yours to read yet."),
                chains=[*(chain_for(SelfScan, s.pk) for s in scans),
                        *(chain_for(EmployeePreparation, p.pk) for p in own),
                        *(chain_for(ManagerPreparation, p.pk) for p in about_me),
                        *(chain_for(DepartmentPreparation, p.pk) for p in departments),
                        *(chain_for(DevelopmentPlan, plan.pk) for plan in plans)])


def _competencies(preparation: EmployeePreparation | ManagerPreparation) -> Field:
    return item("competencies", gettext_lazy("competencies from the catalogue"),
                [competency.name for competency in preparation.competencies.all()])


def _dates(shared_at: dt.datetime | None, created_at: dt.datetime) -> list[Field]:
    return [item("shared_at", gettext_lazy("shared at"), shared_at),
            item("created_at", gettext_lazy("created at"), created_at)]


def _plans(person_id: int) -> list[DevelopmentPlan]:
    """The person's plans with every row and round (plans, rows, goals, means, HR actions,
    follow-up entries, rounds, signatures: eight queries)."""
    items = PlanItem.objects.select_related("competency").prefetch_related(
        Prefetch("goals", queryset=PlanGoal.objects.order_by("position", "pk")),
        Prefetch("means", queryset=PlanMeans.objects.select_related(
            "action", "supporter", "added_in_round").order_by("position", "pk")),
        Prefetch("hr_actions", queryset=HrAction.objects.select_related(
            "action", "added_in_round").order_by("position", "pk")),
        Prefetch("follow_ups", queryset=FollowUpEntry.objects.select_related(
            "round", "author__person").order_by("written_on", "pk")),
    ).order_by("position", "pk")
    return list(
        DevelopmentPlan.objects.filter(employee_id=person_id)
        .prefetch_related(
            Prefetch("items", queryset=items),
            Prefetch("rounds", queryset=PlanRound.objects.order_by("number")),
            Prefetch("rounds__signatures",
                     queryset=PlanSignature.objects.order_by("signed_at", "pk")),
        )
        .order_by("period_start", "pk")
    )


def _plan_record(plan: DevelopmentPlan) -> Record:
    rows, goals, means, hr_actions, follow_ups = [], [], [], [], []
    for row in plan.items.all():
        name = row.competency.name
        competency = item("competency", gettext_lazy("competency"), name)
        rows.append(Record(name, [
            competency, *fields_of(row, ("source", "priority")),
            item("success_indicators", gettext_lazy("success indicators"), row.indicator_lines)]))
        goals += [Record(goal.text, [competency, *fields_of(goal, ("text", "term", "term_note"))])
                  for goal in row.goals.all()]
        means += [Record(m.description or str(m.action), [
            competency, *fields_of(m, ("action", "description", "term", "term_note",
                                       "supporter")),
            item("round", gettext_lazy("round"), m.added_in_round.number)])
            for m in row.means.all()]
        hr_actions += [Record(hr.description, [
            competency, *fields_of(hr, ("description", "action", "term", "status",
                                        "arranged_on", "arranged_note")),
            item("round", gettext_lazy("round"), hr.added_in_round.number)])
            for hr in row.hr_actions.all()]
        follow_ups += [Record(entry.text, [
            competency, item("round", gettext_lazy("round"), entry.round.number),
            *fields_of(entry, ("written_on", "text")),
            item("author", gettext_lazy("by"), person_name(entry.author))])
            for entry in row.follow_ups.all()]
    rounds, signatures = [], []
    for plan_round in plan.rounds.all():
        number = item("round", gettext_lazy("round"), plan_round.number)
        rounds.append(Record(str(plan_round.number), [
            number, *fields_of(plan_round, ("kind", "held_on", "status", "signed_on", "seal")),
            item("content", gettext_lazy("the plan as signed"), plan_round.content,
                 _("in the JSON download") if plan_round.content is not None else None)]))
        signatures += [Record(signature.name, [
            number, *fields_of(signature, ("role", "name", "signed_on")),
            item("seal", gettext_lazy("seal (SHA-256)"), signature.seal)])
            for signature in plan_round.signatures.all()]
    title = _("Development plan %(start)s – %(end)s") % {
        "start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()}
    return Record(title, [*fields_of(plan, PLAN_FIELDS),
                          item("created_at", gettext_lazy("created at"), plan.created_at)],
                  parts=[
        Part("rows", _("Competencies to develop"), rows),
        Part("goals", _("Development goals"), goals),
        Part("means", _("Means"), means),
        Part("hr_actions", _("Actions for HR"), hr_actions),
        Part("follow_ups", _("Realisation and follow-up"), follow_ups),
        Part("rounds", _("Rounds"), rounds),
        Part("signatures", _("Signatures"), signatures),
    ])
