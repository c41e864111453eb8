"""The planning page: the three signatures "voor akkoord", the button for whoever signs
next, a 404 for anyone else, and the state on the person's goals page (Vlaamse overheid,
"PLOEG-gesprekken", https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken)."""


import pytest
from django.urls import reverse

from koers.goals.models import PlanningSignature
from tests.factories import goals
from tests.factories.planning import (  # noqa: F401 (the fixtures)
    february_fixture,
    participation_fixture,
    personas_fixture,
)

pytestmark = pytest.mark.django_db
BUTTON = "De planning voor akkoord ondertekenen"




def test_each_signer_signs_from_the_page_in_turn(client, p, participation):
    goals.agreed(p.employee, p.manager, title="Loonbrieven op tijd")
    url = reverse("planning_detail", args=[participation.pk])
    second = p.department.manager
    assert second is not None

    client.force_login(second.user)
    page = client.get(url).content.decode()
    assert BUTTON not in page  # the 2nd signs last
    assert "Loonbrieven op tijd" in page
    for signer in (p.manager, p.employee, second):
        client.force_login(signer.user)
        assert BUTTON in client.get(url).content.decode()
        response = client.post(reverse("planning_sign", args=[participation.pk]), follow=True)
        assert "Je hebt de planning voor akkoord ondertekend." in response.content.decode()

    page = client.get(url).content.decode()
    assert "De planning is door iedereen ondertekend." in page
    assert PlanningSignature.objects.count() == 3


def test_a_refusal_is_shown_and_nothing_is_signed(client, p, participation):
    goals.agreed(p.employee, p.manager)
    goals.proposed(p.employee, title="Nog af te spreken")
    client.force_login(p.employee.user)

    response = client.post(reverse("planning_sign", args=[participation.pk]), follow=True)

    assert "nog voorgesteld" in response.content.decode()
    assert not PlanningSignature.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "hr", "unrelated_manager"])
def test_nobody_else_reaches_the_planning(client, p, participation, who):
    goals.agreed(p.employee, p.manager)
    client.force_login(getattr(p, who).user)

    assert client.get(reverse("planning_detail", args=[participation.pk])).status_code == 404
    assert client.post(reverse("planning_sign", args=[participation.pk])).status_code == 404
    assert not PlanningSignature.objects.exists()


def test_the_goals_page_shows_the_planning_and_its_button(client, p, participation):
    goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)

    page = client.get(reverse("my_goals")).content.decode()

    assert "Planning evaluatieperiode 2026" in page
    assert "0 van 3 handtekeningen" in page
    assert BUTTON in page
    assert reverse("planning_detail", args=[participation.pk]) in page


def test_the_planning_page_reads_in_bounded_queries(client, p, participation,
                                                     django_assert_max_num_queries):
    goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)
    url = reverse("planning_detail", args=[participation.pk])
    with django_assert_max_num_queries(12):
        client.get(url)
    for n in range(4):
        goals.agreed(p.employee, p.manager, title=f"Doel {n}")
    client.post(reverse("planning_sign", args=[participation.pk]))

    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Doel 3" in page
