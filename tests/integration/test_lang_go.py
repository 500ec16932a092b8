"""Go in the real sandbox (image ``go``): rendering round trips, hand-written problems of
every test kind and verdict, and HumanEval-X's 164 Go tasks."""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import docker
import pytest
from codeaug_plugins.go_language import Go
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codeaug.compare import values_equal
from codeaug.executor.pool import Executor, SandboxFailure
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef
from codeaug.plugins import get_plugins
from codeaug.record import (
    CodeTests,
    Problem,
)
from codeaug.testing import (
    calls_problem,
    code_problem,
    io_problem,
    judge_in_pool,
    neutral_types,
    values_of,
)
from codeaug.typesys import TypeExpr
from codeaug.verdict import Status
from codeaug.verify import Verifier, VerifyOptions, VerifySummary

GO = Go()
LANGUAGE = GO  # for the lang_image and lang_executor fixtures (conftest)
LIMITS = Limits(wall_seconds=5, cpu_seconds=5, address_space=1 << 30)


run_all = functools.partial(judge_in_pool, GO, limits=LIMITS)
calls = functools.partial(calls_problem, "go")
io = functools.partial(io_problem, "go")
code = functools.partial(code_problem, "go")


# ------------------------------------------------------------------ 1. round trips

GO_TYPES = neutral_types(max_depth=3)


@st.composite
def batches(draw: st.DrawFn) -> tuple[TypeExpr, list[object], object]:
    """Several types at once as one tuple type, a few values of it, and another value
    that differs from the first."""
    types = draw(st.lists(GO_TYPES, min_size=1, max_size=5))
    t = TypeExpr("tuple", tuple(types))
    values = draw(st.lists(values_of(t), min_size=1, max_size=4))
    other = draw(values_of(t))
    assume(not values_equal(other, values[0], t))
    return t, values, other


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=batches())
def test_values_round_trip_through_the_harness(
    lang_executor: Executor, lang_image: ImageRef, batch: tuple[TypeExpr, list[object], object]
) -> None:
    t, values, other = batch
    rendered = GO.render_type(t)
    identity = calls("rt/Ident", f"func Ident(x {rendered}) {rendered} {{ return x }}\n",
                     [("x", str(t))], str(t), [([v], v) for v in values])
    # Returns a different value: the harness must report what was returned.
    constant = calls("rt/Ident", f"func Ident(x {rendered}) {rendered} {{\n"
                                 f"\treturn {GO.render_value(other, t)}\n}}\n",
                     [("x", str(t))], str(t), [([values[0]], values[0])])
    same, different = run_all(lang_executor, lang_image, [identity, constant])
    assert same.status is Status.PASSED, (same.reason, same.stderr[-2000:])
    assert different.status is Status.FAILED, (different.reason, different.stderr[-2000:])
    assert different.failed_test and different.failed_test.startswith("case 0: Ident(")


def test_awkward_values_round_trip(lang_executor: Executor, lang_image: ImageRef) -> None:
    t = TypeExpr("tuple", (TypeExpr("list", (TypeExpr("float"),)), TypeExpr("str"),
                           TypeExpr("set", (TypeExpr("int"),)),
                           TypeExpr("dict", (TypeExpr("int"), TypeExpr("optional", (
                               TypeExpr("str"),)))), TypeExpr("int")))
    value = [[-0.0, 1e308, -1e308, 5e-324, 0.1, 2.0, 123456789.125],
             "q\"b\\s\n\t\x00\x7f\u2028\ufeffé日本😀", [3, -1, 2],
             {"-5": None, "7": "x"}, -(2**63)]
    rendered = GO.render_type(t)
    problem = calls("rt/Ident", f"func Ident(x {rendered}) {rendered} {{ return x }}\n",
                    [("x", str(t))], str(t), [([value], value)])
    job = GO.build_job(problem, LIMITS, "awkward")
    lang_executor.submit("awkward", lang_image.tag, job)
    outcome = lang_executor.next_outcome(timeout=120)
    assert not isinstance(outcome.result, SandboxFailure)
    verdict = GO.judge(problem, outcome.result)
    assert verdict.status is Status.PASSED, (verdict.reason, verdict.stderr)
    report = outcome.result.steps[-1].stdout
    assert "[-0.0,1e+308,-1e+308,5e-324,0.1,2.0,123456789.125]" in report  # signs, exponents


# ---------------------------------------------------------- 2. hand-written problems

TWO_SUM = """func TwoSum(nums []int, target int) []int {
	seen := map[int]int{}
	for i, n := range nums {
		if j, ok := seen[target-n]; ok {
			return []int{j, i}
		}
		seen[n] = i
	}
	return nil
}
"""
WORD_COUNT = """package main

import "strings"

func WordCount(text string) map[string]int {
	counts := map[string]int{}
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	return counts
}

func main() { panic("the harness provides main") }
"""
SAFE_DIV = """package main

func SafeDiv(a, b float64) struct{ F0 *float64; F1 bool } {
	if a < 0 {
		panic("negative dividend")
	}
	if b == 0 {
		return struct{ F0 *float64; F1 bool }{nil, false}
	}
	q := a / b
	return struct{ F0 *float64; F1 bool }{&q, true}
}
"""
UNIQUE = """func Unique(xs []string) map[string]struct{} {
	out := map[string]struct{}{}
	for _, x := range xs {
		out[x] = struct{}{}
	}
	return out
}
"""


def test_hand_written_calls_problems_pass(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        calls("hw/TwoSum", TWO_SUM, [("nums", "list[int]"), ("target", "int")], "list[int]",
              [([[2, 7, 11, 15], 9], [0, 1]), ([[3, 2, 4], 6], [1, 2]), ([[1], 5], [])]),
        calls("hw/WordCount", WORD_COUNT, [("text", "str")], "dict[str,int]",
              [(["a b a"], {"a": 2, "b": 1}), ([""], {}), (["é é\tü"], {"é": 2, "ü": 1})]),
        calls("hw/SafeDiv", SAFE_DIV, [("a", "float"), ("b", "float")],
              "tuple[optional[float],bool]",
              [([1, 4], [0.25, True]), ([1, 0], [None, False]), ([3, 1.5], [2.0, True])]),
        calls("hw/Unique", UNIQUE, [("xs", "list[str]")], "set[str]",
              [([["b", "a", "b"]], ["a", "b"]), ([[]], [])]),
    ]
    verdicts = run_all(lang_executor, lang_image, problems)
    assert [v.status for v in verdicts] == [Status.PASSED] * 4, [v.reason for v in verdicts]


def test_wrong_calls_solutions_fail_naming_the_case(
    lang_executor: Executor, lang_image: ImageRef
) -> None:
    wrong = calls("hw/TwoSum", TWO_SUM.replace("[]int{j, i}", "[]int{i, j}"),
                  [("nums", "list[int]"), ("target", "int")], "list[int]",
                  [([[1], 5], []), ([[2, 7, 11, 15], 9], [0, 1])])
    raising = calls("hw/SafeDiv", SAFE_DIV, [("a", "float"), ("b", "float")],
                    "tuple[optional[float],bool]",
                    [([1, 4], [0.25, True]), ([-1, 4], [None, True]), ([1, 0], [None, False])])
    index = calls("hw/At", "func At(xs []int, i int) int { return xs[i] }", [
        ("xs", "list[int]"), ("i", "int")], "int", [([[1, 2], 1], 2), ([[1, 2], 5], 0)])
    failed, error, crash = run_all(lang_executor, lang_image, [wrong, raising, index])
    assert failed.status is Status.FAILED
    assert failed.failed_test == "case 1: TwoSum([2, 7, 11, 15], 9)"
    assert failed.reason == "expected [0, 1], got [1, 0]"
    assert error.status is Status.ERROR and error.failed_test == "case 1: SafeDiv(-1, 4)"
    assert "negative dividend" in error.reason
    assert crash.status is Status.ERROR and crash.failed_test == "case 1: At([1, 2], 5)"
    assert "index out of range" in crash.reason


SUM_IO = """package main

import "fmt"

func main() {
	var n, s, x int
	fmt.Scan(&n)
	for ; n > 0; n-- {
		fmt.Scan(&x)
		s += x
	}
	fmt.Println(s)
}
"""
REVERSE_IO = """import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		r := []rune(in.Text())
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		fmt.Println(string(r))
	}
}
"""
UPPER_IO = """package main

import (
	"io"
	"os"
	"strings"
)

func main() {
	b, _ := io.ReadAll(os.Stdin)
	os.Stdout.WriteString(strings.ToUpper(string(b)))
}
"""


def test_io_problems(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        io("hw/sum", SUM_IO, [("3\n1 2 3\n", "6\n"), ("0\n", "0\n")]),
        io("hw/reverse", REVERSE_IO, [("abc\nxyé\n", "cba\néyx\n"), ("", "")]),
        io("hw/upper", UPPER_IO, [("hello world\n", "HELLO WORLD\n")]),
        io("hw/sum_wrong", SUM_IO.replace("s += x", "s += x + 1"),
           [("0\n", "0\n"), ("1\n5\n", "5\n")]),
    ]
    *passing, wrong = run_all(lang_executor, lang_image, problems)
    assert [v.status for v in passing] == [Status.PASSED] * 3, [v.reason for v in passing]
    assert wrong.status is Status.FAILED and wrong.failed_test == "case 1"


TESTIFY = 'import (\n    "testing"\n    "github.com/stretchr/testify/assert"\n)\n'
GCD = "package main\n\nfunc Gcd(a, b int) int {\n\tif b == 0 {\n\t\treturn a\n\t}\n" \
      "\treturn Gcd(b, a%b)\n}\n"
GCD_TEST = TESTIFY + """func TestGcd(t *testing.T) {
    assert := assert.New(t)
    assert.Equal(6, Gcd(12, 18))
    assert.Equal(1, Gcd(7, 5))
}
"""


def test_code_problems_and_every_failure_verdict(
    lang_executor: Executor, lang_image: ImageRef
) -> None:
    problems = [
        code("hw/gcd", GCD, GCD_TEST),
        code("hw/evens", 'package main\n\nimport (\n    "sort"\n)\n\n'
                         "func Evens(v []int) []int {\n\tr := []int{}\n\tfor _, x := range v {\n"
                         "\t\tif x%2 == 0 {\n\t\t\tr = append(r, x)\n\t\t}\n\t}\n"
                         "\tsort.Ints(r)\n\treturn r\n}\n",
             TESTIFY + "func TestEvens(t *testing.T) {\n"
                       "    assert.Equal(t, []int{2, 4}, Evens([]int{4, 1, 2, 3}))\n}\n"),
        code("hw/shout", 'package main\n\nimport (\n    "strings"\n)\n\n'
                         'func Shout(s string) string { return strings.ToUpper(s) + "!" }\n',
             'import (\n    "testing"\n    "strings"\n)\n'
             "func TestShout(t *testing.T) {\n"
             '    if Shout("hi") != strings.Repeat("HI", 1)+"!" {\n'
             '        t.Fatal("wrong")\n    }\n}\n'),
        code("hw/gcd_wrong", GCD.replace("return a\n", "return a + 1\n"), GCD_TEST),
        code("hw/syntax", "package main\n\nfunc Gcd(a, b int) int { return a + }\n",
             GCD_TEST),
        code("hw/loop", "package main\n\nfunc Gcd(a, b int) int {\n\tfor {\n\t\ta++\n\t}\n}\n",
             GCD_TEST),
        code("hw/alloc", "package main\n\nvar keep [][]byte\n\nfunc Gcd(a, b int) int {\n"
                         "\tfor {\n\t\tc := make([]byte, 256<<20)\n\t\tc[a] = 1\n"
                         "\t\tkeep = append(keep, c)\n\t}\n}\n",
             GCD_TEST),
        code("hw/panic", "package main\n\nfunc Gcd(a, b int) int {\n\tvar m map[int]int\n"
                         "\tm[a] = b\n\treturn 0\n}\n", GCD_TEST),
        code("hw/exit0", 'package main\n\nimport "os"\n\nfunc Gcd(a, b int) int {\n'
                         "\tos.Exit(0)\n\treturn 0\n}\n", GCD_TEST),
    ]
    limits = Limits(wall_seconds=3, cpu_seconds=3, address_space=1 << 30)
    verdicts = run_all(lang_executor, lang_image, problems, limits=limits)
    statuses = [v.status for v in verdicts]
    assert statuses == [Status.PASSED] * 3 + [
        Status.FAILED, Status.COMPILE_ERROR, Status.TIMEOUT, Status.MEMORY_LIMIT,
        Status.ERROR, Status.ERROR], [(v.status, v.reason) for v in verdicts]
    wrong, syntax, panic, exit0 = verdicts[3], verdicts[4], verdicts[7], verdicts[8]
    assert wrong.failed_test is not None
    assert re.fullmatch(r"TestGcd at main_test\.go:\d+: assert\.Equal\(6, Gcd\(12, 18\)\)",
                        wrong.failed_test), wrong.failed_test
    assert wrong.reason == "Not equal: expected: 6 actual : 7"
    assert re.match(r"main_test\.go:\d+:\d+: syntax error", syntax.reason), syntax.reason
    assert panic.failed_test == "TestGcd" and "assignment to entry in nil map" in panic.reason
    assert "os.Exit(0)" in exit0.reason


def test_calls_allocation_failure_is_memory_limit(
    lang_executor: Executor, lang_image: ImageRef
) -> None:
    hog = calls("hw/Hog", "func Hog(n int) int {\n\tv := make([]int, n)\n\tfor i := range v {\n"
                          "\t\tv[i] = i\n\t}\n\treturn len(v)\n}\n",
                [("n", "int")], "int", [([10], 10), ([1 << 32], 0)])
    [verdict] = run_all(lang_executor, lang_image, [hog])
    assert verdict.status is Status.MEMORY_LIMIT, (verdict.reason, verdict.stderr)


# ---------------------------------------------------------------------- 3. HumanEval-X


def humaneval_x_go(datasets: Path) -> list[dict[str, str]]:
    path = datasets / "humaneval-x" / "humaneval_go.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def go_solution(task: dict[str, str]) -> str:
    """The record's solution as docs/dev/language-plugin-brief.md defines it."""
    imports = task["import"]
    body = task["prompt"].replace(imports, "", 1) if imports else task["prompt"]
    if imports and not imports.endswith("\n") and not body.startswith("\n"):
        imports += "\n"
    return "package main\n\n" + imports + body + task["canonical_solution"]


def go_code(task: dict[str, str]) -> str:
    setup = re.sub(r"^\s*package\s+\w+[ \t]*\n", "", task["test_setup"], count=1)
    return setup.lstrip("\n") + task["test"]


_FUNC = re.compile(r"^func\s+(\w+)\s*\(([^)]*)\)\s*([^{]*)\{", re.MULTILINE)


def record(task: dict[str, str], solution: str) -> Problem:
    return Problem(id=task["task_id"], language="go", prompt=task["prompt"],
                   solution=solution, tests=CodeTests(code=go_code(task)))


def renamed_twins(tasks: list[dict[str, str]]) -> list[Problem]:
    """Each task with another task's solution of the SAME Go signature, renamed to this
    task's function: it compiles, so the tests themselves must reject it."""
    by_signature: dict[tuple[str, str], list[dict[str, str]]] = {}
    names = {}
    for task in tasks:
        m = _FUNC.search(task["declaration"])
        assert m is not None, task["task_id"]
        params = re.sub(r"\w+\s+(?=[\w\[\]*]+\s*(,|$))", "", m.group(2))  # types only
        key = (" ".join(params.split()), " ".join(m.group(3).split()))
        names[task["task_id"]] = m.group(1)
        by_signature.setdefault(key, []).append(task)
    problems = []
    for group in by_signature.values():
        for i, task in enumerate(group):
            if len(group) < 2:
                continue
            other = group[(i + 1) % len(group)]
            source = re.sub(rf"\b{names[other['task_id']]}\b", names[task["task_id"]],
                            go_solution(other))
            problems.append(record(task, source))
    return problems


@pytest.mark.datasets
def test_humaneval_x_canonical_solutions_pass_and_swapped_ones_fail(
    datasets: Path, lang_image: ImageRef
) -> None:
    tasks = humaneval_x_go(datasets)
    assert len(tasks) == 164
    problems = [record(t, go_solution(t)) for t in tasks]
    # Each task with the next task's solution (another function): never a pass; and with
    # a solution of the same signature renamed to its function (the tests must catch it).
    swapped = [record(t, go_solution(tasks[(i + 1) % len(tasks)])) for i, t in enumerate(tasks)]
    twins = renamed_twins(tasks)
    assert len(twins) > 50
    problems += swapped + twins
    options = VerifyOptions(jobs=2, cache=False)
    verifier = Verifier(get_plugins(), docker.from_env(timeout=300), options)
    verdicts = [v for _, v in verifier.verify_stream(problems, VerifySummary())]
    canonical, rejected = verdicts[:164], verdicts[164:]
    failures = {p.id: (v.status, v.reason)
                for p, v in zip(problems[:164], canonical, strict=True) if not v.passed}
    # Upstream defect: Go/95's canonical solution decides after the first two keys of a
    # map, in Go's randomised iteration order, so it fails its own tests in about one
    # run of four (any Go harness; `go test -count=20` shows it).
    flaky = failures.pop("Go/95", None)
    assert flaky is None or flaky[0] is Status.FAILED, flaky
    assert failures == {}
    false_passes = [p.id for p, v in zip(problems[164:], rejected, strict=True) if v.passed]
    assert false_passes == []
    print("canonical:", Counter(v.status.value for v in canonical))
    print("swapped verdicts:", Counter(v.status.value for v in verdicts[164:328]))
    print("renamed twins:", Counter(v.status.value for v in verdicts[328:]))
