"""`@per_request` answers once inside a scope; a nested scope joins the outer one."""

from waypoint.core.memo import per_request, request_scope

calls = []


@per_request
def counted(ids):
    calls.append(tuple(ids))
    return len(calls)


def test_outside_a_scope_it_runs_every_time():
    calls.clear()
    assert counted([1, 2]) == 1
    assert counted([1, 2]) == 2


def test_inside_a_scope_the_same_arguments_share_one_answer():
    calls.clear()
    with request_scope():
        assert counted([1, 2]) == 1
        assert counted((1, 2)) == 1  # lists and tuples of ids compare by value
        assert counted([3]) == 2
    with request_scope():  # a new request computes again
        assert counted([1, 2]) == 3


def test_a_nested_scope_joins_the_outer_one():
    calls.clear()
    with request_scope():
        assert counted([1]) == 1
        with request_scope():  # e.g. worklist.due_for inside the record page's scope
            assert counted([1]) == 1
            assert counted([2]) == 2
        assert counted([2]) == 2  # still shared after the inner scope ends
    assert counted([2]) == 3
