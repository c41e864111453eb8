"""Koers' URLs plus the floor every signed-in page pays: a view that only reads the user
(the session and the user lookup, and the middleware). Served by bench/http.py only."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("signed in" if request.user.is_authenticated else "anonymous")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("koers.config.urls")),
]
