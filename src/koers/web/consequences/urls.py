"""Appeals, salary decisions and objections (consequences room)."""

from django.urls import path

from koers.web.consequences import views

urlpatterns = [
    path("consequences/", views.consequences, name="consequences"),
    path("salary-decisions/", views.salary_worklist, name="salary_worklist"),
    path("salary-decisions/<int:pk>/", views.salary_decision_detail,
         name="salary_decision_detail"),
    path("salary-decisions/<int:pk>/objection/", views.objection_new,
         name="objection_new"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/advice/", views.objection_advice,
         name="objection_advice"),
    path("objections/<int:pk>/decision/", views.objection_decide,
         name="objection_decide"),
    path("evaluations/<int:pk>/appeal/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("evaluations/<int:pk>/unfitness/", views.unfitness_review, name="unfitness_review"),
    path("appeals/<int:pk>/file/", views.appeal_file, name="appeal_file"),
    path("appeals/<int:pk>/hearing/", views.appeal_hearing, name="appeal_hearing"),
    path("appeals/<int:pk>/advice/", views.appeal_advice, name="appeal_advice"),
    path("appeals/<int:pk>/outcome/", views.appeal_outcome, name="appeal_outcome"),
]
