"""A create form sent twice (double click, back button, retry) makes one record, not two."""

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse

from waypoint.access.models import BreakGlass
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.contacts.models import Appointment, Contact
from waypoint.core import submissions
from waypoint.core.models import SubmissionToken
from waypoint.core.tests.test_odd_input_sweep import (
    _baseline,
    _forms,
    _not_sign_out,
)
from waypoint.duty.models import DutyEnquiry
from waypoint.notes.models import Note
from waypoint.patients.models import Carer
from waypoint.referrals.models import Referral
from waypoint.tasks.models import Task


def _create_form(client, url, query=None):
    response = client.get(url, query or {})
    assert response.status_code == 200, response.status_code
    for form in _forms(response.content.decode()):
        if form["method"] == "post" and _not_sign_out(form):
            if any(field["name"] == submissions.FIELD for field in form["fields"]):
                return form
    raise AssertionError(f"{url} has no create form with a one-time token")


CASES = {
    # name: (url name, needs the person's id, model, extra query, fields to set)
    "referral": ("referrals:new", False, Referral, "nhs", {"referral-reason": "Synthetic reason"}),
    "duty call": ("duty:log_call", False, DutyEnquiry, None, {}),
    # confirm_past: the form's default time may already have passed today
    "appointment": ("contacts:book", True, Appointment, None, {"confirm_past": "on"}),
    "contact": ("contacts:record_contact", True, Contact, None, {}),
    "task": ("tasks:new", True, Task, None, {}),
    "carer": ("patients:add_carer", True, Carer, None, {}),
    "note": ("notes:new", True, Note, None, {}),
    "break-glass": ("access:break_glass", False, BreakGlass, None, {}),
}


def _fill(form, person, extra):
    data = _baseline(form)
    for name in data:
        if name.endswith("nhs_number"):
            data[name] = [person.nhs_number]
        if "reason" in name or name in {"description", "notes", "text", "summary"}:
            data[name] = ["A synthetic reason that is long enough to be accepted"]
    data.update({key: [value] for key, value in extra.items()})
    return data


def _errors(response):
    """The error messages beside the fields (or the status), to say why a post was not taken."""
    import re

    text = re.sub(r"\s+", " ", response.content.decode())
    found = re.findall(r"nhsuk-error-message.*?</span> ?([^<]*)</span>", text)
    return [message.strip() for message in found] or response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_same_form_sent_twice_makes_one_record(case, client, everyone, outsider, person, team):
    url_name, by_person, model, query, extra = CASES[case]
    make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="support.sweep")  # someone to delegate to
    user = outsider if case == "break-glass" else everyone  # break-glass is for someone you cannot see
    client.force_login(user)
    url = reverse(url_name, args=[person.pk] if by_person else [])
    if query == "nhs":
        url += f"?nhs_number={person.nhs_number}"
    form = _create_form(client, url)
    target = form["action"] if form["action"] and not form["action"].startswith("?") else url
    if form["action"] and form["action"].startswith("?"):
        target = url.split("?")[0] + form["action"]
    data = _fill(form, person, extra)
    before = model.objects.count()
    first = client.post(target, data)
    assert first.status_code == 302, _errors(first)
    assert model.objects.count() == before + 1
    second = client.post(target, data)
    assert model.objects.count() == before + 1, "the second submit made a second record"
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert submissions.ALREADY_SAVED in [str(m) for m in get_messages(second.wsgi_request)]


@pytest.mark.django_db
def test_a_form_with_errors_can_be_corrected_and_sent(client, everyone, person):
    client.force_login(everyone)
    url = reverse("patients:add_carer", args=[person.pk])
    data = _fill(_create_form(client, url), person, {})
    broken = {**data, "name": [""]}
    assert client.post(url, broken).status_code == 200
    assert not SubmissionToken.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Carer.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_someone_elses_token_is_a_404(client, everyone, coordinator, person):
    client.force_login(everyone)
    url = reverse("patients:add_carer", args=[person.pk])
    data = _fill(_create_form(client, url), person, {})
    assert client.post(url, data).status_code == 302
    client.force_login(coordinator)
    assert client.post(url, data).status_code == 404
    assert Carer.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_the_token_is_claimed_with_the_record_or_not_at_all(monkeypatch, client, everyone, person):
    """If saving the record fails, the claim goes with it, so the form can be sent again."""
    from waypoint.patients import services

    client.force_login(everyone)
    url = reverse("patients:add_carer", args=[person.pk])
    data = _fill(_create_form(client, url), person, {})

    def fails(**kwargs):
        raise IntegrityError("synthetic failure")

    monkeypatch.setattr(services, "add_carer", fails)
    client.raise_request_exception = False
    assert client.post(url, data).status_code == 500
    assert not SubmissionToken.objects.exists()
    monkeypatch.undo()
    assert client.post(url, data).status_code == 302
    assert Carer.objects.filter(person=person).count() == 1


def test_each_rendered_form_gets_a_new_token():
    first, second = submissions.submission_token_input(), submissions.submission_token_input()
    assert first != second and 'name="submission_token"' in first
