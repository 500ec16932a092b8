"""Rust in the real rust sandbox (rustc 1.63, prebuilt rand 0.4.6 / regex 1.7.1 / md5
0.7.0): rendering round-trips, hand-written problems of each test kind, limits, and
HumanEval-X's 164 canonical solutions (and 164 wrong ones)."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.rust_language import NO_TEST, Rust
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codeaug.errors import UnsupportedTypeError
from codeaug.executor.pool import Executor
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef
from codeaug.record import (
    CallCase,
    CallsTests,
    Param,
    Problem,
    Signature,
)
from codeaug.testing import (
    code_problem,
    io_problem,
    judge_in_pool,
    neutral_types,
    values_of,
    verify_problems,
)
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

RS = Rust()
LANGUAGE = RS  # for the lang_image and lang_executor fixtures (conftest)
FAST = Limits(wall_seconds=3, cpu_seconds=3)

#: HumanEval-X Rust/32's test is commented out upstream (`/* ... */`): `cargo test` runs
#: no test and passes ANY solution. codeaug refuses a test program that runs no test.
UPSTREAM_DEFECTS = {"Rust/32"}


run = functools.partial(judge_in_pool, RS)


# ---------------------------------------------------------------- round-trip property


def different(value: Any, t: TypeExpr) -> Any:
    """A value of ``t`` that an exact comparison of ``t`` never takes for ``value``."""
    name = t.name
    if name == "int":
        return value + 1 if value < 2**63 - 1 else value - 1
    if name == "float":
        return value + 1 if abs(value) < 1e15 else value / 2
    if name == "str":
        return value + "x"
    if name == "bool":
        return not value
    if name == "optional":
        return None if value is not None else sample(t.args[0])
    if name == "list":
        return [*value, sample(t.args[0])]
    if name == "set":
        return [*value, unused(value, t.args[0])]
    if name == "dict":
        key = unused([int(k) if t.args[0].name == "int" else k for k in value], t.args[0])
        return {**value, str(key): sample(t.args[1])}
    if name == "tuple":
        return [different(v, a) for v, a in zip(value, t.args, strict=True)]
    raise AssertionError(t)


def unused(values: list[Any], t: TypeExpr) -> Any:
    """An int or str that is not among ``values``."""
    if t.name == "int":
        return next(i for i in range(len(values) + 1) if i not in values)
    return "k" * (max(map(len, values), default=0) + 1)


def sample(t: TypeExpr) -> Any:
    """Some value of ``t``."""
    scalars = {"int": 0, "float": 0.5, "str": "", "bool": False}
    if t.name in scalars:
        return scalars[t.name]
    if t.name == "tuple":
        return [sample(a) for a in t.args]
    return {"list": [], "set": [], "dict": {}}.get(t.name)


def echo_problem(t: TypeExpr, values: list[Any], returns: Any = None) -> Problem:
    """``echo(v) == v`` for every value; with ``returns``, echo returns that constant."""
    rust_type = RS.render_type(t)
    body = "v" if returns is None else RS.render_value(returns, t)
    solution = (f"use std::collections::{{HashMap, HashSet}};\n"
                f"fn echo(v: {rust_type}) -> {rust_type} {{\n    {body}\n}}\n")
    return Problem(
        id="roundtrip", language="rust", prompt="", entry_point="echo", solution=solution,
        signature=Signature(params=[Param("v", str(t))], returns=str(t)),
        # Exact: floats must come back bit for bit (the sign of zero aside).
        tests=CallsTests(cases=[CallCase(args=[v], expected=v) for v in values],
                         rel_tol=0.0, abs_tol=0.0))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_round_trip_through_the_harness(data: st.DataObject, lang_executor: Executor,
                                               lang_image: ImageRef) -> None:
    # Several neutral types at once, as one tuple: one compile checks them all.
    types = data.draw(st.lists(neutral_types(), min_size=1, max_size=6))
    t = TypeExpr("tuple", tuple(types))
    try:
        RS.render_type(t)
    except UnsupportedTypeError:  # pragma: no cover - the strategies stay expressible
        return
    values = data.draw(st.lists(values_of(t), min_size=1, max_size=5))
    wrong = different(values[0], t)
    good, bad = run(lang_executor, lang_image, [echo_problem(t, values),
                                           echo_problem(t, values, returns=wrong)])
    assert good.status is Status.PASSED, (good.reason, good.stdout[-2000:], good.stderr[-2000:])
    assert bad.status is Status.FAILED, (bad.reason, bad.stdout[-2000:])
    assert bad.failed_test is not None and bad.failed_test.startswith("case 0:")


def test_awkward_values_round_trip(lang_executor: Executor, lang_image: ImageRef) -> None:
    # The longest tuple Rust's standard traits (and the harness's printer) support: 12.
    t = parse_type("tuple[int,float,str,bool,optional[int],list[str],set[int],"
                   "dict[int,str],tuple[int],none,optional[optional[int]],float]")
    tail = [True, None, [], [], {}, [0], None, None, 1.5]
    values = [[-(2**63), -0.0, "", *tail],
              [2**63 - 1, 1e308, "\x00\x1f\x7f\"\\\n\r\t", *tail],
              [0, 5e-324, "é日本😀\u2028\u2029\ufeff",
               False, -3, ["a", ""], [-1, 2], {"-7": "x", "0": ""}, [5], None, 4, -1e-300],
              [-1, 0.1, "{}{{}}%s\\u{41}", *tail]]
    [verdict] = run(lang_executor, lang_image, [echo_problem(t, values)])
    assert verdict.status is Status.PASSED, (verdict.reason, verdict.stdout)
    assert '"{}{{}}%s\\\\u{41}"' in verdict.stdout
    assert "-0.0" in verdict.stdout and "5e-324" in verdict.stdout


def test_non_finite_floats_print_as_json_tokens(lang_executor: Executor,
                                                lang_image: ImageRef) -> None:
    problem = Problem(
        id="nonfinite", language="rust", prompt="", entry_point="f",
        signature=Signature(params=[Param("x", "float")], returns="list[float]"),
        solution="fn f(x: f64) -> Vec<f64> { vec![x / 0.0, -x / 0.0, 0.0 / 0.0] }",
        tests=CallsTests(cases=[CallCase(args=[1.0], expected=[math.inf, -math.inf,
                                                                math.nan])]))
    [verdict] = run(lang_executor, lang_image, [problem])
    assert verdict.status is Status.PASSED, (verdict.reason, verdict.stdout)
    assert "[Infinity, -Infinity, NaN]" in verdict.stdout


# ------------------------------------------------------------- hand-written problems

ADD = Signature(params=[Param("a", "int"), Param("b", "int")], returns="int")


def calls(ident: str, solution: str, cases: list[tuple[list[Any], Any]],
          signature: Signature = ADD, entry_point: str = "add") -> Problem:
    return Problem(id=ident, language="rust", prompt="", entry_point=entry_point,
                   signature=signature, solution=solution,
                   tests=CallsTests(cases=[CallCase(args=a, expected=e) for a, e in cases]))


io = functools.partial(io_problem, "rust")
code = functools.partial(code_problem, "rust")


READ_SUM = """use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let total: i64 = s.split_whitespace().map(|x| x.parse::<i64>().unwrap()).sum();
    println!("{}", total);
}
"""

HUMANEVAL_X_STYLE = """fn main(){}
use std::{slice::Iter, cmp::{max, self}, collections::{HashSet, HashMap}};
use rand::Rng;
use regex::Regex;
use md5;
fn digits(s: String) -> Vec<i64> {
    let re = Regex::new(r"\\d+").unwrap();
    re.find_iter(&s).map(|m| m.as_str().parse().unwrap()).collect()
}
"""

PASSING = [
    calls("calls/add", "fn add(a: i64, b: i64) -> i64 { a + b }",
          [([1, 2], 3), ([-5, 5], 0), ([2**62, 2**62 - 1], 2**63 - 1)]),
    calls("calls/word-count",
          "use std::collections::HashMap;\n"
          "fn count(words: Vec<String>) -> HashMap<String, i64> {\n"
          "    let mut m = HashMap::new();\n"
          "    for w in words { *m.entry(w).or_insert(0) += 1; }\n    m\n}\n",
          [([["a", "b", "a"]], {"a": 2, "b": 1}), ([[]], {})],
          Signature(params=[Param("words", "list[str]")], returns="dict[str,int]"), "count"),
    # A HumanEval-X-style solution: its own `fn main`, `use` lines, the pinned crates.
    calls("calls/humaneval-x-style", HUMANEVAL_X_STYLE,
          [(["a1b22"], [1, 22]), ([""], [])],
          Signature(params=[Param("s", "str")], returns="list[int]"), "digits"),
    io("io/sum", READ_SUM, [("1 2 3\n", "6\n"), ("", "0\n"), ("-4\n4\n", "0")]),
    io("io/echo-lines",
       "use std::io::BufRead;\nfn main() {\n    for line in std::io::stdin().lock().lines() {\n"
       "        println!(\"{}\", line.unwrap().to_uppercase());\n    }\n}\n",
       [("ab\ncd\n", "AB\nCD\n"), ("é\n", "É\n")]),
    io("io/md5", "fn main() {\n    let mut s = String::new();\n"
       "    std::io::stdin().read_line(&mut s).unwrap();\n"
       "    println!(\"{:x}\", md5::compute(s.trim().as_bytes()));\n}\n",
       [("password\n", "5f4dcc3b5aa765d61d8327deb882cf99\n")]),
    code("code/tests", "fn main(){}\nfn fib(n: u64) -> u64 { if n < 2 { n } else "
         "{ fib(n - 1) + fib(n - 2) } }\n",
         "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn test_fib() {\n"
         "        assert_eq!(fib(10), 55);\n    }\n    #[test]\n    fn test_small() {\n"
         "        assert!(fib(1) == 1);\n    }\n}\n"),
    code("code/main", "fn square(x: i64) -> i64 { x * x }\n",
         "fn main() {\n    assert_eq!(square(-3), 9);\n}\n"),
    # rand 0.4's API, as HumanEval-X's tests 38, 50 and 53 use it.
    code("code/rand-0.4", "use rand::Rng;\nfn main(){}\n",
         "#[test]\nfn t() {\n    let mut rng = rand::thread_rng();\n"
         "    let x: u8 = rng.gen_range(b'a', b'z' + 1);\n    let y: i32 = rng.gen();\n"
         "    let z = rand::random::<u32>() % 11;\n"
         "    assert!(x >= b'a' && x <= b'z' && z < 11 && y == y);\n}\n"),
]


def test_hand_written_problems_pass(lang_image: ImageRef) -> None:
    verdicts = verify_problems(PASSING, options=VerifyOptions(jobs=2, cache=False))
    for problem, verdict in zip(PASSING, verdicts, strict=True):
        assert verdict.status is Status.PASSED, (problem.id, verdict.reason, verdict.stderr)


WRONG_ADD = "fn add(a: i64, b: i64) -> i64 { if b == 5 { a - b } else { a + b } }"


def test_wrong_and_hostile_solutions(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        calls("calls/wrong", WRONG_ADD, [([1, 2], 3), ([-5, 5], 0), ([1, 1], 2)]),
        calls("calls/panics", "fn add(a: i64, b: i64) -> i64 { a.checked_add(b)"
              ".expect(\"overflow!\") }", [([1, 2], 3), ([2**63 - 1, 1], 0)]),
        calls("calls/compile-error", "fn add(a: i64, b: i64) -> i64 { a + c }",
              [([1, 2], 3)]),
        io("io/wrong", READ_SUM.replace("sum();", "sum::<i64>() * 2;"),
           [("0\n", "0\n"), ("1 2\n", "3\n")]),
        io("io/crash", "fn main() { let v: Vec<i64> = vec![]; println!(\"{}\", v[1]); }",
           [("", "1\n")]),
        code("code/wrong", "fn main(){}\nfn add(a: i32, b: i32) -> i32 { a + b + 1 }\n",
             "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n"
             "    fn test_add() {\n        assert!(add(0, 1) == 1);\n    }\n}\n"),
        code("code/wrong-eq", "fn main(){}\nfn add(a: i32, b: i32) -> i32 { a * b }\n",
             "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n"
             "    fn test_add() {\n        assert_eq!(add(2, 3), 5);\n    }\n}\n"),
        code("code/no-test", "fn main(){}\n", "/*\n#[test]\nfn t() { assert!(false); }\n*/\n"),
        code("code/rand-0.8-api", "use rand::Rng;\nfn main(){}\n",
             "#[test]\nfn t() {\n    let x: i32 = rand::thread_rng().gen_range(0..2);\n"
             "    assert!(x < 2);\n}\n"),
    ]
    verdicts = {p.id: v for p, v in zip(problems, run(lang_executor, lang_image, problems, FAST),
                                        strict=True)}

    v = verdicts["calls/wrong"]
    assert v.status is Status.FAILED and v.failed_test == "case 1: add(-5, 5)", v.reason
    assert v.reason == "expected 0, got -10"
    v = verdicts["calls/panics"]
    assert v.status is Status.ERROR and v.failed_test == "case 1: add(9223372036854775807, 1)"
    assert "overflow!" in v.reason
    v = verdicts["calls/compile-error"]
    assert v.status is Status.COMPILE_ERROR
    assert v.reason.startswith("error[E0425]: cannot find value `c` in this scope at main.rs:")
    v = verdicts["io/wrong"]
    assert v.status is Status.FAILED and v.failed_test == "case 1", v.reason
    v = verdicts["io/crash"]
    assert v.status is Status.ERROR and v.failed_test == "case 0"
    assert "index out of bounds" in v.reason
    v = verdicts["code/wrong"]
    assert v.status is Status.FAILED, (v.reason, v.stdout)
    assert v.reason == "assertion failed: add(0, 1) == 1"
    assert v.failed_test == "tests::test_add: line 9: assert!(add(0, 1) == 1);"
    v = verdicts["code/wrong-eq"]
    assert v.status is Status.FAILED
    assert v.reason == "assertion failed: `(left == right)` left: `6`, right: `5`"
    assert v.failed_test == "tests::test_add: line 9: assert_eq!(add(2, 3), 5);"
    v = verdicts["code/no-test"]
    assert v.status is Status.ERROR and v.reason == NO_TEST
    # A program written for rand 0.8 does not compile against rand 0.4; the reason says so.
    v = verdicts["code/rand-0.8-api"]
    assert v.status is Status.COMPILE_ERROR
    assert "rand 0.4.6" in v.reason, v.reason


def test_limits(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        calls("calls/loop", "fn add(a: i64, b: i64) -> i64 { loop { std::hint::spin_loop(); } }",
              [([1, 2], 3)]),
        io("io/sleep", "fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); }",
           [("", "")]),
        code("code/alloc", "fn main(){}\n",
             "#[test]\nfn t() {\n    let v = vec![7u8; 4 << 30];\n    assert!(v[1] == 7);\n}\n"),
        code("code/grow", "fn main() {\n    let mut keep = Vec::new();\n    loop {\n"
             "        keep.push(vec![1u8; 64 << 20]);\n    }\n}\n", ""),
        io("io/output", "fn main() { loop { println!(\"yes\"); } }", [("", "")]),
    ]
    verdicts = {p.id: v for p, v in zip(problems, run(lang_executor, lang_image, problems, FAST),
                                        strict=True)}
    for ident in ("calls/loop", "io/sleep"):
        assert verdicts[ident].status is Status.TIMEOUT, (ident, verdicts[ident].reason)
    for ident in ("code/alloc", "code/grow"):
        v = verdicts[ident]
        assert v.status is Status.MEMORY_LIMIT, (ident, v.reason, v.stderr)
    assert verdicts["io/output"].status is Status.OUTPUT_LIMIT


# -------------------------------------------------------------------------- HumanEval-X


def humaneval_x(datasets: Path) -> list[Problem]:
    path = datasets / "humaneval-x" / "humaneval_rust.jsonl.gz"
    problems = [p for p in HumanEvalXFormat().read(path) if isinstance(p, Problem)]
    assert len(problems) == 164
    return problems


def test_humaneval_x_canonical_pass_and_swapped_fail(datasets: Path,
                                                     lang_image: ImageRef) -> None:
    problems = humaneval_x(datasets)
    # Task i with task i+1's canonical solution: never a pass.
    swapped = [Problem(id=f"{p.id}+{q.id}", language="rust", prompt="",
                       entry_point=p.entry_point, solution=q.solution, tests=p.tests)
               for p, q in zip(problems, problems[1:] + problems[:1], strict=True)]
    verdicts = verify_problems(problems + swapped, options=VerifyOptions(jobs=2, cache=False))
    own, other = verdicts[:164], verdicts[164:]
    failing = {p.id: (v.status.value, v.reason) for p, v in zip(problems, own, strict=True)
               if not v.passed}
    assert set(failing) == UPSTREAM_DEFECTS, failing
    assert failing["Rust/32"] == ("error", NO_TEST)
    false_passes = [p.id for p, v in zip(swapped, other, strict=True) if v.passed]
    assert false_passes == []
    assert not any(v.status is Status.SANDBOX_ERROR for v in verdicts)
