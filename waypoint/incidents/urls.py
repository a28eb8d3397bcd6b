from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incidents, name="list"),
    path("incidents/report/", views.report, name="report"),
    path("incidents/export.csv", views.export_csv, name="export"),
    path("incidents/<int:incident_id>/", views.detail, name="detail"),
    path("incidents/<int:incident_id>/review/", views.review, name="review"),
    path("incidents/<int:incident_id>/actions/add/", views.add_action, name="add_action"),
    path("incidents/<int:incident_id>/candour/", views.candour, name="candour"),
    path("incidents/<int:incident_id>/close/", views.close, name="close"),
    path("incidents/<int:incident_id>/addendum/", views.add_addendum, name="addendum"),
    path("incidents/<int:incident_id>/entered-in-error/", views.entered_in_error, name="entered_in_error"),
]
