"""Worklist items from legal status: rights to explain again, periods to renew, authorisations expiring.

The rights, expiry and DoLS expiry items share one read with the banner (`selectors.legal_rows`:
the open periods and the current liberty authorisations in one UNION ALL, core.memo), so together
they cost one query on the record overview and on each worklist.
"""

from datetime import timedelta

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import open_liberty, open_periods

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
    """Liberty authorisations ending within four weeks, or ended by their date with nothing recorded.

    Cheap: the authorisations come from the same one query as the open periods
    (`selectors.legal_rows`, a UNION ALL shared in the request), so registering this provider
    adds no query to the record overview or the worklists."""
    horizon = today + timedelta(days=LIBERTY_NOTICE_DAYS)
    for found in open_liberty(list(person_ids)):
        if found.ends_on > horizon:
            continue
        url = reverse("legal:liberty", args=[found.person_id, found.pk])
        if found.ends_on < today:
            what = f"{found.get_kind_display()} expired: record a new authorisation or the end"
        else:
            what = f"{found.get_kind_display()} expires: a new authorisation is needed before then"
        yield DueItem(
            found.person_id,
            "liberty_expiry",
            what,
            found.ends_on,
            severity_for(found.ends_on, today),
            url,
        )
