"""What the offline visit day plugs in: its two rows in the permission table. Registered from
OfflineConfig.ready()."""

from waypoint.accounts.permissions import EVERYONE_CLINICAL, register_action

TAKE_VISITS_OFFLINE = "take_visits_offline"
SEND_OFFLINE_RECORDS = "send_offline_records"


def register(app_config):
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
