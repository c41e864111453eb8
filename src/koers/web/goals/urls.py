from django.urls import path

from koers.web.goals import views

urlpatterns = [
    path("goals/", views.my_goals, name="my_goals"),
    path("goals/team/", views.team_goals, name="team_goals"),
    path("goals/team/new/", views.team_goal_new, name="team_goal_new"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/confirm/", views.goal_confirm, name="goal_confirm"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("goals/<int:pk>/notes/", views.goal_comment, name="goal_comment"),
    path("people/<int:pk>/goals/", views.person_goals, name="person_goals"),
    path("people/<int:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("planning/<int:pk>/", views.planning_detail, name="planning_detail"),
    path("planning/<int:pk>/sign/", views.planning_sign, name="planning_sign"),
]
