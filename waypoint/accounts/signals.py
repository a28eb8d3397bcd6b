"""Signals the accounts app sends.

`signed_out`: the user chose to sign out (the Sign out button), sent after the session is flushed,
with `user` and `request`. Not sent when Waypoint signs someone out itself (the idle timeout, the
session's maximum age, ended sessions): Django's own `user_logged_out` is sent for all of those.
The offline visit day deletes the worker's held keys on it (waypoint/offline/device.py).
"""

from django.dispatch import Signal

signed_out = Signal()
