"""Benchmark: My caseload and the team worklist for a team of about 1,000 people.

Not a test: run it by hand on PostgreSQL and put the numbers in docs/worklist.md.

    createdb -h 127.0.0.1 -U postgres wp_caseload_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_caseload_bench \
        .venv/bin/python benchmarks/caseload_benchmark.py --size 1430

It migrates, builds the synthetic Trust with `build_demo_trust --size N` (North CMHT gets about
70% of the people, so 1,430 gives it about 1,000), hands 40 of North CMHT's care-coordinated
people to a benchmark coordinator (`bench.cc`) and gives some of them delegated tasks, then
registers `--fake-providers` extra worklist providers (each one query over every person id, as a
care plan or depot module would) on top of the real ones, and requests each page several times:
My caseload (bench.cc, 40 people; and the demo `coordinator`, whose caseload is much larger),
the team worklist and one coordinator's caseload (as the team manager). It prints people,
queries and times.
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
    parser.add_argument("--size", type=int, default=1430, help="people in the synthetic Trust")
    parser.add_argument(
        "--caseload", type=int, default=40, help="people on the benchmark coordinator's caseload"
    )
    parser.add_argument("--fake-providers", type=int, default=6, help="extra worklist providers to register")
    parser.add_argument("--repeat", type=int, default=5)
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

    from waypoint.accounts.factories import make_staff
    from waypoint.accounts.models import RoleCode, Team, User
    from waypoint.episodes.models import Allocation, AllocationKind
    from waypoint.patients.models import Person, TeamRegistration
    from waypoint.tasks.models import Task
    from waypoint.worklist.registry import DueItem, register_provider, registered_providers, severity_for

    print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        if Person.objects.exists():
            sys.exit("The database already has people: use an empty database, or --skip-build.")
        started = time.perf_counter()
        call_command("build_demo_trust", size=args.size, verbosity=0)
        print(f"Built the synthetic Trust with --size {args.size} in {time.perf_counter() - started:.1f} s")

    team = Team.objects.get(name="North CMHT")
    now = timezone.now()
    bench = User.objects.filter(username="bench.cc").first()
    if bench is None:
        bench = make_staff(team=team, username="bench.cc", first_name="Bench", last_name="Coordinator")
        ids = list(
            Allocation.objects.current(now)
            .filter(team=team, kind=AllocationKind.CARE_COORDINATOR)
            .exclude(worker__username="coordinator")
            .values_list("pk", flat=True)[: args.caseload]
        )
        Allocation.objects.filter(pk__in=ids).update(worker=bench)  # synthetic data: a handover
        support = User.objects.get(username="support")
        people = Allocation.objects.filter(pk__in=ids).values_list("person_id", flat=True)
        today = timezone.localdate()
        Task.objects.bulk_create(
            Task(
                person_id=person_id,
                team=team,
                assigned_to=support,
                assigned_by=bench,
                what="Synthetic benchmark task",
                why="Benchmark (synthetic)",
                due_on=today + timedelta(days=(index % 7) - 3),
            )
            for index, person_id in enumerate(people)
        )
    on_books = TeamRegistration.objects.filter(team=team).count()
    coordinating = Allocation.objects.current(now).filter(team=team).count()
    print(f"North CMHT: {on_books:,} people on the books, {coordinating:,} current allocations")

    for n in range(args.fake_providers):

        def provider(person_ids, today, n=n):
            rows = Allocation.objects.filter(person_id__in=person_ids).values_list("person_id", "started_at")
            items = []
            for person_id, started in rows:
                due = (started + timedelta(days=365 + 30 * n)).date()
                items.append(
                    DueItem(person_id, f"bench_{n}", f"Benchmark item {n}", due, severity_for(due, today))
                )
            return items

        register_provider(f"bench_{n}", provider)
    print(f"Worklist providers: {len(registered_providers())} ({', '.join(registered_providers())})")

    manager = User.objects.filter(roles__code=RoleCode.TEAM_MANAGER, username="manager").first()
    coordinator = User.objects.get(username="coordinator")
    coordinator_size = (
        Allocation.objects.current(now).filter(worker=coordinator).values("person_id").distinct().count()
    )
    pages = [
        (f"My caseload ({args.caseload} people)", bench, reverse("worklist:my_caseload")),
        (
            f"My caseload, worst first, only overdue ({args.caseload} people)",
            bench,
            reverse("worklist:my_caseload") + "?sort=worst&overdue=on",
        ),
        (
            f"My caseload of the demo coordinator ({coordinator_size} people)",
            coordinator,
            reverse("worklist:my_caseload"),
        ),
        ("Team worklist (North CMHT)", manager, reverse("worklist:team") + f"?team={team.pk}"),
        (
            f"One coordinator's caseload ({args.caseload} people)",
            manager,
            reverse("worklist:coordinator", args=[bench.pk]) + f"?team={team.pk}",
        ),
        ("Tasks I delegated", bench, reverse("tasks:delegated")),
    ]
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
        print(
            f"{label}: {len(queries.captured_queries)} queries, median {statistics.median(timings) * 1000:.0f} ms, "
            f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, {len(response.content) // 1024} KiB"
        )


if __name__ == "__main__":
    main()
