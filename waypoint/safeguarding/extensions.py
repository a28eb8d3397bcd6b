"""What safeguarding plugs in: the "Safeguarding and incidents" tab of the record with the person's
concerns on it, the open-concern line in the person banner, and referrals with no outcome on the
worklist. Registered from SafeguardingConfig.ready()."""

TAB = "safety"


def register():
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
    from waypoint.patients.record_sections import (
        BannerItem,
        RecordSection,
        RecordTab,
        register_banner_item,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from .selectors import concerns_of, open_concern_banner
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
    register_banner_item(BannerItem("safeguarding", 20, "safeguarding/_banner.jinja", open_concern_banner))
    register_provider("safeguarding_referral_outcome", referral_outcome_overdue)
