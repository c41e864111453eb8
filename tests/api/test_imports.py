"""HR's CSV/XLSX imports through the API, as through the import page: the upload and its
dry run, the report, applying through a task worker, the example files."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from koers.access import tokens
from koers.access.models import TokenScope
from koers.core import clock
from koers.core.models import User
from koers.organisation import services
from koers.organisation.models import ImportBatch, ImportKind, Person, Role, Unit
from tests import factories
from tests.api.problems import said
from tests.factories import imports

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = imports.PEOPLE_HEADER
people_file, person_row = imports.people_file, imports.person_row
NOT_FOUND = {"detail": "Not found.", "errors": {}}


def _organisation(code: str = "ORG"):
    organisation = factories.organisation()
    top = services.unit_create(organisation=organisation, code=code, name="City")
    services.unit_create(organisation=organisation, code="HR", name="HR", parent=top)
    return organisation


def signed_in(client, person: Person) -> Person:
    User.objects.filter(pk=person.user_id).update(language="en")
    client.force_login(person.user)
    return person


def hr_of(organisation) -> Person:
    """HR of the top unit: manages the whole organisation."""
    person = factories.person(Unit.objects.get(organisation=organisation, code="HR"),
                              with_user=True)
    factories.grant(person, Role.HR, Unit.objects.get(organisation=organisation, parent=None))
    return person


@pytest.fixture
def org():
    return _organisation()


@pytest.fixture
def hr(client, org):
    return signed_in(client, hr_of(org))


def upload(client, file, kind: str = ImportKind.PEOPLE, **extra):
    return client.post("/api/v1/imports", {"kind": kind, "file": file, **extra})


def test_hr_uploads_a_file_and_gets_its_dry_run_without_any_change(client, hr):
    response = upload(client, people_file(person_row("E1"), person_row("E2")))

    batch = ImportBatch.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert response["Location"] == body["status_url"] == \
        f"http://testserver/api/v1/imports/{batch.pk}"
    assert {key: body[key] for key in ("id", "organisation_id", "kind", "file_name", "state",
                                       "create", "update", "unchanged", "bad_lines",
                                       "uploaded_by", "applied_at")} == {
        "id": batch.pk, "organisation_id": hr.organisation_id, "kind": "people",
        "file_name": "people.csv", "state": "checked", "create": 2, "update": 0,
        "unchanged": 0, "bad_lines": 0, "uploaded_by": hr.user.email, "applied_at": None}
    assert body["errors"] == {"items": [], "count": 0, "page": 1, "page_size": 50,
                              "next": None}
    # The dry run writes nothing and asks no worker for anything.
    assert Person.objects.count() == 1
    assert imports.queued() == []


def test_the_dry_run_lists_bad_rows_by_excel_line_a_page_at_a_time(client, hr):
    upload(client, people_file(person_row("E1"), person_row("E2", start="31/02/2024"),
                               person_row("E3", unit="NOPE")))
    batch = ImportBatch.objects.get()

    first = client.get(f"/api/v1/imports/{batch.pk}?page_size=1").json()
    second = client.get(first["errors"]["next"]).json()

    assert (first["state"], first["bad_lines"], first["errors"]["count"]) == ("invalid", 2, 2)
    assert first["errors"]["items"] == [
        {"line": 3, "column": "start_date",
         "message": "“31/02/2024” is not a date; write 2024-06-01 or 01/06/2024."}]
    assert [(e["line"], e["column"]) for e in second["errors"]["items"]] == [(4, "unit_code")]
    assert second["errors"]["next"] is None
    assert Person.objects.count() == 1


def test_a_file_with_bad_rows_cannot_be_applied(client, hr):
    upload(client, people_file(person_row("E1", unit="NOPE")))
    batch = ImportBatch.objects.get()

    response = client.post(f"/api/v1/imports/{batch.pk}/apply")

    assert response.status_code == 422
    assert said(response)["detail"] == ("This file has errors, so nothing in it can be "
                                        "imported. Correct the file and upload it again.")
    batch.refresh_from_db()
    assert (batch.apply_requested_at, imports.queued()) == (None, [])


def test_hr_applies_a_checked_file_through_a_task_worker_as_on_the_page(client, hr):
    upload(client, people_file(person_row("E1"), person_row("E2")))
    batch = ImportBatch.objects.get()

    response = client.post(f"/api/v1/imports/{batch.pk}/apply")

    # The request only asks: a worker writes the rows; the answer says how to follow it.
    assert response.status_code == 202
    assert response["Location"] == f"http://testserver/api/v1/imports/{batch.pk}"
    assert (response.json()["state"], Person.objects.count()) == ("queued", 1)
    # Asked again while it waits: nothing changes, nothing more is enqueued.
    assert client.post(f"/api/v1/imports/{batch.pk}/apply").status_code == 202
    assert imports.queued() == [batch.pk]

    assert imports.work_off() == [2]

    done = client.get(f"/api/v1/imports/{batch.pk}").json()
    assert (done["state"], done["applied_by"], done["create"]) == ("applied", hr.user.email, 2)
    assert set(Person.objects.values_list("employee_number", flat=True)) == {
        hr.employee_number, "E1", "E2"}
    again = client.post(f"/api/v1/imports/{batch.pk}/apply")
    assert (again.status_code, said(again)["detail"]) == (
        422, "This file has already been imported.")
    assert Person.objects.count() == 3


def test_rows_gone_bad_since_the_dry_run_are_refused_and_nothing_is_written(client, hr):
    upload(client, people_file(person_row("E1")))
    batch = ImportBatch.objects.get()
    client.post(f"/api/v1/imports/{batch.pk}/apply")
    Unit.objects.filter(code="HR").update(code="HR-OLD")  # the row's unit is gone

    imports.work_off()

    body = client.get(f"/api/v1/imports/{batch.pk}").json()
    assert (body["state"], [e["column"] for e in body["errors"]["items"]]) == (
        "refused", ["unit_code"])
    assert Person.objects.count() == 1


def test_an_unreadable_file_is_refused_with_its_reason_and_not_stored(client, hr):
    response = upload(client, SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0rest"))

    assert response.status_code == 422
    assert said(response) == {
        "detail": "The file cannot be imported.",
        "errors": {"file": ["Old Excel files (.xls) cannot be read; save the file as .xlsx "
                            "or as CSV UTF-8."]}}
    assert not ImportBatch.objects.exists()


def test_an_unknown_kind_or_no_file_is_refused_and_nothing_is_stored(client, hr):
    unknown = upload(client, people_file(person_row("E1")), kind="salaries")
    no_file = client.post("/api/v1/imports", {"kind": "people"})

    message = "Choose one of the kinds units, people, effective_work, absences."
    assert (unknown.status_code, said(unknown)["errors"]) == (422, {"kind": [message]})
    assert (no_file.status_code, said(no_file)["errors"]) == (
        422, {"file": ["This field is required."]})
    assert not ImportBatch.objects.exists()


def test_the_answer_speaks_the_callers_language(client, hr):
    User.objects.filter(pk=hr.user_id).update(language="nl")

    response = upload(client, people_file(person_row("E1")), kind="salarissen")

    assert said(response)["errors"]["kind"] == [
        "Kies een van de soorten units, people, effective_work, absences."]


@pytest.fixture
def batch(org):
    uploader = hr_of(org)
    return ImportBatch.objects.create(
        organisation=org, kind=ImportKind.PEOPLE, file_name="p.csv",
        content=people_file(person_row("E1")).read(), uploaded_by=uploader.user,
        dry_run_report={"kind": "people", "errors": [], "create": 1, "update": 0,
                        "unchanged": 0, "kept": 0})


@pytest.mark.parametrize("persona", ["employee", "hr_of_a_unit_below_the_top",
                                     "hr_of_another_organisation"])
def test_only_hr_of_the_organisation_reaches_its_imports(client, org, batch, persona):
    if persona == "hr_of_another_organisation":
        person = hr_of(_organisation(code="ELSEWHERE"))
    else:
        hr_unit = Unit.objects.get(organisation=org, code="HR")
        person = factories.person(hr_unit, with_user=True)
        if persona == "hr_of_a_unit_below_the_top":
            factories.grant(person, Role.HR, hr_unit)
    signed_in(client, person)

    answers = [
        client.get(f"/api/v1/imports/{batch.pk}"),
        client.post(f"/api/v1/imports/{batch.pk}/apply"),
        # Into the batch's organisation, named.
        upload(client, people_file(person_row("E9")), organisation_id=org.pk),
    ]
    if persona != "hr_of_another_organisation":
        answers += [upload(client, people_file(person_row("E9"))),
                    client.get("/api/v1/imports/templates/people")]

    assert {(response.status_code, str(said(response))) for response in answers} == {
        (404, str(NOT_FOUND))}
    batch.refresh_from_db()
    assert (batch.apply_requested_at, ImportBatch.objects.count()) == (None, 1)
    assert imports.queued() == []


def test_hr_of_several_organisations_names_the_one_to_import_into(client, hr, org):
    other = _organisation(code="OTHER")
    factories.grant(hr, Role.HR, Unit.objects.get(organisation=other, code="OTHER"))

    unnamed = upload(client, people_file(person_row("E1")))
    named = upload(client, people_file(person_row("E1")), organisation_id=other.pk)

    assert (unnamed.status_code, said(unnamed)["errors"]) == (
        422, {"organisation_id": ["Choose the organisation to import into."]})
    assert (named.status_code, named.json()["organisation_id"]) == (201, other.pk)
    assert ImportBatch.objects.get().organisation == other


def test_the_example_file_is_the_pages_download(client, hr):
    api = client.get("/api/v1/imports/templates/people")
    page = client.get(reverse("import_template", args=["people"]))

    assert api.status_code == 200
    assert (api["Content-Type"], api["Content-Disposition"], api.content) == (
        page["Content-Type"], page["Content-Disposition"], page.content)
    assert api["Content-Type"] == "text/csv; charset=utf-8"
    assert api.content.decode("utf-8").startswith("\ufeffemployee_number;first_name;")


def test_an_unknown_kind_of_example_file_is_refused_with_the_kinds(client, hr):
    response = client.get("/api/v1/imports/templates/salaries")

    assert (response.status_code, said(response)["errors"]) == (
        422, {"kind": ["Choose one of the kinds units, people, effective_work, absences."]})


def test_a_script_imports_with_a_personal_api_token(hr):
    made = tokens.token_create(user=hr.user, name="payroll", scope=TokenScope.WRITE,
                               expires_on=clock.today() + dt.timedelta(days=30))
    script = Client(HTTP_AUTHORIZATION=f"Bearer {made.secret}")

    created = script.post("/api/v1/imports", {"kind": "people",
                                              "file": people_file(person_row("E1"))})
    applied = script.post(f"/api/v1/imports/{created.json()['id']}/apply")

    assert (created.status_code, applied.status_code) == (201, 202)
    assert imports.work_off() == [1]
    assert Person.objects.filter(employee_number="E1").exists()


@pytest.mark.parametrize("bad_rows", [1, 300])
def test_the_report_takes_the_same_queries_however_many_errors(client, hr, bad_rows,
                                                               django_assert_max_num_queries):
    upload(client, people_file(*(person_row(f"E{n:04d}", unit="NOPE")
                                 for n in range(bad_rows))))
    batch = ImportBatch.objects.get()

    # The session, the user and the viewer's person and grants, the batch with its people.
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/imports/{batch.pk}?page_size=200")

    assert len(response.json()["errors"]["items"]) == min(bad_rows, 200)
