"""A team's care approach and outcome measure windows, read without a query on a page.

Every team's row is read once and kept in the cache (Redis in production, so every worker sees a
change at once; the local memory cache in development) until `save` changes one. A team without a
row has `DEFAULTS`. The record overview and the worklist call this, so it must add no query.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import TeamApproach, TeamMeasureSettings

CACHE_KEY = "waypoint:measures:team-settings:v1"
SET_TEAM_MEASURE_SETTINGS = "set_team_measure_settings"


@dataclass(frozen=True)
class Settings:
    care_approach: str = TeamApproach.CPA
    baseline_within_days: int = 42  # 6 weeks after the first attended contact
    review_lookback_days: int = 28
    show_days_before: int = 14
    version: int = 0

    @property
    def worker_word(self) -> str:
        return "keyworker" if self.care_approach == TeamApproach.KEYWORKER else "care coordinator"


DEFAULTS = Settings()
MAX_SHOW_DAYS_BEFORE = 90  # the form's and the database check's upper bound
FIELDS = ("care_approach", "baseline_within_days", "review_lookback_days", "show_days_before")


def _all() -> dict[int, Settings]:
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {
            row.team_id: Settings(**{f: getattr(row, f) for f in FIELDS}, version=row.version)
            for row in TeamMeasureSettings.objects.all()
        }
        cache.set(CACHE_KEY, found, timeout=None)
    return found


def for_team(team_or_id) -> Settings:
    team_id = getattr(team_or_id, "pk", team_or_id)
    if team_id is None:
        return DEFAULTS
    return _all().get(team_id, DEFAULTS)


def worker_word(team_or_id, capital=False) -> str:
    """ "care coordinator" or "keyworker", as the team's care approach says."""
    word = for_team(team_or_id).worker_word
    return word[:1].upper() + word[1:] if capital else word


class StaleSettings(Exception):
    pass


@transaction.atomic
def save(*, by: Actor, team, version: int, **values) -> TeamMeasureSettings:
    permissions.require(by, SET_TEAM_MEASURE_SETTINGS)
    row = TeamMeasureSettings.objects.select_for_update().filter(team=team).first()
    current_version = row.version if row else 0
    if version != current_version:
        raise StaleSettings()
    if row is None:
        row = TeamMeasureSettings(team=team, updated_by=by.user, version=0)
    changed = [f for f in FIELDS if getattr(row, f) != values[f]] if row.pk else list(FIELDS)
    for f in FIELDS:
        setattr(row, f, values[f])
    row.version += 1
    row.updated_by = by.user
    row.updated_at = timezone.now()
    row.save()
    audit.write(
        by,
        action=Action.UPDATE if current_version else Action.CREATE,
        record_type=RecordType.TEAM_MEASURE_SETTINGS,
        record_id=team.pk,
        fields_changed=changed,
    )
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return row
