"""The Java plugin without Docker: type and value rendering, job shapes, judging."""

from __future__ import annotations

import pytest
from codeaug_plugins.java_language import (
    JAVA_OPTIONS,
    Java,
    harness_source,
    main_class,
    solution_source,
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

J = Java()


def rt(text: str) -> str:
    return J.render_type(parse_type(text))


def rv(value: object, text: str) -> str:
    return J.render_value(value, parse_type(text))


@pytest.mark.parametrize(("neutral", "java"), [
    ("int", "long"), ("float", "double"), ("str", "String"), ("bool", "boolean"),
    ("none", "void"), ("any", "Object"),
    ("list[int]", "List<Long>"), ("set[str]", "Set<String>"),
    ("dict[str,list[float]]", "Map<String, List<Double>>"),
    ("dict[int,bool]", "Map<Long, Boolean>"),
    ("optional[int]", "Optional<Long>"),
    ("list[optional[str]]", "List<Optional<String>>"),
    ("tuple[int,str]", "Tuple2<Long, String>"),
    ("list[tuple[int,tuple[bool,float,str]]]",
     "List<Tuple2<Long, Tuple3<Boolean, Double, String>>>"),
])
def test_render_type(neutral: str, java: str) -> None:
    assert rt(neutral) == java


def test_none_is_only_a_return_type() -> None:
    with pytest.raises(UnsupportedTypeError):
        rt("list[none]")


@pytest.mark.parametrize(("value", "neutral", "java"), [
    (0, "int", "0L"), (-5, "int", "-5L"),
    (2 ** 63 - 1, "int", "9223372036854775807L"),
    (-(2 ** 63), "int", "-9223372036854775808L"),
    (True, "bool", "true"), (False, "bool", "false"),
    (0.1, "float", "0.1"), (-0.0, "float", "-0.0"), (1e308, "float", "1e+308"),
    (5e-324, "float", "5e-324"), (2, "float", "2.0"), (1e16, "float", "1e+16"),
    (float("nan"), "float", "Double.NaN"), (float("inf"), "float", "Double.POSITIVE_INFINITY"),
    (float("-inf"), "float", "Double.NEGATIVE_INFINITY"),
    ("", "str", '""'),
    ('a"b\\c\nd\te\r', "str", '"a\\"b\\\\c\\nd\\te\\r"'),
    ("\x00\x01\x7f", "str", '"\\000\\001\\177"'),
    ("\x001", "str", '"\\0001"'),  # 3-digit octal: the 1 stays a character
    ("\\u000a", "str", '"\\\\u000a"'),  # no unicode escape survives into the source
    ("é日本😀\u2028", "str", '"é日本😀\u2028"'),
    (None, "optional[int]", "Optional.<Long>empty()"),
    (3, "optional[int]", "Optional.<Long>of(3L)"),
    ([], "list[int]", "new ArrayList<Long>()"),
    ([1, 2], "list[int]", "new ArrayList<Long>(Arrays.<Long>asList(1L, 2L))"),
    ([[]], "list[list[str]]",
     "new ArrayList<List<String>>(Arrays.<List<String>>asList(new ArrayList<String>()))"),
    ([], "set[int]", "new LinkedHashSet<Long>()"),
    (["a"], "set[str]", 'new LinkedHashSet<String>(Arrays.<String>asList("a"))'),
    ({}, "dict[str,int]", "new LinkedHashMap<String, Long>()"),
    ({"7": [1.5]}, "dict[int,list[float]]",
     "new LinkedHashMap<Long, List<Double>>(Map.<Long, List<Double>>ofEntries("
     "Map.<Long, List<Double>>entry(7L, new ArrayList<Double>(Arrays.<Double>asList(1.5)))))"),
    ([1, "x"], "tuple[int,str]", 'new Tuple2<Long, String>(1L, "x")'),
    ([None, [True]], "tuple[optional[int],list[bool]]",
     "new Tuple2<Optional<Long>, List<Boolean>>(Optional.<Long>empty(), "
     "new ArrayList<Boolean>(Arrays.<Boolean>asList(true)))"),
    (None, "any", "null"),
    ([1, "a"], "any",
     '(Object) new ArrayList<Object>(Arrays.<Object>asList((Object) Long.valueOf(1L), '
     '(Object) "a"))'),
])
def test_render_value(value: object, neutral: str, java: str) -> None:
    assert rv(value, neutral) == java


def test_dict_keys_that_are_the_same_int_become_one_entry() -> None:
    assert rv({"1": 1, "01": 2}, "dict[int,int]").count("entry(") == 1


@pytest.mark.parametrize(("value", "neutral"), [
    (2 ** 63, "int"), (-(2 ** 63) - 1, "int"), ("1", "int"), (True, "int"),
    (None, "int"), (1, "str"), ([1], "tuple[int,int]"), ("\ud800", "str"),
    ({"x": 1}, "dict[int,int]"), (1, "bool"),
])
def test_values_java_cannot_express(value: object, neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rv(value, neutral)


# --------------------------------------------------------------------------- jobs

def calls_problem(solution: str = "class Solution { public long add(long a, long b) "
                  "{ return a + b; } }") -> Problem:
    return Problem(id="t/add", language="java", prompt="", entry_point="add",
                   signature=Signature(params=[Param("a", "int"), Param("b", "int")],
                                       returns="int"),
                   solution=solution,
                   tests=CallsTests(cases=[CallCase(args=[1, 2], expected=3),
                                           CallCase(args=[2 ** 63, 0], expected=0)]))


def test_calls_job_compiles_once_and_runs_once() -> None:
    job = J.build_job(calls_problem(), Limits(), "j1")
    assert set(job.files) == {"Solution.java", "CodeaugHarness.java"}
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and compile_.stop_job_on_failure
    assert compile_.argv[0] == "javac" and compile_.argv[-2:] == ["Solution.java",
                                                                  "CodeaugHarness.java"]
    assert run.argv == ["java", *JAVA_OPTIONS, "-cp", ".", "CodeaugHarness"]
    assert run.limits.address_space == 0 and compile_.limits.address_space == 0
    assert compile_.limits.wall_seconds >= 60
    harness = job.files["CodeaugHarness.java"]
    assert "return new Solution().add(1L, 2L);" in harness
    # 2**63 does not fit: that case raises in the sandbox instead of rendering wrongly
    assert "throw new IllegalArgumentException(\"codeaug: java cannot express int" in harness
    # the expected values never enter the job
    assert "3L" not in harness.split("static Object case0")[1].split("case1")[0]


def test_harness_declares_the_tuple_records_it_needs() -> None:
    problem = Problem(id="t", language="java", prompt="", entry_point="f",
                      signature=Signature(params=[Param("x", "list[tuple[int,str]]")],
                                          returns="tuple[bool,int,int]"),
                      tests=CallsTests(cases=[CallCase(args=[[]], expected=[True, 1, 2])]))
    source = harness_source(problem)
    assert "record Tuple2<T0, T1>(T0 v0, T1 v1) {}" in source
    assert "record Tuple3<T0, T1, T2>(T0 v0, T1 v1, T2 v2) {}" in source
    assert "record Tuple1" not in source


def test_void_entry_point_returns_null() -> None:
    problem = Problem(id="t", language="java", prompt="", entry_point="f",
                      signature=Signature(params=[], returns="none"),
                      tests=CallsTests(cases=[CallCase(args=[], expected=None)]))
    assert "new Solution().f();\n        return null;" in harness_source(problem)


def test_bare_methods_are_wrapped_in_class_solution() -> None:
    source = solution_source("import java.util.stream.*;\npublic long f() { return 1; }")
    assert source.startswith("import java.util.stream.*;\nimport java.util.*;\n")
    assert "class Solution {\npublic long f() { return 1; }\n}" in source
    kept = "import java.util.*;\nclass Solution { }"
    assert solution_source(kept) == kept


def test_code_job_is_main_java_as_humaneval_x_builds_it() -> None:
    problem = Problem(id="t", language="java", prompt="", solution="class Solution {}\n\n\n",
                      tests=CodeTests(code="public class Main { }"))
    job = J.build_job(problem, Limits(), "j")
    assert job.files == {"Main.java": "class Solution {}\n\npublic class Main { }"}
    assert [s.name for s in job.steps] == [COMPILE_STEP, "test"]
    assert job.steps[1].argv[-1] == "Main"


def test_io_job_runs_once_per_case_named_after_the_public_class() -> None:
    problem = Problem(id="t", language="java", prompt="",
                      solution="import java.util.*;\npublic final class Echo { }",
                      tests=IoTests(cases=[IoCase(stdin="a", stdout="a"),
                                           IoCase(stdin="b", stdout="b")]))
    job = J.build_job(problem, Limits(), "j")
    assert set(job.files) == {"Echo.java"}
    assert [s.name for s in job.steps] == [COMPILE_STEP, "case 0", "case 1"]
    assert [s.stdin for s in job.steps[1:]] == ["a", "b"]
    assert all(s.stop_job_on_failure for s in job.steps)
    assert job.steps[1].argv[-1] == "Echo"


@pytest.mark.parametrize(("source", "name"), [
    ("class Main { }", "Main"), ("class A {}\nclass Main {}", "Main"), ("class Foo {}", "Foo"),
    ("public class Prog { }", "Prog"), ("", "Main"),
])
def test_main_class(source: str, name: str) -> None:
    assert main_class(source) == name


# ------------------------------------------------------------------------ judging

CODE = Problem(id="t", language="java", prompt="", solution="class Solution {\n}",
               tests=CodeTests(code="public class Main {\n  public static void main(String[] a) {\n"
                               "    throw new AssertionError();\n  }\n}"))


def judge_run(stderr: str, exit_code: int = 1, **kw: object) -> object:
    steps = [StepResult(name=COMPILE_STEP, exit_code=0),
             StepResult(name="test", exit_code=exit_code, stderr=stderr, **kw)]  # type: ignore[arg-type]
    return J.judge(CODE, JobResult(id="j", steps=steps))


def test_assertion_error_fails_with_the_test_line() -> None:
    verdict = judge_run('Exception in thread "main" java.lang.AssertionError\n'
                        "\tat Main.main(Main.java:6)\n")
    assert verdict.status is Status.FAILED
    assert verdict.failed_test == "Main.java:6: throw new AssertionError();"


def test_other_exception_is_an_error() -> None:
    verdict = judge_run('Exception in thread "main" java.lang.ArithmeticException: / by zero\n'
                        "\tat Solution.f(Main.java:2)\n\tat Main.main(Main.java:5)\n")
    assert verdict.status is Status.ERROR
    assert verdict.reason == "java.lang.ArithmeticException: / by zero"


def test_out_of_memory_is_memory_limit() -> None:
    verdict = judge_run('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n'
                        "\tat Main.main(Main.java:3)\n")
    assert verdict.status is Status.MEMORY_LIMIT


def test_javac_error_is_compile_error() -> None:
    steps = [StepResult(name=COMPILE_STEP, exit_code=1,
                        stderr="Main.java:1: error: ';' expected\nclass X\n1 error\n")]
    verdict = J.judge(CODE, JobResult(id="j", steps=steps))
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason == "Main.java:1: error: ';' expected"


def test_passing_run() -> None:
    assert judge_run("", exit_code=0).status is Status.PASSED


def test_assertion_error_with_a_message() -> None:
    verdict = judge_run('Exception in thread "main" java.lang.AssertionError: x != 2\n'
                        "\tat Main.main(Main.java:6)\n")
    assert verdict.status is Status.FAILED
    assert verdict.reason == "java.lang.AssertionError: x != 2"
