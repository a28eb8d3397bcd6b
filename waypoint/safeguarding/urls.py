from django.urls import path

from . import views

app_name = "safeguarding"
urlpatterns = [
    path("people/<int:person_id>/safeguarding/", views.concerns, name="list"),
    path("people/<int:person_id>/safeguarding/raise/", views.raise_concern, name="raise"),
    path("people/<int:person_id>/safeguarding/<int:concern_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/safeguarding/<int:concern_id>/update/", views.update, name="update"),
    path("people/<int:person_id>/safeguarding/<int:concern_id>/close/", views.close, name="close"),
    path(
        "people/<int:person_id>/safeguarding/<int:concern_id>/addendum/", views.add_addendum, name="addendum"
    ),
    path(
        "people/<int:person_id>/safeguarding/<int:concern_id>/entered-in-error/",
        views.entered_in_error,
        name="entered_in_error",
    ),
    path("people/<int:person_id>/household/", views.household, name="household"),
    path("people/<int:person_id>/household/add/", views.household_add, name="household_add"),
    path(
        "people/<int:person_id>/household/<int:member_id>/edit/", views.household_edit, name="household_edit"
    ),
    path("people/<int:person_id>/household/<int:member_id>/end/", views.household_end, name="household_end"),
    path(
        "people/<int:person_id>/household/<int:member_id>/entered-in-error/",
        views.household_entered_in_error,
        name="household_entered_in_error",
    ),
    path("safeguarding/team/", views.team_open, name="team"),
]
