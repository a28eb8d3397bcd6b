"""What the reports app plugs in: its own reports. Other modules add reports
(`registry.register_report`) from their own extensions.py. The 4-week standard report times
referrals with the measures module's clock (`measures/four_week.py`)."""


def register():
    from waypoint.accounts.permissions import (
        R,
        register_action,
    )

    register_action(
        "run_mhsds_extract", "Produce the monthly MHSDS submission", {R.INFORMATION_ANALYST}, module="reports"
    )
    from . import figures
    from .registry import Report, register_report

    for report in (
        Report("referrals_by_source", "Referrals received by source", 10, figures.referrals_by_source),
        Report("contact_waits", "Referral to first and second attended contact", 20, figures.contact_waits),
        Report("four_week_standard", "The 4-week waiting time standard", 30, figures.four_week_standard),
        Report("waiting_list", "Waiting list over time", 40, figures.waiting_list_over_time),
        Report("caseloads", "Caseload per care coordinator", 50, figures.caseloads),
        Report(
            "contacts", "Contacts per month, did not attend and cancellations", 60, figures.contacts_by_month
        ),
        Report(
            "care_plans",
            "Care plans agreed and reviewed within 12 months",
            70,
            figures.care_plans,
            people=figures.without_a_current_care_plan,
            people_label="People with no care plan agreed or reviewed in the last 12 months",
        ),
        Report("carers", "Carers identified and assessments offered", 80, figures.carers),
        Report(
            "disengagement",
            "People with a disengagement alert",
            90,
            figures.disengagement,
            people=figures.disengaged_people,
            people_label="People with a disengagement alert",
        ),
    ):
        register_report(report)
    from . import module_figures

    module_figures.register(register_report, Report)
    from . import mhsds, mhsds_modules

    mhsds_modules.register(mhsds.register_table)
