"""Build the synthetic Trust: teams, staff of every role, people with carers, alerts and a pathway.

Teams, roles, GP practices and the demo accounts are found or created, so running the command
again never duplicates them; each run adds `--size` more people. People and everything hanging
off them are written with bulk_create in batches, so 10,000 people take seconds, not minutes.
"""

import math
import random
import time
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from waypoint.accounts.models import Membership, Profession, Role, RoleCode, Team, TeamType, User
from waypoint.demo import history_data, synthetic
from waypoint.demo.access_data import build_supervision
from waypoint.demo.assessments_data import build_assessments
from waypoint.demo.bulk import insert, without_indexes
from waypoint.demo.contacts_data import build_coded_interventions, build_contacts
from waypoint.demo.duty_data import build_duty
from waypoint.demo.episodes_data import build_episodes
from waypoint.demo.history_data import build_access_history, build_current_history, build_history
from waypoint.demo.legal_data import build_legal
from waypoint.demo.measures_data import build_measures
from waypoint.demo.medicines_data import build_medicines
from waypoint.demo.notes_data import build_notes
from waypoint.demo.pathway import build_pathway
from waypoint.demo.plans_data import build_plans
from waypoint.demo.risk_reviews_data import build_risk_and_reviews
from waypoint.demo.safeguarding_data import build_safeguarding_incidents_meetings
from waypoint.demo.synthetic_staff import build_synthetic_staff
from waypoint.demo.tasks_data import build_tasks
from waypoint.demo.workforce_data import build_workforce
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import Alert, Carer, GPPractice, Person, TeamRegistration

TEAMS = [
    ("North CMHT", TeamType.CMHT, "Testville Resource Centre"),
    ("South CMHT", TeamType.CMHT, "Sampleton Health Centre"),
    ("Assertive Outreach Team", TeamType.ASSERTIVE_OUTREACH, "Testville Resource Centre"),
    ("Complex Rehabilitation Team", TeamType.COMPLEX_REHABILITATION, "Mockridge House"),
]

# username, first name, last name, roles, profession, team
STAFF = [
    ("coordinator", "Casey", "Demo-Coordinator", [RoleCode.CARE_COORDINATOR], Profession.NURSE, "North CMHT"),
    (
        "socialworker",
        "Sol",
        "Demo-Socialworker",
        [RoleCode.CARE_COORDINATOR],
        Profession.SOCIAL_WORKER,
        "North CMHT",
    ),
    (
        "outreach",
        "Otis",
        "Demo-Outreach",
        [RoleCode.CARE_COORDINATOR],
        Profession.OCCUPATIONAL_THERAPIST,
        "Assertive Outreach Team",
    ),
    (
        "rehab",
        "Remi",
        "Demo-Rehab",
        [RoleCode.CARE_COORDINATOR],
        Profession.NURSE,
        "Complex Rehabilitation Team",
    ),
    ("support", "Sunny", "Demo-Support", [RoleCode.SUPPORT_WORKER], "", "North CMHT"),
    ("student", "Stevie", "Demo-Student", [RoleCode.STUDENT], Profession.NURSE, "North CMHT"),
    (
        "psychiatrist",
        "Parveen",
        "Demo-Psychiatrist",
        [RoleCode.PSYCHIATRIST],
        Profession.DOCTOR,
        "North CMHT",
    ),
    (
        "psychologist",
        "Pip",
        "Demo-Psychologist",
        [RoleCode.PSYCHOLOGIST],
        Profession.PSYCHOLOGIST,
        "North CMHT",
    ),
    ("manager", "Morgan", "Demo-Manager", [RoleCode.TEAM_MANAGER], Profession.SOCIAL_WORKER, "North CMHT"),
    # Every team has a manager, so transfers to it and its worklist have someone to see them.
    ("southmanager", "Sol", "Demo-Southmanager", [RoleCode.TEAM_MANAGER], Profession.NURSE, "South CMHT"),
    (
        "outreachmanager",
        "Olu",
        "Demo-Outreachmanager",
        [RoleCode.TEAM_MANAGER],
        Profession.SOCIAL_WORKER,
        "Assertive Outreach Team",
    ),
    (
        "rehabmanager",
        "Rowan",
        "Demo-Rehabmanager",
        [RoleCode.TEAM_MANAGER],
        Profession.OCCUPATIONAL_THERAPIST,
        "Complex Rehabilitation Team",
    ),
    ("records", "Robin", "Demo-Records", [RoleCode.RECORDS_OFFICER], "", "North CMHT"),
    (
        "amhp",
        "Ash",
        "Demo-AMHP",
        [RoleCode.AMHP, RoleCode.CARE_COORDINATOR],
        Profession.SOCIAL_WORKER,
        "North CMHT",
    ),
    ("bia", "Bailey", "Demo-BIA", [RoleCode.BIA], Profession.SOCIAL_WORKER, "North CMHT"),
    ("privacy", "Pat", "Demo-Privacy", [RoleCode.PRIVACY_OFFICER], "", None),
    ("sysadmin", "Sid", "Demo-Sysadmin", [RoleCode.SYSTEM_ADMINISTRATOR], "", None),
    ("southcc", "Sasha", "Demo-South", [RoleCode.CARE_COORDINATOR], Profession.NURSE, "South CMHT"),
    ("workforceadmin", "Wynn", "Demo-Workforce", [RoleCode.WORKFORCE_ADMINISTRATOR], "", None),
    ("servicemanager", "Sam", "Demo-Servicemanager", [RoleCode.SERVICE_MANAGER], "", None),
    ("analyst", "Ari", "Demo-Analyst", [RoleCode.INFORMATION_ANALYST], "", None),
]

TEAM_SHARES = [
    ("North CMHT", 0.70),
    ("South CMHT", 0.10),
    ("Assertive Outreach Team", 0.10),
    ("Complex Rehabilitation Team", 0.10),
]
# A few people are on a second team's books too. South CMHT's people stay South's alone, so
# `southcc` and North CMHT's staff each have people they cannot see.
SECOND_TEAM_RATE = 0.03
SECOND_TEAMS = {
    "North CMHT": ["Assertive Outreach Team", "Complex Rehabilitation Team"],
    "Assertive Outreach Team": ["North CMHT"],
    "Complex Rehabilitation Team": ["North CMHT"],
}
# A real Trust's record is mostly people it has discharged (issue 19). Up to ALL_CURRENT people
# everyone is current (the demo and the tests); beyond that, CURRENT_SHARE of the rest are, and
# the others are discharged with years of history (`history_data.build_history`).
ALL_CURRENT = 2000
CURRENT_SHARE = 0.12
# The four named teams hold up to NAMED_TEAMS_HOLD current people; beyond that, numbered CMHTs of
# about TEAM_SIZE current people each take the rest, so teams stay the size of real ones.
NAMED_TEAMS_HOLD = 4000
TEAM_SIZE = 1200
MAX_SIZE = 900_000  # the 999 test range holds about 909,000 valid NHS numbers
BATCH = 1000
STAFF_SINCE = date(2020, 1, 6)


def current_count(size: int) -> int:
    """How many of `size` people are on a team's books now; the rest are discharged."""
    if size <= ALL_CURRENT:
        return size
    return ALL_CURRENT + round((size - ALL_CURRENT) * CURRENT_SHARE)


def extra_team_names(current: int) -> list[str]:
    """Numbered CMHTs for the current people the named teams do not hold."""
    if current <= NAMED_TEAMS_HOLD:
        return []
    return [f"Testville CMHT {n}" for n in range(1, math.ceil((current - NAMED_TEAMS_HOLD) / TEAM_SIZE) + 1)]


def analyse_tables():
    """PostgreSQL plans from table statistics, which a bulk load leaves empty until autovacuum gets
    to it: without them the planner guesses (a 20,000-person caseload page took 1.1 s, not 0.1 s).
    As the application role, tables it does not own are skipped with a warning."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Build the synthetic Trust (demo and benchmarks). --size sets the number of people."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=600, help="number of people (default 600)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same Trust)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if anyone is already registered"
        )

    def handle(self, size, seed, if_empty, **options):
        verbose = options.get("verbosity", 1) >= 1
        self.verbosity = options.get("verbosity", 1)
        if size < 1 or size > MAX_SIZE:
            raise CommandError(f"--size must be between 1 and {MAX_SIZE:,}")
        if if_empty and Person.objects.exists():
            if verbose:
                self.stdout.write(
                    "The database already holds people, so the synthetic Trust was left as it is "
                    "(--if-empty)."
                )
            return
        started = self.last_mark = time.perf_counter()
        if self.verbosity >= 2:

            def progress(what, done, total, counts):
                self.stderr.write(
                    f"  {time.perf_counter() - started:.0f} s: history of {what}: {done:,} of {total:,} "
                    f"people; {counts}"
                )
                self.stderr.flush()

            history_data.progress = progress
        self.phases = []
        try:
            with transaction.atomic():
                teams = self.build_teams(extra_team_names(current_count(size)))
                staff, new_staff = self.build_staff(teams)
                build_supervision(staff=staff)
                summary = self.build_people(size, seed, teams, staff)
        finally:
            history_data.progress = None
        self.mark("commit")
        analyse_tables()
        self.mark("analyse")
        elapsed = time.perf_counter() - started
        if verbose:
            self.write_summary(elapsed, seed, teams, staff, new_staff, summary)

    def mark(self, phase):
        """Note how long the step just finished took (shown with --verbosity 2)."""
        now = time.perf_counter()
        self.phases.append((phase, now - self.last_mark))
        self.last_mark = now

    def build_teams(self, extra=()):
        teams = {}
        for name, team_type, base in [
            *TEAMS,
            *[(n, TeamType.CMHT, "Testville Resource Centre") for n in extra],
        ]:
            teams[name], _ = Team.objects.get_or_create(
                name=name, defaults={"team_type": team_type, "base": base}
            )
        return teams

    def build_staff(self, teams):
        """The demo accounts. The password is set only when an account is created."""
        roles = {code: Role.objects.get_or_create(code=code)[0] for code in RoleCode.values}
        password_hash = None  # hashed once: the slow hasher would otherwise run for every account
        staff, new = {}, 0
        for username, first, last, role_codes, profession, team_name in STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                password_hash = password_hash or make_password(settings.WAYPOINT_DEMO_PASSWORD)
                is_admin = RoleCode.SYSTEM_ADMINISTRATOR in role_codes
                user = User.objects.create(
                    username=username,
                    password=password_hash,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.com",
                    profession=profession,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                new += 1
            user.roles.add(*[roles[code] for code in role_codes])
            if team_name:
                Membership.objects.get_or_create(
                    user=user,
                    team=teams[team_name],
                    defaults={"is_primary": True, "started_on": STAFF_SINCE},
                )
            staff[username] = user
        return staff, new

    def build_people(self, size, seed, teams, staff):
        today = timezone.localdate()
        practices = []
        for index, (ods_code, name) in enumerate(synthetic.PRACTICES, start=1):
            fields = synthetic.practice_fields(index, ods_code, name)
            practice, _ = GPPractice.objects.get_or_create(ods_code=ods_code, defaults=fields)
            practices.append(practice)

        # NHS numbers and local ids carry on from whatever is already there, so a second run adds
        # people without clashing with the first.
        existing = set(
            Person.objects.filter(nhs_number__startswith="999").values_list("nhs_number", flat=True)
        )
        try:
            numbers = synthetic.nhs_numbers(size, exclude=existing)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        last_id = Person.objects.filter(local_id__startswith=synthetic.LOCAL_ID_PREFIX).aggregate(
            last=Max("local_id")
        )["last"]
        next_id = int(last_id[len(synthetic.LOCAL_ID_PREFIX) :]) + 1 if last_id else 1
        # The same seed gives the same Trust; a later run on a filled database gets new people, not
        # copies of the first ones under new NHS numbers.
        rng = random.Random(seed if next_id == 1 else f"{seed}:{next_id}")

        generated = [
            synthetic.person(rng, nhs_number=number, local_id=synthetic.local_id(next_id + i), today=today)
            for i, number in enumerate(numbers)
        ]
        self.mark("generate")
        with without_indexes(Person, Carer, minimum_rows=50_000, expected_rows=size):
            people = insert(
                [Person(gp_practice=rng.choice(practices), **one.fields) for one in generated],
                batch_size=BATCH,
            )
            carers = [
                Carer(person=person, **fields)
                for person, one in zip(people, generated, strict=True)
                for fields in one.carers
            ]
            insert(carers)
        self.mark("insert people")

        alerts, registrations = [], []
        current = current_count(size)
        everyone, people = people, people[:current]
        discharged = everyone[current:]
        by_team = {name: [] for name in teams}
        names, weights = zip(*TEAM_SHARES, strict=True)
        extra = [name for name in teams if name not in names]
        if extra:  # a big Trust: the numbered CMHTs take what the named teams do not hold
            weights = [share * NAMED_TEAMS_HOLD for share in weights] + [TEAM_SIZE] * len(extra)
            names = (*names, *extra)
        registered_on = synthetic.years_before(today, 3)  # before any synthetic referral
        for person, one in zip(everyone, generated, strict=True):
            alerts.extend(
                Alert(person=person, category=category, summary=summary, created_by=staff["records"])
                for category, summary in one.alerts
            )
        for person in people:
            team_name = rng.choices(names, weights=weights)[0]
            by_team[team_name].append(person)
            registrations.append(
                TeamRegistration(person=person, team=teams[team_name], started_on=registered_on)
            )
            if team_name in SECOND_TEAMS and rng.random() < SECOND_TEAM_RATE:
                second = rng.choice(SECOND_TEAMS[team_name])
                registrations.append(
                    TeamRegistration(person=person, team=teams[second], started_on=registered_on)
                )
        insert(registrations)
        self.mark("insert registrations")
        insert(alerts)
        self.mark("insert alerts")

        build_synthetic_staff(teams=teams, by_team=by_team, started_on=STAFF_SINCE)
        self.mark("build_synthetic_staff")
        # The pathway uses each person's first team only; second registrations have no referral.
        pathway = {
            name: build_pathway(team=teams[name], people=members, recorded_by=staff["records"], rng=rng)
            for name, members in by_team.items()
        }
        self.mark("pathway")
        north_duty = [staff["coordinator"], staff["socialworker"], staff["amhp"]]
        build_duty(team=teams["North CMHT"], workers=north_duty, people=by_team["North CMHT"][:50], rng=rng)
        self.mark("build_duty")
        build_episodes(teams=teams, staff=staff, people=people, rng=rng)
        self.mark("build_episodes")
        # The per-person builders (risk, assessments, plans, measures, notes) write the demo's core:
        # the four named teams' people. A big Trust's numbered CMHTs get their contacts, notes and
        # audit rows in bulk instead (`history_data.build_current_history`), so --size 250000
        # does not spend its time scoring questionnaires for 28,000 people no demo account sees.
        named = {name for name, _ in TEAM_SHARES}
        core = [person for name, members in by_team.items() if name in named for person in members]
        core_ids = {person.pk for person in core}
        core = [person for person in people if person.pk in core_ids]  # in the order they were made
        outside = [person for name, members in by_team.items() if name not in named for person in members]
        people = core
        build_risk_and_reviews(people=people, rng=rng)
        self.mark("build_risk_and_reviews")
        build_tasks(
            team=teams["North CMHT"],
            coordinator=staff["coordinator"],
            assignees=[staff["support"], staff["student"]],
        )
        build_assessments(people=people, workers=north_duty)
        self.mark("build_assessments")
        build_contacts(teams=teams, staff=staff, rng=rng)
        self.mark("build_contacts")
        build_plans(teams=teams, people=people, rng=rng)
        self.mark("build_plans")
        build_measures(people=people, staff=staff, rng=rng)
        self.mark("build_measures")
        build_coded_interventions(people=people, staff=staff, rng=rng)
        self.mark("build_coded_interventions")
        build_notes(people=people, staff=staff, rng=rng)
        self.mark("build_notes")
        build_workforce(teams=teams, staff=staff)
        self.mark("build_workforce")
        build_legal(coordinator=staff["coordinator"], amhp=staff["amhp"], bia=staff["bia"])
        self.mark("build_legal")
        build_medicines(teams=teams, staff=staff, rng=rng)
        self.mark("build_medicines")
        build_safeguarding_incidents_meetings(team=teams["North CMHT"], staff=staff)
        self.mark("build_safeguarding_incidents_meetings")
        history = self.build_discharged(discharged, teams, names, weights, rng, today)
        self.mark("history")
        outside_history = self.build_outside_core(outside, teams, rng, today, registered_on)
        for key, value in outside_history.items():
            history[key] = history.get(key, 0) + value
        self.mark("history of current people outside the core")
        if discharged:
            # The privacy officer's access history is timed on the demo coordinator's first person.
            first = (
                Allocation.objects.current()
                .filter(worker=staff["coordinator"], kind=AllocationKind.CARE_COORDINATOR)
                .order_by("pk")
                .values_list("person_id", flat=True)
                .first()
            )
            north = list(
                Membership.objects.filter(team=teams["North CMHT"]).values_list("user_id", flat=True)[:40]
            )
            if first:
                history["audit"] += build_access_history(person_id=first, user_ids=north, today=today)
        return {
            "everyone": len(everyone),
            "discharged": len(discharged),
            "history": history,
            "people": len(people) + len(outside),  # current people
            "outside_core": len(outside),
            "registrations": len(registrations),
            "on_two_teams": len(registrations) - len(people) - len(outside),
            "carers": len(carers),
            "alerts": len(alerts),
            "practices": len(practices),
            "by_team": {name: len(members) for name, members in by_team.items()},
            "pathway": pathway,
        }

    def build_outside_core(self, outside, teams, rng, today, since):
        """Current people of the numbered CMHTs: contacts, notes and audit rows in bulk, with their
        care coordinator (or, if not yet allocated, one of the team's) since they were registered."""
        if not outside:
            return {}
        allocated = dict(
            Allocation.objects.current()
            .filter(person_id__in=[person.pk for person in outside], kind=AllocationKind.CARE_COORDINATOR)
            .values_list("person_id", "worker_id")
        )
        workers = self.team_workers(teams)
        team_of = dict(
            TeamRegistration.objects.filter(person_id__in=[person.pk for person in outside]).values_list(
                "person_id", "team_id"
            )
        )
        rows = []
        for person in outside:
            team_id = team_of[person.pk]
            worker = allocated.get(person.pk) or rng.choice(workers[team_id])
            rows.append((person.pk, team_id, worker, since))
        return build_current_history(people=rows, rng=rng, today=today)

    def team_workers(self, teams):
        workers = {}
        for team_id, user_id in (
            Membership.objects.filter(team__in=teams.values(), user__roles__code=RoleCode.CARE_COORDINATOR)
            .values_list("team_id", "user_id")
            .distinct()
        ):
            workers.setdefault(team_id, []).append(user_id)
        return workers

    def build_discharged(self, discharged, teams, names, weights, rng, today):
        """Discharged people: a team in proportion, and years of history (`history_data`)."""
        if not discharged:
            return {}
        workers = self.team_workers(teams)
        pairs = [(person.pk, teams[rng.choices(names, weights=weights)[0]].pk) for person in discharged]
        return build_history(people=pairs, team_workers=workers, rng=rng, today=today)

    def write_summary(self, elapsed, seed, teams, staff, new_staff, summary):
        write = self.stdout.write
        write(self.style.SUCCESS(f"Synthetic Trust built in {elapsed:.1f} s (seed {seed})"))
        write(f"  Teams: {len(teams)}; demo accounts: {len(staff)} ({new_staff} new)")
        write(
            f"  People added: {summary['everyone']:,} ({summary['on_two_teams']} on two teams), "
            f"{summary['carers']:,} carers, {summary['alerts']} alerts, {summary['practices']} GP practices"
        )
        if summary["discharged"]:
            write(
                f"  Of them discharged, with years of history: {summary['discharged']:,}; history rows: "
                + ", ".join(
                    f"{key} {value:,}"
                    for key, value in summary["history"].items()
                    if key != "foreign_key_checks_skipped"
                )
            )
        for name, counts in summary["pathway"].items():
            write(
                f"  {name}: {summary['by_team'][name]:,} people; {counts['awaiting_triage']} awaiting triage, "
                f"{counts['waiting']} waiting, {counts['seen']} seen, {counts['closed']} closed at triage, "
                f"{counts['allocations']} allocations"
            )
        write(f"  Total people in the database: {Person.objects.count():,}")
        if self.verbosity >= 2:
            write("  Steps: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.phases))
