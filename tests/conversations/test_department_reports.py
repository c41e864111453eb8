"""The director reads the department's reports (Dutch municipal regulation, "Cyclus van
jaargesprekken"), and every read shows under the employee's "Who looked at my data"."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access import selectors as access_selectors
from koers.access.models import AccessRead, ReadBasis
from koers.conversations import permissions, selectors, services
from koers.conversations.states import ConversationKind
from koers.core.errors import NotFoundOrForbidden
from koers.organisation.models import PolicyPreset, Role
from tests import factories, personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


def held(p, employee, *, kind=ConversationKind.PROGRESS, report="Voortgang besproken."):
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=employee, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Kamer 2")
    return services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                                      report=report, held_on=dt.date(2026, 3, 2))


def dutch(p):
    organisation = p.employee.organisation
    organisation.policy_preset = PolicyPreset.DUTCH_MUNICIPAL
    organisation.save(update_fields=["policy_preset"])
    factories.grant(p.director, Role.DIRECTOR, p.department)
    return p


@pytest.fixture
def p():
    return dutch(personas.build())


def test_director_lists_the_held_progress_reports_of_the_department_and_each_is_logged(p):
    first = held(p, p.employee)
    second = held(p, p.colleague)
    held(p, p.employee, kind=ConversationKind.CAREER)  # not a kind the director reads

    reports = selectors.department_reports(viewer(p.director),
                                           filters=selectors.ReportFilters())

    assert {c.pk for c in reports.conversations} == {first.pk, second.pk}
    (read,) = access_selectors.reads_of(p.employee)
    assert (read.reader, read.basis, read.record_id, read.request) == (
        p.director, ReadBasis.DIRECTOR, str(first.pk), None)


def test_director_opens_a_listed_report_and_the_read_is_logged(p):
    conversation = held(p, p.employee)

    opened = selectors.conversation_read(viewer(p.director), conversation.pk)

    assert opened == conversation
    assert AccessRead.objects.filter(subject=p.employee, reader=p.director).count() == 1


def test_the_evaluators_reads_are_not_logged_as_the_directors(p):
    conversation = held(p, p.employee)
    selectors.conversation_read(viewer(p.manager), conversation.pk)
    assert AccessRead.objects.count() == 0


@pytest.mark.parametrize("kind", [ConversationKind.PLANNING, ConversationKind.PROGRESS,
                                  ConversationKind.EVALUATION, ConversationKind.CAREER])
def test_both_halves_agree_for_the_director(p, kind):
    held_one = held(p, p.employee, kind=kind)
    scheduled = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.colleague, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Kamer 3")
    director = viewer(p.director)
    for conversation in (held_one, scheduled):
        conversation.refresh_from_db()
        assert permissions.can_view_conversation(director, conversation) == \
            permissions.conversations_visible_to(director).filter(pk=conversation.pk).exists()
    assert permissions.can_view_conversation(director, held_one) == (
        kind in permissions.DIRECTOR_READ_KINDS)
    assert not permissions.can_view_conversation(director, scheduled)


def test_filters(p):
    progress = held(p, p.employee)
    planning = held(p, p.colleague, kind=ConversationKind.PLANNING)
    services.conversation_report_confirm(actor=viewer(p.employee), conversation=progress)
    services.conversation_report_confirm(actor=viewer(p.manager), conversation=progress)
    director = viewer(p.director)

    def pks(**filters):
        return [c.pk for c in selectors.department_reports(
            director, filters=selectors.ReportFilters(**filters)).conversations]

    assert pks(kind=ConversationKind.PLANNING) == [planning.pk]
    assert pks(name="vandamme") == [progress.pk]
    assert pks(confirmed=True) == [progress.pk]
    assert pks(confirmed=False) == [planning.pk]
    assert pks(unit=p.other_team.pk) == []
    assert sorted(pks(unit=p.team.pk)) == sorted([progress.pk, planning.pk])
    assert pks(held_from=dt.date(2026, 3, 3)) == []
    assert len(pks(held_until=dt.date(2026, 3, 2))) == 2


def test_a_fixed_number_of_queries_for_one_and_five_reports(p):
    def count():
        director = viewer(p.director)
        director.units_with_role(Role.DIRECTOR)
        with CaptureQueriesContext(connection) as captured:
            selectors.department_reports(director, filters=selectors.ReportFilters())
        return len(captured)

    held(p, p.employee)
    one = count()
    for _ in range(4):
        held(p, p.colleague)
    assert count() == one


def test_a_director_under_the_flemish_policy_reads_nothing():
    p = personas.build()
    factories.grant(p.director, Role.DIRECTOR, p.department)
    conversation = held(p, p.employee)

    with pytest.raises(NotFoundOrForbidden):
        selectors.department_reports(viewer(p.director), filters=selectors.ReportFilters())
    assert selectors.conversation_read(viewer(p.director), conversation.pk) is None


def test_an_unrelated_manager_reads_nothing(p):
    held(p, p.employee)
    with pytest.raises(NotFoundOrForbidden):
        selectors.department_reports(viewer(p.unrelated_manager),
                                     filters=selectors.ReportFilters())
