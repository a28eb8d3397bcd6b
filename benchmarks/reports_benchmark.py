"""Benchmark: every service report page, the data quality page and the MHSDS extract.

Not a test: run it by hand (PostgreSQL for the figures in docs/reports.md).

    createdb -h 127.0.0.1 -U postgres wp_reports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_reports_bench \
        .venv/bin/python benchmarks/reports_benchmark.py --size 5000

It migrates, builds the synthetic Trust (`build_demo_trust --size N`) unless --skip-build, then,
as the demo `analyst` (whole service, the last 12 months), requests each report page `--repeat`
times through the test client and prints the median and fastest server time and queries; then the data
quality page, and `mhsds.build` for last month (one run) with its row counts.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings.local")
os.environ.setdefault("WAYPOINT_DEBUG", "false")
os.environ.setdefault("WAYPOINT_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=5000, help="people in the synthetic Trust")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from waypoint.accounts.models import User
    from waypoint.patients.models import Person
    from waypoint.reports import mhsds, registry

    print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        if Person.objects.exists():
            sys.exit("The database already has people: use an empty database, or --skip-build.")
        started = time.perf_counter()
        call_command("build_demo_trust", size=args.size, verbosity=0)
        print(f"Built the synthetic Trust with --size {args.size} in {time.perf_counter() - started:.1f} s")
    print(f"People: {Person.objects.count():,}")

    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    pages = [(one.title, reverse("reports:report", kwargs={"key": one.key})) for one in registry.reports()]
    pages.append(("Data quality", reverse("reports:data_quality")))
    # The fastest request beside the median: on a shared machine under load, the fastest is the
    # steadier figure for comparing two versions of the code (the median is what a reader meets).
    print(f"{'Page':60} {'median ms':>10} {'fastest':>8} {'queries':>8}")
    for title, url in pages:
        times, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, {"team": "all"})
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        print(f"{title[:60]:60} {statistics.median(times):10.0f} {min(times):8.0f} {queries:8d}")

    today = timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        extract = mhsds.build(start, end)
    elapsed = time.perf_counter() - started
    print(f"MHSDS extract for {start:%B %Y}: {elapsed:.1f} s, {len(ctx.captured_queries)} queries")
    for name, (_columns, rows) in extract.tables.items():
        print(f"  {name:32} {len(rows):8,d} rows")
    print(f"  {'failing validation':32} {len(extract.failures):8,d}")


if __name__ == "__main__":
    main()
