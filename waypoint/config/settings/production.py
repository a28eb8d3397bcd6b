"""Production settings: secrets and hosts must come from the environment; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from waypoint.config.env import env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("WAYPOINT_SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("WAYPOINT_SECRET_KEY must be a random value of at least 50 characters.")
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("WAYPOINT_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
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
