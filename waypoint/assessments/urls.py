from django.urls import path

from . import views
from .models import KIND_SLUGS

app_name = "assessments"
urlpatterns = [
    path("people/<int:person_id>/assessments/", views.list_view, name="list"),
    *[
        path(f"people/<int:person_id>/assessments/new/{slug}/", views.new, {"kind": kind}, name=f"new_{kind}")
        for kind, slug in KIND_SLUGS.items()
    ],
    path("people/<int:person_id>/assessments/<int:assessment_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/assessments/<int:assessment_id>/edit/", views.edit, name="edit"),
    path(
        "people/<int:person_id>/assessments/<int:assessment_id>/revisions/<int:assessment_revision_id>/",
        views.revision,
        name="revision",
    ),
]
