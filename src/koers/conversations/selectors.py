"""Reads of conversations, with their prefetching (a fixed number of queries)."""

from django.db.models import Q, QuerySet

from koers.access.policy import Viewer
from koers.conversations.models import AgendaItem, Conversation, WorkPlan, WorkPlanAmendment
from koers.conversations.permissions import conversations_visible_to, work_plans_visible_to
from koers.core.models import User
from koers.organisation.models import Person


def conversations_of(viewer: Viewer, person: Person) -> QuerySet[Conversation]:
    return (
        conversations_visible_to(viewer)
        .filter(employee=person)
        .select_related("employee", "organiser", "invitee")
        .order_by("-starts_at", "pk")
    )


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


def amendments(plan: WorkPlan) -> QuerySet[WorkPlanAmendment]:
    """The plan's changed agreements with their conversation and who recorded them."""
    return plan.amendments.select_related("conversation", "recorded_by__person").order_by(
        "recorded_at", "pk")


def amendments_in(conversation: Conversation) -> QuerySet[WorkPlanAmendment]:
    return conversation.work_plan_amendments.select_related("recorded_by__person").order_by(
        "recorded_at", "pk")
