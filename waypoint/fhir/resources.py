"""Waypoint records as FHIR R4 resources in the UK Core profiles (plain dicts, JSON-ready).

Each function takes a record read with the related rows it needs (see `search.py`) and makes no
query. The shapes are checked in the tests with `fhir.resources` (its R4B models: the package
offers R4B and R5, not plain R4; R4B changed none of the elements used here).
"""

from datetime import date, datetime

from django.utils import timezone

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"
NHS_NUMBER_VERIFICATION = UK_CORE + "Extension-UKCore-NHSNumberVerificationStatus"
NHS_NUMBER_VERIFICATION_CODES = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
LOCAL_ID_SYSTEM = "https://waypoint.example.nhs.uk/Id/local-id"  # PARTIAL: a Trust sets its own
WAYPOINT_CODES = "https://waypoint.example.nhs.uk/CodeSystem/"

GENDER = {"1": "male", "2": "female", "9": "other", "X": "unknown"}


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def meta(version: int, updated: datetime | None, profile: str) -> dict:
    out: dict = {"versionId": str(version), "profile": [UK_CORE + profile]}
    if updated:
        out["lastUpdated"] = instant(updated)
    return out


def reference(resource_type: str, pk, display: str = "") -> dict:
    out = {"reference": f"{resource_type}/{pk}"}
    if display:
        out["display"] = display
    return out


def _drop_empty(resource: dict) -> dict:
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def patient(person) -> dict:
    identifiers = []
    if person.nhs_number:
        identifiers.append(
            {
                "system": NHS_NUMBER_SYSTEM,
                "value": person.nhs_number,
                "extension": [
                    {
                        "url": NHS_NUMBER_VERIFICATION,
                        # Waypoint checks the number's check digit; it does not trace it on PDS.
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": NHS_NUMBER_VERIFICATION_CODES,
                                    "code": "02",
                                    "display": "Number present but not traced",
                                }
                            ]
                        },
                    }
                ],
            }
        )
    identifiers.append({"system": LOCAL_ID_SYSTEM, "value": person.local_id})
    names = [{"use": "official", "family": person.family_name, "given": [person.given_name]}]
    if person.preferred_name:
        names.append({"use": "usual", "given": [person.preferred_name]})
    telecom = []
    if person.phone:
        telecom.append({"system": "phone", "value": person.phone})
    if person.email:
        telecom.append({"system": "email", "value": person.email})
    address = []
    if person.address or person.postcode:
        address.append(_drop_empty({"use": "home", "text": person.address, "postalCode": person.postcode}))
    gp = []
    if person.gp_practice_id:
        gp.append(
            {
                "identifier": {"system": ODS_SYSTEM, "value": person.gp_practice.ods_code},
                "display": person.gp_practice.name,
            }
        )
    resource = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "meta": meta(person.version, person.updated_at, "UKCore-Patient"),
        "identifier": identifiers,
        "name": names,
        "telecom": telecom,
        "gender": GENDER.get(person.sex, "unknown"),
        "birthDate": day(person.date_of_birth),
        "address": address,
        "generalPractitioner": gp,
    }
    if person.deceased_on:
        resource["deceasedDateTime"] = day(person.deceased_on)
    return _drop_empty(resource)


EPISODE_STATUS = {"open": "active", "transfer_pending": "active", "closed": "finished"}


def episode_of_care(episode) -> dict:
    period = _drop_empty({"start": day(episode.started_on), "end": day(episode.ended_on)})
    history = [
        {
            "status": "active",
            "period": _drop_empty({"start": day(episode.started_on), "end": day(episode.ended_on)}),
        }
    ]
    coordinator = getattr(episode, "current_coordinator", None)
    resource = {
        "resourceType": "EpisodeOfCare",
        "id": str(episode.pk),
        "meta": meta(episode.version, None, "UKCore-EpisodeOfCare"),
        "status": EPISODE_STATUS.get(episode.status, "active"),
        "statusHistory": history if episode.ended_on else [],
        "type": [
            {
                "coding": [
                    {
                        "system": WAYPOINT_CODES + "care-approach",
                        "code": episode.care_approach,
                        "display": episode.get_care_approach_display(),
                    }
                ]
            }
        ],
        "patient": reference("Patient", episode.person_id),
        "managingOrganization": {"display": episode.team.name},
        "period": period,
        "careManager": {"display": coordinator.get_full_name()} if coordinator else None,
        "team": [{"display": episode.team.name}],
    }
    return _drop_empty(resource)


def flag(alert) -> dict:
    resource = {
        "resourceType": "Flag",
        "id": str(alert.pk),
        "meta": meta(1, None, "UKCore-Flag"),
        "status": "inactive" if alert.ended_at else "active",
        "category": [
            {
                "coding": [
                    {
                        "system": WAYPOINT_CODES + "alert-category",
                        "code": alert.category,
                        "display": alert.get_category_display(),
                    }
                ]
            }
        ],
        "code": {"text": alert.summary},
        "subject": reference("Patient", alert.person_id),
        "period": _drop_empty({"start": instant(alert.created_at), "end": instant(alert.ended_at)}),
    }
    return _drop_empty(resource)


def operation_outcome(code: str, text: str, severity: str = "error") -> dict:
    """An error as FHIR says to send one. `code` is from the IssueType value set."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": text}],
    }
