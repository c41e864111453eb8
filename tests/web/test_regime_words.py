"""A Dutch municipality's manager and employee read their regime's words only.

The demo's municipality (``koers demo``): Sanne de Vries manages a department and is
the next-higher manager of a team without one, where Jeroen Bakker holds the
conversations. Their main pages, in Dutch, speak of the "leidinggevende" and the
"evaluatiegesprek" (Gemeente Heemstede, "Cyclus van jaargesprekken"), never of the
Flemish evaluators, statute, salary system or bodies, nor of the federal ones
(``rulebook.terms``)."""

import html
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from koers.access import notifications as access_notifications
from koers.access.policy import Viewer
from koers.consequences import permissions as consequence_permissions
from koers.conversations.permissions import conversations_visible_to
from koers.core.models import User
from koers.cycles.dashboard_table import progress_columns
from koers.cycles.labels import step_label
from koers.cycles.models import Cycle
from koers.evaluations import notifications as evaluation_notifications
from koers.evaluations import pdf
from koers.evaluations.models import Evaluation
from koers.evaluations.permissions import evaluations_visible_to
from koers.evaluations.states import EvaluationState, state_label
from koers.goals.permissions import goals_visible_to
from koers.notify.kinds import render
from koers.organisation import demo
from koers.organisation.models import (
    EmploymentStatus,
    Organisation,
    Person,
    PolicyPreset,
    Role,
)
from koers.rulebook.deadlines import Due
from koers.rulebook.terms import terms_for
from tests import factories

pytestmark = pytest.mark.django_db

# The words of the other two regimes (Dutch catalogue), and the pages about bodies and
# facts a municipality lacks.
FOREIGN_WORDS = (
    "evaluator",  # 1ste / 2de evaluator, evaluatoren (Flemish), evaluator (federal)
    "hiërarchische meerdere", "leidend ambtenaar", "evaluatiecyclus",  # federal
    "jaarlijkse evaluatie", "Statuut", "statutair", "Salarissysteem", "anciënniteit",
    "Raad van beroep", "raad van beroep", "managementorgaan", "adviesorgaan",
    "loopbaanvertraging", "salaristrap", "tegenspraak",
)


@pytest.fixture
def municipality(settings) -> Organisation:
    # The demo hashes a password per login; the slow production hasher is not tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", no_serve=True, stdout=io.StringIO())
    return Organisation.objects.get(name=demo.DUTCH.name)


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def foreign_words_on(client, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        text = text_of(client, url)
        words = [word for word in FOREIGN_WORDS if word in text]
        if words:
            found[url] = words
    return found


def signed_in(client, email: str) -> Person:
    user = User.objects.get(email=email)
    user.language = "nl"
    user.save(update_fields=["language"])
    client.force_login(user)
    return Person.objects.get(user=user)


def test_a_dutch_manager_sees_municipal_words_only(client, municipality):
    sanne = signed_in(client, demo.SANNE.email)
    member = Person.objects.filter(unit__manager=sanne).exclude(pk=sanne.pk).first()
    assert member is not None
    viewer = Viewer.of(sanne.user)
    goal = goals_visible_to(viewer).exclude(owner=None).exclude(owner=sanne).first()
    conversation = conversations_visible_to(viewer).exclude(employee=sanne).first()
    evaluation = evaluations_visible_to(viewer).exclude(person=sanne).first()
    assert goal is not None
    assert conversation is not None
    assert evaluation is not None
    urls = [
        reverse("home"), reverse("team_overview"), reverse("team_goals"),
        reverse("my_goals"), reverse("my_conversations"), reverse("my_evaluations"),
        reverse("my_work_plans"), reverse("my_reads"),
        reverse("person_detail", args=[member.pk]),
        reverse("person_timeline", args=[member.pk]),
        reverse("person_goals", args=[member.pk]), reverse("goal_new", args=[member.pk]),
        reverse("person_evaluations", args=[member.pk]),
        reverse("person_improvement", args=[member.pk]),
        reverse("goal_detail", args=[goal.pk]),
        reverse("conversation_detail", args=[conversation.pk]),
        reverse("evaluation_detail", args=[evaluation.pk]),
    ]

    assert foreign_words_on(client, urls) == {}
    home = text_of(client, reverse("home"))
    assert "Je bent leidinggevende van" in home
    assert "Je bent naast-hogere leidinggevende van" in home
    assert "Naast-hogere leidinggevende" in text_of(
        client, reverse("person_detail", args=[member.pk]))
    assert "Evaluatiegesprek" in text_of(client, reverse("evaluation_detail",
                                                         args=[evaluation.pk]))
    # The report's PDF names the signers as the page does.
    printed = html.unescape(re.sub(r"<[^>]+>", " ", pdf.render_html(evaluation, language="nl")))
    assert [word for word in FOREIGN_WORDS if word in printed] == []
    assert "Leidinggevende" in printed

    # No page about appeals and salary decisions: a municipality has neither.
    assert reverse("consequences") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("consequences")).status_code == 404

    # A Flemish head of department in the same demo keeps the Flemish words.
    signed_in(client, demo.TOM.email)
    flemish_home = text_of(client, reverse("home"))
    assert "Je bent 1ste evaluator van" in flemish_home
    assert "Salarissysteem" in flemish_home


def test_a_dutch_employee_sees_municipal_words_only(client, municipality):
    jeroen = signed_in(client, demo.JEROEN.email)
    evaluation = Evaluation.objects.filter(person=jeroen).first()
    assert evaluation is not None
    urls = [
        reverse("home"), reverse("my_goals"), reverse("my_conversations"),
        reverse("my_evaluations"), reverse("my_work_plans"), reverse("my_development_plans"),
        reverse("person_detail", args=[jeroen.pk]),
        reverse("person_timeline", args=[jeroen.pk]),
        reverse("evaluation_detail", args=[evaluation.pk]),
    ]

    assert foreign_words_on(client, urls) == {}


@pytest.mark.parametrize(("preset", "offered"), [
    (PolicyPreset.FLEMISH, True),  # the Raad van beroep, the management body
    (PolicyPreset.FEDERAL, True),  # an appeal to the leidend ambtenaar
    (PolicyPreset.DUTCH_MUNICIPAL, False),  # neither
])
def test_the_overview_of_appeals_is_offered_where_the_regime_has_them(preset, offered):
    organisation = factories.organisation(preset=preset)
    employee = factories.person(factories.unit(organisation), with_user=True)
    assert employee.user is not None
    assert consequence_permissions.can_view_overview(Viewer.of(employee.user)) is offered


def test_a_member_of_a_body_is_offered_the_overview_in_any_regime():
    organisation = factories.organisation(preset=PolicyPreset.DUTCH_MUNICIPAL)
    member = factories.person(factories.unit(organisation), with_user=True)
    factories.grant(member, Role.APPEAL_BOARD)
    assert member.user is not None
    assert consequence_permissions.can_view_overview(Viewer.of(member.user)) is True


def test_a_dutch_hr_sees_municipal_words_only(client, municipality):
    """The HR cycle dashboard, its download and the forms that keep a person's facts and
    their evaluators set by hand: the municipality's words, without the statute or the
    salary system a municipality does not know (``rulebook.terms``)."""
    fatima = signed_in(client, demo.FATIMA.email)
    assert fatima.user is not None
    factories.totp(fatima.user)  # HR signs in with a second factor
    jeroen = Person.objects.get(user__email=demo.JEROEN.email)
    cycle = Cycle.objects.filter(organisation=municipality).order_by("-year").first()
    assert cycle is not None
    top = fatima.unit
    urls = [
        reverse("cycle_dashboard_unit", args=[cycle.pk, top.pk]),
        reverse("person_edit", args=[jeroen.pk]),
        reverse("person_create", args=[top.pk]),
        reverse("override_create", args=[jeroen.pk]),
    ]

    assert foreign_words_on(client, urls) == {}
    board = text_of(client, urls[0])
    assert "Ondertekend door de leidinggevende" in board
    assert "Ondertekend door de naast-hogere leidinggevende" in board
    form = text_of(client, urls[3])
    assert "Naast-hogere leidinggevende" in form
    response = client.get(reverse("cycle_dashboard_export", args=[cycle.pk, top.pk, "csv"]))
    assert response.status_code == 200
    download = response.content.decode("utf-8-sig")
    assert [word for word in FOREIGN_WORDS if word in download] == []
    assert "Ondertekend door de naast-hogere leidinggevende" in download


def test_a_dutch_hr_saves_a_person_without_a_statute_or_salary_system(client, municipality):
    """The fields a municipality does not know are not asked; saving keeps what is stored."""
    fatima = signed_in(client, demo.FATIMA.email)
    assert fatima.user is not None
    factories.totp(fatima.user)  # HR signs in with a second factor
    jeroen = Person.objects.get(user__email=demo.JEROEN.email)
    status, system = jeroen.employment_status, jeroen.salary_system
    page = client.get(reverse("person_edit", args=[jeroen.pk])).content.decode()
    assert 'name="employment_status"' not in page
    assert 'name="salary_system_choice"' not in page
    data = {
        "employee_number": jeroen.employee_number, "first_name": jeroen.first_name,
        "last_name": jeroen.last_name, "email": jeroen.email, "language": jeroen.language,
        "unit": jeroen.unit_id, "job_title": "Teamcoördinator", "grade": jeroen.grade,
        "rank": jeroen.rank, "start_date": jeroen.start_date.isoformat(), "end_date": "",
        "working_time_fraction": str(jeroen.working_time_fraction), "probation_end_date": "",
    }

    response = client.post(reverse("person_edit", args=[jeroen.pk]), data)

    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("person_detail", args=[jeroen.pk])
    jeroen.refresh_from_db()
    assert jeroen.job_title == "Teamcoördinator"
    assert (jeroen.employment_status, jeroen.salary_system) == (status, system)

    # A new person is contractual, as everyone employed by a municipality.
    new = {**data, "employee_number": "N-1", "first_name": "Noor", "last_name": "Visser",
           "email": "noor.visser@example.org"}
    response = client.post(reverse("person_create", args=[jeroen.unit_id]), new)
    assert response.status_code == 302, response.content.decode()
    noor = Person.objects.get(organisation=municipality, employee_number="N-1")
    assert noor.employment_status == EmploymentStatus.CONTRACTUAL


@pytest.mark.parametrize(("preset", "first_signed", "second_signature", "second"), [
    (PolicyPreset.FLEMISH, "ondertekend door de 1ste evaluator",
     "Handtekening van de 2de evaluator", "2de evaluator"),
    (PolicyPreset.FEDERAL, "ondertekend door de evaluator",
     "Handtekening van de hiërarchische meerdere", "hiërarchische meerdere"),
    (PolicyPreset.DUTCH_MUNICIPAL, "ondertekend door de leidinggevende",
     "Handtekening van de naast-hogere leidinggevende", "naast-hogere leidinggevende"),
])
def test_states_steps_columns_and_notifications_read_the_regime_words(
        preset, first_signed, second_signature, second):
    """Each regime reads its own words; the codes stay the same in all three."""
    terms = terms_for(preset)
    with translation.override("nl"):
        assert state_label(EvaluationState.FIRST_SIGNED, terms) == first_signed
        assert state_label(EvaluationState.DELIVERED, terms) == "bezorgd aan de medewerker"
        assert step_label(Due.SECOND_SIGNATURE, preset) == second_signature
        assert step_label(Due.PLANNING, preset) == "Planningsgesprek"
        labels = [str(column.label) for column in progress_columns(terms)]
        assert first_signed[0].upper() + first_signed[1:] in labels
        to_second = render(evaluation_notifications.READY_FOR_SECOND,
                           {"person": "An", "version": 1, "due": "", "preset": preset})
        asked = render(access_notifications.REQUESTED, {
            "requester": "Els", "person": "An", "scope": "goals", "from": "2026-01-01",
            "until": "2026-02-01", "approver": "", "preset": preset})
    assert f"Als {second} " in to_second.body
    assert f"Als {second} " in asked.body
    if preset == PolicyPreset.DUTCH_MUNICIPAL:
        assert "evaluator" not in to_second.body + asked.body
