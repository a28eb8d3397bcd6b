from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from waypoint.accounts.permissions import Do, permission
from waypoint.audit.models import Basis
from waypoint.core.submissions import once
from waypoint.patients import selectors as people

from . import selectors, services
from .forms import BreakGlassForm, ReviewForm
from .policy import actor_for
from .roles import privacy_officer_required


@once
def break_glass(request):
    """Ask for a reason, then grant time-limited access to one person's record."""
    form = BreakGlassForm(request.POST or None, initial={"nhs_number": request.GET.get("nhs_number", "")})
    if request.method == "POST" and form.is_valid():
        person = people.person_by_nhs_number(form.cleaned_data["nhs_number"])
        if person is None:
            form.add_error("nhs_number", "No person with this NHS number is registered")
        else:
            reason = form.cleaned_data["reason"].strip()
            services.start_break_glass(
                by=actor_for(request, Basis.BREAK_GLASS, break_glass_reason=reason),
                person=person,
                reason=reason,
            )
            messages.warning(request, "Emergency access started. It is recorded and will be reviewed.")
            return redirect("patients:detail", person.pk)
    return render(request, "access/break_glass.jinja", {"form": form})


@privacy_officer_required
def break_glass_list(request):
    show = request.GET.get("show", "awaiting")
    grants = selectors.break_glass_for_review(reviewed=(show == "reviewed"))
    return render(request, "access/break_glass_list.jinja", {"grants": grants, "show": show})


@permission(Do.REVIEW_BREAK_GLASS, hide=True)
def break_glass_review(request, grant_id):
    grant = selectors.break_glass_by_id(grant_id)
    if grant is None:
        raise Http404("Not found")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_break_glass(
            by=actor_for(request, Basis.PRIVACY_REVIEW), grant=grant, comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Review recorded")
        return redirect("access:break_glass_list")
    return render(request, "access/break_glass_review.jinja", {"grant": grant, "form": form})
