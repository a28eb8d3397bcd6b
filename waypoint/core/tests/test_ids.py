from hypothesis import given
from hypothesis import strategies as st

from waypoint.core.ids import parse_id


def test_plain_ids():
    assert parse_id("42") == 42
    assert parse_id(7) == 7


def test_anything_else_is_none():
    for text in (None, "", "0", "-1", "1.5", "²", "١٢", " 4", "9" * 10, "abc"):
        assert parse_id(text) is None, text


@given(st.text())
def test_never_raises_and_is_a_small_positive_int_or_none(text):
    found = parse_id(text)
    assert found is None or 0 < found < 10**9
