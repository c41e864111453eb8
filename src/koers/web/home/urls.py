from django.urls import path

from koers.web.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
]
