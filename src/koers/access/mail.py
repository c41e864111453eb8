"""HR's view of the outbox: the e-mail about their organisation that has not gone out.

HR of a whole organisation (a grant on its top unit) reads it; HR of a subtree does
not, since an invitation names its employee and manager whatever their unit. An
e-mail belongs to the organisation of its recipient's login, or, for a recipient
without one (an invitation to a person without a login), to the organisation it was
written for (``OutgoingEmail.organisation_id``). The page and the API ask the same
selector; others get the same 404 as for a page that does not exist.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from koers.access.policy import Viewer, managed_organisation_ids, manages_an_organisation
from koers.core.errors import NotFoundOrForbidden
from koers.notify.models import OutgoingEmail


def can_read_undelivered_mail(viewer: Viewer) -> bool:
    return manages_an_organisation(viewer)


def undelivered_mail(viewer: Viewer) -> QuerySet[OutgoingEmail]:
    """Unsent e-mails the viewer may see, newest first: still being tried or given up.

    One query however many rows are read (slice or paginate it); the partial index
    ``outgoing_email_unsent`` serves the order.
    """
    if not can_read_undelivered_mail(viewer):
        raise NotFoundOrForbidden(_("This page does not exist or is not yours to see."))
    unsent = OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("-created_at", "-pk")
    organisations = managed_organisation_ids(viewer)
    if organisations is None:
        return unsent
    return unsent.filter(
        Q(recipient__person__organisation_id__in=organisations)
        | Q(recipient__person__isnull=True, organisation_id__in=organisations))
