from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("privacy/people/", views.find_person, name="find_person"),
    path("privacy/account-changes/", views.account_changes, name="account_changes"),
    path("privacy/people/<int:person_id>/access-history/", views.access_history, name="access_history"),
]
