"""plugins/typescript_language.py without Docker: rendering, job shapes, verdicts."""

from __future__ import annotations

from typing import Any

import pytest
from codeaug_plugins.javascript_language import ASSERT_MARKER, HARNESS_FILE, PRELOAD
from codeaug_plugins.typescript_language import TSC, TypeScript

from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.judging import COMPILE_STEP
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
from codeaug.typesys import parse_type
from codeaug.verdict import Status

TS = TypeScript()
LIMITS = Limits(wall_seconds=9, cpu_seconds=9, address_space=0)


def render(value: Any, type_text: str) -> str:
    return TS.render_value(value, parse_type(type_text))


def test_names_and_limits() -> None:
    assert (TS.name, TS.aliases, TS.extension, TS.image.name) == (
        "typescript", ("ts",), ".ts", "node")
    assert TS.default_limits.address_space == 0
    assert TS.default_limits.wall_seconds >= 20


@pytest.mark.parametrize(("type_text", "expected"), [
    ("int", "number"), ("float", "number"), ("str", "string"), ("bool", "boolean"),
    ("list[float]", "number[]"), ("list[list[int]]", "number[][]"),
    ("list[optional[str]]", "(string | null)[]"), ("set[str]", "Set<string>"),
    ("dict[int,list[str]]", "Map<number, string[]>"), ("tuple[int,float]", "[number, number]"),
    ("optional[list[int]]", "number[] | null"), ("list[set[int]]", "Set<number>[]"),
])
def test_render_type(type_text: str, expected: str) -> None:
    assert TS.render_type(parse_type(type_text)) == expected


@pytest.mark.parametrize(("value", "type_text", "expected"), [
    (5, "int", "5"), (-0.0, "float", "-0.0"), (1e308, "float", "1e+308"),
    (5e-324, "float", "5e-324"), (0.1, "float", "0.1"), ('q"\\\n', "str", '"q\\"\\\\\\n"'),
    ("😀", "str", '"😀"'), (None, "optional[str]", "null"),
    ([], "set[int]", "new Set<number>([])"),
    ([["a"]], "list[set[str]]", '[new Set<string>(["a"])]'),
    ({}, "dict[str,list[int]]", "new Map<string, number[]>([])"),
    ({"1": None}, "dict[int,optional[int]]", "new Map<number, number | null>([[1, null]])"),
    ([1, []], "tuple[int,list[str]]", "[1, []]"),
])
def test_render_value_adds_type_arguments(value: Any, type_text: str, expected: str) -> None:
    assert render(value, type_text) == expected


@pytest.mark.parametrize(("value", "type_text"), [
    (2**53, "int"), (None, "str"), ([1], "tuple[int,int]"), ({"a": 1}, "dict[int,int]"),
])
def test_unsupported_values(value: Any, type_text: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        render(value, type_text)


def problem(tests: Any, solution: str = "const f = (x: number): number => x;\n") -> Problem:
    return Problem(id="t", language="typescript", prompt="", entry_point="f",
                   signature=Signature(params=[Param("x", "int")], returns="int"),
                   solution=solution, tests=tests)


def test_every_job_compiles_main_ts_first() -> None:
    kinds = [CallsTests(cases=[CallCase([1], 1)]), CodeTests(code="console.assert(f(1) === 1)"),
             IoTests(cases=[IoCase("", ""), IoCase("1", "")])]
    for tests in kinds:
        job = TS.build_job(problem(tests), LIMITS, "j")
        assert "main.ts" in job.files and "main.js" not in job.files
        compile_step = job.steps[0]
        assert (compile_step.name, compile_step.argv) == (COMPILE_STEP, TSC)
        assert compile_step.stop_job_on_failure and compile_step.limits == LIMITS
        for step in job.steps[1:]:
            assert step.argv == ["node", "--require", PRELOAD, "main.js"]
    calls = TS.build_job(problem(kinds[0]), LIMITS, "j")
    assert [s.name for s in calls.steps] == [COMPILE_STEP, "calls"]
    assert HARNESS_FILE in calls.files and "() => f(1)," in calls.files["main.ts"]
    io = TS.build_job(problem(kinds[2]), LIMITS, "j")
    assert [s.name for s in io.steps] == [COMPILE_STEP, "case 0", "case 1"]


def test_type_error_is_a_compile_error() -> None:
    result = JobResult(id="j", steps=[StepResult(
        COMPILE_STEP, exit_code=1,
        stderr="main.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n")])
    verdict = TS.judge(problem(CodeTests(code="")), result)
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason.startswith("main.ts(1,7): error TS2322")


def test_failed_assertion_is_named_by_its_compiled_line() -> None:
    result = JobResult(id="j", steps=[
        StepResult(COMPILE_STEP, exit_code=0),
        StepResult("test", exit_code=0,
                   stderr=f"Assertion failed\n{ASSERT_MARKER} 3 console.assert(f(1) === 2);\n")])
    verdict = TS.judge(problem(CodeTests(code="console.assert(f(1) === 2)")), result)
    assert verdict.status is Status.FAILED
    assert verdict.failed_test == "console.assert(f(1) === 2);"
