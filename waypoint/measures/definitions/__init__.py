"""Measures are data: each one is a plain Python mapping (see `builtin.py` and `licensed.py`),
read here into frozen `Definition`s. Adding a measure is adding a mapping, never new scoring code:
`waypoint/measures/scoring.py` scores every measure from its definition.

Licensed packs (HoNOS, ReQoL-10, SWEMWBS) are off until a Trust names its licence in the setting
`WAYPOINT_MEASURE_LICENCES` (see `licences.py`); their full item text is never in this repository
and may be loaded from a file the Trust holds (`WAYPOINT_MEASURE_ITEM_TEXT`).
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str  # the question as shipped (unaltered where the licence allows text; else a short name)
    short: str  # a short name for tables and charts
    options: tuple[Option, ...]
    reverse: bool = False  # reverse-scored: the score is (lowest + highest) - answer
    snomed: str = ""
    safety: bool = False  # an answer above 0 prompts a review of the risk formulation and safety plan
    not_known: int | None = None  # an answer meaning "not known": kept, excluded from every total
    subscale: str = ""  # the subscale this item counts towards, if any
    needs_problem_type: bool = False  # HoNOS scale 8

    @property
    def lowest(self) -> int:
        return min(o.value for o in self.options if o.value != self.not_known)

    @property
    def highest(self) -> int:
        return max(o.value for o in self.options if o.value != self.not_known)


@dataclass(frozen=True)
class Band:
    lowest: Decimal  # the band starts at this score (inclusive)
    label: str


@dataclass(frozen=True)
class Subscale:
    key: str
    label: str
    method: str  # "sum" or "mean"


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    title: str
    stem: str  # the instruction above the items
    items: tuple[Item, ...]
    method: str  # "sum", "mean", "mean_x10" (CORE-10 clinical score), "subscale:<key>" (DIALOG)
    lowest: Decimal
    highest: Decimal
    higher_is_better: bool
    licence: str  # "free", or the name of a licensed pack
    attribution: str
    snomed: str = ""
    max_missing: int = 0  # prorate when at most this many items are missing
    bands: tuple[Band, ...] = ()
    cutoff: Decimal | None = None  # the clinical cut-off: in the clinical range at or beyond this
    cutoff_label: str = ""
    reliable_change: Decimal | None = None
    subscales: tuple[Subscale, ...] = ()
    conversion: dict[int, Decimal] = field(default_factory=dict)  # raw total -> reported score
    decimals: int = 0
    prorate: bool = True  # a sum with missing items is scaled up to all items (False: sum of those answered)
    item_text_is_short_name: bool = True  # True when only short names are shipped (licensed packs)

    @property
    def is_licensed(self) -> bool:
        return self.licence != "free"

    @property
    def safety_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.safety)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def band_for(self, score: Decimal | None) -> str:
        if score is None or not self.bands:
            return ""
        label = ""
        for band in self.bands:
            if score >= band.lowest:
                label = band.label
        return label

    def in_clinical_range(self, score: Decimal | None) -> bool | None:
        if score is None or self.cutoff is None:
            return None
        return score < self.cutoff if self.higher_is_better else score >= self.cutoff


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def build(raw: dict, item_text: dict[str, str] | None = None) -> Definition:
    """A Definition from its data mapping; `item_text` (from a Trust's file) replaces short names."""
    options = tuple(Option(v, label) for v, label in raw["options"])
    items = []
    for entry in raw["items"]:
        item_options = (
            tuple(Option(v, label) for v, label in entry["options"]) if "options" in entry else options
        )
        text = (item_text or {}).get(entry["key"], entry.get("text", entry["short"]))
        items.append(
            Item(
                key=entry["key"],
                text=text,
                short=entry["short"],
                options=item_options,
                reverse=entry.get("reverse", False),
                snomed=entry.get("snomed", ""),
                safety=entry.get("safety", False),
                not_known=raw.get("not_known"),
                subscale=entry.get("subscale", ""),
                needs_problem_type=entry.get("needs_problem_type", False),
            )
        )
    return Definition(
        code=raw["code"],
        name=raw["name"],
        title=raw["title"],
        stem=raw.get("stem", ""),
        items=tuple(items),
        method=raw["method"],
        lowest=_d(raw["range"][0]),
        highest=_d(raw["range"][1]),
        higher_is_better=raw["higher_is_better"],
        licence=raw["licence"],
        attribution=raw.get("attribution", ""),
        snomed=raw.get("snomed", ""),
        max_missing=raw.get("max_missing", 0),
        bands=tuple(Band(_d(low), label) for low, label in raw.get("bands", ())),
        cutoff=_d(raw.get("cutoff")),
        cutoff_label=raw.get("cutoff_label", ""),
        reliable_change=_d(raw.get("reliable_change")),
        subscales=tuple(Subscale(*s) for s in raw.get("subscales", ())),
        conversion={int(k): _d(v) for k, v in raw.get("conversion", {}).items()},
        decimals=raw.get("decimals", 0),
        prorate=raw.get("prorate", True),
        item_text_is_short_name=raw.get("item_text_is_short_name", True) and not item_text,
    )
