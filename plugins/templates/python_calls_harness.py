"""codeaug's harness for `calls` tests in Python (copied into each job as harness.py).

Imports the candidate from solution.py, converts each case's JSON arguments to the
types the signature promises (tuples, sets, int dict keys), calls the entry point, and
reports what it returned as JSON, one line per case (protocol: codeaug/calls.py). The
host compares.
"""

import json
import sys
import traceback

CASE = "@@codeaug-case@@"
DONE = "@@codeaug-done@@"


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
    if name == "tuple" and len(args) == len(value):
        return tuple(convert(v, t) for v, t in zip(value, args, strict=True))
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


def to_json(value):
    """Tuples and sets become arrays; dict keys become strings (JSON has no others)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {json_key(k): to_json(v) for k, v in value.items()}
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


def json_key(key):
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float, str)):
        return str(key)
    raise TypeError(f"a {type(key).__name__} dict key is not a JSON key")


def report(index, kind, payload):
    sys.stdout.write(f"\n{CASE} {index} {kind} {payload}\n")
    sys.stdout.flush()


def main():
    with open("cases.json", encoding="utf-8") as f:
        spec = json.load(f)
    import solution

    fn = getattr(solution, spec["entry_point"])
    param_types = spec["param_types"]  # parsed on the host: [name, [args...]]
    for index, case in enumerate(spec["cases"]):
        same = len(param_types) == len(case["args"])
        types = param_types if same else [["any", []]] * len(case["args"])
        args = [convert(a, t) for a, t in zip(case["args"], types, strict=True)]
        try:
            actual = fn(*args)
        except Exception as exc:
            message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            report(index, "raised", json.dumps(message))
            continue
        try:
            payload = json.dumps(to_json(actual), ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            report(index, "unserializable", json.dumps(str(exc)))
            continue
        report(index, "ok", payload)
    sys.stdout.write(f"\n{DONE}\n")


main()
