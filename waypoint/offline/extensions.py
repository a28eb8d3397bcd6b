"""What the offline visit day plugs in: its two rows in the permission table. Registered from
OfflineConfig.ready()."""

from waypoint.accounts.permissions import EVERYONE_CLINICAL, register_action

TAKE_VISITS_OFFLINE = "take_visits_offline"
SEND_OFFLINE_RECORDS = "send_offline_records"


def register(app_config):
    from waypoint.accounts.signals import signed_out

    # Only when the worker signs out themselves: not when the idle timeout signs them out (Django's
    # user_logged_out), which is when a phone with no signal most needs its queue kept.
    signed_out.connect(_drop_held_keys, dispatch_uid="offline-drop-held-keys")
    register_action(
        TAKE_VISITS_OFFLINE,
        "Take the day's visits offline on a phone",
        EVERYONE_CLINICAL,
        module="offline",
        note="Only the visits in their own diary today, for people they may see.",
    )
    register_action(
        SEND_OFFLINE_RECORDS,
        "Send contacts and note drafts recorded offline",
        EVERYONE_CLINICAL,
        module="offline",
        note="Each item is then checked as its own action: record a contact, write a note.",
    )


def _drop_held_keys(sender, user, **kwargs):
    """Signing out: the phone's storage is wiped, and the worker's held keys go too (device.py)."""
    from . import device

    if user is not None and user.is_authenticated:
        device.drop_held_keys(user)
