"""Mediation on a phone (360 px), in Dutch: the employee asks from a held conversation,
the mediator records that they did not agree, and the employee finds the formal
assessment as the last resort; no page is wider than the screen."""

import pytest
from django.urls import reverse

from koers.conversations.models import Mediation
from koers.core.models import User
from koers.organisation import evaluators
from tests.browser.site import Site
from tests.factories.work_plans import TODAY, dutch_personas, held_progress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


def _width(site: Site) -> int:
    # Measured once the web font is in: a page still in the fallback font reads wider.
    return int(site.page.evaluate(
        "document.fonts.ready.then(() => document.documentElement.scrollWidth)"))


def test_ask_record_and_reach_the_last_resort_on_a_phone(site: Site) -> None:
    with dutch_personas() as p:
        conversation = held_progress(p)
        head = evaluators.evaluator_line(p.employee, on=TODAY.date()).second
    assert head is not None
    assert head.user is not None
    assert p.employee.user is not None
    User.objects.update(language="nl")
    page = site.page
    page.set_viewport_size({"width": PHONE, "height": 740})
    wider = {}

    site.login(p.employee.user.email)
    site.go(reverse("conversation_detail", args=[conversation.pk]))
    wider["conversation"] = _width(site)
    page.get_by_role("link", name="Om bemiddeling vragen").click()
    wider["form"] = _width(site)
    page.get_by_label("Naast-hogere leidinggevende", exact=False).check()
    page.get_by_label("Waarover ben je het met je leidinggevende oneens?").fill(
        "Het verslag noemt het nieuwe salarissysteem niet.")
    page.get_by_role("button", name="Om bemiddeling vragen").click()
    mediation = Mediation.objects.get()
    assert mediation.mediator == head
    site.logout()

    site.login(head.user.email)
    site.go(reverse("mediation_detail", args=[mediation.pk]))
    wider["detail"] = _width(site)
    page.get_by_label("Geen overeenstemming").check()
    page.get_by_label("Schriftelijke uitkomst").fill("Het verslag blijft zoals het is.")
    page.get_by_role("button", name="De uitkomst vastleggen").click()
    site.logout()

    site.login(p.employee.user.email)
    site.go(reverse("my_mediations"))
    wider["list"] = _width(site)
    site.go(reverse("mediation_detail", args=[mediation.pk]))
    wider["closed"] = _width(site)
    link = page.get_by_role("link", name="Een beoordelingsgesprek openen")
    assert link.get_attribute("href") == reverse("formal_assessment_new", args=[p.employee.pk])

    assert {name: width for name, width in wider.items() if width > PHONE} == {}
