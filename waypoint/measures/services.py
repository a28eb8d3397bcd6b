"""Recording outcome measures: atomic, audited, and read-only once recorded.

A measure is recorded complete in one step (staff enter a completed questionnaire, on paper or
with the person). It is never changed: `replace_measure` records a corrected copy that names the
one it replaces and says why; the earlier one stays, marked as replaced. The database refuses any
UPDATE of a measure row (migration 0002), so this holds even outside this service.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from . import scoring
from .definitions import Definition
from .extensions import RECORD_DIALOG_PLUS, RECORD_MEASURE
from .models import CompletedBy, DialogPlusSession, Measure, Mode, SelfCompletion, SelfCompletionStatus

RECORD_TYPE = RecordType.OUTCOME_MEASURE

# Measures the person rates themselves (HoNOS is rated by a clinician; Goal-Based Outcomes need
# the goals agreed in words with the worker first).
SELF_REPORT_CODES = ("phq9", "gad7", "core10", "dialog", "reqol", "swemwbs")


class CannotReplace(Exception):
    """The measure is not this person's, is another measure, or has already been replaced."""


def _apply_score(measure: Measure, defn: Definition):
    result = scoring.score(defn, measure.answers)
    measure.total = result.total
    measure.raw_total = result.raw
    measure.band = result.band
    measure.prorated = result.prorated
    measure.subscales = {
        key: (str(value) if value is not None else None) for key, value in result.subscales.items()
    }


@transaction.atomic
def record_measure(
    *,
    by: Actor,
    person,
    defn: Definition,
    answers: dict,
    timing: str,
    completed_on: date,
    completed_by_who: str,
    mode: str,
    details: dict | None = None,
    replaces: Measure | None = None,
    reason: str = "",
) -> Measure:
    """Record a completed measure (scored now, from its definition). `replaces` corrects an earlier one."""
    permissions.require(by, RECORD_MEASURE)
    if replaces is not None:
        earlier = Measure.objects.select_for_update().get(pk=replaces.pk)
        if (
            earlier.person_id != person.pk
            or earlier.code != defn.code
            or Measure.objects.filter(replaces=earlier).exists()
            or not reason.strip()
        ):
            raise CannotReplace()
    measure = Measure(
        person=person,
        code=defn.code,
        timing=timing,
        completed_on=completed_on,
        completed_by_who=completed_by_who,
        mode=mode,
        answers={key: value for key, value in answers.items()},
        details=details or {},
        replaces=replaces,
        replacement_reason=reason.strip() if replaces else "",
        recorded_by=by.user,
        recorded_at=timezone.now(),
    )
    _apply_score(measure, defn)
    measure.save()
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RECORD_TYPE,
        record_id=measure.pk,
        fields_changed=[f"item {key}" for key, value in answers.items() if value is not None]
        + ["timing", "completed_on", "completed_by_who", "mode"]
        + (["replaces", "replacement_reason"] if replaces else []),
    )
    return measure


def replace_measure(*, by: Actor, measure: Measure, defn: Definition, reason: str, **fields) -> Measure:
    return record_measure(by=by, person=measure.person, defn=defn, replaces=measure, reason=reason, **fields)


class SelfCompletionClosed(Exception):
    """The questionnaire has already been finished: its answers are a recorded measure now."""


class SelfCompletionIncomplete(Exception):
    def __init__(self, unanswered: list[int]):
        super().__init__(f"Questions not answered: {unanswered}")
        self.unanswered = unanswered  # question numbers, from 1


def _audit_self(by, sc: SelfCompletion, action, fields):
    audit.write(
        by,
        person=sc.person,
        action=action,
        record_type=RecordType.SELF_COMPLETION,
        record_id=sc.pk,
        fields_changed=fields,
    )


@transaction.atomic
def start_self_completion(*, by: Actor, person, defn: Definition, timing: str) -> SelfCompletion:
    """Start a questionnaire for the person to fill in on a tablet or phone."""
    permissions.require(by, RECORD_MEASURE)
    if defn.code not in SELF_REPORT_CODES:
        raise ValueError(f"{defn.name} is not filled in by the person")
    sc = SelfCompletion.objects.create(person=person, code=defn.code, timing=timing, started_by=by.user)
    _audit_self(by, sc, Action.CREATE, ["code", "timing"])
    return sc


def _lock_open(sc: SelfCompletion) -> SelfCompletion:
    current = SelfCompletion.objects.select_for_update().select_related("person").get(pk=sc.pk)
    if current.status != SelfCompletionStatus.IN_PROGRESS:
        raise SelfCompletionClosed()
    return current


@transaction.atomic
def save_self_answer(*, by: Actor, sc: SelfCompletion, defn: Definition, key: str, value: int | None):
    """Save one answer as the person gives it (None clears it: "skip this question")."""
    permissions.require(by, RECORD_MEASURE)
    current = _lock_open(sc)
    item = next((i for i in defn.items if i.key == key), None)
    if item is None or (value is not None and value not in {o.value for o in item.options}):
        raise ValueError("Not an answer to this question")
    if current.answers.get(key) == value and key in current.answers:
        return current
    current.answers = {**current.answers, key: value}
    current.save(update_fields=["answers"])
    _audit_self(by, current, Action.UPDATE, [f"item {key}"])
    return current


def unanswered(defn: Definition, answers: dict) -> list[int]:
    """The question numbers that must still be answered before the measure can be scored."""
    missing = [n for n, item in enumerate(defn.items, start=1) if answers.get(item.key) is None]
    return missing if len(missing) > defn.max_missing else []


@transaction.atomic
def finish_self_completion(*, by: Actor, sc: SelfCompletion, defn: Definition) -> Measure:
    """The person has finished: record the measure (mode "self", completed by the person, today)."""
    permissions.require(by, RECORD_MEASURE)
    current = _lock_open(sc)
    missing = unanswered(defn, current.answers)
    if missing:
        raise SelfCompletionIncomplete(missing)
    measure = record_measure(
        by=by,
        person=current.person,
        defn=defn,
        answers={item.key: current.answers.get(item.key) for item in defn.items},
        timing=current.timing,
        completed_on=timezone.localdate(),
        completed_by_who=CompletedBy.PERSON,
        mode=Mode.SELF,
    )
    current.status = SelfCompletionStatus.FINISHED
    current.finished_at = timezone.now()
    current.measure = measure
    current.save(update_fields=["status", "finished_at", "measure"])
    _audit_self(by, current, Action.COMPLETE, ["status", "measure"])
    return measure


@transaction.atomic
def hand_back(*, by: Actor, sc: SelfCompletion) -> SelfCompletion:
    """Staff have taken the device back (their password was checked by the view)."""
    current = SelfCompletion.objects.select_for_update().select_related("person").get(pk=sc.pk)
    current.handed_back_at = timezone.now()
    current.save(update_fields=["handed_back_at"])
    _audit_self(by, current, Action.UPDATE, ["handed_back_at"])
    return current


# DIALOG+ ---------------------------------------------------------------------------------------


class ConversationAlreadyRecorded(Exception):
    """The session's conversation has been recorded: it is read-only."""


@transaction.atomic
def start_dialog_plus(
    *,
    by: Actor,
    person,
    defn: Definition,
    answers: dict,
    domains: list[str],
    timing: str,
    completed_on: date,
    completed_by_who: str,
    mode: str,
) -> DialogPlusSession:
    """Record the 11 DIALOG ratings and the domains the person chose to talk about."""
    permissions.require(by, RECORD_DIALOG_PLUS)
    keys = [item.key for item in defn.items]
    if defn.code != "dialog" or not domains or any(d not in keys for d in domains):
        raise ValueError("Choose DIALOG domains to talk about")
    measure = record_measure(
        by=by,
        person=person,
        defn=defn,
        answers=answers,
        timing=timing,
        completed_on=completed_on,
        completed_by_who=completed_by_who,
        mode=mode,
    )
    session = DialogPlusSession.objects.create(
        person=person,
        measure=measure,
        domains=[key for key in keys if key in domains],
        recorded_by=by.user,
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.DIALOG_PLUS,
        record_id=session.pk,
        fields_changed=["measure", "domains"],
    )
    return session


@transaction.atomic
def record_conversation(
    *, by: Actor, session: DialogPlusSession, discussion: dict, add_to_plan: bool, team=None
) -> DialogPlusSession:
    """Record the four steps for each chosen domain and the actions agreed; with `add_to_plan`,
    each domain with agreed actions becomes a need in the care plan (goal: looking forward, in the
    person's words; interventions: the actions), through the plans app's service."""
    permissions.require(by, RECORD_DIALOG_PLUS)
    current = (
        DialogPlusSession.objects.select_for_update().select_related("person", "measure").get(pk=session.pk)
    )
    if current.is_recorded:
        raise ConversationAlreadyRecorded()
    cleaned = {}
    for key in current.domains:
        entry = discussion.get(key) or {}
        cleaned[key] = {
            "understanding": (entry.get("understanding") or "").strip(),
            "looking_forward": (entry.get("looking_forward") or "").strip(),
            "options": (entry.get("options") or "").strip(),
            "actions": [
                {part: (action.get(part) or "").strip() for part in ("what", "who", "how_often")}
                for action in entry.get("actions") or []
                if (action.get("what") or "").strip()
            ],
        }
    current.discussion = cleaned
    current.conversation_recorded_at = timezone.now()
    fields = ["discussion", "conversation_recorded_at"]
    if add_to_plan:
        from waypoint.plans import services as plan_services

        defn = current.measure.definition
        names = {item.key: item.short for item in defn.items}
        needs = [
            {
                "need": f"{names[key]} (from DIALOG+, {current.measure.completed_on:%-d %B %Y})",
                "goal": entry["looking_forward"],
                "interventions": entry["actions"],
            }
            for key, entry in cleaned.items()
            if entry["actions"]
        ]
        if needs:
            current.plan_revision = plan_services.add_needs_to_care_plan(
                by=by, person=current.person, team=team, needs=needs
            )
            fields.append("plan_revision")
    current.save(update_fields=fields)
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.DIALOG_PLUS,
        record_id=current.pk,
        fields_changed=fields,
    )
    return current
