"""Reads of conversations, with their prefetching (a fixed number of queries)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
from koers.conversations import ical
from koers.conversations.models import AgendaItem, Conversation, WorkPlan, WorkPlanAmendment
from koers.conversations.permissions import (
    conversation_for,
    conversations_visible_to,
    work_plan_for,
    work_plans_visible_to,
)
from koers.core.models import User
from koers.organisation.models import Person


def conversations_of(viewer: Viewer, person: Person) -> QuerySet[Conversation]:
    return (
        conversations_visible_to(viewer)
        .filter(employee=person)
        .select_related("employee", "organiser", "invitee")
        .order_by("-starts_at", "pk")
    )


def conversations_read(viewer: Viewer, person: Person) -> list[Conversation]:
    """``conversations_of`` with the agenda and the goals discussed, for a page or the API:
    HR reading under a granted request gets each conversation logged (one row each, a
    fixed number of queries), and the employee sees it."""
    conversations = list(conversations_of(viewer, person).prefetch_related("agenda", "goals"))
    access_services.access_reads_log(
        viewer=viewer, subject=person, scope=Scope.CONVERSATIONS,
        records=[(conversation, ical.title(conversation)) for conversation in conversations])
    return conversations


def conversation_read(viewer: Viewer, pk: int) -> Conversation | None:
    """The conversation ``pk`` if the viewer may see it (``None`` for missing and
    forbidden); HR's read under a granted request is logged."""
    conversation = conversation_for(viewer, pk)
    if conversation is not None:
        access_services.access_read_log(viewer=viewer, subject=conversation.employee,
                                        scope=Scope.CONVERSATIONS, record=conversation,
                                        label=ical.title(conversation))
    return conversation


def agenda(conversation: Conversation) -> QuerySet[AgendaItem]:
    return conversation.agenda.order_by("position")


def feed_conversations(user: User) -> QuerySet[Conversation]:
    """The conversations in a user's calendar: as employee, organiser or invitee."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(Q(employee=person) | Q(organiser=person) | Q(invitee=person))
        .select_related("employee", "organiser", "invitee")
        .order_by("starts_at", "pk")
    )


def work_plans_of(viewer: Viewer, person: Person) -> QuerySet[WorkPlan]:
    return work_plans_visible_to(viewer).filter(employee=person).order_by("-period_start", "pk")


def work_plans_read(viewer: Viewer, person: Person) -> list[WorkPlan]:
    """``work_plans_of`` for a page or the API; HR's reads under a granted request are
    logged, one row per plan in one statement."""
    plans = list(work_plans_of(viewer, person))
    access_services.access_reads_log(
        viewer=viewer, subject=person, scope=Scope.CONVERSATIONS,
        records=[(plan, _("Individual work plan")) for plan in plans])
    return plans


def work_plan_read(viewer: Viewer, pk: int) -> WorkPlan | None:
    """The work plan ``pk`` if the viewer may see it (``None`` for missing and
    forbidden); HR's read under a granted request is logged."""
    plan = work_plan_for(viewer, pk)
    if plan is not None:
        access_services.access_read_log(viewer=viewer, subject=plan.employee,
                                        scope=Scope.CONVERSATIONS, record=plan,
                                        label=_("Individual work plan"))
    return plan


def amendments(plan: WorkPlan) -> QuerySet[WorkPlanAmendment]:
    """The plan's changed agreements with their conversation and who recorded them."""
    return plan.amendments.select_related("conversation", "recorded_by__person").order_by(
        "recorded_at", "pk")


def amendments_in(conversation: Conversation) -> QuerySet[WorkPlanAmendment]:
    return conversation.work_plan_amendments.select_related("recorded_by__person").order_by(
        "recorded_at", "pk")
