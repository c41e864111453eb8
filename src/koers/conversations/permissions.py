"""Who may see and change conversations: the object half and the list half of one policy.

- the employee and their 1st and 2nd evaluator see a conversation and its content;
- HR has no access to the content unless the policy gives it standing access (Dutch
  preset) or a granted access request covers conversations (``access.policy``);
- scheduling, moving and cancelling: the employee and their evaluators;
- holding (notes, goals discussed, the report): the evaluators;
- confirming the report: the employee for their side, an evaluator for the other;
- a director of the employee's unit (or a unit above it) reads the held planning,
  progress and evaluation conversations with their report where the organisation's
  policy has ``director_reads_reports`` (Dutch preset, Heemstede); each read is logged
  (``selectors.department_reports``, ``selectors.conversation_read``).

A person the 1st evaluator designated to hold a conversation (Dutch policy,
``rulebook.holding``) sees that conversation and holds it, writes and confirms its
report as the evaluator would, and nothing else of the employee: only while it is
scheduled or its report is still open. Once both sides confirmed the report, or the
conversation was cancelled, the designate's access ends (``is_holder``).

A mediation (Dutch policy) is seen by the employee, their 1st evaluator (the manager
they disagree with), the mediator and HR of the employee's unit; nobody else. The
employee asks for it about a conversation or their work plan; only the mediator records
its outcome.

The Dutch individual work plan follows the same reading rule (HR: as for
conversations, whose cycle it belongs to); the employee writes it, the 1st evaluator
comments, and the two of them confirm it. The 2nd evaluator reads along.
"""

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind, Scope
from koers.access.policy import (
    Viewer,
    can_change_person,
    hr_may_read_content,
    people_with_hr_content_access,
    people_with_hr_grant,
    people_with_hr_standing_access,
)
from koers.conversations.models import Conversation, Mediation, WorkPlan
from koers.conversations.states import (
    WORK_PLAN_OPEN_GROUP,
    ConversationKind,
    ConversationStatus,
    MediationOutcome,
    MediationStatus,
    WorkPlanStatus,
)
from koers.organisation.models import Organisation, Person, Role, Unit
from koers.rulebook.holding import combined_refusal, designation_refusal
from koers.rulebook.mediation import last_resort_offered, mediation_offered
from koers.rulebook.policy import policy_for

# The conversations whose reports the director reads ("Cyclus van jaargesprekken").
DIRECTOR_READ_KINDS = (ConversationKind.PLANNING, ConversationKind.PROGRESS,
                       ConversationKind.EVALUATION)


def reading_director_units(viewer: Viewer) -> list[Unit]:
    """The units the viewer directs in organisations whose policy lets directors read
    the reports; empty for everyone else."""
    units = viewer.units_with_role(Role.DIRECTOR)
    if not units:
        return []
    reading = {
        organisation.pk
        for organisation in Organisation.objects.filter(
            pk__in={unit.organisation_id for unit in units})
        if policy_for(organisation).director_reads_reports
    }
    return [unit for unit in units if unit.organisation_id in reading]


def director_condition(units: list[Unit]) -> Q:
    """Held conversations of the kinds the director reads, of people in the subtrees of
    ``units`` (the materialised path's prefix)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(employee__organisation_id=unit.organisation_id,
                       employee__unit__path__startswith=unit.path)
    return condition & Q(status=ConversationStatus.HELD, kind__in=DIRECTOR_READ_KINDS)


def is_reading_director(viewer: Viewer, conversation: Conversation) -> bool:
    if (conversation.status != ConversationStatus.HELD
            or conversation.kind not in DIRECTOR_READ_KINDS):
        return False
    if not viewer.units_with_role(Role.DIRECTOR):
        return False
    employee = conversation.employee
    return any(
        unit.organisation_id == employee.organisation_id
        and employee.unit.path.startswith(unit.path)
        for unit in reading_director_units(viewer)
    )


def is_final(conversation: Conversation) -> bool:
    """Held, and its report confirmed by both sides: what HR's standing access covers
    (Heemstede: the reports go to the personnel file once held and confirmed)."""
    return conversation.status == ConversationStatus.HELD and conversation.report_locked


def holder_condition(me: Person) -> Q:
    """Conversations ``me`` was designated to hold and still holds: not cancelled, and
    their report not yet confirmed by both sides."""
    return (Q(holder=me) & ~Q(status=ConversationStatus.CANCELLED)
            & (Q(employee_confirmed_at__isnull=True) | Q(evaluator_confirmed_at__isnull=True)))


def is_holder(viewer: Viewer, conversation: Conversation) -> bool:
    """The viewer was designated to hold the conversation and still holds it."""
    me = viewer.person
    return (me is not None and conversation.holder_id == me.pk
            and conversation.status != ConversationStatus.CANCELLED
            and not conversation.report_locked)


def conversations_visible_to(viewer: Viewer) -> QuerySet[Conversation]:
    if viewer.is_superuser:
        return Conversation.objects.all()
    me = viewer.person
    if me is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(
        Q(employee=me)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids)
        # Standing access: held conversations with a confirmed report only
        # (``hr_may_read_content``, ``is_final``).
        | Q(employee__in=people_with_hr_standing_access(viewer),
            status=ConversationStatus.HELD, employee_confirmed_at__isnull=False,
            evaluator_confirmed_at__isnull=False)
        | Q(employee__in=people_with_hr_grant(viewer, Scope.CONVERSATIONS))
        | director_condition(reading_director_units(viewer))
        | holder_condition(me)
    )


def is_employee(viewer: Viewer, conversation: Conversation) -> bool:
    return viewer.person is not None and conversation.employee_id == viewer.person.pk


def is_evaluator(viewer: Viewer, conversation: Conversation) -> bool:
    employee_id = conversation.employee_id
    return employee_id in viewer.team_ids or employee_id in viewer.second_line_ids


def can_view_conversation(viewer: Viewer, conversation: Conversation) -> bool:
    if viewer.is_superuser:
        return True
    return (
        is_employee(viewer, conversation)
        or is_evaluator(viewer, conversation)
        or hr_may_read_content(viewer, conversation.employee, Scope.CONVERSATIONS,
                               final=is_final(conversation))
        or is_reading_director(viewer, conversation)
        or is_holder(viewer, conversation)
    )


def reads_as_director(viewer: Viewer, conversation: Conversation) -> bool:
    """The viewer sees the conversation only as a reading director: such a read is
    logged for the employee, like HR's under a grant."""
    if viewer.is_superuser or is_employee(viewer, conversation) \
            or is_evaluator(viewer, conversation) or is_holder(viewer, conversation):
        return False
    return (not hr_may_read_content(viewer, conversation.employee, Scope.CONVERSATIONS,
                                    final=is_final(conversation))
            and is_reading_director(viewer, conversation))


def can_schedule_for(viewer: Viewer, person: Person) -> bool:
    me = viewer.person
    return me is not None and (
        person.pk == me.pk or person.pk in viewer.team_ids or person.pk in viewer.second_line_ids
    )


def can_plan(viewer: Viewer, conversation: Conversation) -> bool:
    """Move or cancel: either side."""
    return is_employee(viewer, conversation) or is_evaluator(viewer, conversation)


def can_hold(viewer: Viewer, conversation: Conversation) -> bool:
    """The evaluators, and the person designated to hold it."""
    return is_evaluator(viewer, conversation) or is_holder(viewer, conversation)


def is_first_evaluator(viewer: Viewer, conversation: Conversation) -> bool:
    return conversation.employee_id in viewer.team_ids


def can_designate_holder(viewer: Viewer, conversation: Conversation) -> bool:
    """The 1st evaluator designates who holds a scheduled conversation of a kind the
    policy lets someone else hold (``rulebook.holding``)."""
    return (is_first_evaluator(viewer, conversation)
            and conversation.status == ConversationStatus.SCHEDULED
            and designation_refusal(policy_for(conversation.employee.organisation),
                                    conversation.kind) is None)


def may_combine_for(viewer: Viewer, person: Person) -> bool:
    """An evaluator of ``person`` may schedule an evaluation conversation combined with
    the next planning (``person.organisation`` loaded)."""
    return ((person.pk in viewer.team_ids or person.pk in viewer.second_line_ids)
            and policy_for(person.organisation).combined_planning_evaluation)


def can_combine(viewer: Viewer, conversation: Conversation) -> bool:
    """An evaluator marks a scheduled evaluation conversation combined with the next
    planning where the policy allows it (``rulebook.holding``)."""
    return (is_evaluator(viewer, conversation)
            and conversation.status == ConversationStatus.SCHEDULED
            and combined_refusal(policy_for(conversation.employee.organisation),
                                 conversation.kind) is None)


def can_confirm_report(viewer: Viewer, conversation: Conversation) -> bool:
    """The viewer may confirm the report: a held conversation with a report not yet
    locked, the viewer is its employee or evaluator, and has not confirmed it yet."""
    if conversation.status != ConversationStatus.HELD or not conversation.report \
            or conversation.report_locked:
        return False
    if is_employee(viewer, conversation):
        return conversation.employee_confirmed_at is None
    if is_evaluator(viewer, conversation) or is_holder(viewer, conversation):
        return conversation.evaluator_confirmed_at is None
    return False


def can_amend_work_plan(viewer: Viewer, conversation: Conversation) -> bool:
    """A changed agreement may be recorded in a held progress conversation whose report
    is not yet confirmed by both, by whoever holds it, when a fixed work plan covers the
    day it was held (the Dutch work plan is amended in progress conversations)."""
    return (
        conversation.kind == ConversationKind.PROGRESS
        and conversation.status == ConversationStatus.HELD
        and not conversation.report_locked
        and can_hold(viewer, conversation)
        and WorkPlan.objects.filter(
            employee_id=conversation.employee_id, status=WorkPlanStatus.FIXED,
            period_start__lte=conversation.held_on, period_end__gte=conversation.held_on,
        ).exists()
    )


def conversation_for(viewer: Viewer, pk: int) -> Conversation | None:
    """The conversation ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    conversation = (
        # The employee's organisation: the fallback language of HR's guiding questions.
        Conversation.objects.select_related("employee__unit", "employee__organisation",
                                            "organiser", "invitee", "holder")
        .filter(pk=pk)
        .first()
    )
    if conversation is None:
        return None
    if not can_view_conversation(viewer, conversation):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=conversation)
        return None
    return conversation


# The individual work plan -------------------------------------------------------------


def work_plans_visible_to(viewer: Viewer) -> QuerySet[WorkPlan]:
    if viewer.is_superuser:
        return WorkPlan.objects.all()
    me = viewer.person
    if me is None:
        return WorkPlan.objects.none()
    return WorkPlan.objects.filter(
        Q(employee=me)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids)
        | Q(employee__in=people_with_hr_content_access(viewer, Scope.CONVERSATIONS))
    )


def is_plan_employee(viewer: Viewer, plan: WorkPlan) -> bool:
    return viewer.person is not None and plan.employee_id == viewer.person.pk


def is_plan_first_evaluator(viewer: Viewer, plan: WorkPlan) -> bool:
    return plan.employee_id in viewer.team_ids


def can_view_work_plan(viewer: Viewer, plan: WorkPlan) -> bool:
    if viewer.is_superuser:
        return True
    return (
        is_plan_employee(viewer, plan)
        or plan.employee_id in viewer.team_ids
        or plan.employee_id in viewer.second_line_ids
        or hr_may_read_content(viewer, plan.employee, Scope.CONVERSATIONS)
    )


def can_write_work_plan(viewer: Viewer, plan: WorkPlan) -> bool:
    """The employee's own text, until it is fixed."""
    return is_plan_employee(viewer, plan) and plan.status in WORK_PLAN_OPEN_GROUP


def can_comment_work_plan(viewer: Viewer, plan: WorkPlan) -> bool:
    return is_plan_first_evaluator(viewer, plan) and plan.status in WORK_PLAN_OPEN_GROUP


def can_confirm_work_plan(viewer: Viewer, plan: WorkPlan) -> bool:
    """The employee or the 1st evaluator, once commented, if their side has not yet."""
    if plan.status != WorkPlanStatus.COMMENTED:
        return False
    if is_plan_employee(viewer, plan):
        return plan.employee_confirmed_at is None
    return is_plan_first_evaluator(viewer, plan) and plan.evaluator_confirmed_at is None


def work_plan_for(viewer: Viewer, pk: int) -> WorkPlan | None:
    """The work plan ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    plan = WorkPlan.objects.select_related("employee__organisation").filter(pk=pk).first()
    if plan is None:
        return None
    if not can_view_work_plan(viewer, plan):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=plan)
        return None
    return plan


# Mediation in a disagreement (Dutch policy) ------------------------------------------


def mediations_visible_to(viewer: Viewer) -> QuerySet[Mediation]:
    """The employee's, their 1st evaluator's, the mediator's, and HR's of the unit who
    read the person's conversations (standing access or a granted request)."""
    if viewer.is_superuser:
        return Mediation.objects.all()
    me = viewer.person
    if me is None:
        return Mediation.objects.none()
    return Mediation.objects.filter(
        Q(employee=me) | Q(mediator=me)
        | Q(employee__in=viewer.team_ids)
        | Q(employee__in=people_with_hr_content_access(viewer, Scope.CONVERSATIONS))
    )


def is_mediator(viewer: Viewer, mediation: Mediation) -> bool:
    return viewer.person is not None and mediation.mediator_id == viewer.person.pk


def can_view_mediation(viewer: Viewer, mediation: Mediation) -> bool:
    """``mediation.employee`` with its unit loaded."""
    if viewer.is_superuser:
        return True
    me = viewer.person
    return me is not None and (
        mediation.employee_id == me.pk
        or is_mediator(viewer, mediation)
        or mediation.employee_id in viewer.team_ids
        or hr_may_read_content(viewer, mediation.employee, Scope.CONVERSATIONS)
    )


def can_record_mediation(viewer: Viewer, mediation: Mediation) -> bool:
    """Only the mediator records the outcome, once."""
    return is_mediator(viewer, mediation) and mediation.status == MediationStatus.REQUESTED


def mediation_offered_for(person: Person) -> bool:
    """The person's organisation has the mediation route (``person.organisation`` loaded)."""
    return mediation_offered(policy_for(person.organisation))


def may_open_mediation_request(viewer: Viewer, conversation: Conversation) -> bool:
    """The employee's page to ask about this conversation, where the policy has the
    route; it says why not yet when the conversation cannot be asked about."""
    return is_employee(viewer, conversation) and mediation_offered_for(conversation.employee)


def may_ask_mediation_about_conversation(viewer: Viewer, conversation: Conversation) -> bool:
    """The employee, about a held conversation (its report, the annual conversation) that
    is not itself the formal assessment, where the policy has the route."""
    return (
        is_employee(viewer, conversation)
        and conversation.status == ConversationStatus.HELD
        and conversation.kind != ConversationKind.FORMAL_ASSESSMENT
        and mediation_offered_for(conversation.employee)
    )


def may_ask_mediation_about_work_plan(viewer: Viewer, plan: WorkPlan) -> bool:
    return is_plan_employee(viewer, plan) and mediation_offered_for(plan.employee)


def offers_formal_assessment(viewer: Viewer, mediation: Mediation) -> bool:
    """Without agreement the formal assessment is the last resort: offered to whoever may
    open one for the employee (the employee, the 1st evaluator, HR)."""
    if mediation.outcome != MediationOutcome.NOT_AGREED:
        return False
    if not last_resort_offered(policy_for(mediation.employee.organisation)):
        return False
    me = viewer.person
    return me is not None and (
        mediation.employee_id == me.pk or mediation.employee_id in viewer.team_ids
        or can_change_person(viewer, mediation.employee)
    )


def mediation_for(viewer: Viewer, pk: int) -> Mediation | None:
    """The mediation ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    mediation = (
        Mediation.objects.select_related("employee__unit", "employee__organisation",
                                         "mediator", "conversation", "work_plan")
        .filter(pk=pk).first()
    )
    if mediation is None:
        return None
    if not can_view_mediation(viewer, mediation):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=mediation)
        return None
    return mediation
