"""The Java plugin in the real sandbox: rendering round trips, each test kind, limits,
and HumanEval-X Java (every canonical solution passes, no other task's solution does)."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

from codeaug_plugins.java_language import Java
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codeaug.compare import values_equal
from codeaug.executor.pool import Executor
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef
from codeaug.record import (
    CodeTests,
    Problem,
)
from codeaug.testing import (
    calls_problem,
    code_problem,
    io_problem,
    judge_in_pool,
    typed_values,
    values_of,
    verify_problems,
)
from codeaug.typesys import TypeExpr
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

J = Java()
LANGUAGE = J  # for the lang_image and lang_executor fixtures (conftest)
FAST = Limits(wall_seconds=5, cpu_seconds=10)


run_all = functools.partial(judge_in_pool, J, limits=FAST, timeout=180)


def calls(ident: str, solution: str, entry: str, params: list[str], returns: str,
          cases: list[tuple[list[Any], Any]], tol: float = 1e-6) -> Problem:
    return calls_problem("java", ident, solution,
                         [(f"p{i}", t) for i, t in enumerate(params)], returns, cases,
                         entry_point=entry, rel_tol=tol, abs_tol=tol)


io = functools.partial(io_problem, "java")
code = functools.partial(code_problem, "java")


# ------------------------------------------------------------- rendering round trip

@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_values_round_trip_through_the_harness(
        data: st.DataObject, lang_executor: Executor, lang_image: ImageRef) -> None:
    # Many typed values batched as ONE tuple argument, several cases per problem.
    pairs = data.draw(st.lists(typed_values(), min_size=1, max_size=6), label="types")
    t = TypeExpr("tuple", tuple(p[0] for p in pairs))
    values = [[p[1] for p in pairs]]
    values += data.draw(st.lists(values_of(t), max_size=3), label="more values")
    other = data.draw(values_of(t), label="other")
    java_t = J.render_type(t)
    identity = (f"import java.util.*;\nclass Solution {{ public {java_t} f({java_t} x) "
                "{ return x; } }")
    constant = (f"import java.util.*;\nclass Solution {{ public {java_t} f({java_t} x) "
                f"{{ return {J.render_value(other, t)}; }} }}")
    cases = [([v], v) for v in values]
    problems = [calls("identity", identity, "f", [str(t)], str(t), cases, tol=0.0)]
    differs = [c for c in cases if not values_equal(other, c[1], t, 0.0, 0.0)]
    if differs:
        problems.append(calls("constant", constant, "f", [str(t)], str(t), differs, tol=0.0))
    verdicts = run_all(lang_executor, lang_image, problems)
    assert verdicts[0].status is Status.PASSED, (str(t), verdicts[0].reason, verdicts[0].stderr)
    if differs:
        assert verdicts[1].status is Status.FAILED, (str(t), verdicts[1].reason)
        assert verdicts[1].failed_test and verdicts[1].failed_test.startswith("case 0: f(")


# --------------------------------------------------------- hand-written problems

ADD = "import java.util.*;\nclass Solution { public long add(long a, long b) { return a + b; } }"
STATS = """import java.util.*;
class Solution {
    public static Map<String, Double> stats(List<Double> xs, Optional<String> label) {
        Map<String, Double> m = new TreeMap<>();
        double sum = 0;
        for (double x : xs) sum += x;
        m.put(label.orElse("mean"), xs.isEmpty() ? 0.0 : sum / xs.size());
        return m;
    }
}"""
PAIRS = """import java.util.*;
class Solution {
    public Tuple2<Long, Set<String>> split(String s) {
        Set<String> words = new HashSet<>(Arrays.asList(s.trim().split("\\\\s+")));
        words.remove("");
        return new Tuple2<>((long) s.length(), words);
    }
}"""
ECHO = """import java.util.*;
public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
    }
}"""
UPPER = """import java.io.*;
class Upper {
    public static void main(String[] args) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        String line;
        while ((line = r.readLine()) != null) System.out.println(line.toUpperCase());
    }
}"""
REVERSE = """public class Rev {
    public static void main(String[] args) throws Exception {
        String s = new String(System.in.readAllBytes(), "UTF-8").trim();
        System.out.print(new StringBuilder(s).reverse());
    }
}"""


MAIN_TEST = """public class Main {
    public static void main(String[] args) {
        Solution s = new Solution();
        if (s.add(1, 2) != 3) throw new AssertionError();
        if (s.add(-5, 5) != 0) throw new AssertionError("add(-5, 5)");
    }
}"""
RECURSE = """class Solution { long depth(long n) { return n == 0 ? 0 : 1 + depth(n - 1); } }"""


def test_hand_written_problems(lang_executor: Executor, lang_image: ImageRef) -> None:
    good = [
        calls("calls/add", ADD, "add", ["int", "int"], "int",
              [([1, 2], 3), ([2 ** 62, 2 ** 62 - 1], 2 ** 63 - 1), ([-7, 0], -7)]),
        calls("calls/stats", STATS, "stats", ["list[float]", "optional[str]"],
              "dict[str,float]", [([[1, 2.5], None], {"mean": 1.75}),
                                  ([[], "avg"], {"avg": 0.0})]),
        calls("calls/split", PAIRS, "split", ["str"], "tuple[int,set[str]]",
              [(["b a b é"], [7, ["a", "b", "é"]]), ([""], [0, []])]),
        io("io/sum", ECHO, [("1 2\n", "3\n"), ("-5 9223372036854775800", "9223372036854775795")]),
        io("io/upper", UPPER, [("abc\nxyz\n", "ABC\nXYZ\n"), ("é\n", "É\n")]),
        io("io/rev", REVERSE, [("abc", "cba"), ("", "")]),
        code("code/add", ADD, MAIN_TEST),
        code("code/recursion", RECURSE, "public class Main { public static void main(String[] a)"
             " { if (new Solution().depth(200000) != 200000) throw new AssertionError(); } }"),
        code("code/collections", "import java.util.*;\nclass Solution { List<Integer> f() "
             "{ return new ArrayList<>(List.of(3, 1, 2)); } }",
             "public class Main { public static void main(String[] a) { List<Integer> l = "
             "new Solution().f(); Collections.sort(l); if (!l.equals(Arrays.asList(1, 2, 3)))"
             " throw new AssertionError(); } }"),
    ]
    bad = [
        calls("calls/wrong", ADD.replace("a + b", "a - b"), "add", ["int", "int"], "int",
              [([1, 0], 1), ([1, 2], 3)]),
        io("io/wrong", ECHO.replace("a + b", "a * b"), [("1 1\n", "1\n"), ("2 3\n", "5\n")]),
        code("code/wrong", ADD.replace("a + b", "a + b + (a < 0 ? 1 : 0)"), MAIN_TEST),
        code("code/compile", ADD.replace("a + b;", "a + b"), MAIN_TEST),
        calls("calls/compile", ADD.replace("long add", "int add"), "add", ["int", "int"],
              "int", [([1, 2], 3)]),
        code("code/loop", "class Solution { long add(long a, long b) { while (true) {} } }",
             MAIN_TEST),
        io("io/memory", "import java.util.*;\npublic class Main { public static void main("
           "String[] a) { List<long[]> keep = new ArrayList<>(); while (true) "
           "keep.add(new long[1 << 24]); } }", [("", "")]),
        calls("calls/raises", ADD.replace("return a + b;", "return a / b;"), "add",
              ["int", "int"], "int", [([1, 1], 1), ([1, 0], 0)]),
    ]
    verdicts = run_all(lang_executor, lang_image, good + bad)
    for problem, verdict in zip(good, verdicts, strict=False):
        assert verdict.status is Status.PASSED, (problem.id, verdict.reason, verdict.stderr)
    got = {p.id: v for p, v in zip(good + bad, verdicts, strict=True)}
    assert got["calls/wrong"].status is Status.FAILED
    assert got["calls/wrong"].failed_test == "case 1: add(1, 2)"
    assert got["calls/wrong"].reason == "expected 3, got -1"
    assert got["io/wrong"].status is Status.FAILED
    assert got["io/wrong"].failed_test == "case 1"
    assert got["code/wrong"].status is Status.FAILED
    assert got["code/wrong"].failed_test == (
        'Main.java:8: if (s.add(-5, 5) != 0) throw new AssertionError("add(-5, 5)");')
    assert got["code/wrong"].reason == "java.lang.AssertionError: add(-5, 5)"
    assert got["code/compile"].status is Status.COMPILE_ERROR
    assert "error: ';' expected" in got["code/compile"].reason
    assert got["calls/compile"].status is Status.COMPILE_ERROR
    assert got["code/loop"].status is Status.TIMEOUT
    assert got["io/memory"].status is Status.MEMORY_LIMIT, got["io/memory"].stderr
    assert got["calls/raises"].status is Status.ERROR
    assert got["calls/raises"].failed_test == "case 1: add(1, 0)"
    assert "java.lang.ArithmeticException: / by zero" in got["calls/raises"].reason


# ------------------------------------------------------------------------ HumanEval-X

def humaneval_x_java(datasets: Path) -> list[dict[str, Any]]:
    path = datasets / "humaneval-x" / "humaneval_java.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def he_problem(item: dict[str, Any], solution_of: dict[str, Any] | None = None) -> Problem:
    """As the HumanEval-X importer builds a Java record: solution = prompt + canonical
    solution, code = test. ``solution_of``: take the solution from another task."""
    source = solution_of or item
    suffix = "" if solution_of is None else f"/with-{source['task_id']}"
    return Problem(id=item["task_id"] + suffix, language="java", prompt=item["prompt"],
                   solution=source["prompt"] + source["canonical_solution"],
                   tests=CodeTests(code=item["test"]))


def test_humaneval_x_java(datasets: Path, lang_image: ImageRef) -> None:
    items = humaneval_x_java(datasets)
    assert len(items) == 164
    canonical = [he_problem(item) for item in items]
    swapped = [he_problem(item, items[(i + 1) % len(items)]) for i, item in enumerate(items)]
    verdicts = verify_problems(canonical + swapped, options=VerifyOptions(jobs=2))
    failed = [(p.id, v.status.value, v.reason) for p, v in zip(canonical, verdicts, strict=False)
              if not v.passed]
    assert failed == [], failed
    false_passes = [p.id for p, v in zip(swapped, verdicts[len(canonical):], strict=True)
                    if v.passed]
    assert false_passes == []
