"""Break-glass: start emergency access (audited) and the privacy officer's review of it."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .actor import Actor
from .models import BreakGlass


@transaction.atomic
def start_break_glass(*, by: Actor, person, reason: str) -> BreakGlass:
    """Grant `by.user` time-limited access to one person. The view builds `by` on basis
    break_glass with the reason typed, so the audit row carries it."""
    user = by.user
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=user,
        person=person,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + timedelta(minutes=settings.WAYPOINT_BREAK_GLASS_MINUTES),
    )
    audit.write(
        by,
        person=person,
        action=Action.BREAK_GLASS,
        record_type=RecordType.BREAK_GLASS,
        record_id=grant.pk,
    )
    return grant


@transaction.atomic
def review_break_glass(*, by: Actor, grant: BreakGlass, comment: str) -> BreakGlass:
    """The privacy officer's review (`by` on basis privacy_review)."""
    permissions.require(by, Do.REVIEW_BREAK_GLASS)
    reviewer = by.user
    grant.reviewed_by = reviewer
    grant.reviewed_at = timezone.now()
    grant.review_comment = comment.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
    audit.write(
        by,
        person=grant.person,
        action=Action.REVIEW,
        record_type=RecordType.BREAK_GLASS,
        record_id=grant.pk,
        fields_changed=["reviewed_by", "reviewed_at", "review_comment"],
    )
    return grant
