"""`make serve`: the production settings import, and gunicorn serving the WSGI app answers /health/.

Each check runs in a fresh Python process, as a server start does: the settings read the
environment once, at import.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS = "redis://127.0.0.1:6379/15"  # as test_production_cache: database 15 is the tests'


def serve_environment(tmp_path, **extra):
    """The environment `make serve` gives the server, with a fresh SQLite database of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAYPOINT_", "DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="waypoint.config.settings.production",
        WAYPOINT_SECRET_KEY="k" * 64,
        WAYPOINT_CACHE_URL=REDIS,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    )
    env.update(extra)
    return env


def settings_in_a_new_process(tmp_path, names, **extra):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=serve_environment(tmp_path, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_serve_settings_import(tmp_path):
    values = settings_in_a_new_process(
        tmp_path,
        ["DEBUG", "SESSION_ENGINE", "SESSION_SAVE_EVERY_REQUEST", "SECURE_SSL_REDIRECT", "STORAGES"],
        WAYPOINT_HTTPS="false",
    )
    assert values["DEBUG"] is False
    assert (
        values["SESSION_ENGINE"] == "waypoint.continuity.sessions"
    )  # cached_db that survives read-only mode
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False
    assert values["SECURE_SSL_REDIRECT"] is False  # plain HTTP on loopback only
    assert "CompressedManifest" in values["STORAGES"]["staticfiles"]["BACKEND"]


def test_behind_a_tls_proxy_by_default(tmp_path):
    values = settings_in_a_new_process(
        tmp_path,
        ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"],
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000


def test_postgresql_gets_a_connection_pool(tmp_path):
    url = "postgres://waypoint_app:secret@127.0.0.1:5432/waypoint"
    pooled = settings_in_a_new_process(tmp_path, ["DATABASES"], DATABASE_URL=url)["DATABASES"]["default"]
    assert pooled["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    plain = settings_in_a_new_process(tmp_path, ["DATABASES"], DATABASE_URL=url, WAYPOINT_DB_POOL="false")
    assert "pool" not in plain["DATABASES"]["default"].get("OPTIONS", {})


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is installed by `make install`")
def test_gunicorn_answers_health(tmp_path):
    port = free_port()
    env = serve_environment(tmp_path, WAYPOINT_BIND=f"127.0.0.1:{port}", WAYPOINT_WORKERS="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "python:waypoint.config.gunicorn"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"{base}/health/", {"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start within 60 seconds"
                time.sleep(0.3)
        assert (status, body) == (200, "ok")
        # Plain HTTP (no proxy saying it was HTTPS) is sent to https.
        status, location = get(f"{base}/health/")
        assert status == 301 and location.startswith("https://")
    finally:
        server.terminate()
        server.wait(timeout=30)
