"""The downloads of the cycle dashboard and of the training demand through the API: kinds
of rendering (``POST /api/v1/renderings``) that a task worker makes with the very table
the page's download holds."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from koers.access.models import Rendering
from koers.core import clock
from koers.core.models import User
from koers.development.rules import Priority
from koers.development.services import plans
from tests import personas
from tests.api.problems import said
from tests.factories import bulk_participations, development, renderings
from tests.factories import participations as cycles
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

AFTER_PLANNING = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    people = personas.build()
    User.objects.update(language="en")
    return people


def ask(client, kind, subject_id, **parameters):
    return client.post("/api/v1/renderings", {"kind": kind, "subject_id": subject_id,
                                              "parameters": parameters},
                       content_type="application/json")


def fetched(client, asked):
    """Let the worker make the file, then download it as its requester."""
    assert asked.status_code == 202, asked.content
    renderings.work_off()
    ready = client.get(asked["Location"]).json()
    assert ready["state"] == "ready", ready
    return client.get(ready["pdf_url"])


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# The cycle dashboard ----------------------------------------------------------------------


@pytest.fixture
def cycle(p):
    """Everybody in the cycle; the employee and the colleague have not planned yet."""
    cycle = cycles.cycle(p.top.organisation, 2026)
    late = {p.employee.pk, p.colleague.pk}
    people = list(p.top.organisation.people.all())
    bulk_participations.participations(cycle, [x for x in people if x.pk in late])
    bulk_participations.participations(cycle, [x for x in people if x.pk not in late],
                                       planning_done_on=dt.date(2026, 2, 1))
    return cycle


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_hr_gets_the_dashboard_download_the_page_offers(client, p, cycle, file_format):
    client.force_login(p.hr.user)
    with clock.frozen(AFTER_PLANNING):
        page = client.get(reverse("cycle_dashboard_export",
                                  args=[cycle.pk, p.top.pk, file_format]))
        asked = ask(client, "cycles.dashboard", p.top.pk, cycle=str(cycle.pk),
                    format=file_format)
        download = fetched(client, asked)

    assert asked.json()["file_name"] == f"koers-2026-{p.top.code.lower()}.{file_format}"
    assert download["Content-Type"] == page["Content-Type"]
    assert table(download.content, file_format) == table(page.content, file_format)
    assert p.employee.full_name in str(table(download.content, file_format))


def table(content: bytes, file_format: str) -> list[list[object]]:
    if file_format == "csv":
        return csv_rows(content)  # type: ignore[return-value]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_the_dashboard_download_is_refused_to_whoever_does_not_see_the_dashboard(
        client, p, cycle, who):
    client.force_login(getattr(p, who).user)

    response = ask(client, "cycles.dashboard", p.top.pk, cycle=str(cycle.pk), format="csv")

    assert response.status_code == 404
    assert not Rendering.objects.exists()


@pytest.mark.parametrize(("parameters", "field", "message"), [
    ({"format": "pdf"}, "format", "Choose one of the formats csv, xlsx."),
    ({"format": "csv", "cycle": "2026a"}, "cycle", "Name the cycle by its id."),
])
def test_a_bad_parameter_of_the_dashboard_is_refused_and_nothing_is_asked(
        client, p, cycle, parameters, field, message):
    client.force_login(p.hr.user)

    response = ask(client, "cycles.dashboard", p.top.pk, **{"cycle": str(cycle.pk),
                                                             **parameters})

    assert (response.status_code, said(response)["errors"]) == (422, {field: [message]})
    assert not Rendering.objects.exists()


# The training demand ------------------------------------------------------------------------


def _signed_with_hr_action(p):
    org = p.employee.organisation
    development.seeded(org)
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren",
                            priority=Priority.MEDIUM_TERM)
    plans.plan_hr_action_add(actor=viewer(p.manager), item=item, description="Boek bestellen",
                             action=development.action(org, "zelfstudie"))
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    return org


def test_hr_gets_the_training_demand_download_the_page_offers(client, p):
    org = _signed_with_hr_action(p)
    client.force_login(p.hr.user)

    page = client.get(reverse("training_demand_export", args=[org.pk, "csv"]))
    summary = fetched(client, ask(client, "development.training_demand", org.pk,
                                  format="csv"))
    detail = fetched(client, ask(client, "development.training_demand", org.pk,
                                 format="xlsx", table="detail", status="requested"))

    assert csv_rows(summary.content) == csv_rows(page.content)
    assert csv_rows(summary.content)[1][:3] == ["Self-study", "Structuring work", "1"]
    sheet = openpyxl.load_workbook(io.BytesIO(detail.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert (values[1][2], values[1][5]) == (p.employee.full_name, "Boek bestellen")


def test_the_training_demand_filtered_on_arranged_holds_none_yet(client, p):
    org = _signed_with_hr_action(p)
    client.force_login(p.hr.user)

    arranged = fetched(client, ask(client, "development.training_demand", org.pk,
                                   format="csv", status="arranged"))

    assert len(csv_rows(arranged.content)) == 1  # the headings alone


@pytest.mark.parametrize("who", ["employee", "manager", "outsider"])
def test_the_training_demand_download_is_refused_to_others_than_hr(client, p, who):
    org = _signed_with_hr_action(p)
    client.force_login(getattr(p, who).user)

    response = ask(client, "development.training_demand", org.pk, format="csv")

    assert response.status_code == 404
    assert not Rendering.objects.exists()


def test_hr_of_another_subtree_gets_only_the_demand_of_its_own_subtrees(client, p):
    org = _signed_with_hr_action(p)
    client.force_login(p.team_hr.user)

    download = fetched(client, ask(client, "development.training_demand", org.pk,
                                   format="csv", table="detail"))

    assert "Boek bestellen" not in download.content.decode("utf-8-sig")


@pytest.mark.parametrize(("parameters", "field", "message"), [
    ({"format": "pdf"}, "format", "Choose one of the formats csv, xlsx."),
    ({"format": "csv", "table": "all"}, "table", "Choose one of summary, detail."),
    ({"format": "csv", "status": "done"}, "status", "Choose one of requested, arranged."),
])
def test_a_bad_parameter_of_the_training_demand_is_refused_and_nothing_is_asked(
        client, p, parameters, field, message):
    org = _signed_with_hr_action(p)
    client.force_login(p.hr.user)

    response = ask(client, "development.training_demand", org.pk, **parameters)

    assert (response.status_code, said(response)["errors"]) == (422, {field: [message]})
    assert not Rendering.objects.exists()
