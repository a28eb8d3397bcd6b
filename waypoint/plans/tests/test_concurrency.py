"""Two people saving the same draft at the same moment: exactly one save wins (PostgreSQL).

The service locks the revision row (SELECT ... FOR UPDATE) before checking the version, so the
second save waits for the first, then sees the new version and is refused. SQLite's in-memory
test database cannot be shared between threads; there, the version check is covered by
test_services.py::TestDrafts::test_stale_save_is_refused.
"""

import threading

import pytest
from django.db import connection, connections

from waypoint.access.actor import Actor
from waypoint.audit.models import Basis
from waypoint.plans import services
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database shared between threads"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("operation", ["save", "agree"])
def test_simultaneous_writes_to_one_draft(operation, person, team, coordinator):
    revision = PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator))
    version = revision.version
    barrier = threading.Barrier(2)
    outcomes = []

    def write(goal):
        try:
            barrier.wait(timeout=10)
            if operation == "save":
                content = {"needs": [{"need": "Sleep (synthetic)", "goal": goal, "interventions": []}]}
                services.save_draft(
                    by=Actor(coordinator, basis=Basis.TEAM),
                    revision=revision,
                    content=content,
                    version=version,
                )
            else:
                services.record_agreement(
                    by=Actor(coordinator, basis=Basis.TEAM),
                    revision=revision,
                    agreed_with_person=True,
                    agreed_on=revision.created_at.date(),
                    version=version,
                )
            outcomes.append("saved")
        except (services.StaleEdit, services.NotADraft):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(goal,)) for goal in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    revision.refresh_from_db()
    assert revision.version == version + 1
