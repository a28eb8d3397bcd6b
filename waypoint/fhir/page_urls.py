from django.urls import path

from . import pages

app_name = "fhir_pages"

urlpatterns = [
    path("", pages.client_list, name="system_clients"),
    path("<int:client_id>/audit/", pages.client_audit, name="system_client_audit"),
]
