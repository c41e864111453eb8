"""Preparing the POP conversation: private until shared, then read-only."""

import pytest

from koers.audit.models import AuditEvent
from koers.core.errors import EditConflict, NotFoundOrForbidden, ValidationFailed
from koers.development import permissions, selectors
from koers.development.services import preparations
from koers.notify.models import Notification
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    built = personas.build()
    dev.seeded(built.employee.organisation)
    return built


def _readers(p, can_view, preparation):
    people = {"employee": p.employee, "manager": p.manager, "second": p.department.manager,
              "colleague": p.colleague, "hr": p.hr, "director": p.director}
    return {name for name, person in people.items() if can_view(viewer(person), preparation)}


def test_the_self_scan_feeds_the_employees_preparation(p):
    marc = viewer(p.employee)
    preparations.self_scan_save(actor=marc, changes={
        "who_am_i": "Nauwkeurig.", "energy": "Een afgewerkt dossier.",
        "what_do_i_want": "Minder stress.", "next_step": "Een opleiding volgen."})

    preparation = preparations.employee_preparation_start(actor=marc)

    assert (preparation.strengths, preparation.ambitions, preparation.self_investment,
            preparation.competencies_to_develop) == (
        "Nauwkeurig.\n\nEen afgewerkt dossier.", "Minder stress.", "Een opleiding volgen.", "")
    event = AuditEvent.objects.get(action="self_scan.saved")
    assert event.changes == {"fields": ["who_am_i", "energy", "what_do_i_want", "next_step"]}


def test_the_self_scan_is_the_employees_alone(p):
    preparations.self_scan_save(actor=viewer(p.employee), changes={"who_am_i": "Ik."})
    assert selectors.preparation_inputs(viewer(p.employee), p.employee).self_scan is not None
    assert selectors.preparation_inputs(viewer(p.manager), p.employee).self_scan is None


def test_the_employees_preparation_is_private_until_shared(p, django_capture_on_commit_callbacks):
    marc = viewer(p.employee)
    preparation = preparations.employee_preparation_start(actor=marc, from_self_scan=False)
    preparations.employee_preparation_save(actor=marc, preparation=preparation,
                                           changes={"strengths": "Nauwkeurig."})
    assert _readers(p, permissions.can_view_employee_preparation, preparation) == {"employee"}

    with django_capture_on_commit_callbacks(execute=True):
        preparations.employee_preparation_share(actor=marc, preparation=preparation)

    preparation.refresh_from_db()
    assert _readers(p, permissions.can_view_employee_preparation, preparation) == {
        "employee", "manager", "second"}
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        p.manager.user.pk, p.department.manager.user.pk}
    with pytest.raises(ValidationFailed):
        preparations.employee_preparation_save(actor=marc, preparation=preparation,
                                               changes={"strengths": "Anders."})


def test_someone_else_cannot_write_in_my_preparation(p):
    preparation = preparations.employee_preparation_start(actor=viewer(p.employee))
    with pytest.raises(NotFoundOrForbidden):
        preparations.employee_preparation_save(actor=viewer(p.manager),
                                               preparation=preparation,
                                               changes={"strengths": "?"})


def test_the_managers_preparation_reaches_the_employee_once_shared(p):
    ratana = viewer(p.manager)
    competency = dev.competency(p.top.organisation, "ondersteunen")
    preparation = preparations.manager_preparation_start(actor=ratana, employee=p.employee,
                                                         competencies=[competency])
    preparations.manager_preparation_save(actor=ratana, preparation=preparation, changes={
        "overall_impression": "Op goede weg.", "other_remarks": "Geen."})
    assert _readers(p, permissions.can_view_manager_preparation, preparation) == {"manager"}

    preparations.manager_preparation_share(actor=ratana, preparation=preparation)

    preparation.refresh_from_db()
    assert _readers(p, permissions.can_view_manager_preparation, preparation) == {
        "employee", "manager", "second"}
    assert selectors.preparation_inputs(viewer(p.employee), p.employee
                                        ).manager_preparation == preparation
    assert list(preparation.competencies.all()) == [competency]


def test_only_the_first_evaluator_prepares_about_an_employee(p):
    for person in (p.colleague, p.department.manager, p.hr):
        with pytest.raises(ValidationFailed):
            preparations.manager_preparation_start(actor=viewer(person), employee=p.employee)


def test_the_department_view_goes_to_the_managers_own_evaluators(p):
    ratana = viewer(p.manager)
    view = preparations.department_preparation_start(actor=ratana, unit=p.team)
    preparations.department_preparation_save(actor=ratana, preparation=view,
                                             changes={"threats": "Twee pensioneringen."})
    assert _readers(p, permissions.can_view_department_preparation, view) == {"manager"}
    preparations.department_preparation_share(actor=ratana, preparation=view)
    view.refresh_from_db()
    # Ratana's 1st evaluator heads the department; the director is her 2nd.
    assert _readers(p, permissions.can_view_department_preparation, view) == {
        "manager", "second", "director"}
    with pytest.raises(ValidationFailed):
        preparations.department_preparation_start(actor=viewer(p.employee), unit=p.team)


def test_the_list_and_object_questions_agree_for_preparations(p):
    mine = preparations.employee_preparation_start(actor=viewer(p.employee))
    shared = preparations.employee_preparation_start(actor=viewer(p.colleague))
    shared = preparations.employee_preparation_share(actor=viewer(p.colleague),
                                                     preparation=shared)
    about = preparations.manager_preparation_start(actor=viewer(p.manager), employee=p.employee)
    for person in (p.employee, p.colleague, p.manager, p.department.manager, p.hr):
        who = viewer(person)
        assert set(permissions.employee_preparations_visible_to(who)) == {
            x for x in (mine, shared) if permissions.can_view_employee_preparation(who, x)}
        assert set(permissions.manager_preparations_visible_to(who)) == {
            x for x in (about,) if permissions.can_view_manager_preparation(who, x)}


@pytest.mark.parametrize("kind", ["employee", "department", "manager"])
def test_two_saves_of_one_draft_from_the_same_revision_never_lose_an_edit(p, kind):
    """Optimistic locking: the author's two tabs open the draft; the first save is kept,
    the second is refused with it; saved again from the revision it names, it goes through."""
    if kind == "employee":
        author = viewer(p.employee)
        preparation = preparations.employee_preparation_start(actor=author,
                                                              from_self_scan=False)
        save, field = preparations.employee_preparation_save, "strengths"
    elif kind == "department":
        author = viewer(p.manager)
        preparation = preparations.department_preparation_start(actor=author, unit=p.team)
        save, field = preparations.department_preparation_save, "staffing"
    else:
        author = viewer(p.manager)
        preparation = preparations.manager_preparation_start(actor=author, employee=p.employee)
        save, field = preparations.manager_preparation_save, "overall_impression"
    opened = preparation.revision

    save(actor=author, preparation=preparation, changes={field: "From the laptop."},
         expected_revision=opened)
    with pytest.raises(EditConflict) as conflict:
        save(actor=author, preparation=preparation, changes={field: "From the phone."},
             expected_revision=opened)

    preparation.refresh_from_db()
    assert (getattr(preparation, field), preparation.revision) == ("From the laptop.",
                                                                   opened + 1)
    assert conflict.value.current[field] == "From the laptop."
    assert conflict.value.revision == preparation.revision
    save(actor=author, preparation=preparation, changes={field: "From the phone."},
         expected_revision=conflict.value.revision)
    preparation.refresh_from_db()
    assert getattr(preparation, field) == "From the phone."
