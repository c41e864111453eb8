"""The confirmation step of a destructive action on the pages.

The button of such an action posts without ``confirmed``: nothing changes, and the page
that answers says what will happen (to how many people, or to whom) and asks again. Only
the second post, with ``confirmed=yes``, reaches the service. The API has no such step:
a client that calls the operation has already decided.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "yes"


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == CONFIRMED


def confirm_page(request: HttpRequest, *, heading: str, consequence: str, button: str,
                 back: str) -> HttpResponse:
    """Ask again: ``heading`` names the action, ``consequence`` what it does and to whom,
    ``button`` the action itself, ``back`` where “Back” leads, changing nothing."""
    return render(request, "page/confirm.html", {
        "heading": heading, "consequence": consequence, "button": button, "back": back,
        "confirmed": CONFIRMED})
