"""Writes to medicines, allergies, depots and physical health. Each operation is atomic, takes the
acting user (`by`), and writes its audit row in the same transaction (field names only, never
clinical text). Administrations, checks and flag actions are written once and never changed."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from . import flags as red_zone
from .models import (
    AdministrationEnteredInError,
    Allergy,
    AllergyKind,
    BriefIntervention,
    BriefInterventionEnteredInError,
    CheckEnteredInError,
    DepotAdministration,
    DepotPrescription,
    Element,
    FlagAction,
    HealthFlag,
    Measurement,
    Medicine,
    Outcome,
    PhysicalHealthCheck,
)


class StaleRecord(Exception):
    """Someone else changed the record after this form was opened."""


class ExpiredBatch(Exception):
    """The batch had expired on the day of the injection: it must not be given."""


class AlreadyEnteredInError(Exception):
    """The record was already marked as entered in error."""


class AllergiesRecorded(Exception):
    """ "No known allergies" cannot be recorded while an allergy is recorded."""


def _filled(data: dict) -> list[str]:
    return sorted(name for name, value in data.items() if value not in (None, "", [], False))


# --- Medicines ---


@transaction.atomic
def add_medicine(*, by: Actor, person, data: dict) -> Medicine:
    permissions.require(by, "record_medicine")
    reference = data.get("reference")
    medicine = Medicine.objects.create(
        person=person,
        recorded_by=by.user,
        is_antipsychotic=bool(reference and reference.is_antipsychotic) or bool(data.get("is_antipsychotic")),
        **{k: v for k, v in data.items() if k != "is_antipsychotic"},
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.MEDICINE,
        record_id=medicine.pk,
        fields_changed=_filled(data),
    )
    return medicine


@transaction.atomic
def stop_medicine(*, by: Actor, medicine, stopped_on: date, reason: str, version: int | None) -> Medicine:
    permissions.require(by, "record_medicine")
    current = Medicine.objects.select_for_update().get(pk=medicine.pk)
    if version is None or current.version != version or current.stopped_on is not None:
        raise StaleRecord()
    current.stopped_on = stopped_on
    current.reason_stopped = reason
    current.version += 1
    current.save(update_fields=["stopped_on", "reason_stopped", "version"])
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.MEDICINE,
        record_id=current.pk,
        fields_changed=["stopped_on", "reason_stopped"],
    )
    return current


# --- Allergies ---


@transaction.atomic
def record_allergy(*, by: Actor, person, data: dict) -> Allergy:
    """An allergy or adverse reaction. A "No known allergies" statement still current is ended
    (marked entered in error, "an allergy was recorded"), so the banner never says both."""
    permissions.require(by, "record_medicine")
    list(Allergy.objects.select_for_update().filter(person=person, entered_in_error_at__isnull=True))
    now = timezone.now()
    ended = Allergy.objects.filter(
        person=person, kind=AllergyKind.NO_KNOWN_ALLERGIES, entered_in_error_at__isnull=True
    ).update(
        entered_in_error_at=now,
        entered_in_error_by=by.user,
        entered_in_error_reason="An allergy or adverse reaction was recorded",
    )
    allergy = Allergy.objects.create(person=person, recorded_by=by.user, recorded_at=now, **data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.ALLERGY,
        record_id=allergy.pk,
        fields_changed=_filled(data) + (["no_known_allergies_ended"] if ended else []),
    )
    return allergy


@transaction.atomic
def record_no_known_allergies(*, by: Actor, person, recorded_on: date) -> Allergy:
    permissions.require(by, "record_medicine")
    current = list(
        Allergy.objects.select_for_update().filter(person=person, entered_in_error_at__isnull=True)
    )
    if any(a.kind != AllergyKind.NO_KNOWN_ALLERGIES for a in current):
        raise AllergiesRecorded()
    if current:
        return current[0]
    allergy = Allergy.objects.create(
        person=person, kind=AllergyKind.NO_KNOWN_ALLERGIES, recorded_on=recorded_on, recorded_by=by.user
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.ALLERGY,
        record_id=allergy.pk,
        fields_changed=["kind", "recorded_on"],
    )
    return allergy


@transaction.atomic
def allergy_entered_in_error(*, by: Actor, allergy, reason: str) -> Allergy:
    permissions.require(by, "record_medicine")
    current = Allergy.objects.select_for_update().get(pk=allergy.pk)
    if current.entered_in_error_at is not None:
        raise AlreadyEnteredInError()
    current.entered_in_error_at = timezone.now()
    current.entered_in_error_by = by.user
    current.entered_in_error_reason = reason
    current.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.ALLERGY,
        record_id=current.pk,
        fields_changed=["entered_in_error_reason"],
    )
    return current


# --- Depot ---


@transaction.atomic
def add_depot(*, by: Actor, person, team, data: dict) -> DepotPrescription:
    permissions.require(by, "prescribe_depot")
    reference = data.get("reference")
    observation = data.pop("post_injection_observation_minutes", None)
    if observation is None:
        observation = reference.post_injection_observation_minutes if reference else 0
    depot = DepotPrescription.objects.create(
        person=person,
        team=team,
        recorded_by=by.user,
        post_injection_observation_minutes=observation,
        **data,
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.DEPOT,
        record_id=depot.pk,
        fields_changed=_filled(data),
    )
    return depot


@transaction.atomic
def stop_depot(*, by: Actor, depot, stopped_on: date, reason: str, version: int | None) -> DepotPrescription:
    permissions.require(by, "prescribe_depot")
    current = DepotPrescription.objects.select_for_update().get(pk=depot.pk)
    if version is None or current.version != version or current.stopped_on is not None:
        raise StaleRecord()
    current.stopped_on, current.reason_stopped = stopped_on, reason
    current.version += 1
    current.save(update_fields=["stopped_on", "reason_stopped", "version"])
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.DEPOT,
        record_id=current.pk,
        fields_changed=["stopped_on", "reason_stopped"],
    )
    return current


@transaction.atomic
def assign_depot_nurse(*, by: Actor, depot, nurse, version: int | None) -> DepotPrescription:
    """Who gives the depot (None: no one): it shows in that nurse's My diary. Version-checked."""
    permissions.require(by, "assign_depot_nurse")
    current = DepotPrescription.objects.select_for_update().get(pk=depot.pk)
    if version is None or current.version != version or current.stopped_on is not None:
        raise StaleRecord()
    current.nurse = nurse
    current.version += 1
    current.save(update_fields=["nurse", "version"])
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.DEPOT,
        record_id=current.pk,
        fields_changed=["nurse"],
    )
    return current


@transaction.atomic
def record_administration(*, by: Actor, depot, at: datetime, data: dict) -> DepotAdministration:
    """A dose given. An expired batch is refused here as well as in the form."""
    permissions.require(by, "give_depot")
    prescription = DepotPrescription.objects.select_for_update().get(pk=depot.pk)
    expiry = data.get("batch_expiry")
    if expiry is None or expiry < timezone.localdate(at):
        raise ExpiredBatch()
    observation_ends_at = None
    if prescription.needs_observation:
        observation_ends_at = at + timedelta(minutes=prescription.post_injection_observation_minutes)
    administration = DepotAdministration.objects.create(
        prescription=prescription,
        person_id=prescription.person_id,
        outcome=Outcome.GIVEN,
        at=at,
        given_by=by.user,
        observation_ends_at=observation_ends_at,
        **data,
    )
    audit.write(
        by,
        person=prescription.person,
        action=Action.CREATE,
        record_type=RecordType.DEPOT_ADMINISTRATION,
        record_id=administration.pk,
        fields_changed=_filled(data) + ["at", "outcome"],
    )
    return administration


@transaction.atomic
def record_not_given(*, by: Actor, depot, outcome: str, at: datetime, follow_up: str) -> DepotAdministration:
    """A missed or refused dose, with the follow-up taken. Next due does not move."""
    permissions.require(by, "give_depot")
    if outcome not in (Outcome.MISSED, Outcome.REFUSED):
        raise ValueError(outcome)
    prescription = DepotPrescription.objects.select_for_update().get(pk=depot.pk)
    administration = DepotAdministration.objects.create(
        prescription=prescription,
        person_id=prescription.person_id,
        outcome=outcome,
        at=at,
        follow_up=follow_up,
        given_by=by.user,
    )
    audit.write(
        by,
        person=prescription.person,
        action=Action.CREATE,
        record_type=RecordType.DEPOT_ADMINISTRATION,
        record_id=administration.pk,
        fields_changed=["outcome", "at", "follow_up"],
    )
    return administration


@transaction.atomic
def administration_entered_in_error(
    *, by: Actor, administration, reason: str
) -> AdministrationEnteredInError:
    permissions.require(by, "give_depot")
    current = (
        DepotAdministration.objects.select_for_update().select_related("person").get(pk=administration.pk)
    )
    if AdministrationEnteredInError.objects.filter(administration=current).exists():
        raise AlreadyEnteredInError()
    correction = AdministrationEnteredInError.objects.create(
        administration=current, reason=reason, by=by.user
    )
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.DEPOT_ADMINISTRATION,
        record_id=current.pk,
        fields_changed=["reason"],
    )
    return correction


# --- Physical health ---


@transaction.atomic
def record_check(
    *, by: Actor, person, checked_on: date, values: dict, south_asian_or_chinese: bool, comments: str = ""
) -> PhysicalHealthCheck:
    """A physical health check, complete: its measurements and its red-zone flags, then read-only.

    `values[element]` = {"value", "value_2", "text", "measured_on", "source"}. BMI is worked out
    from weight and height when not typed.
    """
    permissions.require(by, "record_physical_health")
    values = {k: dict(v) for k, v in values.items()}
    if Element.BMI not in values and Element.WEIGHT in values and Element.HEIGHT in values:
        bmi = red_zone.bmi_of(values[Element.WEIGHT]["value"], values[Element.HEIGHT]["value"])
        if bmi is not None:
            values[Element.BMI] = {**values[Element.WEIGHT], "value": bmi, "value_2": None, "text": ""}
    check = PhysicalHealthCheck.objects.create(
        person=person,
        checked_on=checked_on,
        south_asian_or_chinese=south_asian_or_chinese,
        comments=comments,
        recorded_by=by.user,
    )
    Measurement.objects.bulk_create(
        Measurement(
            check_record=check,
            person=person,
            element=element,
            value=entry.get("value"),
            value_2=entry.get("value_2"),
            text=entry.get("text") or "",
            measured_on=entry["measured_on"],
            source=entry["source"],
        )
        for element, entry in values.items()
    )
    weights = list(
        Measurement.objects.filter(
            person=person, element=Element.WEIGHT, check_record__correction__isnull=True, value__isnull=False
        )
        .exclude(check_record=check)
        .values_list("measured_on", "value")
    )
    earlier_weights: list[tuple[date, Decimal]] = [(day, kg) for day, kg in weights if kg is not None]
    found = red_zone.flags_for(
        values, south_asian_or_chinese=south_asian_or_chinese, earlier_weights=earlier_weights
    )
    HealthFlag.objects.bulk_create(
        HealthFlag(check_record=check, person=person, element=element, reason=reason)
        for element, reason in found
    )
    audit.write(
        by,
        person=person,
        action=Action.COMPLETE,
        record_type=RecordType.PHYSICAL_HEALTH_CHECK,
        record_id=check.pk,
        fields_changed=sorted(values) + (["flags"] if found else []),
    )
    return check


@transaction.atomic
def record_flag_action(*, by: Actor, flag, intervention: str, detail: str) -> FlagAction:
    permissions.require(by, "record_physical_health")
    current = HealthFlag.objects.select_for_update().select_related("person").get(pk=flag.pk)
    action = FlagAction.objects.create(flag=current, intervention=intervention, detail=detail, by=by.user)
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.PHYSICAL_HEALTH_CHECK,
        record_id=current.check_record_id,
        fields_changed=["flag_action"],
    )
    return action


@transaction.atomic
def check_entered_in_error(*, by: Actor, check, reason: str) -> CheckEnteredInError:
    permissions.require(by, "record_physical_health")
    current = PhysicalHealthCheck.objects.select_for_update().select_related("person").get(pk=check.pk)
    if CheckEnteredInError.objects.filter(check_record=current).exists():
        raise AlreadyEnteredInError()
    correction = CheckEnteredInError.objects.create(check_record=current, reason=reason, by=by.user)
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.PHYSICAL_HEALTH_CHECK,
        record_id=current.pk,
        fields_changed=["reason"],
    )
    return correction


@transaction.atomic
def record_brief_intervention(*, by: Actor, person, data: dict) -> BriefIntervention:
    permissions.require(by, "record_physical_health")
    given = BriefIntervention.objects.create(person=person, by=by.user, **data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.BRIEF_INTERVENTION,
        record_id=given.pk,
        fields_changed=_filled(data),
    )
    return given


@transaction.atomic
def record_brief_interventions_at_contact(*, by: Actor, person, contact, items: list[dict]):
    """The brief interventions given at a contact, recorded with it (called from the contact
    form, inside the contact's transaction): each on the contact's day, against the contact and
    the person, one audit row each."""
    permissions.require(by, "record_physical_health")
    if contact.person_id != person.pk:
        raise ValueError("The contact is not this person's")
    given_on = timezone.localdate(contact.occurred_at)
    return [
        record_brief_intervention(
            by=by,
            person=person,
            data={
                "topic": item["topic"],
                "given_on": given_on,
                "discussed": item["discussed"],
                "referral": item.get("referral", ""),
                "contact": contact,
            },
        )
        for item in items
    ]


@transaction.atomic
def brief_intervention_entered_in_error(
    *, by: Actor, intervention, reason: str
) -> BriefInterventionEnteredInError:
    """Kept, crossed out, with the reason; never deleted or changed."""
    permissions.require(by, "record_physical_health")
    current = BriefIntervention.objects.select_for_update().select_related("person").get(pk=intervention.pk)
    if BriefInterventionEnteredInError.objects.filter(intervention=current).exists():
        raise AlreadyEnteredInError()
    correction = BriefInterventionEnteredInError.objects.create(
        intervention=current, reason=reason, by=by.user
    )
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.BRIEF_INTERVENTION,
        record_id=current.pk,
        fields_changed=["reason"],
    )
    return correction
