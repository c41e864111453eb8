"""Marc opens everything Koers holds about him from his home page, and downloads it.

The demo data is the one `koers demo` serves (see test_home.py).
"""

import json

import pytest
from playwright.sync_api import expect

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.organisation.models import Person
from tests.browser.site import Site, assert_accessible, download_through_worker
from tests.factories import goals as goal_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
TITLE = "Tegen 30 juni de loonvragen binnen 2 werkdagen beantwoorden"


def test_marc_reads_and_downloads_his_data(site: Site, demo: None) -> None:
    page = site.page
    marc = Person.objects.get(user=User.objects.get(email=EMPLOYEE))
    goal_factories.proposed(marc, title=TITLE)

    site.login(EMPLOYEE)
    page.get_by_role("link", name="Al mijn gegevens: bekijken, afdrukken of downloaden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    expect(page.get_by_role("region", name="Doelstellingen")).to_contain_text(TITLE)
    expect(page.get_by_role("region", name="Jij en je tewerkstelling")).to_contain_text(
        "Vandamme")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Mijn gegevens als JSON").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["sections"]["goals"][-1]["title"] == TITLE
    pdf = download_through_worker(page, page.get_by_role("button", name="Mijn gegevens als pdf"))
    assert open(pdf.path(), "rb").read(5) == b"%PDF-"  # noqa: SIM115
    assert site.errors == []
    assert list(AuditEvent.objects.filter(action="personal_data.exported").order_by("pk")
                .values_list("changes__format", flat=True)) == ["page", "json", "pdf"]
