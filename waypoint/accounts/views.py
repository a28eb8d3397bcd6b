from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import SignInForm
from .services import complete_sign_in


def sign_in(request):
    if request.user.is_authenticated:
        return redirect("patients:search")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        complete_sign_in(request, form.get_user())
        return HttpResponseRedirect(next_url or "/")
    return render(request, "accounts/sign_in.jinja", {"form": form, "next": next_url})


@require_POST
def sign_out(request):
    logout(request)
    return render(request, "accounts/signed_out.jinja")


def locked_out(request, credentials=None, *args, **kwargs):
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = (
        int(cool_off.total_seconds() // 60) if hasattr(cool_off, "total_seconds") else int(cool_off * 60)
    )
    if minutes % (24 * 60) == 0 and minutes >= 24 * 60:
        wait = f"{minutes // (24 * 60)} day" + ("s" if minutes > 24 * 60 else "")
    elif minutes % 60 == 0 and minutes >= 120:
        wait = f"{minutes // 60} hours"
    else:
        wait = f"{minutes} minute" + ("" if minutes == 1 else "s")
    return render(request, "accounts/locked_out.jinja", {"wait": wait}, status=429)
