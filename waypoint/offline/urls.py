from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("visits/", views.visit_day, name="visit_day"),
    path("visits/offline/", views.shell, name="shell"),
    path("visits/sw.js", views.service_worker, name="service_worker"),
    path("visits/sync/", views.sync, name="sync"),
]
