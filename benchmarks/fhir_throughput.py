"""Benchmark: FHIR reads and searches a second over HTTP, through gunicorn with 2 sync workers
under production settings, at concurrency 4 and 16 (issue 16: at least 500 reads and 150 searches
a second at concurrency 16 on the 2-core machine, 250,000 people, PostgreSQL).

Not a test: run it by hand and put the figures in docs/fhir.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_fhir \\
        .venv/bin/python benchmarks/fhir_throughput.py --port 8712 --duration 20

The database must already hold a synthetic Trust (`manage.py build_demo_trust --size N`). The
script registers a benchmark system client (shared care record basis: everyone with an open
episode of care) and gives it a token for the run, starts its own gunicorn on `--port` (and stops
only that process), and for each concurrency sends for `--duration` seconds:

- reads: `GET /fhir/R4/Patient/<id>` for people the client may see, chosen at random;
- searches: `GET /fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|<n>` and
  `GET /fhir/R4/EpisodeOfCare?patient=<id>`, alternately.

The load generator is aiohttp (asyncio, one connection per concurrent client, keep-alive) in this
process: it runs on the same 2 CPUs as the server and PostgreSQL, so the figures are a floor for
the server, not its ceiling. Every request is audited, as in production (an audit row per person).
"""

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings.local")
os.environ.setdefault("WAYPOINT_DEBUG", "false")
os.environ.setdefault("WAYPOINT_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
REDIS = os.environ.get("WAYPOINT_BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
CLIENT_NAME = "FHIR throughput benchmark"


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def prepare(sample: int):
    """The benchmark client's token (valid for the run) and the people and NHS numbers to ask for."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from waypoint.accounts.models import Role, RoleCode, User
    from waypoint.fhir.models import SystemClient
    from waypoint.patients.models import Person

    service, _ = User.objects.get_or_create(
        username="system.fhir-benchmark",
        defaults={"first_name": CLIENT_NAME, "last_name": "(system client)"},
    )
    service.roles.add(Role.objects.get(code=RoleCode.SYSTEM_CLIENT))
    application, _ = Application.objects.get_or_create(
        name=CLIENT_NAME,
        user=service,
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    SystemClient.objects.get_or_create(
        application=application,
        defaults={
            "purpose": "Benchmark only (synthetic data)",
            "resource_types": ["Patient", "EpisodeOfCare"],
        },
    )
    token = AccessToken.objects.create(
        application=application,
        token=f"benchmark-{os.urandom(16).hex()}",
        expires=timezone.now() + timedelta(hours=2),
        scope="system/Patient.read system/EpisodeOfCare.read",
    )
    people = list(Person.objects.visible_to(service).values_list("pk", "nhs_number")[: sample * 4])
    random.Random(16).shuffle(people)
    people = people[:sample]
    total = Person.objects.count()
    return token.token, people, total, f"{connection.vendor} {connection.settings_dict.get('NAME')}"


def start_server(port: int, database_url: str):
    from run_all import server_database_url

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings.production",
        "DATABASE_URL": server_database_url(database_url),
        "WAYPOINT_SECRET_KEY": "benchmark-only-" + "x" * 60,
        "WAYPOINT_CACHE_URL": REDIS,
        "WAYPOINT_HTTPS": "false",
        "WAYPOINT_MFA_REQUIRED": "false",
        "WAYPOINT_BIND": f"127.0.0.1:{port}",
        "WAYPOINT_WORKERS": "2",
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
            urllib.request.urlopen(base + "/fhir/R4/metadata", timeout=5).read()
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.5)


async def load(base, token, urls, concurrency: int, duration: float) -> dict:
    import aiohttp

    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    times: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + duration

    async def one_client(session, seed):
        pick = random.Random(seed)
        while time.perf_counter() < stop_at:
            url = pick.choice(urls)
            started = time.perf_counter()
            async with session.get(base + url, headers=headers) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            times.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        began = time.perf_counter()
        await asyncio.gather(*(one_client(session, n) for n in range(concurrency)))
        elapsed = time.perf_counter() - began
    times.sort()
    return {
        "requests": len(times),
        "per_second": round(len(times) / elapsed, 1),
        "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1) if times else None,
        "statuses": statuses,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8712)
    parser.add_argument("--duration", type=float, default=20, help="seconds of load per measurement")
    parser.add_argument("--warm", type=float, default=3, help="seconds of load before each measurement")
    parser.add_argument("--concurrency", default="4,16")
    parser.add_argument("--sample", type=int, default=500, help="people to ask for")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database holding the synthetic Trust")
    if not port_is_free(args.port):
        sys.exit(f"Port {args.port} is in use: choose another with --port")
    token, people, total, database = prepare(args.sample)
    if not people:
        sys.exit("Nobody is in care in this database: build a synthetic Trust first")
    reads = [f"/fhir/R4/Patient/{pk}" for pk, _ in people]
    searches = [
        url
        for pk, nhs in people
        for url in (
            f"/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C{nhs}",
            f"/fhir/R4/EpisodeOfCare?patient={pk}",
        )
    ]
    server, base = start_server(args.port, database_url)
    results = []
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            for kind, urls in (("read", reads), ("search", searches)):
                asyncio.run(load(base, token, urls, concurrency, args.warm))
                row = {
                    "kind": kind,
                    "concurrency": concurrency,
                    **asyncio.run(load(base, token, urls, concurrency, args.duration)),
                }
                results.append(row)
                print(json.dumps(row), flush=True)
    finally:
        server.terminate()  # only the gunicorn this script started
        server.wait(timeout=30)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} CPUs, load average {os.getloadavg()}",
        "database": database,
        "people": total,
        "people_in_care_sampled": len(people),
        "workers": 2,
        "results": results,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
