"""Reads of conversations, with their prefetching (a fixed number of queries)."""

from django.db.models import Q, QuerySet

from koers.access.policy import Viewer
from koers.conversations.models import AgendaItem, Conversation
from koers.conversations.permissions import conversations_visible_to
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
