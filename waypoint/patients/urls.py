from django.urls import path

from . import record_sections, views

app_name = "patients"
urlpatterns = [
    path("", views.search, name="search"),
    path("trace/", views.trace, name="trace"),
    path("register/", views.register, name="register"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/carers/add/", views.add_carer, name="add_carer"),
    path("<int:person_id>/alerts/add/", views.add_alert, name="add_alert"),
    path("<int:person_id>/alerts/<int:alert_id>/end/", views.end_alert, name="end_alert"),
] + [
    # One page per tab of the record that has no page of its own (record_sections.register_tab).
    path(f"<int:person_id>/record/{tab.key}/", views.record_tab, {"tab": tab.key}, name=f"record_{tab.key}")
    for tab in record_sections.tabs()
    if not tab.url_name and tab.key != record_sections.OVERVIEW
]
