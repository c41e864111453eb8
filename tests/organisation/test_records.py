"""Reference numbers of signed records: one per record, counted per organisation and
year, never given twice, also when signatures race on PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import transaction

from koers.organisation import records
from koers.organisation.models import RecordReference, Unit
from tests import factories
from tests.concurrency import race, real_concurrency

DAY = dt.date(2026, 3, 10)


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_signatures_at_the_same_moment_get_distinct_numbers_in_order() -> None:
    organisation = factories.organisation("Stad Racedaal")
    top = factories.unit(organisation, name="Stad")
    units = [factories.unit(organisation, top, name=f"Team {n}") for n in range(6)]
    held = threading.Barrier(len(units))

    def allocate(unit: Unit) -> str:
        with transaction.atomic():
            held.wait()  # every thread inside its transaction before any counts
            return records.reference_allocate(organisation=organisation, record=unit, on=DAY)

    outcomes = race(*[lambda unit=unit: allocate(unit) for unit in units])

    slug = organisation.slug.upper()
    assert sorted(outcomes) == [f"{slug}-2026-{n:06d}" for n in range(1, len(units) + 1)]
    assert RecordReference.objects.filter(organisation=organisation).count() == len(units)


@pytest.mark.django_db
def test_the_letterhead_has_a_logo_only_when_one_is_configured(settings, tmp_path) -> None:
    organisation = factories.organisation("Stad Lindendaal")
    settings.KOERS_ORGANISATIONS_DIR = str(tmp_path)
    bare = records.letterhead(organisation)
    (tmp_path / organisation.slug).mkdir()
    (tmp_path / organisation.slug / "logo.svg").write_text("<svg/>")

    with_logo = records.letterhead(organisation)

    assert (bare.name, bare.logo) == ("Stad Lindendaal", "")
    assert with_logo.logo.startswith("data:image/svg+xml;base64,")
