"""plugins/templates/python_calls_harness.py run locally, on the files Python().build_job writes.

Each test writes the job's files into a temporary directory, runs ``python harness.py``
there, reads the per-case report lines and the exit code, and hands the run to
``Python().judge`` (which compares on the host) for the verdict.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from codeaug_plugins.python_language import Python

from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.record import CallCase, CallsTests, Param, Problem, Signature
from codeaug.verdict import Status, Verdict

CASE = "@@codeaug-case@@"
DONE = "@@codeaug-done@@"
NAN = float("nan")
TRICKY = "caf\u00e9 \U0001f600 \t\"q\" \\ \x1c \x00"


def _problem(solution: str, cases: list[tuple[list[Any], Any]], *, returns: str = "any",
             params: list[str] | None = None, **tol: float) -> Problem:
    return Problem(
        "h", "python", "p",
        CallsTests([CallCase(a, e) for a, e in cases], **tol),
        entry_point="f",
        signature=Signature([Param(f"p{i}", t) for i, t in enumerate(params or [])], returns),
        solution=solution,
    )


class Run:
    def __init__(self, problem: Problem, tmp_path: Path) -> None:
        job = Python().build_job(problem, Limits(), "h")
        for name, text in job.files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        [step] = job.steps
        # -S: the harness needs only the standard library; skipping site keeps this fast
        proc = subprocess.run([sys.executable, "-S", *step.argv[1:]], cwd=tmp_path,
                              capture_output=True, timeout=60)
        self.exit_code = proc.returncode
        self.stdout = proc.stdout.decode("utf-8")
        self.stderr = proc.stderr.decode("utf-8", "replace")
        # the report lines, parsed here by hand: "<marker> <index> <kind> <json>"
        self.reports: dict[int, tuple[str, Any]] = {}
        self.done = False
        for line in self.stdout.split("\n"):
            if line == DONE:
                self.done = True
            elif line.startswith(CASE + " "):
                index, kind, payload = line[len(CASE) + 1:].split(" ", 2)
                self.reports[int(index)] = (kind, json.loads(payload))
        result = StepResult(step.name, exit_code=proc.returncode, stdout=self.stdout,
                            stderr=self.stderr)
        self.verdict: Verdict = Python().judge(problem, JobResult("h", [result]))


def _returning(expr: str) -> str:
    return f"import math\n\n\ndef f(*args):\n    return {expr}\n"


def _check(tmp_path: Path, returns: str, expected: Any, expr: str, ok: bool,
           **tol: float) -> None:
    problem = _problem(_returning(expr), [([], expected)], returns=returns, **tol)
    run = Run(problem, tmp_path)
    assert run.exit_code == 0, run.stderr
    assert run.done
    [(index, (kind, _))] = run.reports.items()
    assert (index, kind) == (0, "ok")
    assert run.verdict.status is (Status.PASSED if ok else Status.FAILED), run.verdict.reason


# (returns, expected, returned expression, passes?)
CASES = [
    # floats: default rel/abs tolerance 1e-6
    ("float", 0.3, "0.1 + 0.2", True),
    ("float", 0.3, "0.3001", False),
    ("float", 0.0, "1e-7", True),
    ("float", 0.0, "-9e-7", True),
    ("float", 0.0, "1e-5", False),
    ("float", 1e9, "1e9 + 900", True),
    ("float", 1e9, "1e9 + 1100", False),
    ("float", 2, "2.0000001", True),
    ("float", 2.0, "2", True),  # an int result is a number
    ("float", 1.0, "True", False),
    ("float", 0.5, "'0.5'", False),
    ("float", math.inf, "math.inf", True),
    ("float", math.inf, "-math.inf", False),
    # bool and int do not stand in for each other
    ("int", 1, "True", False),
    ("int", 0, "False", False),
    ("bool", True, "1", False),
    ("bool", False, "0", False),
    ("bool", True, "True", True),
    ("int", 1, "1.0", False),
    ("int", 7, "7", True),
    ("str", "1", "1", False),
    # list and tuple are both sequences
    ("list[int]", [1, 2], "(1, 2)", True),
    ("list[int]", [1, 2], "[1, 2]", True),
    ("list[int]", [1, 2], "[2, 1]", False),
    ("list[int]", [1, 2], "[1, 2, 3]", False),
    ("list[int]", [1, 2], "[1, True]", False),
    ("tuple[int,str]", [1, "a"], "[1, 'a']", True),
    ("tuple[int,str]", [1, "a"], "(1, 'a')", True),
    ("tuple[int,str]", [1, "a"], "(1, 'a', None)", False),
    ("any", [1, "a"], "(1, 'a')", True),
    # sets are unordered
    ("set[int]", [3, 1, 2], "{1, 2, 3}", True),
    ("set[int]", [3, 1, 2], "[2, 3, 1]", True),
    ("set[int]", [3, 1, 2], "frozenset({1, 2, 3})", True),
    ("set[int]", [3, 1, 2], "{1, 2}", False),
    ("set[int]", [3, 1, 2], "{1, 2, 3, 4}", False),
    ("set[int]", [3, 1, 2], "[1, 2, 3, 3]", False),  # a multiset: repeats do not help
    ("set[tuple[int,int]]", [[1, 2], [3, 4]], "{(3, 4), (1, 2)}", True),
    ("set[str]", ["a"], "'a'", False),
    # dict keys come from JSON as strings and are converted to the signature's key type
    ("dict[int,str]", {"1": "a", "10": "b"}, "{10: 'b', 1: 'a'}", True),
    # JSON has only string keys, so int and str keys cannot be told apart (documented)
    ("dict[int,str]", {"1": "a", "10": "b"}, "{'1': 'a', '10': 'b'}", True),
    ("dict[int,str]", {"1": "a"}, "{1: 'a', 2: 'b'}", False),
    ("dict[str,float]", {"a": 0.1}, "{'a': 0.1 + 1e-9}", True),
    ("dict[str,float]", {"a": 0.1}, "{'a': 0.2}", False),
    ("dict[float,int]", {"1.5": 1}, "{1.5: 1}", True),
    # null is None whatever the declared type
    ("optional[int]", None, "None", True),
    ("optional[int]", None, "0", False),
    ("optional[int]", 3, "None", False),
    ("optional[int]", 3, "3", True),
    ("optional[float]", 0.3, "0.1 + 0.2", True),
    ("list[optional[int]]", [1, None], "[1, None]", True),
    ("list[optional[int]]", [1, None], "[1, 0]", False),
    # nested floats keep the tolerance at every level
    ("list[list[float]]", [[0.1, 0.2], [0.3]], "[[0.1 + 1e-9, 0.2], [0.1 + 0.2]]", True),
    ("list[list[float]]", [[0.1, 0.2], [0.3]], "[[0.1, 0.2], [0.31]]", False),
    ("list[list[float]]", [[0.1, 0.2], [0.3]], "[[0.1, 0.2]]", False),
    ("any", [[0.1, 0.2], {"k": 0.3}], "[[0.1 + 1e-9, 0.2], {'k': 0.1 + 0.2}]", True),
    ("any", [[0.1, 0.2], {"k": 0.3}], "[[0.1, 0.2], {'k': 0.4}]", False),
    # NaN equals NaN, and nothing else
    ("float", NAN, "float('nan')", True),
    ("float", NAN, "0.0", False),
    ("float", 1.0, "float('nan')", False),
    ("list[float]", [NAN, 1.0], "[math.nan, 1.0]", True),
    ("any", NAN, "math.nan", True),
    # JSON's distinction between booleans and numbers holds for `any` too
    ("any", 1, "True", False),
    ("any", True, "1", False),
    ("any", [0, 1], "[False, 1]", False),
    ("any", {"k": 1}, "{'k': True}", False),
    ("any", 2, "2", True),
    # strings survive the trip through JSON
    ("str", TRICKY, repr(TRICKY), True),
]


@pytest.mark.parametrize(("returns", "expected", "expr", "ok"), CASES,
                         ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_comparison(tmp_path: Path, returns: str, expected: Any, expr: str, ok: bool) -> None:
    _check(tmp_path, returns, expected, expr, ok)


@pytest.mark.parametrize(
    ("tol", "expected", "expr", "ok"),
    [
        ({"rel_tol": 1e-2}, 1.0, "1.005", True),
        ({}, 1.0, "1.005", False),
        ({"rel_tol": 1e-2}, 1.0, "1.02", False),
        ({"abs_tol": 0.1}, 0.0, "0.05", True),
        ({"abs_tol": 0.1}, 0.0, "0.15", False),
        ({"rel_tol": 0.0, "abs_tol": 0.0}, 0.3, "0.1 + 0.2", False),
        ({"rel_tol": 0.0, "abs_tol": 0.0}, 0.5, "0.25 + 0.25", True),
    ],
)
def test_per_record_tolerance(tmp_path: Path, tol: dict[str, float], expected: float,
                              expr: str, ok: bool) -> None:
    _check(tmp_path, "float", expected, expr, ok, **tol)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_string_with_unicode_line_separator(tmp_path: Path, char: str) -> None:
    _check(tmp_path, "str", f"a{char}b", f"'a{char}b'", True)


def test_reported_values_are_json(tmp_path: Path) -> None:
    solution = ("def f(k):\n"
                "    return [(1, 2), {3}, {1: 'a', True: 'b'}, float('nan'), float('-inf'),"
                " None, 2**70][k]\n")
    cases = [([k], None) for k in range(7)]
    run = Run(_problem(solution, cases, params=["int"]), tmp_path)
    assert run.exit_code == 0
    assert run.done
    values = [run.reports[k] for k in range(7)]
    assert values[:3] == [("ok", [1, 2]), ("ok", [3]), ("ok", {"1": "b"})]
    assert values[3][0] == "ok" and math.isnan(values[3][1])
    assert values[4:] == [("ok", -math.inf), ("ok", None), ("ok", 2**70)]


def test_arguments_are_converted_to_the_signature(tmp_path: Path) -> None:
    solution = (
        "def f(d, x, s, t, o):\n"
        "    return [sorted(d.items()), type(x).__name__, sorted(s), type(s).__name__,\n"
        "            type(t).__name__, type(o).__name__]\n"
    )
    expected = [[[1, 4], [2, 3]], "float", [1, 2], "set", "tuple", "float"]
    problem = _problem(solution, [([{"2": 3, "1": 4}, 5, [2, 1, 2], [1, "a"], 3], expected)],
                       params=["dict[int,int]", "float", "set[int]", "tuple[int,str]",
                               "optional[float]"])
    run = Run(problem, tmp_path)
    assert run.reports == {0: ("ok", expected)}, run.stderr
    assert run.verdict.status is Status.PASSED


def test_every_case_reported_first_failure_judged(tmp_path: Path) -> None:
    solution = ("def f(a, b):\n    print('noise', end='')\n"
                "    return a * b if a > 1 else a + b\n")
    problem = _problem(solution, [([1, 2], 3), ([2, 3], 5), ([3, 3], 6)],
                       params=["int", "int"], returns="int")
    run = Run(problem, tmp_path)
    assert run.exit_code == 0
    assert run.reports == {0: ("ok", 3), 1: ("ok", 6), 2: ("ok", 9)}
    assert run.verdict.status is Status.FAILED
    assert run.verdict.failed_test == "case 1: f(2, 3)"
    assert "expected 5" in run.verdict.reason
    assert "got 6" in run.verdict.reason


def test_exception_in_candidate_is_reported_as_error(tmp_path: Path) -> None:
    problem = _problem("def f(a):\n    return 1 / a\n", [([1], 1.0), ([0], 0.0), ([2], 0.5)],
                       params=["int"], returns="float")
    run = Run(problem, tmp_path)
    assert run.exit_code == 0
    assert run.reports[0] == ("ok", 1.0)
    assert run.reports[1] == ("raised", "ZeroDivisionError: division by zero")
    assert run.reports[2] == ("ok", 0.5)
    assert run.verdict.status is Status.ERROR
    assert run.verdict.failed_test == "case 1: f(0)"
    assert "ZeroDivisionError" in run.verdict.reason


def test_unserializable_result_fails(tmp_path: Path) -> None:
    problem = _problem("def f():\n    return object()\n", [([], None)])
    run = Run(problem, tmp_path)
    assert run.reports[0][0] == "unserializable"
    assert run.verdict.status is Status.FAILED


def test_missing_entry_point_has_no_report(tmp_path: Path) -> None:
    problem = _problem("def g():\n    return 1\n", [([], 1)])
    run = Run(problem, tmp_path)
    assert run.exit_code != 0
    assert run.reports == {}
    assert not run.done
    assert run.verdict.status is Status.ERROR
    assert "AttributeError" in run.verdict.reason


def test_exit_at_import_is_error(tmp_path: Path) -> None:
    problem = _problem("import sys\nsys.exit(0)\n", [([], 1)])
    run = Run(problem, tmp_path)
    assert run.exit_code == 0
    assert run.reports == {}
    assert run.verdict.status is Status.ERROR


def test_all_cases_pass(tmp_path: Path) -> None:
    problem = _problem("def f(a, b):\n    return a + b\n",
                       [([1, 2], 3), ([0.5, 0.25], 0.75), ([-1, 1], 0)],
                       params=["float", "float"], returns="float")
    run = Run(problem, tmp_path)
    assert run.exit_code == 0
    assert run.done
    assert run.reports == {0: ("ok", 3.0), 1: ("ok", 0.75), 2: ("ok", 0.0)}
    assert run.verdict.status is Status.PASSED
