"""Ids the no-relationship sweep needs to build incident URLs: an incident the coordinator reported
about `person` (the outsider neither reported it, nor is involved, nor manages the team)."""

from waypoint.incidents.factories import IncidentFactory, IncidentPersonFactory


def record_factories(person, coordinator, team):
    def incident_id():
        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        return incident.pk

    return {"incident_id": incident_id}
