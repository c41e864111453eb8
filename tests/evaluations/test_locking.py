"""Optimistic locking: two people saving from the same revision never lose an edit."""

import datetime as dt

import pytest

from koers.evaluations import services
from koers.evaluations.services import EditConflict, current_report
from koers.evaluations.states import EvaluationState
from tests import personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return factory.cast(personas.build(), goal_count=1)


def test_the_second_save_from_the_same_revision_gets_a_conflict_and_nothing_is_lost(c):
    evaluation = factory.annual(c)
    loaded = current_report(evaluation).revision  # both open the form on this revision
    with on(dt.date(2025, 12, 1)):
        services.report_save(actor=viewer(c.first), evaluation=evaluation,
                             overall="Ratana's text.", items={1: "Goal reached."},
                             verdict="voldoende", advanced_evaluation_on=None,
                             expected_revision=loaded)
        with pytest.raises(EditConflict) as conflict:
            services.report_save(actor=viewer(c.first), evaluation=evaluation,
                                 overall="My other tab's text.", items={1: "Half reached."},
                                 verdict="onvoldoende", advanced_evaluation_on=None,
                                 expected_revision=loaded)
    # The page shows what is saved now ("theirs") beside the user's own text.
    assert conflict.value.current == {"overall": "Ratana's text.", "verdict": "voldoende",
                                      "advanced_evaluation_on": None,
                                      "items": {1: "Goal reached."}}
    assert conflict.value.revision == loaded + 1
    assert "expected_revision" in conflict.value.errors
    report = current_report(evaluation)
    assert (report.overall, report.items.get().text) == ("Ratana's text.", "Goal reached.")
    # Saving again from the revision the conflict named works.
    with on(dt.date(2025, 12, 1)):
        services.report_save(actor=viewer(c.first), evaluation=evaluation,
                             overall="Merged text.", items={1: "Goal reached."},
                             verdict="voldoende", advanced_evaluation_on=None,
                             expected_revision=conflict.value.revision)
    assert current_report(evaluation).overall == "Merged text."


def test_the_self_evaluation_is_locked_the_same_way(c):
    evaluation = factory.annual(c)
    with on(dt.date(2025, 12, 1)):
        services.self_evaluation_save(actor=viewer(c.employee), evaluation=evaluation,
                                      overall="From the laptop.", items={1: "Done."},
                                      expected_revision=0)
        with pytest.raises(EditConflict) as conflict:
            services.self_evaluation_save(actor=viewer(c.employee), evaluation=evaluation,
                                          overall="From the phone.", items={},
                                          expected_revision=0)
    assert conflict.value.current == {"overall": "From the laptop.", "items": {1: "Done."}}
    evaluation.refresh_from_db()
    assert (evaluation.self_evaluation, evaluation.self_evaluation_revision) == (
        "From the laptop.", 1)
    assert evaluation.state == EvaluationState.DRAFT
