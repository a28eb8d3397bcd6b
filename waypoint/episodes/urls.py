from django.urls import path

from . import views

app_name = "episodes"
urlpatterns = [
    path("referrals/<int:referral_id>/", views.allocate, name="allocate"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("referrals/<int:referral_id>/open-episode/", views.open_from_referral, name="open_from_referral"),
    path("people/<int:person_id>/episodes/new/", views.open_for_person, name="open_for_person"),
    path("people/<int:person_id>/episodes/<int:episode_id>/", views.episode, name="episode"),
    path(
        "people/<int:person_id>/episodes/<int:episode_id>/care-coordinator/",
        views.care_coordinator,
        name="care_coordinator",
    ),
    path(
        "people/<int:person_id>/episodes/<int:episode_id>/transfer/",
        views.request_transfer,
        name="request_transfer",
    ),
    path(
        "people/<int:person_id>/episodes/<int:episode_id>/care-approach/",
        views.care_approach,
        name="care_approach",
    ),
    path("people/<int:person_id>/episodes/<int:episode_id>/discharge/", views.discharge, name="discharge"),
    path(
        "people/<int:person_id>/episodes/<int:episode_id>/discharge/letter-to-gp/",
        views.discharge_letter_gp,
        name="discharge_letter_gp",
    ),
    path(
        "people/<int:person_id>/episodes/<int:episode_id>/discharge/letter-to-person/",
        views.discharge_letter_person,
        name="discharge_letter_person",
    ),
    path(
        "people/<int:person_id>/transfers/<int:transfer_id>/", views.decide_transfer, name="decide_transfer"
    ),
    path(
        "people/<int:person_id>/transfers/<int:transfer_id>/withdraw/",
        views.withdraw_transfer,
        name="withdraw_transfer",
    ),
    path("transfers/", views.transfers, name="transfers"),
]
