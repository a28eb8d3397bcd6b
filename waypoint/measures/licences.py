"""Which measures this Trust may use: the built-in ones, plus each licensed pack it names.

Setting (environment, parsed strictly like waypoint/config/env.py):

    WAYPOINT_MEASURE_LICENCES="honos=RCPsych licence 2026/0142, swemwbs=Warwick WB-5531"

Each entry is `<pack>=<the licence it is used under>`; an unknown pack, a repeated pack or an empty
licence stops the server starting with a clear message. The optional file named by
WAYPOINT_MEASURE_ITEM_TEXT is a JSON object `{"<measure code>": {"<item key>": "<item text>"}}`
holding the full item text the Trust is licensed to show (never kept in this repository); it
may name only switched-on measures and their items.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .definitions import Definition, build
from .definitions.builtin import BUILT_IN
from .definitions.licensed import PACKS


def parse_licences(raw: str) -> dict[str, str]:
    """{"honos": "RCPsych licence 2026/0142"} from the setting's text; ImproperlyConfigured if wrong."""
    found: dict[str, str] = {}
    for entry in (part.strip() for part in (raw or "").split(",")):
        if not entry:
            continue
        pack, sep, licence = (piece.strip() for piece in entry.partition("="))
        pack = pack.lower()
        if not sep or not licence:
            raise ImproperlyConfigured(
                f"WAYPOINT_MEASURE_LICENCES: {entry!r} must be <pack>=<the licence it is used under>."
            )
        if pack not in PACKS:
            known = ", ".join(sorted(PACKS))
            raise ImproperlyConfigured(f"WAYPOINT_MEASURE_LICENCES: unknown pack {pack!r} (known: {known}).")
        if pack in found:
            raise ImproperlyConfigured(f"WAYPOINT_MEASURE_LICENCES: {pack!r} is named twice.")
        found[pack] = licence
    return found


def read_item_text(path: str, measures: dict[str, dict]) -> dict[str, dict[str, str]]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"WAYPOINT_MEASURE_ITEM_TEXT: cannot read {path!r}: {exc}") from None
    if not isinstance(data, dict):
        raise ImproperlyConfigured("WAYPOINT_MEASURE_ITEM_TEXT must hold a JSON object of measures.")
    for code, texts in data.items():
        if code not in measures:
            raise ImproperlyConfigured(
                f"WAYPOINT_MEASURE_ITEM_TEXT names {code!r}, which is not a measure switched on here."
            )
        keys = {item["key"] for item in measures[code]["items"]}
        if not isinstance(texts, dict) or not all(
            isinstance(k, str) and k in keys and isinstance(v, str) and v.strip() for k, v in texts.items()
        ):
            raise ImproperlyConfigured(
                f"WAYPOINT_MEASURE_ITEM_TEXT: {code!r} must map its item keys ({', '.join(sorted(keys))}) to text."
            )
    return data


def load(licences_raw: str, item_text_path: str) -> tuple[dict[str, Definition], dict[str, str]]:
    """(every usable definition by code, licence by pack) for these settings."""
    licences = parse_licences(licences_raw)
    raw = {m["code"]: m for m in BUILT_IN}
    for pack in licences:
        raw.update({m["code"]: m for m in PACKS[pack]})
    texts = read_item_text(item_text_path, raw)
    return {code: build(entry, texts.get(code)) for code, entry in raw.items()}, licences


_cache: dict[tuple[str, str], tuple[dict[str, Definition], dict[str, str]]] = {}


def _current():
    key = (
        getattr(settings, "WAYPOINT_MEASURE_LICENCES", ""),
        getattr(settings, "WAYPOINT_MEASURE_ITEM_TEXT", ""),
    )
    if key not in _cache:
        _cache[key] = load(*key)
    return _cache[key]


def definitions() -> dict[str, Definition]:
    """Every measure this Trust may record now, by code (built-in first, in a fixed order)."""
    return _current()[0]


def definition(code: str) -> Definition | None:
    return definitions().get(code)


def licence_for(defn: Definition) -> str:
    return _current()[1].get(defn.licence, "")


def any_definition(code: str) -> Definition | None:
    """A measure's definition even if its pack has since been switched off (to show old records)."""
    found = definition(code)
    if found is not None:
        return found
    for measures in PACKS.values():
        for entry in measures:
            if entry["code"] == code:
                return build(entry)
    return None
