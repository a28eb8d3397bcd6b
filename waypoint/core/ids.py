"""Record ids typed into query strings and forms."""

import re

_ID = re.compile(
    r"[0-9]{1,9}"
)  # ASCII digits only ("²".isdigit() is true), and small enough for the database


def parse_id(text: object) -> int | None:
    """The id in `text`, or None if it is not a plain, positive database id."""
    if text is None or not _ID.fullmatch(str(text)):
        return None
    return int(str(text)) or None
