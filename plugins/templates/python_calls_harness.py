"""codeaug's harness for `calls` tests in Python (copied into each job as harness.py).

Imports the candidate from solution.py, calls the entry point once per case, compares
with the language-neutral semantics (floats with tolerance, sets unordered, tuples and
lists both as sequences), and prints one result line after RESULT_MARKER.
"""

import json
import math
import sys
import traceback

RESULT_MARKER = "@@codeaug-calls-result@@"


def convert(value, typ):
    """JSON value -> the Python value the signature promises."""
    name, args = typ
    if value is None:
        return None
    if name == "optional":
        return convert(value, args[0])
    if name == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if name == "list":
        return [convert(v, args[0]) for v in value]
    if name == "set":
        return {convert(v, args[0]) for v in value}
    if name == "tuple":
        if len(args) == len(value):
            return tuple(convert(v, t) for v, t in zip(value, args, strict=True))
        return tuple(value)
    if name == "dict":
        key_type, value_type = args
        return {convert_key(k, key_type): convert(v, value_type) for k, v in value.items()}
    return value


def convert_key(key, typ):
    name = typ[0]
    if name == "int":
        return int(key)
    if name == "float":
        return float(key)
    if name == "bool":
        return key in ("true", "True", "1")
    return key


def equal(actual, expected, typ, rel_tol, abs_tol):
    name, args = typ
    if expected is None or actual is None:
        return actual is None and expected is None
    if name == "optional":
        return equal(actual, expected, args[0], rel_tol, abs_tol)
    if name == "float" or (name == "any" and isinstance(expected, float)):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        if math.isnan(expected):
            return math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=abs_tol)
    if name == "bool":
        return isinstance(actual, bool) and actual == expected
    if name == "int":
        return isinstance(actual, int) and not isinstance(actual, bool) and actual == expected
    if name == "str":
        return isinstance(actual, str) and actual == expected
    if name == "set":
        if not isinstance(actual, (set, frozenset, list, tuple)):
            return False
        return set(actual) == set(expected)
    if name in ("list", "tuple") or (name == "any" and isinstance(expected, (list, tuple))):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return False
        if name == "list":
            types = [args[0]] * len(expected)
        elif name == "tuple" and len(args) == len(expected):
            types = args
        else:
            types = [("any", [])] * len(expected)
        pairs = zip(actual, expected, types, strict=True)
        return all(equal(a, e, t, rel_tol, abs_tol) for a, e, t in pairs)
    if name == "dict" or (name == "any" and isinstance(expected, dict)):
        if not isinstance(actual, dict) or set(actual) != set(expected):
            return False
        value_type = args[1] if name == "dict" else ("any", [])
        return all(equal(actual[k], expected[k], value_type, rel_tol, abs_tol) for k in expected)
    return actual == expected


def main():
    with open("cases.json", encoding="utf-8") as f:
        spec = json.load(f)
    report = {"total": len(spec["cases"]), "passed": 0, "failure": None}
    import solution

    fn = getattr(solution, spec["entry_point"])
    param_types = spec["param_types"]  # parsed on the host: [name, [args...]]
    return_type = spec["returns"]
    for index, case in enumerate(spec["cases"]):
        types = param_types if len(param_types) == len(case["args"]) else [("any", [])] * len(
            case["args"])
        args = [convert(a, t) for a, t in zip(case["args"], types, strict=True)]
        expected = convert(case["expected"], return_type)
        call = "{}({})".format(spec["entry_point"], ", ".join(repr(a) for a in args))
        try:
            actual = fn(*args)
        except Exception as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            report["failure"] = {"case": index, "call": call, "expected": repr(expected),
                                 "error": error}
            break
        if not equal(actual, expected, return_type, spec["rel_tol"], spec["abs_tol"]):
            report["failure"] = {"case": index, "call": call, "expected": repr(expected),
                                 "actual": repr(actual)[:2000]}
            break
        report["passed"] += 1
    sys.stdout.flush()
    print("\n" + RESULT_MARKER + " " + json.dumps(report))
    sys.stdout.flush()
    sys.exit(0 if report["passed"] == report["total"] else 1)


main()
