"""The demo Trust's workforce records (built by build_demo_trust)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from waypoint.accounts.models import Membership, RoleCode, User
from waypoint.workforce import selectors
from waypoint.workforce.models import (
    Appraisal,
    Placement,
    ProfessionalRegistration,
    Supervision,
    TrainingCompletion,
)

pytestmark = pytest.mark.django_db


def test_every_demo_member_of_staff_in_a_team_has_workforce_records():
    call_command("build_demo_trust", size=20, verbosity=0)
    today = timezone.localdate()
    members = list(
        User.objects.filter(pk__in=Membership.objects.current().values("user_id")).prefetch_related("roles")
    )
    assert len(members) >= 10
    for user in members:
        assert TrainingCompletion.objects.filter(staff=user).exists(), user.username
        assert Supervision.objects.filter(supervisees=user).exists(), user.username
        assert Appraisal.objects.filter(staff=user).exists(), user.username
        if user.profession and user.username != "student":
            assert ProfessionalRegistration.objects.filter(staff=user).exists(), user.username
    training = selectors.training_for(members, selectors.active_courses(), today)
    assert any(t.state(today) == "overdue" for rows in training.values() for t in rows)
    due = selectors.supervision_due_for(members, today)
    assert any(item.overdue(today) for rows in due.values() for item in rows)
    assert Placement.objects.filter(student__username="student", ends_on__gte=today).count() == 1
    assert User.objects.get(username="workforceadmin").has_role(RoleCode.WORKFORCE_ADMINISTRATOR)
    call_command("build_demo_trust", size=1, verbosity=0)  # a second build adds no second catalogue
    assert Placement.objects.count() == 1
