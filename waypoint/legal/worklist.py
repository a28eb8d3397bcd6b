"""Worklist items from legal status: rights to explain again, periods to renew, authorisations expiring.

The rights and expiry items share one read of the open periods with the banner
(`selectors.open_periods`, core.memo), so together they cost one query on the record overview.
"""

from datetime import timedelta

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from .models import LibertyAuthorisation
from .selectors import open_periods

RENEWAL_NOTICE_DAYS = 56  # the renewal examination is in the last two months of a period
LIBERTY_NOTICE_DAYS = 28


def rights_due(person_ids, today):
    """Open periods whose rights have never been recorded, or are due to be explained again."""
    for period in open_periods(list(person_ids)):
        if period.has_expired(today):
            continue
        url = reverse("legal:rights", args=[period.person_id, period.pk])
        section = f"s{period.rule.rights_section}"
        if not period.rights_recorded:
            yield DueItem(
                period.person_id,
                "mha_rights",
                f"Rights ({section}) not yet recorded as explained",
                period.starts_on,
                severity_for(period.starts_on, today),
                url,
            )
        elif period.rights_next_on is not None:
            yield DueItem(
                period.person_id,
                "mha_rights",
                f"Explain rights ({section}) again",
                period.rights_next_on,
                severity_for(period.rights_next_on, today),
                url,
            )


def expiry_due(person_ids, today):
    """Periods that expire within the renewal notice, or have expired with nothing recorded."""
    horizon = today + timedelta(days=RENEWAL_NOTICE_DAYS)
    for period in open_periods(list(person_ids)):
        if period.expires_on is None or period.expires_on > horizon:
            continue
        url = reverse("legal:period", args=[period.person_id, period.pk])
        if period.expires_on < today:
            what = f"{period.rule.short} expired: record the renewal or the end"
            severity = Severity.OVERDUE
        else:
            what = (
                f"{period.rule.short} renewal due before it expires"
                if period.rule.renewable
                else f"{period.rule.short} expires"
            )
            severity = severity_for(period.expires_on, today, soon_days=28)
        yield DueItem(period.person_id, "mha_expiry", what, period.expires_on, severity, url)


def liberty_expiry_due(person_ids, today):
    """Liberty authorisations ending within four weeks (the BIA's list shows every one they hold).

    PARTIAL: not registered as a worklist provider yet: it would cost the record overview one more
    query than its budget of 30. The BIA's list and the Legal tab show expiry meanwhile."""
    for found in LibertyAuthorisation.objects.filter(
        person_id__in=person_ids,
        ended_on__isnull=True,
        entered_in_error=False,
        expires_on__lte=today + timedelta(days=LIBERTY_NOTICE_DAYS),
    ):
        url = reverse("legal:index", args=[found.person_id])
        yield DueItem(
            found.person_id,
            "liberty_expiry",
            f"{found.get_kind_display()} expires",
            found.ends_on,
            severity_for(found.ends_on, today),
            url,
        )
