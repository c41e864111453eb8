"""Evaluation pages (evaluations room)."""

from django.urls import path

from koers.web.evaluations import probation, views, writing

urlpatterns = [
    path("evaluations/", views.my_evaluations, name="my_evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/self-evaluation/", writing.evaluation_self,
         name="evaluation_self"),
    path("evaluations/<int:pk>/report/", writing.evaluation_report,
         name="evaluation_report"),
    path("evaluations/<int:pk>/sign/", writing.evaluation_sign, name="evaluation_sign"),
    path("evaluations/<int:pk>/written-procedure/",
         writing.evaluation_written_procedure, name="evaluation_written_procedure"),
    path("evaluations/<int:pk>/send-draft/", writing.evaluation_send_draft,
         name="evaluation_send_draft"),
    path("evaluations/<int:pk>/draft-remarks/", writing.evaluation_draft_remarks,
         name="evaluation_draft_remarks"),
    path("evaluations/<int:pk>/correct/", writing.evaluation_correct,
         name="evaluation_correct"),
    path("evaluations/<int:pk>/close-unsigned/", writing.evaluation_close_unsigned,
         name="evaluation_close_unsigned"),
    path("evaluations/<int:pk>/cancel/", writing.evaluation_cancel,
         name="evaluation_cancel"),
    path("evaluations/<int:pk>/objection/", writing.evaluation_objection,
         name="evaluation_objection"),
    path("evaluations/<int:pk>/report.pdf", views.evaluation_pdf,
         name="evaluation_pdf"),
    path("people/<int:pk>/evaluations/", views.person_evaluations,
         name="person_evaluations"),
    path("people/<int:pk>/evaluations/formal-assessment/",
         views.formal_assessment_new, name="formal_assessment_new"),
    path("people/<int:pk>/probation/", probation.person_probation, name="person_probation"),
    path("people/<int:pk>/probation/new/", probation.probation_new, name="probation_new"),
    path("people/<int:pk>/evaluations/probation/", probation.probation_evaluation_new,
         name="probation_evaluation_new"),
    path("probations/<int:pk>/", probation.probation_detail, name="probation_detail"),
    path("probations/<int:pk>/absences/", probation.probation_absences,
         name="probation_absences"),
    path("people/<int:pk>/timeline/<int:participation_pk>/evaluation/",
         views.participation_evaluation, name="participation_evaluation"),
]
