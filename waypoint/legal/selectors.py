"""Reads for legal status. Fixed query counts, however many rows a person has."""

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from waypoint.access.policy import open_record
from waypoint.audit.models import Action, RecordType
from waypoint.core.memo import per_request

from . import rules
from .models import (
    Aftercare,
    AmhpShift,
    AssessmentRequest,
    LibertyAuthorisation,
    MhaPeriod,
    PeriodEvent,
    RequestStatus,
    RightsExplanation,
    SectionKind,
)

KIND_ORDER = {
    SectionKind.DETENTION: 0,
    SectionKind.HOLDING: 1,
    SectionKind.CTO: 2,
    SectionKind.GUARDIANSHIP: 3,
}


def _until(period) -> str:
    if period.expires_at is not None:
        local = timezone.localtime(period.expires_at)
        return f"until {local:%H:%M} on {local:%-d %B %Y}"
    if period.expires_on is not None:
        return f"until {period.expires_on:%-d %B %Y}"
    return ""


def describe_period(period, today) -> dict:
    """One line of status: "CTO (s17A) until 3 March 2027", or an expired period still open."""
    expired = period.has_expired(today)
    if expired:
        when = timezone.localtime(period.expires_at).date() if period.expires_at else period.expires_on
        text = f"{period.rule.short} expired on {when:%-d %B %Y}: no renewal or discharge recorded"
    else:
        text = f"{period.rule.short} {_until(period)}".strip()
    return {"text": text, "expired": expired, "period": period}


@per_request
def open_periods(person_ids: list[int]) -> list[MhaPeriod]:
    """The open periods of these people with their rules and their latest rights (one query).

    Shared in a request (core.memo): the banner and the rights and expiry worklist items read it
    once between them on the record overview. Each period carries `rights_recorded` (any rights
    explanation not entered in error) and `rights_next_on` (the latest one's date to explain again).
    """
    latest = RightsExplanation.objects.filter(period=OuterRef("pk"), entered_in_error=False).order_by(
        "-given_on", "-pk"
    )
    return list(
        MhaPeriod.objects.open()
        .filter(person_id__in=person_ids)
        .select_related("rule")
        .annotate(rights_recorded=Exists(latest), rights_next_on=Subquery(latest.values("next_on")[:1]))
        .order_by("person_id", "starts_on", "pk")
    )


def banner_status(person, user=None) -> dict:
    """The banner line: every open period, or "Informal" (one query, shared with the worklist)."""
    today = timezone.localdate()
    periods = sorted(open_periods([person.pk]), key=lambda p: (KIND_ORDER.get(p.rule.kind, 9), p.starts_on))
    return {"lines": [describe_period(p, today) for p in periods], "person_id": person.pk}


def legal_page(person) -> dict:
    """Everything on the Legal tab, in a fixed number of queries."""
    today = timezone.localdate()
    periods = list(MhaPeriod.objects.filter(person=person).select_related("rule__ruleset", "created_by"))
    events: dict[int, list] = {}
    for event in PeriodEvent.objects.filter(period__person=person).select_related("recorded_by"):
        events.setdefault(event.period_id, []).append(event)
    rights: dict[int, list] = {}
    for given in RightsExplanation.objects.filter(person=person).select_related("given_by"):
        rights.setdefault(given.period_id, []).append(given)
    rows = [
        {
            "period": p,
            "events": events.get(p.pk, []),
            "rights": rights.get(p.pk, []),
            **describe_period(p, today),
        }
        for p in periods
    ]
    return {
        "today": today,
        "current": [row for row in rows if row["period"].is_open],
        "past": [row for row in rows if not row["period"].is_open],
        "aftercare": list(Aftercare.objects.filter(person=person).select_related("from_period__rule")),
        "requests": list(AssessmentRequest.objects.filter(person=person).select_related("amhp")),
        "liberty": list(LibertyAuthorisation.objects.filter(person=person).select_related("bia")),
        "relative_term": rules.term("relative", today),
    }


def latest_rights(period) -> RightsExplanation | None:
    return RightsExplanation.objects.filter(period=period, entered_in_error=False).first()


def period_for_page(request, person_id, period_id, *, action=Action.VIEW):
    """(RecordAccess, period) for a period of this person; 404 otherwise, before any audit row."""
    opened = open_record(
        request,
        person_id,
        model=MhaPeriod,
        record_id=period_id,
        record_type=RecordType.MHA_PERIOD,
        action=action,
    )
    return opened, opened.record


def aftercare_for_page(request, person_id, aftercare_id, *, action=Action.VIEW):
    opened = open_record(
        request,
        person_id,
        model=Aftercare,
        record_id=aftercare_id,
        record_type=RecordType.AFTERCARE,
        action=action,
    )
    return opened, opened.record


def amhp_request_for_page(
    request, amhp_request_id, *, record_type=RecordType.AMHP_REQUEST, action=Action.VIEW
):
    """An AMHP's view of a request: 404 unless the user has a relationship with its person."""
    found = AssessmentRequest.objects.filter(pk=amhp_request_id).only("person_id").first()
    if found is None:
        raise Http404("No such request")
    opened = open_record(
        request,
        found.person_id,
        model=AssessmentRequest,
        record_id=amhp_request_id,
        record_type=record_type,
        action=action,
    )
    return opened, opened.record


def amhp_board(today):
    """Open requests, most urgent and oldest first, with the AMHPs on the rota today (3 queries)."""
    urgency_order = {"emergency": 0, "urgent": 1, "routine": 2}
    open_requests = list(
        AssessmentRequest.objects.exclude(status=RequestStatus.CLOSED).select_related("person", "amhp")
    )
    open_requests.sort(key=lambda r: (urgency_order.get(r.urgency, 9), r.received_at))
    on_rota = list(AmhpShift.objects.filter(day=today).select_related("amhp"))
    return {"requests": open_requests, "on_rota": on_rota}


def liberty_for_bia(user):
    return list(
        LibertyAuthorisation.objects.filter(bia=user, ended_on__isnull=True, entered_in_error=False)
        .select_related("person")
        .order_by("expires_on", "pk")
    )


def liberty_for_page(request, person_id, liberty_id, *, action=Action.VIEW):
    opened = open_record(
        request,
        person_id,
        model=LibertyAuthorisation,
        record_id=liberty_id,
        record_type=RecordType.LIBERTY_AUTHORISATION,
        action=action,
    )
    return opened, opened.record
