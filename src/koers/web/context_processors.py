from functools import cache

from django.http import HttpRequest
from django.urls import reverse

from koers.access.policy import Viewer
from koers.notify.selectors import unread_count
from koers.rulebook.terms import terms_for
from koers.web.page.menu import menu_for
from koers.web.page.viewer import viewer_of


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu of the signed-in viewer (``web.page.menu``), its current page marked, and
    the words of the viewer's regime as ``terms`` (``{{ terms.first_evaluator }}``)."""
    if not request.user.is_authenticated:
        return {"nav_menu": None, "nav_unread": 0, "terms": terms_for(None), "look": None}
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
        "look": look_of(viewer),
    }


def look_of(viewer: Viewer) -> dict[str, str] | None:
    """The viewer's organisation's stylesheet and logo addresses ("" for none), with the
    look's version in them (web/organisation/look.py); the organisation comes with the
    viewer's person, so this adds no query."""
    person = viewer.person
    if person is None:
        return None
    organisation = person.organisation
    version = f"?v={organisation.look_version}"
    return {
        "name": organisation.name,
        "theme_url": reverse("organisation_theme", args=[organisation.pk]) + version
        if organisation.primary_colour else "",
        "logo_url": reverse("organisation_logo", args=[organisation.pk]) + version
        if organisation.logo_type else "",
    }
