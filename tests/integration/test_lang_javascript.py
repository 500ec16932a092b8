"""JavaScript in the real node sandbox: rendering round-trips, hand-written problems of
each test kind, limits, and HumanEval-X's 164 canonical solutions (and 164 wrong ones)."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

from codeaug_plugins.javascript_language import JavaScript
from hypothesis import given, settings
from hypothesis import strategies as st

from codeaug.compare import values_equal
from codeaug.executor.pool import Executor
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef
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
from codeaug.testing import (
    calls_problem,
    judge_in_pool,
    neutral_types,
    values_of,
    verify_problems,
)
from codeaug.typesys import TypeExpr
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

JS = JavaScript()
LANGUAGE = JS  # for the lang_image and lang_executor fixtures (conftest)
FAST = Limits(wall_seconds=3, cpu_seconds=3, address_space=0)

# HumanEval-X canonical solutions that fail their own tests upstream.
UPSTREAM_DEFECTS = {"JavaScript/112", "JavaScript/155"}


run = functools.partial(judge_in_pool, JS, timeout=180)


# ---------------------------------------------------------------- round-trip property

# A runtime check that each argument really is a JS value of its declared type (int keys
# of a Map stay numbers, sets are Sets, ...), then identity.
CHECKER = """
const __ok = (v, t) => {
  const [n, a] = t;
  switch (n) {
    case 'int': return typeof v === 'number' && Number.isSafeInteger(v);
    case 'float': return typeof v === 'number';
    case 'str': return typeof v === 'string';
    case 'bool': return typeof v === 'boolean';
    case 'optional': return v === null || __ok(v, a[0]);
    case 'list': return Array.isArray(v) && v.every((x) => __ok(x, a[0]));
    case 'tuple':
      return Array.isArray(v) && v.length === a.length
        && v.every((x, i) => __ok(x, a[i]));
    case 'set': return v instanceof Set && [...v].every((x) => __ok(x, a[0]));
    case 'dict':
      return v instanceof Map && [...v].every(([k, x]) => __ok(k, a[0]) && __ok(x, a[1]));
    default: return false;
  }
};
"""


def tree(t: TypeExpr) -> list[object]:
    return [t.name, [tree(a) for a in t.args]]


def identity_problem(pairs: list[tuple[TypeExpr, Any]], returned: list[str] | None = None
                     ) -> Problem:
    """``ident(p0, p1, ...)`` returns ``[p0, p1, ...]`` as tuple[T0, T1, ...]: one case."""
    names = [f"p{i}" for i in range(len(pairs))]
    docs = "".join(f" * @param {{{JS.render_type(t)}}} {n}\n" for n, (t, _) in zip(
        names, pairs, strict=True))
    checks = "".join(f"  if (!__ok({n}, {json.dumps(tree(t))})) throw new TypeError("
                     f"'{n} is not a {JS.render_type(t)}');\n"
                     for n, (t, _) in zip(names, pairs, strict=True))
    result = ", ".join(returned or names)
    solution = (f"{CHECKER}\n/**\n{docs} */\nfunction ident({', '.join(names)}) {{\n{checks}"
                f"  return [{result}];\n}}\n")
    returns = TypeExpr("tuple", tuple(t for t, _ in pairs))
    return Problem(
        id="roundtrip", language="javascript", prompt="", entry_point="ident",
        signature=Signature(params=[Param(n, str(t)) for n, (t, _) in zip(names, pairs,
                                                                         strict=True)],
                            returns=str(returns)),
        solution=solution,
        tests=CallsTests(cases=[CallCase([v for _, v in pairs], [v for _, v in pairs])],
                         rel_tol=0.0, abs_tol=0.0))


# Ints within the safe range: the only ones render_value accepts for JavaScript.
safe_pairs = neutral_types().flatmap(lambda t: st.tuples(st.just(t), values_of(t, int_bits=53)))


@settings(max_examples=15, deadline=None)
@given(pairs=st.lists(safe_pairs, min_size=1, max_size=40), data=st.data())
def test_values_round_trip(lang_executor: Executor, lang_image: ImageRef,
                           pairs: list[tuple[TypeExpr, Any]], data: st.DataObject) -> None:
    # The first value swapped for a different one of its type: that solution must fail.
    t0, v0 = pairs[0]
    other = data.draw(values_of(t0, int_bits=53).filter(
        lambda v: not values_equal(v, v0, t0, 0.0, 0.0)))
    wrong = identity_problem(pairs, [JS.render_value(other, t0)]
                             + [f"p{i}" for i in range(1, len(pairs))])
    right = identity_problem(pairs)
    good, bad = run(lang_executor, lang_image, [right, wrong])
    assert good.status is Status.PASSED, (good.reason, good.stderr, right.solution)
    assert bad.status is Status.FAILED, (bad.reason, bad.stderr)


# ---------------------------------------------------------------- hand-written problems

def calls(ident: str, solution: str, entry: str, params: list[str], returns: str,
          cases: list[tuple[list[Any], Any]]) -> Problem:
    return calls_problem("javascript", ident, solution,
                         [(f"a{i}", t) for i, t in enumerate(params)], returns, cases,
                         entry_point=entry)


CALLS = [
    calls("word-count", "const wordCount = (s) => {\n  const m = new Map();\n"
          "  for (const w of s.split(/\\s+/).filter(Boolean)) m.set(w, (m.get(w) || 0) + 1);\n"
          "  return m;\n};\n", "wordCount", ["str"], "dict[str,int]",
          [(["a b a"], {"a": 2, "b": 1}), ([""], {}), (["é é\n日本"], {"é": 2, "日本": 1})]),
    calls("mean", "function mean(xs) {\n  return xs.length ? xs.reduce((a, b) => a + b) / "
          "xs.length : null;\n}\n", "mean", ["list[float]"], "optional[float]",
          [([[1.0, 2.0]], 1.5), ([[]], None), ([[0.1, 0.2]], 0.15000000000000002)]),
    calls("evens", "async function evens(n) {\n  const s = new Set();\n"
          "  for (let i = 0; i <= n; i += 2) s.add(i);\n  return s;\n}\n", "evens", ["int"],
          "set[int]", [([4], [4, 2, 0]), ([0], [0]), ([-1], [])]),
]
IO = [
    Problem(id="sum-lines", language="javascript", prompt="",
            solution="const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n');\n"
                     "console.log(lines.map(Number).reduce((a, b) => a + b, 0));\n",
            tests=IoTests(cases=[IoCase("1\n2\n3\n", "6\n"), IoCase("10\n", "10")])),
    Problem(id="echo-upper", language="javascript", prompt="",
            solution="let d = '';\nprocess.stdin.on('data', (c) => { d += c; });\n"
                     "process.stdin.on('end', () => process.stdout.write(d.toUpperCase()));\n",
            tests=IoTests(cases=[IoCase("abc\n", "ABC\n"), IoCase("é", "É")])),
    Problem(id="md5", language="javascript", prompt="",
            solution="const md5 = require('js-md5');\n"
                     "const t = require('fs').readFileSync(0, 'utf8');\n"
                     "console.log(md5(t), md5.hex(''),\n"
                     "            md5.create().update('a').update('b').hex());\n",
            tests=IoTests(cases=[IoCase("Hello world", "3e25960a79dbc69b674cd4ec67a72c62 "
                                                      "d41d8cd98f00b204e9800998ecf8427e "
                                                      "187ef4436122d1cc2f40dc2b92f0eba0")])),
]
CODE = [
    Problem(id="fact", language="javascript", prompt="",
            solution="const fact = (n) => (n <= 1 ? 1 : n * fact(n - 1));\n",
            tests=CodeTests(code="const t = () => {\n  console.assert(fact(5) === 120)\n"
                                 "  console.assert(fact(0) === 1)\n}\nt()\n")),
    Problem(id="node-assert", language="javascript", prompt="",
            solution="const rev = (s) => [...s].reverse().join('');\n",
            tests=CodeTests(code="const assert = require('assert');\n"
                                 "assert.strictEqual(rev('abc'), 'cba');\n"
                                 "assert.deepStrictEqual([...'ab'], ['a', 'b']);\n")),
    Problem(id="class", language="javascript", prompt="",
            solution="class Stack {\n  #xs = [];\n  push(x) { this.#xs.push(x); return this; }\n"
                     "  get size() { return this.#xs.length; }\n}\n",
            tests=CodeTests(code="console.assert(new Stack().push(1).push(2).size === 2)\n")),
]


def test_hand_written_problems_pass(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = CALLS + IO + CODE
    for problem, verdict in zip(problems, run(lang_executor, lang_image, problems), strict=True):
        assert verdict.status is Status.PASSED, (problem.id, verdict.reason, verdict.stderr)


def test_wrong_solutions_fail_naming_the_case(lang_executor: Executor,
                                              lang_image: ImageRef) -> None:
    wrong_calls = calls("wc", "const wordCount = (s) => ({a: s.length});\n", "wordCount",
                        ["str"], "dict[str,int]", [(["a"], {"a": 1}), (["a b a"], {"a": 2})])
    wrong_io = Problem(id="io", language="javascript", prompt="",
                       solution="console.log(require('fs').readFileSync(0, 'utf8').length)\n",
                       tests=IoTests(cases=[IoCase("ab", "2"), IoCase("abc", "4")]))
    wrong_code = Problem(id="code", language="javascript", prompt="",
                         solution="const f = (x) => x + 1;\n",
                         tests=CodeTests(code="const t = () => {\n  console.assert(f(1) === 2)\n"
                                              "  console.assert(\n    f(2) === 4\n  )\n}\nt()\n"))
    throws = calls("throws", "const f = (x) => { throw new RangeError('no ' + x); };\n", "f",
                   ["int"], "int", [([1], 1)])
    v_calls, v_io, v_code, v_throws = run(lang_executor, lang_image,
                                          [wrong_calls, wrong_io, wrong_code, throws])
    assert v_calls.status is Status.FAILED
    assert v_calls.failed_test == 'case 1: wordCount("a b a")'
    assert v_calls.reason == 'expected {"a": 2}, got {"a": 5}'
    assert (v_io.status, v_io.failed_test) == (Status.FAILED, "case 1")
    assert v_code.status is Status.FAILED
    assert v_code.failed_test == "console.assert( f(2) === 4 )"
    assert v_throws.status is Status.ERROR and "RangeError: no 1" in v_throws.reason


def test_syntax_error_is_a_compile_error(lang_executor: Executor, lang_image: ImageRef) -> None:
    broken = [
        calls("c", "const f = (x) => { return x +; };\n", "f", ["int"], "int", [([1], 1)]),
        Problem(id="io", language="javascript", prompt="", solution="console.log((1\n",
                tests=IoTests(cases=[IoCase("", "1"), IoCase("", "1")])),
        Problem(id="code", language="javascript", prompt="", solution="const f = () => 1\n",
                tests=CodeTests(code="console.assert(f() === 1))\n")),
    ]
    for verdict in run(lang_executor, lang_image, broken):
        assert verdict.status is Status.COMPILE_ERROR, (verdict.reason, verdict.stderr)
        assert "SyntaxError" in verdict.reason


def test_infinite_loop_times_out(lang_executor: Executor, lang_image: ImageRef) -> None:
    loops = [calls("loop", "const f = (x) => { while (true) {} };\n", "f", ["int"], "int",
                   [([1], 1)]),
             Problem(id="async-loop", language="javascript", prompt="",
                     solution="setInterval(() => {}, 1000);\n",
                     tests=CodeTests(code=""))]
    for verdict in run(lang_executor, lang_image, loops, FAST):
        assert verdict.status is Status.TIMEOUT, (verdict.reason, verdict.stderr)


def test_huge_allocation_is_a_memory_limit(lang_executor: Executor, lang_image: ImageRef) -> None:
    hogs = [Problem(id="heap", language="javascript", prompt="",
                    solution="const a = [];\nwhile (true) a.push(new Array(1e6).fill(1.5));\n",
                    tests=CodeTests(code="")),
            Problem(id="buffers", language="javascript", prompt="",
                    solution="const a = [];\nwhile (true) a.push(Buffer.alloc(1 << 26, 1));\n",
                    tests=CodeTests(code=""))]
    limits = Limits(wall_seconds=30, cpu_seconds=30, address_space=0)
    for verdict in run(lang_executor, lang_image, hogs, limits):
        assert verdict.status is Status.MEMORY_LIMIT, (verdict.reason, verdict.stderr[-500:])


# ---------------------------------------------------------------- HumanEval-X


def humaneval_x(datasets: Path) -> list[dict[str, Any]]:
    with gzip.open(datasets / "humaneval-x" / "humaneval_js.jsonl.gz", "rt") as f:
        return [json.loads(line) for line in f]


def record(item: dict[str, Any], test: str, ident: str) -> Problem:
    # As HumanEval-X assembles JS: prompt + canonical_solution, then the test.
    return Problem(id=ident, language="javascript", prompt="",
                   solution=item["prompt"] + item["canonical_solution"],
                   tests=CodeTests(code=test))


def test_humaneval_x(datasets: Path, lang_image: ImageRef) -> None:
    items = humaneval_x(datasets)
    assert len(items) == 164
    own = [record(item, item["test"], item["task_id"]) for item in items]
    # Every task with the NEXT task's canonical solution: never a pass.
    crossed = [record(items[(i + 1) % len(items)], item["test"], f"{item['task_id']}+next")
               for i, item in enumerate(items)]
    verdicts = verify_problems(own + crossed, options=VerifyOptions(jobs=2))
    mine, others = verdicts[:len(own)], verdicts[len(own):]
    failing = {p.id: (v.status.value, v.reason) for p, v in zip(own, mine, strict=True)
               if not v.passed}
    assert set(failing) == UPSTREAM_DEFECTS, failing
    for ident in UPSTREAM_DEFECTS:
        assert failing[ident][0] == "failed"
    false_passes = [p.id for p, v in zip(crossed, others, strict=True) if v.passed]
    assert false_passes == []
    print(f"HumanEval-X JS: {len(own) - len(failing)}/164 canonical pass, "
          f"{len(crossed) - len(false_passes)}/164 crossed rejected")
