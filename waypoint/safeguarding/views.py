"""Safeguarding pages. Thin: open through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import actor_for, open_record
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.submissions import once

from . import selectors, services
from .forms import (
    AddendumForm,
    CloseConcernForm,
    ConcernDetailsForm,
    EditHouseholdMemberForm,
    EndHouseholdMemberForm,
    EnteredInErrorForm,
    HouseholdEnteredInErrorForm,
    HouseholdMemberForm,
    RaiseConcernForm,
)

manager_required = require_role(RoleCode.TEAM_MANAGER)


def _page(request, template, opened, **context):
    return render(request, template, {"person": opened.person, "alerts": opened.alerts, **context})


def concerns(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.SAFEGUARDING_CONCERN)
    return _page(request, "safeguarding/list.jinja", opened, concerns=selectors.concerns_of(opened.person))


@permission("raise_safeguarding")
@once
def raise_concern(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.SAFEGUARDING_CONCERN)
    person = opened.person
    initial = {}
    household = selectors.current_household_children(person.pk)
    chosen = request.GET.get("member")
    if chosen and any(str(member.pk) == chosen for member in household):
        initial = {"about": "child", "household_member": chosen}
    form = RaiseConcernForm(
        request.POST or None, household=household, today=timezone.localdate(), initial=initial
    )
    team = request.user.primary_team()
    if request.method == "POST" and form.is_valid():
        if team is None:
            form.add_error(None, "You are not a member of a team, so a concern cannot be raised here.")
        else:
            try:
                concern = services.raise_concern(
                    by=opened.actor, person=person, team=team, data=form.cleaned_data
                )
            except services.ConcernError as exc:
                form.add_error("household_member", str(exc))
                return _page(request, "safeguarding/raise.jinja", opened, form=form)
            messages.success(
                request,
                "Safeguarding concern raised. Add consent, the lead consulted and the referral below.",
            )
            return redirect("safeguarding:detail", person.pk, concern.pk)
    return _page(request, "safeguarding/raise.jinja", opened, form=form)


def _detail(request, concern, opened, **forms):
    context = {
        "concern": concern,
        "addendum_form": forms.get("addendum_form") or AddendumForm(),
        "form": forms.get("addendum_form"),
    }
    return _page(request, "safeguarding/detail.jinja", opened, **context)


def detail(request, person_id, concern_id):
    concern, opened = selectors.concern_for_page(request, person_id, concern_id)
    return _detail(request, concern, opened)


@permission("raise_safeguarding")
def update(request, person_id, concern_id):
    concern, opened = selectors.concern_for_page(request, person_id, concern_id)
    person = opened.person
    if not concern.is_open:
        messages.info(request, "This concern is closed or was entered in error: add an addendum instead.")
        return redirect("safeguarding:detail", person.pk, concern.pk)
    initial = {name: getattr(concern, name) for name in services.DETAIL_FIELDS}
    initial["version"] = concern.version
    form = ConcernDetailsForm(request.POST or None, concern=concern, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_concern(
                by=opened.actor, concern=concern, data=data, version=form.cleaned_data["version"]
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Concern updated")
            return redirect("safeguarding:detail", person.pk, concern.pk)
    return _page(request, "safeguarding/update.jinja", opened, form=form, concern=concern)


@permission("raise_safeguarding")
def close(request, person_id, concern_id):
    concern, opened = selectors.concern_for_page(request, person_id, concern_id)
    person = opened.person
    if not concern.is_open:
        return redirect("safeguarding:detail", person.pk, concern.pk)
    form = CloseConcernForm(request.POST or None, initial={"version": concern.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_concern(
                by=opened.actor,
                concern=concern,
                summary=form.cleaned_data["summary"],
                version=form.cleaned_data["version"],
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Concern closed")
            return redirect("safeguarding:detail", person.pk, concern.pk)
    return _page(request, "safeguarding/close.jinja", opened, form=form, concern=concern)


@permission("raise_safeguarding")
def add_addendum(request, person_id, concern_id):
    concern, opened = selectors.concern_for_page(request, person_id, concern_id)
    person = opened.person
    if request.method != "POST":
        return redirect("safeguarding:detail", person.pk, concern.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.add_addendum(by=opened.actor, concern=concern, text=form.cleaned_data["text"])
        messages.success(request, "Addendum added")
        return redirect("safeguarding:detail", person.pk, concern.pk)
    return _detail(request, concern, opened, addendum_form=form)


@permission("raise_safeguarding")
def entered_in_error(request, person_id, concern_id):
    concern, opened = selectors.concern_for_page(request, person_id, concern_id)
    person = opened.person
    if concern.entered_in_error:
        return redirect("safeguarding:detail", person.pk, concern.pk)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_entered_in_error(
                by=opened.actor, concern=concern, reason=form.cleaned_data["reason"]
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Concern marked as entered in error")
            return redirect("safeguarding:detail", person.pk, concern.pk)
    return _page(request, "safeguarding/entered_in_error.jinja", opened, form=form, concern=concern)


@manager_required
def team_open(request):
    """Every open concern of the team, oldest first: one audit row for the list."""
    team = chosen_team(request)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.SAFEGUARDING_TEAM_LIST,
            record_id=team.pk,
        )
    return render(
        request,
        "safeguarding/team.jinja",
        {"team": team, "teams": user_teams(request.user), "concerns": selectors.team_open_concerns(team)},
    )


# Household: children and other dependants.


def household(request, person_id):
    members, opened = selectors.household_for_page(request, person_id)
    return _page(request, "safeguarding/household.jinja", opened, members=members, today=timezone.localdate())


@permission("raise_safeguarding")
@once
def household_add(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.SAFEGUARDING_HOUSEHOLD_MEMBER)
    form = HouseholdMemberForm(request.POST or None, initial={"lives_with_person": True})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.add_household_member(by=opened.actor, person=opened.person, data=data)
        messages.success(request, "Added to the household")
        return redirect("safeguarding:household", opened.person.pk)
    return _page(request, "safeguarding/household_form.jinja", opened, form=form, member=None)


@permission("raise_safeguarding")
def household_edit(request, person_id, member_id):
    member, opened = selectors.household_member_for_page(request, person_id, member_id)
    if not member.is_current:
        return redirect("safeguarding:household", opened.person.pk)
    initial = {name: getattr(member, name) for name in services.HOUSEHOLD_FIELDS}
    initial["version"] = member.version
    form = EditHouseholdMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_household_member(
                by=opened.actor, member=member, data=data, version=form.cleaned_data["version"]
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Household member updated")
            return redirect("safeguarding:household", opened.person.pk)
    return _page(request, "safeguarding/household_form.jinja", opened, form=form, member=member)


@permission("raise_safeguarding")
def household_end(request, person_id, member_id):
    member, opened = selectors.household_member_for_page(request, person_id, member_id)
    if not member.is_current:
        return redirect("safeguarding:household", opened.person.pk)
    form = EndHouseholdMemberForm(request.POST or None, initial={"version": member.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_household_member(
                by=opened.actor,
                member=member,
                ended_on=form.cleaned_data["ended_on"],
                version=form.cleaned_data["version"],
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{member.name} is recorded as no longer in the household")
            return redirect("safeguarding:household", opened.person.pk)
    return _page(request, "safeguarding/household_end.jinja", opened, form=form, member=member)


@permission("raise_safeguarding")
def household_entered_in_error(request, person_id, member_id):
    member, opened = selectors.household_member_for_page(request, person_id, member_id)
    if member.entered_in_error:
        return redirect("safeguarding:household", opened.person.pk)
    form = HouseholdEnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_household_member_entered_in_error(
                by=opened.actor, member=member, reason=form.cleaned_data["reason"]
            )
        except services.ConcernError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Household member marked as entered in error")
            return redirect("safeguarding:household", opened.person.pk)
    return _page(request, "safeguarding/household_error.jinja", opened, form=form, member=member)
