"""Benchmark: the duty board and the waiting list with thousands of open referrals in one team.

Not a test: run it by hand on PostgreSQL and put the numbers in the issue note.

    createdb -h 127.0.0.1 -U postgres waypoint_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waypoint_bench \
        .venv/bin/python benchmarks/referrals_benchmark.py --size 9000

It migrates, builds the synthetic Trust with `build_demo_trust --size N` (the Trust's one size
parameter; about 80% of North CMHT's people get an open referral), then requests each page
several times as North CMHT's duty worker and team manager, and prints rows, queries and times.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings.local")
os.environ.setdefault("WAYPOINT_DEBUG", "false")
os.environ.setdefault("WAYPOINT_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=9000, help="people in the synthetic Trust")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from waypoint.accounts.models import Team, User
    from waypoint.patients.models import Person
    from waypoint.referrals.models import Referral

    print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        if Person.objects.exists():
            sys.exit("The database already has people: use an empty database, or --skip-build.")
        started = time.perf_counter()
        call_command("build_demo_trust", size=args.size, verbosity=0)
        print(f"Built the synthetic Trust with --size {args.size} in {time.perf_counter() - started:.1f} s")

    team = Team.objects.get(name="North CMHT")
    open_count = Referral.objects.open().filter(team=team).count()
    print(f"North CMHT open referrals: {open_count}")
    print(f"  waiting for triage: {Referral.objects.awaiting_triage().filter(team=team).count()}")
    print(
        f"  accepted, waiting to be seen: {Referral.objects.waiting_to_be_seen().filter(team=team).count()}"
    )

    pages = [
        ("Duty board", "coordinator", "duty:board" if _has_url("duty:board") else None),
        ("Waiting list", "manager", "referrals:waiting_list"),
        ("Waiting list CSV", "manager", "referrals:waiting_list"),
    ]
    for label, username, url_name in pages:
        if url_name is None:
            print(f"{label}: not built yet")
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        url = reverse(url_name) + ("?format=csv" if "CSV" in label else "")
        timings = []
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
        print(
            f"{label}: {len(queries.captured_queries)} queries, median {statistics.median(timings) * 1000:.0f} ms, "
            f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, {len(response.content) // 1024} KiB"
        )


def _has_url(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


if __name__ == "__main__":
    main()
