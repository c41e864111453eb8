"""Who may see and change conversations: the object half and the list half of one policy.

- the employee and their 1st and 2nd evaluator see a conversation and its content;
- HR has no access to the content unless the policy gives it standing access (Dutch
  preset) or a granted access request covers conversations (``access.policy``);
- scheduling, moving and cancelling: the employee and their evaluators;
- holding (notes, goals discussed, the report): the evaluators;
- confirming the report: the employee for their side, an evaluator for the other.
"""

from django.db.models import Q, QuerySet

from koers.access.models import Scope
from koers.access.policy import Viewer, hr_may_read_content, people_with_hr_content_access
from koers.conversations.models import Conversation
from koers.organisation.models import Person


def conversations_visible_to(viewer: Viewer) -> QuerySet[Conversation]:
    if viewer.is_superuser:
        return Conversation.objects.all()
    me = viewer.person
    if me is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(
        Q(employee=me)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids)
        | Q(employee__in=people_with_hr_content_access(viewer, Scope.CONVERSATIONS))
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
        or hr_may_read_content(viewer, conversation.employee, Scope.CONVERSATIONS)
    )


def can_schedule_for(viewer: Viewer, person: Person) -> bool:
    me = viewer.person
    return me is not None and (
        person.pk == me.pk or person.pk in viewer.team_ids or person.pk in viewer.second_line_ids
    )


def can_plan(viewer: Viewer, conversation: Conversation) -> bool:
    """Move or cancel: either side."""
    return is_employee(viewer, conversation) or is_evaluator(viewer, conversation)


def can_hold(viewer: Viewer, conversation: Conversation) -> bool:
    return is_evaluator(viewer, conversation)


def conversation_for(viewer: Viewer, pk: int) -> Conversation | None:
    """The conversation ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    conversation = (
        Conversation.objects.select_related("employee", "organiser", "invitee")
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not can_view_conversation(viewer, conversation):
        return None
    return conversation
