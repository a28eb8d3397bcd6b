"""Database rules: one duty worker and one back-up per team per day; never closed without an outcome."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.duty.factories import DutyEnquiryFactory, DutyShiftFactory
from waypoint.duty.models import DutyRole, EnquiryStatus


@pytest.mark.django_db
class TestConstraints:
    def test_one_worker_per_role_per_team_per_day(self, team, coordinator, manager):
        DutyShiftFactory(team=team, worker=coordinator, role=DutyRole.DUTY)
        DutyShiftFactory(team=team, worker=manager, role=DutyRole.BACKUP)
        with pytest.raises(IntegrityError), transaction.atomic():
            DutyShiftFactory(team=team, worker=manager, role=DutyRole.DUTY)

    def test_an_enquiry_cannot_be_closed_without_an_outcome(self, team, coordinator):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        enquiry.status = EnquiryStatus.CLOSED
        enquiry.closed_at = timezone.now()
        enquiry.closed_by = coordinator
        with pytest.raises(IntegrityError), transaction.atomic():
            enquiry.save()

    def test_an_open_enquiry_has_no_closing_details(self, team, coordinator):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        enquiry.closed_at = timezone.now()
        with pytest.raises(IntegrityError), transaction.atomic():
            enquiry.save()

    def test_open_since_is_set_only_for_calls_from_earlier_days(self, team, coordinator):
        today = timezone.localdate()
        fresh = DutyEnquiryFactory(team=team, logged_by=coordinator)
        old = DutyEnquiryFactory(
            team=team, logged_by=coordinator, received_at=timezone.now() - timezone.timedelta(days=2)
        )
        assert fresh.open_since(today) is None
        assert old.open_since(today) == today - timezone.timedelta(days=2)
