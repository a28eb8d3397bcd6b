"""What safeguarding plugs in: the "Safeguarding and incidents" tab of the record with the person's
concerns on it, the open-concern line in the person banner, and referrals with no outcome on the
worklist. Registered from SafeguardingConfig.ready()."""

TAB = "safety"


def register(app_config=None):
    from django.db.models.signals import post_migrate

    from waypoint.accounts.permissions import (
        TEAM_STAFF,
        register_action,
    )

    register_action(
        "raise_safeguarding",
        "Raise, update or close a safeguarding concern",
        TEAM_STAFF,
        module="safeguarding",
    )
    from django.utils.timezone import localdate

    from waypoint.patients.record_sections import (
        BannerItem,
        RecordSection,
        RecordTab,
        register_banner_item,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from .selectors import concerns_of, current_household_children, open_concern_banner
    from .worklist import referral_outcome_overdue

    register_tab(RecordTab(TAB, "Safeguarding and incidents", 70, namespaces=("safeguarding", "incidents")))
    register_section(
        RecordSection(
            "safeguarding",
            1,
            "safeguarding/_person_section.jinja",
            lambda record: {"concerns": concerns_of(record.person)},
            tabs=(TAB,),
        )
    )
    register_section(
        RecordSection(
            "safeguarding_household",
            2,
            "safeguarding/_household_section.jinja",
            lambda record: {"members": current_household_children(record.person.pk), "today": localdate()},
            tabs=(TAB,),
        )
    )
    register_banner_item(BannerItem("safeguarding", 20, "safeguarding/_banner.jinja", open_concern_banner))
    register_provider("safeguarding_referral_outcome", referral_outcome_overdue)
    if app_config is not None:
        from .apps import ensure_sqlite_triggers

        post_migrate.connect(
            ensure_sqlite_triggers, sender=app_config, dispatch_uid="safeguarding_sqlite_triggers"
        )
