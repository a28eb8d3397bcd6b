"""Every versioned edit form refuses a post without its hidden version, keeping what was typed.

Before, a post with the version field removed skipped the "someone else changed this" check and
silently overwrote the other person's change. The pages are found by walking every named URL,
as the odd-input sweep does: any page whose POST form carries a hidden `version` is checked, and
the list below makes sure the walk still finds each edit form we know of.
"""

import pytest
from django.urls import reverse

from waypoint.audit.models import Action, AuditEvent
from waypoint.core.forms import VERSION_MISSING
from waypoint.core.tests.test_odd_input_sweep import (
    _baseline,
    _factories,
    _forms,
    _not_sign_out,
    _pattern,
)

VERSIONED = [
    "assessments:edit",
    "duty:enquiry",
    "episodes:care_approach",
    "episodes:care_coordinator",
    "episodes:discharge",
    "episodes:request_transfer",
    "incidents:candour",
    "incidents:close",
    "incidents:review",
    "legal:amhp_assessment",
    "legal:end",
    "legal:end_aftercare",
    "legal:renew",
    "medicines:depot_nurse",
    "medicines:stop_medicine",  # the same StopForm also stops a depot prescription
    "notes:edit",
    "patients:edit",
    "plans:agree",
    "plans:edit",
    "referrals:triage",
    "safeguarding:close",
    "safeguarding:household_edit",
    "safeguarding:household_end",
    "safeguarding:update",
    "workforce:course_edit",
    "workforce:placement",
    "workforce:registration_edit",
]


def _versioned_form(client, url_name, person, user, team):
    factories = _factories(person, user, team)
    kwargs = {key: factories[key]() for key in _pattern(url_name).pattern.converters}
    url = reverse(url_name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, f"{url_name} answered {response.status_code}"
    for form in _forms(response.content.decode()):
        if form["method"] == "post" and _not_sign_out(form):
            if any(f["name"] == "version" and f["kind"] == "hidden" for f in form["fields"]):
                return form["action"] or url, form
    return url, None


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", VERSIONED)
def test_a_post_without_the_version_is_refused(url_name, client, everyone, person, team):
    client.force_login(everyone)
    target, form = _versioned_form(client, url_name, person, everyone, team)
    assert form is not None, f"{url_name} has no form with a hidden version"
    data = _baseline(form)
    del data["version"]
    typed = "Typed by hand before the version was removed"
    text_fields = [
        f["name"] for f in form["fields"] if f["kind"] in {"text", "textarea"} and f["name"] in data
    ]
    text_fields = [name for name in text_fields if not name.endswith(("_day", "_month", "_year"))]
    if text_fields:
        data[text_fields[-1]] = [typed]
    writes_before = AuditEvent.objects.exclude(action__in=[Action.VIEW, Action.SEARCH]).count()
    response = client.post(target, data)
    body = response.content.decode()
    assert response.status_code == 200, f"{url_name} answered {response.status_code}"
    assert "someone else" in body and VERSION_MISSING.split(",")[0] in body
    if text_fields:
        assert typed in body, "what was typed must be kept"
    assert AuditEvent.objects.exclude(action__in=[Action.VIEW, Action.SEARCH]).count() == writes_before
    # The page comes back with the version it was opened for, so saving again is deliberate.
    again = [f for f in _forms(body) if any(g["name"] == "version" for g in f["fields"])]
    assert again and next(g for g in again[0]["fields"] if g["name"] == "version")["value"].isdigit()


def test_the_list_of_versioned_forms_is_complete():
    """A new form with a hidden version field must be added above (grep VersionField)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    uses = sum(
        len(re.findall(r"version = VersionField\(", path.read_text()))
        for path in root.rglob("forms.py")
        if "tests" not in path.parts
    )
    # plans has three forms (sections, care plan, agreement) behind two pages; legal's revoke form
    # needs a CTO (the walk's period is a section), so its own test checks it:
    # legal/tests/test_cto_revocation.py::TestRevokePage::test_a_post_without_the_version_is_refused.
    assert uses == len(VERSIONED) + 2, "a versioned form was added or removed: update VERSIONED"
