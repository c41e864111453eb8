from django.urls import path

from koers.web.health import views

urlpatterns = [
    path("health/live", views.live, name="health_live"),
    path("health/ready", views.ready, name="health_ready"),
    path("metrics", views.metrics_page, name="metrics"),
]
