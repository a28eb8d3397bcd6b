from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("notes/to-countersign/", views.to_countersign, name="to_countersign"),
    path("people/<int:person_id>/notes/", views.note_list, name="list"),
    path("people/<int:person_id>/notes/<int:note_id>/countersign/", views.countersign, name="countersign"),
    path("people/<int:person_id>/notes/new/", views.new_note, name="new"),
    path("people/<int:person_id>/notes/<int:note_id>/", views.note_detail, name="detail"),
    path("people/<int:person_id>/notes/<int:note_id>/edit/", views.edit_note, name="edit"),
    path("people/<int:person_id>/notes/<int:note_id>/autosave/", views.autosave, name="autosave"),
    path("people/<int:person_id>/notes/<int:note_id>/addendum/", views.add_addendum, name="addendum"),
    path(
        "people/<int:person_id>/notes/<int:note_id>/entered-in-error/",
        views.entered_in_error,
        name="entered_in_error",
    ),
]
