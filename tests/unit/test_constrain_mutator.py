"""The `constrain` mutator and its checkers (no Docker): each checker on positive and
negative snippets per language, the prompt placement per prompt shape, and the promise
that a variant's reference always satisfies the constraint it carries."""

from __future__ import annotations

import json
import random
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.constrain_mutator import (
    ConstrainMutator,
    ConstrainParams,
    add_sentence,
)
from codeaug_plugins.constraints_builtin import BUILTIN, code_lines
from hypothesis import given
from hypothesis import strategies as st

from codeaug import syntax
from codeaug.constraints import constraint_verdict
from codeaug.mutator import MutatorSpecError, Skipped, Variant, build_params
from codeaug.plugins import Plugins
from codeaug.record import CallCase, CallsTests, CodeTests, Problem, decode_problem
from codeaug.registry import Registry
from codeaug.verdict import Status

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [decode_problem(line) for line in (ROOT / "examples" / "seeds.jsonl").read_bytes()
         .splitlines() if line.strip()]
MUTATOR = ConstrainMutator()


def registry() -> Registry:  # type: ignore[type-arg]
    reg: Registry = Registry("constraint")  # type: ignore[type-arg]
    for checker in BUILTIN:
        reg.add(checker, "constrain")
    return reg


REGISTRY = registry()


def problem(language: str, solution: str, constraints: list[str] | None = None,
            entry_point: str = "f", prompt: str = "Write f.") -> Problem:
    return Problem(id="t", language=language, prompt=prompt, entry_point=entry_point,
                   tests=CodeTests(code=""), solution=solution,
                   constraints=constraints or [])


def violations(constraint: str, language: str, solution: str, entry_point: str = "f"
               ) -> list[str]:
    name, _, argument = constraint.partition(":")
    checker = next(c for c in BUILTIN if c.name == name)
    return checker.violations(solution, argument if ":" in constraint else None,
                              problem(language, solution, entry_point=entry_point))


# ---------------------------------------------------------------------------- no-loops

LOOPS = [
    ("python", "for x in y:\n    pass\n"),
    ("python", "while True:\n    break\n"),
    ("python", "z = [x for x in y]\n"),
    ("python", "z = {k: 1 for k in y}\n"),
    ("python", "z = sum(x * x for x in y)\n"),
    ("javascript", "for (let i = 0; i < 3; i++) {}"),
    ("javascript", "for (const x of xs) {}"),
    ("javascript", "for (const k in o) {}"),
    ("javascript", "do { i++; } while (i < 3);"),
    ("typescript", "const f = (xs: number[]): void => { while (xs.length) xs.pop(); };"),
    ("c", "int f(void) { for (;;) {} }"),
    ("c", "int f(void) { again: goto again; }"),
    ("cpp", "int f(std::vector<int> v) { for (int x : v) {} return 0; }"),
    ("cpp", "int f() { do {} while (0); return 0; }"),
    ("java", "class A { void f(int[] a) { for (int x : a) {} } }"),
    ("java", "class A { void f() { while (true) {} } }"),
    ("go", "package main\nfunc f() { for i := range xs { _ = i } }"),
    ("go", "package main\nfunc f() { for {} }"),
    ("rust", "fn f() { loop { break; } }"),
    ("rust", "fn f(mut v: Vec<i32>) { while let Some(_) = v.pop() {} }"),
    ("rust", "fn f() { for i in 0..3 {} }"),
]
NO_LOOPS = [
    ("python", "s = 'for x in y: while True'\n# for x in y:\nz = list(map(f, y))\n"),
    ("python", 'def f():\n    """Loop with for x in y."""\n    return 1\n'),
    ("javascript", "const s = 'for (;;) {}'; // while (1)\nxs.forEach(f); xs.map(g);"),
    ("typescript", "/* for (;;) {} */ const n: number = xs.reduce((a, b) => a + b, 0);"),
    ("c", 'int f(void) { /* for (;;) */ const char *s = "while(1)"; return 0; }'),
    ("cpp", 'int f() { std::string s = "for (;;)"; // do {} while (0)\n return 0; }'),
    ("java", 'class A { int f() { String s = "for (;;)"; /* while */ return 1; } }'),
    ("go", 'package main\n// for {}\nfunc f() string { return "for {}" }'),
    ("rust", 'fn f() -> usize { // loop {}\n "while true {}".len() }'),
]


@pytest.mark.parametrize(("language", "code"), LOOPS)
def test_no_loops_finds_every_kind_of_loop(language: str, code: str) -> None:
    found = violations("no-loops", language, code)
    assert found and found[0].startswith("line "), found


@pytest.mark.parametrize(("language", "code"), NO_LOOPS)
def test_no_loops_ignores_strings_comments_and_higher_order_calls(language: str,
                                                                  code: str) -> None:
    assert violations("no-loops", language, code) == []


def test_no_loops_names_line_and_kind() -> None:
    code = "def f(y):\n    x = 1\n    return [v for v in y]\n"
    assert violations("no-loops", "python", code) == ["line 3: list comprehension"]
    assert violations("no-loops", "cpp", "int f() {\n  for (;;) {}\n}") == ["line 2: for loop"]


# ---------------------------------------------------------------------------- no-recursion

RECURSIVE = [
    ("python", "def f(n):\n    return 1 if n < 2 else n * f(n - 1)\n"),
    ("python", "def f(n):\n    return g(n)\n\ndef g(n):\n    return f(n - 1) if n else 0\n"),
    ("python", "class S:\n    def f(self, n):\n        return self.f(n - 1) if n else 0\n"),
    ("python", "def f(n):\n    def dfs(i):\n        return dfs(i - 1) if i else 0\n"
               "    return dfs(n)\n"),
    ("python", "fact = lambda n: 1 if n < 2 else n * fact(n - 1)\n"),
    ("javascript", "const f = (n) => n < 2 ? 1 : n * f(n - 1);"),
    ("javascript", "function f(n) { return n ? g(n - 1) : 0; }\nfunction g(n) { return f(n); }"),
    ("javascript", "class A { f(n) { return n ? this.f(n - 1) : 0; } }"),
    ("typescript", "function f(n: number): number { return n ? f(n - 1) : 0; }"),
    ("c", "int f(int n) { return n ? f(n - 1) : 0; }"),
    ("c", "int *f(int *p) { return p ? f(p - 1) : p; }"),
    ("cpp", "int f(int n) { return n ? f(n - 1) : 0; }"),
    ("cpp", "class A { int f(int n) { return n ? this->f(n - 1) : 0; } };"),
    ("cpp", "int f(int n) { function<int(int)> g = [&](int k) { return k ? g(k - 1) : 0; };"
            " return g(n); }"),
    ("java", "class S { int f(int n) { return n == 0 ? 0 : f(n - 1); } }"),
    ("java", "class S { int f(int n) { return n == 0 ? 0 : this.g(n); }"
             " int g(int n) { return f(n - 1); } }"),
    ("go", "package main\nfunc F(n int) int { if n == 0 { return 0 }; return F(n - 1) }"),
    ("go", "package main\nfunc F(n int) int { var dfs func(int) int\n"
           "dfs = func(i int) int { if i == 0 { return 0 }; return dfs(i - 1) }\n"
           "return dfs(n) }"),
    ("go", "package main\ntype T struct{}\nfunc (t T) F(n int) int { return t.F(n - 1) }"),
    ("rust", "fn f(n: u32) -> u32 { if n == 0 { 0 } else { f(n - 1) } }"),
    ("rust", "struct S;\nimpl S { fn f(&self, n: u32) -> u32 { if n == 0 { 0 } else "
             "{ self.f(n - 1) } } }"),
    ("rust", "struct S;\nimpl S { fn f(n: u32) -> u32 { if n == 0 { 0 } else "
             "{ Self::f(n - 1) } } }"),
]
NOT_RECURSIVE = [
    ("python", "import math\ndef floor(x):\n    return math.floor(x)\n"),
    ("python", "def f(n):\n    return g(n) + 1\n\ndef g(n):\n    return n\n"),
    ("python", "def f(xs):\n    # f(xs) would recurse\n    return 'f(x)'\n"),
    ("javascript", "const max = (a, b) => Math.max(a, b);"),
    ("cpp", "int max(int a, int b) { return std::max(a, b); }"),
    ("java", "class S { int abs(int n) { return Math.abs(n); } }"),
    ("go", 'package main\nimport "strings"\nfunc Fields(s string) []string '
           "{ return strings.Fields(s) }"),
    ("rust", "fn max(a: i32, b: i32) -> i32 { std::cmp::max(a, b) }"),
    ("rust", "fn main(){}\nfn f(v: Vec<i32>) -> usize { v.len() }"),
]


@pytest.mark.parametrize(("language", "code"), RECURSIVE)
def test_no_recursion_finds_direct_and_mutual_recursion(language: str, code: str) -> None:
    assert violations("no-recursion", language, code), code


@pytest.mark.parametrize(("language", "code"), NOT_RECURSIVE)
def test_no_recursion_ignores_library_calls_of_the_same_name(language: str, code: str) -> None:
    assert violations("no-recursion", language, code) == []


def test_no_recursion_messages() -> None:
    code = "def f(n):\n    return g(n)\n\ndef g(n):\n    return f(n - 1)\n"
    found = violations("no-recursion", "python", code)
    assert found[0] == "line 2: mutual recursion `f` -> `g` -> `f`"
    assert violations("no-recursion", "c", "int f(int n) {\n return f(n); }") == [
        "line 2: `f` calls itself"]


# ---------------------------------------------------------------------------- no-builtin-sort

SORTS = [
    ("python", "def f(x):\n    return sorted(x)\n"),
    ("python", "def f(x):\n    x.sort(key=len)\n    return x\n"),
    ("python", "def f(xs):\n    return list(map(sorted, xs))\n"),
    # name-based: a user object's `sort` method is flagged too (it cannot be told apart)
    ("python", "def f(deck):\n    deck.sort()\n"),
    ("javascript", "const f = (xs) => xs.sort((a, b) => a - b);"),
    ("javascript", "const f = (xs) => [...xs].toSorted();"),
    ("javascript", "const f = (xs) => Array.prototype.sort.call(xs);"),
    ("typescript", "const f = (xs: number[]): number[] => xs.sort();"),
    ("c", "void f(int *a, int n) { qsort(a, n, sizeof(int), cmp); }"),
    ("cpp", "void f(vector<int> &v) { sort(v.begin(), v.end()); }"),
    ("cpp", "void f(vector<int> &v) { std::stable_sort(v.begin(), v.end()); }"),
    ("cpp", "void f(vector<int> &v) { std::ranges::sort(v); }"),
    ("cpp", "void f(list<int> &l) { l.sort(); }"),
    ("java", "class S { void f(int[] a) { Arrays.sort(a); } }"),
    ("java", "class S { void f(List<Integer> a) { Collections.sort(a); } }"),
    ("java", "class S { void f(List<Integer> a) { a.sort(null); } }"),
    ("java", "class S { List<Integer> f(List<Integer> a) { return a.stream().sorted()"
             ".collect(Collectors.toList()); } }"),
    ("go", 'package main\nimport "sort"\nfunc F(a []int) { sort.Ints(a) }'),
    ("go", 'package main\nimport "sort"\nfunc F(a []int) { sort.Slice(a, func(i, j int) '
           "bool { return a[i] < a[j] }) }"),
    ("go", 'package main\nimport "sort"\nfunc F(a []int) { sort.IntSlice(a).Sort() }'),
    ("rust", "fn f(mut v: Vec<i32>) -> Vec<i32> { v.sort(); v }"),
    ("rust", "fn f(mut v: Vec<i32>) -> Vec<i32> { v.sort_unstable_by(|a, b| b.cmp(a)); v }"),
    ("rust", "fn f(mut v: Vec<i32>) -> Vec<i32> { v.sort_by_key(|x| -x); v }"),
]
NO_SORTS = [
    ("python", "def f(x):\n    # sorted(x)\n    return 'x.sort()' + str(min(x))\n"),
    ("javascript", "const f = (xs) => { /* xs.sort() */ return 'sort'; };"),
    ("cpp", 'int f(vector<int> v) { string s = "std::sort"; return *max_element(v.begin(), '
            "v.end()); }"),
    ("java", 'class S { String f() { return "Arrays.sort(a)"; } }'),
    ("go", 'package main\nimport "sort"\nfunc F(a []int) int { return sort.SearchInts(a, 3) }'),
    ("rust", "fn f(v: Vec<i32>) -> Option<i32> { v.iter().max().copied() }"),
]


@pytest.mark.parametrize(("language", "code"), SORTS)
def test_no_builtin_sort_finds_library_sorting(language: str, code: str) -> None:
    assert violations("no-builtin-sort", language, code), code


@pytest.mark.parametrize(("language", "code"), NO_SORTS)
def test_no_builtin_sort_ignores_the_rest(language: str, code: str) -> None:
    assert violations("no-builtin-sort", language, code) == []


# ---------------------------------------------------------------------------- imports-only

IMPORTS = [
    # (language, whitelist, code, expected violations (module names or "dynamic"))
    ("python", "math|typing", "import math\nfrom typing import List\n", []),
    ("python", "os", "import os.path\nfrom os import path\n", []),
    ("python", "math", "import math, sys\nfrom collections import Counter\n",
     ["sys", "collections"]),
    ("python", "math", "import mathx\n", ["mathx"]),
    ("python", "", "x = __import__('os')\n", ["dynamic"]),
    ("python", "", "# import os\ns = 'import sys'\n", []),
    ("javascript", "fs", "const fs = require('fs');\nconst p = require('node:fs');", []),
    ("javascript", "fs", "const x = require('child_process');", ["child_process"]),
    ("javascript", "", "const m = require(name);", ["dynamic"]),
    ("javascript", "", "import x from 'lodash';", ["lodash"]),
    ("typescript", "", "import fs = require('fs');", ["fs"]),
    ("c", "stdio.h", "#include <stdio.h>\n#include <stdlib.h>\n", ["stdlib.h"]),
    ("cpp", "vector|string", '#include <vector>\n#include "string"\n', []),
    ("cpp", "vector", "#include <bits/stdc++.h>\n", ["bits/stdc++.h"]),
    ("java", "java.util", "import java.util.*;\nimport java.util.List;\n", []),
    ("java", "java.util", "import java.util.*;\nimport java.io.File;\nimport static "
                          "java.lang.Math.max;\n", ["java.io.File", "java.lang.Math.max"]),
    ("go", "fmt|math", 'package main\nimport (\n"fmt"\nm "math"\n)\n', []),
    ("go", "math", 'package main\nimport (\n"math/rand"\n"strings"\n)\n', ["strings"]),
    ("rust", "std::collections|std::cmp",
     "use std::collections::{HashMap, HashSet};\nuse std::cmp::{max, self};\n", []),
    ("rust", "std::collections", "use std::{collections::HashMap, io::*};\nuse regex::Regex;\n"
                                 "extern crate rand;\nuse crate::helpers::x;\n",
     ["std::io", "regex::Regex", "rand"]),
]


@pytest.mark.parametrize(("language", "whitelist", "code", "expected"), IMPORTS)
def test_imports_only(language: str, whitelist: str, code: str, expected: list[str]) -> None:
    found = violations(f"imports-only:{whitelist}", language, code)
    shown = ["dynamic" if "dynamic" in v else v.split("`")[1] for v in found]
    assert shown == expected


# ---------------------------------------------------------------------------- max-lines


def test_max_lines_counts_code_lines_only() -> None:
    code = ('def f(x):\n    """A docstring\n    over three lines."""\n\n    # a comment\n'
            '    s = """multi\nline"""\n    return x  # trailing comment\n')
    assert code_lines("python", code) == [1, 6, 7, 8]
    assert violations("max-lines:4", "python", code) == []
    assert violations("max-lines:3", "python", code) == [
        "line 8: 4 lines of code, more than 3"]
    java = "class A {\n  /** doc\n   * more */\n  int f() { // hi\n    return 1;\n  }\n}\n"
    assert code_lines("java", java) == [1, 4, 5, 6, 7]
    rust = "// a\nfn f() -> i32 {\n    /* b */\n    1\n}\n"
    assert code_lines("rust", rust) == [2, 4, 5]


@pytest.mark.parametrize("argument", ["", "x", "0", "-3"])
def test_max_lines_rejects_bad_arguments(argument: str) -> None:
    with pytest.raises(ValueError, match="max-lines"):
        violations(f"max-lines:{argument}", "python", "x = 1\n")


# ---------------------------------------------------------------------------- single-function


def test_single_function() -> None:
    assert violations("single-function", "python", "def f():\n    return 1\n") == []
    assert violations("single-function", "python",
                      "def g():\n    return 1\n\ndef f():\n    return g()\n") == [
        "line 1: helper function `g`"]
    assert violations("single-function", "rust", "fn main(){}\nfn f() -> i32 { 1 }") == []
    assert violations("single-function", "javascript",
                      "const h = (x) => x;\nconst f = (x) => h(x);") == [
        "line 1: helper function `h`"]


# ---------------------------------------------------------------------------- verdicts


def test_constraint_verdict_fails_a_breaking_solution_and_ignores_prose() -> None:
    ok = problem("python", "def f(x):\n    return x\n", ["0 <= x <= 10^9", "no-loops"])
    assert constraint_verdict(ok, REGISTRY) is None
    bad = problem("python", "def f(x):\n    return [v for v in x]\n",
                  ["low <= high", "no-loops"])
    verdict = constraint_verdict(bad, REGISTRY)
    assert verdict is not None and verdict.status is Status.FAILED
    assert verdict.reason == "constraint `no-loops` violated: line 2: list comprehension"
    assert verdict.failed_test == "constraint no-loops"
    wrong = problem("python", "x = 1\n", ["max-lines:many"])
    verdict = constraint_verdict(wrong, REGISTRY)
    assert verdict is not None and verdict.status is Status.ERROR


def test_checkers_accept_language_aliases() -> None:
    assert violations("no-loops", "py", "for x in y: pass\n")
    assert violations("no-loops", "golang", "package main\nfunc f() { for {} }")
    assert constraint_verdict(problem("rs", "fn f() { loop {} }", ["no-loops"]),
                              REGISTRY) is not None


def test_plugin_registers_the_mutator_and_the_checkers(plugins: Plugins) -> None:
    assert plugins.mutators.get("constrain").version == MUTATOR.version
    for checker in BUILTIN:
        assert plugins.constraints.get(checker.name) is not None
        assert plugins.constraints.owner(checker.name) == "constrain"


# ---------------------------------------------------------------------------- prompts

HUMANEVAL_PROMPT = (
    "from typing import List\n\n\ndef f(xs: List[int]) -> int:\n"
    '    """ Return the largest element.\n    >>> f([1, 2])\n    2\n    """\n')
HUMANEVAL_SOLUTION = HUMANEVAL_PROMPT + "    return max(xs)\n"


def test_humaneval_python_prompt_gets_the_sentence_in_its_docstring() -> None:
    new, old, _, where = add_sentence(HUMANEVAL_PROMPT, "python", "f", "Do not use any loop.")
    assert where == "docstring"
    assert new == HUMANEVAL_PROMPT.replace(
        "element.\n", "element.\n    Do not use any loop.\n")
    assert old.startswith('""" Return')
    # still code, and the sentence is inside the docstring, before the examples
    assert not syntax.has_errors(syntax.parse("python", new))


def test_cpp_block_comment_java_javadoc_go_line_comments() -> None:
    cpp = "/*\nSum it.\n>>> f({1})\n1\n*/\n#include<vector>\nint f(vector<int> v){\n"
    new, *_ = add_sentence(cpp, "cpp", "f", "No loops.")
    assert new.startswith("/*\nSum it.\nNo loops.\n>>> f({1})")
    java = ("class Solution {\n    /**\n    Sum it.\n    Example:\n    f(1) == 1\n     */\n"
            "    public int f(int x) {\n")
    new, *_ = add_sentence(java, "java", "f", "No loops.")
    assert "    Sum it.\n    No loops.\n    Example:\n" in new
    go = "// Sum it.\n// more.\nfunc F(x int) int {\n"
    new, *_ = add_sentence(go, "go", "F", "No loops.")
    assert new == "// Sum it.\n// more.\n// No loops.\nfunc F(x int) int {\n"
    js = "/* Sum it. */\nconst f = (x) => {\n"
    new, *_ = add_sentence(js, "javascript", "f", "No loops.")
    assert new == "/* Sum it. No loops. */\nconst f = (x) => {\n"


def test_text_prompt_gets_a_paragraph_and_bare_code_a_comment() -> None:
    new, old, _, where = add_sentence("Write f.\n", "python", "f", "No loops.")
    assert (new, old, where) == ("Write f.\n\nNo loops.\n", "", "appended")
    new, *_ = add_sentence("int f(int x) {\n", "cpp", "f", "No loops.")
    assert new == "// No loops.\nint f(int x) {\n"


def test_url_in_a_text_prompt_is_not_a_comment() -> None:
    prompt = "See http://example.com for f.\nReturn x."
    new, *_ = add_sentence(prompt, "cpp", "f", "No loops.")
    assert new == prompt + "\n\nNo loops."


# ---------------------------------------------------------------------------- the mutator


def variants(p: Problem, seed: int = 0, **params: object) -> list[Variant | Skipped]:
    return list(MUTATOR.mutate(p, build_params(MUTATOR, params), random.Random(seed)))


def test_variants_carry_a_distinct_satisfied_constraint_each() -> None:
    p = problem("python", HUMANEVAL_SOLUTION, prompt=HUMANEVAL_PROMPT)
    out = variants(p, count=4)
    assert len(out) == 4 and all(isinstance(v, Variant) for v in out)
    names = [v.problem.constraints[-1].split(":")[0] for v in out]  # type: ignore[union-attr]
    assert len(set(names)) == 4
    for v in out:
        assert isinstance(v, Variant)
        assert constraint_verdict(v.problem, REGISTRY) is None
        assert v.label == v.problem.constraints[-1]
        sentence = next(c for c in BUILTIN if c.name == v.label.split(":")[0]).describe(
            v.label.partition(":")[2] or None, "python")
        assert sentence in v.problem.prompt
        # the reference contained the prompt: it carries the same docstring edit
        assert v.problem.solution.startswith(v.problem.prompt)


def test_deterministic_for_a_seed() -> None:
    for seed in SEEDS:
        a = [msgspec.json.encode(v.problem) for v in variants(seed, 7)
             if isinstance(v, Variant)]
        b = [msgspec.json.encode(v.problem) for v in variants(seed, 7)
             if isinstance(v, Variant)]
        assert a == b and a


def test_forced_constraint_the_reference_breaks_drops_the_reference() -> None:
    p = problem("python", "def f(x):\n    return sorted(x)\n")
    [v] = variants(p, constraint="no-builtin-sort")
    assert isinstance(v, Variant)
    assert v.problem.solution == "" and v.problem.constraints == ["no-builtin-sort"]
    assert v.details["reference_dropped"] == ["line 2: `sorted`"]
    [v] = variants(p, constraint="max-lines", argument="5")
    assert isinstance(v, Variant) and v.problem.solution == p.solution
    assert v.problem.constraints == ["max-lines:5"]
    assert "at most 5 lines" in v.problem.prompt


def test_bad_params_are_rejected() -> None:
    with pytest.raises(MutatorSpecError, match="unknown constraint"):
        build_params(MUTATOR, {"constraint": "no-fun"})
    with pytest.raises(MutatorSpecError, match="needs `constraint`"):
        build_params(MUTATOR, {"argument": "3"})
    with pytest.raises(MutatorSpecError, match="takes no argument"):
        build_params(MUTATOR, {"constraint": "no-loops", "argument": "3"})


def test_skips_without_reference_or_when_nothing_fits() -> None:
    [s] = variants(problem("python", ""))
    assert isinstance(s, Skipped)
    p = problem("python", "def f(x):\n    return f(x)\n",
                ["no-loops", "no-builtin-sort", "imports-only", "max-lines:9",
                 "single-function"])
    [s] = variants(p)
    assert isinstance(s, Skipped) and "none" in s.reason


def test_io_and_calls_seeds_get_variants_whose_reference_satisfies_them() -> None:
    for seed in SEEDS:
        out = variants(seed, 3)
        assert out and all(isinstance(v, Variant) for v in out), seed.id
        for v in out:
            assert constraint_verdict(v.problem, REGISTRY) is None  # type: ignore[union-attr]


# A solution built from blocks, each breaking some constraints: the mutator must never
# pick one of those.
BLOCKS: dict[str, tuple[str, set[str]]] = {
    "loop": ("    for v in x:\n        pass\n", {"no-loops"}),
    "comprehension": ("    y = [v for v in x]\n", {"no-loops"}),
    "sort": ("    x = sorted(x)\n", {"no-builtin-sort"}),
    "method_sort": ("    x.sort()\n", {"no-builtin-sort"}),
    "recursion": ("    if not x:\n        return 0\n    f(x[1:])\n", {"no-recursion"}),
    "helper": ("    h(x)\n", {"single-function"}),
    "import": ("    import math\n", set()),
    "string": ("    s = 'for v in x: sorted(x)'  # while True\n", set()),
}


@given(blocks=st.lists(st.sampled_from(sorted(BLOCKS)), max_size=6),
       seed=st.integers(0, 2**32 - 1), count=st.integers(1, 6))
def test_never_emits_a_constraint_its_reference_violates(blocks: list[str], seed: int,
                                                         count: int) -> None:
    body = "".join(BLOCKS[b][0] for b in blocks) + "    return 0\n"
    solution = "def f(x):\n" + body
    if "helper" in blocks:
        solution = "def h(x):\n    return x\n\n\n" + solution
    p = Problem(id="p", language="python", prompt="Write f.", entry_point="f",
                tests=CallsTests(cases=[CallCase(args=[[]], expected=0)]),
                solution=solution)
    broken = set().union(*(BLOCKS[b][1] for b in blocks))
    out = list(MUTATOR.mutate(p, ConstrainParams(count=count), random.Random(seed)))
    made = [v for v in out if isinstance(v, Variant)]
    assert len(made) <= count
    names = [v.problem.constraints[-1].split(":")[0] for v in made]
    assert len(names) == len(set(names))
    for v in made:
        assert v.problem.solution, "a picked constraint keeps the reference"
        assert not broken & set(names)
        assert constraint_verdict(v.problem, REGISTRY) is None


def test_humaneval_x_variants_keep_their_references_valid(datasets: Path) -> None:
    """Every language's first 40 HumanEval-X problems: each variant's reference
    satisfies its constraint, and a code prompt still parses as before around it."""
    from codeaug_plugins.humaneval_x_format import HumanEvalXFormat

    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if isinstance(r, Problem) and int(r.id.split("/")[1]) < 40]
    assert len(records) == 240
    for i, record in enumerate(records):
        out = variants(record, i, count=3)
        assert len(out) == 3, (record.id, out)
        for v in out:
            assert isinstance(v, Variant)
            assert constraint_verdict(v.problem, REGISTRY) is None, (record.id, v.label)
            assert v.problem.prompt != record.prompt
            assert v.problem.solution
            grammar = {"javascript": "javascript"}.get(record.language, record.language)
            before = syntax.has_errors(syntax.parse(grammar, record.solution))
            assert syntax.has_errors(syntax.parse(grammar, v.problem.solution)) == before


def test_json_round_trip_of_a_variant() -> None:
    [v, *_] = variants(SEEDS[0], 1)
    assert isinstance(v, Variant)
    again = decode_problem(msgspec.json.encode(v.problem))
    assert again.constraints == v.problem.constraints
    assert json.loads(msgspec.json.encode(v.problem))["constraints"][-1] == v.label
