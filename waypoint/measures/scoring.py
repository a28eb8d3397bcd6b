"""Scoring every measure from its definition (`definitions`): no per-measure code here.

Rules, as the definition says:
- an item's score is its answer, or (lowest + highest) - answer when reverse-scored;
- an answer of "not known" (HoNOS 9) is kept but excluded from every total;
- "sum": the sum of item scores; with up to `max_missing` items unanswered it is prorated
  (sum x items / answered) unless `prorate` is False (then the sum of those rated);
- "mean": the mean of the answered items; "mean_x10": the mean x 10 (CORE-10 clinical score);
- "subscale:<key>": the headline is that subscale (DIALOG: subjective quality of life);
- a conversion table turns the raw total into the reported score (SWEMWBS metric score), and
  needs every item answered;
- more missing than `max_missing`: no score (the answers are still kept and shown).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .definitions import Definition


@dataclass(frozen=True)
class Score:
    total: Decimal | None  # None when too many items are missing to score
    raw: Decimal | None
    band: str
    prorated: bool
    answered: int
    missing: tuple[str, ...]
    not_known: tuple[str, ...]
    subscales: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def scored(self) -> bool:
        return self.total is not None


class InvalidAnswer(ValueError):
    pass


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def item_score(item, answer: int) -> int:
    return (item.lowest + item.highest - answer) if item.reverse else answer


def score(defn: Definition, answers: dict[str, int | None]) -> Score:
    scores: dict[str, int] = {}
    missing: list[str] = []
    not_known: list[str] = []
    for item in defn.items:
        answer = answers.get(item.key)
        if answer is None or answer == "":
            missing.append(item.key)
            continue
        if answer not in {o.value for o in item.options}:
            raise InvalidAnswer(f"{defn.name} item {item.key}: {answer!r} is not one of its answers")
        if item.not_known is not None and answer == item.not_known:
            not_known.append(item.key)
            continue
        scores[item.key] = item_score(item, answer)

    subscales: dict[str, Decimal | None] = {}
    for sub in defn.subscales:
        values = [scores[i.key] for i in defn.items if i.subscale == sub.key and i.key in scores]
        expected = sum(1 for i in defn.items if i.subscale == sub.key)
        if not values or (sub.method == "mean" and len(values) < expected - defn.max_missing):
            subscales[sub.key] = None
        elif sub.method == "mean":
            subscales[sub.key] = _round(Decimal(sum(values)) / len(values), defn.decimals)
        else:
            subscales[sub.key] = Decimal(sum(values))

    unscored = len(missing) + len(not_known)
    answered = len(scores)
    total: Decimal | None = None
    raw: Decimal | None = Decimal(sum(scores.values())) if scores else None
    prorated = False
    if answered and unscored <= defn.max_missing:
        if defn.method.startswith("subscale:"):
            total = subscales.get(defn.method.partition(":")[2])
        elif defn.method == "mean":
            total = _round(Decimal(sum(scores.values())) / answered, defn.decimals)
        elif defn.method == "mean_x10":
            total = _round(Decimal(sum(scores.values())) * 10 / answered, defn.decimals)
            prorated = unscored > 0
        elif defn.conversion:
            total = defn.conversion[int(raw)] if unscored == 0 and raw is not None else None
        elif defn.prorate and unscored:
            total = _round(Decimal(sum(scores.values())) * len(defn.items) / answered, defn.decimals)
            prorated = True
        else:
            total = raw
    return Score(
        total=total,
        raw=raw,
        band=defn.band_for(total),
        prorated=prorated,
        answered=answered,
        missing=tuple(missing),
        not_known=tuple(not_known),
        subscales=subscales,
    )


def safety_items_answered(defn: Definition, answers: dict) -> list:
    """The safety items (PHQ-9 item 9, CORE-10 item 6) answered above 0: a prompt, never a score."""
    return [item for item in defn.safety_items if (answers.get(item.key) or 0) > 0]


@dataclass(frozen=True)
class Change:
    words: str  # "reliably improved", "no reliable change", "reliably deteriorated", or why not known
    difference: Decimal | None
    reliable: bool

    @property
    def improved(self):
        return self.reliable and self.words == IMPROVED


IMPROVED = "reliably improved"
DETERIORATED = "reliably deteriorated"
NO_CHANGE = "no reliable change"


def change_since(defn: Definition, baseline: Decimal | None, now: Decimal | None) -> Change | None:
    """The change from the baseline, in words: reliable when at least the measure's threshold."""
    if baseline is None or now is None:
        return None
    difference = now - baseline
    if defn.reliable_change is None:
        return Change("no reliable change threshold for this measure", difference, False)
    better = difference if defn.higher_is_better else -difference
    if better >= defn.reliable_change:
        return Change(IMPROVED, difference, True)
    if -better >= defn.reliable_change:
        return Change(DETERIORATED, difference, True)
    return Change(NO_CHANGE, difference, False)
