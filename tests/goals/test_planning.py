"""The planning signed "voor akkoord" (``goals.planning``; Vlaamse overheid,
"PLOEG-gesprekken", https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken):
the employee and the 1st evaluator sign the period's agreed goals in either order, the
2nd evaluator signs last and completes it; each signature seals the goals it covered, a
later change asks for new signatures, and the old ones stay as they were."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from koers.audit.models import AuditEvent
from koers.audit.services import chain_of
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.goals import services as goal_services
from koers.goals.models import PlanningSignature
from koers.goals.notifications import PLANNING_TO_SIGN
from koers.goals.planning import planning_read, planning_sign, seal
from koers.notify.models import Notification
from koers.notify.services import deliver_emails
from koers.organisation.models import PolicyPreset
from koers.rulebook.planning import PlanningSigner
from tests.factories import goals
from tests.factories.goals import viewer
from tests.factories.planning import (  # noqa: F401 (the fixtures)
    FEBRUARY,
    february_fixture,
    participation_fixture,
    personas_fixture,
)

pytestmark = pytest.mark.django_db

E, F, S = (PlanningSigner.EMPLOYEE, PlanningSigner.FIRST_EVALUATOR,
           PlanningSigner.SECOND_EVALUATOR)


def second(p):
    assert p.department.manager is not None
    return p.department.manager


def sign(person, participation):
    return planning_sign(actor=viewer(person), participation=participation)


def signed_roles(person, participation):
    planning = planning_read(viewer(person), participation.pk)
    assert planning is not None
    return set(planning.current)


@pytest.mark.parametrize("first_signer", ["employee", "manager"])
def test_employee_and_first_evaluator_sign_in_either_order_and_the_second_completes(
        p, participation, first_signer):
    goals.agreed(p.employee, p.manager, title="Loonbrieven op tijd")
    order = [p.employee, p.manager] if first_signer == "employee" else [p.manager, p.employee]

    first = sign(order[0], participation)
    assert not first.complete
    assert sign(order[1], participation).next_signers == (S,)
    done = sign(second(p), participation)

    assert done.complete
    assert done.next_signers == ()
    assert signed_roles(p.employee, participation) == {E, F, S}


def test_the_planning_is_due_at_the_end_of_march(p, participation):
    """PLOEG-gesprekken: filed in January, at the latest at the end of March."""
    planning = planning_read(viewer(p.employee), participation.pk)

    assert planning is not None
    assert planning.due == dt.date(2026, 3, 31)


def test_the_second_evaluator_signs_only_after_the_other_two(p, participation):
    goals.agreed(p.employee, p.manager)
    sign(p.employee, participation)

    with pytest.raises(ValidationFailed) as refused:
        sign(second(p), participation)

    assert refused.value.message == ("De 2de evaluator ondertekent de planning zodra de "
                                     "medewerker en de 1ste evaluator ze ondertekend hebben.")
    assert PlanningSignature.objects.count() == 1


@pytest.mark.parametrize("who", ["colleague", "hr", "unrelated_manager", "outsider"])
def test_nobody_else_signs_the_planning(p, participation, who):
    goals.agreed(p.employee, p.manager)

    with pytest.raises(NotFoundOrForbidden):
        sign(getattr(p, who), participation)

    assert planning_read(viewer(getattr(p, who)), participation.pk) is None
    assert not PlanningSignature.objects.exists()


@pytest.mark.parametrize("preset", [PolicyPreset.FEDERAL, PolicyPreset.DUTCH_MUNICIPAL])
def test_other_regimes_have_no_planning_to_sign(p, participation, preset):
    goals.agreed(p.employee, p.manager)
    organisation = p.employee.organisation
    organisation.policy_preset = preset
    organisation.save(update_fields=["policy_preset"])

    with pytest.raises(ValidationFailed) as refused:
        sign(p.employee, participation)

    assert "niet als geheel ondertekend" in refused.value.message
    assert not PlanningSignature.objects.exists()


def test_a_planning_without_agreed_goals_or_with_a_proposal_waits(p, participation):
    with pytest.raises(ValidationFailed) as nothing:
        sign(p.employee, participation)
    goals.agreed(p.employee, p.manager)
    goals.proposed(p.employee, title="Nog niet afgesproken")
    with pytest.raises(ValidationFailed) as pending:
        sign(p.employee, participation)

    assert "Nog geen doelstelling" in nothing.value.message
    assert "nog voorgesteld" in pending.value.message
    assert not PlanningSignature.objects.exists()


def test_signing_twice_is_refused(p, participation):
    goals.agreed(p.employee, p.manager)
    sign(p.employee, participation)

    with pytest.raises(ValidationFailed) as refused:
        sign(p.employee, participation)

    assert refused.value.message == "Je hebt deze planning al voor akkoord ondertekend."


def test_a_changed_goal_asks_for_new_signatures_and_the_old_ones_stay(p, participation):
    goal = goals.agreed(p.employee, p.manager, title="Loonbrieven op tijd")
    for person in (p.employee, p.manager, second(p)):
        sign(person, participation)
    before = {s.pk: (s.seal, s.content) for s in PlanningSignature.objects.all()}

    goal_services.goal_adjust(actor=viewer(p.manager), goal=goal,
                              changes={"title": "Loonbrieven twee dagen vroeger"},
                              reason="De planning van de dienst schoof op.")
    planning = planning_read(viewer(p.employee), participation.pk)

    assert planning is not None
    assert not planning.complete
    assert planning.current == {}
    assert planning.next_signers == (E, F)
    assert {s.pk for s in planning.earlier} == set(before)
    for person in (p.manager, p.employee, second(p)):
        sign(person, participation)
    after = planning_read(viewer(p.employee), participation.pk)
    assert after is not None
    assert after.complete
    assert after.content["goals"][0]["title"] == "Loonbrieven twee dagen vroeger"
    # The earlier signatures are as they were, and still seal what they covered.
    for signature in PlanningSignature.objects.filter(pk__in=before):
        assert (signature.seal, signature.content) == before[signature.pk]
        assert seal(signature.content) == signature.seal
        assert signature.content["goals"][0]["title"] == "Loonbrieven op tijd"
    assert PlanningSignature.objects.count() == 6


def test_progress_alone_does_not_change_the_signed_planning(p, participation):
    goal = goals.agreed(p.employee, p.manager)
    for person in (p.employee, p.manager, second(p)):
        sign(person, participation)

    goal_services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 40})

    planning = planning_read(viewer(p.employee), participation.pk)
    assert planning is not None
    assert planning.complete


def test_a_signature_is_never_changed(p, participation):
    goals.agreed(p.employee, p.manager)
    sign(p.employee, participation)
    signature = PlanningSignature.objects.get()

    signature.signer_name = "Iemand anders"
    with pytest.raises(ValueError, match="never changed"):
        signature.save()


def test_each_signature_is_audited_in_the_participations_chain(p, participation):
    goal = goals.agreed(p.employee, p.manager)
    sign(p.employee, participation)
    sign(p.manager, participation)
    sign(second(p), participation)

    events = list(AuditEvent.objects.filter(chain=chain_of(participation)).order_by("seq"))

    assert [e.action for e in events] == ["planning.signed"] * 3
    assert [e.changes["role"][1] for e in events] == ["employee", "first_evaluator",
                                                        "second_evaluator"]
    assert events[0].changes["goals"][1] == [goal.pk]
    assert [e.changes["complete"][1] for e in events] == [False, False, True]


# The next signer is told; the complete planning is the cycle's planning step ----------


def _asked(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person.user, kind=PLANNING_TO_SIGN,
                                            resolved_at__isnull=True))


def test_each_signature_tells_the_next_signer_and_the_mail_leaves_in_their_language(
        p, participation, django_capture_on_commit_callbacks):
    """PLOEG-gesprekken: the employee, the 1st and the 2nd evaluator sign; whoever signs
    next hears it in the app and by e-mail, in their own language, from the outbox."""
    goals.agreed(p.employee, p.manager)
    with django_capture_on_commit_callbacks(execute=True):
        sign(p.manager, participation)
    (asked,) = _asked(p.employee)  # "your planning": the employee signs next
    assert (asked.url, asked.params["actor"]) == (
        f"/planning/{participation.pk}/", p.manager.full_name)
    assert not _asked(second(p))  # not yet: the employee has not signed

    User.objects.filter(pk=second(p).user.pk).update(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        sign(p.employee, participation)
    assert not _asked(p.employee)  # signed: their notification is done
    (asked,) = _asked(second(p))
    assert asked.params["person"] == p.employee.full_name
    deliver_emails()
    (to_second,) = [m for m in mail.outbox if m.to == [second(p).user.email]]
    with translation.override("fr"):
        assert to_second.subject.endswith(
            _("The planning of %(person)s waits for your signature") % {
                "person": p.employee.full_name})
        assert "attend votre signature" in to_second.subject

    sign(second(p), participation)
    assert not Notification.objects.filter(kind=PLANNING_TO_SIGN,
                                           resolved_at__isnull=True).exists()


def test_the_third_signature_completes_the_participations_planning_step(p, participation):
    """PLOEG-gesprekken: the planning signed by all three is the year's planning, due by
    the end of March: the participation's planning milestone is done that day."""
    goals.agreed(p.employee, p.manager)
    sign(p.employee, participation)
    sign(p.manager, participation)
    participation.refresh_from_db()
    assert participation.planning_done_on is None

    sign(second(p), participation)

    participation.refresh_from_db()
    assert participation.planning_done_on == FEBRUARY.date()


def test_a_later_goal_change_asks_new_signatures_but_keeps_the_step_done(p, participation):
    """Our choice (docs/policies.md, "The planning signature"): a goal changed during the
    year asks the three for new signatures; the planning step stays done on the day it was
    first complete."""
    goal = goals.agreed(p.employee, p.manager)
    for person in (p.employee, p.manager, second(p)):
        sign(person, participation)
    with clock.frozen(FEBRUARY + dt.timedelta(days=60)):
        goal_services.goal_adjust(actor=viewer(p.manager), goal=goal,
                                  changes={"title": "Loonbrieven twee dagen vroeger"},
                                  reason="De planning van de dienst schoof op.")
        planning = planning_read(viewer(p.employee), participation.pk)
        assert planning is not None
        assert planning.next_signers == (E, F)
        participation.refresh_from_db()
        assert participation.planning_done_on == FEBRUARY.date()
        for person in (p.employee, p.manager, second(p)):
            sign(person, participation)
        participation.refresh_from_db()
        assert participation.planning_done_on == FEBRUARY.date()
