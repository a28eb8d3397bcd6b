from django.urls import path, re_path

from . import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("<str:resource_type_name>", views.search, name="search"),
    path("<str:resource_type_name>/<str:record_id>", views.read, name="read"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
