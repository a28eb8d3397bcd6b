"""What medicines plug in: the allergies line in the person banner, the Medicines tab and its
sections, and the worklist providers (depot due or late, escalation, the annual physical health
check, red flags without an action, antipsychotic monitoring). Registered from
MedicinesConfig.ready()."""

TAB = "medicines"


def register(app_config=None):
    from waypoint.accounts.permissions import (
        EVERYONE_CLINICAL,
        REGISTERED_CLINICIANS,
        register_action,
    )

    register_action(
        "record_medicine",
        "Record or stop a medicine, an allergy or no known allergies",
        REGISTERED_CLINICIANS,
        module="medicines",
    )
    register_action(
        "prescribe_depot", "Record or stop a depot prescription", REGISTERED_CLINICIANS, module="medicines"
    )
    register_action(
        "assign_depot_nurse",
        "Choose the nurse who gives a depot (it shows in their My diary)",
        REGISTERED_CLINICIANS,
        module="medicines",
    )
    register_action(
        "give_depot",
        "Record a depot injection given or not given, or correct one",
        REGISTERED_CLINICIANS,
        module="medicines",
    )
    register_action(
        "record_physical_health",
        "Record a physical health check, a flag's action or a brief intervention",
        EVERYONE_CLINICAL,
        module="medicines",
    )
    from django.db.models.signals import post_migrate

    from waypoint.contacts.registry import (
        ContactFormPart,
        register_contact_form_part,
        register_diary_source,
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

    from . import contact_part, diary, selectors, worklist
    from .apps import ensure_sqlite_triggers

    register_banner_item(
        BannerItem("allergies", 10, "medicines/_banner_allergies.jinja", selectors.allergy_banner)
    )
    register_tab(RecordTab(TAB, "Medicines", 70, namespaces=("medicines",)))
    register_section(
        RecordSection(
            "medicines", 10, "medicines/_section_medicines.jinja", selectors.medicines_section, tabs=(TAB,)
        )
    )
    register_section(
        RecordSection("depots", 11, "medicines/_section_depots.jinja", selectors.depots_section, tabs=(TAB,))
    )
    register_section(
        RecordSection(
            "physical_health",
            12,
            "medicines/_section_physical_health.jinja",
            selectors.physical_health_section,
            tabs=(TAB,),
        )
    )
    register_diary_source(diary.KIND, diary.depot_entries)
    register_contact_form_part(
        ContactFormPart(
            contact_part.KEY,
            10,
            contact_part.TEMPLATE,
            contact_part.form,
            contact_part.save,
            page_template=contact_part.PAGE_TEMPLATE,
            loader=contact_part.loader,
        )
    )
    register_provider(worklist.DEPOT_DUE, worklist.depot_items)
    register_provider(worklist.DEPOT_ESCALATED, worklist.depot_escalations)
    register_provider(worklist.CHECK_DUE, worklist.check_items)
    register_provider(worklist.FLAG_UNACTIONED, worklist.flag_items)
    register_provider(worklist.MONITORING, worklist.monitoring_items)
    if app_config is not None:
        post_migrate.connect(
            ensure_sqlite_triggers, sender=app_config, dispatch_uid="medicines_sqlite_triggers"
        )
