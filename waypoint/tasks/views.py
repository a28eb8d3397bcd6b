"""Delegated tasks. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import actor_for, open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.ids import parse_id
from waypoint.core.submissions import once

from . import selectors, services
from .forms import CancelForm, CompleteForm, DelegateForm


def _may_delegate(user):
    return services.may_delegate(user)


def _plan_of(person_id, plan_id):
    """The care plan a task comes from (`?plan_id=<id>`, from the plan's page): this person's, or 404.

    Checked before the page is audited (as `open_record` checks a record in the URL), so a wrong,
    missing or foreign plan id is a 404 with no audit row; `open_record` then checks the person.
    """
    from waypoint.plans import selectors as plan_selectors

    if not plan_id:
        return None
    wanted = parse_id(plan_id)
    if wanted is None:
        raise Http404("No plan found")
    plan = plan_selectors.plan_by_id(wanted)
    if plan is None or plan.person_id != person_id:
        raise Http404("No plan found")
    return plan


def _prefill(query):
    """What and source description, prefilled from the care plan's "Delegate" link."""
    initial = {}
    if query.get("what"):
        initial["what"] = query["what"][:200]
    if query.get("source_description"):
        initial["source_description"] = query["source_description"][:300]
    return initial


def _audit_list(request, record_type):
    """Lists are audited as one row (who, when, which page), not one row per person shown."""
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.NONE),
            action=Action.VIEW,
            record_type=record_type,
            record_id=request.user.pk,
        )


def my_tasks(request):
    _audit_list(request, RecordType.MY_TASKS)
    return render(
        request,
        "tasks/my_tasks.jinja",
        {
            "open_tasks": selectors.my_open_tasks(request.user),
            "closed_tasks": selectors.my_closed_tasks(request.user),
            "today": timezone.localdate(),
            "may_delegate": _may_delegate(request.user),
        },
    )


def delegated(request):
    _audit_list(request, RecordType.DELEGATED_TASKS)
    return render(
        request,
        "tasks/delegated.jinja",
        {
            "open_tasks": selectors.delegated_open_tasks(request.user),
            "closed_tasks": selectors.delegated_closed_tasks(request.user),
            "today": timezone.localdate(),
        },
    )


def person_tasks(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.TASK)
    person = opened.person
    return render(
        request,
        "tasks/person_tasks.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "tasks": selectors.tasks_of(person),
            "today": timezone.localdate(),
            "may_delegate": _may_delegate(request.user),
        },
    )


@once
@permission(Do.DELEGATE_TASK)
def new(request, person_id):
    if not _may_delegate(request.user):
        raise Http404("Only care coordinators and team managers delegate tasks")
    plan = _plan_of(person_id, request.GET.get("plan_id"))
    opened = open_record(request, person_id, record_type=RecordType.TASK)
    person = opened.person
    members = selectors.assignable_members(request.user)
    form = DelegateForm(request.POST or None, members=members, initial=_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        worker, team = form.chosen()
        try:
            services.delegate_task(
                by=opened.actor,
                person=person,
                team=team,
                assigned_to=worker,
                data=form.cleaned_data,
                plan=plan,
            )
        except services.NotAssignable:
            form.add_error(
                "assigned_to", "This person can no longer be given tasks in your team: choose someone else"
            )
        else:
            messages.success(request, f"Task given to {worker.display_name}")
            return redirect("tasks:person_tasks", person.pk)
    return render(
        request,
        "tasks/new.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "form": form,
            "members": members,
            "plan": plan,
        },
    )


def _closed_message(task):
    if task.status == "done":
        who, when = task.completed_by, task.completed_at
        return (
            f"This task was completed by {who.display_name} on {timezone.localtime(when):%-d %B %Y at %H:%M}"
        )
    who, when = task.cancelled_by, task.cancelled_at
    return f"This task was cancelled by {who.display_name} on {timezone.localtime(when):%-d %B %Y at %H:%M}"


def _closed_while_writing(request, task):
    """The assignee posts a note for a task closed meanwhile, and with it went their only
    relationship with the person: show no one's data, but give them back what they typed."""
    return render(
        request,
        "tasks/closed_while_writing.jinja",
        {"message": _closed_message(task), "note": request.POST.get("note", "")},
        status=409,
    )


@permission(Do.HOLD_TASK)
def detail(request, person_id, task_id):
    """The task; the member of staff it was given to completes it here, with a note."""
    try:
        task, opened = selectors.task_for_page(request, person_id, task_id)
        person = opened.person
    except Http404:
        task = selectors.task_by_id(task_id)
        if (
            request.method == "POST"
            and task is not None
            and task.person_id == person_id
            and task.assigned_to_id == request.user.pk
            and not task.is_open
        ):
            return _closed_while_writing(request, task)
        raise
    is_assignee = task.assigned_to_id == request.user.pk
    if request.method == "POST" and not is_assignee:
        raise Http404("Only the person the task was given to can complete it")
    form = CompleteForm(request.POST or None) if is_assignee else None
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_task(
                by=opened.actor,
                task=task,
                note=form.cleaned_data["note"],
            )
        except services.TaskAlreadyClosed as exc:
            task = exc.task
            form.add_error(
                None,
                f"{_closed_message(task)}, so it cannot be completed. Your note has not been saved: it is "
                "still below, to copy into a note on the record if you need it.",
            )
        else:
            messages.success(request, "Task completed")
            return redirect("tasks:mine")
    return render(
        request,
        "tasks/detail.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "task": task,
            "form": form,
            "show_form": form is not None and (task.is_open or form.is_bound),
            "can_cancel": services.can_cancel(request.user, task),
            "today": timezone.localdate(),
        },
    )


@permission(Do.DELEGATE_TASK)
def cancel(request, person_id, task_id):
    """The member of staff who delegated the task (or a team manager) cancels it, with a reason."""
    # Someone who may not cancel the task gets a 404 before anything is audited.
    task, opened = selectors.task_for_page(
        request,
        person_id,
        task_id,
        check=lambda found: not found.is_open or services.can_cancel(request.user, found),
    )
    person = opened.person
    if not task.is_open:
        messages.info(request, f"{_closed_message(task)}. It cannot be cancelled.")
        return redirect("tasks:detail", person.pk, task.pk)
    if not services.can_cancel(request.user, task):
        raise Http404("Only the person who delegated the task, or a team manager, can cancel it")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(
                by=opened.actor,
                task=task,
                reason=form.cleaned_data["reason"],
            )
        except services.TaskAlreadyClosed as exc:
            form.add_error(
                None, f"{_closed_message(exc.task)} after you opened this page. Nothing has been changed."
            )
        else:
            messages.success(request, "Task cancelled")
            return redirect("tasks:person_tasks", person.pk)
    return render(
        request,
        "tasks/cancel.jinja",
        {"person": person, "alerts": opened.alerts, "task": task, "form": form},
    )
