"""Reads of a person's content under a granted request are logged by the rooms' selectors,
once for both faces: every page and API operation that returns such content writes one
row per record it returns, and the employee sees each of them (docs/access.md)."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import koers.api
import koers.web
from koers.access import services as access_services
from koers.access.models import AccessRead, AccessRequest
from koers.consequences.models import CaseFileRead
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind
from koers.development.models import DevelopmentPlan
from koers.goals.models import Goal
from tests.access import matrix
from tests.factories import goals as goal_factories
from tests.factories.renderings import rendering_of, work_off

pytestmark = pytest.mark.django_db

# Names only domain code calls: a face that logs by hand, or decides by itself whether a
# read is under a grant, has taken over the selector's job.
DOMAIN_ONLY = ("access_read_log", "access_reads_log", "file_read_log", "read_under_grant")


def _face_modules() -> list[Path]:
    return [path for package in (koers.web, koers.api)
            for path in sorted(Path(package.__file__).parent.rglob("*.py"))]


def test_no_page_or_api_operation_logs_a_read_by_hand() -> None:
    offenders = []
    for path in _face_modules():
        tree = ast.parse(path.read_text())
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
            node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} | {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names}
        offenders += [f"{path.name}: {name}" for name in DOMAIN_ONLY if name in names]

    assert len(_face_modules()) > 40  # the walk found the faces
    assert offenders == []


# Every face that returns a person's content, as HR under a grant ---------------------


def _world() -> matrix.World:
    """The matrix's world, the employee with three goals and three conversations, and
    HR's request for all content granted by the 2nd evaluator."""
    world = matrix.build()
    p = world.people
    for n in (2, 3):
        goal_factories.proposed(p.employee, title=f"Doel {n}")
        starts = dt.datetime(2099, 4, n, 10, tzinfo=dt.UTC)
        conversation_services.conversation_schedule(
            actor=goal_factories.viewer(p.employee), employee=p.employee,
            kind=ConversationKind.FOLLOW_UP, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1), location="Lokaal 2")
    access_services.access_request_decide(
        actor=goal_factories.viewer(world.second),
        request=AccessRequest.objects.get(pk=world.ids["access_request"]), grant=True)
    return world


def _operations(world: matrix.World) -> dict[str, str]:
    ids = world.ids
    person, goal, evaluation = ids["person"], ids["goal"], ids["evaluation"]
    plan, work_plan = ids["development_plan"], ids["work_plan"]
    return {
        "person goals (page)": reverse("person_goals", args=[person]),
        "person goals (API)": f"/api/v1/people/{person}/goals",
        "goal detail (page)": reverse("goal_detail", args=[goal]),
        "goal detail (API)": f"/api/v1/goals/{goal}",
        "person conversations (page)": reverse("person_conversations", args=[person]),
        "person conversations (API)": f"/api/v1/people/{person}/conversations",
        "conversation detail (page)": reverse("conversation_detail",
                                              args=[ids["conversation"]]),
        "conversation detail (API)": f"/api/v1/conversations/{ids['conversation']}",
        "work plans (page)": reverse("person_work_plans", args=[person]),
        "work plans (API)": f"/api/v1/people/{person}/work-plans",
        "work plan detail (page)": reverse("work_plan_detail", args=[work_plan]),
        "work plan detail (API)": f"/api/v1/work-plans/{work_plan}",
        "evaluations (page)": reverse("person_evaluations", args=[person]),
        "evaluations (API)": f"/api/v1/people/{person}/evaluations",
        "evaluation (page)": reverse("evaluation_detail", args=[evaluation]),
        "evaluation (API)": f"/api/v1/evaluations/{evaluation}",
        "evaluation versions (API)": f"/api/v1/evaluations/{evaluation}/versions",
        "evaluation PDF (page)": reverse("evaluation_pdf", args=[evaluation]),
        "evaluation PDF (API)": f"/api/v1/evaluations/{evaluation}/pdf",
        "POP plans (page)": reverse("person_development", args=[person]),
        "POP plans (API)": f"/api/v1/people/{person}/development-plans",
        "POP plan (page)": reverse("development_plan", args=[plan]),
        "POP plan (API)": f"/api/v1/development-plans/{plan}",
        "POP plan PDF (page)": reverse("development_plan_pdf", args=[plan]),
    }


def test_every_read_of_content_under_a_grant_writes_one_row_per_record_returned() -> None:
    world = _world()
    p = world.people
    employee = p.employee
    goals = Goal.objects.filter(owner=employee).count()
    conversations = Conversation.objects.filter(employee=employee).count()
    plans = DevelopmentPlan.objects.filter(employee=employee).count()
    hr = Client()
    hr.force_login(p.hr.user)

    rows: dict[str, int] = {}
    for name, url in _operations(world).items():
        before = AccessRead.objects.count()
        # A PDF is asked for with a POST (a GET never writes a rendering).
        response = hr.post(url) if "PDF" in name else hr.get(url)
        if "PDF" in name:  # asking reads nothing: the download of the PDF is the read
            assert AccessRead.objects.count() == before, name
            rendering = rendering_of(response)
            work_off()
            response = hr.get(reverse("rendering_download", args=[rendering.pk]))
        assert response.status_code == 200, name
        rows[name] = AccessRead.objects.count() - before

    assert (goals, conversations, plans) == (3, 4, 1)  # 4th: the mediated one
    assert rows == {
        "person goals (page)": goals, "person goals (API)": goals,
        "goal detail (page)": 1, "goal detail (API)": 1,
        "person conversations (page)": conversations,
        "person conversations (API)": conversations,
        "conversation detail (page)": 1, "conversation detail (API)": 1,
        "work plans (page)": 1, "work plans (API)": 1,
        "work plan detail (page)": 1, "work plan detail (API)": 1,
        # HR sees who is evaluated, when and by whom while it monitors the cycle, without
        # a grant: a list of evaluations holds no content, so it is no read under one.
        "evaluations (page)": 0, "evaluations (API)": 0,
        "evaluation (page)": 1, "evaluation (API)": 1, "evaluation versions (API)": 1,
        "evaluation PDF (page)": 1, "evaluation PDF (API)": 1,
        "POP plans (page)": plans, "POP plans (API)": plans,
        "POP plan (page)": 1, "POP plan (API)": 1, "POP plan PDF (page)": 1,
    }
    # "Who looked at my data" shows every read, as the API and as the page.
    reads = list(AccessRead.objects.filter(subject=employee, reader=p.hr))
    assert len(reads) == sum(rows.values()) + 1  # and the matrix's read of an earlier grant
    me = Client()
    me.force_login(employee.user)
    listed = me.get("/api/v1/me/access-reads").json()["items"]
    assert len(listed) == len(reads)
    assert sorted(read["what"] for read in listed) == sorted(r.record_label for r in reads)
    page = me.get(reverse("my_reads")).content.decode()
    assert [read.record_label for read in reads if escape(read.record_label) not in page] == []


def test_the_rows_of_a_list_read_name_each_record_returned() -> None:
    world = _world()
    p = world.people
    hr = Client()
    hr.force_login(p.hr.user)
    before = AccessRead.objects.order_by("pk").last()
    assert before is not None

    returned = [goal["id"]
                for goal in hr.get(f"/api/v1/people/{p.employee.pk}/goals").json()["items"]]

    written = AccessRead.objects.filter(pk__gt=before.pk)
    assert sorted(written.values_list("record_type", "record_id")) == sorted(
        ("goals.goal", str(pk)) for pk in returned)
    assert {read.request_id for read in written} == {world.ids["access_request"]}


def test_a_list_read_under_a_grant_takes_as_many_queries_for_three_goals_as_for_one() -> None:
    world = _world()
    p = world.people
    hr = Client()
    hr.force_login(p.hr.user)
    url = f"/api/v1/people/{p.employee.pk}/goals"
    hr.get(url)  # warm the session and the policy cache

    with CaptureQueriesContext(connection) as three:
        assert len(hr.get(url).json()["items"]) == 3
    Goal.objects.filter(owner=p.employee, title__startswith="Doel").delete()
    with CaptureQueriesContext(connection) as one:
        assert len(hr.get(url).json()["items"]) == 1

    assert len(three.captured_queries) == len(one.captured_queries)


# The bodies' reads of case files -------------------------------------------------------


def test_a_body_member_reading_a_case_file_writes_one_row_per_read_on_both_faces() -> None:
    world = matrix.build()
    ids = world.ids
    board, advisory = Client(), Client()
    board.force_login(world.users[matrix.Rel.APPEAL_BOARD])
    advisory.force_login(world.users[matrix.Rel.ADVISORY_BODY])
    operations = {
        "appeal (page)": (board, reverse("appeal_detail", args=[ids["appeal"]])),
        "appeal (API)": (board, f"/api/v1/appeals/{ids['appeal']}"),
        "appeal file (page)": (board, reverse("appeal_file", args=[ids["appeal"]])),
        "appeal file (API)": (board, f"/api/v1/appeals/{ids['appeal']}/file"),
        "objection (page)": (advisory, reverse("objection_detail",
                                               args=[ids["salary_objection"]])),
        "objection (API)": (advisory, f"/api/v1/objections/{ids['salary_objection']}"),
    }

    rows: dict[str, int] = {}
    for name, (client, url) in operations.items():
        before = CaseFileRead.objects.count()
        assert client.get(url).status_code == 200, name
        rows[name] = CaseFileRead.objects.count() - before

    assert rows == dict.fromkeys(operations, 1)
    # The employee sees each of them under "Who looked at my data".
    me = Client()
    me.force_login(world.people.employee.user)
    page = me.get(reverse("my_reads")).content.decode()
    reads = list(CaseFileRead.objects.filter(subject=world.people.employee))
    assert len(reads) == 6
    assert [read.record_label for read in reads if escape(read.record_label) not in page] == []
