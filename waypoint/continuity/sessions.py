"""Sessions that survive a database that refuses writes, while Waypoint is read-only.

Waypoint moves a session's idle clock on at most once a minute (`SessionLifetimeMiddleware`),
which saves the session. On a read-only database (a failover) that save fails and the page with
it. This store is production's `cached_db` store with one difference: while read-only mode is
on, a save the database refuses is kept in the cache only (Redis in production, shared by every
server), so staff already signed in keep reading, and their idle clock keeps moving.
`SESSION_ENGINE = "waypoint.continuity.sessions"` (production settings).
"""

import logging

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.db import DatabaseError

from . import state

log = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create)
        except (DatabaseError, UpdateError):  # the db store turns a refused update into UpdateError
            if not state.is_read_only() or self.session_key is None:
                raise
            log.warning("Read-only: the database refused a session save; kept in the cache only")
            self._cache.set(self.cache_key, self._get_session(no_load=must_create), self.get_expiry_age())
