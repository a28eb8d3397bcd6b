"""The permission table: what each role may do. It lives in `waypoint/accounts/permissions.py`
(beside the roles, so the person index's services can check it without importing `access`); this
name is the same module, so `waypoint.access.permissions` and `waypoint.accounts.permissions` are
one object with one table."""

import sys

from waypoint.accounts import permissions as _table

sys.modules[__name__] = _table
