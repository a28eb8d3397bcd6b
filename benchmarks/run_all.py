"""Benchmark suite: the pages a clinician uses every day, at two (or more) sizes of synthetic Trust.

Not a test: run it by hand, then put the summary in docs/performance.md. Each `--database` is a
PostgreSQL (or SQLite) database already holding a synthetic Trust (`build_demo_trust --size N`);
the suite runs each in its own process (settings are read once per process) and writes one file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_small .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py build_demo_trust --size 1000      # and 20000, ...
    .venv/bin/python benchmarks/run_all.py \\
        --database postgres://postgres@127.0.0.1:5432/wp_small \\
        --database postgres://postgres@127.0.0.1:5432/wp_large --repeat 30 --http

For every page it records the median and 95th percentile of the server time and the number of
queries, in process (Django's test client, as the demo `coordinator`, and as `manager` or
`privacy` where the page is theirs) and, with `--http`, over HTTP through gunicorn with 2 workers
and the production settings (`make serve`'s), timed from the client on loopback. Results go to
`benchmarks/results/<UTC date and time>.json` and a Markdown table is printed.

`--legacy-policy` puts back the access policy's old form (`pk IN (a) OR pk IN (b) ...`) to show
what the correlated EXISTS form (access/policy.py `visible_condition`) changed.
"""

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
SLOW_MS = 2000
REDIS = os.environ.get("WAYPOINT_BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarise(times_ms):
    return {
        "median_ms": round(statistics.median(times_ms), 1),
        "p95_ms": round(percentile(times_ms, 0.95), 1),
    }


def pages(person, coordinator_name):
    """(name, user, url) for every page timed. `person` is on the demo coordinator's caseload."""
    from django.urls import NoReverseMatch, reverse

    from waypoint.patients import record_sections

    search = reverse("patients:search")
    wanted = [
        ("Search by NHS number", "coordinator", f"{search}?q={person.nhs_number}"),
        ("Search by part of a family name", "coordinator", f"{search}?q={person.family_name[:4]}"),
        ("Search by date of birth", "coordinator", f"{search}?q={person.date_of_birth:%d/%m/%Y}"),
        ("Record overview", "coordinator", reverse("patients:detail", args=[person.pk])),
    ]
    for tab in record_sections.tabs():
        if tab.key != record_sections.OVERVIEW and not tab.url_name:
            wanted.append(
                (
                    f"Record: {tab.label}",
                    "coordinator",
                    reverse(f"patients:record_{tab.key}", args=[person.pk]),
                )
            )
    for name, user, url_name, args in [
        ("Notes list", "coordinator", "notes:list", [person.pk]),
        ("Plans", "coordinator", "plans:index", [person.pk]),
        ("Contacts list", "coordinator", "contacts:contacts", [person.pk]),
        ("My caseload (demo coordinator)", "coordinator", "worklist:my_caseload", []),
        ("Team worklist (manager)", "manager", "worklist:team", []),
        ("Waiting list", "manager", "referrals:waiting_list", []),
        ("Waiting list as CSV", "manager", "referrals:waiting_list", []),
        ("Duty board", "coordinator", "duty:board", []),
        ("My diary", "coordinator", "contacts:diary", []),
        ("Clinic list", "coordinator", "contacts:clinic", []),
        ("Access history of a person (privacy officer)", "privacy", "audit:access_history", [person.pk]),
    ]:
        try:
            url = reverse(url_name, args=args)
            wanted.append((name, user, url + "?format=csv" if name.endswith("as CSV") else url))
        except NoReverseMatch:
            continue
    return wanted


def install_legacy_policy():
    """The policy as it was before issue 19: an OR of `pk IN (subquery)`, one per relationship."""
    from waypoint.access import policy
    from waypoint.access.models import BreakGlass
    from waypoint.patients import models as patient_models
    from waypoint.patients.models import Person

    def legacy_ids(user, now=None):
        from django.utils import timezone

        now = now or timezone.now()
        queryset = Person.objects.filter(
            pk__in=BreakGlass.objects.active(now).filter(user=user).values("person_id")
        )
        for provider in policy._providers.values():
            queryset = queryset | Person.objects.filter(pk__in=provider(user, now))
        return queryset.values("pk")

    patient_models.set_visibility_policy(legacy_ids)


def measure_in_process(args):
    """Runs inside the child process for one database: returns the results for that size."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from waypoint.accounts.models import User
    from waypoint.audit.models import AuditEvent
    from waypoint.episodes.models import Allocation, AllocationKind
    from waypoint.patients.models import Person

    if args.legacy_policy:
        install_legacy_policy()
    now = timezone.now()
    caseload = Allocation.objects.current(now).filter(
        worker__username="coordinator", kind=AllocationKind.CARE_COORDINATOR
    )
    person = caseload.select_related("person").order_by("pk").first().person
    size = Person.objects.count()
    clients = {}
    for username in ("coordinator", "manager", "privacy"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/people/")  # the first request saves the session's sign-in times
        clients[username] = client
    results = []
    for name, username, url in pages(person, f"{caseload.count()} people"):
        client = clients[username]
        started = time.perf_counter()
        response = client.get(url)
        first_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            results.append({"page": name, "url": url, "status": response.status_code})
            continue
        times, queries = [], 0
        # A page slower than SLOW_MS is timed 3 times, not --repeat times (the run must end).
        for _ in range(args.repeat if first_ms < SLOW_MS else 3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        results.append(
            {"page": name, "url": url, "queries": queries, **summarise(times), "bytes": len(response.content)}
        )
        print(f"  {name}: {queries} queries, {results[-1]['median_ms']} ms", file=sys.stderr, flush=True)
    return {
        "database": connection.vendor,
        "people": size,
        "audit_rows": AuditEvent.objects.count(),
        "coordinator_caseload": caseload.count(),
        "person_id": person.pk,
        "in_process": results,
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HttpSession:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def sign_in(self, username, password):
        _, body = self.get("/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/sign-in/", data=data, headers={"Referer": self.base + "/sign-in/"}
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()


def server_database_url(database_url):
    """gunicorn under production settings refuses a superuser: on PostgreSQL serve as the app role."""
    if not database_url.startswith("postgres"):
        return database_url
    env = {**os.environ, "DATABASE_URL": database_url}
    manage = [sys.executable, "manage.py", "database_roles"]
    subprocess.run([*manage, "setup", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    return subprocess.run(
        [*manage, "url", "app", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def measure_http(args, database_url, in_process):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings.production",
        "DATABASE_URL": server_database_url(database_url),
        "WAYPOINT_SECRET_KEY": "benchmark-only-" + "x" * 60,
        "WAYPOINT_CACHE_URL": REDIS,
        "WAYPOINT_HTTPS": "false",
        "WAYPOINT_MFA_REQUIRED": "false",  # the demo accounts have no authenticator app
        "WAYPOINT_BIND": f"127.0.0.1:{port}",
        "WAYPOINT_WORKERS": "2",
        "WAYPOINT_WORKER_TIMEOUT_SECONDS": "120",  # the team worklist at 20,000 people is slow
        "WAYPOINT_ACCESS_LOG": "/dev/null",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:waypoint.config.gunicorn"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/health/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.5)
        password = os.environ.get("WAYPOINT_DEMO_PASSWORD", "waypoint-demo-2026")
        sessions = {}
        for username in ("coordinator", "manager", "privacy"):
            sessions[username] = HttpSession(base)
            sessions[username].sign_in(username, password)
        results = []
        for row in in_process:
            if "queries" not in row:
                continue
            username = next(u for n, u, _ in PAGE_USERS if n == row["page"]) if PAGE_USERS else "coordinator"
            session = sessions[username]
            session.get(row["url"])  # warm the worker
            times = []
            for _ in range(args.repeat if row["median_ms"] < SLOW_MS else 3):
                started = time.perf_counter()
                status, _body = session.get(row["url"])
                times.append((time.perf_counter() - started) * 1000)
            results.append({"page": row["page"], "status": status, **summarise(times)})
        return results
    finally:
        stop_server(server)


PAGE_USERS: list = []


def stop_server(server):
    """Stop the gunicorn this script started (by its own process, never by name). Under heavy load
    the graceful stop can take longer than a minute; then it is killed."""
    server.terminate()
    try:
        server.wait(timeout=90)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def child(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings.local")
    os.environ["WAYPOINT_DEBUG"] = "false"
    os.environ.setdefault("WAYPOINT_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    result = measure_in_process(args)
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", action="append", required=True, help="a database URL (repeat for sizes)"
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--http", action="store_true", help="also time every page over HTTP through gunicorn")
    parser.add_argument("--legacy-policy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    runs = []
    started = datetime.now(UTC)
    for database_url in args.database:
        command = [
            sys.executable,
            __file__,
            "--child",
            "--database",
            database_url,
            "--repeat",
            str(args.repeat),
        ]
        if args.legacy_policy:
            command.append("--legacy-policy")
        output = subprocess.run(
            command,
            env={**os.environ, "DATABASE_URL": database_url},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        run = json.loads(output.strip().splitlines()[-1])
        run["database_url"] = re.sub(r"//[^@]*@", "//", database_url)
        if args.http:
            PAGE_USERS[:] = _page_users(run)
            run["http"] = measure_http(args, database_url, run["in_process"])
        runs.append(run)
        print(f"{run['people']:,} people: done", file=sys.stderr)
        # Written after each size, so a failure later in the run keeps what was measured.
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{started:%Y-%m-%dT%H%M}-partial.json").write_text(json.dumps(runs, indent=2))

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "repeat": args.repeat,
        "legacy_policy": args.legacy_policy,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%dT%H%M}{'-legacy' if args.legacy_policy else ''}.json"
    path.write_text(json.dumps(report, indent=2))
    print(markdown(report))
    print(f"\nWritten to {path.relative_to(ROOT)}", file=sys.stderr)


def _page_users(run):
    """Which demo account each page is timed as (the in-process run knows; HTTP signs in the same)."""
    users = {
        "Team worklist (manager)": "manager",
        "Waiting list": "manager",
        "Waiting list as CSV": "manager",
    }
    users["Access history of a person (privacy officer)"] = "privacy"
    return [(row["page"], users.get(row["page"], "coordinator"), row["url"]) for row in run["in_process"]]


def markdown(report):
    runs = report["runs"]
    header = (
        "| Page | "
        + " | ".join(
            f"{run['people']:,}: queries | in-process median / p95 ms"
            + (" | HTTP median / p95 ms" if "http" in run else "")
            for run in runs
        )
        + " |"
    )
    columns = header.count("|") - 1
    lines = [
        f"{report['when']}, {report['machine']}, {report['repeat']} requests per page",
        "",
        header,
        "|" + "---|" * columns,
    ]
    names = [row["page"] for row in runs[0]["in_process"]]
    for name in names:
        cells = []
        for run in runs:
            row = next((r for r in run["in_process"] if r["page"] == name), None)
            if row is None or "queries" not in row:
                cells += ["—", f"status {row['status'] if row else '—'}"]
            else:
                cells += [str(row["queries"]), f"{row['median_ms']} / {row['p95_ms']}"]
            if "http" in run:
                http = next((r for r in run["http"] if r["page"] == name), None)
                cells.append(f"{http['median_ms']} / {http['p95_ms']}" if http else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
