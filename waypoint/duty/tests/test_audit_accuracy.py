"""The handover page, rota changes and handover notes are audited (issue 8, item 11)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, Basis, RecordType


@pytest.mark.django_db
class TestDutyAudit:
    def test_opening_the_handover_is_audited_as_one_row_for_the_team(
        self, coordinator_client, coordinator, team
    ):
        assert coordinator_client.get(reverse("duty:handover")).status_code == 200
        row = AuditEvent.objects.get(record_type=RecordType.DUTY_HANDOVER)
        assert (row.user, row.action, row.record_id, row.basis, row.person) == (
            coordinator,
            Action.VIEW,
            str(team.pk),
            Basis.TEAM,
            None,
        )

    def test_a_handover_note_is_audited_without_its_text(self, coordinator_client, coordinator):
        coordinator_client.post(reverse("duty:handover"), {"note": "Synthetic: all calm tonight"})
        row = AuditEvent.objects.get(record_type=RecordType.HANDOVER_NOTE)
        assert (row.user, row.action, row.fields_changed) == (coordinator, Action.CREATE, ["note"])
        assert "calm" not in str(row.__dict__)

    def test_a_rota_change_is_audited(self, manager_client, manager, coordinator, team):
        today = timezone.localdate()
        response = manager_client.post(
            reverse("duty:rota_day", args=[today.isoformat()]),
            {"duty_worker": coordinator.pk, "backup_worker": manager.pk},
        )
        assert response.status_code == 302
        row = AuditEvent.objects.get(record_type=RecordType.DUTY_ROTA)
        assert (row.user, row.action, row.record_id, row.basis) == (
            manager,
            Action.UPDATE,
            f"{team.pk}:{today.isoformat()}",
            Basis.TEAM,
        )
