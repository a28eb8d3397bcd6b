"""Ids the no-relationship sweep needs for the worklist pages (the outsider is no team manager)."""


def record_factories(person, coordinator, team):
    return {"caseload_worker_id": lambda: coordinator.pk}
