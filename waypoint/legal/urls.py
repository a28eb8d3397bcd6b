from django.urls import path

from . import views

app_name = "legal"
P = "people/<int:person_id>/legal/"
PERIOD = P + "periods/<int:mha_period_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "periods/new/", views.new_period, name="new_period"),
    path(PERIOD, views.period, name="period"),
    path(PERIOD + "renew/", views.renew, name="renew"),
    path(PERIOD + "events/new/", views.new_event, name="new_event"),
    path(PERIOD + "end/", views.end, name="end"),
    path(PERIOD + "revoke/", views.revoke, name="revoke"),
    path(PERIOD + "entered-in-error/", views.entered_in_error, name="entered_in_error"),
    path(PERIOD + "rights/", views.rights, name="rights"),
    path(P + "aftercare/new/", views.new_aftercare, name="new_aftercare"),
    path(P + "aftercare/<int:aftercare_id>/end/", views.end_aftercare, name="end_aftercare"),
    path(P + "amhp-requests/new/", views.new_request, name="new_request"),
    path(P + "liberty/new/", views.new_liberty, name="new_liberty"),
    path(P + "liberty/<int:liberty_id>/", views.liberty, name="liberty"),
    path(P + "liberty/<int:liberty_id>/extend/", views.extend_liberty, name="extend_liberty"),
    path(P + "liberty/<int:liberty_id>/review/", views.review_liberty, name="review_liberty"),
    path(P + "liberty/<int:liberty_id>/end/", views.end_liberty, name="end_liberty"),
    path(
        P + "liberty/<int:liberty_id>/reviews/new/",
        views.record_liberty_review,
        name="record_liberty_review",
    ),
    path(
        P + "liberty-reviews/<int:liberty_review_id>/entered-in-error/",
        views.liberty_review_error,
        name="liberty_review_error",
    ),
    path(P + "relative/new/", views.new_relative, name="new_relative"),
    path(
        P + "relative/<int:relative_event_id>/entered-in-error/", views.relative_error, name="relative_error"
    ),
    path(P + "advance/new/", views.new_advance, name="new_advance"),
    path(P + "care-treatment-plans/new/", views.new_care_treatment_plan, name="new_care_treatment_plan"),
    path(
        P + "care-treatment-plans/<int:care_treatment_plan_id>/entered-in-error/",
        views.care_treatment_plan_error,
        name="care_treatment_plan_error",
    ),
    path(P + "advance/<int:advance_id>/entered-in-error/", views.advance_error, name="advance_error"),
    path(P + "capacity/new/", views.new_capacity, name="new_capacity"),
    path(P + "capacity/<int:capacity_id>/entered-in-error/", views.capacity_error, name="capacity_error"),
    path(P + "best-interests/new/", views.new_best_interests, name="new_best_interests"),
    path(
        P + "best-interests/<int:best_interests_id>/entered-in-error/",
        views.best_interests_error,
        name="best_interests_error",
    ),
    path(P + "attorney/new/", views.new_attorney, name="new_attorney"),
    path(P + "attorney/<int:attorney_id>/entered-in-error/", views.attorney_error, name="attorney_error"),
    path(P + "imca/new/", views.new_imca, name="new_imca"),
    path(P + "imca/<int:imca_id>/entered-in-error/", views.imca_error, name="imca_error"),
    path("amhp/", views.amhp_board, name="amhp_board"),
    path("amhp/rota/", views.amhp_rota, name="amhp_rota"),
    path("amhp/requests/<int:amhp_request_id>/", views.amhp_request, name="amhp_request"),
    path("amhp/requests/<int:amhp_request_id>/assessment/", views.amhp_assessment, name="amhp_assessment"),
    path("amhp/requests/<int:amhp_request_id>/complete/", views.amhp_complete, name="amhp_complete"),
    path("amhp/requests/<int:amhp_request_id>/report/", views.amhp_report, name="amhp_report"),
    path("bia/", views.bia_list, name="bia_list"),
    path("bia/requests/<int:liberty_id>/allocate/", views.allocate_bia, name="allocate_bia"),
]
