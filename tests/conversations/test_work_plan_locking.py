"""Optimistic locking of the individual work plan: the employee's text and the 1st
evaluator's comments are saved from a revision, and a save that started from an older
one is refused with what is saved now, so no edit is lost unseen."""

import pytest

from koers.conversations import services
from koers.conversations.models import WorkPlan
from koers.core.errors import EditConflict, PreconditionFailed
from tests.concurrency import race, real_concurrency, record_race
from tests.factories.goals import viewer
from tests.factories.work_plans import draft, dutch_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def test_the_second_write_from_the_same_revision_gets_a_conflict_and_nothing_is_lost(p):
    """Two tabs of the employee open the plan; the first save is kept, the second is
    refused with it, and saving again from the revision the conflict names goes through."""
    plan = draft(p)
    opened = plan.revision

    services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                             expected_revision=opened, support="A mentor")
    with pytest.raises(EditConflict) as conflict:
        services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                                 expected_revision=opened, support="A course")

    plan.refresh_from_db()
    assert (plan.support, plan.revision) == ("A mentor", opened + 1)
    assert conflict.value.revision == plan.revision
    assert conflict.value.current["support"] == "A mentor"
    assert "expected_revision" in conflict.value.errors
    services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                             expected_revision=conflict.value.revision, support="A course")
    plan.refresh_from_db()
    assert plan.support == "A course"


def test_comments_from_before_the_employees_change_are_refused_with_it(p):
    """The evaluator comments on the text they read: when the employee changed it since,
    the comments are not saved and the evaluator sees the new text."""
    plan = draft(p)
    opened = plan.revision
    services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                             expected_revision=opened, competencies="Negotiation")

    with pytest.raises(EditConflict) as conflict:
        services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                   comments="Customer focus is fine.", expected_revision=opened)

    plan.refresh_from_db()
    assert (plan.manager_comments, plan.competencies) == ("", "Negotiation")
    assert conflict.value.current["competencies"] == "Negotiation"


def test_every_change_of_the_plan_counts_its_revision_up(p):
    plan = draft(p)
    revisions = [plan.revision]
    for change in (
        lambda: services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                                         support="A mentor"),
        lambda: services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                           comments="Fine"),
        lambda: services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan),
        lambda: services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan),
    ):
        revisions.append(change().revision)

    assert revisions == [0, 1, 2, 3, 4]


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_editors_of_one_work_plan_exactly_one_wins_and_nothing_is_lost(p):
    """The employee's two devices save from the same revision at the same moment: the
    row lock serialises them, one is saved, the other gets the conflict with the winner's
    text: 0 lost updates."""
    plan = draft(p)
    texts = ["From the laptop", "From the phone"]

    outcomes = race(*[
        (lambda text=text: services.work_plan_write(
            actor=viewer(p.employee), work_plan=plan, expected_revision=0, support=text))
        for text in texts])

    won = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, WorkPlan)]
    lost = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, EditConflict)]
    plan.refresh_from_db()
    record_race(writers=len(outcomes), conflicts=len(lost),
                lost=int(not won or plan.support != texts[won[0]]))
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert (plan.support, plan.revision) == (texts[won[0]], 1)
    assert outcomes[lost[0]].current["support"] == texts[won[0]]


def test_a_confirmation_from_a_revision_the_locked_plan_no_longer_has_changes_nothing(p):
    """The caller's revisions (the API's If-Match) are compared with the plan read under
    the confirmation's row lock, not with the copy the caller holds."""
    plan = draft(p)
    services.work_plan_comment(actor=viewer(p.manager), work_plan=plan, comments="Fine")
    read = WorkPlan.objects.get(pk=plan.pk)  # the employee's copy, revision 1
    services.work_plan_comment(actor=viewer(p.manager), work_plan=plan, comments="Finer")

    with pytest.raises(PreconditionFailed) as refused:
        services.work_plan_confirm(actor=viewer(p.employee), work_plan=read,
                                   if_revision_in={read.revision})

    plan.refresh_from_db()
    assert refused.value.revision == plan.revision == 2
    assert plan.employee_confirmed_at is None
    services.work_plan_confirm(actor=viewer(p.employee), work_plan=read,
                               if_revision_in={plan.revision})
    plan.refresh_from_db()
    assert (plan.employee_confirmed_at is not None, plan.revision) == (True, 3)


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_with_the_same_if_match_at_once_exactly_one_passes(p):
    """Both sides read revision 1 and confirm at the same moment with it: the comparison
    is made under the row lock, so the second finds revision 2 and changes nothing."""
    plan = draft(p)
    services.work_plan_comment(actor=viewer(p.manager), work_plan=plan, comments="Fine")

    outcomes = race(*[
        (lambda person=person: services.work_plan_confirm(
            actor=viewer(person), work_plan=plan, if_revision_in={1}))
        for person in (p.employee, p.manager)])

    passed = [outcome for outcome in outcomes if isinstance(outcome, WorkPlan)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, PreconditionFailed)]
    plan.refresh_from_db()
    assert (len(passed), len(refused)) == (1, 1), outcomes
    assert (plan.revision, refused[0].revision, plan.is_fixed) == (2, 2, False)
