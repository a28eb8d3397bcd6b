"""Downtime packs as a background task (django-tasks, ADR 0015). `manage.py downtime_packs
--enqueue` puts it on the queue for the worker (`manage.py db_worker`); without `--enqueue` the
command builds the packs itself, which is what the Trust's daily timer runs (docs/continuity.md)."""

import logging

from django_tasks import task

from . import packs

log = logging.getLogger(__name__)


@task()
def build_downtime_packs() -> int:
    """Build every team's pack; returns how many were written."""
    built = packs.build_all()
    for info in built:
        log.info("Downtime pack for %s: %s people, %s", info.team_name, info.people, info.path)
    return len(built)
