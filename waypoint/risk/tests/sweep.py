"""Ids the no-relationship sweep needs to build risk formulation URLs."""

from waypoint.risk.factories import RiskFormulationFactory


def record_factories(person, coordinator, team):
    return {"risk_formulation_id": lambda: RiskFormulationFactory(person=person, written_by=coordinator).pk}
