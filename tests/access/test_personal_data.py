"""An employee downloads everything Koers holds about them: page, JSON, PDF and API."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from koers.access import personal_data
from koers.access.personal_data import ExportContext, Part, build_export, exporters
from koers.audit.models import AuditEvent
from koers.audit.services import chain_of
from koers.core import clock
from koers.evaluations.states import EvaluationState
from koers.organisation.models import Person, PolicyPreset
from tests import personas
from tests.access import data
from tests.factories import development as dev
from tests.factories import evaluations as ev
from tests.factories import renderings

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
SECTIONS = ["person", "participations", "goals", "conversations", "access", "notifications",
            "audit"]


@pytest.fixture
def p() -> personas.Personas:
    with clock.frozen(NOON):
        world = personas.build()
        data.fill(world, world.employee)
    return world


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_export_holds_every_room_in_order(p):
    with clock.frozen(NOON):
        export = build_export(p.employee, now=clock.now()).as_json()

    sections = export["sections"]
    # Other rooms' parts come in between, each at its own place.
    assert [key for key in sections if key in SECTIONS] == SECTIONS
    assert sections["person"][0]["last_name"] == "Vandamme"
    assert sections["person"][0]["absences"][0]["kind"] == "sickness"
    assert sections["goals"][0]["title"] == f"{data.GOAL_TITLE} 0"
    assert sections["goals"][0]["notes"][0]["text"] == f"{data.NOTE} 0"
    assert sections["conversations"][0]["agenda"][-1]["text"] == f"{data.AGENDA} 0"
    assert sections["participations"][0]["year"] == 2026
    assert sections["access"][0]["reason"] == data.REASON
    assert sections["access"][0]["status"] == "granted"
    assert [read["record_label"] for read in sections["access"][0]["reads"]] == [
        f"{data.GOAL_TITLE} 0"]
    # The grant told the employee (the decision's own notification).
    assert [n["kind"] for n in sections["notifications"]] == ["access.granted_to_employee"]
    actions = {event["action"] for event in sections["audit"]}
    assert {"goal.proposed", "conversation.scheduled", "access_request.granted",
            "access_request.read"} <= actions


def test_the_export_takes_as_many_queries_for_three_of_everything_as_for_one(p):
    with clock.frozen(NOON):
        data.fill(p, p.colleague, goals=3)
        with CaptureQueriesContext(connection) as one:
            build_export(p.employee, now=clock.now())
        with CaptureQueriesContext(connection) as three:
            three_goals = build_export(p.colleague, now=clock.now())

    assert len(three_goals.as_json()["sections"]["goals"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
    assert len(one.captured_queries) <= 38  # + improvement plans, probations, unfitness answers,
    # reminders about late steps, planning signatures, mediations, changes of working time


def test_the_page_shows_the_data_and_records_the_export(p):
    with clock.frozen(NOON):
        response = _client(p.employee).get("/me/data/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{data.GOAL_TITLE} 0" in page
    assert data.REASON in page
    assert 'href="/me/data.json"' in page
    event = AuditEvent.objects.filter(chain=chain_of(p.employee)).latest("seq")
    assert (event.action, event.changes) == ("personal_data.exported", {"format": "page"})


def test_the_page_and_the_pdf_show_the_evaluation_and_the_development_plan(p):
    c = ev.cast(p)
    ev.reach(c, EvaluationState.COMPLETED)
    with clock.frozen(NOON):
        dev.signed(p.employee, p.manager)
        client = _client(p.employee)
        page = client.get("/me/data/").content.decode()
        pdf = renderings.download(client, "/me/data.pdf")

    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf.content)).pages)
    for part in ("part-evaluations", "part-development", "part-work_plans"):
        assert f'id="{part}"' in page
    assert "Jaarlijkse evaluatie, evaluatieperiode 2025" in page
    assert "Versies van het verslag" in page
    assert "Marc did what was agreed." in page  # the delivered report, in its table
    assert "Persoonlijk ontwikkelingsplan" in page
    assert dev.SMART_GOAL in page
    assert "Jaarlijkse evaluatie, evaluatieperiode 2025" in text
    assert "Persoonlijk ontwikkelingsplan" in text


def test_the_json_download_is_the_export(p):
    with clock.frozen(NOON):
        response = _client(p.employee).get("/me/data.json")

    body = json.loads(response.content)
    assert response["Content-Disposition"] == \
        f'attachment; filename="koers-{p.employee.pk}-20260302.json"'
    assert body["format"] == personal_data.FORMAT
    assert body["person"]["name"] == "Marc Vandamme"
    assert body["sections"]["goals"][0]["title"] == f"{data.GOAL_TITLE} 0"
    assert AuditEvent.objects.filter(action="personal_data.exported",
                                     changes={"format": "json"}).count() == 1


def test_the_pdf_reads_in_the_users_language(p):
    with clock.frozen(NOON):
        response = renderings.download(_client(p.employee), "/me/data.pdf",
                                       HTTP_ACCEPT_LANGUAGE="nl")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert "Marc Vandamme" in text
    assert f"{data.GOAL_TITLE} 0" in text
    assert "Doelstellingen" in text


def test_the_api_returns_the_same_export(p):
    with clock.frozen(NOON):
        body = _client(p.employee).get("/api/v1/me/personal-data").json()

    assert body["sections"]["access"][0]["reason"] == data.REASON
    assert AuditEvent.objects.filter(action="personal_data.exported").count() == 1


def test_a_login_without_a_person_has_no_data_to_download(p):
    from koers.core.models import User

    client = Client()
    client.force_login(User.objects.create_user(email="los@example.test", password="x"))

    assert client.get("/me/data/").status_code == 404
    assert client.get("/me/data.json").status_code == 404
    assert client.get("/api/v1/me/personal-data").status_code == 404
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_a_colleagues_export_holds_nothing_of_the_employee(p):
    with clock.frozen(NOON):
        page = _client(p.colleague).get("/me/data/").content.decode()

    assert data.GOAL_TITLE not in page
    assert data.REASON not in page
    assert "Vandamme" not in page


def test_the_home_page_links_to_my_data(p):
    assert 'href="/me/data/"' in _client(p.employee).get("/").content.decode()


# The registry --------------------------------------------------------------------------------

# Models that point at a person or a login but are not that person's data.
NOT_ABOUT_THEM = {
    "organisation.unit": "its manager is a fact of the unit",
    "organisation.importbatch": "who uploaded it; emptied once applied, deleted by retention",
    "rulebook.policychange": "who changed the organisation's policy",
    "access.employersignin": "who last changed the organisation's employer sign-in",
    "cycles.cycle": "who opened the cycle",
    "development.recommendation": "who last changed a cell of the catalogue's matrix",
    # Showing a prober their own log would tell them what was noticed (docs/access.md).
    "access.refusal": "the security log, for the security officer",
    "access.rendering": "a PDF asked for: a copy of what the export holds, kept a day",
}


def _points_at_someone(model: type[models.Model]) -> bool:
    targets = {Person, apps.get_model(settings.AUTH_USER_MODEL)}
    return any(isinstance(f, models.ForeignKey) and f.related_model in targets
               for f in model._meta.get_fields())


def test_every_model_about_a_person_is_in_some_export():
    covered = {model._meta.label_lower for e in exporters() for model in e.covers}
    missing = sorted(
        model._meta.label_lower for model in apps.get_models()
        if model._meta.app_config.name.startswith("koers.")
        and _points_at_someone(model)
        and model._meta.label_lower not in covered | set(NOT_ABOUT_THEM)
    )

    assert missing == [], "register an exporter covering these (access/personal_data.py)"


def test_a_second_exporter_under_the_same_key_is_refused():
    def other(context: ExportContext) -> Part:
        return Part("goals", "", [])

    with pytest.raises(ValueError, match="registered twice"):
        personal_data.register_exporter("goals", order=30)(other)


@pytest.mark.parametrize(("moment", "read"), [
    # Winter: Brussels is UTC+1; summer: UTC+2. Every other page shows local time too.
    (dt.datetime(2027, 1, 15, 8, 30, tzinfo=dt.UTC), "15 januari 2027 09:30"),
    (dt.datetime(2027, 7, 15, 8, 30, tzinfo=dt.UTC), "15 juli 2027 10:30"),
])
def test_times_read_in_local_time_like_every_other_page(moment, read):
    with translation.override("nl"):
        assert personal_data.shown(moment) == read


@pytest.mark.parametrize(("preset", "signed"), [
    # Gemeente Heemstede, "Cyclus van jaargesprekken": the leidinggevende signs alone.
    (PolicyPreset.DUTCH_MUNICIPAL, ["Ondertekend door de leidinggevende"]),
    # BOSA, "Evaluatie — betrokkenen": the evaluator, then the hierarchical superior.
    (PolicyPreset.FEDERAL, ["Ondertekend door de evaluator",
                            "Ondertekend door de hiërarchische meerdere"]),
])
def test_the_history_names_the_signers_in_the_regime_words(p, preset, signed):
    c = ev.cast(p, preset=preset)
    ev.reach(c, EvaluationState.DELIVERED, verdict="")
    with translation.override("nl"):
        export = build_export(p.employee, now=NOON)
        (audit,) = [part for part in export.parts if part.key == "audit"]
        titles = [str(record.title) for record in audit.records]

    assert [title for title in titles if title.startswith("Ondertekend door")] == \
        list(reversed(signed))  # newest first
    assert not any("1ste evaluator" in title or "2de evaluator" in title for title in titles)
