from django.urls import path

from . import views

app_name = "worklist"
urlpatterns = [
    path("caseload/", views.my_caseload, name="my_caseload"),
    path("caseload/team/", views.team, name="team"),
    path(
        "caseload/team/coordinators/<int:caseload_worker_id>/", views.coordinator_caseload, name="coordinator"
    ),
]
