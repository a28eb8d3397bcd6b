"""Settings for `make demo` and local development: the synthetic Trust is installed."""

from waypoint.config.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES, VAR_DIR, WAYPOINT_DOWNTIME_PACK_RECIPIENTS

DEBUG = env_bool("WAYPOINT_DEBUG", True)
INSTALLED_APPS = [*INSTALLED_APPS, "waypoint.demo"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True  # serve straight from node_modules and app folders
STATIC_ROOT = None  # nothing is collected locally
WAYPOINT_DEMO = True
WAYPOINT_MFA_REQUIRED = env_bool("WAYPOINT_MFA_REQUIRED", False)  # off in the demo; a banner says so
WAYPOINT_DEMO_PASSWORD = env_str("WAYPOINT_DEMO_PASSWORD", "waypoint-demo-2026")
# The demo's downtime pack key (NOT FOR PRODUCTION): unless WAYPOINT_DOWNTIME_PACK_RECIPIENTS is
# set, a demo key pair is made in var/ so the packs are built and open with no Waypoint
# (docs/continuity.md, "The demo's key"). settings.production never does this.
DEMO_DOWNTIME_PACK_KEY = VAR_DIR / "demo-downtime-pack-key.txt"
if not WAYPOINT_DOWNTIME_PACK_RECIPIENTS and env_bool("WAYPOINT_DEMO_DOWNTIME_KEY", True):
    from waypoint.continuity.demo_key import demo_recipient

    WAYPOINT_DOWNTIME_PACK_RECIPIENTS = [demo_recipient(DEMO_DOWNTIME_PACK_KEY)]
