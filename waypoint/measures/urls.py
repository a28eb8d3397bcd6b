from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("people/<int:person_id>/measures/", views.list_view, name="list"),
    path("people/<int:person_id>/measures/new/<slug:code>/", views.new, name="new"),
    path("people/<int:person_id>/measures/<int:measure_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/measures/history/<slug:code>/", views.history_view, name="history"),
    path("people/<int:person_id>/measures/since-last-review/", views.since_review, name="since_review"),
    path("measures/team/no-baseline/", views.team_no_baseline, name="team_no_baseline"),
]
