"""Comparing a returned value with the expected one, by the signature's neutral type.

One implementation for every language: a language's harness only reports what the
candidate returned, as JSON, and the host decides here. The semantics users expect:

- ``int``, ``str``, ``bool``: exact (a bool is not an int, an int is not a float string);
- ``float``: within ``rel_tol`` or ``abs_tol`` (NaN equals NaN, infinities by sign; an
  integral JSON number is accepted for a float, since some languages print ``2`` for 2.0);
- ``list`` and ``tuple``: same length, element by element, in order (both arrive as JSON
  arrays);
- ``set``: unordered, as multisets (a set has no duplicates; a language that returns a
  list for a set must not gain by repeating elements);
- ``dict``: same keys (compared as strings, since JSON keys are strings), values by type;
- ``optional``: ``null`` or the inner type; ``any``: structural, floats with tolerance.
"""

from __future__ import annotations

import math
from typing import Any

from codeaug.typesys import TypeExpr

ANY = TypeExpr("any")


def values_equal(actual: Any, expected: Any, t: TypeExpr, rel_tol: float = 1e-6,
                 abs_tol: float = 1e-6) -> bool:
    """True when ``actual`` (decoded JSON) matches ``expected`` for type ``t``."""
    name = t.name
    if name == "optional":
        if expected is None or actual is None:
            return actual is None and expected is None
        return values_equal(actual, expected, t.args[0], rel_tol, abs_tol)
    if name == "none":
        return actual is None
    if name == "any":
        return _any_equal(actual, expected, rel_tol, abs_tol)
    if name == "float":
        return _float_equal(actual, expected, rel_tol, abs_tol)
    if name == "bool":
        return isinstance(actual, bool) and actual == expected
    if name == "int":
        return _is_int(actual) and _is_int(expected) and actual == expected
    if name == "str":
        return isinstance(actual, str) and actual == expected
    if name in ("list", "tuple"):
        if not isinstance(actual, list) or not isinstance(expected, list):
            return False
        if len(actual) != len(expected):
            return False
        types = [t.args[0]] * len(expected) if name == "list" else list(t.args)
        if len(types) != len(expected):
            return False
        return all(values_equal(a, e, s, rel_tol, abs_tol)
                   for a, e, s in zip(actual, expected, types, strict=True))
    if name == "set":
        if not isinstance(actual, list) or not isinstance(expected, list):
            return False
        return _multiset_equal(actual, expected, t.args[0], rel_tol, abs_tol)
    if name == "dict":
        if not isinstance(actual, dict) or not isinstance(expected, dict):
            return False
        if set(map(str, actual)) != set(map(str, expected)):
            return False
        by_key = {str(k): v for k, v in actual.items()}
        return all(values_equal(by_key[str(k)], v, t.args[1], rel_tol, abs_tol)
                   for k, v in expected.items())
    return bool(actual == expected)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _float_equal(actual: Any, expected: Any, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return False
    if isinstance(expected, bool) or not isinstance(expected, int | float):
        return False
    a, e = float(actual), float(expected)
    if math.isnan(e) or math.isnan(a):
        return math.isnan(a) and math.isnan(e)
    if math.isinf(e) or math.isinf(a):
        return a == e
    return math.isclose(a, e, rel_tol=rel_tol, abs_tol=abs_tol)


def _any_equal(actual: Any, expected: Any, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(expected, float) and not isinstance(expected, bool):
        return _float_equal(actual, expected, rel_tol, abs_tol)
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(_any_equal(a, e, rel_tol, abs_tol)
                        for a, e in zip(actual, expected, strict=True)))
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(map(str, actual)) != set(map(str, expected)):
            return False
        by_key = {str(k): v for k, v in actual.items()}
        return all(_any_equal(by_key[str(k)], v, rel_tol, abs_tol) for k, v in expected.items())
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int) and isinstance(actual, float):
        return _float_equal(actual, expected, rel_tol, abs_tol)
    return bool(actual == expected)


def _multiset_equal(actual: list[Any], expected: list[Any], t: TypeExpr, rel_tol: float,
                    abs_tol: float) -> bool:
    if len(actual) != len(expected):
        return False
    unmatched = list(actual)
    for e in expected:
        for i, a in enumerate(unmatched):
            if values_equal(a, e, t, rel_tol, abs_tol):
                del unmatched[i]
                break
        else:
            return False
    return True


def canonical_order(value: Any, t: TypeExpr) -> Any:
    """``value`` with the elements of every ``set`` in it sorted (by their JSON text), so
    a value computed twice, by programs whose set iteration order differs (hash seeds),
    is written the same way. Other values are returned as they are."""
    import json

    name = t.name
    if value is None:
        return None
    if name == "optional" and t.args:
        return canonical_order(value, t.args[0])
    if name == "set" and isinstance(value, list):
        inner = t.args[0] if t.args else ANY
        items = [canonical_order(v, inner) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if name in ("list", "tuple") and isinstance(value, list):
        if name == "tuple" and len(t.args) == len(value):
            return [canonical_order(v, a) for v, a in zip(value, t.args, strict=True)]
        inner = t.args[0] if t.args else ANY
        return [canonical_order(v, inner) for v in value]
    if name == "dict" and isinstance(value, dict) and len(t.args) == 2:
        return {k: canonical_order(v, t.args[1]) for k, v in value.items()}
    return value
