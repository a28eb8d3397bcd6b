"""Ids for the sweeps (no relationship, permissions): a registered system client."""


def record_factories(person, coordinator, team):
    from waypoint.fhir.factories import registered_system_client

    return {"client_id": lambda: registered_system_client(name=f"Sweep client {person.pk}")[0].pk}
