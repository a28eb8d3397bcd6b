"""Delegated tasks. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import get_person_for_view
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis
from waypoint.core.ids import parse_id
from waypoint.core.submissions import once
from waypoint.patients import selectors as people_selectors

from . import selectors, services
from .forms import CancelForm, CompleteForm, DelegateForm


def _may_delegate(user):
    return services.may_delegate(user)


def _plan_of(person, plan_id):
    """The care plan a task comes from (`?plan_id=<id>`, from the plan's page): this person's, or 404."""
    from waypoint.plans import selectors as plan_selectors

    if not plan_id:
        return None
    wanted = parse_id(plan_id)
    if wanted is None:
        raise Http404("No plan found")
    plan = plan_selectors.plan_by_id(wanted)
    if plan is None or plan.person_id != person.pk:
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
    audit.record(
        user=request.user,
        action=Action.VIEW,
        record_type=record_type,
        record_id=request.user.pk,
        basis=Basis.NONE,
        path=request.path,
    )


def my_tasks(request):
    _audit_list(request, "my_tasks")
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
    _audit_list(request, "delegated_tasks")
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
    person, access = get_person_for_view(request, person_id, record_type="task_list")
    return render(
        request,
        "tasks/person_tasks.jinja",
        {
            "person": person,
            "alerts": people_selectors.current_alerts(person),
            "tasks": selectors.tasks_of(person),
            "today": timezone.localdate(),
            "may_delegate": _may_delegate(request.user),
        },
    )


@once
def new(request, person_id):
    if not _may_delegate(request.user):
        raise Http404("Only care coordinators and team managers delegate tasks")
    person, access = get_person_for_view(request, person_id, record_type="task_list")
    plan = _plan_of(person, request.GET.get("plan_id"))
    members = selectors.assignable_members(request.user)
    form = DelegateForm(request.POST or None, members=members, initial=_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        worker, team = form.chosen()
        try:
            services.delegate_task(
                user=request.user,
                person=person,
                team=team,
                assigned_to=worker,
                data=form.cleaned_data,
                plan=plan,
                basis=access.basis,
                path=request.path,
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
            "alerts": people_selectors.current_alerts(person),
            "form": form,
            "members": members,
            "plan": plan,
        },
    )


def _task_for_view(request, person_id, task_id):
    """The task, after its person has come through the access policy; 404 if it is not this person's."""
    task = selectors.task_by_id(task_id)
    if task is None or task.person_id != person_id:  # checked before the view is audited
        raise Http404("No task found")
    person, access = get_person_for_view(request, task.person_id, record_type="task", record_id=task.pk)
    return task, person, access


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


def detail(request, person_id, task_id):
    """The task; the member of staff it was given to completes it here, with a note."""
    try:
        task, person, access = _task_for_view(request, person_id, task_id)
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
                user=request.user,
                task=task,
                note=form.cleaned_data["note"],
                basis=access.basis,
                path=request.path,
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
            "alerts": people_selectors.current_alerts(person),
            "task": task,
            "form": form,
            "show_form": form is not None and (task.is_open or form.is_bound),
            "can_cancel": services.can_cancel(request.user, task),
            "today": timezone.localdate(),
        },
    )


def cancel(request, person_id, task_id):
    """The member of staff who delegated the task (or a team manager) cancels it, with a reason."""
    task, person, access = _task_for_view(request, person_id, task_id)
    if not task.is_open:
        messages.info(request, f"{_closed_message(task)}. It cannot be cancelled.")
        return redirect("tasks:detail", person.pk, task.pk)
    if not services.can_cancel(request.user, task):
        raise Http404("Only the person who delegated the task, or a team manager, can cancel it")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(
                user=request.user,
                task=task,
                reason=form.cleaned_data["reason"],
                basis=access.basis,
                path=request.path,
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
        {"person": person, "alerts": people_selectors.current_alerts(person), "task": task, "form": form},
    )
