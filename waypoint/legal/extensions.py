"""What legal status plugs in: the Legal tab, the banner line, worklist items, the AMHP relationship.

Registered from LegalConfig.ready()."""

TAB = "legal"


def register():
    from waypoint.access.policy import register_relationship
    from waypoint.audit.models import Basis
    from waypoint.patients.record_sections import BannerItem, RecordTab, register_banner_item, register_tab
    from waypoint.worklist.registry import register_provider

    from . import relationships, selectors, worklist

    register_tab(RecordTab(TAB, "Legal", 65, url_name="legal:index", namespaces=("legal",)))
    register_banner_item(BannerItem("legal_status", 20, "legal/_banner.jinja", selectors.banner_status))
    register_provider("mha_rights", worklist.rights_due)
    register_provider("mha_expiry", worklist.expiry_due)
    register_relationship(Basis.AMHP, relationships.amhp_relationship)
    register_relationship(Basis.BIA, relationships.bia_relationship)
