"""Downtime packs: for each team, one encrypted file a duty worker can open when Waypoint cannot.

For each person on the team's books (`TeamRegistration`, current today) the pack holds what a
duty worker needs to act safely without the record: the person banner (alerts, and every banner
item other modules register, such as allergies, legal status and safeguarding, rendered with their
own templates from `patients.record_sections`), the care coordinator, the currently agreed crisis
and contingency plan and safety plan, current medicines and the depots due, the next
appointments and the last contacts.

After decryption a pack is one HTML file with its CSS inline and no scripts, so any browser opens
it from a USB stick or a shared drive. It is encrypted in the age format (pyrage, ADR 0017) to the
public keys in `WAYPOINT_DOWNTIME_PACK_RECIPIENTS`; the private keys stay with the Trust's key
holders, never on the Waypoint server. Beside each pack is a small JSON file (team, generated at,
how many people), so staff see the pack's age without decrypting it.

Building a pack writes nothing to the database (only files), so it runs while Waypoint is
read-only.
"""

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from waypoint.accounts.models import Team
from waypoint.contacts import selectors as contacts
from waypoint.episodes import selectors as episodes
from waypoint.medicines import selectors as medicines
from waypoint.patients import selectors as patients
from waypoint.patients.models import Person, TeamRegistration
from waypoint.patients.record_sections import banner_items
from waypoint.plans import selectors as plans
from waypoint.plans.models import PlanKind
from waypoint.plans.sections import sections_for

PACK_SUFFIX = ".html.age"
LAST_CONTACTS = 3
NEXT_APPOINTMENTS = 3
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


class NoRecipients(Exception):
    """No public key to encrypt to: WAYPOINT_DOWNTIME_PACK_RECIPIENTS is empty."""


@dataclass(frozen=True)
class PackInfo:
    team_id: int
    team_name: str
    generated_at: datetime
    people: int
    path: Path
    person_ids: tuple[int, ...] = ()

    def age(self, now=None) -> timedelta:
        return (now or timezone.now()) - self.generated_at

    def is_stale(self, now=None) -> bool:
        return self.age(now) > timedelta(hours=settings.WAYPOINT_DOWNTIME_PACK_MAX_AGE_HOURS)


def pack_dir() -> Path:
    return Path(settings.WAYPOINT_DOWNTIME_PACK_DIR)


def pack_path(team_id: int) -> Path:
    return pack_dir() / f"team-{team_id}{PACK_SUFFIX}"


def info_path(team_id: int) -> Path:
    return pack_dir() / f"team-{team_id}.json"


def recipients(keys=None) -> list:
    """The age recipients the packs are encrypted to (public keys only). A bad key is refused by
    the system check `waypoint.E170` at start-up; here it raises pyrage.RecipientError."""
    keys = settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS if keys is None else keys
    return [pyrage.x25519.Recipient.from_str(key.strip()) for key in keys if key.strip()]


# What the pack holds -----------------------------------------------------------------------------


def caseload(team, today) -> list[Person]:
    """The people on the team's books today, by name."""
    person_ids = TeamRegistration.objects.current(today).filter(team=team).values("person_id")
    return list(Person.objects.filter(pk__in=person_ids).order_by("family_name", "given_name", "pk"))


def _without_links(html: str) -> Markup:
    """A banner item's own template, with its links to Waypoint pages taken out (Waypoint is down)."""
    return Markup(_LINK.sub(r"\1", html))  # noqa: S704 - our own rendered template, not user input


def _plan(revision, kind) -> dict | None:
    if revision is None:
        return None
    content = revision.content or {}
    return {
        "agreed_on": revision.agreed_on,
        "review_on": revision.review_on,
        "sections": [(s.label, content.get(s.key, "")) for s in sections_for(kind) if content.get(s.key)],
    }


def person_entry(person, today, agreed) -> dict:
    allocations = episodes.allocations_now(person)
    depots = [
        d
        for d in medicines.depots_of(person, today)
        if d.depot.stopped_on is None or d.depot.stopped_on >= today
    ]
    return {
        "person": person,
        "banner": [
            _without_links(render_to_string(template, {"item": item, "person": person}))
            for template, item in banner_items(person, None)
        ],
        "alerts": list(patients.current_alerts(person)),
        "allocations": allocations,
        "crisis_plan": _plan(agreed.get(PlanKind.CRISIS, {}).get(person.pk), PlanKind.CRISIS),
        "safety_plan": _plan(agreed.get(PlanKind.SAFETY, {}).get(person.pk), PlanKind.SAFETY),
        "medicines": [
            m for m in medicines.medicines_of(person) if m.stopped_on is None or m.stopped_on >= today
        ],
        "depots": depots,
        "appointments": contacts.upcoming_for(person, today, limit=NEXT_APPOINTMENTS),
        "contacts": [c for c in contacts.contacts_of(person) if c.is_current][:LAST_CONTACTS],
    }


def render_pack(team, now=None) -> tuple[str, list[int]]:
    """The pack's HTML (one self-contained page) and the ids of the people in it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    people = caseload(team, today)
    agreed = plans.agreed_revisions_by_kind([p.pk for p in people])
    entries = [person_entry(person, today, agreed) for person in people]
    css = (Path(__file__).parent / "pack.css").read_text(encoding="utf-8")
    html = render_to_string(
        "continuity/pack.html",
        {"team": team, "generated_at": now, "entries": entries, "css": Markup(css), "today": today},  # noqa: S704
    )
    return html, [person.pk for person in people]


# Writing and reading packs -----------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pack-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_pack(team, now=None, keys=None) -> PackInfo:
    """Render, encrypt and write one team's pack, replacing the last one."""
    to = recipients(keys)
    if not to:
        raise NoRecipients("Set WAYPOINT_DOWNTIME_PACK_RECIPIENTS to the Trust's age public keys (age1...).")
    now = now or timezone.now()
    html, person_ids = render_pack(team, now)
    pack_dir().mkdir(parents=True, exist_ok=True)
    _write_atomically(pack_path(team.pk), pyrage.encrypt(html.encode("utf-8"), to))
    # Ids only (no names): each download is audited against every person in the pack.
    info = {
        "team_id": team.pk,
        "team_name": team.name,
        "generated_at": now.isoformat(),
        "people": len(person_ids),
        "person_ids": person_ids,
    }
    _write_atomically(info_path(team.pk), json.dumps(info).encode("utf-8"))
    return PackInfo(team.pk, team.name, now, len(person_ids), pack_path(team.pk), tuple(person_ids))


def build_all(now=None, keys=None, progress=None) -> list[PackInfo]:
    """One pack for every active team."""
    teams = list(Team.objects.filter(is_active=True).order_by("name"))
    built = []
    for number, team in enumerate(teams, 1):
        built.append(build_pack(team, now, keys))
        if progress:
            progress(number, len(teams), team.name)
    return built


def pack_info(team_id: int) -> PackInfo | None:
    """The pack's age and size from the file beside it; None when there is no pack yet."""
    try:
        data = json.loads(info_path(team_id).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    path = pack_path(team_id)
    if not path.exists():
        return None
    return PackInfo(
        team_id,
        data["team_name"],
        datetime.fromisoformat(data["generated_at"]),
        int(data["people"]),
        path,
        tuple(int(pk) for pk in data.get("person_ids", [])),
    )


def decrypt(data: bytes, identity: str) -> str:
    """The pack's HTML, from its encrypted bytes and an age private key (AGE-SECRET-KEY-1...).
    The same as `age --decrypt -i key.txt` or `scripts/open_downtime_pack.py`; used by the tests."""
    return pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(identity.strip())]).decode("utf-8")
