import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from koers.core.models import User
from koers.organisation import importing, services
from koers.organisation.models import ImportBatch, ImportKind, Person, Role, Unit
from koers.organisation.tasks import apply_import_task
from tests import factories
from tests.factories import imports

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = imports.PEOPLE_HEADER
people_file, person_row = imports.people_file, imports.person_row


@pytest.fixture
def org():
    organisation = factories.organisation()
    top = services.unit_create(organisation=organisation, code="ORG", name="City")
    services.unit_create(organisation=organisation, code="HR", name="HR", parent=top)
    return organisation


def signed_in(client, person: Person) -> Person:
    # English, so the pages read the same whichever translations exist.
    User.objects.filter(pk=person.user_id).update(language="en")
    client.force_login(person.user)
    return person


@pytest.fixture
def hr(client, org):
    """HR for the top unit: manages the whole organisation."""
    top = Unit.objects.get(organisation=org, code="ORG")
    person = factories.person(Unit.objects.get(organisation=org, code="HR"), with_user=True)
    factories.grant(person, Role.HR, top)
    return signed_in(client, person)


def upload(client, file, kind=ImportKind.PEOPLE, **extra):
    return client.post(reverse("import_start"), {"kind": kind, "file": file, **extra})


def test_hr_dry_run_lists_bad_rows_by_excel_line(client, hr):
    response = upload(client, people_file(person_row("E1"), person_row("E2", start="31/02/2024"),
                                          person_row("E3", unit="NOPE")))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import_batch", args=[batch.pk])
    page = client.get(response.url)
    assert [(e.line_number, e.column) for e in page.context["report"].errors] == [
        (3, "start_date"), (4, "unit_code")]
    html = page.content.decode()
    assert 'role="alert"' in html
    assert 'scope="row">3</th>' in html
    assert "“31/02/2024” is not a date" in html
    assert "Apply the file" not in html
    assert Person.objects.count() == 1  # only HR itself


def test_hr_applies_a_checked_file_through_a_task_worker(client, hr):
    upload(client, people_file(person_row("E1"), person_row("E2")))
    batch = ImportBatch.objects.get()
    page = client.get(reverse("import_batch", args=[batch.pk]))
    assert (page.context["report"].create, "Apply the file" in page.content.decode()) == (2, True)

    response = client.post(reverse("import_apply", args=[batch.pk]))

    # The request only asks: a worker writes the rows, and the page follows it.
    assert response.status_code == 302
    assert Person.objects.count() == 1
    waiting = client.get(response.url)
    html = waiting.content.decode()
    assert 'data-phase="queued"' in html
    assert "Waiting its turn" in html
    assert 'hx-trigger="every 2s"' in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Apply the file" not in html
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled.content.decode().lstrip().startswith('<div id="import-status"')
    # A second click while it waits changes nothing and enqueues nothing more.
    client.post(reverse("import_apply", args=[batch.pk]))
    assert imports.queued() == [batch.pk]
    assert DBTaskResult.objects.filter(task_path=apply_import_task.module_path).count() == 1

    assert imports.work_off() == [2]

    assert set(Person.objects.values_list("employee_number", flat=True)) \
        == {hr.employee_number, "E1", "E2"}
    batch.refresh_from_db()
    assert (batch.applied_by, batch.apply_phase) == (hr.user, "")
    # The poll that finds it done reloads the whole page, which shows the result.
    assert client.get(response.url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    assert 'data-phase="done"' in client.get(response.url).content.decode()
    again = client.post(reverse("import_apply", args=[batch.pk]), follow=True)
    assert "This file has already been imported." in again.content.decode()
    assert Person.objects.count() == 3


def test_rows_gone_bad_since_the_dry_run_are_shown_and_nothing_is_written(client, hr):
    upload(client, people_file(person_row("E1"), person_row("E2")))
    batch = ImportBatch.objects.get()
    client.post(reverse("import_apply", args=[batch.pk]))
    Unit.objects.filter(code="HR").update(code="HR-OLD")  # the rows' unit is gone

    imports.work_off()

    page = client.get(reverse("import_batch", args=[batch.pk])).content.decode()
    assert "Nothing was imported: the data in Koers changed since the dry run" in page
    assert Person.objects.count() == 1


def test_an_error_stops_the_import_at_its_phase_and_it_can_be_tried_again(client, hr,
                                                                          monkeypatch):
    upload(client, people_file(person_row("E1")))
    batch = ImportBatch.objects.get()
    client.post(reverse("import_apply", args=[batch.pk]))

    def broken(**kwargs):
        raise RuntimeError("the worker lost its database")

    monkeypatch.setattr(importing, "organisation_changed", broken)
    with pytest.raises(RuntimeError):
        imports.work_off()

    batch.refresh_from_db()
    assert (batch.apply_phase, batch.applied_at is not None) == ("failed", True)
    page = client.get(reverse("import_batch", args=[batch.pk])).content.decode()
    assert "The rows were imported, but bringing the running cycles up to date stopped" in page
    assert "Try again" in page

    monkeypatch.undo()
    client.post(reverse("import_apply", args=[batch.pk]))
    assert imports.work_off() == [None]  # the rows stay as written: only the cycles follow
    batch.refresh_from_db()
    assert batch.apply_phase == ""
    assert Person.objects.count() == 2


def test_an_unreadable_file_is_shown_on_the_form_and_not_stored(client, hr):
    units_file = SimpleUploadedFile("units.csv", b"code;name;parent_code\r\nX;X;ORG")

    response = upload(client, units_file)

    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith(
        "Unknown columns: code, name, parent_code.")
    assert not ImportBatch.objects.exists()


def test_the_start_page_documents_the_columns_and_lists_recent_imports(client, hr):
    upload(client, people_file(person_row("E1"), name="april.csv"))

    response = client.get(reverse("import_start"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "probation_end_date" in html
    assert reverse("import_template", args=["absences"]) in html
    assert "april.csv" in html
    assert "organisation" not in response.context["form"].fields


def test_hr_of_several_organisations_chooses_one(client, hr):
    other = factories.organisation()
    top = services.unit_create(organisation=other, code="TOP", name="Other city")
    factories.grant(hr, Role.HR, top)
    services.unit_create(organisation=other, code="HR", name="HR", parent=top)

    upload(client, people_file(person_row("E1")), organisation=other.pk)

    assert ImportBatch.objects.get().organisation == other


def test_example_file_download(client, hr):
    response = client.get(reverse("import_template", args=["people"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="koers-people.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffemployee_number;first_name;")


def test_apply_of_200_people_takes_a_bounded_number_of_queries(client, hr,
                                                               django_assert_max_num_queries):
    upload(client, people_file(*(person_row(f"E{n:04d}") for n in range(200))))
    batch = ImportBatch.objects.get()

    # Asking: the session, the user, the batch, locked, saved, and the task enqueued.
    with django_assert_max_num_queries(12):
        client.post(reverse("import_apply", args=[batch.pk]))
    # 21: the import, and one to find the open evaluations whose evaluators follow the
    # new lines (none here; each batch of 500 found adds a fixed few); 9: the evaluator
    # lines of the organisation's people, written again where they changed (a fixed few
    # per 2,000 people); 6: the worker reads the batch and marks its phases.
    with django_assert_max_num_queries(21 + 9 + 6):
        imports.work_off()

    assert Person.objects.count() == 201


@pytest.fixture
def batch(org):
    uploader = User.objects.create_user(email="uploader@example.test", password="secret-pass")
    return ImportBatch.objects.create(organisation=org, kind=ImportKind.PEOPLE, file_name="p.csv",
                                      content=b"x", uploaded_by=uploader,
                                      dry_run_report={"kind": "people", "errors": [],
                                                      "create": 1, "update": 0,
                                                      "unchanged": 0, "kept": 0})


@pytest.mark.parametrize("persona", ["employee", "hr_of_a_unit_below_the_top"])
def test_only_hr_of_the_top_unit_may_import(client, org, batch, persona):
    hr_unit = Unit.objects.get(organisation=org, code="HR")
    person = factories.person(hr_unit, with_user=True)
    if persona == "hr_of_a_unit_below_the_top":
        factories.grant(person, Role.HR, hr_unit)
    signed_in(client, person)

    statuses = [
        client.get(reverse("import_start")).status_code,
        client.post(reverse("import_start"), {"kind": "people",
                                              "file": people_file(person_row("E1"))}).status_code,
        client.get(reverse("import_batch", args=[batch.pk])).status_code,
        client.post(reverse("import_apply", args=[batch.pk])).status_code,
        client.get(reverse("import_template", args=["units"])).status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]
    batch.refresh_from_db()
    assert (batch.applied_at, ImportBatch.objects.count()) == (None, 1)


def hr_elsewhere(client) -> Person:
    other = factories.organisation()
    top = services.unit_create(organisation=other, code="TOP", name="Elsewhere")
    person = factories.person(top, with_user=True)
    factories.grant(person, Role.HR, top)
    return signed_in(client, person)


def test_hr_of_another_organisation_cannot_see_or_apply_a_batch(client, batch):
    hr_elsewhere(client)

    statuses = [client.get(reverse("import_batch", args=[batch.pk])).status_code,
                client.post(reverse("import_apply", args=[batch.pk])).status_code]

    assert statuses == [404, 404]
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_an_organisation_forged_into_the_upload_is_ignored(client, org):
    person = hr_elsewhere(client)

    upload(client, people_file(person_row("E1", unit="TOP")), organisation=org.pk)

    assert ImportBatch.objects.get().organisation == person.organisation


def test_a_superuser_may_import(client, org, batch):
    admin = factories.superuser(email="admin@example.test", password="secret-pass")
    client.force_login(admin)

    assert client.get(reverse("import_batch", args=[batch.pk])).status_code == 200


def test_signing_in_is_required(client, batch):
    response = client.get(reverse("import_batch", args=[batch.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_form_states_the_largest_file_it_takes(client, hr, settings):
    settings.KOERS_IMPORT_MAX_BYTES = 3 * 1024 * 1024
    signed_in(client, hr)
    html = client.get(reverse("import_start")).content.decode()
    assert "Excel .xlsx of at most 3 MB" in html
