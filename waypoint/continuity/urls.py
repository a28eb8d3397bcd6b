from django.urls import path

from . import views

app_name = "continuity"
urlpatterns = [
    path("downtime-packs/", views.pack_list, name="packs"),
    path("downtime-packs/<int:team_id>/download/", views.download, name="download"),
]
