"""`calls` tests across languages: what a harness reports and how the host judges it.

Every language's harness calls the entry point once per case, in one process, and
prints one line per case on stdout, after a newline so the candidate's own output
cannot swallow it::

    @@codeaug-case@@ <index> ok <the returned value as JSON>
    @@codeaug-case@@ <index> raised <the error message as a JSON string>
    @@codeaug-case@@ <index> unserializable <a description as a JSON string>
    @@codeaug-done@@

JSON may use the tokens ``NaN``, ``Infinity`` and ``-Infinity`` for floats. The host
then compares each value with the expected one (:mod:`codeaug.compare`), so comparison
semantics are the same in every language and a failure can say expected vs actual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from codeaug.compare import values_equal
from codeaug.executor.protocol import StepResult
from codeaug.judging import last_line
from codeaug.record import CallsTests, Problem
from codeaug.typesys import parse_type
from codeaug.verdict import Status, Verdict

CASE_MARKER = "@@codeaug-case@@"
DONE_MARKER = "@@codeaug-done@@"


@dataclass(frozen=True)
class CaseReport:
    """What the harness said about one case."""

    kind: str  # "ok", "raised" or "unserializable"
    value: Any


def parse_reports(stdout: str) -> tuple[dict[int, CaseReport], bool]:
    """The per-case reports in a harness's stdout, and whether it reached the end."""
    reports: dict[int, CaseReport] = {}
    done = False
    for line in stdout.split("\n"):  # not splitlines(): values may hold U+2028 and kin
        if line.startswith(DONE_MARKER):
            done = True
            continue
        if not line.startswith(CASE_MARKER):
            continue
        parts = line[len(CASE_MARKER):].strip().split(" ", 2)
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        try:
            value = json.loads(parts[2]) if len(parts) == 3 else None
        except ValueError:
            kind, value = "unserializable", f"unreadable report: {parts[2][:200]}"
        else:
            kind = parts[1]
        reports.setdefault(int(parts[0]), CaseReport(kind, value))
    return reports, done


def show(value: Any, limit: int = 300) -> str:
    """A value as JSON for messages, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def call_text(problem: Problem, index: int) -> str:
    """``case 3: add(1, 2)`` with the arguments as JSON."""
    assert isinstance(problem.tests, CallsTests)
    args = ", ".join(show(a, 80) for a in problem.tests.cases[index].args)
    return f"case {index}: {problem.entry_point}({args})"


def judge_calls(problem: Problem, step: StepResult) -> Verdict:
    """Judge a finished harness run (limits and compile errors are judged before this)."""
    tests = problem.tests
    assert isinstance(tests, CallsTests)
    returns = parse_type(problem.signature.returns)
    reports, done = parse_reports(step.stdout)
    for index, case in enumerate(tests.cases):
        report = reports.get(index)
        test = call_text(problem, index)
        if report is None:
            reason = last_line(step.stderr) or (
                f"killed by signal {step.signal}" if step.signal
                else f"the harness stopped (exit status {step.exit_code})")
            return Verdict(Status.ERROR, reason, failed_test=test)
        if report.kind == "raised":
            return Verdict(Status.ERROR, f"raised {report.value}", failed_test=test)
        if report.kind != "ok":
            return Verdict(Status.FAILED, f"returned a value that cannot be compared: "
                           f"{report.value}", failed_test=test)
        if not values_equal(report.value, case.expected, returns, tests.rel_tol, tests.abs_tol):
            return Verdict(Status.FAILED,
                           f"expected {show(case.expected)}, got {show(report.value)}",
                           failed_test=test)
    if not done or step.exit_code != 0:
        reason = last_line(step.stderr) or f"exit status {step.exit_code} after the last case"
        return Verdict(Status.ERROR, reason)
    return Verdict(Status.PASSED)
