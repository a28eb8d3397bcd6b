"""What the FHIR API plugs in: the "shared care record" relationship, by which a registered system
client (another system of the Trust's) may see the people currently in the Trust's care. Registered
from FhirConfig.ready()."""


def register(app_config):
    from waypoint.access.policy import register_relationship
    from waypoint.accounts.models import RoleCode
    from waypoint.accounts.permissions import register_action
    from waypoint.audit.models import Basis

    from .clients import shared_care_record_person_ids

    register_relationship(Basis.SHARED_CARE_RECORD, shared_care_record_person_ids)
    register_action(
        "review_system_clients",
        "See the registered FHIR system clients and what each has read",
        {RoleCode.PRIVACY_OFFICER, RoleCode.SYSTEM_ADMINISTRATOR},
        module="fhir",
        note="A page only: clients are registered with `manage.py register_fhir_client`",
    )
