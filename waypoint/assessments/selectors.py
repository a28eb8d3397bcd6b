"""Reads of assessments for pages, the record section and the worklist: a fixed number of queries."""

from django.db.models import Exists, OuterRef, Subquery

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.core.memo import per_request
from waypoint.patients.models import Carer
from waypoint.referrals.models import Referral

from .models import Assessment, AssessmentRevision, Kind, Status


def assessments_of(person):
    """Every assessment of the person, newest first (a replaced one stays, marked as replaced)."""
    return list(Assessment.objects.for_person(person).with_people().newest_first())


def assessment_of(person, assessment_id):
    """One assessment, only if it is this person's (None otherwise)."""
    return (
        Assessment.objects.for_person(person)
        .filter(pk=assessment_id)
        .with_people()
        .select_related("referral", "referral__team", "person")
        .first()
    )


def revisions_of(assessment):
    return list(AssessmentRevision.objects.filter(assessment=assessment).select_related("saved_by"))


def revision_of(assessment, revision_id):
    return (
        AssessmentRevision.objects.filter(assessment=assessment, pk=revision_id)
        .select_related("saved_by")
        .first()
    )


def referral_choices(person):
    return Referral.objects.filter(person=person).select_related("team").order_by("-received_at")


def carer_choices(person):
    return Carer.objects.filter(person=person).order_by("name")


def carer_of(person, carer_id):
    return Carer.objects.filter(person=person, pk=carer_id).first()


def record_summary(person, carers=None):
    """For the record page: the latest assessment of each kind, and each carer's assessment status.

    Two queries, however many assessments or carers the person has (one when the record's shared
    `carers`, in name order, are passed in).
    """
    assessments = assessments_of(person)
    latest = {}
    for assessment in assessments:
        if assessment.kind == Kind.CARER:
            continue
        latest.setdefault(assessment.kind, assessment)
    by_carer = {}
    for assessment in assessments:
        if assessment.kind == Kind.CARER and not assessment.is_replaced:
            by_carer.setdefault(assessment.carer_id, assessment)
    carers = [
        (carer, by_carer.get(carer.pk))
        for carer in (Carer.objects.filter(person=person).order_by("name") if carers is None else carers)
        if carer.is_carer or carer.pk in by_carer
    ]
    return {
        "latest": [(kind, label, latest.get(kind)) for kind, label in Kind.choices if kind != Kind.CARER],
        "carers": carers,
        "count": len(assessments),
    }


# -- Worklist ---------------------------------------------------------------------------------


@per_request
def carers_with_assessment_facts(person_ids) -> list[Carer]:
    """These people's carers, each with `has_carer_assessment` (any carer's assessment record) and
    `latest_review_on` (the review date of their latest completed, not replaced, carer's
    assessment). One query for any number of people; both carer worklist providers share it."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return []
    of_carer = Assessment.objects.filter(carer=OuterRef("pk"), kind=Kind.CARER)
    latest = of_carer.filter(status=Status.COMPLETED).current().order_by("-completed_at", "-pk")
    return list(
        Carer.objects.filter(person_id__in=ids)
        .annotate(
            has_carer_assessment=Exists(of_carer),
            latest_review_on=Subquery(latest.values("review_on")[:1]),
        )
        .order_by("person_id", "name")
    )


def carers_without_assessment(person_ids):
    """Carers (marked as providing care) with no carer's assessment record and not recorded as offered."""
    return [
        carer
        for carer in carers_with_assessment_facts(person_ids)
        if carer.is_carer and carer.carer_assessment == "not_offered" and not carer.has_carer_assessment
    ]


def carers_with_a_review_date(person_ids):
    """Carers whose latest completed (not replaced) carer's assessment set a review date."""
    return [carer for carer in carers_with_assessment_facts(person_ids) if carer.latest_review_on is not None]


def assessment_for_page(request, person_id, assessment_id):
    """Open the assessment through the access policy, then read it with its people and referral.

    `open_record` answers 404 unless the assessment is this person's and the user has a basis for
    them, before anything is audited; then it writes the one audit row. Returns (RecordAccess, Assessment).
    """
    opened = open_record(
        request, person_id, model=Assessment, record_id=assessment_id, record_type=RecordType.ASSESSMENT
    )
    return opened, assessment_of(opened.person, assessment_id)
