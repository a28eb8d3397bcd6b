from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import sign_in_steps as steps
from .forms import ChangePasswordForm, CodeForm, NewPasswordForm, SignInForm
from .services import (
    change_password,
    code_wait_seconds,
    complete_sign_in,
    confirm_totp_enrolment,
    start_totp_enrolment,
    totp_qr_code_data_uri,
    totp_secret_for_typing,
    verify_second_factor,
)
from .signals import signed_out

TOO_SLOW = "Your sign-in took too long or was interrupted. Sign in again."


def _wait_message(seconds):
    unit = "second" if seconds == 1 else "seconds"
    return f"You entered a wrong code a moment ago. Wait {seconds} {unit}, then enter the code the app shows"


def sign_in(request):
    if request.user.is_authenticated:
        return redirect("patients:search")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        steps.start(request, user, next_url)
        return steps.advance(request, user)
    return render(request, "accounts/sign_in.jinja", {"form": form, "next": next_url})


def _pending_or_restart(request, step):
    """The user part-way through signing in, if `step` is the one they are on; otherwise a
    response sending them where they should be."""
    if request.user.is_authenticated:
        return None, redirect("home")
    user = steps.pending_user(request)
    if user is None:
        messages.info(request, TOO_SLOW)
        return None, redirect("accounts:sign_in")
    if steps.next_step(request, user) != step:
        return None, steps.advance(request, user)
    return user, None


def sign_in_new_password(request):
    user, elsewhere = _pending_or_restart(request, steps.NEW_PASSWORD)
    if elsewhere:
        return elsewhere
    form = NewPasswordForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(user, form.cleaned_data["new_password1"])
        return steps.advance(request, user)
    return render(request, "accounts/sign_in_new_password.jinja", {"form": form})


def sign_in_set_up(request):
    user, elsewhere = _pending_or_restart(request, steps.SET_UP)
    if elsewhere:
        return elsewhere
    device = start_totp_enrolment(user, steps.state(request)["enrolling_device_id"])
    steps.update(request, enrolling_device_id=device.pk)
    form = CodeForm(
        data=request.POST or None,
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for Waypoint",
    )
    wait = code_wait_seconds(user, device) if request.method == "POST" else 0
    if wait and form.is_valid():
        form.add_error("code", _wait_message(wait))
    elif request.method == "POST" and form.is_valid():
        codes = confirm_totp_enrolment(user, device, form.cleaned_data["code"])
        if codes is not None:
            next_url = steps.state(request)["next"]
            steps.clear(request)
            complete_sign_in(request, user, device=device)
            return render(request, "accounts/recovery_codes.jinja", {"codes": codes, "next": next_url or "/"})
        form.add_error("code", "The code is not right. Enter the code the app shows now")
    context = {
        "form": form,
        "qr_code": totp_qr_code_data_uri(device),
        "secret": totp_secret_for_typing(device),
    }
    return render(request, "accounts/sign_in_set_up.jinja", context)


def sign_in_code(request):
    user, elsewhere = _pending_or_restart(request, steps.CODE)
    if elsewhere:
        return elsewhere
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        steps.clear(request)
        return locked_out(request)
    form = CodeForm(
        data=request.POST or None,
        label="Code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
    )
    wait = code_wait_seconds(user) if request.method == "POST" else 0
    if wait and form.is_valid():
        # django-otp is still slowing down guesses after a wrong code (already counted).
        form.add_error("code", _wait_message(wait))
    elif request.method == "POST" and form.is_valid():
        result = verify_second_factor(user, form.cleaned_data["code"])
        if result is not None:
            steps.update(request, device=result.device.persistent_id)
            if result.used_recovery_code:
                left = result.recovery_codes_left
                messages.info(
                    request,
                    f"You used a recovery code. You have {left} left. "
                    "Ask your system administrator to reset your sign-in codes if you have lost your phone.",
                )
            return steps.advance(request, user)
        # A wrong code counts towards the same lockout as a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            steps.clear(request)
            return locked_out(request)
        form.add_error("code", "The code is not right. Enter the code your authenticator app shows now")
    return render(request, "accounts/sign_in_code.jinja", {"form": form})


def change_own_password(request):
    form = ChangePasswordForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(request.user, form.cleaned_data["new_password1"], request=request)
        messages.info(request, "Your password has been changed.")
        return redirect("home")
    return render(request, "accounts/change_password.jinja", {"form": form})


@require_POST
def sign_out(request):
    user = request.user
    logout(request)  # flushes the session, and with it the key of the offline visit day
    signed_out.send(sender=sign_out, user=user, request=request)  # and the keys held for it
    response = render(request, "accounts/signed_out.jinja")
    # Wipe what this browser keeps for Waypoint: the visit day's key and its encrypted copy in
    # IndexedDB, the service worker and its cache (docs/offline.md), and the key's marker cookie.
    response["Clear-Site-Data"] = '"storage"'
    response.delete_cookie("waypoint_offline", path="/visits/", samesite="Strict")
    return response


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
