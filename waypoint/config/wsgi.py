import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings.production")
application = get_wsgi_application()

# Hazard H3: in production, refuse to start as a superuser or the owner of Waypoint's tables.
from waypoint.audit.dbroles import refuse_privileged_role_at_start_up  # noqa: E402

refuse_privileged_role_at_start_up()
