"""Worklist items: rights due, renewal due or expired, DoLS expiring."""

import datetime

import pytest
from django.utils import timezone

from waypoint.core.memo import request_scope
from waypoint.legal import worklist
from waypoint.legal.factories import LibertyAuthorisationFactory, MhaPeriodFactory, RightsExplanationFactory
from waypoint.worklist.registry import Severity, due_for

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_rights_never_recorded_then_due_again(person, coordinator):
    period = MhaPeriodFactory(
        person=person, section="17A", starts_on=TODAY - datetime.timedelta(days=3), created_by=coordinator
    )
    items = list(worklist.rights_due([person.pk], TODAY))
    assert [i.what for i in items] == ["Rights (s132A) not yet recorded as explained"]
    RightsExplanationFactory(
        period=period, given_by=coordinator, understood="no", next_on=TODAY - datetime.timedelta(days=1)
    )
    (item,) = worklist.rights_due([person.pk], TODAY)
    assert item.what == "Explain rights (s132A) again" and item.severity == Severity.OVERDUE


@pytest.mark.django_db
def test_cto_renewal_due_and_expired(person, coordinator):
    MhaPeriodFactory(
        person=person, section="17A", starts_on=TODAY - datetime.timedelta(days=140), created_by=coordinator
    )
    (item,) = worklist.expiry_due([person.pk], TODAY)
    assert item.what == "CTO (s17A) renewal due before it expires" and item.severity == Severity.UPCOMING
    MhaPeriodFactory(
        person=person, section="2", starts_on=TODAY - datetime.timedelta(days=40), created_by=coordinator
    )
    whats = {i.what for i in worklist.expiry_due([person.pk], TODAY)}
    assert "s2 expired: record the renewal or the end" in whats


@pytest.mark.django_db
def test_liberty_expiry_and_fixed_queries(person, coordinator, django_assert_num_queries):
    LibertyAuthorisationFactory(
        person=person, created_by=coordinator, expires_on=TODAY + datetime.timedelta(days=5)
    )
    (item,) = worklist.liberty_expiry_due([person.pk], TODAY)
    assert item.severity == Severity.DUE_SOON
    with django_assert_num_queries(1):
        list(worklist.liberty_expiry_due([person.pk, person.pk + 1], TODAY))
    with django_assert_num_queries(1):
        list(worklist.rights_due([person.pk, person.pk + 1], TODAY))


@pytest.mark.django_db
def test_rights_and_expiry_share_one_read(person, coordinator, django_assert_num_queries):
    MhaPeriodFactory(
        person=person, section="17A", starts_on=TODAY - datetime.timedelta(days=140), created_by=coordinator
    )
    with django_assert_num_queries(1):
        with request_scope():
            rights = list(worklist.rights_due([person.pk], TODAY))
            expiry = list(worklist.expiry_due([person.pk], TODAY))
    assert rights and expiry
    assert {i.kind for i in due_for([person.pk], TODAY)[person.pk]} == {"mha_rights", "mha_expiry"}


@pytest.mark.django_db
def test_liberty_expiry_is_on_the_worklist_at_no_extra_query(person, coordinator, django_assert_num_queries):
    """The DoLS expiry provider is registered, and it reads the same one query as the rights and
    expiry items (selectors.legal_rows): the three together cost one query."""
    MhaPeriodFactory(
        person=person, section="17A", starts_on=TODAY - datetime.timedelta(days=140), created_by=coordinator
    )
    found = LibertyAuthorisationFactory(
        person=person, created_by=coordinator, expires_on=TODAY - datetime.timedelta(days=1)
    )
    LibertyAuthorisationFactory(person=person, created_by=coordinator, ended_on=TODAY)  # ended: not listed
    with django_assert_num_queries(1):
        with request_scope():
            rights = list(worklist.rights_due([person.pk], TODAY))
            expiry = list(worklist.expiry_due([person.pk], TODAY))
            liberty = list(worklist.liberty_expiry_due([person.pk], TODAY))
    assert rights and expiry
    (item,) = liberty
    assert item.severity == Severity.OVERDUE and item.url.endswith(f"/liberty/{found.pk}/")
    assert "liberty_expiry" in {i.kind for i in due_for([person.pk], TODAY)[person.pk]}


@pytest.mark.django_db
def test_the_banner_shows_a_current_authorisation(coordinator_client, person, coordinator):
    from django.urls import reverse

    found = LibertyAuthorisationFactory(person=person, created_by=coordinator)
    body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    assert f"DoLS standard authorisation until {found.expires_on:%-d %B %Y}" in body
