"""Record types are `RecordType` values: no free string is typed by hand anywhere in the code."""

import re
from pathlib import Path

import waypoint

ROOT = Path(waypoint.__file__).parent
FREE_STRING = re.compile(r"""record_type\s*=\s*["']|RECORD_TYPE\s*=\s*["']""")


def _offenders(paths):
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if FREE_STRING.search(line):
                found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    return found


def _code_files():
    return [
        path for path in ROOT.rglob("*.py") if "migrations" not in path.parts and "tests" not in path.parts
    ]


def test_no_free_string_record_type_outside_the_enum():
    offenders = _offenders(_code_files())
    assert not offenders, "Use audit.models.RecordType, not a string:\n" + "\n".join(offenders)


def test_the_grep_catches_a_free_string(tmp_path):
    sample = tmp_path / "services.py"
    sample.write_text('audit.write(by, action=Action.VIEW, record_type="reviews")\n')
    ROOT_parent = ROOT.parent
    assert FREE_STRING.search(sample.read_text())
    assert ROOT_parent.exists()
