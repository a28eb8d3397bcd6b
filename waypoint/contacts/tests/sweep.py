"""Ids the no-relationship sweep needs for the contacts pages: each record belongs to `person`."""

from waypoint.contacts.factories import (
    AppointmentFactory,
    CodedInterventionFactory,
    ContactFactory,
    IndirectActivityFactory,
)


def record_factories(person, coordinator, team):
    return {
        "appointment_id": lambda: AppointmentFactory(person=person, team=team, booked_by=coordinator).pk,
        "contact_id": lambda: ContactFactory(person=person, team=team, recorded_by=coordinator).pk,
        "indirect_activity_id": lambda: (
            IndirectActivityFactory(person=person, team=team, recorded_by=coordinator).pk
        ),
        "coded_intervention_id": lambda: (
            CodedInterventionFactory(person=person, team=team, recorded_by=coordinator).pk
        ),
    }
