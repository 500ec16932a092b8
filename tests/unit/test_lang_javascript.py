"""plugins/javascript_language.py without Docker: rendering, job shapes, verdicts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from codeaug_plugins.javascript_language import (
    ASSERT_MARKER,
    HARNESS_FILE,
    PRELOAD,
    SYNTAX_MARKER,
    JavaScript,
    error_line,
)

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

JS = JavaScript()
LIMITS = Limits(wall_seconds=4, cpu_seconds=4, address_space=0)


def render(value: Any, type_text: str) -> str:
    return JS.render_value(value, parse_type(type_text))


def test_names_and_limits() -> None:
    assert (JS.name, JS.aliases, JS.extension, JS.image.name) == (
        "javascript", ("js", "node"), ".js", "node")
    assert JS.default_limits.address_space == 0


@pytest.mark.parametrize(("type_text", "expected"), [
    ("int", "number"), ("float", "number"), ("str", "string"), ("bool", "boolean"),
    ("none", "null"), ("any", "any"),
    ("list[int]", "number[]"), ("list[list[str]]", "string[][]"),
    ("set[int]", "Set<number>"), ("dict[str,list[float]]", "Map<string, number[]>"),
    ("tuple[int,str,bool]", "[number, string, boolean]"),
    ("optional[int]", "number | null"), ("list[optional[int]]", "(number | null)[]"),
    ("list[tuple[int,str]]", "[number, string][]"),
    ("dict[int,optional[set[str]]]", "Map<number, Set<string> | null>"),
])
def test_render_type(type_text: str, expected: str) -> None:
    assert JS.render_type(parse_type(type_text)) == expected


@pytest.mark.parametrize(("value", "type_text", "expected"), [
    (0, "int", "0"), (-7, "int", "-7"), (2**53 - 1, "int", "9007199254740991"),
    (-(2**53 - 1), "int", "-9007199254740991"),
    (True, "bool", "true"), (False, "bool", "false"),
    (0.1, "float", "0.1"), (-0.0, "float", "-0.0"), (1e308, "float", "1e+308"),
    (5e-324, "float", "5e-324"), (2, "float", "2.0"), (123456789.125, "float", "123456789.125"),
    (float("nan"), "float", "NaN"), (float("inf"), "float", "Infinity"),
    (float("-inf"), "float", "-Infinity"),
    ("", "str", '""'), ('a"b\\c\nd\te', "str", '"a\\"b\\\\c\\nd\\te"'),
    ("\x00\x1f\x7f", "str", '"\\u0000\\u001f\\u007f"'), ("é日本😀", "str", '"é日本😀"'),
    ("\u2028\u2029", "str", '"\\u2028\\u2029"'), ("\ud800", "str", '"\\ud800"'),
    ("${x}`'", "str", '"${x}`\'"'),
    (None, "optional[int]", "null"), (3, "optional[int]", "3"), (None, "none", "null"),
    ([], "list[int]", "[]"), ([[1], []], "list[list[int]]", "[[1], []]"),
    ([], "set[int]", "new Set([])"), ([1, 2], "set[int]", "new Set([1, 2])"),
    ({}, "dict[str,int]", "new Map([])"),
    ({"a": 1, "__proto__": 2}, "dict[str,int]", 'new Map([["a", 1], ["__proto__", 2]])'),
    ({"-3": "x", "10": "y"}, "dict[int,str]", 'new Map([[-3, "x"], [10, "y"]])'),
    ([1, "a", [None]], "tuple[int,str,list[optional[float]]]", '[1, "a", [null]]'),
    ({"k": [1, 2.5, None, True, "s", {"__proto__": 1}]}, "any",
     '{["k"]: [1, 2.5, null, true, "s", {["__proto__"]: 1}]}'),
])
def test_render_value(value: Any, type_text: str, expected: str) -> None:
    assert render(value, type_text) == expected


@pytest.mark.parametrize(("value", "type_text"), [
    (2**53, "int"), (-(2**63), "int"), (True, "int"), (1.5, "int"), ("1", "int"),
    (2**60 + 1, "float"), ("x", "float"), (1, "bool"), (None, "int"), (1, "str"),
    ([1, 2], "tuple[int]"), ({"a": 1}, "list[int]"), ({"x": 1}, "dict[int,int]"),
    ({"1": 2**53}, "dict[int,int]"), ({"1.5": 1}, "dict[float,int]"), (2**70, "any"),
])
def test_unsupported_values(value: Any, type_text: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        render(value, type_text)


def test_dict_keys_other_than_str_and_int_have_no_type() -> None:
    with pytest.raises(UnsupportedTypeError):
        JS.render_type(parse_type("dict[float,int]"))


# ---------------------------------------------------------------------- jobs

SIG = Signature(params=[Param("xs", "list[int]"), Param("k", "optional[str]")],
                returns="dict[str,int]")


def calls_problem(entry: str = "count") -> Problem:
    return Problem(id="c", language="javascript", prompt="", entry_point=entry, signature=SIG,
                   solution="const count = (xs, k) => new Map();\n",
                   tests=CallsTests(cases=[CallCase([[1, 2], None], {}),
                                           CallCase([[], "a\"b"], {"a": 1})]))


def test_calls_job_is_one_run_with_literal_arguments_and_no_expected_values() -> None:
    job = JS.build_job(calls_problem(), LIMITS, "j1")
    assert set(job.files) == {"main.js", HARNESS_FILE}
    assert [s.name for s in job.steps] == ["calls"]
    step = job.steps[0]
    assert step.argv == ["node", "--require", PRELOAD, "main.js"]
    assert step.env["NODE_PATH"] == "/opt/codeaug/node-path"
    assert step.limits == LIMITS
    main = job.files["main.js"]
    assert main.startswith("const count = (xs, k) => new Map();\n")
    assert '() => count([1, 2], null),' in main
    assert '() => count([], "a\\"b"),' in main
    assert json.dumps(["dict", [["str", []], ["int", []]]]) in main
    assert '"a": 1' not in main and "{}" not in main  # expected values stay on the host


def test_calls_with_a_bad_entry_point_fails_each_case_in_the_job() -> None:
    main = JS.build_job(calls_problem("not a name"), LIMITS, "j").files["main.js"]
    assert "throw new Error" in main and "count(" not in main.split("run(")[1]


def test_code_job_is_solution_then_test_with_assert_locations() -> None:
    problem = Problem(id="x", language="js", prompt="", solution="const f = () => 1\n",
                      tests=CodeTests(code="console.assert(f() === 1)\n"))
    job = JS.build_job(problem, LIMITS, "j2")
    assert job.files == {"main.js": "const f = () => 1\n\nconsole.assert(f() === 1)\n"}
    [step] = job.steps
    assert step.name == "test" and step.env["CODEAUG_ASSERT_LOCATION"] == "1"


def test_io_job_runs_once_per_case_and_stops_at_the_first_failure() -> None:
    problem = Problem(id="x", language="js", prompt="", solution="console.log(1)",
                      tests=IoTests(cases=[IoCase("a", "1"), IoCase("b", "1")]))
    job = JS.build_job(problem, LIMITS, "j3")
    assert job.files == {"main.js": "console.log(1)"}
    assert [(s.name, s.stdin, s.stop_job_on_failure) for s in job.steps] == [
        ("case 0", "a", True), ("case 1", "b", True)]
    assert not any(s.name == COMPILE_STEP for s in job.steps)


# ---------------------------------------------------------------------- verdicts

CODE = Problem(id="x", language="js", prompt="", solution="const f = () => 1\n",
               tests=CodeTests(code="const t = () => {\n  console.assert(\n    f() === 2\n"
                                    "  )\n}\nt()\n"))


def judge(problem: Problem, *steps: StepResult) -> Any:
    return JS.judge(problem, JobResult(id="j", steps=list(steps)))


def test_code_passes_only_silently() -> None:
    assert judge(CODE, StepResult("test", exit_code=0)).status is Status.PASSED
    noisy = judge(CODE, StepResult("test", exit_code=0, stdout="debug\n"))
    assert noisy.status is Status.FAILED and "debug" in noisy.reason


def test_console_assert_failure_names_the_assertion() -> None:
    verdict = judge(CODE, StepResult(
        "test", exit_code=0, stderr=f"Assertion failed\n{ASSERT_MARKER} 4 console.assert(\n"))
    assert verdict.status is Status.FAILED
    assert verdict.reason == "Assertion failed"
    assert verdict.failed_test == "console.assert( f() === 2 )"


def test_assertion_error_from_node_assert_is_a_failure() -> None:
    stderr = ("node:assert:399\n    throw err;\n    ^\n\n"
              "AssertionError [ERR_ASSERTION]: 1 == 2\n"
              "    at t (/work/job/main.js:4:5)\n    at Object.<anonymous> (/work/job/main.js:6:1)"
              "\n\nNode.js v18.20.4\n")
    verdict = judge(CODE, StepResult("test", exit_code=1, stderr=stderr))
    assert verdict.status is Status.FAILED
    assert verdict.reason.startswith("AssertionError [ERR_ASSERTION]: 1 == 2")
    assert verdict.failed_test == "console.assert( f() === 2 )"


@pytest.mark.parametrize(("stderr", "reason"), [
    ("/work/job/main.js:2\nnull.x\n     ^\n\nTypeError: Cannot read properties of null\n"
     "    at Object.<anonymous> (/work/job/main.js:2:6)\n\nNode.js v18.20.4\n",
     "TypeError: Cannot read properties of null"),
    ("/work/job/main.js:1\nthrow 'boom'\n^\nboom\n(Use `node --trace-uncaught ...` to show "
     "where the exception was thrown)\n\nNode.js v18.20.4\n", "boom"),
])
def test_thrown_errors_are_errors_with_the_error_line(stderr: str, reason: str) -> None:
    verdict = judge(CODE, StepResult("test", exit_code=1, stderr=stderr))
    assert (verdict.status, verdict.reason) == (Status.ERROR, reason)
    assert error_line(stderr) == reason


def test_syntax_error_marker_is_a_compile_error_and_stops_io_cases() -> None:
    problem = Problem(id="x", language="js", prompt="", solution="(",
                      tests=IoTests(cases=[IoCase("", "1"), IoCase("", "1")]))
    step = StepResult("case 0", exit_code=97,
                      stderr=f"{SYNTAX_MARKER} main.js:1: SyntaxError: Unexpected end of input\n")
    verdict = judge(problem, step)
    assert verdict.status is Status.COMPILE_ERROR
    assert "SyntaxError: Unexpected end of input" in verdict.reason


def test_the_marker_counts_only_from_the_preload() -> None:
    # A program that prints the marker itself (exit 0) is judged as what it is.
    step = StepResult("test", exit_code=0, stderr=f"{SYNTAX_MARKER} fake\n")
    assert judge(CODE, step).status is Status.FAILED


def test_heap_exhaustion_is_a_memory_limit() -> None:
    stderr = ("<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - "
              "JavaScript heap out of memory\n 1: 0xb7 node::Abort()\n")
    verdict = judge(CODE, StepResult("test", signal=6, stderr=stderr))
    assert verdict.status is Status.MEMORY_LIMIT


def test_calls_reports_are_compared_on_the_host() -> None:
    problem = calls_problem()
    good = ('\n@@codeaug-case@@ 0 ok {}\n\n@@codeaug-case@@ 1 ok {"a":1}\n'
            "\n@@codeaug-done@@\n")
    assert judge(problem, StepResult("calls", exit_code=0, stdout=good)).passed
    bad = good.replace('{"a":1}', '{"a":2}')
    verdict = judge(problem, StepResult("calls", exit_code=0, stdout=bad))
    assert verdict.status is Status.FAILED and verdict.failed_test is not None
    assert verdict.failed_test.startswith("case 1: count(")
