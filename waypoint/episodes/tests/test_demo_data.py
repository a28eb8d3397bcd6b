"""The synthetic Trust gets episodes: every coordinator allocation in one, transfers pending, discharges."""

from io import StringIO

import pytest
from django.core.management import call_command

from waypoint.episodes.models import Allocation, AllocationKind, Discharge, Episode, Transfer


@pytest.mark.django_db
def test_demo_trust_has_episodes_transfers_and_discharges():
    call_command("build_demo_trust", size=120, verbosity=0, stdout=StringIO())
    coordinators = Allocation.objects.filter(kind=AllocationKind.CARE_COORDINATOR)
    assert coordinators.exists() and not coordinators.filter(episode=None).exists()
    assert Episode.objects.open().exists()
    assert set(Transfer.objects.values_list("to_team__name", flat=True)) <= {
        "Assertive Outreach Team",
        "Complex Rehabilitation Team",
    }
    assert Transfer.objects.pending().count() == Episode.objects.filter(status="transfer_pending").count() > 0
    for discharge in Discharge.objects.select_related("episode"):
        assert discharge.episode.status == "closed"
        assert not Allocation.objects.current().filter(episode=discharge.episode).exists()
