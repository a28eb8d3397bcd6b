"""Who may see the service reports, data quality and the MHSDS extract, and for which teams."""

from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode, Team

REPORT_ROLES = (RoleCode.TEAM_MANAGER, RoleCode.SERVICE_MANAGER, RoleCode.INFORMATION_ANALYST)
SERVICE_WIDE_ROLES = (RoleCode.SERVICE_MANAGER, RoleCode.INFORMATION_ANALYST)
# Data quality: managers and the admin and records officers who fix the records.
DATA_QUALITY_ROLES = (*REPORT_ROLES, RoleCode.RECORDS_OFFICER)

reports_required = require_role(*REPORT_ROLES)
data_quality_required = require_role(*DATA_QUALITY_ROLES)
information_required = require_role(RoleCode.INFORMATION_ANALYST)


def sees_whole_service(user) -> bool:
    return any(user.has_role(code) for code in SERVICE_WIDE_ROLES)


def teams_for(user) -> list[Team]:
    """Every active team for a service manager or analyst; otherwise the user's own current teams."""
    if sees_whole_service(user):
        return list(Team.objects.filter(is_active=True).order_by("name"))
    ids = user.current_team_ids()
    return list(Team.objects.filter(pk__in=ids).order_by("name"))
