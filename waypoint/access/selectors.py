from .models import BreakGlass


def break_glass_for_review(*, reviewed: bool, limit: int = 200):
    queryset = BreakGlass.objects.select_related("user", "person", "reviewed_by")
    queryset = queryset.filter(reviewed_at__isnull=not reviewed)
    return queryset.order_by("-reviewed_at" if reviewed else "started_at")[:limit]


def break_glass_by_id(grant_id):
    return BreakGlass.objects.select_related("user", "person", "reviewed_by").filter(pk=grant_id).first()


def current_supervisor(user, day=None):
    """The member of staff who supervises `user` today (the latest started), or None."""
    from .models import Supervision

    supervision = (
        Supervision.objects.current(day)
        .filter(supervisee=user, supervisor__is_active=True)
        .select_related("supervisor")
        .order_by("-started_on", "-pk")
        .first()
    )
    return supervision.supervisor if supervision else None
