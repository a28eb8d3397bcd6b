"""Workforce pages: a member of staff's record, the team manager's page, My development, the
training catalogue, matrix and import. Every page opens the staff record through
`access.open_staff` (404 for anyone without a line relationship, then one audit row)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import acting_on, actor_for
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode, Team
from waypoint.accounts.teams import chosen_team, team_to_preselect
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.ids import parse_id
from waypoint.core.submissions import once

from . import selectors, services, training_import
from .access import may_record, open_staff
from .forms import (
    AppraisalForm,
    ApprovalForm,
    ApprovalHoursForm,
    AssessmentsForm,
    CaseloadSupervisionForm,
    CompletionForm,
    CourseForm,
    DbsForm,
    GroupSupervisionForm,
    ImportForm,
    LineManagerForm,
    PlacementForm,
    ProgressForm,
    RegistrationForm,
    SupervisionForm,
)

admin_required = require_role(RoleCode.WORKFORCE_ADMINISTRATOR)
manager_or_admin = require_role(RoleCode.TEAM_MANAGER, RoleCode.WORKFORCE_ADMINISTRATOR)


def _audit_page(request, record_type, record_id, basis=Basis.NONE):
    with transaction.atomic():
        audit.write(
            actor_for(request, basis), action=Action.VIEW, record_type=record_type, record_id=record_id
        )


def _staff_url(staff, anchor=""):
    return reverse("workforce:staff", args=[staff.pk]) + (f"#{anchor}" if anchor else "")


def _form_page(request, *, form, title, staff=None, back, button, intro="", extra=None):
    context = {
        "form": form,
        "page_title": title,
        "staff": staff,
        "back": back,
        "button_text": button,
        "intro": intro,
    }
    context.update(extra or {})
    return render(request, "workforce/form.jinja", context)


def _refuse_unless(access, what):
    if not may_record(access, what):
        raise Http404("Not yours to record")


def _team_for(request):
    """The team a manager's page is about: one of the manager's teams (?team=), or for a
    workforce administrator any active team."""
    if request.user.has_role(RoleCode.WORKFORCE_ADMINISTRATOR):
        wanted = request.GET.get("team")
        if wanted:
            team = Team.objects.filter(pk=parse_id(wanted), is_active=True).first()
            if team is None:
                raise Http404("No such team")
            return team
        team = request.user.primary_team() or Team.objects.filter(is_active=True).order_by("name").first()
        if team is None:
            raise Http404("No teams")
        return team
    return chosen_team(request)


def _teams_to_choose(request):
    if request.user.has_role(RoleCode.WORKFORCE_ADMINISTRATOR):
        return list(Team.objects.filter(is_active=True).order_by("name"))
    return selectors.teams_by_ids(request.user.current_team_ids())


# The team manager's page, the matrix and My development -----------------------------------------


@manager_or_admin
def team(request):
    team = _team_for(request)
    today = timezone.localdate()
    page = selectors.manager_page(team, today)
    _audit_page(request, RecordType.WORKFORCE_TEAM, team.pk)
    return render(
        request,
        "workforce/team.jinja",
        {"team": team, "teams": _teams_to_choose(request), "today": today, **page},
    )


@manager_or_admin
def matrix(request):
    team = _team_for(request)
    today = timezone.localdate()
    _audit_page(request, RecordType.TRAINING_MATRIX, team.pk)
    return render(
        request,
        "workforce/matrix.jinja",
        {
            "team": team,
            "teams": _teams_to_choose(request),
            "today": today,
            **selectors.team_matrix(team, today),
        },
    )


def my_development(request):
    opened = open_staff(request, request.user.pk, record_type=RecordType.MY_DEVELOPMENT)
    today = timezone.localdate()
    overview = selectors.staff_overview(selectors.staff_with_roles(request.user.pk), request.user, today)
    return render(
        request,
        "workforce/my_development.jinja",
        {
            "staff": opened.staff,
            "today": today,
            "access": opened,
            "next_supervision": min(overview["supervision_due"], key=lambda item: item.due, default=None),
            "training_todo": [t for t in overview["training"] if t.state(today) in ("overdue", "not_done")],
            **overview,
        },
    )


# One member of staff's record -------------------------------------------------------------------


def staff_record(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_WORKFORCE)
    today = timezone.localdate()
    overview = selectors.staff_overview(opened.staff, request.user, today)
    return render(
        request,
        "workforce/staff.jinja",
        {
            "staff": opened.staff,
            "access": opened,
            "may_write": {
                what: may_record(opened, what)
                for what in (
                    "registration",
                    "dbs",
                    "approval",
                    "training",
                    "supervision",
                    "appraisal",
                    "placement",
                    "line_manager",
                )
            },
            "is_student": RoleCode.STUDENT in {r.code for r in opened.staff.roles.all()},
            "today": today,
            **overview,
        },
    )


def line_manager(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_LINE_MANAGER)
    _refuse_unless(opened, "line_manager")
    form = LineManagerForm(request.POST or None, candidates=selectors.line_manager_candidates(opened.staff))
    if request.method == "POST" and form.is_valid():
        services.set_line_manager(by=opened.actor, staff=opened.staff, manager=form.cleaned_data["manager"])
        messages.success(request, "Line manager saved")
        return redirect(_staff_url(opened.staff))
    return _form_page(
        request,
        form=form,
        title="Line manager",
        staff=opened.staff,
        back=_staff_url(opened.staff),
        button="Save line manager",
    )


@once
def registration_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_REGISTRATION)
    _refuse_unless(opened, "registration")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_registration(by=opened.actor, staff=opened.staff, data=form.cleaned_data)
        messages.success(request, "Professional registration saved")
        return redirect(_staff_url(opened.staff, "registration"))
    return _form_page(
        request,
        form=form,
        title="Record a professional registration",
        staff=opened.staff,
        back=_staff_url(opened.staff, "registration"),
        button="Save registration",
    )


def registration_edit(request, staff_id, registration_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_REGISTRATION)
    _refuse_unless(opened, "registration")
    registration = selectors.registration_for_page(opened.staff, registration_id)
    if registration is None:
        raise Http404("No registration found")
    initial = {name: getattr(registration, name) for name in services.REGISTRATION_FIELDS}
    initial["version"] = registration.version
    form = RegistrationForm(request.POST or None, initial=initial)
    form.fields["version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_registration(
                by=opened.actor,
                registration=registration,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            form.add_error(None, str(stale))
        else:
            messages.success(request, "Professional registration updated")
            return redirect(_staff_url(opened.staff, "registration"))
    return _form_page(
        request,
        form=form,
        title="Renew or correct a registration",
        staff=opened.staff,
        back=_staff_url(opened.staff, "registration"),
        button="Save changes",
    )


@once
def dbs_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_DBS)
    _refuse_unless(opened, "dbs")
    form = DbsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_dbs(by=opened.actor, staff=opened.staff, data=form.cleaned_data)
        messages.success(request, "DBS check saved")
        return redirect(_staff_url(opened.staff, "dbs"))
    return _form_page(
        request,
        form=form,
        title="Record a DBS check",
        staff=opened.staff,
        back=_staff_url(opened.staff, "dbs"),
        button="Save DBS check",
    )


@once
def approval_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_APPROVAL)
    _refuse_unless(opened, "approval")
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_approval(by=opened.actor, staff=opened.staff, data=form.cleaned_data)
        messages.success(request, "Approval saved")
        return redirect(_staff_url(opened.staff, "approvals"))
    return _form_page(
        request,
        form=form,
        title="Record an AMHP or BIA approval",
        staff=opened.staff,
        back=_staff_url(opened.staff, "approvals"),
        button="Save approval",
    )


@once
def approval_hours_new(request, staff_id, approval_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_APPROVAL)
    _refuse_unless(opened, "approval_hours")
    approval = selectors.approval_for_page(opened.staff, approval_id)
    if approval is None:
        raise Http404("No approval found")
    form = ApprovalHoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_approval_hours(by=opened.actor, approval=approval, data=form.cleaned_data)
        messages.success(request, "Hours saved")
        return redirect(_staff_url(opened.staff, "approvals"))
    return _form_page(
        request,
        form=form,
        title=f"Record hours towards {approval.get_kind_display()} re-approval",
        staff=opened.staff,
        back=_staff_url(opened.staff, "approvals"),
        button="Save hours",
    )


@once
def completion_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_TRAINING)
    _refuse_unless(opened, "training")
    initial = {}
    if request.GET.get("course"):
        initial["course"] = parse_id(request.GET["course"])
    form = CompletionForm(request.POST or None, courses=selectors.active_course_queryset(), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_completion(
            by=opened.actor, staff=opened.staff, course=form.cleaned_data["course"], data=form.cleaned_data
        )
        messages.success(request, "Training saved")
        return redirect(_staff_url(opened.staff, "training"))
    return _form_page(
        request,
        form=form,
        title="Record training completed",
        staff=opened.staff,
        back=_staff_url(opened.staff, "training"),
        button="Save training",
    )


# Supervision ------------------------------------------------------------------------------------


@once
def supervision_new(request, staff_id):
    """Clinical or managerial supervision of one member of staff, recorded by the supervisor (the
    signed-in user, or the supervisee recording who supervised them)."""
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_SUPERVISION)
    _refuse_unless(opened, "supervision")
    form = SupervisionForm(request.POST or None)
    candidates = selectors.line_manager_candidates(opened.staff)
    if opened.is_self:
        from django import forms as django_forms

        form.fields["supervisor"] = django_forms.ChoiceField(
            label="Supervisor",
            choices=[("", "Choose one"), *[(str(c.pk), c.display_name) for c in candidates]],
            error_messages={
                "required": "Choose your supervisor",
                "invalid_choice": "Choose your supervisor from the list",
            },
        )
    if request.method == "POST" and form.is_valid():
        supervisor = request.user
        if opened.is_self:
            supervisor = {str(c.pk): c for c in candidates}[form.cleaned_data["supervisor"]]
        services.record_supervision(
            by=opened.actor, supervisor=supervisor, supervisees=[opened.staff], data=form.cleaned_data
        )
        messages.success(request, "Supervision saved")
        return redirect(_staff_url(opened.staff, "supervision"))
    return _form_page(
        request,
        form=form,
        title="Record supervision",
        staff=opened.staff,
        back=_staff_url(opened.staff, "supervision"),
        button="Save supervision",
        intro=""
        if opened.is_self
        else f"You are recording supervision you gave {opened.staff.display_name}. They and you see everything "
        "written here; their line manager sees that it happened and the actions.",
    )


def _was_there(supervision_id):
    def check(viewer, staff):
        session = selectors.supervision_for_page(staff, supervision_id)
        if session is None:
            return None
        if viewer.pk == session.supervisor_id or any(s.pk == viewer.pk for s in session.supervisees.all()):
            return Basis.SUPERVISOR
        return None

    return check


def supervision_detail(request, staff_id, supervision_id):
    opened = open_staff(
        request, staff_id, record_type=RecordType.STAFF_SUPERVISION, also=_was_there(supervision_id)
    )
    session = selectors.supervision_for_page(opened.staff, supervision_id)
    if session is None:
        raise Http404("No supervision found")
    supervisees = list(session.supervisees.all())
    full = request.user.pk == session.supervisor_id or any(s.pk == request.user.pk for s in supervisees)
    return render(
        request,
        "workforce/supervision.jinja",
        {
            "staff": opened.staff,
            "session": session,
            "supervisees": supervisees,
            "full": full,
            "page_title": "Supervision",
        },
    )


@require_role(RoleCode.TEAM_MANAGER)
@once
def caseload_supervision(request, staff_id):
    """Caseload supervision, started from one coordinator's caseload (worklist): each person
    discussed gets a signed note on their record and any action becomes a task for them."""
    team = chosen_team(request)
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_SUPERVISION)
    if opened.is_self or team.pk not in opened.staff.current_team_ids():
        raise Http404("Not a member of this team")
    from waypoint.worklist import selectors as worklist

    rows = worklist.caseload(opened.staff, timezone.localdate(), team=team, viewer=request.user)
    people = [row.person for row in rows]
    form = CaseloadSupervisionForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        cases = [
            services.CaseItem(
                person=person,
                actor=acting_on(request, person),
                discussion=text,
                action=action,
                action_due_on=due,
            )
            for person, text, action, due in form.discussed()
        ]
        services.record_caseload_supervision(
            by=opened.actor, supervisee=opened.staff, team=team, data=form.cleaned_data, cases=cases
        )
        messages.success(
            request,
            f"Caseload supervision saved: {len(cases)} {'person' if len(cases) == 1 else 'people'} discussed",
        )
        return redirect(_staff_url(opened.staff, "supervision"))
    return render(
        request,
        "workforce/caseload_supervision.jinja",
        {
            "form": form,
            "staff": opened.staff,
            "team": team,
            "page_title": f"Caseload supervision – {opened.staff.display_name}",
            "back": reverse("worklist:coordinator", args=[opened.staff.pk]) + f"?team={team.pk}",
        },
    )


@require_role(RoleCode.TEAM_MANAGER)
@once
def group_supervision(request):
    """Group supervision or reflective practice with several members of the manager's team."""
    team = chosen_team(request)
    members = [m for m in selectors.team_members(team) if m.pk != request.user.pk]
    form = GroupSupervisionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        chosen = {str(m.pk): m for m in members}
        supervisees = [chosen[pk] for pk in form.cleaned_data["supervisees"]]
        services.record_supervision(
            by=actor_for(request, Basis.TEAM_MANAGER),
            supervisor=request.user,
            supervisees=supervisees,
            data=form.cleaned_data,
            team=team,
        )
        messages.success(request, "Group supervision saved")
        return redirect(reverse("workforce:team") + f"?team={team.pk}")
    return _form_page(
        request,
        form=form,
        title="Record group supervision or reflective practice",
        back=reverse("workforce:team") + f"?team={team.pk}",
        button="Save",
        intro=f"{team.name}. Everyone who took part sees what is written here.",
        extra={"hidden": {"team": team.pk}},
    )


# Appraisal and placements -----------------------------------------------------------------------


@once
def appraisal_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_APPRAISAL)
    _refuse_unless(opened, "appraisal")
    form = AppraisalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_appraisal(
            by=opened.actor, staff=opened.staff, appraiser=request.user, data=form.cleaned_data
        )
        messages.success(request, "Appraisal saved")
        return redirect(_staff_url(opened.staff, "appraisal"))
    return _form_page(
        request,
        form=form,
        title="Record an appraisal",
        staff=opened.staff,
        back=_staff_url(opened.staff, "appraisal"),
        button="Save appraisal",
        intro="The annual appraisal (personal development review or conversation): objectives, development needs and the plan.",
    )


def appraisal_detail(request, staff_id, appraisal_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_APPRAISAL)
    appraisal = selectors.appraisal_for_page(opened.staff, appraisal_id)
    if appraisal is None:
        raise Http404("No appraisal found")
    form = ProgressForm(request.POST or None)
    if request.method == "POST":
        _refuse_unless(opened, "appraisal_progress")
        if form.is_valid():
            services.add_appraisal_progress(by=opened.actor, appraisal=appraisal, data=form.cleaned_data)
            messages.success(request, "Progress saved")
            return redirect("workforce:appraisal", opened.staff.pk, appraisal.pk)
    return render(
        request,
        "workforce/appraisal.jinja",
        {"staff": opened.staff, "appraisal": appraisal, "form": form, "page_title": "Appraisal"},
    )


@once
def placement_new(request, staff_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_PLACEMENT)
    _refuse_unless(opened, "placement")
    team_ids = opened.staff.current_team_ids()
    form = PlacementForm(
        request.POST or None,
        teams=selectors.teams_by_ids(team_ids),
        staff=selectors.line_manager_candidates(opened.staff),
        initial={"team": str(team_to_preselect(sorted(team_ids), opened.staff.primary_team()) or "")},
    )
    if request.method == "POST" and form.is_valid():
        services.record_placement(by=opened.actor, student=opened.staff, data=form.cleaned_data)
        messages.success(request, "Placement saved")
        return redirect(_staff_url(opened.staff, "placement"))
    return _form_page(
        request,
        form=form,
        title="Record a student placement",
        staff=opened.staff,
        back=_staff_url(opened.staff, "placement"),
        button="Save placement",
        intro="The student keeps the access students have: people in their team, and any delegated task.",
    )


def placement_detail(request, staff_id, placement_id):
    opened = open_staff(request, staff_id, record_type=RecordType.STAFF_PLACEMENT)
    placement = selectors.placement_for_page(opened.staff, placement_id)
    if placement is None:
        raise Http404("No placement found")
    initial = {name: getattr(placement, name) for name in services.ASSESSMENT_FIELDS}
    initial["version"] = placement.version
    form = AssessmentsForm(request.POST or None, initial=initial)
    may_assess = may_record(opened, "placement")
    if request.method == "POST":
        if not may_assess:
            raise Http404("Not yours to record")
        if form.is_valid():
            try:
                services.record_placement_assessments(
                    by=opened.actor,
                    placement=placement,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                )
            except services.StaleEdit as stale:
                form.add_error(None, str(stale))
            else:
                messages.success(request, "Assessments saved")
                return redirect("workforce:placement", opened.staff.pk, placement.pk)
    return render(
        request,
        "workforce/placement.jinja",
        {
            "staff": opened.staff,
            "placement": placement,
            "form": form,
            "may_assess": may_assess,
            "page_title": "Student placement",
        },
    )


# The Trust's training catalogue and the import ---------------------------------------------------


@admin_required
def courses(request):
    _audit_page(request, RecordType.TRAINING_COURSE, "", Basis.WORKFORCE_ADMIN)
    return render(
        request,
        "workforce/courses.jinja",
        {"courses": selectors.all_courses(), "page_title": "Training courses"},
    )


@admin_required
@once
def course_new(request):
    form = CourseForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        services.save_course(by=actor_for(request, Basis.WORKFORCE_ADMIN), data=form.cleaned_data)
        messages.success(request, "Course added")
        return redirect("workforce:courses")
    return _form_page(
        request, form=form, title="Add a course", back=reverse("workforce:courses"), button="Add course"
    )


@admin_required
def course_edit(request, course_id):
    course = selectors.course_by_id(course_id)
    if course is None:
        raise Http404("No course found")
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    initial["version"] = course.version
    form = CourseForm(request.POST or None, initial=initial)
    form.fields["version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_course(
                by=actor_for(request, Basis.WORKFORCE_ADMIN),
                data=form.cleaned_data,
                course=course,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            form.add_error(None, str(stale))
        else:
            messages.success(request, "Course saved")
            return redirect("workforce:courses")
    return _form_page(
        request,
        form=form,
        title=f"Change {course.name}",
        back=reverse("workforce:courses"),
        button="Save course",
    )


@admin_required
def training_import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        rows, problems = training_import.parse(form.cleaned_data["file"].read())
        if problems:
            form.add_error(
                "file",
                f"{len(problems)} {'row has' if len(problems) == 1 else 'rows have'} a problem: nothing was imported",
            )
            result = {"problems": problems}
        else:
            outcome = services.import_completions(by=actor_for(request, Basis.WORKFORCE_ADMIN), rows=rows)
            messages.success(
                request,
                f"{outcome.created} completions imported; {outcome.already_there} were already recorded",
            )
            return redirect("workforce:training_import")
    return render(
        request,
        "workforce/import.jinja",
        {"form": form, "result": result, "page_title": "Import training completions"},
    )
