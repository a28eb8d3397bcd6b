from django.urls import path

from . import views

app_name = "episodes"
urlpatterns = [
    path("referrals/<int:referral_id>/", views.allocate, name="allocate"),
    path("caseloads/", views.caseloads, name="caseloads"),
]
