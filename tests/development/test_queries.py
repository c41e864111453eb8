"""The selectors read in a fixed number of queries, whatever the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.core import clock
from koers.development import content, selectors
from koers.development.services import plans
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    with clock.frozen(NOON):
        yield personas.build()


def _rich_row(plan, by, code):
    row = dev.item(plan, by, code)
    organisation = plan.organisation
    plans.plan_means_add(actor=viewer(by), item=row,
                         action=dev.action(organisation, "coaching-krijgen"),
                         supporter=by, term=dt.date(2026, 9, 1))
    plans.plan_hr_action_add(actor=viewer(by), item=row, description="Inschrijving",
                             action=dev.action(organisation, "klassieke-opleiding-volgen"))


def _render(plan_pk):
    plan = selectors.plan_with_rows(plan_pk)
    review = selectors.plan_review(plan, today=dt.date(2026, 4, 22))
    for round in plan.rounds.all():
        list(round.signatures.all())
    payload = content.plan_content(plan, max(plan.rounds.all(), key=lambda r: r.number))
    return plan, review, payload


def test_a_plan_with_one_row_and_with_three_reads_in_the_same_queries(p):
    one = dev.draft(p.employee, p.manager)
    _rich_row(one, p.manager, "werk-structureren")
    three = dev.draft(p.colleague, p.manager)
    for code in ("werk-structureren", "ondersteunen", "communiceren"):
        _rich_row(three, p.manager, code)

    with CaptureQueriesContext(connection) as for_one:
        _render(one.pk)
    with CaptureQueriesContext(connection) as for_three:
        _plan, _review, payload = _render(three.pk)

    assert len(payload["items"]) == 3
    assert len(for_three) == len(for_one) <= 10


def test_the_matrix_and_the_recommendations_read_in_a_few_queries(p, django_assert_max_num_queries):
    organisation = dev.seeded(p.top.organisation)
    competency = dev.competency(organisation, "ondersteunen")
    with django_assert_max_num_queries(4):
        matrix = selectors.matrix(organisation)
        assert len(matrix.cells) == 600
    with django_assert_max_num_queries(1):
        assert len(selectors.recommended_actions(competency)) == 9
    with django_assert_max_num_queries(2):
        assert len(selectors.advice_for(competency)) == 15
    with django_assert_max_num_queries(2):
        clusters = selectors.clusters_with_competencies(organisation)
        assert sum(len(c.competencies.all()) for c in clusters) == 40
