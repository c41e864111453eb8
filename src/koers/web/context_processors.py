from django.http import HttpRequest

from koers.organisation.models import Role
from koers.web.viewer import viewer_of


def navigation(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {"nav_hr": False}
    viewer = viewer_of(request)
    return {"nav_hr": viewer.is_superuser or viewer.has_role(Role.HR)}
