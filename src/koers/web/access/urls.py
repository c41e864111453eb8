from django.urls import path

from koers.web.access import mail, renderings, security, sign_in, tokens, views

urlpatterns = [
    path("people/<int:pk>/access/new/", views.access_request_new, name="access_request_new"),
    path("access/requests/", views.access_requests, name="access_requests"),
    path("access/requests/<int:pk>/decide/", views.access_request_decide,
         name="access_request_decide"),
    path("access/reads/", views.my_reads, name="my_reads"),
    path("me/api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data.json", views.my_data_json, name="my_data_json"),
    path("me/data.pdf", renderings.my_data_pdf, name="my_data_pdf"),
    path("documents/<int:pk>/", renderings.rendering_detail, name="rendering_detail"),
    path("documents/<int:pk>/download", renderings.rendering_download,
         name="rendering_download"),
    path("mail/undelivered/", mail.undelivered_mail, name="undelivered_mail"),
    path("organisations/<int:pk>/sign-in/", sign_in.employer_sign_in, name="employer_sign_in"),
    path("security/refusals/", security.security_log, name="security_log"),
    path("security/refusals/export.<str:file_format>", security.security_log_export,
         name="security_log_export"),
]
