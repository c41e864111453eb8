from django.urls import path

from koers.web.policy import views

urlpatterns = [
    path("policy/", views.policy_start, name="policy_start"),
    path("organisations/<int:pk>/policy/", views.policy_detail, name="policy_detail"),
    path("organisations/<int:pk>/policy/edit/", views.policy_edit, name="policy_edit"),
    path("organisations/<int:pk>/policy/<str:name>/reset/", views.policy_reset,
         name="policy_reset"),
]
