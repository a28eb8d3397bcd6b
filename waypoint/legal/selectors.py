"""Reads for legal status. Fixed query counts, however many rows a person has."""

import json

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    Exists,
    IntegerField,
    JSONField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from waypoint.access.policy import open_record
from waypoint.audit.models import Action, RecordType
from waypoint.core.memo import per_request

from . import rules
from .models import (
    NAMING_KINDS,
    AdvanceDecision,
    Aftercare,
    AmhpShift,
    AssessmentRequest,
    BestInterestsDecision,
    CapacityAssessment,
    CareTreatmentPlan,
    ImcaReferral,
    LibertyAuthorisation,
    LibertyKind,
    MhaPeriod,
    PeriodEvent,
    PowerOfAttorney,
    RelativeEvent,
    RelativeEventKind,
    RequestStatus,
    RightsExplanation,
    SectionKind,
    SectionRule,
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


_PERIOD_COLUMNS = [
    "pk",
    "person_id",
    "starts_on",
    "expires_on",
    "expires_at",
    "rule_id",
    "rule__code",
    "rule__label",
    "rule__short",
    "rule__kind",
    "rule__rights_section",
    "rule__renewal_months",
    "rule__then_every_months",
    "rights_recorded",
    "rights_next_on",
]


@per_request
def legal_rows(person_ids: list[int]) -> tuple[list[MhaPeriod], list[LibertyAuthorisation]]:
    """The open Mental Health Act periods (with their rules and latest rights) and the current
    liberty authorisations of these people, in ONE query (a UNION ALL of the two tables).

    Shared in a request (core.memo): the banner, and the rights, expiry and DoLS expiry worklist
    items, read it once between them on the record overview and the worklists. The rows come back
    as unsaved model instances holding only what those readers use (`open_periods`,
    `open_liberty`): do not save them. Each period carries `rights_recorded` (any rights
    explanation not entered in error) and `rights_next_on` (the latest one's date to explain again).
    """
    ids = list(person_ids)
    latest = RightsExplanation.objects.filter(period=OuterRef("pk"), entered_in_error=False).order_by(
        "-given_on", "-pk"
    )
    periods = (
        MhaPeriod.objects.open()
        .filter(person_id__in=ids)
        .annotate(
            row_kind=Value("period"),
            rights_recorded=Exists(latest),
            rights_next_on=Subquery(latest.values("next_on")[:1]),
            liberty_kind=Value(""),
            liberty_place=Value(""),
            liberty_extended_to=Value(None, output_field=DateField()),
        )
        .values_list("row_kind", *_PERIOD_COLUMNS, "liberty_kind", "liberty_place", "liberty_extended_to")
        .order_by()
    )
    nothing = {
        "n_at": Value(None, output_field=DateTimeField()),
        "n_rule": Value(None, output_field=IntegerField()),
        "n_code": Value(""),
        "n_label": Value(""),
        "n_short": Value(""),
        "n_kind": Value(""),
        "n_rights": Value(""),
        "n_months": Value(None, output_field=JSONField()),
        "n_every": Value(None, output_field=IntegerField()),
        "n_recorded": Value(False, output_field=BooleanField()),
        "n_next": Value(None, output_field=DateField()),
    }
    liberty = (
        LibertyAuthorisation.objects.filter(person_id__in=ids, ended_on__isnull=True, entered_in_error=False)
        .annotate(row_kind=Value("liberty"), **nothing)
        .values_list(
            "row_kind",
            "pk",
            "person_id",
            "starts_on",
            "expires_on",
            *nothing,
            "kind",
            "managing_authority",
            "extended_to",
        )
        .order_by()
    )
    found_periods: list[MhaPeriod] = []
    found_liberty: list[LibertyAuthorisation] = []
    for row in periods.union(liberty, all=True):
        kind, values, (liberty_kind, place, extended_to) = row[0], row[1:16], row[16:]
        if kind == "liberty":
            pk, person_id, starts_on, expires_on = values[:4]
            found_liberty.append(
                LibertyAuthorisation(
                    pk=pk,
                    person_id=person_id,
                    kind=liberty_kind,
                    managing_authority=place,
                    starts_on=starts_on,
                    expires_on=expires_on,
                    extended_to=extended_to,
                )
            )
            continue
        field = dict(zip(_PERIOD_COLUMNS, values, strict=True))
        rule = SectionRule(
            pk=field["rule_id"],
            code=field["rule__code"],
            label=field["rule__label"],
            short=field["rule__short"],
            kind=field["rule__kind"],
            rights_section=field["rule__rights_section"],
            renewal_months=_json_list(field["rule__renewal_months"]),
            then_every_months=field["rule__then_every_months"],
        )
        period = MhaPeriod(
            pk=field["pk"],
            person_id=field["person_id"],
            rule=rule,
            starts_on=field["starts_on"],
            expires_on=field["expires_on"],
            expires_at=field["expires_at"],
        )
        period.rights_recorded = bool(field["rights_recorded"])  # type: ignore[attr-defined]
        period.rights_next_on = field["rights_next_on"]  # type: ignore[attr-defined]
        found_periods.append(period)
    found_periods.sort(key=lambda p: (p.person_id, p.starts_on, p.pk))
    found_liberty.sort(key=lambda a: (a.person_id, a.ends_on, a.pk))
    return found_periods, found_liberty


def _json_list(value) -> list:
    """A JSON column through a UNION: some backends hand back the text, not the decoded list."""
    if isinstance(value, str):
        return json.loads(value)
    return list(value or [])


def open_periods(person_ids: list[int]) -> list[MhaPeriod]:
    """The open periods of these people (from `legal_rows`: one query shared in a request)."""
    return legal_rows(list(person_ids))[0]


def open_liberty(person_ids: list[int]) -> list[LibertyAuthorisation]:
    """Liberty authorisations not ended nor entered in error (from `legal_rows`)."""
    return legal_rows(list(person_ids))[1]


def banner_status(person, user=None) -> dict:
    """The banner line: every open period, or "Informal", and any current liberty authorisation
    (one query, shared with the worklist)."""
    today = timezone.localdate()
    open_now, authorisations = legal_rows([person.pk])
    periods = sorted(open_now, key=lambda p: (KIND_ORDER.get(p.rule.kind, 9), p.starts_on))
    liberty = [
        {"text": f"{a.get_kind_display()} until {a.ends_on:%-d %B %Y}", "expired": a.ends_on < today}
        for a in authorisations
    ]
    return {"lines": [describe_period(p, today) for p in periods], "liberty": liberty, "person_id": person.pk}


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
        "care_treatment_plans": list(
            CareTreatmentPlan.objects.filter(person=person).select_related("period__rule", "created_by")
        ),
        "care_treatment_plans_in_force": rules.provision_in_force("care_treatment_plan", today),
        **mca_and_relatives(person, today),
    }


def current_relative(events) -> dict | None:
    """Who holds the role now, from the events in date order (entered-in-error ones ignored):
    the latest naming event wins; "ended" ends it; a delegation names who acts for them."""
    holder: dict | None = None
    for event in events:
        if event.entered_in_error:
            continue
        if event.kind in NAMING_KINDS:
            holder = {"event": event, "since": event.on, "delegate": None}
        elif event.kind == RelativeEventKind.ENDED:
            holder = None
        elif event.kind == RelativeEventKind.DELEGATED and holder is not None:
            holder["delegate"] = event
    return holder


def relative_now(person) -> dict | None:
    """Who holds the nearest relative or nominated person role now, as the Legal tab shows it
    (`current_relative`; one query): offered on the AMHP's assessment form."""
    return current_relative(RelativeEvent.objects.filter(person=person).order_by("on", "pk"))


def mca_and_relatives(person, today) -> dict:
    """The Legal tab's nearest relative, advance decisions and Mental Capacity Act lists (6 queries)."""
    relative_events = list(RelativeEvent.objects.filter(person=person).select_related("recorded_by", "carer"))
    return {
        "relative_events": relative_events,
        "relative_now": current_relative(relative_events),
        "advance": list(AdvanceDecision.objects.filter(person=person)),
        "capacity": list(CapacityAssessment.objects.filter(person=person).select_related("assessor")),
        "best_interests": list(
            BestInterestsDecision.objects.filter(person=person).select_related("capacity_assessment")
        ),
        "attorneys": list(PowerOfAttorney.objects.filter(person=person)),
        "imca": list(ImcaReferral.objects.filter(person=person)),
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


def correctable_entry_for_page(request, person_id, *, model, record_type, entry_id):
    """The opened record for one correctable entry (a relative, an advance decision, an MCA entry)
    of this person, to mark entered in error; 404 otherwise, before any audit row."""
    return open_record(
        request, person_id, model=model, record_id=entry_id, record_type=record_type, action=Action.VIEW
    )


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


URGENT_FIRST = {LibertyKind.URGENT: 0, LibertyKind.STANDARD: 1}


def bia_queue(user, today) -> list[dict]:
    """Requests from managing authorities waiting for a BIA: open urgent and standard
    authorisations with no BIA allocated, urgent first, then the longest waiting. The person's
    name only where the access policy lets the viewer see them (one query, whatever the rows)."""
    from waypoint.access.policy import visible_person_ids

    rows = (
        LibertyAuthorisation.objects.filter(
            bia__isnull=True,
            ended_on__isnull=True,
            entered_in_error=False,
            kind__in=list(URGENT_FIRST),
        )
        .annotate(
            may_see=Case(
                When(person_id__in=visible_person_ids(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("person")
    )
    queue = []
    for row in rows:
        received = row.requested_on or timezone.localdate(row.created_at)
        queue.append(
            {
                "authorisation": row,
                "received": received,
                "days_waiting": max((today - received).days, 0),
                "name": row.person.listing_name if row.may_see else "",
            }
        )
    queue.sort(key=lambda r: (URGENT_FIRST[r["authorisation"].kind], r["received"], r["authorisation"].pk))
    return queue


def bia_request(liberty_id) -> LibertyAuthorisation:
    """A request waiting for a BIA, for the allocation page (404 if there is none by that id)."""
    found = LibertyAuthorisation.objects.filter(pk=liberty_id).select_related("person", "bia").first()
    if found is None:
        raise Http404("No such request")
    return found


def liberty_reviews(authorisation) -> list:
    """The authorisation's reviews, newest first (one query)."""
    return list(authorisation.reviews.select_related("recorded_by"))


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


def periods_for_care_treatment_plan(person) -> list[MhaPeriod]:
    """The person's current detentions and community treatment orders, newest first (one query)."""
    return list(
        MhaPeriod.objects.filter(
            person=person,
            entered_in_error=False,
            ended_on__isnull=True,
            rule__kind__in=(SectionKind.DETENTION, SectionKind.CTO),
        )
        .select_related("rule")
        .order_by("-starts_on", "-pk")
    )


def advance_decisions_in_force(person) -> list[AdvanceDecision]:
    """The person's advance statements, decisions and choice documents not withdrawn or entered in
    error, newest first (one query): shown on the crisis plan."""
    return list(
        AdvanceDecision.objects.filter(person=person, entered_in_error=False, withdrawn_on__isnull=True)
    )
