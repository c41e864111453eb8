from django.contrib import admin
from django.urls import include, path, re_path

from koers.api.api import api
from koers.api.problems import no_such_operation
from koers.web.auth import admin_login

# One entrance for everyone, the admin included (see ``admin_login``).
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", no_such_operation, name="api_no_such_operation"),
    path("", include("koers.web.urls")),
]
