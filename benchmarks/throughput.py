"""Throughput of the production server (issue 19 item 6): requests per second for the record
overview and person search, gunicorn with 2 workers, at concurrency 4 and 16, on loopback.

Not a test: run it by hand on a database holding a synthetic Trust, then put the figures in
docs/performance.md.

    .venv/bin/python benchmarks/throughput.py \\
        --database postgres://postgres@127.0.0.1:5432/wp_scale --seconds 30 --port 8711

No load tool (locust, wrk) is installed here, so the load comes from Python threads, each with its
own signed-in session (urllib; one request at a time per thread). On a 2-core machine the client
threads compete with the server for the same cores, so the figures are a lower bound on what the
server alone could do. gunicorn is started on `--port` and stopped by its own process id.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_all import (  # noqa: E402
    REDIS,
    RESULTS,
    ROOT,
    HttpSession,
    percentile,
    server_database_url,
    stop_server,
)


def targets(database_url):
    """The URLs timed: the demo coordinator's first person's record, and searches for them."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings.local",
    }
    code = (
        "import django, json; django.setup()\n"
        "from django.utils import timezone\n"
        "from waypoint.episodes.models import Allocation, AllocationKind\n"
        "a = Allocation.objects.current(timezone.now()).filter(worker__username='coordinator', "
        "kind=AllocationKind.CARE_COORDINATOR).select_related('person').order_by('pk').first()\n"
        "p = a.person\n"
        "print(json.dumps({'Record overview': f'/people/{p.pk}/', "
        "'Search by NHS number': f'/people/?q={p.nhs_number}', "
        "'Search by part of a family name': f'/people/?q={p.family_name[:4]}'}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def start_server(database_url, port, workers):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings.production",
        "DATABASE_URL": server_database_url(database_url),
        "WAYPOINT_SECRET_KEY": "benchmark-only-" + "x" * 60,
        "WAYPOINT_CACHE_URL": REDIS,
        "WAYPOINT_HTTPS": "false",
        "WAYPOINT_MFA_REQUIRED": "false",
        "WAYPOINT_BIND": f"127.0.0.1:{port}",
        "WAYPOINT_WORKERS": str(workers),
        "WAYPOINT_WORKER_TIMEOUT_SECONDS": "120",
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
    deadline = time.monotonic() + 120
    while True:
        try:
            HttpSession(base).get("/health/")
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                stop_server(server)
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.5)


def load(sessions, url, seconds):
    """Each session requests `url` in a loop for `seconds`; returns (count, latencies ms, errors)."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def run(session):
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _ = session.get(url)
                ok = status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=run, args=(session,)) for session in sessions]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), time.monotonic() - began, latencies, errors[0]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--port", type=int, default=8711)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, action="append", default=None)
    args = parser.parse_args()
    levels = args.concurrency or [4, 16]
    urls = targets(args.database)
    server, base = start_server(args.database, args.port, args.workers)
    password = os.environ.get("WAYPOINT_DEMO_PASSWORD", "waypoint-demo-2026")
    rows = []
    try:
        sessions = []
        for _ in range(max(levels)):
            session = HttpSession(base)
            session.sign_in("coordinator", password)
            sessions.append(session)
        for name, url in urls.items():
            sessions[0].get(url)  # warm both workers' caches
            sessions[1].get(url)
            for level in levels:
                count, elapsed, latencies, errors = load(sessions[:level], url, args.seconds)
                row = {
                    "page": name,
                    "concurrency": level,
                    "requests": count,
                    "errors": errors,
                    "per_second": round(count / elapsed, 1),
                    "median_ms": round(statistics.median(latencies), 1) if latencies else None,
                    "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
                }
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    finally:
        stop_server(server)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "workers": args.workers,
        "seconds": args.seconds,
        "client": "Python threads (urllib), one session each",
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%dT%H%M}-throughput.json"
    path.write_text(json.dumps(report, indent=2))
    print("| Page | Concurrency | Requests per second | Median / p95 ms | Errors |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['page']} | {row['concurrency']} | {row['per_second']} | "
            f"{row['median_ms']} / {row['p95_ms']} | {row['errors']} |"
        )
    print(f"\nWritten to {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
