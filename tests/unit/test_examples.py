"""Data integrity of examples/seeds.jsonl: it decodes, and every reference solution passes.

This runs the reference solutions in a local subprocess (they are our own code); it
checks the data, not the sandbox.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from codeaug.errors import RecordError
from codeaug.pysignature import signature_from_python
from codeaug.record import CallsTests, CodeTests, IoTests, Problem, iter_problems
from codeaug.typesys import parse_type

SEEDS = Path(__file__).parents[2] / "examples" / "seeds.jsonl"

# Runs one calls problem: reads {"solution", "entry_point", "params", "returns", "cases",
# "rel_tol", "abs_tol"} on stdin and prints a JSON list with one verdict per case.
# Arguments are converted by signature (JSON arrays → tuple/set); results compare with a
# float tolerance, sets unordered, tuples against JSON arrays, and types exactly otherwise.
DRIVER = r'''
import json, math, sys

job = json.load(sys.stdin)

def parse(t):
    t = t.replace(" ", "").lower()
    if "[" not in t:
        return (t, [])
    name, inner = t[: t.index("[")], t[t.index("[") + 1 : -1]
    args, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            args.append(parse(inner[start:i]))
            start = i + 1
    args.append(parse(inner[start:]))
    return (name, args)

def to_arg(v, t):
    name, args = t
    if v is None or name == "any":
        return v
    if name == "optional":
        return to_arg(v, args[0])
    if name == "tuple":
        return tuple(to_arg(x, a) for x, a in zip(v, args, strict=True))
    if name == "list":
        return [to_arg(x, args[0]) for x in v]
    if name == "set":
        return {to_arg(x, args[0]) for x in v}
    if name == "dict":
        return {k: to_arg(x, args[1]) for k, x in v.items()}
    if name == "float":
        return float(v)
    return v

def same(got, want, t):
    name, args = t
    if name == "any":
        return got == want
    if name == "optional":
        return got is None and want is None or (
            got is not None and want is not None and same(got, want, args[0]))
    if name == "float":
        return isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(
            got, want, rel_tol=job["rel_tol"], abs_tol=job["abs_tol"])
    if name == "set":
        return isinstance(got, (set, frozenset)) and len(got) == len(want) and all(
            any(same(g, w, args[0]) for w in want) for g in got)
    if name in ("list", "tuple"):
        kind = list if name == "list" else tuple
        types = args * len(want) if name == "list" else args
        return isinstance(got, kind) and len(got) == len(want) == len(types) and all(
            same(g, w, a) for g, w, a in zip(got, want, types))
    if name == "dict":
        return isinstance(got, dict) and got.keys() == want.keys() and all(
            same(got[k], want[k], args[1]) for k in want)
    return type(got) is type(want) and got == want

namespace = {"__name__": "__main__"}
exec(compile(job["solution"], "<solution>", "exec"), namespace)
func = namespace[job["entry_point"]]
verdicts = []
for case in job["cases"]:
    params = [parse(p) for p in job["params"]]
    got = func(*[to_arg(a, p) for a, p in zip(case["args"], params, strict=True)])
    verdicts.append(same(got, case["expected"], parse(job["returns"])))
print(json.dumps(verdicts))
'''


def _problems() -> list[Problem]:
    items = list(iter_problems(SEEDS))
    errors = [i for i in items if isinstance(i, RecordError)]
    assert errors == [], [str(e) for e in errors]
    return [i for i in items if isinstance(i, Problem)]


PROBLEMS = _problems()


def _normalize(out: str) -> str:
    return "\n".join(line.rstrip() for line in out.split("\n")).rstrip("\n")


def _run_calls(problem: Problem, tests: CallsTests) -> list[bool]:
    job = {
        "solution": problem.solution,
        "entry_point": problem.entry_point,
        "params": [p.type for p in problem.signature.params],
        "returns": problem.signature.returns,
        "cases": [{"args": c.args, "expected": c.expected} for c in tests.cases],
        "rel_tol": tests.rel_tol,
        "abs_tol": tests.abs_tol,
    }
    proc = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps(job),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    verdicts: list[bool] = json.loads(proc.stdout)
    return verdicts


def test_set_shape() -> None:
    assert len(PROBLEMS) >= 14
    assert len({p.id for p in PROBLEMS}) == len(PROBLEMS), "ids must be unique"
    kinds = Counter(type(p.tests).__name__ for p in PROBLEMS)
    assert kinds["IoTests"] >= 3 and kinds["CodeTests"] >= 3 and kinds["CallsTests"] >= 8
    for p in PROBLEMS:
        assert p.language == "python"
        assert p.solution.strip() and p.prompt.strip()
        assert p.meta == {"source": {"format": "codeaug-examples", "author": "codeaug team"}}
        if isinstance(p.tests, CallsTests):
            assert 3 <= len(p.tests.cases) <= 8, p.id
        elif isinstance(p.tests, IoTests):
            assert 3 <= len(p.tests.cases) <= 5, p.id
        else:
            assert p.tests.code.strip(), p.id


def test_calls_cover_the_neutral_types() -> None:
    used: set[str] = set()

    def walk(text: str) -> None:
        expr = parse_type(text)
        stack = [expr]
        while stack:
            e = stack.pop()
            used.add(e.name)
            stack.extend(e.args)

    for p in PROBLEMS:
        if isinstance(p.tests, CallsTests):
            for param in p.signature.params:
                walk(param.type)
            walk(p.signature.returns)
    assert {"int", "float", "str", "bool", "list", "dict", "tuple", "optional", "set"} <= used


@pytest.mark.parametrize("problem", [p for p in PROBLEMS if p.entry_point], ids=lambda p: p.id)
def test_signature_matches_the_solution_hints(problem: Problem) -> None:
    assert signature_from_python(problem.solution, problem.entry_point) == problem.signature


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.id)
def test_reference_solution_passes(problem: Problem) -> None:
    tests = problem.tests
    if isinstance(tests, CallsTests):
        assert _run_calls(problem, tests) == [True] * len(tests.cases)
    elif isinstance(tests, IoTests):
        for case in tests.cases:
            proc = subprocess.run([sys.executable, "-c", problem.solution], input=case.stdin,
                                  capture_output=True, text=True, timeout=60,
                                  encoding="utf-8")
            assert proc.returncode == 0, proc.stderr
            assert _normalize(proc.stdout) == _normalize(case.stdout), case.stdin
    else:
        assert isinstance(tests, CodeTests)
        proc = subprocess.run([sys.executable, "-c", problem.solution + "\n" + tests.code],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr


def test_the_checks_can_fail() -> None:
    """A wrong expected value, a wrong io output and a broken solution are all caught."""
    calls = next(p for p in PROBLEMS if isinstance(p.tests, CallsTests))
    assert isinstance(calls.tests, CallsTests)
    first = calls.tests.cases[0]
    wrong = CallsTests(cases=[type(first)(args=first.args, expected=[first.expected])])
    assert _run_calls(calls, wrong) == [False]

    code = next(p for p in PROBLEMS if isinstance(p.tests, CodeTests))
    assert isinstance(code.tests, CodeTests)
    broken = code.solution + f"\n\ndef {code.entry_point}(*args):\n    return None\n"
    proc = subprocess.run([sys.executable, "-c", broken + "\n" + code.tests.code],
                          capture_output=True, timeout=60)
    assert proc.returncode != 0
