from functools import cache

from django.http import HttpRequest

from koers.notify.selectors import unread_count
from koers.rulebook.terms import terms_for
from koers.web.page.menu import menu_for
from koers.web.page.viewer import viewer_of


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu of the signed-in viewer (``web.page.menu``), its current page marked, and
    the words of the viewer's regime as ``terms`` (``{{ terms.first_evaluator }}``)."""
    if not request.user.is_authenticated:
        return {"nav_menu": None, "nav_unread": 0, "terms": terms_for(None)}
    user = request.user
    viewer = viewer_of(request)

    @cache
    def unread() -> int:
        # Asked only by pages that show the header: one count on a partial index.
        return unread_count(user)

    match = getattr(request, "resolver_match", None)
    return {
        "nav_menu": menu_for(viewer,
                             current=match.url_name if match is not None else None),
        "nav_unread": unread,
        "terms": viewer.terms,
    }
