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
    resource: dict = {
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
    resource["extension"] = legal_status(person)
    return _drop_empty(resource)


# UK Core's Extension-UKCore-LegalStatus is for an Encounter (the legal status on admission or
# discharge), not for a person's status now in the community, and UK Core has none on Patient. So
# this is Waypoint's own extension (ADR 0016): one per open Mental Health Act period (detention,
# CTO, guardianship, holding power) or deprivation of liberty authorisation in force, or "informal"
# when there is none, as the record's banner says.
LEGAL_STATUS = "https://waypoint.example.nhs.uk/StructureDefinition/Extension-Waypoint-LegalStatus"
LEGAL_STATUS_KIND = WAYPOINT_CODES + "legal-status-kind"
MHA_SECTION = WAYPOINT_CODES + "mha-section"
LIBERTY_TEXT = {
    "urgent": "DoLS urgent authorisation",
    "standard": "DoLS standard authorisation",
    "court": "Court of Protection order",
}


def _legal_entry(kind: str, display: str, parts: list[dict]) -> dict:
    return {
        "url": LEGAL_STATUS,
        "extension": [
            {"url": "kind", "valueCoding": {"system": LEGAL_STATUS_KIND, "code": kind, "display": display}},
            *parts,
        ],
    }


def legal_status(person) -> list[dict]:
    """The legal status extensions of a person read with `search._visible_people` (no query)."""
    today = timezone.localdate()
    out = []
    for period in getattr(person, "open_mha_periods", []):
        rule = period.rule
        ends = (
            timezone.localtime(period.expires_at).isoformat(timespec="seconds")
            if period.expires_at
            else day(period.expires_on)
        )
        parts: list[dict] = [
            {
                "url": "section",
                "valueCodeableConcept": {
                    "coding": [{"system": MHA_SECTION, "code": rule.code, "display": rule.label}],
                    "text": rule.short,
                },
            },
            {"url": "period", "valuePeriod": _drop_empty({"start": day(period.starts_on), "end": ends})},
        ]
        if period.has_expired(today):
            parts.append({"url": "expiredWithoutRenewalOrDischarge", "valueBoolean": True})
        out.append(_legal_entry(rule.kind, rule.get_kind_display(), parts))
    kind = getattr(person, "liberty_kind", None)
    if kind:
        period = _drop_empty({"start": day(person.liberty_starts), "end": day(person.liberty_ends)})
        out.append(
            _legal_entry(
                f"dols_{kind}", LIBERTY_TEXT.get(kind, kind), [{"url": "period", "valuePeriod": period}]
            )
        )
    if not out and hasattr(person, "open_mha_periods"):
        out.append(_legal_entry("informal", "Informal (no Mental Health Act section or DoLS recorded)", []))
    return out


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


CONSENT_TO_SHARE = WAYPOINT_CODES + "carer-consent-to-share"


def related_person(carer) -> dict:
    """A carer or relative, with what the person agrees Waypoint shares with them."""
    telecom = []
    if carer.phone:
        telecom.append({"system": "phone", "value": carer.phone})
    if carer.email:
        telecom.append({"system": "email", "value": carer.email})
    relationships = [{"text": carer.relationship}]
    if carer.is_nearest_relative:
        relationships.append({"text": "Nearest relative (Mental Health Act 1983)"})
    if carer.is_nominated_person:
        relationships.append({"text": "Nominated person (Mental Health Act 2025)"})
    resource = {
        "resourceType": "RelatedPerson",
        "id": str(carer.pk),
        "meta": meta(1, None, "UKCore-RelatedPerson"),
        "active": True,
        "patient": reference("Patient", carer.person_id),
        "relationship": relationships,
        "name": [{"text": carer.name}],
        "telecom": telecom,
        "address": [{"text": carer.address}] if carer.address else [],
        "extension": [
            {
                "url": CONSENT_TO_SHARE,
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": CONSENT_TO_SHARE,
                            "code": carer.consent_to_share,
                            "display": carer.get_consent_to_share_display(),
                        }
                    ]
                },
            }
        ],
    }
    return _drop_empty(resource)


def care_plan(plan) -> dict:
    """A plan with its current revision (the agreed one, or the draft if none is agreed yet). The
    person's own words are kept as they were written, in `note` and the activities."""
    revision = plan.current_revision
    notes, activities = [], []
    content = revision.content if revision else {}
    for need in content.get("needs", []) if isinstance(content, dict) else []:
        text = f"Need: {need.get('need', '')}"
        if need.get("goal"):
            text += f"\nGoal, in the person's own words: {need['goal']}"
        notes.append({"text": text})
        for intervention in need.get("interventions") or []:
            description = intervention.get("what", "")
            extra = ", ".join(v for v in (intervention.get("who"), intervention.get("how_often")) if v)
            activities.append(
                {
                    "detail": {
                        "status": "not-started",
                        "description": f"{description} ({extra})" if extra else description,
                    }
                }
            )
    for section in plan.sections:
        value = content.get(section.key) if isinstance(content, dict) else None
        if value:
            notes.append({"text": f"{section.label}: {value}"})
    status = "draft"
    if revision and revision.status == "agreed":
        status = "active"
    resource = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "meta": meta(
            revision.version if revision else 1, revision.updated_at if revision else None, "UKCore-CarePlan"
        ),
        "status": status,
        "intent": "plan",
        "category": [
            {
                "coding": [
                    {
                        "system": WAYPOINT_CODES + "plan-kind",
                        "code": plan.kind,
                        "display": plan.get_kind_display(),
                    }
                ]
            }
        ],
        "title": plan.get_kind_display(),
        "subject": reference("Patient", plan.person_id),
        "period": {"start": day(revision.agreed_on)} if revision and revision.agreed_on else None,
        "created": instant(plan.created_at),
        "note": notes,
        "activity": activities,
        "extension": [
            {
                "url": WAYPOINT_CODES + "agreed-with-person",
                "valueBoolean": bool(revision.agreed_with_person),
            }
        ]
        if revision and revision.status == "agreed" and revision.agreed_with_person is not None
        else [],
    }
    return _drop_empty(resource)


ATTEND_OR_DNA = WAYPOINT_CODES + "mhsds-attend-or-dna"  # MHSDS AttendOrDNACode
CONSULTATION_MECHANISM = WAYPOINT_CODES + "mhsds-consultation-mechanism"  # MHSDS ConsMechanismMH
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _encounter_class(mechanism: str, location_type: str) -> dict:
    if mechanism != "01":
        return {"system": ACT_CODE, "code": "VR", "display": "virtual"}
    if location_type == "home":
        return {"system": ACT_CODE, "code": "HH", "display": "home health"}
    return {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"}


def encounter(contact) -> dict:
    """A care contact (MHSDS MHS201), with its attendance and consultation medium as MHSDS codes."""
    attended = contact.attendance == "5"
    resource = {
        "resourceType": "Encounter",
        "id": str(contact.pk),
        "meta": meta(1, None, "UKCore-Encounter"),
        "status": "finished" if attended else "cancelled",
        "class": _encounter_class(contact.mechanism, contact.location_type),
        "type": [
            {
                "coding": [
                    {
                        "system": ATTEND_OR_DNA,
                        "code": contact.attendance,
                        "display": contact.get_attendance_display(),
                    }
                ]
            },
            {
                "coding": [
                    {
                        "system": CONSULTATION_MECHANISM,
                        "code": contact.mechanism,
                        "display": contact.get_mechanism_display(),
                    }
                ]
            },
        ],
        "subject": reference("Patient", contact.person_id),
        "participant": [
            {"individual": {"display": member.get_full_name()}} for member in contact.staff.all()
        ],
        "period": {"start": instant(contact.occurred_at)},
        "length": {
            "value": contact.duration_minutes,
            "unit": "min",
            "system": "http://unitsofmeasure.org",
            "code": "min",
        }
        if contact.duration_minutes
        else None,
        "serviceProvider": {"display": contact.team.name},
        "appointment": [reference("Appointment", contact.appointment_id)] if contact.appointment_id else [],
    }
    return _drop_empty(resource)


APPOINTMENT_STATUS = {"5": "fulfilled", "3": "noshow", "2": "cancelled", "4": "cancelled"}


def appointment(booked) -> dict:
    from datetime import datetime as dt
    from datetime import timedelta

    start = timezone.make_aware(dt.combine(booked.date, booked.start_time))
    contact = booked.current_contact()
    status = APPOINTMENT_STATUS.get(contact.attendance, "booked") if contact else "booked"
    participants = [{"actor": reference("Patient", booked.person_id), "status": "accepted"}]
    participants += [
        {"actor": {"display": member.get_full_name()}, "status": "accepted"} for member in booked.staff.all()
    ]
    resource = {
        "resourceType": "Appointment",
        "id": str(booked.pk),
        "meta": meta(1, None, "UKCore-Appointment"),
        "status": status,
        "description": booked.purpose,
        "start": instant(start),
        "end": instant(start + timedelta(minutes=booked.expected_minutes)),
        "minutesDuration": booked.expected_minutes,
        "created": instant(booked.booked_at),
        "participant": participants,
    }
    return _drop_empty(resource)


TASK_STATUS = {"open": "requested", "done": "completed", "cancelled": "cancelled"}


def task(delegated) -> dict:
    """A delegated task (for example a care plan intervention given to a support worker)."""
    resource = {
        "resourceType": "Task",
        "id": str(delegated.pk),
        "meta": meta(delegated.version, None, "UKCore-Task"),
        "status": TASK_STATUS.get(delegated.status, "requested"),
        "intent": "order",
        "description": delegated.what,
        "note": [{"text": delegated.why}] if delegated.why else [],
        "for": reference("Patient", delegated.person_id),
        "authoredOn": instant(delegated.created_at),
        "requester": {"display": delegated.assigned_by.get_full_name()},
        "owner": {"display": delegated.assigned_to.get_full_name()},
        "restriction": {"period": {"end": day(delegated.due_on)}},
        "basedOn": [reference("CarePlan", delegated.plan_id)] if delegated.plan_id else [],
    }
    return _drop_empty(resource)


DCM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_ACTION = {"view": "R", "search": "R", "export": "R", "print": "R", "create": "C"}


def audit_event(event) -> dict:
    """One row of the audit, for the privacy officer. Emergency access (break-glass) is a security
    alert, "emergency override started", for the purpose of emergency treatment."""
    if event.action == "break_glass":
        kind = {"system": DCM, "code": "110113", "display": "Security Alert"}
        subtype = [{"system": DCM, "code": "110127", "display": "Emergency Override Started"}]
        purpose = [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                        "code": "ETREAT",
                        "display": "Emergency Treatment",
                    }
                ]
            }
        ]
    else:
        kind = {"system": DCM, "code": "110110", "display": "Patient Record"}
        subtype = [
            {
                "system": WAYPOINT_CODES + "audit-action",
                "code": event.action,
                "display": event.get_action_display(),
            }
        ]
        purpose = []
    user = event.user
    resource: dict = {
        "resourceType": "AuditEvent",
        "id": str(event.pk),
        "meta": meta(1, None, "UKCore-AuditEvent"),
        "type": kind,
        "subtype": subtype,
        "action": AUDIT_ACTION.get(event.action, "U"),
        "recorded": instant(event.occurred_at),
        "outcome": "0",
        "purposeOfEvent": purpose,
        "agent": [
            {
                "who": {"display": user.get_full_name() if user else "Waypoint (system)"},
                "altId": user.username if user else None,
                "requestor": True,
                "policy": [WAYPOINT_CODES + "access-basis#" + event.basis],
            }
        ],
        "source": {"observer": {"display": "Waypoint"}},
        "entity": [
            {"what": reference("Patient", event.person_id)} if event.person_id else None,
            {
                "what": {"display": f"{event.get_record_type_display()} {event.record_id}".strip()},
                "description": event.path or None,
            },
        ],
    }
    resource["entity"] = [_drop_empty(e) for e in resource["entity"] if e]
    resource["agent"] = [_drop_empty(a) for a in resource["agent"]]
    if event.break_glass_reason:
        resource["purposeOfEvent"].append({"text": event.break_glass_reason})
    return _drop_empty(resource)


SNOMED = "http://snomed.info/sct"


def _measure_code(measure) -> dict:
    definition = measure.definition
    coding = [
        {"system": WAYPOINT_CODES + "outcome-measure", "code": measure.code, "display": definition.name}
    ]
    if definition.snomed:
        coding.insert(0, {"system": SNOMED, "code": definition.snomed, "display": definition.name})
    return {"coding": coding, "text": definition.name}


def observation(measure) -> dict:
    """An outcome measure's score (the total the publisher defines), with its band and subscales."""
    definition = measure.definition
    components = [
        {
            "code": {"text": key.replace("_", " ").capitalize()},
            "valueQuantity": {"value": float(value), "unit": "score"},
        }
        for key, value in (measure.subscales or {}).items()
        if value is not None
    ]
    resource = {
        "resourceType": "Observation",
        "id": str(measure.pk),
        "meta": meta(1, measure.recorded_at, "UKCore-Observation"),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                        "display": "Survey",
                    }
                ]
            }
        ],
        "code": _measure_code(measure),
        "subject": reference("Patient", measure.person_id),
        "effectiveDateTime": day(measure.completed_on),
        "issued": instant(measure.recorded_at),
        "valueQuantity": {"value": float(measure.total), "unit": "score"}
        if measure.total is not None
        else None,
        "dataAbsentReason": {"text": "Too many items missing to score"} if measure.total is None else None,
        "interpretation": [{"text": measure.band}] if measure.band else [],
        "note": [
            {
                "text": f"Timing: {measure.get_timing_display()}; completed by {measure.get_completed_by_who_display()}"
            }
        ],
        "component": components,
        "derivedFrom": [reference("QuestionnaireResponse", measure.pk)],
    }
    if definition.lowest is not None and definition.highest is not None:
        resource["referenceRange"] = [
            {
                "low": {"value": float(definition.lowest)},
                "high": {"value": float(definition.highest)},
                "text": "Possible scores",
            }
        ]
    return _drop_empty(resource)


def questionnaire_response(measure) -> dict:
    """The answers given, item by item (short item names: a licensed measure's text is not repeated)."""
    definition = measure.definition
    answers = measure.answers or {}
    items = []
    for item in definition.items:
        if item.key not in answers or answers[item.key] in (None, ""):
            continue
        entry = {"linkId": item.key, "text": item.short, "answer": [{"valueInteger": int(answers[item.key])}]}
        if item.snomed:
            entry["definition"] = f"{SNOMED}/{item.snomed}"
        items.append(entry)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(measure.pk),
        "meta": meta(1, measure.recorded_at, "UKCore-QuestionnaireResponse"),
        "questionnaire": f"https://waypoint.example.nhs.uk/Questionnaire/{measure.code}",
        "status": "completed",
        "subject": reference("Patient", measure.person_id),
        "authored": instant(measure.recorded_at),
        "item": items,
    }
    return _drop_empty(resource)


# --- Medicines (waypoint/medicines) ---

MEDICINE_SYNTHETIC = WAYPOINT_CODES + "synthetic-medicine"
STATEMENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/medication-statement-category"


def _medicine_code(reference, name: str) -> dict:
    """dm+d codes are SNOMED CT codes (the UK drug extension), so they go under the SNOMED system.
    The demo's reference list holds made-up codes (marked synthetic): those go under a Waypoint
    system, so no client mistakes them for dm+d."""
    if reference is None:
        return {"text": name}
    system = MEDICINE_SYNTHETIC if reference.synthetic else SNOMED
    display = str(reference) + (" (synthetic)" if reference.synthetic else "")
    return {"coding": [{"system": system, "code": reference.code, "display": display}], "text": name}


def _quantity(value, unit: str) -> dict | None:
    if value is None:
        return None
    return _drop_empty({"value": float(value), "unit": unit})


def _statement_status(row) -> tuple[str, str]:
    if row.is_current():
        return "active", ""
    return "stopped", row.reason_stopped


def medication_statement(medicine) -> dict:
    """A current or past medicine (stopped with its reason, never deleted), with its dm+d code when
    it was chosen from the Trust's reference list."""
    status, reason = _statement_status(medicine)
    resource = {
        "resourceType": "MedicationStatement",
        "id": str(medicine.pk),
        "meta": meta(medicine.version, medicine.recorded_at, "UKCore-MedicationStatement"),
        "status": status,
        "statusReason": [{"text": reason}] if reason else [],
        "category": {"coding": [{"system": STATEMENT_CATEGORY, "code": "community", "display": "Community"}]},
        "medicationCodeableConcept": _medicine_code(
            medicine.reference, " ".join(v for v in (medicine.name, medicine.form, medicine.strength) if v)
        ),
        "subject": reference("Patient", medicine.person_id),
        "effectivePeriod": _drop_empty({"start": day(medicine.started_on), "end": day(medicine.stopped_on)}),
        "dateAsserted": instant(medicine.recorded_at),
        "informationSource": {"display": medicine.prescriber},
        "note": [
            {"text": f"Prescribed by {medicine.get_prescribed_by_display().lower()}"},
            *([{"text": "Antipsychotic"}] if medicine.is_antipsychotic else []),
        ],
        "dosage": [
            _drop_empty(
                {
                    "text": f"{medicine.dose_text} {medicine.frequency}".strip(),
                    "route": {"text": medicine.route} if medicine.route else None,
                    "doseAndRate": [{"doseQuantity": _quantity(medicine.dose, medicine.dose_unit)}],
                }
            )
        ],
    }
    return _drop_empty(resource)


def depot_medication_statement(depot) -> dict:
    """A long-acting injection (depot) prescription, as a medicine the person is on."""
    status, reason = _statement_status(depot)
    resource = {
        "resourceType": "MedicationStatement",
        "id": f"depot-{depot.pk}",
        "meta": meta(depot.version, depot.recorded_at, "UKCore-MedicationStatement"),
        "status": status,
        "statusReason": [{"text": reason}] if reason else [],
        "category": {"coding": [{"system": STATEMENT_CATEGORY, "code": "community", "display": "Community"}]},
        "medicationCodeableConcept": _medicine_code(depot.reference, depot.drug),
        "subject": reference("Patient", depot.person_id),
        "effectivePeriod": _drop_empty({"start": day(depot.started_on), "end": day(depot.stopped_on)}),
        "dateAsserted": instant(depot.recorded_at),
        "informationSource": {"display": depot.prescriber},
        "note": [{"text": f"Long-acting injection given in the {depot.team.name} depot clinic"}],
        "dosage": [
            {
                "text": f"{depot.dose_text} every {depot.interval_days} days",
                "route": {"text": depot.route},
                "timing": {"repeat": {"frequency": 1, "period": depot.interval_days, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": _quantity(depot.dose, depot.dose_unit)}],
            }
        ],
    }
    return _drop_empty(resource)


ADMINISTRATION_OUTCOME = WAYPOINT_CODES + "depot-outcome"


def medication_administration(given) -> dict:
    """A depot dose given, missed or refused. The batch is on a contained Medication (FHIR R4 keeps
    the lot number and expiry there). A dose entered in error is served as `entered-in-error` with
    the reason: the original is never lost."""
    depot = given.prescription
    correction = given.entered_in_error
    if correction is not None:
        status = "entered-in-error"
    elif given.outcome == "given":
        status = "completed"
    else:
        status = "not-done"
    medication = _drop_empty(
        {
            "resourceType": "Medication",
            "id": "medication",
            "code": _medicine_code(depot.reference, depot.drug),
            "batch": _drop_empty(
                {"lotNumber": given.batch_number, "expirationDate": day(given.batch_expiry)}
            ),
        }
    )
    site = ""
    if given.site:
        site = " ".join(
            v for v in (given.get_side_display() if given.side else "", given.get_site_display()) if v
        )
    notes = []
    if given.side_effects:
        notes.append({"text": f"Side-effect check: {given.side_effects}"})
    if given.follow_up:
        notes.append({"text": f"Follow-up: {given.follow_up}"})
    if given.observation_ends_at:
        notes.append({"text": f"Post-injection observation until {instant(given.observation_ends_at)}"})
    if correction is not None:
        notes.append({"text": f"Entered in error: {correction.reason}"})
    resource = {
        "resourceType": "MedicationAdministration",
        "id": str(given.pk),
        "meta": meta(2 if correction else 1, given.recorded_at, "UKCore-MedicationAdministration"),
        "contained": [medication],
        "status": status,
        "statusReason": [
            {
                "coding": [
                    {
                        "system": ADMINISTRATION_OUTCOME,
                        "code": given.outcome,
                        "display": given.get_outcome_display(),
                    }
                ],
                "text": given.get_outcome_display(),
            }
        ]
        if given.outcome != "given"
        else [],
        "medicationReference": {"reference": "#medication"},
        "subject": reference("Patient", given.person_id),
        "supportingInformation": [reference("MedicationStatement", f"depot-{depot.pk}")],
        "effectiveDateTime": instant(given.at),
        "performer": [{"actor": {"display": given.given_by.get_full_name()}}],
        "note": notes,
        "dosage": _drop_empty(
            {
                "site": {"text": site} if site else None,
                "route": {"text": depot.route},
                "dose": _quantity(given.dose, given.dose_unit),
            }
        )
        if given.outcome == "given"
        else None,
    }
    if given.outcome == "given":
        resource["extension"] = [
            {"url": WAYPOINT_CODES + "consent-given", "valueBoolean": bool(given.consent)}
        ]
    return _drop_empty(resource)


# --- Physical health (waypoint/medicines: PhysicalHealthCheck, Measurement, HealthFlag) ---

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _codes(element: str, display: str, *codings: tuple[str, str], category: str, unit=("", "")) -> dict:
    coding = [{"system": system, "code": code, "display": display} for system, code in codings]
    coding.append({"system": WAYPOINT_CODES + "physical-health", "code": element, "display": display})
    return {"coding": coding, "text": display, "category": category, "unit": unit}


# The medicines app records each element by Waypoint's own name and holds no clinical codes: these
# are the mapper's, LOINC where the vital-signs profile asks for it and SNOMED CT where a code was
# known to us. PARTIAL: to be checked by the Trust's terminologist before a real exchange (HbA1c,
# glucose, cholesterol and QRISK carry no SNOMED code here yet).
PHYSICAL_HEALTH_CODES: dict[str, dict] = {
    "alcohol": _codes(
        "alcohol",
        "Alcohol units per week",
        (SNOMED, "228958009"),
        category="social-history",
        unit=("{units}/wk", "units a week"),
    ),
    "smoking": _codes("smoking", "Tobacco smoking status", (LOINC, "72166-2"), category="social-history"),
    "weight": _codes(
        "weight",
        "Body weight",
        (LOINC, "29463-7"),
        (SNOMED, "27113001"),
        category="vital-signs",
        unit=("kg", "kg"),
    ),
    "height": _codes(
        "height",
        "Body height",
        (LOINC, "8302-2"),
        (SNOMED, "50373000"),
        category="vital-signs",
        unit=("cm", "cm"),
    ),
    "bmi": _codes(
        "bmi",
        "Body mass index",
        (LOINC, "39156-5"),
        (SNOMED, "60621009"),
        category="vital-signs",
        unit=("kg/m2", "kg/m2"),
    ),
    "blood_pressure": _codes(
        "blood_pressure", "Blood pressure", (LOINC, "85354-9"), (SNOMED, "75367002"), category="vital-signs"
    ),
    "hba1c": _codes(
        "hba1c",
        "Haemoglobin A1c (IFCC)",
        (LOINC, "59261-8"),
        category="laboratory",
        unit=("mmol/mol", "mmol/mol"),
    ),
    "fasting_glucose": _codes(
        "fasting_glucose",
        "Fasting glucose",
        (LOINC, "14771-0"),
        category="laboratory",
        unit=("mmol/L", "mmol/L"),
    ),
    "total_cholesterol": _codes(
        "total_cholesterol",
        "Total cholesterol",
        (LOINC, "14647-2"),
        category="laboratory",
        unit=("mmol/L", "mmol/L"),
    ),
    "waist": _codes(
        "waist",
        "Waist circumference",
        (LOINC, "8280-0"),
        (SNOMED, "276361009"),
        category="vital-signs",
        unit=("cm", "cm"),
    ),
    "pulse": _codes(
        "pulse",
        "Heart rate",
        (LOINC, "8867-4"),
        (SNOMED, "364075005"),
        category="vital-signs",
        unit=("/min", "beats a minute"),
    ),
    "qrisk": _codes("qrisk", "QRISK cardiovascular risk (10 years)", category="exam", unit=("%", "%")),
    "ecg": _codes("ecg", "ECG", (LOINC, "11524-6"), category="procedure"),
}
SYSTOLIC = [
    {"system": LOINC, "code": "8480-6", "display": "Systolic blood pressure"},
    {"system": SNOMED, "code": "271649006", "display": "Systolic blood pressure"},
]
DIASTOLIC = [
    {"system": LOINC, "code": "8462-4", "display": "Diastolic blood pressure"},
    {"system": SNOMED, "code": "271650006", "display": "Diastolic blood pressure"},
]
SMOKING_STATUS = {
    "never": (SNOMED, "266919005", "Never smoked tobacco"),
    "ex": (SNOMED, "8517006", "Ex-smoker"),
    "smoker": (SNOMED, "77176002", "Smoker"),
    "vapes": (SNOMED, "722499006", "Electronic cigarette user"),
}
SOURCE_TEXT = {"here": "Measured by the team", "gp": "From the GP", "hospital": "From a hospital"}


def _ucum(value, unit: tuple[str, str]) -> dict:
    code, words = unit
    out = {"value": float(value), "unit": words or code}
    if code:
        out |= {"system": UCUM, "code": code}
    return out


def physical_health_observation(measurement) -> dict:
    """One measurement of a physical health check. A red-zone flag on it (the Lester resource) is
    the interpretation "abnormal" with the flag's own words; it is a named threshold, not a score."""
    codes = PHYSICAL_HEALTH_CODES.get(measurement.element) or _codes(
        measurement.element, measurement.get_element_display(), category="exam"
    )
    flags = [f for f in measurement.check_record.flags.all() if f.element == measurement.element]
    resource: dict = {
        "resourceType": "Observation",
        "id": f"ph-{measurement.pk}",
        "meta": meta(1, measurement.check_record.recorded_at, "UKCore-Observation"),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": OBSERVATION_CATEGORY,
                        "code": codes["category"],
                        "display": codes["category"].replace("-", " ").capitalize(),
                    }
                ]
            }
        ],
        "code": {"coding": codes["coding"], "text": codes["text"]},
        "subject": reference("Patient", measurement.person_id),
        "effectiveDateTime": day(measurement.measured_on),
        "issued": instant(measurement.check_record.recorded_at),
        "note": [{"text": SOURCE_TEXT.get(measurement.source, measurement.source)}],
        "interpretation": [
            {
                "coding": [{"system": INTERPRETATION, "code": "A", "display": "Abnormal"}],
                "text": flag.reason,
            }
            for flag in flags
        ],
    }
    if measurement.element == "blood_pressure":
        resource["component"] = [
            {"code": {"coding": coding}, "valueQuantity": _ucum(value, ("mm[Hg]", "mmHg"))}
            for coding, value in ((SYSTOLIC, measurement.value), (DIASTOLIC, measurement.value_2))
            if value is not None
        ]
    elif measurement.element == "smoking":
        status = SMOKING_STATUS.get(measurement.text)
        resource["valueCodeableConcept"] = (
            {
                "coding": [{"system": status[0], "code": status[1], "display": status[2]}],
                "text": measurement.display,
            }
            if status
            else {"text": measurement.text}
        )
    elif measurement.value is not None:
        resource["valueQuantity"] = _ucum(measurement.value, codes["unit"])
    elif measurement.text:
        resource["valueString"] = measurement.text
    else:
        resource["dataAbsentReason"] = {"text": "Not recorded"}
    return _drop_empty(resource)
