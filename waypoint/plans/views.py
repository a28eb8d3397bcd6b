"""Plan pages. Thin: fetch through the access policy and selectors, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.policy import open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit.models import Action, RecordType
from waypoint.legal import selectors as legal_selectors
from waypoint.patients import selectors as people_selectors
from waypoint.tasks import services as task_services

from . import selectors, services
from .forms import AgreementForm, ShareForm, consent_label, content_form
from .models import KIND_FOR_PERSON, PlanKind
from .sections import OUT_OF_HOURS_NOTE, care_plan_needs, sections_for

STALE_MESSAGE = (
    "Someone else saved this plan after you opened this page. Your changes have not been saved: "
    "they are still below. Open the plan in another tab to see what changed; saving again will "
    "replace their changes with yours."
)


def _team_for(request, person):
    team = request.user.primary_team()
    if team is None:
        registration = people_selectors.teams_of(person).first()
        team = registration.team if registration else None
    return team


def index(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.PLAN)
    person = opened.person
    return render(
        request,
        "plans/index.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "summaries": selectors.plan_summaries(person),
        },
    )


@require_POST
@permission(Do.WRITE_PLAN)
def start(request, person_id, kind):
    if kind not in PlanKind.values:
        raise Http404("No such kind of plan")
    opened = open_record(request, person_id, record_type=RecordType.PLAN)
    person = opened.person
    team = _team_for(request, person)
    if team is None:
        raise Http404("No team to own the plan")
    plan = services.start_plan(by=opened.actor, person=person, kind=kind, team=team)
    revision = selectors.latest_revision(plan)
    if revision.is_draft:
        return redirect("plans:edit", person.pk, revision.pk)
    return redirect("plans:plan", person.pk, plan.pk)


def _revision_page(request, opened, revision, plan, *, is_latest):
    person = opened.person
    return render(
        request,
        "plans/revision.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "plan": plan,
            "revision": revision,
            "is_latest": is_latest,
            "history": selectors.history_of(plan),
            "shares": selectors.shares_of(revision),
            "sections": sections_for(plan.kind),
            "needs": care_plan_needs(revision.content),
            "out_of_hours_note": OUT_OF_HOURS_NOTE,
            "problems": services.agreement_problems(revision) if revision.is_draft else [],
            # Each intervention of a care plan can be delegated as a task (tasks app), by those who may.
            "may_delegate": plan.kind == PlanKind.CARE and task_services.may_delegate(request.user),
            # A crisis plan shows what the person asked for in advance (legal app), one query.
            "advance": legal_selectors.advance_decisions_in_force(person)
            if plan.kind == PlanKind.CRISIS
            else [],
        },
    )


def plan(request, person_id, plan_id):
    opened, found = selectors.plan_for_page(request, person_id, plan_id)
    latest = selectors.latest_revision(found)
    if latest is None:
        # A plan is always started with its first revision (services.start_plan); one without is
        # not a page anyone can use, so it is not found rather than a server error.
        raise Http404("This plan has no revision.")
    revision = selectors.revision_with_details(latest.pk)
    return _revision_page(request, opened, revision, found, is_latest=True)


def revision(request, person_id, plan_revision_id):
    opened, found = selectors.revision_for_page(request, person_id, plan_revision_id)
    latest = selectors.latest_revision(found.plan)
    return _revision_page(request, opened, found, found.plan, is_latest=latest.pk == found.pk)


@permission(Do.WRITE_PLAN)
def edit(request, person_id, plan_revision_id):
    opened, found = selectors.revision_for_page(request, person_id, plan_revision_id)
    person = opened.person
    if not found.is_draft:
        messages.info(
            request,
            "This revision has been agreed and cannot be changed. Start a new revision to change the plan.",
        )
        return redirect("plans:revision", person.pk, found.pk)
    form = content_form(found, request.POST if request.method == "POST" else None)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(
                by=opened.actor,
                revision=found,
                content=form.content(),
                review_on=form.review_date(),
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit as exc:
            stale = True
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.NotADraft:
            # Keep what was typed on the page, so it can be copied into a new revision.
            form.add_error(
                None,
                "Someone else has recorded agreement to this revision, so it can no longer be changed. "
                "Your changes were not saved: they are still below. Copy what you need, then start a "
                "new revision of the plan.",
            )
        else:
            messages.success(request, "Draft saved")
            if "keep_editing" in request.POST:
                return redirect("plans:edit", person.pk, found.pk)
            return redirect("plans:plan", person.pk, found.plan.pk)
    return render(
        request,
        "plans/edit.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "plan": found.plan,
            "revision": found,
            "form": form,
            "stale": stale,
            "is_care_plan": found.plan.kind == PlanKind.CARE,
        },
    )


@permission(Do.AGREE_PLAN)
def agree(request, person_id, plan_revision_id):
    opened, found = selectors.revision_for_page(request, person_id, plan_revision_id)
    person = opened.person
    if not found.is_draft:
        messages.info(request, "Agreement has already been recorded for this revision")
        return redirect("plans:revision", person.pk, found.pk)
    carers = selectors.carers_of(person)
    form = AgreementForm(
        request.POST or None,
        carers=carers,
        initial={"version": found.version, "agreed_on": timezone.localdate()},
    )
    problems = services.agreement_problems(found)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_agreement(
                by=opened.actor,
                revision=found,
                agreed_with_person=form.cleaned_data["agreed_with_person"] == "yes",
                agreed_on=form.cleaned_data["agreed_on"],
                not_agreed_reason=form.cleaned_data["not_agreed_reason"],
                carers=form.chosen_carers(),
                carer_involvement=form.cleaned_data["carer_involvement"],
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit:
            form.add_error(
                None,
                "Someone else changed the draft after you opened this page. Read the plan again before recording agreement: your answers are kept below.",
            )
            form.data = form.data.copy()
            form.data["version"] = str(selectors.latest_revision(found.plan).version)
        except services.PlanIncomplete as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        except services.NotADraft:
            messages.info(request, "Agreement has already been recorded for this revision")
            return redirect("plans:revision", person.pk, found.pk)
        else:
            messages.success(request, "Agreement recorded. This revision can no longer be changed.")
            return redirect("plans:revision", person.pk, found.pk)
    return render(
        request,
        "plans/agree.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "plan": found.plan,
            "revision": found,
            "form": form,
            "problems": problems,
            "carers": carers,
            "consent_label": consent_label,
        },
    )


@permission(Do.SHARE_PLAN)
def share(request, person_id, plan_revision_id):
    opened, found = selectors.revision_for_page(request, person_id, plan_revision_id)
    person = opened.person
    if found.is_draft:
        messages.info(request, "Record agreement before sharing the plan")
        return redirect("plans:revision", person.pk, found.pk)
    carers = selectors.carers_of(person)
    gp_name = person.gp_practice.name if person.gp_practice else ""
    form = ShareForm(
        request.POST or None,
        carers=carers,
        gp_name=gp_name,
        initial={"shared_on": timezone.localdate()},
    )
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        carer = form.chosen_carer()
        try:
            services.record_share(
                by=opened.actor,
                revision=found,
                recipient=form.cleaned_data["recipient"],
                recipient_name=form.name_for(person),
                method=form.cleaned_data["method"],
                method_detail=form.cleaned_data["method_detail"],
                shared_on=form.cleaned_data["shared_on"],
                carer=carer,
                confirmed_without_consent=form.cleaned_data["confirm_without_consent"],
            )
        except services.ConsentNotRecorded:
            needs_confirmation = True
            form.add_error(
                "confirm_without_consent",
                f"{person.full_name}'s recorded consent does not cover sharing this plan with {carer.name} "
                f"(what we may share: {consent_label(carer)}). Check with {person.preferred_name or person.given_name} first, then tick the box.",
            )
        else:
            messages.success(request, "Sharing recorded")
            return redirect("plans:revision", person.pk, found.pk)
    return render(
        request,
        "plans/share.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "plan": found.plan,
            "revision": found,
            "form": form,
            "carers": carers,
            "gp_name": gp_name,
            "consent_label": consent_label,
            "needs_confirmation": needs_confirmation,
            "covers": {carer.pk: services.carer_consent_covers(carer, found.plan.kind) for carer in carers},
        },
    )


@require_POST
@permission(Do.WRITE_PLAN)
def new_revision(request, person_id, plan_id):
    opened, found = selectors.plan_for_page(request, person_id, plan_id)
    person = opened.person
    revision = services.start_new_revision(by=opened.actor, plan=found)
    messages.success(
        request, f"Revision {revision.number} started as a draft, copied from the latest revision"
    )
    return redirect("plans:edit", person.pk, revision.pk)


def my_plan(request, person_id):
    """The person's own copy: a letter in plain English. Opening it is audited as printing."""
    opened = open_record(request, person_id, record_type=RecordType.MY_PLAN, action=Action.PRINT)
    person = opened.person
    revisions = selectors.agreed_plans_for_letter(person)
    care = next((r for r in revisions if r.plan.kind == PlanKind.CARE), None)
    team = revisions[0].plan.team if revisions else _team_for(request, person)
    return render(
        request,
        "plans/my_plan.jinja",
        {
            "person": person,
            "revisions": revisions,
            "care": care,
            "team": team,
            "numbers": selectors.contact_numbers_for(team),
            "kind_for_person": KIND_FOR_PERSON,
            "sections_for": sections_for,
            "care_plan_needs": care_plan_needs,
            "today": timezone.localdate(),
            "back": reverse("plans:index", args=[person.pk]),
            "has_crisis_plan": any(r.plan.kind in (PlanKind.CRISIS, PlanKind.SAFETY) for r in revisions),
        },
    )
