"""What `access` plugs in: the team relationship, and the policy behind `Person.objects.visible_to`. Registered from AccessConfig.ready()."""

from waypoint.audit.models import Basis


def register():
    from django.core import checks

    from waypoint.accounts.permissions import check_trust_file

    checks.register(check_trust_file)  # a bad WAYPOINT_PERMISSIONS_FILE stops Waypoint starting
    from waypoint.patients.models import set_visibility_policy

    from .policy import register_relationship, visible_condition, visible_person_ids
    from .relationships import team_relationship

    register_relationship(Basis.TEAM, team_relationship)
    set_visibility_policy(visible_person_ids, visible_condition)
