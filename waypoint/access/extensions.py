"""What `access` plugs in: the team relationship. Registered from AccessConfig.ready()."""

from waypoint.audit.models import Basis


def register():
    from .policy import register_relationship
    from .relationships import team_relationship

    register_relationship(Basis.TEAM, team_relationship)
