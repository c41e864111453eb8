"""Personal improvement plans (improvement room)."""

from django.urls import path

from koers.web.improvement import views

urlpatterns = [
    path("people/<int:pk>/improvement/", views.person_improvement, name="person_improvement"),
    path("people/<int:pk>/improvement/new/", views.improvement_plan_new,
         name="improvement_plan_new"),
    path("improvement/<int:pk>/", views.improvement_plan, name="improvement_plan"),
    path("improvement/<int:pk>/edit/", views.improvement_plan_edit,
         name="improvement_plan_edit"),
    path("improvement/<int:pk>/sign/", views.improvement_plan_sign,
         name="improvement_plan_sign"),
    path("improvement/<int:pk>/remarks/", views.improvement_plan_remarks,
         name="improvement_plan_remarks"),
    path("improvement/<int:pk>/cancel/", views.improvement_plan_cancel,
         name="improvement_plan_cancel"),
    path("improvement/<int:pk>/extend/", views.improvement_plan_extend,
         name="improvement_plan_extend"),
    path("improvement/<int:pk>/extension/agree/", views.improvement_plan_extension_agree,
         name="improvement_plan_extension_agree"),
    path("improvement/<int:pk>/decide/", views.improvement_plan_decide,
         name="improvement_plan_decide"),
    path("improvement-follow-ups/<int:pk>/schedule/", views.improvement_follow_up_schedule,
         name="improvement_follow_up_schedule"),
    path("improvement-follow-ups/<int:pk>/record/", views.improvement_follow_up_record,
         name="improvement_follow_up_record"),
]
