"""plugins/python_language.py: the jobs Python builds and the verdicts it draws from raw results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from codeaug_plugins.python_language import Python

from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.record import (
    CallCase,
    CallsTests,
    CodeTests,
    IoCase,
    IoTests,
    Param,
    Problem,
    Signature,
)
from codeaug.verdict import Status

HARNESS = Path(__file__).parents[2] / "plugins" / "templates" / "python_calls_harness.py"
LIMITS = Limits(wall_seconds=3.5, cpu_seconds=3, output_bytes=1234)

SOLUTION = "def add(a, b):\n    return a + b\n\n\n"
TEST_CODE = (
    "def check(candidate):\n"
    "    assert candidate(1, 1) == 2\n"
    "    assert candidate(2, 2) == 5, 'two and two'\n"
    "\n"
    "check(add)\n"
)


def code_problem(solution: str = SOLUTION, code: str = TEST_CODE) -> Problem:
    return Problem("c1", "python", "add", CodeTests(code), entry_point="add", solution=solution)


def calls_problem() -> Problem:
    return Problem(
        "k1", "python", "add",
        CallsTests([CallCase([1, 2], 3), CallCase([[1.5], {"a": None}], [True, "x"])],
                   rel_tol=0.01, abs_tol=0.5),
        entry_point="add",
        signature=Signature([Param("a", "Int"), Param("b", "dict[str, List[float]]"),
                             Param("c")], returns="optional[tuple[int,str]]"),
        solution=SOLUTION,
    )


def io_problem(*cases: tuple[str, str]) -> Problem:
    cases = cases or (("1 2\n", "3\n"), ("", "0\n"), ("5 5\n", "10\n"))
    return Problem("i1", "python", "sum", IoTests([IoCase(i, o) for i, o in cases]),
                   solution="print(sum(map(int, input().split())))\n")


def step(name: str = "s", **kw: Any) -> StepResult:
    kw.setdefault("exit_code", 0)
    return StepResult(name, **kw)


def judge(problem: Problem, *steps: StepResult):  # type: ignore[no-untyped-def]
    return Python().judge(problem, JobResult("j", list(steps)))


# --------------------------------------------------------------------------- build_job


def test_build_job_code() -> None:
    job = Python().build_job(code_problem(), LIMITS, "7:c1")
    assert job.id == "7:c1"
    assert job.files == {"main.py": "def add(a, b):\n    return a + b" + "\n\n" + TEST_CODE}
    [s] = job.steps
    assert s.argv == ["python3", "main.py"]
    assert s.python_fork is True
    assert s.stdin == ""
    assert s.limits == LIMITS


def test_build_job_code_solution_without_trailing_newline() -> None:
    job = Python().build_job(code_problem(solution="def add(a, b): return a + b"), LIMITS, "x")
    assert job.files["main.py"] == "def add(a, b): return a + b\n\n" + TEST_CODE


def test_build_job_calls() -> None:
    problem = calls_problem()
    job = Python().build_job(problem, LIMITS, "k")
    assert set(job.files) == {"solution.py", "harness.py", "cases.json"}
    assert job.files["solution.py"] == SOLUTION
    assert job.files["harness.py"] == HARNESS.read_text()
    spec = json.loads(job.files["cases.json"])
    assert spec["entry_point"] == "add"
    assert spec["param_types"] == [
        ["int", []],
        ["dict", [["str", []], ["list", [["float", []]]]]],
        ["any", []],
    ]
    # Arguments only: expected values must never reach the sandbox.
    assert spec["cases"] == [{"args": [1, 2]}, {"args": [[1.5], {"a": None}]}]
    assert "expected" not in job.files["cases.json"]
    [s] = job.steps
    assert s.argv == ["python3", "harness.py"]
    assert s.python_fork is True
    assert s.limits == LIMITS


def test_build_job_io_one_step_per_case() -> None:
    problem = io_problem(("1 2\n", "3\n"), ("", "0\n"), ("x y z", "?"))
    job = Python().build_job(problem, LIMITS, "io")
    assert job.files == {"main.py": problem.solution}
    assert [(s.name, s.stdin) for s in job.steps] == [
        ("case 0", "1 2\n"), ("case 1", ""), ("case 2", "x y z")]
    for s in job.steps:
        assert s.argv == ["python3", "main.py"]
        assert s.python_fork is True
        assert s.limits == LIMITS


# --------------------------------------------------------------------------- judge: code


def _program(problem: Problem) -> list[str]:
    assert isinstance(problem.tests, CodeTests)
    return (problem.solution.rstrip("\n") + "\n\n" + problem.tests.code).splitlines()


def _lineno(problem: Problem, text: str) -> int:
    return _program(problem).index(text) + 1


def test_code_exit_zero_passes() -> None:
    v = judge(code_problem(), step(exit_code=0, stdout="out", wall_seconds=0.25))
    assert v.status is Status.PASSED
    assert v.passed
    assert v.duration == 0.25
    assert v.stdout == "out"


def test_code_assertion_names_failing_assert_line() -> None:
    problem = code_problem()
    check_line = _lineno(problem, "check(add)")
    assert_line = _lineno(problem, "    assert candidate(2, 2) == 5, 'two and two'")
    stderr = (
        "Traceback (most recent call last):\n"
        f'  File "main.py", line {check_line}, in <module>\n'
        "    check(add)\n"
        f'  File "main.py", line {assert_line}, in check\n'
        "    assert candidate(2, 2) == 5, 'two and two'\n"
        "           ^^^^^^^^^^^^^^^^^^^^\n"
        "AssertionError: two and two\n"
    )
    v = judge(problem, step(exit_code=1, stderr=stderr))
    assert v.status is Status.FAILED
    assert v.failed_test == "assert candidate(2, 2) == 5, 'two and two'"
    assert v.reason == "AssertionError: two and two"
    assert v.stderr == stderr


def test_code_assertion_from_a_real_traceback(tmp_path: Path) -> None:
    """Run the assembled program as the sandbox runner does (compiled as ``main.py``)."""
    problem = code_problem()
    job = Python().build_job(problem, LIMITS, "x")
    (tmp_path / "main.py").write_text(job.files["main.py"])
    runner_like = (
        "import sys, traceback\n"
        "src = open('main.py').read()\n"
        "try:\n"
        "    exec(compile(src, 'main.py', 'exec'), {'__name__': '__main__'})\n"
        "except BaseException as e:\n"
        "    traceback.print_exception(type(e), e, e.__traceback__.tb_next)\n"
        "    sys.exit(1)\n"
    )
    proc = subprocess.run([sys.executable, "-c", runner_like], cwd=tmp_path,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    v = judge(problem, step(exit_code=proc.returncode, stderr=proc.stderr))
    assert v.status is Status.FAILED
    assert v.failed_test == "assert candidate(2, 2) == 5, 'two and two'"


def test_code_assertion_inside_solution_part() -> None:
    solution = "def add(a, b):\n    assert a >= 0\n    return a + b\n"
    problem = code_problem(solution=solution, code="assert add(-1, 1) == 0\n")
    line = _lineno(problem, "    assert a >= 0")
    outer = _lineno(problem, "assert add(-1, 1) == 0")
    stderr = (f'Traceback (most recent call last):\n  File "main.py", line {outer}, in <module>\n'
              f'    assert add(-1, 1) == 0\n  File "main.py", line {line}, in add\n'
              "    assert a >= 0\nAssertionError\n")
    v = judge(problem, step(exit_code=1, stderr=stderr))
    assert (v.status, v.failed_test) == (Status.FAILED, "assert a >= 0")


def test_code_assertion_without_main_frame() -> None:
    v = judge(code_problem(), step(exit_code=1, stderr="AssertionError\n"))
    assert v.status is Status.FAILED
    assert v.failed_test is None


def test_code_assertion_line_outside_program() -> None:
    stderr = '  File "main.py", line 999, in <module>\nAssertionError\n'
    v = judge(code_problem(), step(exit_code=1, stderr=stderr))
    assert v.failed_test == "line 999"


@pytest.mark.parametrize(
    ("stderr", "reason"),
    [
        ('Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n'
         "NameError: name 'sub' is not defined\n", "NameError: name 'sub' is not defined"),
        ("", "exit status 3"),
    ],
)
def test_code_other_failure_is_error(stderr: str, reason: str) -> None:
    v = judge(code_problem(), step(exit_code=3, stderr=stderr))
    assert v.status is Status.ERROR
    assert v.reason == reason
    assert v.failed_test is None


def test_code_killed_by_signal_is_error() -> None:
    v = judge(code_problem(), step(exit_code=None, signal=11, stderr=""))
    assert v.status is Status.ERROR
    assert "signal 11" in v.reason


# --------------------------------------------------------------------------- judge: limits

KINDS = {"code": code_problem, "calls": calls_problem, "io": io_problem}
ASSERT_STDERR = "Traceback...\nAssertionError\n"


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"killed_by": "timeout", "exit_code": None, "signal": 9}, Status.TIMEOUT),
        ({"killed_by": "cpu", "exit_code": None, "signal": 24}, Status.TIMEOUT),
        ({"killed_by": "output", "exit_code": None, "signal": 9}, Status.OUTPUT_LIMIT),
        ({"oom_killed": True, "exit_code": None, "signal": 9}, Status.MEMORY_LIMIT),
        ({"exit_code": 1, "stderr": "Traceback (most recent call last):\n  File \"main.py\", "
          "line 1, in <module>\nMemoryError\n"}, Status.MEMORY_LIMIT),
        ({"exit_code": 1, "stderr": "x\nMemoryError: cannot allocate\n  \n"}, Status.MEMORY_LIMIT),
        # a limit wins over whatever the step printed or exited with
        ({"killed_by": "timeout", "exit_code": 0, "stderr": ASSERT_STDERR}, Status.TIMEOUT),
        ({"oom_killed": True, "exit_code": 1, "stderr": ASSERT_STDERR}, Status.MEMORY_LIMIT),
        ({"killed_by": "output", "exit_code": 0}, Status.OUTPUT_LIMIT),
    ],
)
def test_limits(kind: str, fields: dict[str, Any], status: Status) -> None:
    problem = KINDS[kind]()
    v = judge(problem, step("s0", **fields))
    assert v.status is status
    assert v.reason


def test_timeout_reason_says_which_clock() -> None:
    wall = judge(code_problem(), step(killed_by="timeout", exit_code=None))
    cpu = judge(code_problem(), step(killed_by="cpu", exit_code=None))
    assert "wall" in wall.reason
    assert "CPU" in cpu.reason


def test_memory_error_not_on_last_line_is_not_a_limit() -> None:
    stderr = "MemoryError was caught and handled\nValueError: bad\n"
    v = judge(code_problem(), step(exit_code=1, stderr=stderr))
    assert v.status is Status.ERROR
    assert v.reason == "ValueError: bad"


def test_no_steps_is_sandbox_error() -> None:
    assert judge(code_problem()).status is Status.SANDBOX_ERROR


# --------------------------------------------------------------------------- judge: calls
# The harness prints one line per case (codeaug/calls.py), the host compares.

CASE = "@@codeaug-case@@"
DONE = "@@codeaug-done@@"


def adder() -> Problem:
    return Problem("k2", "python", "add",
                   CallsTests([CallCase([1, 2], 3), CallCase([2, 2], 4), CallCase([0.5, 1], 1.5)]),
                   entry_point="add", signature=Signature([Param("a"), Param("b")], "any"),
                   solution=SOLUTION)


def _case(index: int, kind: str, payload: str) -> str:
    return f"\n{CASE} {index} {kind} {payload}\n"


def _calls_out(*values: str, done: bool = True) -> str:
    out = "".join(_case(i, "ok", v) for i, v in enumerate(values))
    return out + (f"\n{DONE}\n" if done else "")


def test_calls_passed() -> None:
    out = "debug print" + _calls_out("3", "4", "1.5000000001")
    assert judge(adder(), step(exit_code=0, stdout=out)).status is Status.PASSED


def test_calls_failure_with_actual() -> None:
    v = judge(adder(), step(exit_code=0, stdout=_calls_out("3", "5", "1.5")))
    assert v.status is Status.FAILED
    assert v.failed_test == "case 1: add(2, 2)"
    assert "expected 4" in v.reason
    assert "got 5" in v.reason


def test_calls_failure_names_arguments_as_json() -> None:
    problem = Problem("k3", "python", "p", CallsTests([CallCase([[1.5], {"a": None}, "s"], 0)]),
                      entry_point="g", solution="")
    v = judge(problem, step(exit_code=0, stdout=_calls_out("1")))
    assert v.status is Status.FAILED
    args = ", ".join(json.dumps(a) for a in ([1.5], {"a": None}, "s"))
    assert v.failed_test == f"case 0: g({args})"


def test_calls_failure_with_error() -> None:
    error = json.dumps("ZeroDivisionError: division by zero")
    out = _case(0, "ok", "3") + _case(1, "raised", error)
    v = judge(adder(), step(exit_code=0, stdout=out + _case(2, "ok", "1.5") + DONE))
    assert v.status is Status.ERROR
    assert v.failed_test == "case 1: add(2, 2)"
    assert v.reason == "raised ZeroDivisionError: division by zero"


def test_calls_unserializable_is_failed() -> None:
    out = _case(0, "unserializable", json.dumps("a object is not a JSON value"))
    v = judge(adder(), step(exit_code=0, stdout=out))
    assert v.status is Status.FAILED
    assert v.failed_test == "case 0: add(1, 2)"


def test_calls_unreadable_payload_is_failed() -> None:
    v = judge(adder(), step(exit_code=0, stdout=_case(0, "ok", "{not json") + DONE))
    assert v.status is Status.FAILED
    assert v.failed_test == "case 0: add(1, 2)"


def test_calls_missing_marker_is_error() -> None:
    stderr = ("Traceback (most recent call last):\n  File \"harness.py\", line 90\n"
              "ImportError: cannot import name 'add'\n")
    v = judge(adder(), step(exit_code=1, stdout="partial output", stderr=stderr))
    assert v.status is Status.ERROR
    assert v.reason == "ImportError: cannot import name 'add'"
    assert v.failed_test == "case 0: add(1, 2)"


def test_calls_missing_marker_exit_zero_is_error() -> None:
    # e.g. the candidate called sys.exit(0) at import time
    v = judge(adder(), step(exit_code=0, stdout="", stderr=""))
    assert v.status is Status.ERROR


def test_calls_stopped_midway_names_the_case() -> None:
    v = judge(adder(), step(exit_code=None, signal=9, stdout=_calls_out("3", done=False)))
    assert v.status is Status.ERROR
    assert v.failed_test == "case 1: add(2, 2)"
    assert "signal 9" in v.reason


def test_calls_marker_must_start_the_line() -> None:
    out = "x " + CASE + " 0 ok 3\n" + _case(1, "ok", "4") + _case(2, "ok", "1.5") + DONE
    v = judge(adder(), step(exit_code=0, stdout=out))
    assert v.status is Status.ERROR
    assert v.failed_test == "case 0: add(1, 2)"


@pytest.mark.parametrize(
    ("stdout", "exit_code"),
    [
        (_calls_out("3", "4", "1.5", done=False), 0),  # never reached the end
        (_calls_out("3", "4", "1.5"), 1),  # crashed after reporting
    ],
)
def test_calls_all_cases_but_no_clean_end_is_error(stdout: str, exit_code: int) -> None:
    v = judge(adder(), step(exit_code=exit_code, stdout=stdout, stderr="boom\n"))
    assert v.status is Status.ERROR
    assert v.reason == "boom"


# --------------------------------------------------------------------------- judge: io


@pytest.mark.parametrize(
    ("want", "got"),
    [
        ("3\n", "3\n"),
        ("3\n", "3"),
        ("3", "3\n\n\n"),
        ("1 2\n3 4\n", "1 2   \n3 4\t\n"),
        ("1 2\n3 4\n", "1 2\r\n3 4\r\n"),
        ("a\n\nb\n", "a  \n \nb"),
        ("", "\n \n"),
    ],
)
def test_io_ignores_trailing_whitespace(want: str, got: str) -> None:
    problem = io_problem(("", want))
    assert judge(problem, step("case 0", stdout=got)).status is Status.PASSED


@pytest.mark.parametrize(
    ("want", "got"),
    [
        ("1 2\n", "1  2\n"),
        ("1 2\n", " 1 2\n"),
        ("a\nb\n", "a\n\nb\n"),
        ("a\nb\n", "ab\n"),
        ("3\n", "4\n"),
        ("3\n", ""),
        ("x\n", "X\n"),
        ("1\n2\n", "1\n2\n3\n"),
    ],
)
def test_io_inner_differences_fail(want: str, got: str) -> None:
    problem = io_problem(("in", want))
    v = judge(problem, step("case 0", stdout=got))
    assert v.status is Status.FAILED
    assert v.failed_test == "case 0"


@pytest.mark.parametrize("sep", ["\u2028", "\x0c", "\x85", "\x1e"])
def test_io_unicode_line_separator_is_an_inner_difference(sep: str) -> None:
    problem = io_problem(("", f"a{sep}b\n"))
    assert judge(problem, step("case 0", stdout="a\nb\n")).status is Status.FAILED


def test_io_first_failing_case_is_reported_and_duration_sums() -> None:
    problem = io_problem()
    v = judge(problem,
              step("case 0", stdout="3\n", wall_seconds=0.5),
              step("case 1", stdout="1\n", stderr="warn", wall_seconds=0.25),
              step("case 2", stdout="10\n", wall_seconds=0.125))
    assert v.status is Status.FAILED
    assert v.failed_test == "case 1"
    assert "'0'" in v.reason and "'1'" in v.reason
    assert v.stdout == "1\n"
    assert v.stderr == "warn"
    assert v.duration == 0.875


def test_io_all_cases_pass() -> None:
    problem = io_problem()
    v = judge(problem, step("case 0", stdout="3\n"), step("case 1", stdout="0"),
              step("case 2", stdout="10\n"))
    assert v.status is Status.PASSED


def test_io_nonzero_exit_is_error_with_case() -> None:
    problem = io_problem()
    v = judge(problem, step("case 0", stdout="3\n"),
              step("case 1", exit_code=1, stdout="0\n",
                   stderr="Traceback...\nValueError: invalid literal for int()\n"))
    assert v.status is Status.ERROR
    assert v.failed_test == "case 1"
    assert v.reason == "ValueError: invalid literal for int()"


def test_io_limit_in_later_case() -> None:
    problem = io_problem()
    v = judge(problem, step("case 0", stdout="3\n"),
              step("case 1", exit_code=None, killed_by="timeout"))
    assert v.status is Status.TIMEOUT


def test_io_missing_case_results_do_not_pass() -> None:
    problem = io_problem()
    v = judge(problem, step("case 0", stdout="3\n"))
    assert v.status is not Status.PASSED


@pytest.mark.parametrize("error", ["SyntaxError: invalid syntax",
                                   "IndentationError: expected an indented block"])
def test_code_syntax_error_is_compile_error(error: str) -> None:
    stderr = f'  File "main.py", line 1\n    def (\n        ^\n{error}\n\n\n'
    v = judge(code_problem(), step(exit_code=1, stderr=stderr))
    assert v.status is Status.COMPILE_ERROR
    assert v.reason == error
