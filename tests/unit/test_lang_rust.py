"""plugins/rust_language.py without Docker: type and value rendering, the jobs it builds,
and the verdicts it draws from raw step results (rustc 1.63's output as the image
prints it, and the newer panic format)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from codeaug_plugins.rust_language import (
    CRATES,
    CRATES_DIR,
    NO_TEST,
    Rust,
    code_program,
)

from codeaug.calls import parse_reports
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.images import parse_packages
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

RS = Rust()
ROOT = Path(__file__).parents[2]
LIMITS = Limits(wall_seconds=4, cpu_seconds=4)


def rt(text: str) -> str:
    return RS.render_type(parse_type(text))


def rv(value: object, text: str) -> str:
    return RS.render_value(value, parse_type(text))


# ------------------------------------------------------------------------- types


@pytest.mark.parametrize(("neutral", "rust"), [
    ("int", "i64"),
    ("float", "f64"),
    ("str", "String"),
    ("bool", "bool"),
    ("none", "()"),
    ("list[int]", "Vec<i64>"),
    ("list[list[str]]", "Vec<Vec<String>>"),
    ("set[int]", "HashSet<i64>"),
    ("set[str]", "HashSet<String>"),
    ("set[tuple[int,str]]", "HashSet<(i64, String)>"),
    ("dict[str,int]", "HashMap<String, i64>"),
    ("dict[int,list[float]]", "HashMap<i64, Vec<f64>>"),
    ("tuple[int]", "(i64,)"),
    ("tuple[int,str,bool]", "(i64, String, bool)"),
    ("tuple[" + ",".join(["int"] * 12) + "]", "(" + ", ".join(["i64"] * 12) + ")"),
    ("optional[int]", "Option<i64>"),
    ("optional[dict[str,optional[float]]]", "Option<HashMap<String, Option<f64>>>"),
])
def test_render_type(neutral: str, rust: str) -> None:
    assert rt(neutral) == rust


@pytest.mark.parametrize("neutral", [
    "any", "list[any]", "set[float]", "set[list[float]]", "set[tuple[int,float]]",
    "set[optional[float]]", "set[set[int]]", "set[dict[str,int]]", "dict[float,int]",
    "dict[bool,int]", "dict[tuple[int,int],int]", "tuple[" + ",".join(["int"] * 13) + "]",
])
def test_unsupported_types(neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        rt(neutral)
    assert info.value.language == "rust"
    # Values of such types are refused too, never rendered wrongly.
    with pytest.raises(UnsupportedTypeError):
        rv(None if neutral == "any" else [0] * 13 if neutral.startswith("tuple") else [],
           neutral)


# ------------------------------------------------------------------------ values


@pytest.mark.parametrize(("value", "neutral", "rust"), [
    (0, "int", "0i64"),
    (-5, "int", "-5i64"),
    (2**63 - 1, "int", "9223372036854775807i64"),
    (-(2**63), "int", "-9223372036854775808i64"),
    (True, "bool", "true"),
    (False, "bool", "false"),
    (None, "none", "()"),
    (0.1, "float", "0.1f64"),
    (-0.0, "float", "-0.0f64"),
    (1e308, "float", "1e+308f64"),
    (5e-324, "float", "5e-324f64"),
    (3, "float", "3.0f64"),
    (float("inf"), "float", "f64::INFINITY"),
    (float("-inf"), "float", "f64::NEG_INFINITY"),
    (float("nan"), "float", "f64::NAN"),
    ("", "str", 'String::from("")'),
    ("a\"b\\c\nd\te\r\0", "str", 'String::from("a\\"b\\\\c\\nd\\te\\r\\0")'),
    ("\x01\x1f\x7f\x85", "str", 'String::from("\\u{1}\\u{1f}\\u{7f}\\u{85}")'),
    ("é日本😀\u2028", "str", 'String::from("é日本😀\u2028")'),
    ("{}{{", "str", 'String::from("{}{{")'),
    ([], "list[int]", "Vec::<i64>::new()"),
    ([[]], "list[list[int]]", "vec![Vec::<i64>::new()]"),
    ([1, 2], "list[int]", "vec![1i64, 2i64]"),
    ([[1.5], []], "list[list[float]]", "vec![vec![1.5f64], Vec::<f64>::new()]"),
    ([], "set[str]", "std::collections::HashSet::<String>::new()"),
    ([3, 1], "set[int]", "std::collections::HashSet::<i64>::from([3i64, 1i64])"),
    ({}, "dict[str,int]", "std::collections::HashMap::<String, i64>::new()"),
    ({"a": 1}, "dict[str,int]",
     'std::collections::HashMap::<String, i64>::from([(String::from("a"), 1i64)])'),
    ({"-3": [True]}, "dict[int,list[bool]]",
     "std::collections::HashMap::<i64, Vec<bool>>::from([(-3i64, vec![true])])"),
    ([1, "x"], "tuple[int,str]", '(1i64, String::from("x"))'),
    ([1], "tuple[int]", "(1i64,)"),
    (None, "optional[int]", "Option::<i64>::None"),
    (4, "optional[int]", "Some(4i64)"),
    ([None, [None]], "list[optional[list[optional[int]]]]",
     "vec![Option::<Vec<Option<i64>>>::None, Some(vec![Option::<i64>::None])]"),
    ({"k": {}}, "dict[str,dict[str,set[int]]]",
     'std::collections::HashMap::<String, std::collections::HashMap<String, '
     'std::collections::HashSet<i64>>>::from([(String::from("k"), '
     'std::collections::HashMap::<String, std::collections::HashSet<i64>>::new())])'),
])
def test_render_value(value: object, neutral: str, rust: str) -> None:
    assert rv(value, neutral) == rust


@pytest.mark.parametrize(("value", "neutral"), [
    (2**63, "int"),
    (-(2**63) - 1, "int"),
    (True, "int"),
    (1.5, "int"),
    ("1", "int"),
    (1, "bool"),
    ("x", "float"),
    (True, "float"),
    (1, "str"),
    ("\ud800", "str"),
    ({"a": 1}, "list[int]"),
    ([1, 2], "tuple[int]"),
    ({"x": 1}, "dict[int,int]"),
    ([1], "dict[str,int]"),
    (1, "none"),
])
def test_values_that_cannot_be_rendered(value: object, neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rv(value, neutral)


# --------------------------------------------------------------------------- jobs


def calls_problem(solution: str = "fn add(a: i64, b: i64) -> i64 { a + b }") -> Problem:
    return Problem(
        id="t/add", language="rust", prompt="", entry_point="add", solution=solution,
        signature=Signature(params=[Param("a", "int"), Param("b", "int")], returns="int"),
        tests=CallsTests(cases=[CallCase(args=[1, 2], expected=3),
                                CallCase(args=[-4, 4], expected=0)]))


def test_calls_job_is_one_compile_and_one_run() -> None:
    job = RS.build_job(calls_problem(), LIMITS, "j1")
    assert job.id == "j1"
    assert list(job.files) == ["main.rs"]
    assert [s.name for s in job.steps] == [COMPILE_STEP, "calls"]
    compile_, run = job.steps
    assert compile_.stop_job_on_failure
    assert compile_.argv[0] == "rustc" and "--test" not in compile_.argv
    assert compile_.argv[-3:] == ["main.rs", "-o", "main"]
    # rustc reserves address space; the container's memory cgroup caps it instead.
    assert compile_.limits.address_space == 0
    assert compile_.limits.wall_seconds >= 30
    assert run.argv == ["./main"]
    assert run.limits == LIMITS
    program = job.files["main.rs"]
    assert "super::add(1i64, 2i64)" in program and "super::add(-4i64, 4i64)" in program
    # The expected values never enter the sandbox.
    assert "3i64" not in program and "0i64" not in program


def test_calls_program_wraps_the_solution_in_a_module() -> None:
    solution = ("use std::collections::HashMap;\nfn main() {}\n"
                "fn add(a: i64, b: i64) -> i64 { a + b }")
    program = RS.build_job(calls_problem(solution), LIMITS, "j").files["main.rs"]
    assert program.startswith("mod __codeaug_solution {\nuse std::collections::HashMap;")
    assert program.rstrip().endswith(
        "fn main() {\n    __codeaug_solution::__codeaug_harness::run();\n}")
    assert "/*@@codeaug-cases@@*/" not in program


def test_calls_case_with_the_wrong_number_of_arguments_is_refused() -> None:
    problem = calls_problem()
    assert isinstance(problem.tests, CallsTests)
    problem.tests.cases.append(CallCase(args=[1], expected=1))
    with pytest.raises(UnsupportedTypeError, match="case 2 has 1 arguments"):
        RS.build_job(problem, LIMITS, "j")


def test_every_job_links_the_pinned_crates() -> None:
    argv = RS.build_job(calls_problem(), LIMITS, "j").steps[0].argv
    for name in ("rand", "regex", "md5"):
        assert f"{name}={CRATES_DIR}/lib{name}.rlib" in argv
    assert f"dependency={CRATES_DIR}/deps" in argv
    assert "opt-level=0" in argv  # as `cargo test`: overflow checks and debug asserts on


def test_crate_versions_are_the_lock_files() -> None:
    lock = (ROOT / "sandbox" / "rust" / "Cargo.lock").read_text()
    for name, version in CRATES.items():
        assert f'name = "{name}"\nversion = "{version}"' in lock
    # The lock pins every archive by checksum (prepare.sh fetches with --locked).
    packages = lock.count("[[package]]")
    assert lock.count("checksum = ") == packages - 1  # all but the local dummy crate


def test_io_job_compiles_once_and_runs_each_case() -> None:
    problem = Problem(id="t/io", language="rust", prompt="",
                      solution="fn main() { println!(\"hi\"); }",
                      tests=IoTests(cases=[IoCase(stdin="1\n", stdout="hi\n"),
                                           IoCase(stdin="2\n", stdout="hi\n")]))
    job = RS.build_job(problem, LIMITS, "j")
    assert job.files == {"main.rs": problem.solution}
    assert [s.name for s in job.steps] == [COMPILE_STEP, "case 0", "case 1"]
    assert [s.stdin for s in job.steps[1:]] == ["1\n", "2\n"]
    assert all(s.stop_job_on_failure for s in job.steps)
    assert all(s.argv == ["./main"] for s in job.steps[1:])


HUMANEVAL_X_LIKE = Problem(
    id="Rust/53", language="rust", prompt="", entry_point="add",
    solution="fn main(){}\nuse rand::Rng;\nfn add(x:i32, y:i32) -> i32{\n    return x + y;\n}\n",
    tests=CodeTests(code="#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n"
                         "    fn test_add() {\n        assert!(add(0, 1) == 1);\n"
                         "        assert_eq!(add(2, 3), 5);\n    }\n}\n"))


def test_code_job_with_tests_builds_a_libtest_binary() -> None:
    job = RS.build_job(HUMANEVAL_X_LIKE, LIMITS, "j")
    assert job.files == {"main.rs": code_program(HUMANEVAL_X_LIKE)}
    assert job.files["main.rs"].startswith(HUMANEVAL_X_LIKE.solution.rstrip("\n") + "\n\n")
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and "--test" in compile_.argv
    assert run.argv == ["./main", "--test-threads=1"]


def test_code_job_without_tests_is_a_plain_program() -> None:
    problem = Problem(id="p", language="rust", prompt="", solution="fn f() -> i64 { 1 }",
                      tests=CodeTests(code="fn main() { assert_eq!(f(), 1); }"))
    compile_, run = RS.build_job(problem, LIMITS, "j").steps
    assert "--test" not in compile_.argv
    assert run.argv == ["./main"]


def test_language_attributes() -> None:
    assert RS.name == "rust" and "rs" in RS.aliases
    assert RS.extension == ".rs" and RS.image.name == "rust"
    assert RS.tree_sitter == "rust"
    packages = parse_packages((ROOT / "sandbox" / "rust" / "packages.txt").read_text())
    assert {"python3", "rustc", "cargo"} <= set(packages)


# ----------------------------------------------------------------------- verdicts


def result(*steps: StepResult) -> JobResult:
    return JobResult(id="j", steps=list(steps))


COMPILED = StepResult(COMPILE_STEP, exit_code=0, wall_seconds=0.5)

FAILED_1_63 = """
running 1 test
test tests::test_add ... FAILED

failures:

---- tests::test_add stdout ----
thread 'main' panicked at 'assertion failed: `(left == right)`
  left: `6`,
 right: `5`', main.rs:14:9
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    tests::test_add

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out
"""

FAILED_NEW = """
running 1 test
test tests::test_add ... FAILED

failures:

---- tests::test_add stdout ----
thread 'tests::test_add' panicked at main.rs:13:9:
assertion failed: add(0, 1) == 1
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    tests::test_add

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out
"""

FAILED_NEW_EQ = """---- tests::test_add stdout ----
thread 'tests::test_add' panicked at main.rs:14:9:
assertion `left == right` failed
  left: 6
 right: 5
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"""


def test_code_pass() -> None:
    run = StepResult("test", exit_code=0,
                     stdout="running 1 test\ntest tests::test_add ... ok\n\n"
                            "test result: ok. 1 passed; 0 failed; 0 ignored\n")
    assert RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, run)).status is Status.PASSED


def test_code_that_runs_no_test_is_not_a_pass() -> None:
    run = StepResult("test", exit_code=0, stdout="running 0 tests\n\n"
                     "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured\n")
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, run))
    assert verdict.status is Status.ERROR and verdict.reason == NO_TEST


def test_assert_eq_failure_rustc_1_63() -> None:
    run = StepResult("test", exit_code=101, stdout=FAILED_1_63)
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, run))
    assert verdict.status is Status.FAILED
    assert verdict.reason == "assertion failed: `(left == right)` left: `6`, right: `5`"
    assert verdict.failed_test == "tests::test_add: line 14: assert_eq!(add(2, 3), 5);"


@pytest.mark.parametrize(("stdout", "reason", "line"), [
    (FAILED_NEW, "assertion failed: add(0, 1) == 1", "line 13: assert!(add(0, 1) == 1);"),
    (FAILED_NEW_EQ, "assertion `left == right` failed left: 6 right: 5",
     "line 14: assert_eq!(add(2, 3), 5);"),
])
def test_assertion_failure_newer_rustc(stdout: str, reason: str, line: str) -> None:
    run = StepResult("test", exit_code=101, stdout=stdout)
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, run))
    assert verdict.status is Status.FAILED
    assert verdict.reason == reason
    assert verdict.failed_test == f"tests::test_add: {line}"


def test_other_panic_is_an_error() -> None:
    stdout = ("---- tests::test_add stdout ----\nthread 'tests::test_add' panicked at "
              "'index out of bounds: the len is 0 but the index is 3', main.rs:3:5\n")
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, StepResult(
        "test", exit_code=101, stdout=stdout)))
    assert verdict.status is Status.ERROR
    assert verdict.reason == "panicked: index out of bounds: the len is 0 but the index is 3"
    assert verdict.failed_test == "tests::test_add: line 3: fn add(x:i32, y:i32) -> i32{"


def test_panic_in_a_plain_program_main() -> None:
    problem = Problem(id="p", language="rust", prompt="", solution="fn f() -> i64 { 2 }",
                      tests=CodeTests(code="fn main() {\n    assert_eq!(f(), 1);\n}\n"))
    stderr = ("thread 'main' panicked at 'assertion failed: `(left == right)`\n  left: `2`,\n"
              " right: `1`', main.rs:4:5\nnote: run with `RUST_BACKTRACE=1`\n")
    verdict = RS.judge(problem, result(COMPILED, StepResult("test", exit_code=101,
                                                            stderr=stderr)))
    assert verdict.status is Status.FAILED
    assert verdict.failed_test == "line 4: assert_eq!(f(), 1);"


def test_crash_without_a_panic_is_an_error() -> None:
    stderr = "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n"
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, StepResult(
        "test", signal=6, stderr=stderr)))
    assert verdict.status is Status.ERROR
    assert "stack overflow" in verdict.reason


def test_rust_allocation_failure_is_memory_limit() -> None:
    stderr = "memory allocation of 4294967296 bytes failed\n"
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, StepResult(
        "test", signal=6, stderr=stderr)))
    assert verdict.status is Status.MEMORY_LIMIT


def test_compile_error_names_the_first_error() -> None:
    stderr = ("error[E0425]: cannot find value `z` in this scope\n --> main.rs:3:5\n  |\n"
              "3 |     z\n  |     ^ not found in this scope\n\n"
              "error: aborting due to previous error\n")
    compiled = StepResult(COMPILE_STEP, exit_code=1, stderr=stderr)
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(compiled))
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason == "error[E0425]: cannot find value `z` in this scope at main.rs:3:5"


def test_compile_error_about_a_crate_names_the_crate_versions() -> None:
    stderr = ("error[E0061]: this function takes 2 arguments but 1 argument was supplied\n"
              "  --> main.rs:9:23\n   |\n9  |     let x = rng.gen_range(0..2);\n")
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(StepResult(COMPILE_STEP, exit_code=1,
                                                           stderr=stderr)))
    assert verdict.status is Status.COMPILE_ERROR
    assert "rand 0.4.6" in verdict.reason and "regex 1.7.1" in verdict.reason


def test_failure_of_a_program_using_rand_names_the_crate_versions() -> None:
    problem = Problem(id="p", language="rust", prompt="", solution="fn main(){}\n",
                      tests=CodeTests(code="#[test]\nfn t() { let x: u32 = rand::random(); "
                                           "assert!(x > 5); }\n"))
    stdout = "thread 't' panicked at 'assertion failed: x > 5', main.rs:4:46\n"
    verdict = RS.judge(problem, result(COMPILED, StepResult("test", exit_code=101,
                                                            stdout=stdout)))
    assert verdict.status is Status.FAILED
    assert verdict.reason.startswith("assertion failed: x > 5 (the sandbox links rand 0.4.6")
    # HumanEval-X's `use rand::Rng;` lines alone do not add the note.
    stdout = "thread 'tests::test_add' panicked at 'assertion failed: x', main.rs:13:9\n"
    verdict = RS.judge(HUMANEVAL_X_LIKE, result(COMPILED, StepResult(
        "test", exit_code=101, stdout=stdout)))
    assert verdict.reason == "assertion failed: x"


def test_calls_verdicts_come_from_the_reports() -> None:
    problem = calls_problem()
    ok = "\n@@codeaug-case@@ 0 ok 3\n\n@@codeaug-case@@ 1 ok 0\n\n@@codeaug-done@@\n"
    assert RS.judge(problem, result(COMPILED, StepResult("calls", exit_code=0, stdout=ok))
                    ).status is Status.PASSED
    wrong = ok.replace(" 1 ok 0", " 1 ok 1")
    verdict = RS.judge(problem, result(COMPILED, StepResult("calls", exit_code=0,
                                                            stdout=wrong)))
    assert verdict.status is Status.FAILED
    assert verdict.failed_test == "case 1: add(-4, 4)"
    raised = ok.replace(" 1 ok 0", ' 1 raised "attempt to add with overflow"')
    verdict = RS.judge(problem, result(COMPILED, StepResult("calls", exit_code=0,
                                                            stdout=raised)))
    assert verdict.status is Status.ERROR and "overflow" in verdict.reason


# ------------------------------------------------- the harness, with a host rustc


def test_harness_prints_what_the_host_reads_back(tmp_path: Path) -> None:
    """Compiles the calls harness with the host's rustc when there is one (the
    integration tests run it in the sandbox's rustc 1.63 in any case)."""
    rustc = shutil.which("rustc")
    if rustc is None:
        pytest.skip("no rustc on this machine")
    t = "tuple[list[float],dict[str,optional[int]],set[str],str,bool]"
    values = [
        [[0.1, -0.0, 1e308, 5e-324, -2.5, 123456789.125], {"a\"\n": None, "é": -7},
         ["x", "日本"], "q\"\\\n\t\x01😀\u2028", True],
        [[], {}, [], "", False],
    ]
    problem = Problem(
        id="echo", language="rust", prompt="", entry_point="echo",
        signature=Signature(params=[Param("v", t)], returns=t),
        solution=f"use std::collections::{{HashMap, HashSet}};\nfn main() {{}}\n"
                 f"fn echo(v: {rt(t)}) -> {rt(t)} {{\n"
                 "    if v.4 { v } else { panic!(\"no \\\"way\\\"\") }\n}\n",
        tests=CallsTests(cases=[CallCase(args=[v], expected=v) for v in values]))
    source = tmp_path / "main.rs"
    source.write_text(RS.calls_program(problem))
    build = subprocess.run([rustc, "--edition", "2021", "-A", "warnings", str(source), "-o",
                            str(tmp_path / "main")], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(tmp_path / "main")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # the panic is reported, not printed by the default hook
    reports, done = parse_reports(run.stdout)
    assert done
    assert reports[0].kind == "ok"
    floats, mapping, strings, text, flag = reports[0].value
    assert floats == values[0][0] and json.dumps(floats[1]) == "-0.0"
    assert mapping == values[0][1] and sorted(strings) == sorted(values[0][2])
    assert [text, flag] == values[0][3:]
    assert re.search(r"@@codeaug-case@@ 0 ok \[\[0\.1, -0\.0, 1e308, 5e-324, ", run.stdout)
    assert reports[1].kind == "raised" and reports[1].value == 'no "way"'
