from functools import cache

from django.http import HttpRequest

from koers.notify.selectors import unread_count
from koers.organisation.models import Role
from koers.web.page.viewer import viewer_of


def navigation(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {"nav_hr": False, "nav_import": False, "nav_cycles": False, "nav_unread": 0}
    viewer = viewer_of(request)
    user = request.user

    @cache
    def unread() -> int:
        # Asked only by pages that show the header: one count on a partial index.
        return unread_count(user)

    # Imports and cycles are for HR of a whole organisation (the grant on its top unit).
    whole_organisation = viewer.is_superuser or any(
        unit.parent_id is None for unit in viewer.units_with_role(Role.HR)
    )
    return {
        "nav_hr": viewer.is_superuser or viewer.has_role(Role.HR),
        "nav_import": whole_organisation,
        "nav_cycles": whole_organisation,
        "nav_unread": unread,
    }
