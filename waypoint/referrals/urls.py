from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.new_referral, name="new"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("self-claimed/", views.claim_list, name="claim_list"),
    path("self-claimed/<int:claim_id>/review/", views.claim_review, name="claim_review"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/triage/", views.triage, name="triage"),
    path("<int:referral_id>/clock/", views.clock_event, name="clock_event"),
    path("<int:referral_id>/letter/", views.letter, name="letter"),
]
