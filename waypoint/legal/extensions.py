"""What legal status plugs in: the Legal tab, the banner line, worklist items, the AMHP relationship.

Registered from LegalConfig.ready()."""

TAB = "legal"


def register():
    from waypoint.accounts.permissions import (
        REGISTERED_CLINICIANS,
        R,
        register_action,
    )

    register_action(
        "record_legal_status",
        "Record Mental Health Act legal status (periods, renewals, leave, recall, discharge, corrections)",
        REGISTERED_CLINICIANS | {R.RECORDS_OFFICER},
        module="legal",
    )
    register_action(
        "record_rights",
        "Record that rights were explained (s132, s132A)",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "record_aftercare", "Record or end section 117 aftercare", REGISTERED_CLINICIANS, module="legal"
    )
    register_action(
        "request_mha_assessment",
        "Request a Mental Health Act assessment",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "record_liberty",
        "Record a DoLS authorisation, its assessments, extension, reviews and end",
        REGISTERED_CLINICIANS | {R.RECORDS_OFFICER},
        module="legal",
    )
    register_action(
        "allocate_bia",
        "Allocate a DoLS request waiting for a BIA to a Best Interests Assessor",
        {R.BIA, R.TEAM_MANAGER},
        module="legal",
    )
    register_action(
        "record_relative",
        "Record the nearest relative or nominated person, displacement, delegation, consultation",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "record_advance_decision",
        "Record an advance statement, advance decision or advance choice document",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "record_care_treatment_plan",
        "Record a statutory care and treatment plan (Mental Health Act 2025, once in force)",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "record_mca",
        "Record a capacity assessment, best interests decision, power of attorney or IMCA referral",
        REGISTERED_CLINICIANS,
        module="legal",
    )
    register_action(
        "amhp_work",
        "Take an AMHP request, record the assessment and set the AMHP rota",
        {R.AMHP},
        module="legal",
    )
    from waypoint.access.policy import register_relationship
    from waypoint.audit.models import Basis
    from waypoint.patients.record_sections import BannerItem, RecordTab, register_banner_item, register_tab
    from waypoint.worklist.registry import register_provider

    from . import relationships, selectors, worklist

    register_tab(RecordTab(TAB, "Legal", 65, url_name="legal:index", namespaces=("legal",)))
    register_banner_item(BannerItem("legal_status", 20, "legal/_banner.jinja", selectors.banner_status))
    register_provider("mha_rights", worklist.rights_due)
    register_provider("mha_expiry", worklist.expiry_due)
    register_provider("liberty_expiry", worklist.liberty_expiry_due)
    register_relationship(Basis.AMHP, relationships.amhp_relationship)
    register_relationship(Basis.BIA, relationships.bia_relationship)

    from django.apps import apps
    from django.db.models.signals import post_migrate

    from .apps import ensure_sqlite_triggers

    post_migrate.connect(
        ensure_sqlite_triggers, sender=apps.get_app_config("legal"), dispatch_uid="legal_sqlite_triggers"
    )
