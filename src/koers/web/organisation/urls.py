from django.urls import path

from koers.web.organisation import import_views, look, views

urlpatterns = [
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/evaluators/", views.override_create, name="override_create"),
    path("people/<int:pk>/evaluators/<int:override_pk>/end/", views.override_end,
         name="override_end"),
    path("people/<int:pk>/other-evaluation/", views.person_other_evaluation,
         name="person_other_evaluation"),
    path("people/<int:pk>/hours/", views.effective_work_edit, name="effective_work_edit"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/rank-check/", views.unit_rank_check, name="unit_rank_check"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_pk>/people/new/", views.person_create, name="person_create"),
    path("organisations/<int:pk>/look/", look.organisation_look, name="organisation_look"),
    path("organisations/<int:pk>/theme.css", look.organisation_theme, name="organisation_theme"),
    path("organisations/<int:pk>/logo/", look.organisation_logo, name="organisation_logo"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/<int:pk>/", import_views.import_batch, name="import_batch"),
    path("import/<int:pk>/apply/", import_views.import_apply, name="import_apply"),
    path("import/templates/<str:kind>.csv", import_views.import_template,
         name="import_template"),
]
