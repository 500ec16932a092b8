"""plugins/cpp_language.py without Docker: type and value rendering, the jobs it builds,
and the verdicts it draws from raw step results."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from codeaug_plugins.cpp_language import (
    CXXFLAGS,
    HUMANEVAL_X_PRELUDE,
    JSON_HEADER,
    Cpp,
    c_string_literal,
)

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

CPP = Cpp()
ROOT = Path(__file__).parents[2]
LIMITS = Limits(wall_seconds=4, cpu_seconds=4)


def rt(text: str) -> str:
    return CPP.render_type(parse_type(text))


def rv(value: object, text: str) -> str:
    return CPP.render_value(value, parse_type(text))


# ------------------------------------------------------------------------- types


@pytest.mark.parametrize(("neutral", "cpp"), [
    ("int", "long long"),
    ("float", "double"),
    ("str", "std::string"),
    ("bool", "bool"),
    ("none", "void"),
    ("list[int]", "std::vector<long long>"),
    ("set[str]", "std::set<std::string>"),
    ("dict[int,list[float]]", "std::map<long long, std::vector<double>>"),
    ("dict[str,bool]", "std::map<std::string, bool>"),
    ("tuple[int,str,bool]", "std::tuple<long long, std::string, bool>"),
    ("optional[list[int]]", "std::optional<std::vector<long long>>"),
    ("list[list[tuple[int,optional[str]]]]",
     "std::vector<std::vector<std::tuple<long long, std::optional<std::string>>>>"),
])
def test_render_type(neutral: str, cpp: str) -> None:
    assert rt(neutral) == cpp


@pytest.mark.parametrize("neutral", [
    "any", "list[any]", "dict[str,any]", "list[none]", "optional[none]", "dict[float,int]",
    "dict[list[int],int]",
])
def test_inexpressible_types_raise(neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rt(neutral)


# ------------------------------------------------------------------------ values


@pytest.mark.parametrize(("value", "neutral", "cpp"), [
    (0, "int", "0LL"),
    (-5, "int", "-5LL"),
    (2**63 - 1, "int", "9223372036854775807LL"),
    (-(2**63), "int", "(-9223372036854775807LL - 1)"),
    (True, "bool", "true"),
    (False, "bool", "false"),
    (0.1, "float", "0.1"),
    (-0.0, "float", "(-0.0)"),
    (1e308, "float", "1e+308"),
    (5e-324, "float", "5e-324"),
    (3, "float", "3.0"),
    (float("inf"), "float", "(std::numeric_limits<double>::infinity())"),
    (float("-inf"), "float", "(-std::numeric_limits<double>::infinity())"),
    (float("nan"), "float", "(std::numeric_limits<double>::quiet_NaN())"),
    ("", "str", 'std::string("")'),
    ('a"b\\c\nd\te?', "str", 'std::string("a\\"b\\\\c\\nd\\te\\?")'),
    ("é日😀", "str", 'std::string("é日😀")'),
    ("a\x00b", "str", 'std::string("a\\000b", 3)'),
    ("\x01" "7", "str", 'std::string("\\0017")'),
    ([], "list[int]", "std::vector<long long>{}"),
    ([1, 2], "list[int]", "std::vector<long long>{1LL, 2LL}"),
    ([[]], "list[list[str]]", "std::vector<std::vector<std::string>>{std::vector<std::string>{}}"),
    (["b", "a"], "set[str]", 'std::set<std::string>{std::string("b"), std::string("a")}'),
    ({}, "dict[str,int]", "std::map<std::string, long long>{}"),
    ({"7": 1.5}, "dict[int,float]", "std::map<long long, double>{{7LL, 1.5}}"),
    ({"k": [True]}, "dict[str,list[bool]]",
     'std::map<std::string, std::vector<bool>>{{std::string("k"), std::vector<bool>{true}}}'),
    ([1, "x"], "tuple[int,str]", 'std::tuple<long long, std::string>{1LL, std::string("x")}'),
    (None, "optional[int]", "std::optional<long long>{}"),
    (4, "optional[int]", "std::optional<long long>{4LL}"),
    ([None, 2], "list[optional[int]]",
     "std::vector<std::optional<long long>>{std::optional<long long>{}, "
     "std::optional<long long>{2LL}}"),
])
def test_render_value(value: object, neutral: str, cpp: str) -> None:
    assert rv(value, neutral) == cpp


@pytest.mark.parametrize(("value", "neutral"), [
    (2**63, "int"),
    (-(2**63) - 1, "int"),
    (1.5, "int"),
    (True, "int"),
    ("1", "int"),
    (None, "int"),
    (10**400, "float"),
    (1, "bool"),
    (1, "str"),
    ("\ud800", "str"),
    ({"a": 1}, "list[int]"),
    ([1, 2, 3], "tuple[int,int]"),
    ({"x": 1}, "dict[int,int]"),
    (1, "any"),
])
def test_inexpressible_values_raise(value: object, neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rv(value, neutral)


def test_string_literal_never_forms_a_trigraph_or_joins_an_escape() -> None:
    assert c_string_literal("??=") == '"\\?\\?="'
    assert c_string_literal("\x00" "1") == '"\\0001"'  # three octal digits, then '1'


# -------------------------------------------------------------------------- jobs


def calls_problem(solution: str = "long long add(long long a, long long b) { return a + b; }",
                  cases: list[CallCase] | None = None) -> Problem:
    return Problem(
        id="t/add", language="cpp", prompt="", entry_point="add",
        signature=Signature(params=[Param("a", "int"), Param("b", "int")], returns="int"),
        solution=solution,
        tests=CallsTests(cases=cases or [CallCase(args=[1, 2], expected=3),
                                         CallCase(args=[5, -5], expected=0)]))


def code_problem(code: str = "int main() { assert(add(1, 2) == 3); }") -> Problem:
    return Problem(id="t/code", language="cpp", prompt="",
                   solution="long long add(long long a, long long b) { return a + b; }",
                   tests=CodeTests(code=code))


def io_problem() -> Problem:
    return Problem(id="t/io", language="cpp", prompt="",
                   solution="#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;"
                            "std::cout<<a+b<<std::endl;}",
                   tests=IoTests(cases=[IoCase(stdin="1 2\n", stdout="3\n"),
                                        IoCase(stdin="5 5\n", stdout="10\n")]))


def test_calls_job_is_one_compile_and_one_run() -> None:
    job = CPP.build_job(calls_problem(), LIMITS, "j1")
    assert job.id == "j1"
    assert set(job.files) == {"main.cpp", "codeaug_json.hpp"}
    assert job.files["codeaug_json.hpp"] == JSON_HEADER
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and compile_.stop_job_on_failure
    assert compile_.argv[0] == "g++" and "-std=c++17" in compile_.argv
    assert compile_.limits.wall_seconds >= 30  # compiling gets more time than a run
    assert run.argv == ["./main"] and run.limits == LIMITS
    main = job.files["main.cpp"]
    assert main.startswith("#include <bits/stdc++.h>\n")  # the precompiled header
    assert "add(a0, a1)" in main and "auto a0 = 1LL;" in main and "auto a1 = -5LL;" in main
    # The expected values never enter the sandbox.
    assert "3LL" not in main and "0LL" not in main


def test_code_job_is_solution_then_test_with_the_humaneval_x_prelude() -> None:
    problem = code_problem()
    job = CPP.build_job(problem, LIMITS, "j2")
    assert job.files == {"main.cpp": problem.solution + "\n" + problem.tests.code}  # type: ignore[union-attr]
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP
    assert ["-include", HUMANEVAL_X_PRELUDE] == compile_.argv[
        compile_.argv.index("-include"):compile_.argv.index("-include") + 2]
    assert "-lcrypto" in compile_.argv
    assert run.name == "test" and run.argv == ["./main"]


def test_io_job_runs_once_per_case_with_stdin() -> None:
    job = CPP.build_job(io_problem(), LIMITS, "j3")
    assert job.files == {"main.cpp": io_problem().solution}
    compile_, *runs = job.steps
    assert compile_.name == COMPILE_STEP
    assert [s.stdin for s in runs] == ["1 2\n", "5 5\n"]
    assert all(s.stop_job_on_failure and s.argv == ["./main"] for s in runs)


def test_setup_sh_precompiles_with_the_plugins_flags() -> None:
    # g++ silently ignores a PCH built with other flags: keep the two in step.
    setup = (ROOT / "sandbox" / "gcc" / "setup.sh").read_text()
    assert f'CXXFLAGS="{" ".join(CXXFLAGS)}"' in setup
    prelude = (ROOT / "sandbox" / "gcc" / "humaneval_x_prelude.h").read_text()
    assert re.findall(r"^#include<[^>]+>", prelude, re.M) == [
        "#include<stdlib.h>", "#include<algorithm>", "#include<math.h>", "#include<stdio.h>",
        "#include<vector>", "#include<string>", "#include<climits>", "#include<cstring>",
        "#include<iostream>"]


# ------------------------------------------------------------------------ judging


def step(name: str = "calls", **kw: object) -> StepResult:
    return StepResult(name=name, **kw)  # type: ignore[arg-type]


def compiled(*runs: StepResult) -> JobResult:
    return JobResult(id="j", steps=[step(COMPILE_STEP, exit_code=0), *runs])


def reports(*values: str) -> str:
    lines = [f"\n@@codeaug-case@@ {i} ok {v}" for i, v in enumerate(values)]
    return "".join(lines) + "\n@@codeaug-done@@\n"


def test_compile_error_names_the_first_error_line() -> None:
    stderr = ("main.cpp: In function 'int main()':\n"
              "main.cpp:3:5: error: 'foo' was not declared in this scope\n"
              "main.cpp:4:5: error: expected ';'\n")
    result = JobResult(id="j", steps=[step(COMPILE_STEP, exit_code=1, stderr=stderr)])
    verdict = CPP.judge(calls_problem(), result)
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason == "main.cpp:3:5: error: 'foo' was not declared in this scope"


def test_calls_pass_and_fail_name_the_case() -> None:
    ok = CPP.judge(calls_problem(), compiled(step(exit_code=0, stdout=reports("3", "0"))))
    assert ok.status is Status.PASSED, ok.reason
    bad = CPP.judge(calls_problem(), compiled(step(exit_code=0, stdout=reports("3", "1"))))
    assert bad.status is Status.FAILED
    assert bad.failed_test == "case 1: add(5, -5)"


def test_calls_exception_is_an_error_of_that_case() -> None:
    out = "\n@@codeaug-case@@ 0 raised \"vector::_M_range_check\"\n@@codeaug-done@@\n"
    verdict = CPP.judge(calls_problem(), compiled(step(exit_code=0, stdout=out)))
    assert verdict.status is Status.ERROR
    assert verdict.failed_test == "case 0: add(1, 2)"
    assert "_M_range_check" in verdict.reason


@pytest.mark.parametrize("stderr", [
    "terminate called after throwing an instance of 'std::bad_alloc'\n  what():  "
    "std::bad_alloc\n",
    "terminate called after throwing an instance of 'std::length_error'\n  what():  "
    "vector::_M_default_append\n",
])
def test_bad_alloc_is_the_memory_limit(stderr: str) -> None:
    result = compiled(step("test", exit_code=None, signal=6, stderr=stderr))
    assert CPP.judge(code_problem(), result).status is Status.MEMORY_LIMIT


def test_failed_assertion_is_failed_with_the_assertion_text() -> None:
    stderr = "main: main.cpp:17: int main(): Assertion `add(1, 2) == 4' failed.\n"
    result = compiled(step("test", exit_code=None, signal=6, stderr=stderr))
    verdict = CPP.judge(code_problem(), result)
    assert verdict.status is Status.FAILED
    assert verdict.failed_test == "add(1, 2) == 4"
    assert verdict.reason == "main.cpp:17: int main(): Assertion `add(1, 2) == 4' failed."


def test_crash_is_an_error_naming_the_signal() -> None:
    verdict = CPP.judge(code_problem(), compiled(step("test", exit_code=None, signal=11)))
    assert verdict.status is Status.ERROR
    assert verdict.reason == "killed by SIGSEGV"


def test_sigxcpu_is_the_cpu_time_limit() -> None:
    result = compiled(step("test", exit_code=None, signal=24, cpu_seconds=1.99))
    assert CPP.judge(code_problem(), result).status is Status.TIMEOUT


def test_code_exit_zero_passes() -> None:
    assert CPP.judge(code_problem(), compiled(step("test", exit_code=0))).passed


def test_io_wrong_output_names_the_case() -> None:
    result = compiled(step("case 0", exit_code=0, stdout="3\n"),
                      step("case 1", exit_code=0, stdout="11\n"))
    verdict = CPP.judge(io_problem(), result)
    assert verdict.status is Status.FAILED and verdict.failed_test == "case 1"


# ------------------------------------- the harness itself, with the host's g++ if any


@pytest.mark.skipif(shutil.which("g++") is None, reason="no g++ on this machine")
def test_harness_compiles_and_reports_with_the_hosts_gxx(tmp_path: Path) -> None:
    t = "tuple[list[int],dict[str,float],set[str],optional[bool],dict[int,list[str]],str]"
    value = [[1, -(2**63)], {'a"b': -0.0, "é": 5e-324, "x": 1e308}, ["q?", "??/"], None,
             {"12": ["\x00z", "😀\n"]}, "\\\t\x01"]
    rendered = rt(t)
    problem = Problem(
        id="t", language="cpp", prompt="", entry_point="f",
        signature=Signature(params=[Param("x", t)], returns=t),
        solution=f'{rendered} f({rendered} x) {{ std::cout << "noise"; return x; }}\n'
                 "void g() {}",
        tests=CallsTests(cases=[CallCase(args=[value], expected=value)]))
    job = CPP.build_job(problem, LIMITS, "j")
    for name, text in job.files.items():
        (tmp_path / name).write_text(text)
    subprocess.run(["g++", "-std=c++17", "main.cpp", "-o", "main"], cwd=tmp_path, check=True)
    out = subprocess.run(["./main"], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    found, done = parse_reports(out)
    assert done and found[0].kind == "ok"
    got = found[0].value
    assert got[0] == [1, -(2**63)]
    assert json.dumps(got[1]["a\"b"]) == "-0.0" and got[1]["é"] == 5e-324
    assert sorted(got[2]) == ["??/", "q?"] and got[3] is None
    assert got[4] == {"12": ["\x00z", "😀\n"]} and got[5] == "\\\t\x01"
