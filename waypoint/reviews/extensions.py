"""What reviews plug in: the last and next review on the Plans tab, and the review due on the
worklist. Registered from ReviewsConfig.ready()."""


def register():
    from waypoint.patients.record_sections import RecordSection, register_section
    from waypoint.worklist.registry import register_provider

    from .selectors import review_summary
    from .worklist import review_due

    register_section(
        RecordSection(
            "reviews",
            9,
            "reviews/_person_section.jinja",
            lambda record: {**review_summary(record.person), "today": record.today},
            tabs=("plans",),
        )
    )
    register_provider("care_plan_review", review_due)
