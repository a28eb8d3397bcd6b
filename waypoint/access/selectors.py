from .models import BreakGlass


def break_glass_for_review(*, reviewed: bool, limit: int = 200):
    queryset = BreakGlass.objects.select_related("user", "person", "reviewed_by")
    queryset = queryset.filter(reviewed_at__isnull=not reviewed)
    return queryset.order_by("-reviewed_at" if reviewed else "started_at")[:limit]


def break_glass_by_id(grant_id):
    return BreakGlass.objects.select_related("user", "person", "reviewed_by").filter(pk=grant_id).first()
