"""Benchmark: a person's record page (the overview) on the 600-person synthetic Trust.

Not a test: run it by hand and put the numbers in docs/record.md.

    createdb -h 127.0.0.1 -U postgres wp_record_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_record_bench \
        .venv/bin/python benchmarks/record_benchmark.py --size 600

It migrates, builds the synthetic Trust with `build_demo_trust --size N` (unless `--skip-build`),
picks the `--people` people the demo `coordinator` can see with the most rows hanging off
their record (notes, contacts, plans, tasks, referrals), and requests each one's record page
`--repeat` times as that coordinator. It prints queries per page (the largest seen), the median,
minimum and maximum time over every request, and the page size. With `--tabs` it also times each
tab page of the record, when the record has them.
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
    parser.add_argument("--size", type=int, default=600, help="people in the synthetic Trust")
    parser.add_argument("--people", type=int, default=10, help="records to request")
    parser.add_argument("--repeat", type=int, default=5, help="requests of each record")
    parser.add_argument("--skip-build", action="store_true", help="reuse the data already in the database")
    parser.add_argument("--tabs", action="store_true", help="also time the record's tab pages")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from waypoint.accounts.models import User
    from waypoint.patients.models import Person

    print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        if Person.objects.exists():
            sys.exit("The database already has people: use an empty database, or --skip-build.")
        started = time.perf_counter()
        call_command("build_demo_trust", size=args.size, verbosity=0)
        print(f"Built the synthetic Trust with --size {args.size} in {time.perf_counter() - started:.1f} s")

    coordinator = User.objects.get(username="coordinator")
    client = Client()
    client.force_login(coordinator)
    # The people the coordinator can see, richest records first (read only, a query per relation).
    visible = list(Person.objects.visible_to(coordinator).values_list("pk", flat=True))
    rows = dict.fromkeys(visible, 0)
    for relation in ("notes", "contacts", "appointments", "tasks", "referrals"):
        try:
            field = Person._meta.get_field(relation)
        except Exception:
            continue
        counts = (
            field.related_model.objects.filter(person_id__in=visible)
            .values("person_id")
            .annotate(n=Count("pk"))
            .values_list("person_id", "n")
        )
        for person_id, n in counts:
            rows[person_id] += n
    people = sorted(visible, key=lambda pk: (-rows[pk], pk))[: args.people]
    print(
        f"Records: {len(people)} people the demo coordinator can see (richest first), {args.repeat} requests each"
    )

    pages = [("Record overview", "patients:detail")]
    if args.tabs:
        for name in ("plans", "risk", "assessments", "contacts", "tasks", "referrals", "details"):
            pages.append((f"Record tab: {name}", f"patients:record_{name}"))
    for label, url_name in pages:
        timings, most_queries, size = [], 0, 0
        for person_id in people:
            try:
                url = reverse(url_name, args=[person_id])
            except NoReverseMatch:
                break
            client.get(url)  # warm up (templates compiled, connection open)
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                assert response.status_code == 200, (label, person_id, response.status_code)
                most_queries = max(most_queries, len(queries.captured_queries))
                size = max(size, len(response.content))
        if not timings:
            print(f"{label}: no such page")
            continue
        print(
            f"{label}: up to {most_queries} queries, median {statistics.median(timings) * 1000:.0f} ms, "
            f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, up to {size // 1024} KiB"
        )


if __name__ == "__main__":
    main()
