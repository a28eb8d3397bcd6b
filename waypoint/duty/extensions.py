"""What duty plugs in: the duty relationship and calls to duty on the "Referrals and episodes" tab.
Registered from DutyConfig.ready()."""

from waypoint.audit.models import Basis


def register():
    from waypoint.access.policy import register_relationship
    from waypoint.patients.record_sections import RecordSection, register_section

    from .relationships import duty_relationship
    from .selectors import enquiries_about

    register_relationship(Basis.DUTY, duty_relationship)
    register_section(
        RecordSection(
            "duty_enquiries",
            15,
            "duty/_person_section.jinja",
            lambda record: {"enquiries": enquiries_about(record.person)},
            tabs=("episodes",),
        )
    )
