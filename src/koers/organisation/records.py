"""What an organisation puts on its signed records: a reference number, its letterhead,
and (``pades.py``) its signature.

- **Reference number** (``reference_allocate``): organisation, year and sequence,
  ``DEMO-2026-000042``, given once to a record at its first signature, in that
  signature's transaction. The year's counter row is locked while it is counted up, so
  two signatures at the same moment on PostgreSQL get two numbers; the counter only
  goes up and the number's row outlives its record, so a number is never given twice.
- **Letterhead** (``letterhead``): the organisation's name and, when one is configured,
  its logo.
- **Files** (``organisation_file``): the logo and the signing key live outside the
  database, in ``KOERS_ORGANISATIONS_DIR/<short name>/`` (``docs/operations.md``,
  "Signed records"): ``logo.svg``, ``logo.png`` or ``logo.jpg``; ``signing.p12`` with its
  passphrase in ``signing.pass``, or ``pkcs11.json`` with ``pkcs11.pin`` (``pades.py``).
"""

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery

from koers.core import clock
from koers.organisation.models import Organisation, RecordReference, ReferenceCounter

LOGOS = {"logo.svg": "image/svg+xml", "logo.png": "image/png", "logo.jpg": "image/jpeg"}
# A logo larger than this is not put on the records (it would weigh on every PDF).
LOGO_MAX_BYTES = 512 * 1024


def organisation_file(organisation: Organisation, name: str) -> Path | None:
    """The organisation's configured file ``name``, if it exists."""
    root = str(settings.KOERS_ORGANISATIONS_DIR)
    if not root:
        return None
    path = Path(root) / organisation.slug / name
    return path if path.is_file() else None


@dataclass(frozen=True)
class Letterhead:
    name: str
    logo: str  # a data: URL, or "" without a logo


def letterhead(organisation: Organisation) -> Letterhead:
    for name, content_type in LOGOS.items():
        path = organisation_file(organisation, name)
        if path is not None and path.stat().st_size <= LOGO_MAX_BYTES:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            return Letterhead(name=organisation.name, logo=f"data:{content_type};base64,{data}")
    return Letterhead(name=organisation.name, logo="")


def record_type(record: models.Model) -> str:
    return record._meta.label_lower


def formatted(organisation: Organisation, year: int, sequence: int) -> str:
    return f"{organisation.slug.upper()}-{year}-{sequence:06d}"


def reference_of(record: models.Model) -> str | None:
    """The record's reference number, or ``None`` before its first signature. One query."""
    found = (RecordReference.objects.select_related("organisation")
             .filter(record_type=record_type(record), record_id=record.pk).first())
    return None if found is None else formatted(found.organisation, found.year, found.sequence)


def with_reference[M: models.Model](queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` with each record's reference number's year and sequence, as two
    subqueries in its own SQL (no query of its own); ``annotated_reference`` reads them."""
    found = RecordReference.objects.filter(record_type=queryset.model._meta.label_lower,
                                           record_id=OuterRef("pk"))
    return cast("QuerySet[M]", queryset.annotate(
        reference_year=Subquery(found.values("year")[:1]),
        reference_sequence=Subquery(found.values("sequence")[:1])))


def annotated_reference(record: models.Model, organisation: Organisation) -> str | None:
    """The reference number of a record read through ``with_reference``; ``None`` before
    its first signature."""
    year = getattr(record, "reference_year", None)
    sequence = getattr(record, "reference_sequence", None)
    return None if year is None or sequence is None else formatted(organisation, year, sequence)


def reference_allocate(*, organisation: Organisation, record: models.Model,
                       on: dt.date) -> str:
    """The record's reference number: the one it has, or the next of the organisation
    in the year of ``on`` (the day of its first signature).

    Checklist: in the caller's transaction (the signature's), so a signature that fails
    takes no number; the year's counter row created if missing (a conflict-free insert,
    for two first numbers of a year at once) and locked while it is counted up; the
    number stored with the record's type and id, unique both ways."""
    with transaction.atomic():
        existing = reference_of(record)
        if existing is not None:
            return existing
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(organisation=organisation, year=on.year)], ignore_conflicts=True)
        counter = ReferenceCounter.objects.select_for_update().get(
            organisation=organisation, year=on.year)
        counter.last += 1
        counter.save(update_fields=["last"])
        RecordReference.objects.create(
            organisation=organisation, year=on.year, sequence=counter.last,
            record_type=record_type(record), record_id=record.pk, allocated_at=clock.now())
        return formatted(organisation, on.year, counter.last)
