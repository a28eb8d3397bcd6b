from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("people/<int:person_id>/risk-formulation/", views.current, name="current"),
    path("people/<int:person_id>/risk-formulation/write/", views.write, name="write"),
    path("people/<int:person_id>/risk-formulation/history/", views.history, name="history"),
    path(
        "people/<int:person_id>/risk-formulation/revisions/<int:risk_formulation_id>/",
        views.revision,
        name="revision",
    ),
]
