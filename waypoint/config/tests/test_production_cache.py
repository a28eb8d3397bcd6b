"""Production counts trace limits in one cache every server process shares (hazard H2)."""

import importlib
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

REDIS = "redis://127.0.0.1:6379/15"  # Redis runs on this machine and on CI; database 15 is the tests'


def production(monkeypatch, **env):
    monkeypatch.setenv("WAYPOINT_SECRET_KEY", "s" * 60)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("waypoint.config.settings.production", None)
    try:
        return importlib.import_module("waypoint.config.settings.production")
    finally:
        sys.modules.pop("waypoint.config.settings.production", None)


def test_production_needs_a_shared_cache(monkeypatch):
    monkeypatch.delenv("WAYPOINT_CACHE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured):
        production(monkeypatch)
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        production(monkeypatch, WAYPOINT_CACHE_URL="locmem://")


def test_two_server_processes_share_one_count(monkeypatch):
    """Two caches built from the production settings (as two server processes would) see one count."""
    settings = production(monkeypatch, WAYPOINT_CACHE_URL=REDIS).CACHES["default"]
    assert settings["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    first, second = (RedisCache(settings["LOCATION"], {}) for _ in range(2))
    key = f"waypoint-test-{uuid.uuid4().hex}"
    first.set(key, 0, 60)
    first.incr(key)
    second.incr(key)
    assert first.get(key) == second.get(key) == 2
    first.delete(key)
