"""On a phone (360 px) no page is wider than the screen: a wide table scrolls inside its
own wrapper and long words wrap. Visited as the people who use them: the employee, the
manager and HR, on the pages they open most."""

import pytest
from django.urls import reverse

from koers.core.models import User
from tests import personas
from tests.browser.site import Site
from tests.factories import evaluations as ev
from tests.factories import goals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


def page_width(site: Site, path: str) -> int:
    site.go(path)
    return int(site.page.evaluate("document.documentElement.scrollWidth"))


# Each table wrapper that scrolls sideways, and whether the keyboard can reach it with a
# name (WCAG 2.1.1; axe's "scrollable-region-focusable").
SCROLLERS = """[...document.querySelectorAll('.koers-table-wrap')]
  .filter((w) => w.scrollWidth > w.clientWidth + 1)
  .map((w) => [w.getAttribute('tabindex'), w.getAttribute('role'),
               w.getAttribute('aria-label') || ''])"""


def test_no_page_is_wider_than_a_phone(site: Site) -> None:
    p = personas.build()
    cast = ev.cast(p)
    evaluation = ev.reach(cast, "first_signed")
    goal = goals.proposed(p.employee, title="Loonvragen binnen twee dagen beantwoorden")
    User.objects.update(language="nl")
    site.page.set_viewport_size({"width": PHONE, "height": 740})
    pages = {
        p.employee: ["/", reverse("my_goals"), reverse("goal_detail", args=[goal.pk]),
                     reverse("my_conversations"), reverse("my_evaluations"),
                     reverse("evaluation_detail", args=[evaluation.pk]),
                     reverse("person_timeline", args=[p.employee.pk]), reverse("my_reads")],
        p.manager: ["/", reverse("team_overview"), reverse("team_goals"),
                    reverse("goal_edit", args=[goal.pk]),
                    reverse("person_timeline", args=[p.employee.pk])],  # the leaving form
        p.hr: ["/", reverse("unit_tree"), reverse("person_detail", args=[p.employee.pk]),
               reverse("cycle_list"), reverse("employer_sign_in", args=[p.top.organisation_id]),
               reverse("person_timeline", args=[p.employee.pk])],
    }
    wider, unreachable, scrolling = {}, {}, 0
    with ev.on(ev.days()["second"]):
        for person, paths in pages.items():
            assert person.user is not None
            site.login(person.user.email)
            for path in paths:
                width = page_width(site, path)
                if width > PHONE:
                    wider[f"{person.first_name} {path}"] = width
                for tabindex, role, name in site.page.evaluate(SCROLLERS):
                    scrolling += 1
                    if (tabindex, role) != ("0", "region") or not name:
                        unreachable[f"{person.first_name} {path}"] = (tabindex, role, name)
            site.logout()

    assert wider == {}
    assert scrolling > 0  # at 360 px some tables do scroll sideways
    assert unreachable == {}
