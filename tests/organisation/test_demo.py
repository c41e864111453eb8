"""The demo data: the POP guide's worked example, three presets, logins, idempotence."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from koers.core import clock
from koers.core.languages import Language
from koers.core.models import User
from koers.organisation import demo
from koers.organisation.evaluators import evaluator_line
from koers.organisation.models import (
    Absence,
    EffectiveWork,
    EvaluatorOverride,
    Organisation,
    Person,
    PolicyPreset,
    Role,
    RoleGrant,
    Unit,
    WorkSource,
)

pytestmark = pytest.mark.django_db

# Browser tests of other teams log in with exactly these.
REQUIRED_LOGINS = {
    "marc.vandamme@demo.koers",
    "ratana.than@demo.koers",
    "peter.gordon@demo.koers",
    "an.desmet@demo.koers",
    "els.deckers@demo.koers",
    "admin@demo.koers",
}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Eleven PBKDF2 hashes per build would dominate the run time of these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def built():
    return demo.build_demo()


def _person(email):
    people = Person.objects.select_related("unit", "organisation")
    return people.get(email=email, user__isnull=False)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Unit, Person, User, RoleGrant, EffectiveWork, Absence,
                      EvaluatorOverride)
    }


def test_demo_builds_one_organisation_per_preset(built):
    organisations = dict(Organisation.objects.values_list("name", "policy_preset"))
    assert organisations == {
        "FOD Beleid en Ondersteuning (demo)": PolicyPreset.FEDERAL,
        "Agentschap Groen en Landschap (demo)": PolicyPreset.FLEMISH,
        "Gemeente Lindendaal (demo)": PolicyPreset.DUTCH_MUNICIPAL,
    }
    assert sorted(built.created) == sorted(organisations)
    assert 280 <= Person.objects.count() <= 340


def test_a_second_run_changes_nothing(built):
    before = _counts()
    passwords = dict(User.objects.values_list("email", "password"))
    result = demo.build_demo()
    assert result.created == []
    assert result.logins_created == 0
    assert _counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords


def test_a_deleted_login_is_recreated_and_linked_again(built):
    User.objects.filter(email="marc.vandamme@demo.koers").delete()
    result = demo.build_demo()
    assert result.logins_created == 1
    assert _person("marc.vandamme@demo.koers").user.email == "marc.vandamme@demo.koers"


def test_marc_is_evaluated_by_ratana_and_her_director(built):
    marc = _person("marc.vandamme@demo.koers")
    ratana = _person("ratana.than@demo.koers")
    line = evaluator_line(marc, on=clock.today())
    assert line.first == ratana
    assert line.second == evaluator_line(ratana, on=clock.today()).first
    assert line.second == _person("an.desmet@demo.koers")
    assert (marc.job_title, marc.grade, marc.employment_status, marc.language) == (
        "Administratief assistent", "C", "statutory", Language.DUTCH
    )
    assert marc.unit.name == "Stafdienst P&O"
    assert ratana.managed_units.get() == marc.unit


def test_mr_gordon_is_marcs_colleague_and_speaks_english(built):
    gordon = _person("peter.gordon@demo.koers")
    assert gordon.unit == _person("marc.vandamme@demo.koers").unit
    assert gordon.language == Language.ENGLISH
    assert gordon.user.language == Language.ENGLISH


def test_every_demo_login_authenticates_with_the_demo_password(built):
    emails = {login.email for login in demo.DEMO_LOGINS}
    assert emails >= REQUIRED_LOGINS
    for login in demo.DEMO_LOGINS:
        user = authenticate(username=login.email, password="demo")
        assert user is not None, login.email
        if login.organisation:
            assert user.person.organisation.name == login.organisation
        else:
            assert user.is_superuser


def test_each_organisation_has_an_hr_login_on_its_top_unit_and_a_manager_login(built):
    for organisation in Organisation.objects.all():
        logins = Person.objects.filter(organisation=organisation, user__isnull=False)
        hr = RoleGrant.objects.filter(person__in=logins, role=Role.HR, unit__parent=None)
        assert hr.count() == 1, organisation.name
        assert Unit.objects.filter(manager__in=logins).exists(), organisation.name
    els = RoleGrant.objects.get(person__email="els.deckers@demo.koers")
    assert els.unit == Unit.objects.get(organisation__name=els.organisation.name, parent=None)


def test_a_team_member_acts_as_first_evaluator_in_the_dutch_team_without_manager(built):
    jeroen = _person("jeroen.bakker@demo.koers")
    sanne = _person("sanne.devries@demo.koers")
    assert jeroen.unit.manager is None
    assert jeroen.unit.parent.manager == sanne
    colleagues = (
        Person.objects.select_related("unit").filter(unit=jeroen.unit).exclude(pk=jeroen.pk)
    )
    assert colleagues.exists()
    for colleague in colleagues:
        line = evaluator_line(colleague, on=clock.today())
        assert (line.first, line.second, line.first_is_override) == (jeroen, sanne, True)


def test_profiles_show_imported_hours_and_absences(built):
    marc = _person("marc.vandamme@demo.koers")
    last_year = clock.today().year - 1
    work = EffectiveWork.objects.get(person=marc, year=last_year)
    assert work.source == WorkSource.IMPORTED
    assert 1000 < work.hours_worked < 1900
    assert Absence.objects.filter(person=marc).count() >= 3
    # The Flemish career break keeps someone under the 479 hours of the year.
    assert EffectiveWork.objects.filter(
        year=last_year, hours_worked__lt=479,
        person__organisation__name="Agentschap Groen en Landschap (demo)",
    ).exists()


def test_the_command_builds_and_prints_the_logins_without_serving():
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    output = out.getvalue()
    assert Organisation.objects.count() == 3
    for login in demo.DEMO_LOGINS:
        assert login.email in output
    assert "password for all: demo" in output


def test_two_federal_colleagues_read_koers_in_french_and_in_german(built):
    """Belgian federal staff work in Dutch, French or German."""
    readers = {person.first_name: (person.language, person.user.language, person.unit.code)
               for person in Person.objects.filter(last_name__in=("Dubois", "Schmitz"))
               .select_related("user", "unit")}

    assert readers == {"Claire": ("fr", "fr", "DOD.PO"), "Lukas": ("de", "de", "DOD.PO")}
