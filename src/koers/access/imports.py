"""HR's imports as the import page and the API reach them: who may upload into which
organisation, see a stored upload and its report, apply it, and download the example
files (``organisation/importing.py`` reads, checks and writes the rows).

Only HR of an organisation's top unit (and a superuser) imports into it
(``policy.can_manage_organisation``). A batch of another organisation is the same
``NotFoundOrForbidden`` as a missing one; so is every example file for someone who
manages no organisation at all.
"""

from django.utils.translation import gettext as _

from koers.access import policy
from koers.access.policy import Viewer
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.organisation import importing
from koers.organisation.models import ImportBatch, ImportKind, Organisation

# The uploads the import page lists under its form.
RECENT_BATCHES = 10


def import_organisations(viewer: Viewer) -> list[Organisation]:
    """The organisations ``viewer`` may import into, by name."""
    return list(policy.organisations_managed_by(viewer).order_by("name"))


def recent_imports(viewer: Viewer) -> list[ImportBatch]:
    """The latest uploads into the organisations ``viewer`` manages, the newest first."""
    return list(
        ImportBatch.objects.defer("content")
        .filter(organisation__in=policy.organisations_managed_by(viewer))
        .select_related("organisation", "uploaded_by")
        .order_by("-created_at", "-pk")[:RECENT_BATCHES]
    )


def import_kind(value: str) -> ImportKind:
    """The kind of file ``value`` names; a ``ValidationFailed`` that lists the kinds."""
    if value not in ImportKind.values:
        message = _("Choose one of the kinds %(kinds)s.") % {
            "kinds": ", ".join(ImportKind.values)}
        raise ValidationFailed(message, {"kind": [message]})
    return ImportKind(value)


def import_upload(*, viewer: Viewer, kind: str, file_name: str, content: bytes,
                  organisation_id: int | None = None) -> ImportBatch:
    """Store an upload with its dry run (``importing.import_batch_upload``); nothing of
    the organisation's data changes.

    Checklist: the viewer manages some organisation (else ``NotFoundOrForbidden``); the
    organisation asked for is one of them (else the same), or, none asked for, the only
    one (several: a ``ValidationFailed`` asking to choose); the kind is known; a file
    that cannot be read at all is refused (``importing.ImportFileError``) and not stored.
    """
    organisations = import_organisations(viewer)
    if not organisations:
        raise NotFoundOrForbidden(_("Not found."))
    if organisation_id is None:
        if len(organisations) > 1:
            message = _("Choose the organisation to import into.")
            raise ValidationFailed(message, {"organisation_id": [message]})
        organisation = organisations[0]
    else:
        found = next((o for o in organisations if o.pk == organisation_id), None)
        if found is None:
            raise NotFoundOrForbidden(_("Not found."))
        organisation = found
    return importing.import_batch_upload(
        organisation=organisation, kind=import_kind(kind), file_name=file_name,
        content=content, uploaded_by=viewer.user)


def import_batch_for(viewer: Viewer, pk: int) -> ImportBatch:
    """A stored upload (without its bytes) for HR of its organisation."""
    batch = (
        ImportBatch.objects.defer("content")
        .select_related("organisation", "uploaded_by", "applied_by", "apply_requested_by")
        .filter(pk=pk).first()
    )
    if batch is None or not policy.can_manage_organisation(viewer, batch.organisation):
        raise NotFoundOrForbidden(_("Not found."))
    return batch


def import_apply(*, viewer: Viewer, pk: int) -> ImportBatch:
    """Ask a task worker to apply a checked upload (``importing.import_batch_apply_request``):
    the answer is the batch, queued; the worker writes the rows. One already imported,
    or with bad rows, is a ``ValidationFailed``, and nothing changes."""
    batch = import_batch_for(viewer, pk)
    importing.import_batch_apply_request(batch=batch, actor=viewer.user)
    return import_batch_for(viewer, pk)


def import_template(*, viewer: Viewer, kind: str) -> tuple[str, str]:
    """The example file of a kind: its name and its text (``importing.template_csv``)."""
    if not policy.organisations_managed_by(viewer).exists():
        raise NotFoundOrForbidden(_("Not found."))
    chosen = import_kind(kind)
    return f"koers-{chosen}.csv", importing.template_csv(chosen)
