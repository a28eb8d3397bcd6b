from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("diary/", views.my_diary, name="diary"),
    path("clinics/", views.clinic_list, name="clinic"),
    path("disengagement-procedure/", views.procedure, name="procedure"),
    path("people/<int:person_id>/appointments/new/", views.book_appointment, name="book"),
    path(
        "people/<int:person_id>/appointments/<int:appointment_id>/record/",
        views.record_appointment,
        name="record_appointment",
    ),
    path("people/<int:person_id>/contacts/", views.contacts, name="contacts"),
    path("people/<int:person_id>/contacts/new/", views.record_contact, name="record_contact"),
    path("people/<int:person_id>/contacts/<int:contact_id>/", views.contact, name="contact"),
    path("people/<int:person_id>/contacts/<int:contact_id>/correct/", views.correct_contact, name="correct"),
    path(
        "people/<int:person_id>/contacts/<int:contact_id>/entered-in-error/",
        views.contact_entered_in_error,
        name="entered_in_error",
    ),
    path(
        "people/<int:person_id>/indirect-activity/new/",
        views.record_indirect_activity,
        name="record_indirect",
    ),
    path(
        "people/<int:person_id>/indirect-activity/<int:indirect_activity_id>/entered-in-error/",
        views.indirect_entered_in_error,
        name="indirect_entered_in_error",
    ),
    path(
        "people/<int:person_id>/coded-interventions/new/",
        views.record_coded_intervention,
        name="record_coded_intervention",
    ),
    path(
        "people/<int:person_id>/coded-interventions/<int:coded_intervention_id>/entered-in-error/",
        views.coded_intervention_entered_in_error,
        name="coded_intervention_entered_in_error",
    ),
    path("people/<int:person_id>/engagement/", views.engagement, name="engagement"),
    path("people/<int:person_id>/engagement/frequency/", views.set_frequency, name="set_frequency"),
    path("people/<int:person_id>/engagement/steps/new/", views.record_step, name="record_step"),
]
