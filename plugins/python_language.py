"""Python: runs candidates in the ``python`` sandbox image, forked from a warm interpreter.

``code`` tests run as HumanEval assembles them (solution, then the test program);
``calls`` tests run through ``templates/python_calls_harness.py`` in one process;
``io`` tests run the program once per case.
"""

from __future__ import annotations

import json
import math
import re
from importlib.resources import files
from typing import Any

import codeaug
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits, Step, StepResult
from codeaug.images import ImageSpec
from codeaug.judging import judge_job, last_line
from codeaug.language import Language
from codeaug.record import CallsTests, CodeTests, IoTests, Problem, shown
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status, Verdict

_HARNESS = files("codeaug_plugins").joinpath("templates/python_calls_harness.py").read_text()
_MAIN_FRAME = re.compile(r'^  File "(?:main|solution)\.py", line (\d+)', re.M)


class Python(Language):
    name = "python"
    aliases = ("py", "python3")
    extension = ".py"
    image = ImageSpec("python")
    version = "2"
    tree_sitter = "python"

    def render_type(self, t: TypeExpr) -> str:
        if not t.args:
            return _PY_SCALARS[t.name]
        if t.name == "optional":
            return f"{self.render_type(t.args[0])} | None"
        inner = ", ".join(self.render_type(a) for a in t.args)
        return f"{t.name}[{inner}]"

    def render_value(self, value: Any, t: TypeExpr) -> str:
        return _literal(_to_python(value, t))

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
                # Arguments only: the expected values never enter the sandbox, so a
                # candidate cannot read them and fake its report.
                "cases": [{"args": c.args} for c in tests.cases],
            }
            files_ = {"solution.py": problem.solution, "harness.py": _HARNESS,
                      "cases.json": json.dumps(spec)}
            return Job(job_id, files_,
                       [Step("calls", ["python3", "harness.py"], python_fork=True, limits=limits)])
        assert isinstance(tests, IoTests)
        # A case that crashes or hits a limit is the verdict: skip the rest.
        steps = [Step(f"case {i}", ["python3", "main.py"], stdin=case.stdin, python_fork=True,
                      stop_job_on_failure=True, limits=limits)
                 for i, case in enumerate(tests.cases)]
        return Job(job_id, {"main.py": problem.solution}, steps)

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        verdict = judge_job(
            problem, result,
            code_verdict=lambda step: _judge_code(step, problem),
            out_of_memory=lambda step: last_line(step.stderr).startswith("MemoryError"),
        )
        # Python compiles a module when it loads it: a syntax error is the compile error.
        if verdict.status is Status.ERROR and verdict.reason.startswith(_SYNTAX_ERRORS):
            verdict.status = Status.COMPILE_ERROR
        return verdict


_SYNTAX_ERRORS = ("SyntaxError", "IndentationError", "TabError")
_PY_SCALARS = {"int": "int", "float": "float", "str": "str", "bool": "bool", "none": "None",
               "any": "Any"}


def _to_python(value: Any, t: TypeExpr) -> Any:
    """A decoded JSON value as the Python value of neutral type ``t``.

    Raises:
        UnsupportedTypeError: ``value`` is not a value of ``t`` (a bool for ``list[int]``,
            an object key that is not an int for ``dict[int,V]``...), or Python cannot
            hold it (a list in a set).
    """
    name = t.name
    if value is None:
        if name in ("optional", "none", "any"):
            return None
        raise _mismatch(value, t, "null is only a value of optional, none and any")
    if name == "optional":
        return _to_python(value, t.args[0])
    if name == "any":
        return value
    if name == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _mismatch(value, t)
        return value
    if name == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _mismatch(value, t)
        try:
            return float(value)
        except OverflowError:
            raise _mismatch(value, t, "too large for a float") from None
    if name in ("str", "bool"):
        if not isinstance(value, str if name == "str" else bool):
            raise _mismatch(value, t)
        return value
    if name in ("list", "set", "tuple"):
        if not isinstance(value, list | tuple):
            raise _mismatch(value, t)
        if name == "list":
            return [_to_python(v, t.args[0]) for v in value]
        if name == "tuple":
            if len(value) != len(t.args):
                raise _mismatch(value, t, f"{len(value)} items for {len(t.args)}")
            return tuple(_to_python(v, a) for v, a in zip(value, t.args, strict=True))
        try:
            return {_to_python(v, t.args[0]) for v in value}
        except TypeError:  # unhashable: a list or dict inside a set
            raise _mismatch(value, t, "a Python set holds only hashable values") from None
    if name == "dict":
        if not isinstance(value, dict):
            raise _mismatch(value, t)
        key, item = t.args
        if key.name not in ("str", "int", "float"):
            raise _mismatch(value, t, "JSON object keys are read as str, int or float")
        out = {_key(k, key): _to_python(v, item) for k, v in value.items()}
        if len(out) != len(value):
            raise _mismatch(value, t, "two keys are the same number")
        return out
    if name == "none":
        raise _mismatch(value, t)
    raise _mismatch(value, t, "unknown type")


def _mismatch(value: Any, t: TypeExpr, why: str = "") -> UnsupportedTypeError:
    return UnsupportedTypeError("python", str(t), why or f"{shown(value)} is not a value of it")


def _literal(value: Any) -> str:
    """Python source for a value; unlike ``repr``, NaN and infinities stay valid source,
    and an int too long for ``repr`` (over 4300 digits) is written in hex."""
    if isinstance(value, float) and not math.isfinite(value):
        return "float('nan')" if math.isnan(value) else ("-" if value < 0 else "") + "float('inf')"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 14_000:
        return hex(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_literal, value)) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(_literal(v) + ", " for v in value).rstrip(" ") + ")"
    if isinstance(value, set):
        return "{" + ", ".join(map(_literal, value)) + "}" if value else "set()"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _key(text: Any, t: TypeExpr) -> Any:
    """A JSON object key (a str) as a key of type ``t``."""
    if not isinstance(text, str):  # already a number: a dict built in Python
        return _to_python(text, t)
    try:
        if t.name == "int":
            return int(text)
        if t.name == "float":
            return float(text)
    except ValueError:
        raise _mismatch(text, t, f"key {shown(text, 40)} is not a{'n' if t.name == 'int' else ''} "
                                 f"{t.name}") from None
    return text


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


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Python())
