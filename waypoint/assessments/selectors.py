"""Reads of assessments for pages, the record section and the worklist: a fixed number of queries."""

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
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


def record_summary(person):
    """For the record page: the latest assessment of each kind, and each carer's assessment status.

    Two queries, however many assessments or carers the person has.
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
        for carer in Carer.objects.filter(person=person).order_by("name")
        if carer.is_carer or carer.pk in by_carer
    ]
    return {
        "latest": [(kind, label, latest.get(kind)) for kind, label in Kind.choices if kind != Kind.CARER],
        "carers": carers,
        "count": len(assessments),
    }


# -- Worklist ---------------------------------------------------------------------------------


def carers_without_assessment(person_ids):
    """Carers (marked as providing care) with no carer's assessment record and not recorded as offered.

    One query for any number of people.
    """
    return list(
        Carer.objects.filter(person_id__in=person_ids, is_carer=True, carer_assessment="not_offered")
        .exclude(assessments__kind=Kind.CARER)
        .order_by("person_id", "name")
    )


def latest_completed_carer_assessments(person_ids):
    """For each carer of these people, their latest completed (not replaced) carer's assessment.

    One query; the "latest per carer" is picked in Python from rows ordered by completion.
    """
    rows = (
        Assessment.objects.filter(person_id__in=person_ids, kind=Kind.CARER, status=Status.COMPLETED)
        .current()
        .select_related("carer")
        .order_by("carer_id", "-completed_at", "-pk")
    )
    latest = {}
    for row in rows:
        latest.setdefault(row.carer_id, row)
    return list(latest.values())


def assessment_for_page(request, person_id, assessment_id):
    """Open the assessment through the access policy, then read it with its people and referral.

    `open_record` answers 404 unless the assessment is this person's and the user has a basis for
    them, before anything is audited; then it writes the one audit row. Returns (RecordAccess, Assessment).
    """
    opened = open_record(
        request, person_id, model=Assessment, record_id=assessment_id, record_type=RecordType.ASSESSMENT
    )
    return opened, assessment_of(opened.person, assessment_id)
