"""plugins/c_language.py without Docker: what C can express (scalars, strings, arrays of
scalars as pointer + length), the jobs it builds and the verdicts it draws."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from codeaug_plugins.c_language import JSON_HEADER, RUNTIME, C

from codeaug.calls import parse_reports
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

LANG = C()
LIMITS = Limits(wall_seconds=4, cpu_seconds=4)


def rt(text: str) -> str:
    return LANG.render_type(parse_type(text))


def rv(value: object, text: str) -> str:
    return LANG.render_value(value, parse_type(text))


@pytest.mark.parametrize(("neutral", "c"), [
    ("int", "int64_t"), ("float", "double"), ("bool", "bool"), ("str", "const char*"),
    ("none", "void"), ("list[int]", "int64_t*"), ("list[float]", "double*"),
    ("list[bool]", "bool*"), ("list[str]", "const char**"),
])
def test_render_type(neutral: str, c: str) -> None:
    assert rt(neutral) == c


@pytest.mark.parametrize("neutral", [
    "any", "list[list[int]]", "set[int]", "dict[str,int]", "tuple[int,int]", "optional[int]",
    "list[optional[int]]", "list[any]",
])
def test_what_c_cannot_express_raises(neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rt(neutral)


def test_signature_uses_pointer_and_length_and_an_out_length_for_list_returns() -> None:
    params = [("xs", parse_type("list[int]")), ("name", parse_type("str")),
              ("k", parse_type("float"))]
    assert LANG.render_signature("f", params, parse_type("list[str]")) == (
        "const char** f(int64_t* xs, size_t xs_len, const char* name, double k, "
        "size_t* out_len)")
    assert LANG.render_signature("g", [], parse_type("bool")) == "bool g(void)"


@pytest.mark.parametrize(("value", "neutral", "c"), [
    (7, "int", "7LL"),
    (-(2**63), "int", "(-9223372036854775807LL - 1)"),
    (2**63 - 1, "int", "9223372036854775807LL"),
    (0.1, "float", "0.1"),
    (-0.0, "float", "(-0.0)"),
    (1e308, "float", "1e+308"),
    (5e-324, "float", "5e-324"),
    (2, "float", "2.0"),
    (float("inf"), "float", "(INFINITY)"),
    (float("-inf"), "float", "(-INFINITY)"),
    (float("nan"), "float", "(NAN)"),
    (True, "bool", "true"),
    ("", "str", '""'),
    ('q"\\\n\t\x01?é😀', "str", '"q\\"\\\\\\n\\t\\001\\?é😀"'),
    ([], "list[int]", "(int64_t[1]){0}"),
    ([1, -2], "list[int]", "(int64_t[]){1LL, -2LL}"),
    ([0.5], "list[float]", "(double[]){0.5}"),
    ([True, False], "list[bool]", "(bool[]){true, false}"),
    (["a", ""], "list[str]", '(const char*[]){"a", ""}'),
    ([], "list[str]", "(const char*[1]){0}"),
])
def test_render_value(value: object, neutral: str, c: str) -> None:
    assert rv(value, neutral) == c


@pytest.mark.parametrize(("value", "neutral"), [
    ("a\x00b", "str"),  # a C string ends at NUL
    (["\x00"], "list[str]"),
    (None, "int"),
    (2**63, "int"),
    (1.5, "int"),
    ("x", "bool"),
    (3, "str"),
    ({"a": 1}, "list[int]"),
    ([1], "set[int]"),
])
def test_inexpressible_values_raise(value: object, neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rv(value, neutral)


def calls_problem(solution: str = "#include <stdint.h>\n"
                                  "int64_t add(int64_t a, int64_t b) { return a + b; }",
                  cases: list[CallCase] | None = None) -> Problem:
    return Problem(
        id="t/add", language="c", prompt="", entry_point="add",
        signature=Signature(params=[Param("a", "int"), Param("b", "int")], returns="int"),
        solution=solution,
        tests=CallsTests(cases=cases or [CallCase(args=[1, 2], expected=3),
                                         CallCase(args=[5, -5], expected=0)]))


def test_calls_job_is_one_compile_and_one_run() -> None:
    job = LANG.build_job(calls_problem(), LIMITS, "j")
    assert set(job.files) == {"main.c", "codeaug_json.h", "codeaug_rt.c"}
    assert job.files["codeaug_json.h"] == JSON_HEADER and job.files["codeaug_rt.c"] == RUNTIME
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and compile_.stop_job_on_failure
    assert compile_.argv[:2] == ["gcc", "-std=gnu17"]
    assert "-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc" in compile_.argv
    assert run.name == "calls" and run.argv == ["./main"] and run.limits == LIMITS
    main = job.files["main.c"]
    assert "int64_t a0 = 5LL;" in main and "add(a0, a1)" in main
    assert "3LL" not in main  # expected values never enter the sandbox


def test_calls_harness_passes_lists_as_pointer_and_length() -> None:
    problem = Problem(
        id="t", language="c", prompt="", entry_point="f",
        signature=Signature(params=[Param("xs", "list[int]"), Param("s", "str")],
                            returns="list[int]"),
        solution="", tests=CallsTests(cases=[CallCase(args=[[4, 5], "hi"], expected=[])]))
    main = LANG.build_job(problem, LIMITS, "j").files["main.c"]
    assert "int64_t* a0 = (int64_t[]){4LL, 5LL};" in main
    assert 'char a1[] = "hi";' in main  # a mutable copy
    assert "f(a0, (size_t)2, a1, &out_len)" in main
    assert "codeaug_print_int_array(result, out_len);" in main


def test_code_and_io_jobs() -> None:
    code = Problem(id="c", language="c", prompt="", solution="int one(void){return 1;}",
                   tests=CodeTests(code="#include <assert.h>\nint main(void){assert(one()==1);}"))
    job = LANG.build_job(code, LIMITS, "j")
    assert job.files["main.c"] == code.solution + "\n" + code.tests.code  # type: ignore[union-attr]
    assert [s.name for s in job.steps] == [COMPILE_STEP, "test"]
    io = Problem(id="i", language="c", prompt="", solution="int main(void){return 0;}",
                 tests=IoTests(cases=[IoCase(stdin="1", stdout=""), IoCase(stdin="2", stdout="")]))
    job = LANG.build_job(io, LIMITS, "j")
    assert job.files["main.c"] == io.solution
    assert [(s.name, s.stdin, s.stop_job_on_failure) for s in job.steps[1:]] == [
        ("case 0", "1", True), ("case 1", "2", True)]


def compiled(*runs: StepResult) -> JobResult:
    return JobResult(id="j", steps=[StepResult(COMPILE_STEP, exit_code=0), *runs])


def test_judging() -> None:
    problem = calls_problem()
    out = "\n@@codeaug-case@@ 0 ok 3\n@@codeaug-case@@ 1 ok 1\n@@codeaug-done@@\n"
    verdict = LANG.judge(problem, compiled(StepResult("calls", exit_code=0, stdout=out)))
    assert verdict.status is Status.FAILED and verdict.failed_test == "case 1: add(5, -5)"
    crash = LANG.judge(problem, compiled(StepResult(
        "calls", signal=11, stdout="\n@@codeaug-case@@ 0 ok 3\n")))
    assert crash.status is Status.ERROR and crash.failed_test == "case 1: add(5, -5)"
    oom = StepResult("calls", signal=6,
                     stderr="codeaug: out of memory: malloc(1099511627776) failed\n")
    assert LANG.judge(problem, compiled(oom)).status is Status.MEMORY_LIMIT
    failed = StepResult("test", signal=6,
                        stderr="main: main.c:9: main: Assertion `one() == 2' failed.\n")
    code = Problem(id="c", language="c", prompt="", solution="", tests=CodeTests(code=""))
    verdict = LANG.judge(code, compiled(failed))
    assert verdict.status is Status.FAILED and verdict.failed_test == "one() == 2"
    error = LANG.judge(problem, JobResult(id="j", steps=[StepResult(
        COMPILE_STEP, exit_code=1, stderr="main.c:2:1: error: unknown type name 'x'\n")]))
    assert error.status is Status.COMPILE_ERROR
    assert error.reason == "main.c:2:1: error: unknown type name 'x'"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no gcc on this machine")
def test_harness_compiles_and_reports_with_the_hosts_gcc(tmp_path: Path) -> None:
    problem = Problem(
        id="t", language="c", prompt="", entry_point="f",
        signature=Signature(params=[Param("xs", "list[float]"), Param("s", "str"),
                                    Param("b", "list[bool]")], returns="list[str]"),
        solution='#include <stdio.h>\n'
                 'const char* out[2];\n'
                 'char** f(double* xs, size_t n, char* s, bool* b, size_t m, size_t* len) {\n'
                 '  printf("noise"); out[0] = s; out[1] = xs[0] < 0 ? "neg" : "pos";\n'
                 '  *len = 2; return (char**)out; }\n',
        tests=CallsTests(cases=[CallCase(args=[[-0.0, 1e308], 'a"é\n', []], expected=[]),
                                CallCase(args=[[5e-324], "", [True]], expected=[])]))
    job = LANG.build_job(problem, LIMITS, "j")
    for name, text in job.files.items():
        (tmp_path / name).write_text(text)
    subprocess.run(job.steps[0].argv, cwd=tmp_path, check=True)
    out = subprocess.run(["./main"], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    found, done = parse_reports(out)
    assert done
    assert found[0].value == ['a"é\n', "pos"] and found[1].value == ["", "pos"]
    assert json.dumps(found[0].value)  # valid JSON round trip
