"""The steps of signing in, kept in the session between the password and `complete_sign_in`.

1. Password (the sign-in form, through django-axes). The user is stored as *pending* in the
   session (under a new session key); nobody is signed in yet.
2. Code, if the user has set up an authenticator app (always asked once set up, even where MFA
   is not required). Asked before a new password, so that a password alone cannot change it.
3. New password, if the account's password was given by the staff import or an administrator.
4. Setting up an authenticator app, where MFA is required and the user has none yet; ends with
   the recovery codes, shown once.
Only then is `complete_sign_in` called. A pending sign-in lasts WAYPOINT_SIGN_IN_STEP_MINUTES,
and is dropped if the account is disabled or its sessions are ended meanwhile.
"""

import time

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django_otp.models import Device

from .models import User
from .services import complete_sign_in, has_second_factor

PENDING = "waypoint_pending_sign_in"

NEW_PASSWORD, CODE, SET_UP = "new_password", "code", "set_up"
STEP_URLS = {
    NEW_PASSWORD: "accounts:sign_in_new_password",
    CODE: "accounts:sign_in_code",
    SET_UP: "accounts:sign_in_set_up",
}


def start(request, user, next_url):
    request.session.cycle_key()
    request.session[PENDING] = {
        "user_id": user.pk,
        "started_at": time.time(),
        "next": next_url,
        "generation": user.session_generation,
        "device": None,  # persistent id of the device whose code was checked
        "enrolling_device_id": None,
    }


def state(request):
    return request.session.get(PENDING)


def update(request, **changes):
    pending = dict(request.session[PENDING])
    pending.update(changes)
    request.session[PENDING] = pending


def clear(request):
    request.session.pop(PENDING, None)


def pending_user(request):
    """The user part-way through signing in in this session, or None (and the state dropped)."""
    pending = state(request)
    if not pending:
        return None
    too_old = time.time() - pending["started_at"] > settings.WAYPOINT_SIGN_IN_STEP_MINUTES * 60
    user = None if too_old else User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None or user.session_generation != pending["generation"]:
        clear(request)
        return None
    return user


def next_step(request, user):
    pending = state(request)
    if pending["device"] is None and has_second_factor(user):
        return CODE
    if user.must_change_password:
        return NEW_PASSWORD
    if settings.WAYPOINT_MFA_REQUIRED and pending["device"] is None:
        return SET_UP
    return None


def advance(request, user):
    """Go to the next step, or finish signing in when none is left."""
    step = next_step(request, user)
    if step is not None:
        return redirect(STEP_URLS[step])
    pending = state(request)
    device = Device.from_persistent_id(pending["device"]) if pending["device"] else None
    next_url = pending["next"]
    clear(request)
    complete_sign_in(request, user, device=device)
    response = HttpResponseRedirect(next_url or "/")
    # The offline visit day's marker cookie names the key of the last session on this browser: a
    # new sign-in ends its use, so what someone else left on the phone cannot be opened by whoever
    # signs in now. Only the same worker gets it back, from Waypoint (docs/offline.md, "Held keys").
    response.delete_cookie("waypoint_offline", path="/visits/", samesite="Strict")
    return response
