"""Ids for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from django.utils import timezone

from waypoint.medicines.factories import (
    AdministrationFactory,
    AllergyFactory,
    CheckFactory,
    DepotFactory,
    FlagFactory,
    MedicineFactory,
)
from waypoint.medicines.models import BriefIntervention


def record_factories(person, coordinator, team):
    made = {}

    def once(key, build):
        if key not in made:
            made[key] = build()
        return made[key]

    def depot():
        return once("depot", lambda: DepotFactory(person=person, team=team, recorded_by=coordinator))

    def check():
        return once("check", lambda: CheckFactory(person=person, recorded_by=coordinator))

    return {
        "medicine_id": lambda: MedicineFactory(person=person, recorded_by=coordinator).pk,
        "allergy_id": lambda: AllergyFactory(person=person, recorded_by=coordinator).pk,
        "depot_id": lambda: depot().pk,
        "administration_id": lambda: AdministrationFactory(prescription=depot(), given_by=coordinator).pk,
        "check_id": lambda: check().pk,
        "flag_id": lambda: FlagFactory(check_record=check()).pk,
        "brief_intervention_id": lambda: (
            BriefIntervention.objects.create(
                person=person,
                topic="smoking",
                given_on=timezone.localdate(),
                discussed="Synthetic",
                by=coordinator,
            ).pk
        ),
    }
