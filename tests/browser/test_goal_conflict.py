"""Two people change one goal at the same time, in a real browser, in Dutch and in
English: Ratana saves first; Marc's save keeps his text in the form beside Ratana's,
nothing of his is lost, and saving again replaces hers knowingly."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.core.models import User
from koers.goals import services
from koers.goals.models import Goal
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import goals
from tests.factories.goals import viewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "nl": {"heading": "Iemand anders heeft deze tekst intussen opgeslagen",
           "saved": "Wijziging bewaren", "done": "De doelstelling is gewijzigd"},
    "en": {"heading": "Someone else saved this text in the meantime",
           "saved": "Save the change", "done": "The goal is changed"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_marc_meets_ratanas_newer_save_and_loses_nothing(site: Site, language: str) -> None:
    w = WORDS[language]
    p = personas.build()
    goal = goals.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    User.objects.update(language=language)
    assert p.employee.user
    page = site.page
    site.login(p.employee.user.email)
    site.go(reverse("goal_edit", args=[goal.pk]))
    # Ratana changes the measure while Marc's form is open.
    services.goal_adjust(actor=viewer(p.manager), goal=goal,
                         changes={"measure": "Ticketsysteem: 90 % binnen 2 werkdagen"},
                         reason="Meetbaar")
    page.locator("textarea[name=measure]").fill("Steekproef van 20 vragen per maand")
    page.locator("textarea[name=reason]").fill("Beter meetbaar")
    page.get_by_role("button", name=w["saved"]).click()

    alert = page.get_by_role("alert").filter(has_text=w["heading"])
    expect(alert).to_contain_text("Ticketsysteem: 90 % binnen 2 werkdagen")
    expect(alert).to_contain_text("Steekproef van 20 vragen per maand")
    expect(page.locator("textarea[name=measure]")).to_have_value(
        "Steekproef van 20 vragen per maand")
    assert_accessible(page)
    assert Goal.objects.get(pk=goal.pk).measure == "Ticketsysteem: 90 % binnen 2 werkdagen"

    page.get_by_role("button", name=w["saved"]).click()
    expect(page.get_by_role("main")).to_contain_text(re.compile(w["done"]))
    assert Goal.objects.get(pk=goal.pk).measure == "Steekproef van 20 vragen per maand"
    assert site.errors == []
