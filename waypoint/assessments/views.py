"""Assessment pages. Thin: fetch the person through the access policy, read through selectors,
write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from waypoint.access.policy import open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit.models import RecordType
from waypoint.core.ids import parse_id

from . import presenters, selectors, services
from .forms import AssessmentForm, answers_to_initial, sections_with_fields
from .models import KIND_SLUGS, AssessmentRevision, Kind
from .schema import CAPACITY_OUTCOME_LABELS, capacity_outcome

STALE_MESSAGE = (
    "Someone else saved this assessment after you opened it. Your changes have not been saved: "
    "they are still below. Open the assessment in another tab to see what they changed; saving "
    "again will replace their answers with yours."
)


def _context(opened, **extra):
    return {"person": opened.person, "alerts": opened.alerts, **extra}


def list_view(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ASSESSMENT)
    person = opened.person
    assessments = selectors.assessments_of(person)
    return render(
        request,
        "assessments/list.jinja",
        _context(
            opened,
            assessments=[(a, presenters.summary_line(a)) for a in assessments],
            kinds=[(kind, label, KIND_SLUGS[kind]) for kind, label in Kind.choices],
        ),
    )


def _form(request, kind, person, initial):
    return AssessmentForm(
        request.POST or None,
        kind=kind,
        referrals=selectors.referral_choices(person),
        carers=selectors.carer_choices(person),
        initial=initial,
    )


def _render_form(request, opened, form, *, assessment=None, replaces=None, carer=None, stale=False):
    outcome = None
    if form.kind == Kind.CAPACITY:
        source = (
            {name: form.data.get(name) for name in form.fields}
            if form.is_bound
            else (assessment.answers if assessment else {})
        )
        outcome = CAPACITY_OUTCOME_LABELS[capacity_outcome(source)]
    return render(
        request,
        "assessments/form.jinja",
        _context(
            opened,
            form=form,
            kind=form.kind,
            kind_label=Kind(form.kind).label,
            sections=sections_with_fields(form),
            assessment=assessment,
            replaces=replaces,
            carer=carer,
            stale=stale,
            capacity_outcome=outcome,
        ),
    )


@permission(Do.START_ASSESSMENT)
def new(request, person_id, kind):
    opened = open_record(request, person_id, record_type=RecordType.ASSESSMENT)
    person = opened.person
    replaces = None
    initial = {}
    if replaces_id := parse_id(request.GET.get("replaces")):
        replaces = selectors.assessment_of(person, replaces_id)
        if replaces is None or replaces.kind != kind:
            raise Http404("No assessment found")
        if replaces.replacement is not None:
            messages.info(request, "A correction of this assessment has already been started")
            return redirect("assessments:detail", person.pk, replaces.replacement.pk)
        if not replaces.is_completed:
            return redirect("assessments:edit", person.pk, replaces.pk)
        initial = answers_to_initial(replaces.answers)
        initial.update(
            {
                "assessed_on": replaces.assessed_on,
                "review_on": replaces.review_on,
                "referral": replaces.referral_id,
                "carer": replaces.carer_id,
            }
        )
    carer = None
    if kind == Kind.CARER and (carer_id := parse_id(request.GET.get("carer"))):
        carer = selectors.carer_of(person, carer_id)
        if carer is None:
            raise Http404("No carer found")
        initial.setdefault("carer", carer.pk)
    if kind in (Kind.INITIAL, Kind.HOLISTIC) and (referral_id := parse_id(request.GET.get("referral"))):
        initial.setdefault("referral", referral_id)
    form = _form(request, kind, person, initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                by=opened.actor,
                person=person,
                kind=kind,
                answers=form.answers(),
                columns=form.columns(),
                complete=form.completing,
                replaces=replaces,
            )
        except services.CannotReplace:
            messages.info(request, "A correction of this assessment has already been started")
            return redirect("assessments:detail", person.pk, replaces.pk)
        messages.success(
            request,
            f"{assessment.get_kind_display()} completed" if assessment.is_completed else "Draft saved",
        )
        return redirect("assessments:detail", person.pk, assessment.pk)
    return _render_form(request, opened, form, replaces=replaces, carer=carer)


def detail(request, person_id, assessment_id):
    opened, assessment = selectors.assessment_for_page(request, person_id, assessment_id)
    return render(
        request,
        "assessments/detail.jinja",
        _context(
            opened,
            assessment=assessment,
            sections=presenters.sections(assessment.kind, assessment.answers),
            capacity_outcome=presenters.capacity_outcome_label(assessment.answers)
            if assessment.kind == Kind.CAPACITY
            else None,
            needs=presenters.summary_line(assessment) if assessment.kind == Kind.HOLISTIC else "",
            revisions=selectors.revisions_of(assessment),
        ),
    )


@permission(Do.START_ASSESSMENT)
def edit(request, person_id, assessment_id):
    opened, assessment = selectors.assessment_for_page(request, person_id, assessment_id)
    person = opened.person
    if assessment.is_completed:
        messages.info(
            request,
            "This assessment is completed and can no longer be changed. To correct it, start a correction.",
        )
        return redirect("assessments:detail", person.pk, assessment.pk)
    initial = answers_to_initial(assessment.answers)
    initial.update(
        {
            "version": assessment.version,
            "assessed_on": assessment.assessed_on,
            "review_on": assessment.review_on,
            "referral": assessment.referral_id,
            "carer": assessment.carer_id,
        }
    )
    form = _form(request, assessment.kind, person, initial)
    if "carer" in form.fields:
        # A carer's assessment stays with the carer it was offered to: start another for someone else.
        form.fields["carer"].disabled = True
        form.fields["carer"].help_text = "To assess another carer, start a new carer's assessment"
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_assessment(
                by=opened.actor,
                assessment=assessment,
                answers=form.answers(),
                columns=form.columns(),
                version=form.cleaned_data.get("version"),
                complete=form.completing,
            )
        except services.StaleAssessment as exc:
            stale = True
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.AssessmentCompleted:
            # Keep what was typed on the page: the user can copy it into a correction.
            form.add_error(
                None,
                "Someone completed this assessment after you opened it, so your changes were not saved. "
                "Copy anything you need from below, then start a correction of the completed assessment.",
            )
        else:
            messages.success(
                request, f"{saved.get_kind_display()} completed" if saved.is_completed else "Draft saved"
            )
            return redirect("assessments:detail", person.pk, saved.pk)
    return _render_form(request, opened, form, assessment=assessment, stale=stale)


def revision(request, person_id, assessment_id, assessment_revision_id):
    # The revision must be of this assessment, and the assessment this person's, before auditing.
    opened = open_record(
        request,
        person_id,
        model=AssessmentRevision,
        record_id=assessment_revision_id,
        person_field="assessment__person",
        where={"assessment_id": assessment_id},
        record_type=RecordType.ASSESSMENT,
        audit_record_id=assessment_id,
    )
    assessment = selectors.assessment_of(opened.person, assessment_id)
    found = selectors.revision_of(assessment, assessment_revision_id)
    return render(
        request,
        "assessments/revision.jinja",
        _context(
            opened,
            assessment=assessment,
            revision=found,
            sections=presenters.sections(assessment.kind, found.answers),
            capacity_outcome=presenters.capacity_outcome_label(found.answers)
            if assessment.kind == Kind.CAPACITY
            else None,
        ),
    )
