"""TypeScript in the real node sandbox: rendering round-trips through the type checker,
hand-written problems of each test kind, compile (syntax and type) errors, limits.
HumanEval-X has no TypeScript."""

from __future__ import annotations

import functools
import json
from typing import Any

from codeaug_plugins.typescript_language import TypeScript
from hypothesis import given, settings
from hypothesis import strategies as st

from codeaug.compare import values_equal
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
    calls_problem,
    code_problem,
    io_problem,
    judge_in_pool,
    neutral_types,
    values_of,
)
from codeaug.typesys import TypeExpr
from codeaug.verdict import Status

TS = TypeScript()
LANGUAGE = TS  # for the lang_image and lang_executor fixtures (conftest)
FAST = Limits(wall_seconds=6, cpu_seconds=6, address_space=0)


run = functools.partial(judge_in_pool, TS, timeout=180)


# ---------------------------------------------------------------- round-trip property

CHECKER = """
const __ok = (v: any, t: any): boolean => {
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
    """A typed ``ident(p0: T0, ...): [T0, ...]`` returning its arguments: one case."""
    names = [f"p{i}" for i in range(len(pairs))]
    params = ", ".join(f"{n}: {TS.render_type(t)}" for n, (t, _) in zip(names, pairs,
                                                                        strict=True))
    returns = TypeExpr("tuple", tuple(t for t, _ in pairs))
    checks = "".join(f"  if (!__ok({n}, {json.dumps(tree(t))})) throw new TypeError("
                     f"'{n} is not a {TS.render_type(t)}');\n"
                     for n, (t, _) in zip(names, pairs, strict=True))
    result = ", ".join(returned or names)
    solution = (f"{CHECKER}\nfunction ident({params}): {TS.render_type(returns)} {{\n"
                f"{checks}  return [{result}];\n}}\n")
    return Problem(
        id="roundtrip", language="typescript", prompt="", entry_point="ident",
        signature=Signature(params=[Param(n, str(t)) for n, (t, _) in zip(names, pairs,
                                                                         strict=True)],
                            returns=str(returns)),
        solution=solution,
        tests=CallsTests(cases=[CallCase([v for _, v in pairs], [v for _, v in pairs])],
                         rel_tol=0.0, abs_tol=0.0))


safe_pairs = neutral_types().flatmap(lambda t: st.tuples(st.just(t), values_of(t, int_bits=53)))


@settings(max_examples=6, deadline=None)
@given(pairs=st.lists(safe_pairs, min_size=1, max_size=40), data=st.data())
def test_values_round_trip(lang_executor: Executor, lang_image: ImageRef,
                           pairs: list[tuple[TypeExpr, Any]], data: st.DataObject) -> None:
    t0, v0 = pairs[0]
    other = data.draw(values_of(t0, int_bits=53).filter(
        lambda v: not values_equal(v, v0, t0, 0.0, 0.0)))
    wrong = identity_problem(pairs, [TS.render_value(other, t0)]
                             + [f"p{i}" for i in range(1, len(pairs))])
    right = identity_problem(pairs)
    good, bad = run(lang_executor, lang_image, [right, wrong])
    assert good.status is Status.PASSED, (good.reason, good.stderr, right.solution)
    assert bad.status is Status.FAILED, (bad.reason, bad.stderr, wrong.solution)


# ---------------------------------------------------------------- hand-written problems

def calls(ident: str, solution: str, entry: str, params: list[str], returns: str,
          cases: list[tuple[list[Any], Any]]) -> Problem:
    return calls_problem("typescript", ident, solution,
                         [(f"a{i}", t) for i, t in enumerate(params)], returns, cases,
                         entry_point=entry)


io = functools.partial(io_problem, "typescript")
code = functools.partial(code_problem, "typescript")


CALLS = [
    calls("word-count", "function wordCount(s: string): Map<string, number> {\n"
          "  const m = new Map<string, number>();\n"
          "  for (const w of s.split(/\\s+/).filter(Boolean)) m.set(w, (m.get(w) ?? 0) + 1);\n"
          "  return m;\n}\n", "wordCount", ["str"], "dict[str,int]",
          [(["a b a"], {"a": 2, "b": 1}), ([""], {})]),
    calls("pairs", "const pairs = (xs: number[], d: Map<number, string>): [number, string][] =>\n"
          "  xs.map((x): [number, string] => [x, d.get(x) ?? '?']);\n", "pairs",
          ["list[int]", "dict[int,str]"], "list[tuple[int,str]]",
          [([[1, 2], {"1": "one"}], [[1, "one"], [2, "?"]]), ([[], {}], [])]),
    calls("maybe", "interface Box { v: number | null }\n"
          "const maybe = (s: Set<number>): number | null => {\n"
          "  const b: Box = { v: s.size ? Math.max(...s) : null };\n  return b.v;\n};\n",
          "maybe", ["set[int]"], "optional[int]", [([[3, 9, 1]], 9), ([[]], None)]),
]
IO = [
    io("sum-lines", "import * as fs from 'fs';\n"
       "const lines: string[] = fs.readFileSync(0, 'utf8').trim().split('\\n');\n"
       "console.log(lines.map(Number).reduce((a, b) => a + b, 0));\n",
       [("1\n2\n3\n", "6\n"), ("10\n", "10")]),
    io("upper", "let d: string = '';\nprocess.stdin.on('data', (c: Buffer) => { d += c; });\n"
       "process.stdin.on('end', () => process.stdout.write(d.toUpperCase()));\n",
       [("abc\n", "ABC\n"), ("é", "É")]),
    io("generic", "function last<T>(xs: readonly T[]): T | undefined { return xs.at(-1); }\n"
       "const input = require('fs').readFileSync(0, 'utf8') as string;\n"
       "console.log(last(input.split(' ')) ?? 'none');\n", [("a b c", "c"), ("", "")]),
]
CODE = [
    code("fact", "const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));\n",
         "const t = () => {\n  console.assert(fact(5) === 120)\n  console.assert(fact(0) === 1)\n"
         "}\nt()\n"),
    code("node-assert", "import assert from 'assert';\n"
         "export const rev = (s: string): string => [...s].reverse().join('');\n",
         "assert.strictEqual(rev('abc'), 'cba');\n"),
    code("enum", "enum Color { Red, Green }\nclass P { constructor(public c: Color) {} }\n",
         "console.assert(new P(Color.Green).c === 1)\n"),
]


def test_hand_written_problems_pass(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = CALLS + IO + CODE
    for problem, verdict in zip(problems, run(lang_executor, lang_image, problems), strict=True):
        assert verdict.status is Status.PASSED, (problem.id, verdict.reason, verdict.stderr)


def test_wrong_solutions_are_rejected(lang_executor: Executor, lang_image: ImageRef) -> None:
    wrong_calls = calls("wc", "const wordCount = (s: string): Map<string, number> =>\n"
                        "  new Map([['a', s.length]]);\n", "wordCount", ["str"],
                        "dict[str,int]", [(["a"], {"a": 1}), (["a b a"], {"a": 2})])
    wrong_io = io("io", "console.log(require('fs').readFileSync(0, 'utf8').length)\n",
                  [("ab", "2"), ("abc", "4")])
    wrong_code = code("code", "const f = (x: number): number => x + 1;\n",
                      "console.assert(f(1) === 2)\nconsole.assert(f(2) === 4)\n")
    v_calls, v_io, v_code = run(lang_executor, lang_image, [wrong_calls, wrong_io, wrong_code])
    assert v_calls.status is Status.FAILED
    assert v_calls.failed_test == 'case 1: wordCount("a b a")'
    assert (v_io.status, v_io.failed_test) == (Status.FAILED, "case 1")
    assert v_code.status is Status.FAILED
    assert v_code.failed_test == "console.assert(f(2) === 4);"


def test_syntax_and_type_errors_are_compile_errors(lang_executor: Executor,
                                                   lang_image: ImageRef) -> None:
    broken = [
        calls("syntax", "const f = (x: number): number => { return x +; };\n", "f", ["int"],
              "int", [([1], 1)]),
        calls("returns", "const f = (x: number): string => x;\n", "f", ["int"], "int",
              [([1], 1)]),
        # The solution's parameter type disagrees with the signature's arguments.
        calls("signature", "const f = (x: string): number => x.length;\n", "f", ["int"],
              "int", [([1], 1)]),
        io("io", "const n: number = 'x';\nconsole.log(n);\n", [("", "x")]),
        code("code", "const f = (): number => 1;\n", "console.assert(f() === '1')\n"),
    ]
    for verdict in run(lang_executor, lang_image, broken):
        assert verdict.status is Status.COMPILE_ERROR, (verdict.reason, verdict.stderr)
        assert "error TS" in verdict.reason


def test_infinite_loop_times_out(lang_executor: Executor, lang_image: ImageRef) -> None:
    [verdict] = run(lang_executor, lang_image, [
        calls("loop", "const f = (x: number): number => { while (true) {} };\n", "f", ["int"],
              "int", [([1], 1)])], FAST)
    assert verdict.status is Status.TIMEOUT, (verdict.reason, verdict.stderr)


def test_huge_allocation_is_a_memory_limit(lang_executor: Executor, lang_image: ImageRef) -> None:
    hog = code("heap", "const a: number[][] = [];\n"
               "while (true) a.push(new Array<number>(1e6).fill(1.5));\n", "")
    [verdict] = run(lang_executor, lang_image, [hog],
                    Limits(wall_seconds=30, cpu_seconds=30, address_space=0))
    assert verdict.status is Status.MEMORY_LIMIT, (verdict.reason, verdict.stderr[-500:])
