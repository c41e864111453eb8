from django.urls import path

from koers.web.cycles import dashboard_views, late_views, timeline_views, views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/resume/", views.cycle_resume, name="cycle_resume"),
    path("cycles/<int:cycle_id>/dashboard/", dashboard_views.cycle_dashboard,
         name="cycle_dashboard"),
    path("cycles/<int:cycle_id>/dashboard/<int:unit_id>/", dashboard_views.cycle_dashboard_unit,
         name="cycle_dashboard_unit"),
    path("cycles/<int:cycle_id>/dashboard/<int:unit_id>/export.<str:file_format>",
         dashboard_views.cycle_dashboard_export, name="cycle_dashboard_export"),
    path("cycles/<int:cycle_id>/dashboard/<int:unit_id>/late/<str:step>/",
         late_views.cycle_dashboard_late, name="cycle_dashboard_late"),
    path("people/<int:pk>/timeline/", timeline_views.person_timeline_view,
         name="person_timeline"),
    path("people/<int:pk>/timeline/<int:participation_pk>/period/",
         timeline_views.participation_period, name="participation_period"),
    path("people/<int:pk>/timeline/<int:participation_pk>/leaving/",
         timeline_views.participation_leaving, name="participation_leaving"),
]
