from django.urls import path

from . import views

app_name = "medicines"
P = "people/<int:person_id>/medicines/"
urlpatterns = [
    path(P + "new/", views.add_medicine, name="add_medicine"),
    path(P + "<int:medicine_id>/stop/", views.stop_medicine, name="stop_medicine"),
    path(P + "allergies/new/", views.add_allergy, name="add_allergy"),
    path(P + "allergies/none-known/", views.no_known_allergies, name="no_known_allergies"),
    path(
        P + "allergies/<int:allergy_id>/entered-in-error/",
        views.allergy_entered_in_error,
        name="allergy_entered_in_error",
    ),
    path(P + "depots/new/", views.add_depot, name="add_depot"),
    path(P + "depots/<int:depot_id>/", views.depot, name="depot"),
    path(P + "depots/<int:depot_id>/stop/", views.stop_depot, name="stop_depot"),
    path(P + "depots/<int:depot_id>/nurse/", views.depot_nurse, name="depot_nurse"),
    path(P + "depots/<int:depot_id>/give/", views.give, name="give"),
    path(P + "depots/<int:depot_id>/not-given/", views.not_given, name="not_given"),
    path(P + "administrations/<int:administration_id>/", views.administration, name="administration"),
    path(
        P + "administrations/<int:administration_id>/entered-in-error/",
        views.administration_entered_in_error,
        name="administration_entered_in_error",
    ),
    path(P + "physical-health/new/", views.new_check, name="new_check"),
    path(P + "physical-health/trends/", views.trends, name="trends"),
    path(P + "physical-health/<int:check_id>/", views.check, name="check"),
    path(
        P + "physical-health/<int:check_id>/entered-in-error/",
        views.check_entered_in_error,
        name="check_entered_in_error",
    ),
    path(
        P + "physical-health/<int:check_id>/flags/<int:flag_id>/action/",
        views.flag_action,
        name="flag_action",
    ),
    path(P + "brief-interventions/new/", views.new_brief_intervention, name="new_brief_intervention"),
    path(
        P + "brief-interventions/<int:brief_intervention_id>/entered-in-error/",
        views.brief_intervention_entered_in_error,
        name="brief_intervention_entered_in_error",
    ),
    path("depot-clinic/", views.depot_clinic, name="depot_clinic"),
    path("physical-health/team/", views.team_figures, name="team_figures"),
]
