from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("people/<int:person_id>/reviews/", views.reviews, name="list"),
    path("people/<int:person_id>/reviews/plan/", views.schedule, name="schedule"),
    path("people/<int:person_id>/reviews/record/", views.record_new, name="record_new"),
    path("people/<int:person_id>/reviews/<int:care_review_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/reviews/<int:care_review_id>/record/", views.record, name="record"),
    path(
        "people/<int:person_id>/reviews/<int:care_review_id>/addendum/", views.add_addendum, name="addendum"
    ),
]
