"""Synthetic care coordinators in proportion to each team's people, so caseloads stay realistic.

A care coordinator carries 25 to 35 people. `build_demo_trust --size N` gives each team as many
synthetic coordinators (besides the demo accounts) as its people need for about `CASELOAD` each,
so the demo `coordinator` keeps about 30 people at any size instead of a share of thousands.
Called by `build_demo_trust` before the pathway, which spreads allocations over every current
care coordinator of the team. bulk_create only; the accounts have unusable passwords.
"""

import math

from waypoint.accounts.models import Membership, Profession, Role, RoleCode, User
from waypoint.demo.bulk import insert

CASELOAD = 30
# The share of a team's people who are allocated a care coordinator (the pathway's "seen" stage).
ALLOCATED_SHARE = 0.55
PROFESSIONS = [Profession.NURSE, Profession.SOCIAL_WORKER, Profession.OCCUPATIONAL_THERAPIST]
BATCH = 2000


def coordinators_needed(people: int, caseload: int = CASELOAD) -> int:
    return max(1, math.ceil(people * ALLOCATED_SHARE / caseload))


def build_synthetic_staff(*, teams, by_team, started_on) -> dict:
    """Top each team up to `coordinators_needed(its people)` care coordinators. Returns team -> added."""
    role = Role.objects.get(code=RoleCode.CARE_COORDINATOR)
    added = {}
    for name, team in teams.items():
        people = max(team.registrations.count(), len(by_team.get(name, [])))
        current = (
            Membership.objects.current()
            .filter(team=team, user__roles__code=RoleCode.CARE_COORDINATOR)
            .values("user")
            .distinct()
            .count()
        )
        missing = coordinators_needed(people) - current
        if missing <= 0:
            added[name] = 0
            continue
        slug = "".join(word[0] for word in name.lower().split())
        if name[-1].isdigit():  # the numbered CMHTs of a big Trust ("Testville CMHT 12" -> tc112)
            slug += name.split()[-1]
        start = User.objects.filter(username__startswith=f"cc.{slug}.").count() + 1
        users = insert(
            [
                User(
                    username=f"cc.{slug}.{number:05d}",
                    password="!synthetic",  # unusable: these accounts cannot sign in
                    first_name="Synthetic",
                    last_name=f"Coordinator {number}",
                    profession=PROFESSIONS[number % len(PROFESSIONS)],
                )
                for number in range(start, start + missing)
            ],
            batch_size=BATCH,
        )
        insert([User.roles.through(user_id=user.pk, role_id=role.pk) for user in users], batch_size=BATCH)
        insert(
            [Membership(user=user, team=team, is_primary=True, started_on=started_on) for user in users],
            batch_size=BATCH,
        )
        added[name] = missing
    return added
