"""gunicorn's settings for Waypoint (`make serve`, docs/deployment.md): `gunicorn -c python:waypoint.config.gunicorn`.

Sync workers, one request at a time each: Waypoint's pages are short database-bound requests, and
a slow client is the TLS proxy's to buffer, not a worker's. Every value can be set from the
environment; the defaults are for one small machine.
"""

import os

bind = os.environ.get("WAYPOINT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WAYPOINT_WORKERS", "2"))
worker_class = "sync"
# A worker that takes longer than this on one request is restarted (and the request fails).
timeout = int(os.environ.get("WAYPOINT_WORKER_TIMEOUT_SECONDS", "30"))
graceful_timeout = 30
keepalive = 5
# Restart each worker after this many requests (with jitter), so memory never creeps up.
max_requests = int(os.environ.get("WAYPOINT_WORKER_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
wsgi_app = "waypoint.config.wsgi:application"
accesslog = os.environ.get("WAYPOINT_ACCESS_LOG", "-")
errorlog = "-"
# The access log names no query strings: searches carry NHS numbers and names.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Trust X-Forwarded-* only from the proxy in front (loopback by default).
forwarded_allow_ips = os.environ.get("WAYPOINT_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket: it would live in the home folder, shared by every gunicorn on the machine.
control_socket_disable = True
