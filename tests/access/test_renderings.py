"""PDFs are laid out by a task worker within a budget of pages and seconds, never in a
request; only the requester follows and downloads them, while still allowed."""

import datetime as dt
import multiprocessing

import pytest
import weasyprint
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from koers.access import layout, renderings
from koers.access import services as access_services
from koers.access.models import AccessRead, Rendering, RenderingState, Scope
from koers.access.tasks import renderings_purge_task
from koers.core import clock
from koers.core.models import User
from koers.evaluations.models import Evaluation
from koers.evaluations.states import EvaluationState as S
from koers.organisation.models import Person
from tests import personas
from tests.factories import evaluations as ev
from tests.factories.renderings import rendering_of, work_off

pytestmark = pytest.mark.django_db

DAYS = ev.days()
LONG = "Een lange toelichting bij het verslag, met elk detail van het jaar. " * 140


@pytest.fixture
def c() -> ev.Cast:
    return ev.cast(personas.build())


@pytest.fixture
def delivered(c: ev.Cast) -> Evaluation:
    return ev.reach(c, S.DELIVERED)


def _client(person: Person) -> Client:
    User.objects.filter(pk=person.user_id).update(language="en")
    client = Client()
    client.force_login(person.user)
    return client


def _status(client: Client, rendering: Rendering, **headers: str) -> str:
    response = client.get(reverse("rendering_detail", args=[rendering.pk]), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _refuse_layout(*args: object, **kwargs: object) -> None:
    raise AssertionError("WeasyPrint ran in the request")


def test_asking_lays_nothing_out_and_enqueues_the_worker_once_committed(
        c, delivered, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(weasyprint, "HTML", _refuse_layout)
    monkeypatch.setattr(renderings, "lay_out", _refuse_layout)
    client = _client(c.employee)

    with ev.on(DAYS["employee"]), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation_pdf", args=[delivered.pk]))

    rendering = rendering_of(response)
    assert response["Location"] == reverse("rendering_detail", args=[rendering.pk])
    # The report's own language (the employee's record: Dutch), though Marc reads Koers in
    # English: a legal document comes in the language it was written in (docs/evaluations.md).
    assert (rendering.state, rendering.kind, rendering.subject_id, rendering.language) == (
        RenderingState.QUEUED, "evaluations.report", delivered.pk, "nl")
    assert rendering.requester_id == c.employee.user_id
    assert rendering.content is None
    assert "Marc did what was agreed." in rendering.html
    task = DBTaskResult.objects.get()
    assert task.task_path == "koers.access.tasks.render_task"
    assert task.args_kwargs == {"args": [rendering.pk], "kwargs": {}}


def test_the_page_follows_the_worker_and_offers_the_download(c, delivered):
    client = _client(c.employee)
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        waiting = _status(client, rendering)
        partial = _status(client, rendering, **{"HX-Request": "true"})
        early = client.get(reverse("rendering_download", args=[rendering.pk]))

        assert work_off() == ["ready"]
        ready = _status(client, rendering, **{"HX-Request": "true"})
        pdf = client.get(reverse("rendering_download", args=[rendering.pk]))

    assert "Your document is being prepared" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting
    assert 'href="/documents/' in waiting  # a reload link without script
    assert partial.lstrip().startswith('<div id="rendering-status"')
    assert "<html" not in partial
    assert early.status_code == 302
    assert early["Location"] == f"/documents/{rendering.pk}/"
    assert "hx-trigger" not in ready
    assert "Your document is ready" in ready
    assert f'href="/documents/{rendering.pk}/download"' in ready
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == \
        'attachment; filename="evaluatie-marc-vandamme-2025-v1.pdf"'  # the report's language
    assert "no-store" in pdf["Cache-Control"]
    rendering.refresh_from_db()
    assert (rendering.html, rendering.stylesheet) == ("", "")  # laid out: no longer kept
    assert rendering.pages
    assert rendering.finished_at is not None


def test_the_same_document_is_made_once_and_a_changed_one_again(c):
    evaluation = ev.annual(c, day=DAYS["open"])
    client = _client(c.first)
    url = reverse("evaluation_pdf", args=[evaluation.pk])
    with ev.on(DAYS["open"]):
        ev.write_report(c, evaluation)
        first = rendering_of(client.post(url))
        again = rendering_of(client.post(url))  # still queued
        work_off()
        ready = rendering_of(client.post(url))  # ready
        ev.write_report(c, evaluation, overall="Marc did more than was agreed.")
        changed = rendering_of(client.post(url))

    assert first.pk == again.pk == ready.pk
    assert changed.pk != first.pk
    assert changed.state == RenderingState.QUEUED
    assert Rendering.objects.count() == 2
    # Another reader asking for the same document gets a rendering of their own.
    with ev.on(DAYS["open"]):
        assert c.second is not None
        theirs = rendering_of(_client(c.second).post(url))
    assert theirs.pk not in (first.pk, changed.pk)


def test_a_document_of_too_many_pages_is_over_budget_and_says_why(c, settings):
    settings.KOERS_PDF_MAX_PAGES = 1
    evaluation = ev.annual(c, day=DAYS["open"])
    client = _client(c.first)
    with ev.on(DAYS["open"]):
        ev.write_report(c, evaluation, overall=LONG)
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[evaluation.pk])))
        assert work_off() == ["over_budget"]
        page = _status(client, rendering)
        download = client.get(reverse("rendering_download", args=[rendering.pk]))
        again = rendering_of(client.post(reverse("evaluation_pdf", args=[evaluation.pk])))

    rendering.refresh_from_db()
    assert (rendering.state, rendering.reason, rendering.content) == (
        RenderingState.OVER_BUDGET, "pages", None)
    assert rendering.pages is not None
    assert rendering.pages > 1
    assert "Your document could not be made" in page
    assert "more pages than Koers makes in one PDF (at most 1)" in page
    assert "hx-trigger" not in page
    assert download.status_code == 302  # nothing to download: back to its page
    assert again.pk == rendering.pk  # it would be too long again


def test_a_layout_past_the_time_budget_is_stopped(c, delivered, settings):
    settings.KOERS_PDF_MAX_SECONDS = 0.001
    client = _client(c.employee)
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        assert work_off() == ["over_budget"]
        page = _status(client, rendering)
        settings.KOERS_PDF_MAX_SECONDS = 60
        again = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))

    rendering.refresh_from_db()
    assert (rendering.state, rendering.reason) == (RenderingState.OVER_BUDGET, "time")
    assert "took longer than Koers allows" in page
    assert again.pk != rendering.pk  # time may be found another time: it tries again
    with ev.on(DAYS["employee"]):
        assert work_off() == ["ready"]


def test_a_dutch_reader_reads_the_state_in_dutch(c, delivered):
    client = _client(c.employee)
    User.objects.filter(pk=c.employee.user_id).update(language="nl")
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        page = _status(client, rendering)

    assert "Je document wordt klaargemaakt" in page
    assert rendering.language == "nl"  # the employee's language


def test_asking_for_a_pdf_is_a_post_and_a_get_writes_nothing(c, delivered):
    client = _client(c.first)
    with ev.on(DAYS["employee"]):
        page = client.get(reverse("evaluation_pdf", args=[delivered.pk]))
        api = client.get(f"/api/v1/evaluations/{delivered.pk}/pdf")
    assert (page.status_code, api.status_code) == (405, 405)
    assert not Rendering.objects.exists()


def test_only_the_requester_sees_and_downloads_a_rendering(c, delivered):
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(_client(c.first).post(
            reverse("evaluation_pdf", args=[delivered.pk])))
        work_off()
        # The employee may read the report, but the rendering is the 1st evaluator's.
        for person in (c.employee, c.outsider, c.hr):
            client = _client(person)
            assert client.get(reverse("rendering_detail", args=[rendering.pk])).status_code \
                == 404
            assert client.get(reverse("rendering_download", args=[rendering.pk])).status_code \
                == 404
            assert client.get(f"/api/v1/renderings/{rendering.pk}").status_code == 404
            assert client.get(f"/api/v1/renderings/{rendering.pk}/pdf").status_code == 404
        # Nor may one ask for a document one may not read.
        assert _client(c.outsider).post(
            reverse("evaluation_pdf", args=[delivered.pk])).status_code == 404
    assert Rendering.objects.count() == 1


def test_hr_under_a_grant_is_logged_at_the_download_and_refused_once_it_ended(c, delivered):
    day = DAYS["employee"]
    client = _client(c.hr)
    with ev.on(day):
        hr = ev.viewer(c.hr)
        request = access_services.access_request_create(
            actor=hr, subject=c.employee, scope=Scope.EVALUATIONS, reason="Beroep",
            valid_from=hr.on, valid_until=hr.on)
        assert c.second is not None
        access_services.access_request_decide(actor=ev.viewer(c.second), request=request,
                                              grant=True)
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        work_off()
        before = AccessRead.objects.filter(reader=c.hr).count()
        first = client.get(reverse("rendering_download", args=[rendering.pk]))
        after = AccessRead.objects.filter(reader=c.hr).count()
    with ev.on(day + dt.timedelta(days=1)):  # the grant has ended; the PDF has not expired
        status = client.get(reverse("rendering_detail", args=[rendering.pk]))
        second = client.get(reverse("rendering_download", args=[rendering.pk]))

    assert before == 0  # asking reads nothing: the download is the read
    assert first.status_code == 200
    assert after == 1
    assert AccessRead.objects.get(reader=c.hr).record_id == str(delivered.pk)
    assert (status.status_code, second.status_code) == (404, 404)
    assert AccessRead.objects.filter(reader=c.hr).count() == 1


def test_expired_renderings_are_refused_and_purged(c, delivered):
    client = _client(c.employee)
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        work_off()
    later = ev.moment(DAYS["employee"]) + dt.timedelta(hours=25)
    with clock.frozen(later):
        page = client.get(reverse("rendering_detail", args=[rendering.pk]))
        fresh = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        purged = renderings_purge_task.call()

    assert page.status_code == 404
    assert purged == 1
    assert list(Rendering.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_status_page_reads_a_fixed_number_of_queries(c, delivered):
    client = _client(c.employee)
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        client.get(reverse("rendering_detail", args=[rendering.pk]))  # warm the session
        with CaptureQueriesContext(connection) as waiting:
            _status(client, rendering, **{"HX-Request": "true"})
        work_off()
        with CaptureQueriesContext(connection) as ready:
            _status(client, rendering)

    assert len(waiting) <= 12, [q["sql"] for q in waiting.captured_queries]
    assert len(ready) <= 12, [q["sql"] for q in ready.captured_queries]
    assert not any('"pdf"' in q["sql"] or '"html"' in q["sql"]
                   for q in ready.captured_queries)  # the content stays in the database


def test_my_data_is_exported_when_asked_and_is_mine_alone(c):
    p_employee = c.employee
    client = _client(p_employee)
    rendering = rendering_of(client.post(reverse("my_data_pdf")))
    assert work_off() == ["ready"]
    pdf = client.get(reverse("rendering_download", args=[rendering.pk]))

    assert pdf.content.startswith(b"%PDF")
    assert rendering.subject_id == p_employee.pk
    assert _client(c.first).get(reverse("rendering_download", args=[rendering.pk])) \
        .status_code == 404


# The API -------------------------------------------------------------------------------------


def test_the_api_asks_follows_and_downloads(c, delivered):
    client = _client(c.first)
    with ev.on(DAYS["employee"]):
        asked = client.post("/api/v1/renderings", {
            "kind": "evaluations.report", "subject_id": delivered.pk, "language": "en"},
            content_type="application/json")
        early = client.get(f"/api/v1/renderings/{asked.json()['id']}/pdf")
        work_off()
        status = client.get(asked["Location"])
        pdf = client.get(status.json()["pdf_url"])
        unknown = client.post("/api/v1/renderings", {"kind": "nonsense", "subject_id": 1},
                              content_type="application/json")

    body = asked.json()
    assert asked.status_code == 202
    assert asked["Location"] == f"http://testserver/api/v1/renderings/{body['id']}"
    assert (body["state"], body["pdf_url"], body["language"]) == ("queued", None, "en")
    assert early.status_code == 409
    assert early.json()["code"] == "not_ready"
    assert early["Content-Type"] == "application/problem+json"
    assert status.json()["state"] == "ready"
    assert status.json()["pages"] >= 1
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert unknown.status_code == 404


def test_the_evaluation_pdf_operation_answers_202_with_the_rendering(c, delivered):
    client = _client(c.first)
    with ev.on(DAYS["employee"]):
        english = client.post(f"/api/v1/evaluations/{delivered.pk}/pdf?language=en")
        again = client.post(f"/api/v1/evaluations/{delivered.pk}/pdf?language=en")
        spanish = client.post(f"/api/v1/evaluations/{delivered.pk}/pdf?language=es")

    assert english.status_code == 202
    assert english["Location"].endswith(f"/api/v1/renderings/{english.json()['id']}")
    assert again.json()["id"] == english.json()["id"]
    assert spanish.status_code == 422  # a language Koers does not speak
    assert spanish.json()["errors"]["language"]


def test_a_layout_that_fails_is_failed_with_its_reason(c, delivered, monkeypatch):
    monkeypatch.setattr(renderings, "lay_out", lambda *args, **kwargs: ("error", 0, b""))
    client = _client(c.employee)
    with ev.on(DAYS["employee"]):
        rendering = rendering_of(client.post(reverse("evaluation_pdf", args=[delivered.pk])))
        assert work_off() == ["failed"]
        assert renderings.rendering_run(rendering.pk) == ""  # a second run finds it done
        page = _status(client, rendering)

    rendering.refresh_from_db()
    assert (rendering.state, rendering.reason, rendering.content) == (
        RenderingState.FAILED, "error", None)
    assert "The document could not be prepared." in page


def test_the_child_answers_an_error_instead_of_dying(monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("broken HTML")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    receiver, sender = multiprocessing.Pipe(duplex=False)
    layout.lay_out_in_child("<p>x</p>", "", 10, sender)

    assert receiver.recv() == ("error", 0, b"")
