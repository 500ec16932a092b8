"""plugins/go_language.py without Docker: type and value rendering, the assembly of
HumanEval-X test files, the jobs it builds, and the verdicts it draws from raw results."""

from __future__ import annotations

import pytest
from codeaug_plugins.go_language import (
    COMPILE_LIMITS,
    GO_RESERVED_ADDRESS_SPACE,
    HARNESS,
    IMPORTCFG,
    Go,
    assemble_test_file,
    calls_solution,
    go_string,
    go_test_main,
    go_test_names,
    split_header,
    with_package,
)

from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.judging import COMPILE_STEP
from codeaug.plugins import Plugins
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
from codeaug.verdict import Status, Verdict

GO = Go()
LIMITS = Limits(wall_seconds=4, cpu_seconds=4, address_space=1 << 30)


def rt(text: str) -> str:
    return GO.render_type(parse_type(text))


def rv(value: object, text: str) -> str:
    return GO.render_value(value, parse_type(text))


# ------------------------------------------------------------------------- types


@pytest.mark.parametrize(("neutral", "go"), [
    ("int", "int"),
    ("float", "float64"),
    ("str", "string"),
    ("bool", "bool"),
    ("list[int]", "[]int"),
    ("list[list[str]]", "[][]string"),
    ("set[int]", "map[int]struct{}"),
    ("set[tuple[int,str]]", "map[struct{ F0 int; F1 string }]struct{}"),
    ("dict[str,float]", "map[string]float64"),
    ("dict[int,list[bool]]", "map[int][]bool"),
    ("tuple[int,str]", "struct{ F0 int; F1 string }"),
    ("tuple[list[int],optional[float]]", "struct{ F0 []int; F1 *float64 }"),
    ("optional[int]", "*int"),
    ("optional[list[str]]", "*[]string"),
    ("list[optional[str]]", "[]*string"),
])
def test_render_type(neutral: str, go: str) -> None:
    assert rt(neutral) == go


@pytest.mark.parametrize("neutral", [
    "any", "none", "list[any]", "list[none]", "dict[float,int]", "dict[bool,int]",
    "dict[list[int],int]", "set[list[int]]", "set[optional[int]]", "set[dict[str,int]]",
])
def test_inexpressible_types_raise(neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rt(neutral)


# ------------------------------------------------------------------------ values


@pytest.mark.parametrize(("value", "neutral", "go"), [
    (0, "int", "0"),
    (-42, "int", "-42"),
    (2**63 - 1, "int", "9223372036854775807"),
    (-(2**63), "int", "-9223372036854775808"),
    (True, "bool", "true"),
    (False, "bool", "false"),
    (0.1, "float", "0.1"),
    (2.0, "float", "2.0"),
    (3, "float", "3.0"),
    (1e308, "float", "1e+308"),
    (-1e308, "float", "-1e+308"),
    (5e-324, "float", "5e-324"),
    (123456789.125, "float", "123456789.125"),
    (-0.0, "float", "func() float64 { var z float64; return -z }()"),
    (float("nan"), "float", "func() float64 { var z float64; return z / z }()"),
    (float("inf"), "float", "func() float64 { var z float64; return 1 / z }()"),
    (float("-inf"), "float", "func() float64 { var z float64; return -1 / z }()"),
    ("", "str", '""'),
    ("plain", "str", '"plain"'),
    ('q"b\\s', "str", '"q\\"b\\\\s"'),
    ("a\nb\tc\r\x00\x07\x1b\x7f", "str", '"a\\nb\\tc\\r\\x00\\a\\x1b\\x7f"'),
    ("é日本😀", "str", '"é日本😀"'),
    ("\ufeff\u2028\U000e0001", "str", '"\\ufeff\\u2028\\U000e0001"'),
    ("${x}%d`", "str", '"${x}%d`"'),
])
def test_render_scalars(value: object, neutral: str, go: str) -> None:
    assert rv(value, neutral) == go


def test_render_containers() -> None:
    assert rv([], "list[int]") == "[]int{}"
    assert rv([[1, 2], []], "list[list[int]]") == "[][]int{[]int{1, 2}, []int{}}"
    assert rv([3, 1, 3], "set[int]") == "map[int]struct{}{3: {}, 1: {}}"
    assert rv([], "set[str]") == "map[string]struct{}{}"
    assert rv({}, "dict[str,int]") == "map[string]int{}"
    assert rv({"a": 1, "b\"": 2}, "dict[str,int]") == 'map[string]int{"a": 1, "b\\"": 2}'
    assert rv({"-5": [True]}, "dict[int,list[bool]]") == "map[int][]bool{-5: []bool{true}}"
    assert rv([1, "x"], "tuple[int,str]") == 'struct{ F0 int; F1 string }{1, "x"}'
    assert rv([[1, "x"], [1, "x"]], "set[tuple[int,str]]") == (
        'map[struct{ F0 int; F1 string }]struct{}{struct{ F0 int; F1 string }{1, "x"}: {}}')


def test_render_optional() -> None:
    assert rv(None, "optional[int]") == "(*int)(nil)"
    assert rv(5, "optional[int]") == "func() *int { var v int = 5; return &v }()"
    assert rv("s", "optional[str]") == 'func() *string { var v string = "s"; return &v }()'
    assert rv([1], "optional[list[int]]") == "&[]int{1}"
    assert rv({"k": 1}, "optional[dict[str,int]]") == '&map[string]int{"k": 1}'
    assert rv([None, 2], "list[optional[int]]") == (
        "[]*int{(*int)(nil), func() *int { var v int = 2; return &v }()}")
    assert rv(None, "optional[optional[int]]") == "(**int)(nil)"


@pytest.mark.parametrize(("value", "neutral"), [
    (None, "int"), (True, "int"), (1.5, "int"), ("1", "int"), (2**63, "int"),
    (-(2**63) - 1, "int"), ("x", "float"), (True, "float"), (10**400, "float"),
    (1, "bool"), (1, "str"), ("\ud800", "str"), ({}, "list[int]"), ([1], "tuple[int,int]"),
    ({"x": 1}, "dict[int,int]"), ({"1": 1, "01": 2}, "dict[int,int]"), (None, "list[int]"),
    (1, "any"),
])
def test_values_that_cannot_be_rendered_raise(value: object, neutral: str) -> None:
    with pytest.raises(UnsupportedTypeError):
        rv(value, neutral)


def test_go_string_keeps_non_ascii_raw() -> None:
    assert go_string("ü\u00a0") == '"ü\\u00a0"'  # a no-break space is not printable


# ---------------------------------------------------------------- source surgery

HE_SOLUTION = """package main

import (
    "math"
    "strings"
)

// Doc comment.
func F(x float64) float64 {
    return math.Abs(x)
}
"""
HE_CODE = """import (
    "testing"
    "math"
    "github.com/stretchr/testify/assert"
)
func TestF(t *testing.T) {
    assert := assert.New(t)
    assert.Equal(1.0, F(-1))
    assert.Equal(math.Pi, F(math.Pi))
}
"""


def test_split_header() -> None:
    header = split_header('// c\npackage main; import "fmt"\nimport (\n m "math" // x\n'
                          '\t_ "embed"\n)\nfunc f() {}\n')
    assert header is not None
    assert header.package == "main"
    assert header.imports == [("", '"fmt"'), ("m", '"math"'), ("_", '"embed"')]
    assert header.body == "\nfunc f() {}\n"
    assert split_header('import ( "fmt" +++ )') is None


def test_assembly_hoists_and_dedupes_imports_and_drops_unused_ones() -> None:
    source = assemble_test_file(HE_SOLUTION, HE_CODE)
    assert source.startswith('package main\n\nimport (\n    "math"\n    "testing"\n'
                             '    "github.com/stretchr/testify/assert"\n)\n')
    assert source.count('"math"') == 1
    assert '"strings"' not in source  # imported by the prompt, used by nothing
    assert "// Doc comment.\nfunc F(" in source
    assert source.rstrip().endswith("assert.Equal(math.Pi, F(math.Pi))\n}")


def test_assembly_adds_used_packages_of_the_humaneval_x_list() -> None:
    solution = "package main\n\nfunc Split(s string) []string {\n" \
               '    return strings.Fields(s) // not "sort.Ints"\n}\n'
    source = assemble_test_file(solution, HE_CODE.replace("math.Pi", "3.0"))
    assert '    "strings"\n' in source
    assert '"sort"' not in source  # mentioned in a comment only


def test_test_main_lists_the_tests() -> None:
    source = assemble_test_file(HE_SOLUTION, HE_CODE + "\n/*\nfunc TestOld(t *testing.T) {}\n*/\n"
                                "func Testlower(t *testing.T) {}\n"
                                "func Test_Two(t *testing.T) {}\n")
    assert go_test_names(source) == ["TestF", "Test_Two"]
    main = go_test_main(source)
    assert '{"TestF", _test.TestF},' in main and '{"Test_Two", _test.Test_Two},' in main
    assert "os.Exit(m.Run())" in main
    with_main = go_test_main(source + "func TestMain(m *testing.M) { m.Run() }\n")
    assert "_test.TestMain(m)" in with_main


def test_calls_solution_gets_a_package_and_loses_its_main() -> None:
    assert with_package("func F() int { return 1 }") == \
        "package main\n\nfunc F() int { return 1 }"
    assert with_package("// x\npackage main\n") == "// x\npackage main\n"
    renamed = calls_solution("func main() {\n}\nfunc mainly() {}\n")
    assert "func codeaugCandidateMain() {" in renamed and "func mainly()" in renamed


# ------------------------------------------------------------------------- jobs


def calls_problem() -> Problem:
    return Problem(
        id="t/Add", language="go", prompt="", entry_point="Add",
        signature=Signature(params=[Param("a", "int"), Param("b", "list[str]")],
                            returns="tuple[int,str]"),
        solution="func Add(a int, b []string) struct{ F0 int; F1 string } { return {} }",
        tests=CallsTests(cases=[CallCase(args=[1, ["x"]], expected=[1, "x"]),
                                CallCase(args=[2, []], expected=[2, ""])]))


def test_calls_job_shape() -> None:
    job = GO.build_job(calls_problem(), LIMITS, "j1")
    assert set(job.files) == {"solution.go", "codeaug_harness.go", "codeaug_main.go"}
    assert job.files["codeaug_harness.go"] == HARNESS
    assert job.files["solution.go"].startswith("package main\n")
    main = job.files["codeaug_main.go"]
    assert 'codeaugRun(0, func() interface{} { return Add(1, []string{"x"}) })' in main
    assert "codeaugRun(1, func() interface{} { return Add(2, []string{}) })" in main
    assert '"x"}) })\n' in main and "expected" not in main and '""' not in main
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and compile_.stop_job_on_failure
    assert compile_.argv[:2] == ["sh", "-c"] and IMPORTCFG in compile_.argv[2]
    assert compile_.limits.wall_seconds == COMPILE_LIMITS.wall_seconds
    assert compile_.limits.address_space == 0
    assert run.name == "calls" and run.argv == ["./main"]
    assert run.env["GOMAXPROCS"] == "2"
    assert run.limits.address_space == LIMITS.address_space + GO_RESERVED_ADDRESS_SPACE
    assert run.limits.wall_seconds == LIMITS.wall_seconds


def test_calls_job_for_a_function_without_results() -> None:
    problem = calls_problem()
    problem.signature.returns = "none"
    main = GO.build_job(problem, LIMITS, "j").files["codeaug_main.go"]
    assert 'codeaugRun(0, func() interface{} { Add(1, []string{"x"}); return nil })' in main


def test_calls_job_with_an_inexpressible_signature_raises() -> None:
    problem = calls_problem()
    problem.signature.params[0].type = "any"
    with pytest.raises(UnsupportedTypeError):
        GO.build_job(problem, LIMITS, "j")


def test_io_job_shape() -> None:
    problem = Problem(id="t/io", language="go", prompt="", solution="func main() {}",
                      tests=IoTests(cases=[IoCase("1\n", "1\n"), IoCase("2\n", "2\n")]))
    job = GO.build_job(problem, Limits(address_space=0), "j2")
    assert job.files == {"main.go": "package main\n\nfunc main() {}"}
    compile_, *runs = job.steps
    assert compile_.name == COMPILE_STEP
    assert [(s.name, s.stdin, s.stop_job_on_failure) for s in runs] == [
        ("case 0", "1\n", True), ("case 1", "2\n", True)]
    assert all(s.limits.address_space == 0 for s in runs)  # 0: the cgroup alone


def test_code_job_shape() -> None:
    problem = Problem(id="t/code", language="go", prompt="", solution=HE_SOLUTION,
                      tests=CodeTests(code=HE_CODE))
    job = GO.build_job(problem, LIMITS, "j3")
    assert set(job.files) == {"main_test.go", "testmain.go"}
    assert job.files["main_test.go"] == assemble_test_file(HE_SOLUTION, HE_CODE)
    assert '{"TestF", _test.TestF},' in job.files["testmain.go"]
    compile_, run = job.steps
    assert compile_.name == COMPILE_STEP and "-p codeaug/job" in compile_.argv[2]
    assert run.name == "test" and run.argv == ["./main.test", "-test.paniconexit0"]


# ---------------------------------------------------------------------- verdicts

FAILED_OUTPUT = """--- FAIL: TestF (0.00s)
    main_test.go:16:\x20
        \tError Trace:\t/work/job/main_test.go:16
        \tError:      \tNot equal:\x20
        \t            \texpected: 1
        \t            \tactual  : 2
        \tTest:       \tTestF
FAIL
"""


def judge_code(step: StepResult) -> Verdict:
    problem = Problem(id="t/code", language="go", prompt="", solution=HE_SOLUTION,
                      tests=CodeTests(code=HE_CODE))
    ok = StepResult(COMPILE_STEP, exit_code=0)
    return GO.judge(problem, JobResult("j", steps=[ok, step]))


def test_code_verdicts() -> None:
    assert judge_code(StepResult("test", exit_code=0, stdout="PASS\n")).status is Status.PASSED
    failed = judge_code(StepResult("test", exit_code=1, stdout=FAILED_OUTPUT))
    assert failed.status is Status.FAILED
    assert failed.reason == "Not equal: expected: 1 actual : 2"
    assert failed.failed_test == "TestF at main_test.go:16: assert.Equal(1.0, F(-1))"
    panic = judge_code(StepResult("test", exit_code=2, stdout="--- FAIL: TestF (0.00s)\n",
                                  stderr="panic: runtime error: index out of range [3] "
                                         "[recovered]\n\tpanic: ...\n"))
    assert panic.status is Status.ERROR and panic.failed_test == "TestF"
    assert panic.reason.startswith("panic: runtime error: index out of range")
    early = judge_code(StepResult("test", exit_code=0, stdout=""))
    assert early.status is Status.ERROR
    none = judge_code(StepResult("test", exit_code=0,
                                 stdout="testing: warning: no tests to run\nPASS\n"))
    assert none.status is Status.ERROR
    oom = judge_code(StepResult("test", exit_code=2, stderr="runtime: out of memory: cannot "
                                "allocate 67108864-byte block\nfatal error: out of memory\n"))
    assert oom.status is Status.MEMORY_LIMIT
    cgroup = judge_code(StepResult("test", signal=9, oom_killed=True))
    assert cgroup.status is Status.MEMORY_LIMIT


def test_compile_error_verdict() -> None:
    problem = calls_problem()
    step = StepResult(COMPILE_STEP, exit_code=1,
                      stdout="solution.go:1:5: undefined: foo\n")
    verdict = GO.judge(problem, JobResult("j", steps=[step]))
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason == "solution.go:1:5: undefined: foo"


def test_registered_with_alias(plugins: Plugins) -> None:
    assert isinstance(plugins.languages.get("golang"), Go)
    assert plugins.languages.get("go") is plugins.languages.get("golang")
