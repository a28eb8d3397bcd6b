"""Writes to legal status. Each operation is atomic, takes the acting user and writes its audit row.

Rules enforced here (forms only present them):
- a period uses the rule in force on its start date; a section the rules then in force do not
  have is refused (`LegalProblem` naming the field);
- periods, events, rights and aftercare are never deleted or edited away: they are ended, renewed,
  or marked entered in error with a reason;
- a renewal takes the length the period's own rule gives for that renewal;
- section 117 aftercare ends only by a joint decision recorded with reasons (never automatically);
- a completed AMHP assessment is read-only (a database trigger too, migration 0003); its outcome
  feeds legal status;
- every write checks the acting user's roles (`permissions.require`, the actions registered in
  `extensions.py`), as the views do before they read a form.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from . import rules
from .models import (
    NAMING_KINDS,
    NOMINATED_KINDS,
    RELATIVE_KINDS,
    AdvanceDecision,
    AdvanceKind,
    Aftercare,
    AmhpAssessment,
    AmhpShift,
    AssessmentRequest,
    AttorneyKind,
    BestInterestsDecision,
    CapacityAssessment,
    CareTreatmentPlan,
    EndReason,
    EventKind,
    ImcaReferral,
    LibertyAssessment,
    LibertyAuthorisation,
    LibertyKind,
    LibertyReview,
    MhaPeriod,
    Outcome,
    PeriodEvent,
    PowerOfAttorney,
    RelativeEvent,
    RelativeEventKind,
    RelativeRole,
    RequestStatus,
    ReviewOutcome,
    RightsExplanation,
    SectionKind,
    Understood,
)


class LegalProblem(Exception):
    """Input the rules refuse; `field` says which form field the message belongs beside."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class StaleEdit(Exception):
    def __init__(self, current_version: int):
        super().__init__(f"Now at version {current_version}")
        self.current_version = current_version


class NotOpen(Exception):
    """The record has ended, been closed or completed: it cannot be changed."""


def _audit(by, person, record_type, record_id, action, fields=()):
    audit.write(
        by,
        person=person,
        action=action,
        record_type=record_type,
        record_id=record_id,
        fields_changed=list(fields),
    )


# --- Mental Health Act periods -------------------------------------------------------------------


@transaction.atomic
def record_period(*, by: Actor, person, data: dict, from_request=None) -> MhaPeriod:
    """Start a period under the section in force on its start date, with its expiry from the rules."""
    permissions.require(by, "record_legal_status")
    return _start_period(by=by, person=person, data=data, from_request=from_request)


def _start_period(*, by: Actor, person, data: dict, from_request=None, revives=None) -> MhaPeriod:
    """The period itself (the AMHP's completed application starts one under `amhp_work`)."""
    starts_on: date = data["starts_on"]
    rule = rules.section_rule(data["section"], starts_on)
    if rule is None:
        raise LegalProblem(
            "section", f"The rules in force on {starts_on:%-d %B %Y} have no section {data['section']}"
        )
    if rule.first_hours and not data.get("start_time"):
        raise LegalProblem("start_time", f"Enter the start time: {rule.short} lasts {rule.first_hours} hours")
    if (
        rule.kind in (SectionKind.DETENTION, SectionKind.CTO)
        and not (data.get("responsible_clinician") or "").strip()
    ):
        if rule.kind == SectionKind.CTO or rule.first_months:
            raise LegalProblem("responsible_clinician", "Enter the responsible clinician")
    if rule.kind == SectionKind.GUARDIANSHIP and not (data.get("guardian") or "").strip():
        raise LegalProblem("guardian", "Enter the guardian (the local authority or a named person)")
    expires_on, expires_at = rules.first_expiry(rule, starts_on, data.get("start_time"))
    period = MhaPeriod.objects.create(
        person=person,
        rule=rule,
        starts_on=starts_on,
        start_time=data.get("start_time"),
        expires_on=expires_on,
        expires_at=expires_at,
        responsible_clinician=(data.get("responsible_clinician") or "").strip(),
        community_clinician=(data.get("community_clinician") or "").strip(),
        hospital=(data.get("hospital") or "").strip(),
        guardian=(data.get("guardian") or "").strip(),
        conditions=(data.get("conditions") or "").strip(),
        from_request=from_request,
        revives=revives,
        created_by=by.user,
    )
    fields = ["section", "starts_on", "expires_on", *(["revives"] if revives else [])] + [
        key
        for key in ("responsible_clinician", "community_clinician", "hospital", "guardian", "conditions")
        if getattr(period, key)
    ]
    _audit(by, person, RecordType.MHA_PERIOD, period.pk, Action.CREATE, fields)
    return period


def _lock_period(period, version=None) -> MhaPeriod:
    current = MhaPeriod.objects.select_for_update().select_related("rule", "person").get(pk=period.pk)
    if not current.is_open:
        raise NotOpen()
    if version is not None and current.version != version:
        raise StaleEdit(current.version)
    return current


@transaction.atomic
def renew_period(
    *, by: Actor, period, renewed_on: date, detail: str = "", version: int | None
) -> PeriodEvent:
    permissions.require(by, "record_legal_status")
    current = _lock_period(period, version)
    number = current.renewals + 1
    if current.expires_on is None or rules.renewal_months(current.rule, number) is None:
        raise LegalProblem("on", f"{current.rule.label} cannot be renewed")
    if renewed_on < current.starts_on:
        raise LegalProblem("on", "The renewal date must be on or after the start of the period")
    if renewed_on > current.expires_on:
        raise LegalProblem(
            "on", f"The period expired on {current.expires_on:%-d %B %Y}: it can no longer be renewed"
        )
    new_expiry = rules.renewed_expiry(current.rule, current.expires_on, number)
    event = PeriodEvent.objects.create(
        period=current,
        kind=EventKind.RENEWAL,
        on=renewed_on,
        detail=detail.strip(),
        previous_expires_on=current.expires_on,
        new_expires_on=new_expiry,
        recorded_by=by.user,
    )
    current.expires_on = new_expiry
    current.renewals = number
    current.version += 1
    current.save(update_fields=["expires_on", "renewals", "version"])
    _audit(by, current.person, RecordType.MHA_PERIOD, current.pk, Action.UPDATE, ["expires_on", "renewals"])
    _audit(by, current.person, RecordType.MHA_PERIOD_EVENT, event.pk, Action.CREATE, ["kind", "on"])
    return event


@transaction.atomic
def record_event(
    *, by: Actor, period, kind: str, on: date, until: date | None = None, detail: str = ""
) -> PeriodEvent:
    """Leave (s17), a recall (CTO), or a hearing. Renewals go through `renew_period`."""
    permissions.require(by, "record_legal_status")
    current = _lock_period(period)
    if kind not in EventKind.values or kind == EventKind.RENEWAL:
        raise LegalProblem("kind", "Choose what happened")
    if kind == EventKind.RECALL and current.rule.kind != SectionKind.CTO:
        raise LegalProblem("kind", "Only a person on a community treatment order can be recalled")
    if kind == EventKind.LEAVE and current.rule.kind != SectionKind.DETENTION:
        raise LegalProblem("kind", "Section 17 leave is for a detained person")
    if on < current.starts_on:
        raise LegalProblem("on", "The date must be on or after the start of the period")
    if until is not None and until < on:
        raise LegalProblem("until", "The end date must be on or after the start date")
    event = PeriodEvent.objects.create(
        period=current, kind=kind, on=on, until=until, detail=detail.strip(), recorded_by=by.user
    )
    _audit(
        by,
        current.person,
        RecordType.MHA_PERIOD_EVENT,
        event.pk,
        Action.CREATE,
        ["kind", "on", "until", "detail"],
    )
    return event


@transaction.atomic
def end_period(
    *,
    by: Actor,
    period,
    ended_on: date,
    reason: str,
    discharged_by: str = "",
    detail: str = "",
    version: int | None,
) -> MhaPeriod:
    permissions.require(by, "record_legal_status")
    current = _lock_period(period, version)
    if ended_on < current.starts_on:
        raise LegalProblem("ended_on", "The end date must be on or after the start of the period")
    if reason == EndReason.REVOKED:
        raise LegalProblem("reason", "Revoking a CTO detains the person again: use “Revoke the CTO”")
    if reason == "discharged" and not discharged_by:
        raise LegalProblem("discharged_by", "Say who discharged the person from the section")
    return _record_end(
        by,
        current,
        ended_on=ended_on,
        reason=reason,
        discharged_by=discharged_by if reason == "discharged" else "",
        detail=detail.strip(),
    )


def _record_end(by: Actor, current: MhaPeriod, *, ended_on, reason, discharged_by, detail) -> MhaPeriod:
    """End a locked, open period and audit it (the changed fields only)."""
    current.ended_on = ended_on
    current.end_reason = reason
    current.discharged_by = discharged_by
    current.end_detail = detail
    current.version += 1
    current.save(update_fields=["ended_on", "end_reason", "discharged_by", "end_detail", "version"])
    fields = ["ended_on", "end_reason"] + [
        key for key in ("discharged_by", "end_detail") if getattr(current, key)
    ]
    _audit(by, current.person, RecordType.MHA_PERIOD, current.pk, Action.DISCHARGE, fields)
    return current


def sections_a_cto_can_follow(on: date) -> list:
    """The sections the rules in force on `on` say a CTO can follow (section 3 and 37 as shipped)."""
    return [rule for rule in rules.sections_in_force(on) if rule.cto_can_follow]


def section_the_cto_followed(cto) -> MhaPeriod | None:
    """The detention a CTO was made from, as far as the record shows: a CTO is not linked to it,
    so this is the person's latest period ended "CTO made" on or before the CTO started, under a
    section a CTO can follow (one query). Only a suggestion for the revocation form."""
    return (
        MhaPeriod.objects.valid()
        .filter(
            person_id=cto.person_id,
            end_reason=EndReason.CTO_MADE,
            ended_on__lte=cto.starts_on,
            rule__cto_can_follow=True,
        )
        .select_related("rule")
        .order_by("-ended_on", "-pk")
        .first()
    )


@transaction.atomic
def revoke_cto(
    *,
    by: Actor,
    period,
    revoked_on: date,
    revoked_time,
    section: str,
    responsible_clinician: str,
    hospital: str,
    amhp: str,
    detail: str = "",
    version: int | None,
) -> MhaPeriod:
    """The responsible clinician revokes the CTO (s17F(4), with an AMHP's written agreement): the CTO
    ends "CTO revoked" and the person is detained again under the section it followed (s17G),
    as if detained afresh on the day of revocation: the new period's expiry comes from the rules
    in force on that day. Rights are to be explained again (the new period has none recorded).
    Returns the new detention."""
    permissions.require(by, "record_legal_status")
    current = _lock_period(period, version)
    if current.rule.kind != SectionKind.CTO:
        raise LegalProblem("__all__", "Only a community treatment order can be revoked")
    if revoked_on < current.starts_on:
        raise LegalProblem(
            "revoked_on",
            f"The date of revocation must be on or after the CTO began, {current.starts_on:%-d %B %Y}",
        )
    now = timezone.localtime()
    if revoked_on > now.date():
        raise LegalProblem("revoked_on", "The date of revocation must be today or in the past")
    if revoked_on == now.date() and revoked_time > now.time():
        raise LegalProblem("revoked_time", "The time of revocation must be now or in the past")
    rule = rules.section_rule(section, revoked_on)
    if rule is None or not rule.cto_can_follow:
        choices = " or ".join(r.short for r in sections_a_cto_can_follow(revoked_on)) or "none"
        raise LegalProblem(
            "section",
            f"Choose the section the CTO was made from: on {revoked_on:%-d %B %Y} the rules allow {choices}",
        )
    for key, value, message in (
        (
            "responsible_clinician",
            responsible_clinician,
            "Enter the responsible clinician who revoked the CTO",
        ),
        ("hospital", hospital, "Enter the hospital the person is detained in"),
        ("amhp", amhp, "Enter the AMHP who agreed to the revocation in writing (section 17F(4))"),
    ):
        if not value.strip():
            raise LegalProblem(key, message)
    said = (
        f"Revoked at {revoked_time:%H:%M} by {responsible_clinician.strip()}",
        f"AMHP agreed: {amhp.strip()}",
    )
    _record_end(
        by,
        current,
        ended_on=revoked_on,
        reason=EndReason.REVOKED,
        discharged_by="",
        detail="; ".join(part for part in (*said, detail.strip()) if part),
    )
    return _start_period(
        by=by,
        person=current.person,
        revives=current,
        data={
            "section": rule.code,
            "starts_on": revoked_on,
            "start_time": revoked_time,
            "responsible_clinician": responsible_clinician,
            "hospital": hospital,
        },
    )


@transaction.atomic
def period_entered_in_error(*, by: Actor, period, reason: str) -> MhaPeriod:
    permissions.require(by, "record_legal_status")
    current = MhaPeriod.objects.select_for_update().select_related("person").get(pk=period.pk)
    if current.entered_in_error:
        raise NotOpen()
    if not reason.strip():
        raise LegalProblem("reason", "Say why this was entered in error")
    current.entered_in_error = True
    current.error_reason = reason.strip()
    current.version += 1
    current.save(update_fields=["entered_in_error", "error_reason", "version"])
    _audit(by, current.person, RecordType.MHA_PERIOD, current.pk, Action.ENTERED_IN_ERROR, ["error_reason"])
    return current


# --- Rights (s132 / s132A) -----------------------------------------------------------------------


def suggested_next_rights_date(period, given_on: date, understood: str) -> date | None:
    """Not (fully) understood: try again within 7 days; understood: the rule's repeat interval."""
    if understood != Understood.YES:
        return given_on + timedelta(days=7)
    if period.rule.rights_repeat_days:
        return given_on + timedelta(days=period.rule.rights_repeat_days)
    return None


@transaction.atomic
def record_rights(*, by: Actor, period, data: dict) -> RightsExplanation:
    permissions.require(by, "record_rights")
    current = _lock_period(period)
    given_on = data["given_on"]
    if given_on < current.starts_on:
        raise LegalProblem("given_on", "Rights are explained on or after the start of the period")
    next_on = data.get("next_on") or suggested_next_rights_date(current, given_on, data["understood"])
    if next_on is not None and next_on < given_on:
        raise LegalProblem("next_on", "The date to explain again must be after the date explained")
    if data["understood"] != Understood.YES and next_on is None:
        raise LegalProblem("next_on", "Enter when rights will be explained again")
    explanation = RightsExplanation.objects.create(
        person=current.person,
        period=current,
        given_on=given_on,
        given_by=by.user,
        method=data["method"],
        understood=data["understood"],
        copy_to_relative=bool(data.get("copy_to_relative")),
        copy_to_relative_on=data.get("copy_to_relative_on"),
        next_on=next_on,
        notes=(data.get("notes") or "").strip(),
    )
    _audit(
        by,
        current.person,
        RecordType.MHA_RIGHTS,
        explanation.pk,
        Action.CREATE,
        ["given_on", "method", "understood", "next_on", "copy_to_relative"],
    )
    return explanation


# --- Section 117 aftercare -----------------------------------------------------------------------


@transaction.atomic
def record_aftercare(*, by: Actor, person, data: dict) -> Aftercare:
    permissions.require(by, "record_aftercare")
    period = data.get("from_period")
    section = data.get("from_section") or (period.rule.code if period else "")
    if not section:
        raise LegalProblem("from_section", "Say which section gives the person section 117 aftercare")
    aftercare = Aftercare.objects.create(
        person=person,
        from_period=period,
        from_section=section,
        eligible_from=data["eligible_from"],
        icb=data["icb"].strip(),
        local_authority=data["local_authority"].strip(),
        services=(data.get("services") or "").strip(),
        review_on=data.get("review_on"),
        created_by=by.user,
    )
    _audit(
        by,
        person,
        RecordType.AFTERCARE,
        aftercare.pk,
        Action.CREATE,
        ["from_section", "eligible_from", "icb", "local_authority", "services", "review_on"],
    )
    return aftercare


@transaction.atomic
def end_aftercare(*, by: Actor, aftercare, data: dict, version: int | None) -> Aftercare:
    """The joint decision of the ICB and the local authority, with reasons. Never automatic."""
    permissions.require(by, "record_aftercare")
    current = Aftercare.objects.select_for_update().select_related("person").get(pk=aftercare.pk)
    if current.entered_in_error or current.ended_on is not None:
        raise NotOpen()
    if version is not None and current.version != version:
        raise StaleEdit(current.version)
    if data["ended_on"] < current.eligible_from:
        raise LegalProblem("ended_on", "The end date must be on or after the date aftercare began")
    for key, message in (
        ("ended_for_icb_by", "Enter who decided for the integrated care board"),
        ("ended_for_local_authority_by", "Enter who decided for the local authority"),
        ("end_reasons", "Give the reasons for ending section 117 aftercare"),
    ):
        if not (data.get(key) or "").strip():
            raise LegalProblem(key, message)
    current.ended_on = data["ended_on"]
    current.ended_for_icb_by = data["ended_for_icb_by"].strip()
    current.ended_for_local_authority_by = data["ended_for_local_authority_by"].strip()
    current.end_reasons = data["end_reasons"].strip()
    current.version += 1
    current.save()
    _audit(
        by,
        current.person,
        RecordType.AFTERCARE,
        current.pk,
        Action.UPDATE,
        ["ended_on", "ended_for_icb_by", "ended_for_local_authority_by", "end_reasons"],
    )
    return current


# --- The AMHP service ----------------------------------------------------------------------------


@transaction.atomic
def request_assessment(*, by: Actor, person, data: dict) -> AssessmentRequest:
    permissions.require(by, "request_mha_assessment")
    found = AssessmentRequest.objects.create(
        person=person,
        requested_by=data["requested_by"].strip(),
        requester_role=(data.get("requester_role") or "").strip(),
        urgency=data["urgency"],
        reason=data["reason"].strip(),
        received_at=data.get("received_at") or timezone.now(),
        logged_by=by.user,
    )
    _audit(
        by,
        person,
        RecordType.AMHP_REQUEST,
        found.pk,
        Action.CREATE,
        ["requested_by", "requester_role", "urgency", "reason", "received_at"],
    )
    return found


def _lock_request(request_obj) -> AssessmentRequest:
    current = AssessmentRequest.objects.select_for_update().select_related("person").get(pk=request_obj.pk)
    if not current.is_open:
        raise NotOpen()
    return current


@transaction.atomic
def pick_up(*, by: Actor, request_obj) -> AssessmentRequest:
    """The AMHP takes the request; refused if another AMHP already has it."""
    permissions.require(by, "amhp_work")
    current = _lock_request(request_obj)
    if current.amhp_id and current.amhp_id != by.user.pk:
        raise LegalProblem("amhp", "Another AMHP has already picked up this request")
    current.amhp = by.user
    current.status = RequestStatus.ALLOCATED
    current.allocated_at = timezone.now()
    current.version += 1
    current.save(update_fields=["amhp", "status", "allocated_at", "version"])
    _audit(by, current.person, RecordType.AMHP_REQUEST, current.pk, Action.UPDATE, ["amhp", "status"])
    return current


ASSESSMENT_FIELDS = [
    "interviewed_on",
    "interview",
    "doctor_1",
    "doctor_1_s12",
    "doctor_1_examined_on",
    "doctor_2",
    "doctor_2_s12",
    "doctor_2_examined_on",
    "relative_name",
    "relative_informed",
    "relative_consulted",
    "relative_objected",
    "relative_notes",
    "alternatives",
    "outcome",
    "reasons",
    "conveyance",
    "police",
    "dependants",
]
APPLICATIONS: dict[str, str] = {
    Outcome.SECTION_2: "2",
    Outcome.SECTION_3: "3",
    Outcome.SECTION_4: "4",
    Outcome.SECTION_7: "7",
}


@transaction.atomic
def save_assessment(*, by: Actor, request_obj, data: dict, version: int | None) -> AmhpAssessment:
    permissions.require(by, "amhp_work")
    current = _lock_request(request_obj)
    if current.amhp_id != by.user.pk:
        raise LegalProblem("__all__", "Pick up the request before recording the assessment")
    assessment = AmhpAssessment.objects.select_for_update().filter(request=current).first()
    if assessment is None:
        assessment = AmhpAssessment(request=current, updated_by=by.user, version=0)
    elif assessment.is_complete:
        raise NotOpen()
    if version is not None and assessment.version != version:
        raise StaleEdit(assessment.version)
    changed = [key for key in ASSESSMENT_FIELDS if key in data and getattr(assessment, key) != data[key]]
    for key in changed:
        setattr(assessment, key, data[key])
    assessment.version += 1
    assessment.updated_by = by.user
    assessment.updated_at = timezone.now()
    assessment.save()
    _audit(
        by,
        current.person,
        RecordType.AMHP_ASSESSMENT,
        assessment.pk,
        Action.CREATE if assessment.version == 1 else Action.UPDATE,
        changed,
    )
    return assessment


def completion_problems(assessment: AmhpAssessment) -> list[tuple[str, str]]:
    problems = []
    if not assessment.interviewed_on or not assessment.interview.strip():
        problems.append(("interview", "Record the interview: when, and how it was done in a suitable manner"))
    if not assessment.outcome:
        problems.append(("outcome", "Choose the outcome"))
    if not assessment.reasons.strip():
        problems.append(("reasons", "Give the reasons for the outcome"))
    if not assessment.alternatives.strip():
        problems.append(("alternatives", "Record the less restrictive alternatives considered"))
    if assessment.outcome in (Outcome.SECTION_2, Outcome.SECTION_3, Outcome.SECTION_7):
        if not (assessment.doctor_1.strip() and assessment.doctor_2.strip()):
            problems.append(
                ("doctor_2", "An application needs two medical recommendations: name both doctors")
            )
        elif not (assessment.doctor_1_s12 or assessment.doctor_2_s12):
            problems.append(("doctor_1_s12", "At least one of the doctors must be section 12 approved"))
    if assessment.outcome == Outcome.SECTION_4 and not assessment.doctor_1.strip():
        problems.append(("doctor_1", "An emergency application needs one medical recommendation"))
    if assessment.outcome in APPLICATIONS and not assessment.relative_name.strip():
        problems.append(
            ("relative_name", "Record the nearest relative or nominated person (or why not known)")
        )
    return problems


@transaction.atomic
def complete_assessment(
    *,
    by: Actor,
    request_obj,
    application_on: date | None = None,
    start_time=None,
    hospital: str = "",
    responsible_clinician: str = "",
) -> AmhpAssessment:
    """Complete (read-only from now), close the request, and start the period the application made."""
    permissions.require(by, "amhp_work")
    current = _lock_request(request_obj)
    assessment = AmhpAssessment.objects.select_for_update().get(request=current)
    if assessment.is_complete:
        raise NotOpen()
    problems = completion_problems(assessment)
    if problems:
        raise LegalProblem(*problems[0])
    now = timezone.now()
    assessment.completed_at = now
    assessment.version += 1
    assessment.save(update_fields=["completed_at", "version"])
    current.status = RequestStatus.CLOSED
    current.closed_at = now
    current.version += 1
    current.save(update_fields=["status", "closed_at", "version"])
    _audit(by, current.person, RecordType.AMHP_ASSESSMENT, assessment.pk, Action.COMPLETE, ["completed_at"])
    _audit(by, current.person, RecordType.AMHP_REQUEST, current.pk, Action.UPDATE, ["status"])
    section = APPLICATIONS.get(assessment.outcome)
    if section:
        _start_period(
            by=by,
            person=current.person,
            from_request=current,
            data={
                "section": section,
                "starts_on": application_on or timezone.localdate(now),
                "start_time": start_time or timezone.localtime(now).time().replace(second=0, microsecond=0),
                "hospital": hospital,
                "responsible_clinician": responsible_clinician or "To be confirmed by the hospital",
                "guardian": "The local authority" if section == "7" else "",
            },
        )
    return assessment


@transaction.atomic
def join_amhp_rota(*, by: Actor, day: date, local_authority: str = "") -> AmhpShift:
    """Put the acting AMHP on the AMHP rota for `day` (once a day)."""
    permissions.require(by, "amhp_work")
    shift, created = AmhpShift.objects.get_or_create(
        day=day, amhp=by.user, defaults={"local_authority": local_authority.strip()}
    )
    if created:
        audit.write(
            by,
            action=Action.CREATE,
            record_type=RecordType.AMHP_ROTA,
            record_id=shift.pk,
            fields_changed=["day", "amhp"],
        )
    return shift


# --- DoLS and other liberty authorisations -------------------------------------------------------


URGENT_DAYS = 7
STANDARD_MAX_DAYS = 366


@transaction.atomic
def record_authorisation(*, by: Actor, person, data: dict) -> LibertyAuthorisation:
    permissions.require(by, "record_liberty")
    kind, starts_on, expires_on = data["kind"], data["starts_on"], data["expires_on"]
    if expires_on < starts_on:
        raise LegalProblem("expires_on", "The expiry date must be on or after the start date")
    if kind == LibertyKind.URGENT and (expires_on - starts_on).days >= URGENT_DAYS:
        raise LegalProblem("expires_on", "An urgent authorisation lasts at most 7 days")
    if kind == LibertyKind.STANDARD and rules.add_months(starts_on, 12) <= expires_on:
        raise LegalProblem("expires_on", "A standard authorisation lasts at most 12 months")
    found = LibertyAuthorisation.objects.create(
        person=person,
        kind=kind,
        managing_authority=data["managing_authority"].strip(),
        requested_on=data.get("requested_on"),
        starts_on=starts_on,
        expires_on=expires_on,
        conditions=(data.get("conditions") or "").strip(),
        representative=(data.get("representative") or "").strip(),
        bia=data.get("bia"),
        review_on=data.get("review_on"),
        created_by=by.user,
    )
    _audit(
        by,
        person,
        RecordType.LIBERTY_AUTHORISATION,
        found.pk,
        Action.CREATE,
        ["kind", "managing_authority", "starts_on", "expires_on", "conditions", "representative", "bia"],
    )
    return found


@transaction.atomic
def record_liberty_assessment(*, by: Actor, authorisation, data: dict) -> LibertyAssessment:
    """One of the six DoLS assessments, with its assessor. A new entry corrects an earlier one."""
    permissions.require(by, "record_liberty")
    current = (
        LibertyAuthorisation.objects.select_for_update().select_related("person").get(pk=authorisation.pk)
    )
    if current.entered_in_error or current.ended_on is not None:
        raise NotOpen()
    if data["completed_on"] > timezone.localdate():
        raise LegalProblem("completed_on", "The date completed must be today or in the past")
    found = LibertyAssessment.objects.create(
        authorisation=current,
        requirement=data["requirement"],
        assessor=data["assessor"].strip(),
        completed_on=data["completed_on"],
        met=data["met"] == "yes",
    )
    _audit(
        by,
        current.person,
        RecordType.LIBERTY_AUTHORISATION,
        current.pk,
        Action.UPDATE,
        [f"assessment:{found.requirement}"],
    )
    return found


@transaction.atomic
def extend_urgent(*, by: Actor, authorisation, extended_to: date) -> LibertyAuthorisation:
    """An urgent authorisation is extended once, by up to 7 days."""
    permissions.require(by, "record_liberty")
    current = (
        LibertyAuthorisation.objects.select_for_update().select_related("person").get(pk=authorisation.pk)
    )
    if current.entered_in_error or current.ended_on is not None:
        raise NotOpen()
    if current.kind != LibertyKind.URGENT:
        raise LegalProblem("extended_to", "Only an urgent authorisation can be extended")
    if current.extended_to is not None:
        raise LegalProblem("extended_to", "An urgent authorisation can be extended only once")
    if extended_to <= current.expires_on or (extended_to - current.expires_on).days > URGENT_DAYS:
        raise LegalProblem("extended_to", "Extend by 1 to 7 days after the current expiry date")
    current.extended_to = extended_to
    current.save(update_fields=["extended_to"])
    _audit(by, current.person, RecordType.LIBERTY_AUTHORISATION, current.pk, Action.UPDATE, ["extended_to"])
    return current


def _open_authorisation(authorisation) -> LibertyAuthorisation:
    current = (
        LibertyAuthorisation.objects.select_for_update().select_related("person").get(pk=authorisation.pk)
    )
    if current.entered_in_error or current.ended_on is not None:
        raise NotOpen()
    return current


@transaction.atomic
def set_liberty_review(*, by: Actor, authorisation, review_on: date) -> LibertyAuthorisation:
    """The date the authorisation is to be reviewed (DoLS Part 8 review), within its term."""
    permissions.require(by, "record_liberty")
    current = _open_authorisation(authorisation)
    if review_on < current.starts_on or review_on > current.ends_on:
        raise LegalProblem(
            "review_on",
            f"The review date must be between {current.starts_on:%-d %B %Y} and {current.ends_on:%-d %B %Y}",
        )
    current.review_on = review_on
    current.save(update_fields=["review_on"])
    _audit(by, current.person, RecordType.LIBERTY_AUTHORISATION, current.pk, Action.UPDATE, ["review_on"])
    return current


@transaction.atomic
def end_liberty(*, by: Actor, authorisation, ended_on: date, reason: str) -> LibertyAuthorisation:
    """An authorisation ended before its expiry (the person left, regained capacity, a review
    ended it, they died): kept, with the date and why; it leaves the BIA list and the worklist."""
    permissions.require(by, "record_liberty")
    current = _open_authorisation(authorisation)
    if ended_on > timezone.localdate():
        raise LegalProblem("ended_on", "The date ended must be today or in the past")
    if ended_on < current.starts_on:
        raise LegalProblem(
            "ended_on", f"The date ended must be on or after the start, {current.starts_on:%-d %B %Y}"
        )
    if not reason.strip():
        raise LegalProblem("end_reason", "Say why the authorisation ended")
    current.ended_on = ended_on
    current.end_reason = reason.strip()
    current.save(update_fields=["ended_on", "end_reason"])
    _audit(
        by,
        current.person,
        RecordType.LIBERTY_AUTHORISATION,
        current.pk,
        Action.UPDATE,
        ["ended_on", "end_reason"],
    )
    return current


def _is_bia(user) -> bool:
    from waypoint.accounts.models import RoleCode

    return user is not None and user.is_active and user.has_role(RoleCode.BIA)


@transaction.atomic
def allocate_bia(*, by: Actor, authorisation, bia) -> LibertyAuthorisation:
    """Allocate a request waiting for a BIA (an open urgent or standard authorisation with no BIA)
    to a Best Interests Assessor: it leaves the queue and is in their "DoLS allocations"."""
    permissions.require(by, "allocate_bia")
    current = _open_authorisation(authorisation)
    if current.kind == LibertyKind.COURT:
        raise LegalProblem("bia", "A Court of Protection order is not allocated to a BIA")
    if current.bia_id is not None:
        raise LegalProblem("bia", "This request has already been allocated to a BIA")
    if not _is_bia(bia):
        raise LegalProblem("bia", "Choose a Best Interests Assessor")
    current.bia = bia
    current.bia_allocated_at = timezone.now()
    current.bia_allocated_by = by.user
    fields = ["bia", "bia_allocated_at", "bia_allocated_by"]
    current.save(update_fields=fields)
    _audit(by, current.person, RecordType.LIBERTY_AUTHORISATION, current.pk, Action.UPDATE, fields)
    return current


@transaction.atomic
def record_liberty_review(*, by: Actor, authorisation, data: dict) -> LibertyReview:
    """A review of a standard authorisation, kept as a record of its own. "Conditions varied"
    replaces the conditions (the old ones kept on the review); "no longer meets the qualifying
    requirements" ends the authorisation through `end_liberty`; the next review date, if given,
    becomes the authorisation's review date."""
    permissions.require(by, "record_liberty")
    current = _open_authorisation(authorisation)
    if current.kind != LibertyKind.STANDARD:
        raise LegalProblem("__all__", "Only a standard authorisation is reviewed")
    reviewed_on: date = data["reviewed_on"]
    if reviewed_on > timezone.localdate():
        raise LegalProblem("reviewed_on", "The date of the review must be today or in the past")
    if reviewed_on < current.starts_on:
        raise LegalProblem(
            "reviewed_on",
            f"The date of the review must be on or after the start, {current.starts_on:%-d %B %Y}",
        )
    reviewer = (data.get("reviewer") or "").strip()
    if not reviewer:
        raise LegalProblem("reviewer", "Enter who carried out the review")
    if not (data.get("reviewed_conditions") or data.get("reviewed_requirements")):
        raise LegalProblem("reviewed_conditions", "Say what was reviewed")
    outcome = data["outcome"]
    new_conditions = (data.get("new_conditions") or "").strip()
    if outcome == ReviewOutcome.CONDITIONS_VARIED and not new_conditions:
        raise LegalProblem("new_conditions", "Enter the new conditions")
    if outcome != ReviewOutcome.CONDITIONS_VARIED:
        new_conditions = ""
    next_review_on = data.get("next_review_on")
    if outcome == ReviewOutcome.NO_LONGER_MEETS:
        next_review_on = None
    elif next_review_on is not None and (next_review_on <= reviewed_on or next_review_on > current.ends_on):
        raise LegalProblem(
            "next_review_on",
            f"The next review date must be after the review and by the expiry, {current.ends_on:%-d %B %Y}",
        )
    review = LibertyReview.objects.create(
        person=current.person,
        authorisation=current,
        reviewed_on=reviewed_on,
        reviewer=reviewer,
        reviewed_conditions=bool(data.get("reviewed_conditions")),
        reviewed_requirements=bool(data.get("reviewed_requirements")),
        outcome=outcome,
        previous_conditions=current.conditions if new_conditions else "",
        new_conditions=new_conditions,
        notes=(data.get("notes") or "").strip(),
        next_review_on=next_review_on,
        recorded_by=by.user,
    )
    fields = ["reviewed_on", "reviewer", "outcome"] + [
        key
        for key in (
            "reviewed_conditions",
            "reviewed_requirements",
            "new_conditions",
            "notes",
            "next_review_on",
        )
        if getattr(review, key)
    ]
    _audit(by, current.person, RecordType.LIBERTY_REVIEW, review.pk, Action.CREATE, fields)
    changed = []
    if new_conditions:
        current.conditions = new_conditions
        changed.append("conditions")
    if next_review_on is not None:
        current.review_on = next_review_on
        changed.append("review_on")
    if changed:
        current.save(update_fields=changed)
        _audit(by, current.person, RecordType.LIBERTY_AUTHORISATION, current.pk, Action.UPDATE, changed)
    if outcome == ReviewOutcome.NO_LONGER_MEETS:
        end_liberty(
            by=by,
            authorisation=current,
            ended_on=reviewed_on,
            reason=f"Review on {reviewed_on:%-d %B %Y}: no longer meets the qualifying requirements",
        )
    return review


# --- Nearest relative / nominated person ----------------------------------------------------------


def relative_role(on: date) -> tuple[str, str]:
    """(role, wording) the rules in force on `on` give: the nearest relative, or from the
    commencement of the MHA 2025 provisions, the nominated person."""
    wording = rules.term("relative", on)
    role = RelativeRole.NOMINATED_PERSON if wording == "nominated person" else RelativeRole.NEAREST_RELATIVE
    return role, wording


@transaction.atomic
def record_relative_event(*, by: Actor, person, data: dict) -> RelativeEvent:
    """Who the nearest relative (or nominated person) is, their displacement, delegation, being
    consulted or informed. The role is the one the rules in force on the date give."""
    permissions.require(by, "record_relative")
    on: date = data["on"]
    kind = data["kind"]
    if on > timezone.localdate():
        raise LegalProblem("on", "The date must be today or in the past")
    role, wording = relative_role(on)
    allowed = RELATIVE_KINDS if role == RelativeRole.NEAREST_RELATIVE else NOMINATED_KINDS
    if kind not in allowed:
        raise LegalProblem(
            "kind",
            f"On {on:%-d %B %Y} the rules in force have a {wording}: "
            f"“{RelativeEventKind(kind).label}” does not apply",
        )
    carer = data.get("carer")
    if carer is not None and carer.person_id != person.pk:
        raise LegalProblem("carer", "Choose one of this person's carers and relatives")
    name = (data.get("name") or "").strip() or (carer.name if carer else "")
    relationship = (data.get("relationship") or "").strip() or (carer.relationship if carer else "")
    court = (data.get("court") or "").strip()
    if kind in NAMING_KINDS - {RelativeEventKind.DISPLACED} and not name:
        raise LegalProblem("name", f"Choose or name the {wording}")
    if kind == RelativeEventKind.DELEGATED and not name:
        raise LegalProblem("name", "Name the person the functions are delegated to")
    if kind in (RelativeEventKind.DISPLACED, RelativeEventKind.COURT_APPOINTED) and not court:
        raise LegalProblem("court", "Enter the court and the date or reference of its order")
    if kind == RelativeEventKind.DISPLACED and not name:
        raise LegalProblem("name", "Name the acting nearest relative the court appointed")
    event = RelativeEvent.objects.create(
        person=person,
        role=role,
        term=wording,
        kind=kind,
        on=on,
        name=name,
        relationship=relationship,
        carer=carer,
        court=court,
        detail=(data.get("detail") or "").strip(),
        recorded_by=by.user,
    )
    fields = ["kind", "on", "role"] + [
        key for key in ("name", "relationship", "carer", "court", "detail") if getattr(event, key)
    ]
    _audit(by, person, RecordType.RELATIVE_EVENT, event.pk, Action.CREATE, fields)
    return event


# --- Advance statements, advance decisions, advance choice documents -----------------------------


def advance_choice_in_force(on: date) -> bool:
    """Advance choice documents exist only once a Trust sets that MHA 2025 commencement date."""
    return rules.provision_in_force("advance_choice", on)


@transaction.atomic
def record_advance_decision(*, by: Actor, person, data: dict) -> AdvanceDecision:
    permissions.require(by, "record_advance_decision")
    kind, made_on = data["kind"], data["made_on"]
    if made_on > timezone.localdate():
        raise LegalProblem("made_on", "The date made must be today or in the past")
    if kind == AdvanceKind.CHOICE and not advance_choice_in_force(made_on):
        raise LegalProblem(
            "kind",
            f"Advance choice documents are not in force on {made_on:%-d %B %Y}: record an advance "
            "statement or an advance decision to refuse treatment",
        )
    wishes = (data.get("wishes") or "").strip()
    refuses = (data.get("refuses") or "").strip()
    if kind == AdvanceKind.ADRT and not refuses:
        raise LegalProblem("refuses", "Enter the treatment the person refuses, and in which circumstances")
    if not (wishes or refuses):
        raise LegalProblem("wishes", "Enter what the person wants or refuses")
    life_sustaining = bool(data.get("life_sustaining"))
    if life_sustaining and kind != AdvanceKind.ADRT:
        raise LegalProblem("life_sustaining", "Only an advance decision to refuse treatment can refuse it")
    if life_sustaining and not data.get("in_writing_signed_witnessed"):
        raise LegalProblem(
            "in_writing_signed_witnessed",
            "A refusal of life-sustaining treatment is valid only in writing, signed and witnessed, "
            "with a statement that it applies even if life is at risk",
        )
    review_on = data.get("review_on")
    if review_on is not None and review_on < made_on:
        raise LegalProblem("review_on", "The review date must be after the date made")
    found = AdvanceDecision.objects.create(
        person=person,
        kind=kind,
        made_on=made_on,
        wishes=wishes,
        refuses=refuses,
        life_sustaining=life_sustaining,
        in_writing_signed_witnessed=bool(data.get("in_writing_signed_witnessed")),
        held_where=(data.get("held_where") or "").strip(),
        review_on=review_on,
        created_by=by.user,
    )
    fields = ["kind", "made_on"] + [
        key
        for key in (
            "wishes",
            "refuses",
            "life_sustaining",
            "in_writing_signed_witnessed",
            "held_where",
            "review_on",
        )
        if getattr(found, key)
    ]
    _audit(by, person, RecordType.ADVANCE_DECISION, found.pk, Action.CREATE, fields)
    return found


# --- The Mental Capacity Act 2005 ------------------------------------------------------------------

FUNCTIONAL = ("understands", "retains", "uses_or_weighs", "communicates")


def lacks_capacity(data: dict) -> bool:
    """The two-stage test: an impairment, and because of it at least one of the four abilities lost.
    Capacity is assumed unless both stages are met (MCA s1(2))."""
    return (
        bool(data.get("impairment"))
        and not all(data.get(key) for key in FUNCTIONAL)
        and bool(data.get("because_of_impairment"))
    )


@transaction.atomic
def record_capacity_assessment(*, by: Actor, person, data: dict) -> CapacityAssessment:
    permissions.require(by, "record_mca")
    if data["assessed_on"] > timezone.localdate():
        raise LegalProblem("assessed_on", "The date assessed must be today or in the past")
    for key, message in (
        ("decision", "Enter the specific decision: capacity is about one decision at one time"),
        ("support_given", "Record the practicable steps taken to help the person make the decision"),
        ("reasons", "Give the evidence and reasons for the outcome"),
    ):
        if not (data.get(key) or "").strip():
            raise LegalProblem(key, message)
    if data.get("impairment") and not (data.get("impairment_detail") or "").strip():
        raise LegalProblem("impairment_detail", "Describe the impairment or disturbance")
    lacks = lacks_capacity(data)
    found = CapacityAssessment.objects.create(
        person=person,
        decision=data["decision"].strip(),
        assessed_on=data["assessed_on"],
        assessor=by.user,
        support_given=data["support_given"].strip(),
        impairment=bool(data.get("impairment")),
        impairment_detail=(data.get("impairment_detail") or "").strip(),
        understands=bool(data.get("understands")),
        retains=bool(data.get("retains")),
        uses_or_weighs=bool(data.get("uses_or_weighs")),
        communicates=bool(data.get("communicates")),
        because_of_impairment=bool(data.get("because_of_impairment")),
        reasons=data["reasons"].strip(),
        lacks_capacity=lacks,
    )
    _audit(
        by,
        person,
        RecordType.CAPACITY_ASSESSMENT,
        found.pk,
        Action.CREATE,
        ["decision", "assessed_on", "impairment", *FUNCTIONAL, "because_of_impairment", "lacks_capacity"],
    )
    return found


@transaction.atomic
def record_best_interests(*, by: Actor, person, data: dict) -> BestInterestsDecision:
    """A best interests decision (MCA s4), for a person found to lack capacity for that decision."""
    permissions.require(by, "record_mca")
    assessment = data.get("capacity_assessment")
    if assessment is not None:
        if assessment.person_id != person.pk or assessment.entered_in_error:
            raise LegalProblem("capacity_assessment", "Choose one of this person's capacity assessments")
        if not assessment.lacks_capacity:
            raise LegalProblem(
                "capacity_assessment",
                "That assessment found the person has capacity for the decision: they make it themselves",
            )
        if data["decided_on"] < assessment.assessed_on:
            raise LegalProblem("decided_on", "The decision comes on or after the capacity assessment")
    if data["decided_on"] > timezone.localdate():
        raise LegalProblem("decided_on", "The date decided must be today or in the past")
    for key, message in (
        ("decision", "Enter the decision to be made"),
        ("decision_maker", "Enter who made the decision"),
        ("wishes", "Record the person's wishes, feelings, beliefs and values"),
        ("consulted", "Record who was consulted and their views"),
        ("less_restrictive", "Record the less restrictive options considered"),
        ("outcome", "Enter the decision"),
        ("reasons", "Give the reasons"),
    ):
        if not (data.get(key) or "").strip():
            raise LegalProblem(key, message)
    found = BestInterestsDecision.objects.create(
        person=person,
        capacity_assessment=assessment,
        decided_on=data["decided_on"],
        created_by=by.user,
        **{
            key: (data.get(key) or "").strip()
            for key in (
                "decision",
                "decision_maker",
                "wishes",
                "involvement",
                "consulted",
                "less_restrictive",
                "could_wait",
                "outcome",
                "reasons",
            )
        },
    )
    _audit(
        by,
        person,
        RecordType.BEST_INTERESTS,
        found.pk,
        Action.CREATE,
        ["decision", "decided_on", "decision_maker", "wishes", "consulted", "less_restrictive", "outcome"],
    )
    return found


@transaction.atomic
def record_power_of_attorney(*, by: Actor, person, data: dict) -> PowerOfAttorney:
    """A lasting power of attorney (usable only once registered) or a deputyship."""
    permissions.require(by, "record_mca")
    kind = data["kind"]
    if not (data.get("attorney") or "").strip():
        raise LegalProblem("attorney", "Name the attorney or deputy")
    registered_on = data.get("registered_on")
    if registered_on is not None and registered_on > timezone.localdate():
        raise LegalProblem("registered_on", "The registration date must be today or in the past")
    if data.get("life_sustaining") and kind != AttorneyKind.LPA_HEALTH:
        raise LegalProblem(
            "life_sustaining", "Only a health and welfare attorney can decide about life-sustaining treatment"
        )
    found = PowerOfAttorney.objects.create(
        person=person,
        kind=kind,
        attorney=data["attorney"].strip(),
        acting=(data.get("acting") or "").strip(),
        registered_on=registered_on,
        life_sustaining=bool(data.get("life_sustaining")),
        copy_seen=bool(data.get("copy_seen")),
        notes=(data.get("notes") or "").strip(),
        created_by=by.user,
    )
    fields = ["kind", "attorney"] + [
        key
        for key in ("acting", "registered_on", "life_sustaining", "copy_seen", "notes")
        if getattr(found, key)
    ]
    _audit(by, person, RecordType.POWER_OF_ATTORNEY, found.pk, Action.CREATE, fields)
    return found


@transaction.atomic
def record_imca_referral(*, by: Actor, person, data: dict) -> ImcaReferral:
    permissions.require(by, "record_mca")
    if data["referred_on"] > timezone.localdate():
        raise LegalProblem("referred_on", "The date referred must be today or in the past")
    report_on = data.get("report_on")
    if report_on is not None and report_on < data["referred_on"]:
        raise LegalProblem("report_on", "The report comes on or after the referral")
    for key, message in (
        ("decision", "Enter the decision the advocate is for"),
        ("service", "Enter the advocacy service"),
    ):
        if not (data.get(key) or "").strip():
            raise LegalProblem(key, message)
    found = ImcaReferral.objects.create(
        person=person,
        referred_on=data["referred_on"],
        reason=data["reason"],
        decision=data["decision"].strip(),
        service=data["service"].strip(),
        advocate=(data.get("advocate") or "").strip(),
        report_on=report_on,
        notes=(data.get("notes") or "").strip(),
        created_by=by.user,
    )
    _audit(
        by,
        person,
        RecordType.IMCA_REFERRAL,
        found.pk,
        Action.CREATE,
        ["referred_on", "reason", "decision", "service", "advocate", "report_on"],
    )
    return found


# --- Statutory care and treatment plans (Mental Health Act 2025) ---------------------------------

PLANNED_KINDS = (SectionKind.DETENTION, SectionKind.CTO)


def care_treatment_plans_in_force(on: date) -> bool:
    """Statutory care and treatment plans exist only once a Trust sets that MHA 2025 commencement date."""
    return rules.provision_in_force("care_treatment_plan", on)


@transaction.atomic
def record_care_treatment_plan(*, by: Actor, person, data: dict) -> CareTreatmentPlan:
    """A statutory care and treatment plan for one of the person's detention or CTO periods,
    prepared on a date those provisions were in force, while the period was running."""
    permissions.require(by, "record_care_treatment_plan")
    period: MhaPeriod = data["period"]
    prepared_on: date = data["prepared_on"]
    if period.person_id != person.pk or period.entered_in_error:
        raise LegalProblem("period", "Choose one of the person's current sections")
    if prepared_on > timezone.localdate():
        raise LegalProblem("prepared_on", "The date prepared must be today or in the past")
    if not care_treatment_plans_in_force(prepared_on):
        raise LegalProblem(
            "prepared_on",
            f"Statutory care and treatment plans are not in force on {prepared_on:%-d %B %Y}: "
            "record the plan in the person's care plan instead",
        )
    if period.rule.kind not in PLANNED_KINDS:
        raise LegalProblem(
            "period", "A care and treatment plan is for a detention or a community treatment order"
        )
    if prepared_on < period.starts_on or (period.ended_on is not None and prepared_on > period.ended_on):
        raise LegalProblem("prepared_on", "The date prepared must be while the section was in place")
    texts = {
        key: (data.get(key) or "").strip()
        for key in ("prepared_by", "treatment", "person_views", "others_consulted", "discharge_plan")
    }
    for key, message in (
        ("prepared_by", "Enter the responsible clinician who prepared the plan"),
        ("treatment", "Enter the medical treatment and what it is for"),
        ("person_views", "Enter the person's views and wishes, and how they were taken into account"),
    ):
        if not texts[key]:
            raise LegalProblem(key, message)
    review_on = data.get("review_on")
    if review_on is not None and review_on <= prepared_on:
        raise LegalProblem("review_on", "The review date must be after the date prepared")
    plan = CareTreatmentPlan.objects.create(
        person=person,
        period=period,
        prepared_on=prepared_on,
        advance_choice_considered=bool(data.get("advance_choice_considered")),
        review_on=review_on,
        created_by=by.user,
        **texts,
    )
    fields = ["period", "prepared_on", *(key for key, value in texts.items() if value)]
    fields += [key for key in ("advance_choice_considered", "review_on") if data.get(key)]
    _audit(by, person, RecordType.CARE_TREATMENT_PLAN, plan.pk, Action.CREATE, fields)
    return plan


# --- Corrections: entered in error, with a reason, never deleted ----------------------------------

CORRECTABLE = {
    # url kind: (model, permission action, audit record type)
    "relative": (RelativeEvent, "record_relative", RecordType.RELATIVE_EVENT),
    "advance": (AdvanceDecision, "record_advance_decision", RecordType.ADVANCE_DECISION),
    "care-treatment-plan": (CareTreatmentPlan, "record_care_treatment_plan", RecordType.CARE_TREATMENT_PLAN),
    "capacity": (CapacityAssessment, "record_mca", RecordType.CAPACITY_ASSESSMENT),
    "best-interests": (BestInterestsDecision, "record_mca", RecordType.BEST_INTERESTS),
    "attorney": (PowerOfAttorney, "record_mca", RecordType.POWER_OF_ATTORNEY),
    "imca": (ImcaReferral, "record_mca", RecordType.IMCA_REFERRAL),
    "liberty-review": (LibertyReview, "record_liberty", RecordType.LIBERTY_REVIEW),
}


@transaction.atomic
def entry_entered_in_error(*, by: Actor, kind: str, entry, reason: str):
    """Mark one of the Mental Capacity Act, relative or advance entries entered in error."""
    model, action, record_type = CORRECTABLE[kind]
    permissions.require(by, action)
    current: Any = model._default_manager.select_for_update().select_related("person").get(pk=entry.pk)
    if current.entered_in_error:
        raise NotOpen()
    if not reason.strip():
        raise LegalProblem("reason", "Say why this was entered in error")
    current.entered_in_error = True
    current.error_reason = reason.strip()
    current.save(update_fields=["entered_in_error", "error_reason"])
    _audit(by, current.person, record_type, current.pk, Action.ENTERED_IN_ERROR, ["error_reason"])
    return current
