"""Compute a read once per request: `@per_request` on a selector, `request_scope()` around a page.

Inside a `request_scope()` (the record pages open one; `worklist.registry.due_for` opens one, or
joins the page's), a `@per_request` function called again with the same arguments returns the first
answer instead of querying again, so two sections or two worklist providers that need the same fact
share one query. Outside a scope it simply runs. The
answer is shared: callers must not change it. Arguments are compared by value (lists and sets of
ids as sorted tuples, model instances by primary key).
"""

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_scope: ContextVar[dict | None] = ContextVar("waypoint_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Open a scope; inside one already (a page that calls `due_for`), join it."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def _key(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_key(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(_key(v) for v in value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _key(v)) for k, v in value.items())))
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return (value._meta.label, value.pk)
    return value


def per_request(function: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = _scope.get()
        if cache is None:
            return function(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            key = (function.__module__, function.__qualname__, _key(bound.args), _key(bound.kwargs))
            hash(key)
        except TypeError:
            return function(*args, **kwargs)
        if key not in cache:
            cache[key] = function(*args, **kwargs)
        return cache[key]

    return wrapper
