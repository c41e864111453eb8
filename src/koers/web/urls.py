from django.urls import URLPattern, URLResolver, include, path

import koers.web.views_access as views_access
import koers.web.views_conversations as views_conversations
import koers.web.views_cycles as views_cycles
import koers.web.views_import as views_import
import koers.web.views_policy as views_policy
from koers.web import (
    views,
    views_dashboard,
    views_goals,
    views_notify,
    views_team,
    views_timeline,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/evaluators/", views.override_create, name="override_create"),
    path("people/<int:pk>/evaluators/<int:override_pk>/end/", views.override_end,
         name="override_end"),
    path("people/<int:pk>/hours/", views.effective_work_edit, name="effective_work_edit"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_pk>/people/new/", views.person_create, name="person_create"),
]

urlpatterns += [
    path("import/", views_import.import_start, name="import_start"),
    path("import/<int:pk>/", views_import.import_batch, name="import_batch"),
    path("import/<int:pk>/apply/", views_import.import_apply, name="import_apply"),
    path("import/templates/<str:kind>.csv", views_import.import_template, name="import_template"),
]

urlpatterns += [
    path("people/<int:pk>/timeline/", views_timeline.person_timeline_view,
         name="person_timeline"),
    path("people/<int:pk>/timeline/<int:participation_pk>/period/",
         views_timeline.participation_period, name="participation_period"),
    path("notifications/", views_notify.notifications, name="notifications"),
    path("notifications/read/", views_notify.notifications_read_all,
         name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views_notify.notification_read,
         name="notification_read"),
]

urlpatterns += [
    path("cycles/<int:cycle_id>/dashboard/", views_dashboard.cycle_dashboard,
         name="cycle_dashboard"),
    path("cycles/<int:cycle_id>/dashboard/<int:unit_id>/", views_dashboard.cycle_dashboard_unit,
         name="cycle_dashboard_unit"),
    path("cycles/<int:cycle_id>/dashboard/<int:unit_id>/export.<str:file_format>",
         views_dashboard.cycle_dashboard_export, name="cycle_dashboard_export"),
]

urlpatterns += [
    path("cycles/", views_cycles.cycle_list, name="cycle_list"),
    path("cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/resume/", views_cycles.cycle_resume, name="cycle_resume"),
]

urlpatterns += [
    path("policy/", views_policy.policy_start, name="policy_start"),
    path("organisations/<int:pk>/policy/", views_policy.policy_detail, name="policy_detail"),
    path("organisations/<int:pk>/policy/edit/", views_policy.policy_edit, name="policy_edit"),
    path("organisations/<int:pk>/policy/<str:name>/reset/", views_policy.policy_reset,
         name="policy_reset"),
]

urlpatterns += [
    path("team/", views_team.team_overview_view, name="team_overview"),
    path("goals/", views_goals.my_goals, name="my_goals"),
    path("goals/team/", views_goals.team_goals, name="team_goals"),
    path("goals/team/new/", views_goals.team_goal_new, name="team_goal_new"),
    path("goals/<int:pk>/", views_goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views_goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/confirm/", views_goals.goal_confirm, name="goal_confirm"),
    path("goals/<int:pk>/status/", views_goals.goal_status, name="goal_status"),
    path("goals/<int:pk>/notes/", views_goals.goal_comment, name="goal_comment"),
    path("people/<int:pk>/goals/", views_goals.person_goals, name="person_goals"),
    path("people/<int:pk>/goals/new/", views_goals.goal_new, name="goal_new"),
]

urlpatterns += [
    path("conversations/", views_conversations.my_conversations, name="my_conversations"),
    path("conversations/<int:pk>/", views_conversations.conversation_detail,
         name="conversation_detail"),
    path("conversations/<int:pk>/cancel/", views_conversations.conversation_cancel,
         name="conversation_cancel"),
    path("conversations/<int:pk>/hold/", views_conversations.conversation_hold,
         name="conversation_hold"),
    path("conversations/<int:pk>/report/", views_conversations.conversation_report,
         name="conversation_report"),
    path("conversations/<int:pk>/confirm/", views_conversations.conversation_confirm,
         name="conversation_confirm"),
    path("conversations/<int:pk>/move/", views_conversations.conversation_reschedule,
         name="conversation_reschedule"),
    path("conversations/<int:pk>/amendments/", views_conversations.conversation_amend,
         name="conversation_amend"),
    path("people/<int:pk>/conversations/", views_conversations.person_conversations,
         name="person_conversations"),
    path("people/<int:pk>/conversations/new/", views_conversations.conversation_new,
         name="conversation_new"),
    path("calendar/", views_conversations.calendar_settings, name="calendar_settings"),
    path("calendar/new/", views_conversations.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views_conversations.calendar_feed, name="calendar_feed"),
    path("work-plans/", views_conversations.my_work_plans, name="my_work_plans"),
    path("work-plans/new/", views_conversations.work_plan_new, name="work_plan_new"),
    path("work-plans/<int:pk>/", views_conversations.work_plan_detail, name="work_plan_detail"),
    path("work-plans/<int:pk>/edit/", views_conversations.work_plan_edit, name="work_plan_edit"),
    path("work-plans/<int:pk>/comments/", views_conversations.work_plan_comment,
         name="work_plan_comment"),
    path("work-plans/<int:pk>/confirm/", views_conversations.work_plan_confirm,
         name="work_plan_confirm"),
    path("people/<int:pk>/work-plans/", views_conversations.person_work_plans,
         name="person_work_plans"),
]

urlpatterns += [
    path("people/<int:pk>/access/new/", views_access.access_request_new,
         name="access_request_new"),
    path("access/requests/", views_access.access_requests, name="access_requests"),
    path("access/requests/<int:pk>/decide/", views_access.access_request_decide,
         name="access_request_decide"),
    path("access/reads/", views_access.my_reads, name="my_reads"),
    path("me/data/", views_access.my_data, name="my_data"),
    path("me/data.json", views_access.my_data_json, name="my_data_json"),
    path("me/data.pdf", views_access.my_data_pdf, name="my_data_pdf"),
]

urlpatterns += [
    path("", include("koers.web.evaluations.urls")),
]

# Personal development plans (POP): catalogues, preparation, the plan, HR's training demand.
urlpatterns += [
    path("", include("koers.web.development.urls")),
]

# Appeals, salary decisions and objections (consequences room).
urlpatterns += [
    path("", include("koers.web.consequences.urls")),
]
