"""Python: runs candidates in the ``python`` sandbox image, forked from a warm interpreter.

``code`` tests run as HumanEval assembles them (solution, then the test program);
``calls`` tests run through ``templates/python_calls_harness.py`` in one process;
``io`` tests run the program once per case.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files

import codeaug
from codeaug.executor.protocol import Job, JobResult, Limits, Step, StepResult
from codeaug.images import ImageSpec
from codeaug.judging import finish, judge_io_case, last_line, limit_verdict
from codeaug.language import Language
from codeaug.record import CallsTests, CodeTests, IoTests, Problem
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status, Verdict

RESULT_MARKER = "@@codeaug-calls-result@@"
_HARNESS = files("codeaug_plugins").joinpath("templates/python_calls_harness.py").read_text()
_MAIN_FRAME = re.compile(r'^  File "(?:main|solution)\.py", line (\d+)', re.M)


class Python(Language):
    name = "python"
    aliases = ("py", "python3")
    extension = ".py"
    image = ImageSpec("python")
    version = "1"

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        if isinstance(tests, CodeTests):
            program = problem.solution.rstrip("\n") + "\n\n" + tests.code
            return Job(job_id, {"main.py": program},
                       [Step("test", ["python3", "main.py"], python_fork=True, limits=limits)])
        if isinstance(tests, CallsTests):
            spec = {
                "entry_point": problem.entry_point,
                "param_types": [_tree(parse_type(p.type)) for p in problem.signature.params],
                "returns": _tree(parse_type(problem.signature.returns)),
                "rel_tol": tests.rel_tol,
                "abs_tol": tests.abs_tol,
                "cases": [{"args": c.args, "expected": c.expected} for c in tests.cases],
            }
            files_ = {"solution.py": problem.solution, "harness.py": _HARNESS,
                      "cases.json": json.dumps(spec)}
            return Job(job_id, files_,
                       [Step("calls", ["python3", "harness.py"], python_fork=True, limits=limits)])
        assert isinstance(tests, IoTests)
        steps = [Step(f"case {i}", ["python3", "main.py"], stdin=case.stdin, python_fork=True,
                      limits=limits) for i, case in enumerate(tests.cases)]
        return Job(job_id, {"main.py": problem.solution}, steps)

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        if not result.steps:
            return Verdict(Status.SANDBOX_ERROR, "the runner ran no step")
        duration = sum(s.wall_seconds for s in result.steps)
        tests = problem.tests
        for index, step in enumerate(result.steps):
            limit = limit_verdict(step)
            if limit is None and last_line(step.stderr).startswith("MemoryError"):
                limit = Verdict(Status.MEMORY_LIMIT, "exceeded the memory limit (MemoryError)")
            if limit is not None:
                return finish(limit, step, duration)
            if isinstance(tests, IoTests):
                verdict = judge_io_case(index, step, tests)
            elif isinstance(tests, CallsTests):
                verdict = _judge_calls(step)
            else:
                verdict = _judge_code(step, problem)
            if verdict.status is not Status.PASSED:
                return finish(verdict, step, duration)
        return finish(Verdict(Status.PASSED), result.steps[-1], duration)


def _tree(t: TypeExpr) -> list[object]:
    return [t.name, [_tree(a) for a in t.args]]


def _judge_code(step: StepResult, problem: Problem) -> Verdict:
    if step.exit_code == 0:
        return Verdict(Status.PASSED)
    last = last_line(step.stderr) or f"exit status {step.exit_code}"
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}")
    if last.startswith("AssertionError"):
        return Verdict(Status.FAILED, last, failed_test=_failing_line(step.stderr, problem))
    return Verdict(Status.ERROR, last)


def _failing_line(stderr: str, problem: Problem) -> str | None:
    """The source line of the innermost traceback frame in the test program."""
    frames = _MAIN_FRAME.findall(stderr)
    if not frames:
        return None
    program = (problem.solution.rstrip("\n") + "\n\n" + _code(problem)).splitlines()
    number = int(frames[-1])
    return program[number - 1].strip() if 0 < number <= len(program) else f"line {number}"


def _code(problem: Problem) -> str:
    return problem.tests.code if isinstance(problem.tests, CodeTests) else ""


def _judge_calls(step: StepResult) -> Verdict:
    report = None
    for line in reversed(step.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            try:
                report = json.loads(line[len(RESULT_MARKER):])
            except ValueError:
                report = None
            break
    if report is None:
        last = last_line(step.stderr) or f"exit status {step.exit_code}"
        return Verdict(Status.ERROR, f"the tests did not run: {last}")
    failure = report.get("failure")
    if failure is None and step.exit_code == 0 and report.get("passed") == report.get("total"):
        return Verdict(Status.PASSED)
    if failure is None:
        return Verdict(Status.ERROR, f"exit status {step.exit_code}")
    test = f"case {failure['case']}: {failure['call']}"
    if "error" in failure:
        return Verdict(Status.ERROR, f"raised {failure['error']}", failed_test=test)
    return Verdict(Status.FAILED,
                   f"expected {failure['expected']}, got {failure['actual']}", failed_test=test)


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Python())
