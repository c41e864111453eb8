"""Cross-site scripting: what people type is shown as text on every page, never as markup.

The authorization matrix's world (tests/access/matrix.py: built through the services,
one object of each kind, each with its typed texts) gets the payloads put in front of
every text a user types (``TYPED``): names of people, units and the organisation, goals
and their comments, conversation notes and reports, work plans, self-evaluations and
reports with their remarks and objections, appeals, the development catalogue, POP
rows, preparations, HR's notes… Then every page (``GET``, from the URL resolver) is
read as each relation that may read it, and no HTML answer may hold a payload as it was
typed. A PDF is read back too: a payload shown as text there was escaped in its HTML.

Signed records cannot change (evaluations/migrations/0003): their rows keep the text
they were signed with and are counted as such.
"""

import io

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction
from django.test import Client
from pypdf import PdfReader

from tests.access import matrix
from tests.factories import renderings
from tests.security import figures

pytestmark = pytest.mark.django_db

REPORT = "XSS"
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
            "'><svg onload=alert(1)>")
TYPED = {
    "core.User": ["first_name", "last_name"],
    "organisation.Organisation": ["name"],
    "organisation.Unit": ["name"],
    "organisation.Person": ["first_name", "last_name", "job_title"],
    "organisation.EffectiveWork": ["note"],
    "organisation.EvaluatorOverride": ["reason"],
    "organisation.ImportBatch": ["file_name"],
    "access.AccessRequest": ["reason"],
    "access.ApiToken": ["name"],
    "cycles.Participation": ["period_agreement_note"],
    "goals.Goal": ["title", "description", "measure", "means"],
    "goals.GoalChange": ["reason"],
    "goals.GoalComment": ["text"],
    "conversations.Conversation": ["location", "notes", "report", "improvement_points"],
    "conversations.AgendaItem": ["text"],
    "conversations.WorkPlan": ["expected_performance", "competencies", "development_wishes",
                               "support", "manager_comments"],
    "conversations.WorkPlanAmendment": ["change", "reason"],
    "evaluations.Evaluation": ["person_name", "draft_remarks", "self_evaluation",
                               "closed_reason"],
    "evaluations.SelfEvaluationItem": ["goal_title", "text"],
    "evaluations.EvaluationReport": ["overall", "correction_reason"],
    "evaluations.ReportItem": ["goal_title", "text"],
    "evaluations.Signature": ["signer_name", "remarks"],
    "evaluations.Objection": ["text"],
    "consequences.Appeal": ["grounds", "hearing_notes", "decision_remarks"],
    "consequences.SalaryObjection": ["grounds", "advice", "final_remarks"],
    # Catalogue texts: {language code: text}, every language's text typed.
    "development.CompetencyCluster": ["names"],
    "development.Competency": ["names", "descriptions"],
    "development.DevelopmentAction": ["names", "definitions"],
    "development.CompetencyProfile": ["job_title"],
    "development.TrainingPlan": ["title", "objectives"],
    "development.SelfScan": ["who_am_i", "energy", "what_do_i_want", "what_can_i_do",
                             "acquired_elsewhere", "next_step"],
    "development.EmployeePreparation": ["strengths", "ambitions", "competencies_to_develop",
                                        "desired_training"],
    "development.DepartmentPreparation": ["staffing", "strengths", "weaknesses",
                                          "opportunities", "threats"],
    "development.ManagerPreparation": ["overall_impression", "growth_possibilities",
                                       "other_remarks"],
    "development.DevelopmentPlan": ["employee_remarks"],
    "development.PlanItem": ["success_indicators"],
    "development.PlanGoal": ["text", "term_note"],
    "development.FollowUpEntry": ["text"],
    "development.PlanMeans": ["description", "term_note"],
    "development.HrAction": ["description", "arranged_note"],
}
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# Who reads a page about the caller (no object in its URL).
OWN_READERS = (matrix.Rel.EMPLOYEE, matrix.Rel.FIRST, matrix.Rel.HR)


def _typed(value: str) -> str:
    return " ".join([*PAYLOADS, value])


def _typed_field(value: str | dict[str, str] | None) -> str | dict[str, str]:
    if isinstance(value, dict):  # a text per language
        return {code: _typed(text) for code, text in value.items()} or {"nl": _typed("")}
    return _typed(value or "")


def _write_payloads() -> tuple[int, int]:
    """Put the payloads in front of every typed text; the fields written and the signed
    rows that kept their text."""
    written = kept = 0
    for label, names in TYPED.items():
        model = apps.get_model(label)
        for row in model.objects.all():
            changes = {name: _typed_field(getattr(row, name)) for name in names}
            try:
                with transaction.atomic():
                    model.objects.filter(pk=row.pk).update(**changes)
            except DatabaseError:
                kept += 1
                continue
            written += len(changes)
    return written, kept


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = matrix.build()
        written, kept = _write_payloads()
        yield built, written, kept
        transaction.set_rollback(True)


def _readers(endpoint: matrix.Endpoint) -> list[matrix.Rel]:
    allowed = matrix.EXPECTED[endpoint.key]
    return list(OWN_READERS) if allowed is None else [
        rel for rel in matrix.Rel if rel in allowed and rel != matrix.Rel.ANONYMOUS]


PAGES = [e for e in matrix.endpoints() if not e.api]


def test_no_page_shows_a_typed_payload_as_markup(world):
    built, written, kept = world
    unescaped: list[str] = []
    pages = pages_with_text = pdfs = pdfs_with_text = 0

    for endpoint in PAGES:
        url = matrix.url_of(endpoint, built.ids)
        assert url is not None, endpoint.key
        for rel in _readers(endpoint):
            user = built.users[rel]
            assert user is not None
            client = Client()
            client.force_login(user)
            with transaction.atomic():
                # A PDF is asked for with a POST, laid out by the worker, then downloaded.
                response = renderings.download(client, url) \
                    if endpoint.key.endswith("_pdf") else client.get(url)
                transaction.set_rollback(True)
            kind = response.get("Content-Type", "")
            if kind.startswith("application/pdf"):
                pdfs += 1
                text = " ".join(page.extract_text() for page in
                                PdfReader(io.BytesIO(response.content)).pages)
                pdfs_with_text += PAYLOADS[0] in text
            if not kind.startswith("text/html") or response.status_code != 200:
                continue
            pages += 1
            body = response.content.decode()
            pages_with_text += ESCAPED in body
            unescaped += [f"GET {url} ({endpoint.key}) as {rel}: {payload}"
                          for payload in PAYLOADS if payload in body]

    figures.record(REPORT, "payloads", len(PAYLOADS))
    figures.record(REPORT, "typed fields written", written)
    figures.record(REPORT, "signed rows that kept their text", kept)
    figures.record(REPORT, "pages rendered (HTML, 200)", pages)
    figures.record(REPORT, "pages showing a payload as text", pages_with_text)
    figures.record(REPORT, "PDFs rendered", pdfs)
    figures.record(REPORT, "PDFs showing the payload as text", pdfs_with_text)
    figures.record(REPORT, "unescaped occurrences", len(unescaped))
    assert written > 150
    assert pages > 200
    assert pages_with_text > 100
    assert unescaped == []
