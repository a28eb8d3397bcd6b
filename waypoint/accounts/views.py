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
    return render(request, "accounts/locked_out.jinja", status=429)
