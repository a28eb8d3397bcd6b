"""The MHSDS tables fed by the legal and outcome measures modules: MHS401 (Mental Health Act legal
status periods), MHS404 (community treatment orders) and MHS606 (coded scored assessments against a
referral). Registered with `mhsds.register_table` from reports/extensions.py.

Data item names follow NHS England's published MHSDS field names (MHS401MHActPeriod,
MHS404CommTreatOrder, MHS606CodedScoreAssessmentRefer). PARTIAL: the legal status codes below are
the NHS Data Dictionary's "Mental Health Act legal status classification code" as we know them and
must be checked against the current technical output specification before a live submission; a
section with no code here (a CTO's own period, the 2025 Act's new sections) is listed as failing
validation rather than guessed. Waypoint records the dates of a period, not its times, so the
start and expiry time items are not sent.
"""

from django.db.models import OuterRef, Q, Subquery

from waypoint.legal.models import MhaPeriod, SectionKind
from waypoint.measures.licences import any_definition
from waypoint.measures.models import Measure
from waypoint.referrals.models import Referral

from .mhsds import Extract, Failure, d

# Mental Health Act legal status classification code, by the section's code in Waypoint's rules.
LEGAL_STATUS_CODES = {
    "2": "02",
    "3": "03",
    "4": "04",
    "5(2)": "05",
    "5(4)": "06",
    "35": "07",
    "36": "08",
    "37/41": "09",
    "37": "10",
    "38": "12",
    "47/49": "15",
    "47": "16",
    "48/49": "17",
    "48": "18",
    "135": "19",
    "136": "20",
    "7": "35",
}


def _in_period(ex: Extract):
    return (
        MhaPeriod.objects.valid()
        .filter(starts_on__lte=ex.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=ex.start))
        .select_related("rule", "person")
        .order_by("starts_on", "pk")
    )


def legal_status(ex: Extract, context) -> None:
    """MHS401 for every legal status period in force at any time in the period, and MHS404 for
    the community treatment orders among them (one query)."""
    periods, ctos = [], []
    for p in _in_period(ex):
        context["people"].add(p.person_id)
        period_id = f"L{p.pk}"
        code = LEGAL_STATUS_CODES.get(p.rule.code, "")
        is_cto = p.rule.kind == SectionKind.CTO
        if not code:
            ex.failures.append(
                Failure(
                    "MHS401MHActPeriod", period_id, "LegalStatusCode", f"No code for section {p.rule.code}"
                )
            )
        periods.append(
            [
                period_id,
                p.person.local_id,
                code,
                d(p.starts_on),
                d(p.expires_on),
                d(p.ended_on),
                p.end_reason,
            ]
        )
        if is_cto:
            ctos.append([period_id, d(p.starts_on), d(p.expires_on), d(p.ended_on), p.end_reason])
    ex.add(
        "MHS401MHActPeriod",
        [
            "MHActLegalStatusClassPeriodId",
            "LocalPatientId",
            "LegalStatusCode",
            "StartDateMHActLegalStatusClass",
            "ExpiryDateMHActLegalStatusClass",
            "EndDateMHActLegalStatusClass",
            "LegalStatusClassPeriodEndReason",
        ],
        periods,
    )
    ex.add(
        "MHS404CommTreatOrder",
        [
            "MHActLegalStatusClassPeriodId",
            "StartDateCommTreatOrd",
            "ExpiryDateCommTreatOrd",
            "EndDateCommTreatOrd",
            "CommTreatOrdEndReason",
        ],
        ctos,
    )


def coded_scored_assessments(ex: Extract, context) -> None:
    """MHS606: each current, scored outcome measure completed in the period, against the person's
    latest referral received by then, with the measure's SNOMED CT code (one query)."""
    referral = Subquery(
        Referral.objects.filter(
            person_id=OuterRef("person_id"), received_at__date__lte=OuterRef("completed_on")
        )
        .order_by("-received_at")
        .values("pk")[:1]
    )
    rows = []
    for m in (
        Measure.objects.current()
        .filter(completed_on__gte=ex.start, completed_on__lte=ex.end, total__isnull=False)
        .annotate(referral_id=referral)
        .order_by("completed_on", "pk")
    ):
        record = f"M{m.pk}"
        defn = any_definition(m.code)
        snomed = defn.snomed if defn else ""
        if m.referral_id is None:
            ex.failures.append(
                Failure("MHS606CodedScoreAssessmentRefer", record, "ServiceRequestId", "No referral")
            )
        if not snomed:
            ex.failures.append(
                Failure("MHS606CodedScoreAssessmentRefer", record, "CodedAssToolType", "No SNOMED CT code")
            )
        context["people"].add(m.person_id)
        rows.append(
            [
                f"R{m.referral_id}" if m.referral_id else "",
                snomed,
                str(m.total.normalize()) if m.total is not None else "",
                f"{m.completed_on.isoformat()}T00:00:00",
                f"S{m.recorded_by_id}",
            ]
        )
    ex.add(
        "MHS606CodedScoreAssessmentRefer",
        ["ServiceRequestId", "CodedAssToolType", "PersScore", "AssToolCompTimestamp", "CareProfLocalId"],
        rows,
    )


def register(register_table) -> None:
    register_table("Mental Health Act (MHS401, MHS404)", legal_status)
    register_table("Coded scored assessments (MHS606)", coded_scored_assessments)
