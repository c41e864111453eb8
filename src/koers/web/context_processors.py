from django.http import HttpRequest

from koers.organisation.models import Role
from koers.web.viewer import viewer_of


def navigation(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {"nav_hr": False, "nav_import": False}
    viewer = viewer_of(request)
    # Imports are for HR of a whole organisation (the grant on its top unit).
    return {
        "nav_hr": viewer.is_superuser or viewer.has_role(Role.HR),
        "nav_import": viewer.is_superuser
        or any(unit.parent_id is None for unit in viewer.units_with_role(Role.HR)),
    }
