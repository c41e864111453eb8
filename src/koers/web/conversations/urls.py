from django.urls import path

from koers.web.conversations import team_views, views

urlpatterns = [
    path("team/", team_views.team_overview_view, name="team_overview"),
    path("conversations/", views.my_conversations, name="my_conversations"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("conversations/<int:pk>/cancel/", views.conversation_cancel,
         name="conversation_cancel"),
    path("conversations/<int:pk>/hold/", views.conversation_hold, name="conversation_hold"),
    path("conversations/<int:pk>/report/", views.conversation_report,
         name="conversation_report"),
    path("conversations/<int:pk>/confirm/", views.conversation_confirm,
         name="conversation_confirm"),
    path("conversations/<int:pk>/move/", views.conversation_reschedule,
         name="conversation_reschedule"),
    path("conversations/<int:pk>/amendments/", views.conversation_amend,
         name="conversation_amend"),
    path("people/<int:pk>/conversations/", views.person_conversations,
         name="person_conversations"),
    path("people/<int:pk>/conversations/new/", views.conversation_new, name="conversation_new"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/new/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("work-plans/", views.my_work_plans, name="my_work_plans"),
    path("work-plans/new/", views.work_plan_new, name="work_plan_new"),
    path("work-plans/<int:pk>/", views.work_plan_detail, name="work_plan_detail"),
    path("work-plans/<int:pk>/edit/", views.work_plan_edit, name="work_plan_edit"),
    path("work-plans/<int:pk>/comments/", views.work_plan_comment, name="work_plan_comment"),
    path("work-plans/<int:pk>/confirm/", views.work_plan_confirm, name="work_plan_confirm"),
    path("people/<int:pk>/work-plans/", views.person_work_plans, name="person_work_plans"),
]
