"""Break-glass: start emergency access (audited) and the privacy officer's review of it."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis

from .models import BreakGlass


@transaction.atomic
def start_break_glass(*, user, person, reason: str, path="") -> BreakGlass:
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=user,
        person=person,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + timedelta(minutes=settings.WAYPOINT_BREAK_GLASS_MINUTES),
    )
    audit.record(
        user=user,
        person=person,
        action=Action.BREAK_GLASS,
        record_type="break_glass",
        record_id=grant.pk,
        basis=Basis.BREAK_GLASS,
        break_glass_reason=grant.reason,
        path=path,
    )
    return grant


@transaction.atomic
def review_break_glass(*, reviewer, grant: BreakGlass, comment: str, path="") -> BreakGlass:
    grant.reviewed_by = reviewer
    grant.reviewed_at = timezone.now()
    grant.review_comment = comment.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
    audit.record(
        user=reviewer,
        person=grant.person,
        action=Action.REVIEW,
        record_type="break_glass",
        record_id=grant.pk,
        basis=Basis.PRIVACY_REVIEW,
        fields_changed=["reviewed_by", "reviewed_at", "review_comment"],
        path=path,
    )
    return grant
