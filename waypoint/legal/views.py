"""Legal status pages. Thin: open through the access policy and selectors, write through services."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.policy import acting_on, actor_for, open_record
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import may, permission
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.forms import combine_local
from waypoint.core.submissions import once

from . import rules, selectors, services
from .forms import (
    AdvanceForm,
    AftercareForm,
    AllocateBiaForm,
    AssessmentForm,
    AttorneyForm,
    BestInterestsForm,
    CapacityForm,
    CareTreatmentPlanForm,
    CompleteForm,
    EndAftercareForm,
    EndForm,
    EndLibertyForm,
    ErrorForm,
    EventForm,
    ExtendForm,
    ImcaForm,
    LibertyAssessmentForm,
    LibertyForm,
    LibertyReviewForm,
    LibertyReviewRecordForm,
    PeriodForm,
    RelativeForm,
    RenewForm,
    RequestForm,
    RevokeForm,
    RightsForm,
    relative_value,
)
from .models import AmhpAssessment, AmhpShift, Requirement

STALE = (
    "Someone else changed this after you opened the page. Nothing has been saved: what you typed is "
    "still below. Check the record in another tab; saving again will apply your change."
)


def _form_page(request, opened, form, *, title, caption="", intro="", button="Save", back=None, extra=None):
    context = {
        "person": opened.person,
        "alerts": opened.alerts,
        "form": form,
        "title": title,
        "caption": caption,
        "intro": intro,
        "button": button,
        "back": back or reverse("legal:index", args=[opened.person.pk]),
    }
    context.update(extra or {})
    return render(request, "legal/form.jinja", context)


def _stale(form, exc):
    form.add_error(None, STALE)
    form.data = form.data.copy()
    form.data["version"] = str(exc.current_version)


def index(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.LEGAL_STATUS)
    context = selectors.legal_page(opened.person)
    context.update({"person": opened.person, "alerts": opened.alerts})
    return render(request, "legal/index.jinja", context)


@permission("record_legal_status")
@once
def new_period(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.MHA_PERIOD)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.record_period(by=opened.actor, person=opened.person, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"{period.rule.label} recorded")
            return redirect("legal:period", opened.person.pk, period.pk)
    in_force = rules.sections_in_force(timezone.localdate())
    return _form_page(
        request,
        opened,
        form,
        title="Record a Mental Health Act section",
        intro="The expiry date comes from the rules in force on the start date: you do not type it.",
        button="Record the section",
        extra={"in_force": in_force, "describe_length": rules.describe_length},
    )


def period(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    today = timezone.localdate()
    return render(
        request,
        "legal/period.jinja",
        {
            "person": opened.person,
            "alerts": opened.alerts,
            "period": found,
            "status": selectors.describe_period(found, today),
            "events": list(found.events.select_related("recorded_by")),
            "rights": list(found.rights.select_related("given_by")),
            "relative_term": rules.term("relative", found.starts_on),
            "cto_clinician_term": rules.term("cto_clinician", found.starts_on),
            "length": rules.describe_length(found.rule),
            "next_renewal": rules.renewal_months(found.rule, found.renewals + 1),
            "revived_by": found.revived_by.select_related("rule").first(),
            "today": today,
        },
    )


def _open_period_or_back(request, opened, found):
    if not found.is_open:
        messages.info(request, "This period has ended or was entered in error, so it cannot be changed")
        return redirect("legal:period", opened.person.pk, found.pk)
    return None


def _change_period(request, opened, form, save):
    """Post a change to a period through its service: `save(data)` returns (message, the period
    to show). A stale version or input the rules refuse stays on the form with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message, shown = save(form.cleaned_data)
    except services.StaleEdit as exc:
        _stale(form, exc)
    except services.LegalProblem as problem:
        form.add_problem(problem)
    else:
        messages.success(request, message)
        return redirect("legal:period", opened.person.pk, shown.pk)
    return None


@permission("record_legal_status")
def renew(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    if (back := _open_period_or_back(request, opened, found)) is not None:
        return back
    form = RenewForm(request.POST or None, initial={"version": found.version, "on": timezone.localdate()})

    def save(data):
        event = services.renew_period(
            by=opened.actor,
            period=found,
            renewed_on=data["on"],
            detail=data["detail"],
            version=data["version"],
        )
        return f"Renewed: now expires at the end of {event.new_expires_on:%-d %B %Y}", found

    if (done := _change_period(request, opened, form, save)) is not None:
        return done
    months = rules.renewal_months(found.rule, found.renewals + 1)
    new_expiry = (
        rules.renewed_expiry(found.rule, found.expires_on, found.renewals + 1) if found.expires_on else None
    )
    intro = (
        f"Renewal {found.renewals + 1} under {found.rule.ruleset.title}: {months} months, to the end of "
        f"{new_expiry:%-d %B %Y}."
        if new_expiry
        else f"{found.rule.label} cannot be renewed."
    )
    return _form_page(
        request,
        opened,
        form,
        title=f"Renew {found.rule.short}",
        caption=found.rule.label,
        intro=intro,
        button="Record the renewal",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
    )


@permission("record_legal_status")
def new_event(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    if (back := _open_period_or_back(request, opened, found)) is not None:
        return back
    form = EventForm(request.POST or None)

    def save(data):
        services.record_event(by=opened.actor, period=found, **data)
        return "Recorded", found

    if (done := _change_period(request, opened, form, save)) is not None:
        return done
    return _form_page(
        request,
        opened,
        form,
        title="Record leave, a recall or a hearing",
        caption=found.rule.label,
        button="Record",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
    )


@permission("record_legal_status")
def end(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    if (back := _open_period_or_back(request, opened, found)) is not None:
        return back
    form = EndForm(request.POST or None, initial={"version": found.version})

    def save(data):
        services.end_period(
            by=opened.actor,
            period=found,
            ended_on=data["ended_on"],
            reason=data["reason"],
            discharged_by=data["discharged_by"],
            detail=data["detail"],
            version=data["version"],
        )
        return "The end of the period is recorded", found

    if (done := _change_period(request, opened, form, save)) is not None:
        return done
    return _form_page(
        request,
        opened,
        form,
        title=f"End {found.rule.short}",
        caption=found.rule.label,
        intro="Discharge from the section, expiry without renewal, or replacement by another section.",
        button="Record the end",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
    )


@permission("record_legal_status")
def revoke(request, person_id, mha_period_id):
    """Revoke a CTO: it ends "CTO revoked" and the person is detained again under the section it
    followed, from the day of revocation (s17G), with the expiry from the rules in force then."""
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    if (back := _open_period_or_back(request, opened, found)) is not None:
        return back
    if found.rule.kind != "cto":
        messages.info(request, "Only a community treatment order can be revoked")
        return redirect("legal:period", opened.person.pk, found.pk)
    now = timezone.localtime()
    sections = services.sections_a_cto_can_follow(now.date())
    followed = services.section_the_cto_followed(found)
    suggested = followed.rule.code if followed else (sections[0].code if len(sections) == 1 else "")
    form = RevokeForm(
        request.POST or None,
        sections=sections,
        initial={
            "version": found.version,
            "revoked_on": now.date(),
            "revoked_time": now.strftime("%H:%M"),
            "section": suggested,
            "responsible_clinician": found.responsible_clinician,
            "hospital": found.hospital,
        },
    )

    def save(data):
        fields = {key: value for key, value in data.items() if key != "version"}
        detention = services.revoke_cto(by=opened.actor, period=found, version=data["version"], **fields)
        rule = detention.rule
        return (
            f"CTO revoked: detained under {rule.short} until {detention.expires_on:%-d %B %Y}. "
            f"Explain their rights (section {rule.rights_section})",
            detention,
        )

    if (done := _change_period(request, opened, form, save)) is not None:
        return done
    if followed:
        where = (
            f"The CTO is not linked to the section it was made from: {followed.rule.short}, which ended "
            f"on {followed.ended_on:%-d %B %Y} when a CTO was made, is chosen below. Check it."
        )
    else:
        where = "No section ended by making this CTO is recorded: choose the section it was made from."
    return _form_page(
        request,
        opened,
        form,
        title="Revoke the CTO",
        caption=found.rule.label,
        intro=(
            "The responsible clinician revokes the CTO, with an AMHP's written agreement, while the "
            "person is in hospital after a recall. They are detained again under the section the CTO "
            "followed, as if from the day of revocation: its expiry comes from the rules in force on "
            f"that day, and their rights must be explained again. {where}"
        ),
        button="Revoke the CTO",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
    )


@permission("record_legal_status")
def entered_in_error(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id)
    form = ErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_entered_in_error(
                by=opened.actor, period=found, reason=form.cleaned_data["reason"]
            )
        except services.NotOpen:
            messages.info(request, "This was already marked entered in error")
        else:
            messages.success(request, "Marked entered in error. It stays in the history with your reason")
        return redirect("legal:period", opened.person.pk, found.pk)
    return _form_page(
        request,
        opened,
        form,
        title="Mark as entered in error",
        caption=found.rule.label,
        intro="The entry is kept, struck through, with your reason. Record the right section as a new entry.",
        button="Mark entered in error",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
    )


@permission("record_rights")
@once
def rights(request, person_id, mha_period_id):
    opened, found = selectors.period_for_page(request, person_id, mha_period_id, action=Action.VIEW)
    relative_term = rules.term("relative", found.starts_on)
    form = RightsForm(
        request.POST or None, relative_term=relative_term, initial={"given_on": timezone.localdate()}
    )
    if request.method == "POST" and found.is_open and form.is_valid():
        try:
            given = services.record_rights(by=opened.actor, period=found, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        except services.NotOpen:
            messages.info(request, "This period has ended")
            return redirect("legal:period", opened.person.pk, found.pk)
        else:
            text = f", explain again by {given.next_on:%-d %B %Y}" if given.next_on else ""
            messages.success(request, f"Rights recorded{text}")
            return redirect("legal:period", opened.person.pk, found.pk)
    return _form_page(
        request,
        opened,
        form,
        title=f"Rights explained (section {found.rule.rights_section})",
        caption=found.rule.label,
        button="Record rights explained",
        intro="Record each time rights are explained, understood or not.",
        back=reverse("legal:period", args=[opened.person.pk, found.pk]),
        extra={"rights_history": list(found.rights.select_related("given_by"))},
    )


@permission("record_aftercare")
@once
def new_aftercare(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.AFTERCARE)
    form = AftercareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_aftercare(by=opened.actor, person=opened.person, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Section 117 aftercare eligibility recorded")
            return redirect("legal:index", opened.person.pk)
    return _form_page(request, opened, form, title="Record section 117 aftercare", button="Record aftercare")


@permission("record_aftercare")
def end_aftercare(request, person_id, aftercare_id):
    opened, found = selectors.aftercare_for_page(request, person_id, aftercare_id)
    if found.ended_on or found.entered_in_error:
        messages.info(request, "This aftercare has already ended")
        return redirect("legal:index", opened.person.pk)
    form = EndAftercareForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_aftercare(
                by=opened.actor, aftercare=found, data=form.cleaned_data, version=form.cleaned_data["version"]
            )
        except services.StaleEdit as exc:
            _stale(form, exc)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "The joint decision to end section 117 aftercare is recorded")
            return redirect("legal:index", opened.person.pk)
    return _form_page(
        request,
        opened,
        form,
        title="End section 117 aftercare",
        button="Record the joint decision",
        intro="Aftercare ends only by a joint decision of the integrated care board and the local authority, "
        "with the person involved, when they no longer need aftercare services for their mental disorder. "
        "It never ends by itself.",
    )


@permission("request_mha_assessment")
@once
def new_request(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.AMHP_REQUEST)
    now = timezone.localtime()
    form = RequestForm(
        request.POST or None, initial={"received_on": now.date(), "received_time": now.strftime("%H:%M")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["received_at"] = combine_local(data.pop("received_on"), data.pop("received_time"))
        services.request_assessment(by=opened.actor, person=opened.person, data=data)
        messages.success(request, "Request sent to the AMHP service: it is on the AMHP board")
        return redirect("legal:index", opened.person.pk)
    return _form_page(
        request, opened, form, title="Request a Mental Health Act assessment", button="Send the request"
    )


@permission("record_liberty")
@once
def new_liberty(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.LIBERTY_AUTHORISATION)
    form = LibertyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_authorisation(by=opened.actor, person=opened.person, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Authorisation recorded")
            return redirect("legal:index", opened.person.pk)
    return _form_page(
        request, opened, form, title="Record a deprivation of liberty authorisation", button="Record"
    )


@permission("record_liberty")
@once
def liberty(request, person_id, liberty_id):
    """An authorisation with its six assessments (each with its assessor); record one here."""
    opened, found = selectors.liberty_for_page(request, person_id, liberty_id)
    form = LibertyAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_liberty_assessment(by=opened.actor, authorisation=found, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        except services.NotOpen:
            messages.info(request, "This authorisation has ended")
            return redirect("legal:liberty", opened.person.pk, found.pk)
        else:
            messages.success(request, "Assessment recorded")
            return redirect("legal:liberty", opened.person.pk, found.pk)
    done = {a.requirement: a for a in found.assessments.all()}  # the latest entry for each wins
    return _form_page(
        request,
        opened,
        form,
        title=found.get_kind_display(),
        caption=found.managing_authority,
        intro=f"From {found.starts_on:%-d %B %Y} to {found.ends_on:%-d %B %Y}.",
        button="Record the assessment",
        extra={
            "liberty": found,
            "liberty_assessments": [(label, done.get(key)) for key, label in Requirement.choices],
            "liberty_reviews": selectors.liberty_reviews(found),
        },
    )


def _liberty_change(
    request, person_id, liberty_id, *, form_class, save, title, button, success, initial=None, intro=""
):
    """A change to an open authorisation from its page: open (404 without a relationship), form, service."""
    opened, found = selectors.liberty_for_page(request, person_id, liberty_id)
    back = reverse("legal:liberty", args=[opened.person.pk, found.pk])
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            save(opened, found, form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        except services.NotOpen:
            messages.info(request, "This authorisation has ended")
            return redirect(back)
        else:
            messages.success(request, success)
            return redirect(back)
    intro = f"From {found.starts_on:%-d %B %Y} to {found.ends_on:%-d %B %Y}. {intro}".strip()
    return _form_page(
        request,
        opened,
        form,
        title=title,
        caption=found.managing_authority,
        intro=intro,
        button=button,
        back=back,
    )


@permission("record_liberty")
def extend_liberty(request, person_id, liberty_id):
    return _liberty_change(
        request,
        person_id,
        liberty_id,
        form_class=ExtendForm,
        save=lambda opened, found, data: services.extend_urgent(
            by=opened.actor, authorisation=found, extended_to=data["extended_to"]
        ),
        title="Extend the urgent authorisation",
        button="Extend",
        success="Urgent authorisation extended",
    )


@permission("record_liberty")
def review_liberty(request, person_id, liberty_id):
    return _liberty_change(
        request,
        person_id,
        liberty_id,
        form_class=LibertyReviewForm,
        save=lambda opened, found, data: services.set_liberty_review(
            by=opened.actor, authorisation=found, review_on=data["review_on"]
        ),
        title="Set the review date",
        button="Save the review date",
        success="Review date saved",
    )


@permission("record_liberty")
@once
def record_liberty_review(request, person_id, liberty_id):
    return _liberty_change(
        request,
        person_id,
        liberty_id,
        form_class=LibertyReviewRecordForm,
        save=lambda opened, found, data: services.record_liberty_review(
            by=opened.actor, authorisation=found, data=data
        ),
        title="Record the review",
        button="Record the review",
        success="Review recorded",
        initial={"reviewed_on": timezone.localdate()},
        intro=(
            "A review is kept as it is recorded. If the person no longer meets the qualifying "
            "requirements, the authorisation ends on the date of the review."
        ),
    )


@permission("record_liberty")
def liberty_review_error(request, person_id, liberty_review_id):
    return _entry_entered_in_error(request, person_id, "liberty-review", liberty_review_id)


@permission("record_liberty")
def end_liberty(request, person_id, liberty_id):
    return _liberty_change(
        request,
        person_id,
        liberty_id,
        form_class=EndLibertyForm,
        save=lambda opened, found, data: services.end_liberty(
            by=opened.actor, authorisation=found, ended_on=data["ended_on"], reason=data["end_reason"]
        ),
        title="End the authorisation",
        button="End the authorisation",
        success="Authorisation ended. It stays in the history with the date and why",
        initial={"ended_on": timezone.localdate()},
    )


# --- The AMHP service -----------------------------------------------------------------------------


def _amhp_only(request, *, record=False):
    """AMHP pages are for AMHPs: a record page answers 404 (as for no relationship), a list 403."""
    if not request.user.has_role(RoleCode.AMHP):
        if record:
            raise Http404("No such request")
        raise PermissionDenied("The AMHP board is for Approved Mental Health Professionals")


def amhp_board(request):
    _amhp_only(request)
    today = timezone.localdate()
    board = selectors.amhp_board(today)
    with transaction.atomic():
        audit.write(actor_for(request, Basis.AMHP), action=Action.VIEW, record_type=RecordType.AMHP_BOARD)
    return render(request, "legal/amhp_board.jinja", {**board, "today": today})


@permission("amhp_work", hide=True)
def amhp_rota(request):
    _amhp_only(request)
    today = timezone.localdate()
    if request.method == "POST":
        services.join_amhp_rota(by=actor_for(request, Basis.AMHP), day=today)
        messages.success(request, "You are on the AMHP rota today")
        return redirect("legal:amhp_board")
    shifts = list(
        AmhpShift.objects.filter(day__gte=today, day__lte=today + timedelta(days=13)).select_related("amhp")
    )
    with transaction.atomic():
        audit.write(actor_for(request, Basis.AMHP), action=Action.VIEW, record_type=RecordType.AMHP_ROTA)
    return render(request, "legal/amhp_rota.jinja", {"shifts": shifts, "today": today})


@permission("amhp_work", hide=True)
def amhp_request(request, amhp_request_id):
    _amhp_only(request, record=True)
    opened, found = selectors.amhp_request_for_page(request, amhp_request_id)
    if request.method == "POST":
        try:
            services.pick_up(by=opened.actor, request_obj=found)
        except services.LegalProblem as problem:
            messages.error(request, problem.message)
        except services.NotOpen:
            messages.info(request, "This request has been closed")
        else:
            messages.success(request, "You have picked up this request")
            return redirect("legal:amhp_assessment", found.pk)
        return redirect("legal:amhp_request", found.pk)
    assessment = AmhpAssessment.objects.filter(request=found).first()
    return render(
        request,
        "legal/amhp_request.jinja",
        {
            "person": opened.person,
            "alerts": opened.alerts,
            "found": found,
            "assessment": assessment,
            "mine": found.amhp_id == request.user.pk,
            "complete_form": CompleteForm(),
        },
    )


@permission("amhp_work", hide=True)
def amhp_assessment(request, amhp_request_id):
    _amhp_only(request, record=True)
    opened, found = selectors.amhp_request_for_page(
        request, amhp_request_id, record_type=RecordType.AMHP_ASSESSMENT
    )
    assessment = AmhpAssessment.objects.filter(request=found).first()
    if assessment and assessment.is_complete or not found.is_open or found.amhp_id != request.user.pk:
        messages.info(request, "Only the AMHP who picked up an open request can change its assessment")
        return redirect("legal:amhp_request", found.pk)
    relative_term = rules.term("relative", timezone.localdate())
    relative_now = selectors.relative_now(opened.person)
    initial = {"version": assessment.version if assessment else 0}
    if assessment:
        initial.update({key: getattr(assessment, key) for key in services.ASSESSMENT_FIELDS})
    if relative_now is not None and not initial.get("relative_name"):
        initial["relative_name"] = relative_value(relative_now)  # offered: the AMHP can change it
    form = AssessmentForm(
        request.POST or None, initial=initial, relative_term=relative_term, relative_now=relative_now
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(
                by=opened.actor,
                request_obj=found,
                data=form.assessment_data(),
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as exc:
            _stale(form, exc)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Assessment saved")
            return redirect("legal:amhp_request", found.pk)
    return _form_page(
        request,
        opened,
        form,
        title="Mental Health Act assessment",
        caption=f"Request from {found.requested_by}",
        button="Save the assessment",
        back=reverse("legal:amhp_request", args=[found.pk]),
        extra={
            "no_relative": None
            if relative_now
            else {
                "term": relative_term,
                "url": reverse("legal:new_relative", args=[opened.person.pk]),
            }
        },
    )


@permission("amhp_work", hide=True)
@require_POST
def amhp_complete(request, amhp_request_id):
    _amhp_only(request, record=True)
    opened, found = selectors.amhp_request_for_page(
        request, amhp_request_id, record_type=RecordType.AMHP_ASSESSMENT, action=Action.COMPLETE
    )
    form = CompleteForm(request.POST)
    if found.amhp_id != request.user.pk or not form.is_valid():
        messages.error(request, "Check the completion details")
        return redirect("legal:amhp_request", found.pk)
    try:
        services.complete_assessment(
            by=opened.actor, request_obj=found, **{k: v for k, v in form.cleaned_data.items() if v}
        )
    except services.LegalProblem as problem:
        messages.error(request, f"The assessment cannot be completed yet: {problem.message}")
    except (services.NotOpen, AmhpAssessment.DoesNotExist):
        messages.info(request, "Record the assessment first")
    else:
        messages.success(request, "Assessment completed. The outcome is on the person's legal status")
    return redirect("legal:amhp_request", found.pk)


def amhp_report(request, amhp_request_id):
    _amhp_only(request, record=True)
    opened, found = selectors.amhp_request_for_page(
        request, amhp_request_id, record_type=RecordType.AMHP_REPORT, action=Action.PRINT
    )
    assessment = AmhpAssessment.objects.filter(request=found).select_related("updated_by").first()
    return render(
        request,
        "legal/amhp_report.jinja",
        {
            "person": opened.person,
            "found": found,
            "assessment": assessment,
            "relative_term": rules.term("relative", found.received_at.date()),
            "printed_at": timezone.localtime(),
        },
    )


def bia_list(request):
    """The BIA's own allocations and the requests waiting for a BIA (names only of people the
    viewer may see). For BIAs and for staff who may allocate requests to them; 403 for anyone else."""
    may_allocate = may(request.user, "allocate_bia")
    if not (request.user.has_role(RoleCode.BIA) or may_allocate):
        raise PermissionDenied("This list is for Best Interests Assessors")
    today = timezone.localdate()
    with transaction.atomic():
        audit.write(actor_for(request, Basis.BIA), action=Action.VIEW, record_type=RecordType.BIA_LIST)
    return render(
        request,
        "legal/bia_list.jinja",
        {
            "authorisations": selectors.liberty_for_bia(request.user),
            "queue": selectors.bia_queue(request.user, today),
            "may_allocate": may_allocate,
            "today": today,
        },
    )


@permission("allocate_bia", hide=True)
def allocate_bia(request, liberty_id):
    """Allocate one request waiting for a BIA. The person is named only if the viewer may see
    them; the page and the allocation are audited against the person on the basis the policy
    gives (or none)."""
    found = selectors.bia_request(liberty_id)
    if found.bia_id is not None or found.ended_on is not None or found.entered_in_error:
        raise Http404("No such request waiting for a BIA")
    actor = acting_on(request, found.person)
    may_see = actor.basis != Basis.NONE
    form = AllocateBiaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_bia(by=actor, authorisation=found, bia=form.cleaned_data["bia"])
        except services.LegalProblem as problem:
            form.add_problem(problem)
        except services.NotOpen:
            raise Http404("No such request waiting for a BIA") from None
        else:
            messages.success(request, f"Allocated to {form.cleaned_data['bia'].display_name}")
            return redirect("legal:bia_list")
    if request.method == "GET":
        with transaction.atomic():
            audit.write(
                actor,
                person=found.person,
                action=Action.VIEW,
                record_type=RecordType.LIBERTY_AUTHORISATION,
                record_id=found.pk,
            )
    received = found.requested_on or timezone.localdate(found.created_at)
    return render(
        request,
        "legal/bia_allocate.jinja",
        {
            "found": found,
            "form": form,
            "name": found.person.listing_name if may_see else "",
            "received": received,
            "days_waiting": max((timezone.localdate() - received).days, 0),
        },
    )


# --- Nearest relative, advance decisions, the Mental Capacity Act ----------------------------------


def _create(request, person_id, *, record_type, form, save, title, button, intro="", success="Recorded"):
    """A create page on the person's record: open (404 without a relationship), form, service."""
    opened = open_record(request, person_id, record_type=record_type)
    bound = form(opened.person)
    if request.method == "POST" and bound.is_valid():
        try:
            save(opened, bound.cleaned_data)
        except services.LegalProblem as problem:
            bound.add_problem(problem)
        else:
            messages.success(request, success)
            return redirect("legal:index", opened.person.pk)
    return _form_page(request, opened, bound, title=title, button=button, intro=intro)


@permission("record_relative")
@once
def new_relative(request, person_id):
    today = timezone.localdate()
    _, wording = services.relative_role(today)
    return _create(
        request,
        person_id,
        record_type=RecordType.RELATIVE_EVENT,
        form=lambda person: RelativeForm(request.POST or None, person=person, relative_term=wording),
        save=lambda opened, data: services.record_relative_event(
            by=opened.actor, person=opened.person, data=data
        ),
        title=f"Record about the {wording}",
        button="Record",
        intro=(
            f"Today the rules in force have a {wording}. The role follows the rules in force on the date "
            "you enter: a nearest relative is identified (section 26), displaced by the county court "
            "(section 29) or delegates their functions; a nominated person is nominated by the person."
        ),
        success=f"Recorded on the {wording}",
    )


@permission("record_advance_decision")
@once
def new_advance(request, person_id):
    in_force = services.advance_choice_in_force(timezone.localdate())
    return _create(
        request,
        person_id,
        record_type=RecordType.ADVANCE_DECISION,
        form=lambda person: AdvanceForm(request.POST or None, choice_in_force=in_force),
        save=lambda opened, data: services.record_advance_decision(
            by=opened.actor, person=opened.person, data=data
        ),
        title="Record an advance statement or decision",
        button="Record",
        intro="What the person wants and what they refuse, in their own words where you can.",
        success="Advance statement or decision recorded",
    )


@permission("record_care_treatment_plan")
@once
def new_care_treatment_plan(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.CARE_TREATMENT_PLAN)
    today = timezone.localdate()
    title = "Record a statutory care and treatment plan"
    in_force = services.care_treatment_plans_in_force(today)
    periods = selectors.periods_for_care_treatment_plan(opened.person) if in_force else []
    if not periods:
        intro = (
            "The person has no current detention or community treatment order to plan for."
            if in_force
            else "Statutory care and treatment plans (Mental Health Act 2025) are not in force yet. "
            "The Trust sets the date in the legal rules when commencement regulations say so; until "
            "then, record the plan in the person's care plan."
        )
        return _form_page(request, opened, None, title=title, intro=intro)
    form = CareTreatmentPlanForm(request.POST or None, periods=periods, initial={"prepared_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_care_treatment_plan(by=opened.actor, person=opened.person, data=form.cleaned_data)
        except services.LegalProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Care and treatment plan recorded")
            return redirect("legal:index", opened.person.pk)
    return _form_page(
        request,
        opened,
        form,
        title=title,
        button="Record the plan",
        intro=(
            "For a person detained or on a community treatment order (Mental Health Act 2025), prepared "
            "with the person and those the Act says to consult. A new plan replaces the last one."
        ),
    )


@permission("record_mca")
@once
def new_capacity(request, person_id):
    return _create(
        request,
        person_id,
        record_type=RecordType.CAPACITY_ASSESSMENT,
        form=lambda person: CapacityForm(request.POST or None, initial={"assessed_on": timezone.localdate()}),
        save=lambda opened, data: services.record_capacity_assessment(
            by=opened.actor, person=opened.person, data=data
        ),
        title="Record a mental capacity assessment",
        button="Record the assessment",
        intro=(
            "For one specific decision at one time. Assume capacity unless both stages are met: an "
            "impairment or disturbance of the mind or brain, and because of it the person cannot "
            "understand, retain, use or weigh the information, or communicate the decision. Tick what "
            "the person can do."
        ),
        success="Capacity assessment recorded",
    )


@permission("record_mca")
@once
def new_best_interests(request, person_id):
    return _create(
        request,
        person_id,
        record_type=RecordType.BEST_INTERESTS,
        form=lambda person: BestInterestsForm(
            request.POST or None, person=person, initial={"decided_on": timezone.localdate()}
        ),
        save=lambda opened, data: services.record_best_interests(
            by=opened.actor, person=opened.person, data=data
        ),
        title="Record a best interests decision",
        button="Record the decision",
        intro="The section 4 checklist: the person's wishes and values, who was consulted, and the less "
        "restrictive options.",
        success="Best interests decision recorded",
    )


@permission("record_mca")
@once
def new_attorney(request, person_id):
    return _create(
        request,
        person_id,
        record_type=RecordType.POWER_OF_ATTORNEY,
        form=lambda person: AttorneyForm(request.POST or None),
        save=lambda opened, data: services.record_power_of_attorney(
            by=opened.actor, person=opened.person, data=data
        ),
        title="Record a lasting power of attorney or deputy",
        button="Record",
        success="Power of attorney recorded",
    )


@permission("record_mca")
@once
def new_imca(request, person_id):
    return _create(
        request,
        person_id,
        record_type=RecordType.IMCA_REFERRAL,
        form=lambda person: ImcaForm(request.POST or None, initial={"referred_on": timezone.localdate()}),
        save=lambda opened, data: services.record_imca_referral(
            by=opened.actor, person=opened.person, data=data
        ),
        title="Record an IMCA referral",
        button="Record the referral",
        success="IMCA referral recorded",
    )


def _entry_entered_in_error(request, person_id, kind, entry_id):
    model, _, record_type = services.CORRECTABLE[kind]
    opened = selectors.correctable_entry_for_page(
        request, person_id, model=model, record_type=record_type, entry_id=entry_id
    )
    form = ErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_entered_in_error(
                by=opened.actor, kind=kind, entry=opened.record, reason=form.cleaned_data["reason"]
            )
        except services.NotOpen:
            messages.info(request, "This was already marked entered in error")
        else:
            messages.success(request, "Marked entered in error. It stays in the history with your reason")
        return redirect("legal:index", opened.person.pk)
    return _form_page(
        request,
        opened,
        form,
        title="Mark as entered in error",
        caption=str(opened.record),
        intro="The entry is kept, struck through, with your reason. Record the right one as a new entry.",
        button="Mark entered in error",
    )


@permission("record_relative")
def relative_error(request, person_id, relative_event_id):
    return _entry_entered_in_error(request, person_id, "relative", relative_event_id)


@permission("record_advance_decision")
def advance_error(request, person_id, advance_id):
    return _entry_entered_in_error(request, person_id, "advance", advance_id)


@permission("record_care_treatment_plan")
def care_treatment_plan_error(request, person_id, care_treatment_plan_id):
    return _entry_entered_in_error(request, person_id, "care-treatment-plan", care_treatment_plan_id)


@permission("record_mca")
def capacity_error(request, person_id, capacity_id):
    return _entry_entered_in_error(request, person_id, "capacity", capacity_id)


@permission("record_mca")
def best_interests_error(request, person_id, best_interests_id):
    return _entry_entered_in_error(request, person_id, "best-interests", best_interests_id)


@permission("record_mca")
def attorney_error(request, person_id, attorney_id):
    return _entry_entered_in_error(request, person_id, "attorney", attorney_id)


@permission("record_mca")
def imca_error(request, person_id, imca_id):
    return _entry_entered_in_error(request, person_id, "imca", imca_id)
