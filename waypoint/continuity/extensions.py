"""What continuity plugs in: the permission to download a team's downtime pack, and the start-up
check of the pack's public keys. Registered from ContinuityConfig.ready()."""


def register():
    from django.core import checks

    from waypoint.accounts.permissions import TEAM_STAFF, register_action

    register_action(
        "download_downtime_pack",
        "Download the team's downtime pack",
        TEAM_STAFF,
        module="continuity",
        note="Only the pack of a team the member of staff belongs to.",
    )
    checks.register(check_pack_recipients)


def check_pack_recipients(app_configs=None, **kwargs):
    """waypoint.E170: every WAYPOINT_DOWNTIME_PACK_RECIPIENTS entry must be an age public key; a
    private key (AGE-SECRET-KEY-...) there is refused, since it must never sit beside the packs."""
    import pyrage
    from django.conf import settings
    from django.core.checks import Error

    errors = []
    for key in settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS:
        if key.strip().upper().startswith("AGE-SECRET-KEY-"):
            errors.append(
                Error(
                    "WAYPOINT_DOWNTIME_PACK_RECIPIENTS holds a private key. Give Waypoint only the public "
                    "key (age1...); the private key stays with the Trust's key holders.",
                    id="waypoint.E170",
                )
            )
            continue
        try:
            pyrage.x25519.Recipient.from_str(key.strip())
        except Exception:  # pyrage raises its own RecipientError and ValueError
            errors.append(
                Error(
                    f"WAYPOINT_DOWNTIME_PACK_RECIPIENTS: {key[:12]!r}... is not an age public key (age1...).",
                    id="waypoint.E170",
                )
            )
    return errors
