"""Production settings: secrets and hosts must come from the environment; HTTPS only.

Every variable is described in docs/deployment.md. `make serve` runs these settings on 127.0.0.1.
"""

from django.core.exceptions import ImproperlyConfigured

from waypoint.config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = env_str("WAYPOINT_SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("WAYPOINT_SECRET_KEY must be a random value of at least 50 characters.")

# HTTPS. Waypoint runs behind a TLS-terminating proxy (nginx, a load balancer) that sets
# X-Forwarded-Proto; the proxy must overwrite that header, never pass on a client's own. The name
# of the header is WAYPOINT_PROXY_SSL_HEADER (as Django spells it in request.META); empty trusts no
# header (Waypoint then serves HTTPS itself or not at all). WAYPOINT_HTTPS=false is ONLY for
# `make serve` on the loopback address: no redirect to https, cookies not marked Secure, no HSTS.
WAYPOINT_HTTPS = env_bool("WAYPOINT_HTTPS", True)
_proxy_header = env_str("WAYPOINT_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO").strip()
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
USE_X_FORWARDED_HOST = env_bool("WAYPOINT_USE_X_FORWARDED_HOST", False)
SECURE_SSL_REDIRECT = WAYPOINT_HTTPS
SECURE_HSTS_SECONDS = env_int("WAYPOINT_HSTS_SECONDS", 31536000) if WAYPOINT_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = WAYPOINT_HTTPS
SECURE_HSTS_PRELOAD = WAYPOINT_HTTPS
SESSION_COOKIE_SECURE = WAYPOINT_HTTPS
CSRF_COOKIE_SECURE = WAYPOINT_HTTPS
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in env_str("WAYPOINT_CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
# Hazard H3: the service refuses to start (config/wsgi.py) if its PostgreSQL role is a superuser,
# owns Waypoint's tables or the database, or may change or empty the audit table.
WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE = True

# Hazard H2: the per-user limit on traces (django-ratelimit) is counted in the default cache. With
# several server processes that must be one cache they all share, so production needs Redis
# (Django's own RedisCache backend); local memory would give each process its own count.
WAYPOINT_CACHE_URL = env_str("WAYPOINT_CACHE_URL")
if not WAYPOINT_CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "WAYPOINT_CACHE_URL must be a redis:// or rediss:// address: a cache every server process shares."
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": WAYPOINT_CACHE_URL}
}

# Sessions are read from Redis and written through to the database (cached_db), so a page view
# reads no session row and, as the session is saved only when it changes, writes none either.
# The database copy lets "end sessions" (sign out everywhere) delete them at once.
SESSION_ENGINE = (
    "waypoint.continuity.sessions"  # cached_db, kept in the cache while read-only (docs/continuity.md)
)

# Connection pooling (psycopg_pool) on PostgreSQL: each server process keeps a small pool of
# connections as the application role (the role in DATABASE_URL; migrations run in their own
# process as the owner). A pool replaces persistent connections (CONN_MAX_AGE must be 0).
# WAYPOINT_DB_POOL=false goes back to one persistent connection per process.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("WAYPOINT_DB_POOL", True):
    _pool = {
        "min_size": env_int("WAYPOINT_DB_POOL_MIN", 1, maximum=100),
        "max_size": env_int("WAYPOINT_DB_POOL_MAX", 4, maximum=100),
        "timeout": env_int("WAYPOINT_DB_POOL_TIMEOUT_SECONDS", 10, maximum=120),
    }
    # A new dict: base's own stays as it was (tests import these settings beside the live ones).
    _default = {k: v for k, v in DATABASES["default"].items() if k != "CONN_HEALTH_CHECKS"}
    DATABASES = {
        **DATABASES,
        "default": {**_default, "CONN_MAX_AGE": 0, "OPTIONS": {**_default.get("OPTIONS", {}), "pool": _pool}},
    }
