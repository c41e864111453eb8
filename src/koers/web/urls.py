from django.urls import URLPattern, URLResolver, include, path

# One include per room; every room's URL names stay global (no namespace).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("koers.web.home.urls")),
    path("", include("koers.web.organisation.urls")),
    path("", include("koers.web.policy.urls")),
    path("", include("koers.web.cycles.urls")),
    path("", include("koers.web.notify.urls")),
    path("", include("koers.web.access.urls")),
    path("", include("koers.web.goals.urls")),
    path("", include("koers.web.conversations.urls")),
    path("", include("koers.web.evaluations.urls")),
    path("", include("koers.web.development.urls")),
    path("", include("koers.web.improvement.urls")),
    path("", include("koers.web.consequences.urls")),
    path("", include("koers.web.health.urls")),
]
