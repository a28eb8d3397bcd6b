"""Sections other contexts add to a person's record page, without the person index knowing them.

Each section is a template and a loader (person -> context). Loaders must use a fixed number of
queries. Referrals and allocation register theirs in their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSection:
    key: str
    order: int
    template: str
    loader: Callable


_sections: dict[str, RecordSection] = {}


def register_section(section: RecordSection) -> None:
    _sections[section.key] = section


def sections_for(person):
    return [
        (section.template, section.loader(person))
        for section in sorted(_sections.values(), key=lambda s: s.order)
    ]
