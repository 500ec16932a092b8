"""The rename mutator without Docker: scope-aware rewrites (shadowed bindings, attributes,
keyword arguments of other calls, strings, qualified names, Java receivers, Go `:=`,
Rust `let` shadowing), conservative prose, fresh names, determinism, and the property
that renaming then inverting gives back the original text exactly, over the seeds and
HumanEval-X in all six languages."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.rename_mutator import (
    GRAMMARS,
    RESERVED,
    Rename,
    RenameParams,
    Renaming,
    apply_renaming,
    invert,
    rename_prose,
    split_words,
    unrenamable,
    words_of,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codeaug import syntax
from codeaug.errors import RecordError
from codeaug.mutator import MutatorSpecError, Skipped, Variant, build_params
from codeaug.plugins import Plugins
from codeaug.record import CallsTests, CodeTests, Param, Problem, Signature, decode_problem

ROOT = Path(__file__).resolve().parents[2]
MUTATOR = Rename()
LANGUAGES = ("python", "cpp", "java", "javascript", "go", "rust")


def _seeds() -> list[Problem]:
    lines = (ROOT / "examples" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return [decode_problem(line.encode()) for line in lines if line.strip()]


SEEDS = _seeds()


@pytest.fixture(scope="module")
def humaneval_x(datasets: Path) -> dict[str, list[Problem]]:
    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if not isinstance(r, RecordError)]
    by_language: dict[str, list[Problem]] = {lang: [] for lang in LANGUAGES}
    for r in records:
        by_language[r.language].append(r)
    assert all(len(v) == 164 for v in by_language.values())
    return by_language


def code_problem(language: str, solution: str, test: str, entry: str,
                 params: list[str], prompt: str = "Solve it.") -> Problem:
    return Problem(id="t/1", language=language, prompt=prompt, tests=CodeTests(code=test),
                   entry_point=entry, solution=solution,
                   signature=Signature(params=[Param(name=p) for p in params]))


def variants(problem: Problem, params: RenameParams, seed: int) -> list[Variant]:
    out = list(MUTATOR.mutate(problem, params, random.Random(seed)))
    found = [v for v in out if isinstance(v, Variant)]
    assert found or (len(out) == 1 and isinstance(out[0], Skipped)), out
    return found


def check_variant(original: Problem, variant: Variant) -> None:
    """What must hold of every variant."""
    renamed = variant.problem
    details = variant.details
    assert invert(renamed, details) == original
    grammar = GRAMMARS[original.language]
    old_words = words_of(original.prompt, original.solution,
                         original.tests.code if isinstance(original.tests, CodeTests) else "")
    new_names = list(details.get("params", {}).values())
    if "entry_point" in details:
        assert details["entry_point"]["old"] == original.entry_point
        assert renamed.entry_point == details["entry_point"]["new"]
        new_names.append(renamed.entry_point)
        assert renamed.entry_point in words_of(renamed.solution)
    assert len(set(new_names)) == len(new_names)
    for name in new_names:
        assert name.isidentifier() and name not in RESERVED and name not in old_words
    for old, new in details.get("params", {}).items():
        names = [p.name for p in renamed.signature.params]
        assert old not in names or new in names
    if not syntax.has_errors(syntax.parse(grammar, original.solution)):
        assert not syntax.has_errors(syntax.parse(grammar, renamed.solution))
    if original.prompt in original.solution:
        assert renamed.prompt in renamed.solution
    assert renamed.tests.__class__ is original.tests.__class__
    if isinstance(original.tests, CallsTests):
        assert renamed.tests == original.tests


# ------------------------------------------------------------------ scopes

PY_SOLUTION = '''\
def helper(longest):
    return longest + 1


def longest(strings, key=None):
    """Return the longest of `strings`, first one on ties.
    >>> longest(['a', 'strings'])
    'strings'
    """
    obj.strings = 1
    f(strings=strings)
    g = lambda strings: strings
    msg = "strings and longest"
    best = [s for s in strings]  # the strings, again
    if key:
        return longest(strings=strings[1:])
    return max(strings, key=len) if strings else None
'''
PY_TEST = 'def check(longest):\n    assert longest(["a"]) == "a"\n\n\ncheck(longest)\n'


def test_python_renames_references_and_leaves_other_bindings_alone() -> None:
    problem = code_problem("python", PY_SOLUTION, PY_TEST, "longest", ["strings", "key"],
                           prompt=PY_SOLUTION.split("    obj")[0])
    out = apply_renaming(problem, Renaming("longest", "pick_best", {"strings": "texts"}))
    solution = out.solution
    assert "def helper(longest):\n    return longest + 1" in solution  # its own parameter
    assert "def pick_best(texts, key=None):" in solution
    assert "Return the longest of `texts`" in solution  # prose: plain word kept, code span
    assert ">>> pick_best(['a', 'strings'])" in solution  # doctest; quoted text kept
    assert "obj.strings = 1" in solution  # attribute
    assert "f(strings=texts)" in solution  # keyword of another function
    assert "lambda strings: strings" in solution  # a binding of its own
    assert '"strings and longest"' in solution  # strings untouched
    assert "[s for s in texts]  # the strings, again" in solution
    assert "return pick_best(texts=texts[1:])" in solution  # keyword of the entry point
    assert "max(texts, key=len)" in solution
    assert out.tests == CodeTests(code=PY_TEST.replace("check(longest)\n", "check(pick_best)\n"))
    assert out.prompt == solution.split("    obj")[0]
    assert out.signature.params[0].name == "texts" and out.signature.params[1].name == "key"
    assert invert(out, {"entry_point": {"old": "longest", "new": "pick_best"},
                        "params": {"strings": "texts"}}) == problem


def test_javascript_block_scoped_shadow_and_shorthand() -> None:
    solution = ("const total = (xs, n) => {\n  let s = 0;\n  for (const x of xs) { s += x; }\n"
                "  { let n = 5; s += n; }\n  return s + n + obj.n;\n}\n")
    problem = code_problem("javascript", solution, "console.assert(total([1], 2) === 8)\n",
                           "total", ["xs", "n"])
    out = apply_renaming(problem, Renaming("total", "sumAll", {"n": "count", "xs": "items"}))
    assert "const sumAll = (items, count) => {" in out.solution
    assert "{ let n = 5; s += n; }" in out.solution
    assert "return s + count + obj.n;" in out.solution
    assert out.tests.code == "console.assert(sumAll([1], 2) === 8)\n"
    assert unrenamable("javascript", "const f = (xs) => { return {xs}; }\n") == {"xs"}
    shorthand = code_problem("javascript", "const f = (xs, k) => ({xs, k: k + 1});\n",
                             "f([], 1)\n", "f", ["xs", "k"])
    for variant in variants(shorthand, RenameParams(count=3), 1):
        assert "xs" not in variant.details.get("params", {})
        assert "k" in variant.details["params"]
        check_variant(shorthand, variant)


def test_rust_let_shadowing_and_format_captures() -> None:
    solution = ("fn main(){}\nfn f(s: &str) -> usize {\n    let n = s.len();\n"
                "    let s = s.trim();\n    s.len() + n\n}\n")
    problem = code_problem("rust", solution, "#[test]\nfn t() { assert!(f(\" a\") == 3); }\n",
                           "f", ["s"])
    out = apply_renaming(problem, Renaming("f", "measure", {"s": "text"}))
    assert ("fn measure(text: &str) -> usize {\n    let n = text.len();\n"
            "    let s = text.trim();\n    s.len() + n\n}") in out.solution
    assert "assert!(measure(\" a\") == 3)" in out.tests.code
    assert "s" in unrenamable("rust", 'fn f(s: i32) { println!("{s}"); }')
    assert "s" in unrenamable("rust", 'fn f(s: i32) { println!("{s:>4}"); }')
    assert "s" in unrenamable("rust", "fn f(s: i32) -> P { P { s } }")


def test_java_entry_point_is_a_method_of_its_class_only() -> None:
    solution = ("import java.util.*;\nclass Solution {\n    public int add(int x, int y) {\n"
                "        List<Integer> add = new ArrayList<>();\n        add.add(x);\n"
                "        return x + y + this.x;\n    }\n}\n")
    test = ("public class Main {\n    public static void main(String[] a) {\n"
            "        Solution s = new Solution();\n"
            "        List<Integer> list = new ArrayList<>();\n"
            "        list.add(s.add(1, 2));\n        new Solution().add(3, 4);\n    }\n}\n")
    problem = code_problem("java", solution, test, "add", ["x", "y"])
    out = apply_renaming(problem, Renaming("add", "combineValues", {"x": "first"}))
    assert "public int combineValues(int first, int y)" in out.solution
    assert "List<Integer> add = new ArrayList<>();\n        add.add(first);" in out.solution
    assert "return first + y + this.x;" in out.solution
    assert "list.add(s.combineValues(1, 2));" in out.tests.code
    assert "new Solution().combineValues(3, 4);" in out.tests.code


def test_go_inner_block_shadows_but_body_redeclaration_assigns() -> None:
    solution = ("package main\n\nfunc F(x int) int {\n    if true {\n        x := 2\n"
                "        _ = x\n    }\n    x, y := x+1, 2\n    return x + y\n}\n")
    problem = code_problem("go", solution, "func TestF(t *testing.T) { F(1) }\n", "F", ["x"])
    out = apply_renaming(problem, Renaming("F", "Compute", {"x": "value"}))
    assert "func Compute(value int) int {" in out.solution
    assert "        x := 2\n        _ = x\n" in out.solution
    assert "    value, y := value+1, 2\n    return value + y\n" in out.solution
    assert out.tests.code == "func TestF(t *testing.T) { Compute(1) }\n"


def test_cpp_qualified_names_and_fields_are_not_the_entry_point() -> None:
    solution = ("#include<bits/stdc++.h>\nusing namespace std;\n"
                "int count(vector<int> v){\n    struct P { int v; } p{1};\n"
                "    return std::count(v.begin(), v.end(), 1) + p.v;\n}\n")
    problem = code_problem("cpp", solution, "int main(){ assert(count({1}) == 2); }\n",
                           "count", ["v"])
    out = apply_renaming(problem, Renaming("count", "tally_ones", {"v": "values"}))
    assert "int tally_ones(vector<int> values){" in out.solution
    assert "std::count(values.begin(), values.end(), 1) + p.v;" in out.solution
    assert "struct P { int v; }" in out.solution
    assert "assert(tally_ones({1}) == 2)" in out.tests.code


# ------------------------------------------------------------------ prose


def test_prose_is_conservative() -> None:
    text = ("Return the longest string; call longest(xs) or `longest`.\n"
            "The list xs may be empty; see `xs`.\n>>> longest(['xs'])\n"
            "// >>> has_close(xs, 'a')\nhas_close is plain here too.\n")
    out = rename_prose(text, ("longest", "pick"), {"xs": "items"}, "longest")
    assert out.startswith("Return the longest string; call pick(items) or `pick`.\n")
    assert "The list xs may be empty; see `items`." in out
    assert ">>> pick(['xs'])" in out
    out = rename_prose(text, ("has_close", "near"), {"xs": "items"}, "has_close")
    assert "// >>> near(items, 'a')\nnear is plain here too." in out  # identifier-like name


def test_split_words() -> None:
    assert split_words("has_close_elements") == ["has", "close", "elements"]
    assert split_words("hasCloseElements") == ["has", "close", "elements"]
    assert split_words("HasCloseElements") == ["has", "close", "elements"]
    assert split_words("parseHTTPHeader2") == ["parse", "http", "header", "2"]


# ------------------------------------------------------------------ the mutator


def test_registered_with_documented_parameters(plugins: Plugins) -> None:
    mutator = plugins.mutators.get("rename")
    assert isinstance(mutator, Rename) and mutator.summary
    params = build_params(mutator, {"style": "camel", "count": "2", "what": "params"})
    assert params == RenameParams(what="params", style="camel", count=2)
    with pytest.raises(MutatorSpecError):
        build_params(mutator, {"style": "kebab"})
    with pytest.raises(MutatorSpecError):
        build_params(mutator, {"count": "0"})


def test_seeds_give_count_distinct_variants_and_io_is_skipped() -> None:
    for seed in SEEDS:
        out = list(MUTATOR.mutate(seed, RenameParams(count=4), random.Random(0)))
        if seed.tests.__class__.__name__ == "IoTests":
            assert len(out) == 1 and isinstance(out[0], Skipped)
            continue
        assert len(out) == 4 and all(isinstance(v, Variant) for v in out), seed.id
        assert len({v.label for v in out}) == 4
        assert len({v.problem.solution for v in out}) == 4
        for v in out:
            check_variant(seed, v)


def test_what_selects_what_is_renamed() -> None:
    seed = next(s for s in SEEDS if s.id == "examples/clamped-sum")
    [entry] = variants(seed, RenameParams(what="entry", count=1), 3)
    assert set(entry.details) == {"entry_point"}
    assert [p.name for p in entry.problem.signature.params] == ["values", "low", "high"]
    [params] = variants(seed, RenameParams(what="params", count=1), 3)
    assert set(params.details) == {"params"} and params.problem.entry_point == "clamped_sum"
    assert set(params.details["params"]) == {"values", "low", "high"}


@pytest.mark.parametrize("style,check", [
    ("snake", lambda n: n.islower() and "_" in n),
    ("camel", lambda n: n[0].islower() and any(c.isupper() for c in n) and "_" not in n),
    ("pascal", lambda n: n[0].isupper() and "_" not in n),
])
def test_case_styles(style: str, check: object) -> None:
    seed = next(s for s in SEEDS if s.id == "examples/merge-inventory")
    for v in variants(seed, RenameParams(style=style, count=3), 5):  # type: ignore[arg-type]
        names = [v.problem.entry_point, *v.details["params"].values()]
        assert all(check(n) for n in names), names  # type: ignore[operator]


def test_deterministic_for_a_seed() -> None:
    for seed in SEEDS[:13] + SEEDS[16:]:
        a = variants(seed, RenameParams(count=3), 42)
        b = variants(seed, RenameParams(count=3), 42)
        assert [(v.problem, v.label, v.details) for v in a] == [
            (v.problem, v.label, v.details) for v in b]
    seed = SEEDS[0]
    assert len({variants(seed, RenameParams(count=1), s)[0].label for s in range(8)}) > 1


def test_skips_what_it_cannot_rename() -> None:
    seed = next(s for s in SEEDS if s.id == "examples/chunked")
    [out] = MUTATOR.mutate(Problem(
        id="x", language="python", prompt="p", tests=seed.tests, entry_point="nothere",
        solution=seed.solution), RenameParams(), random.Random(0))
    assert isinstance(out, Skipped) and "does not define" in out.reason
    [out] = MUTATOR.mutate(Problem(id="x", language="lua", prompt="p", tests=seed.tests,
                                   entry_point="f", solution="function f() end"),
                           RenameParams(), random.Random(0))
    assert isinstance(out, Skipped)


# ------------------------------------------------------------------ properties

STYLES = ("auto", "snake", "camel", "pascal", "descriptive-synonym", "random-word")
params_strategy = st.builds(RenameParams, what=st.sampled_from(("entry", "params", "both")),
                            style=st.sampled_from(STYLES), count=st.integers(1, 4))
RENAMABLE_SEEDS = [s for s in SEEDS if s.entry_point]


@given(st.sampled_from(RENAMABLE_SEEDS), params_strategy, st.integers(0, 2**32))
def test_rename_then_invert_is_identity_on_seeds(seed: Problem, params: RenameParams,
                                                 rng_seed: int) -> None:
    for v in variants(seed, params, rng_seed):
        check_variant(seed, v)


@pytest.mark.datasets
@pytest.mark.parametrize("language", LANGUAGES)
def test_rename_then_invert_is_identity_on_humaneval_x(
        humaneval_x: dict[str, list[Problem]], language: str) -> None:
    records = humaneval_x[language]

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=40)
    @given(st.sampled_from(records), params_strategy, st.integers(0, 2**32))
    def prop(record: Problem, params: RenameParams, rng_seed: int) -> None:
        found = variants(record, params, rng_seed)
        assert found, record.id
        for v in found:
            check_variant(record, v)

    prop()


@pytest.mark.datasets
def test_every_humaneval_x_record_gets_three_variants(
        humaneval_x: dict[str, list[Problem]]) -> None:
    for language, records in humaneval_x.items():
        for record in records:
            found = variants(record, RenameParams(count=3), 11)
            assert len(found) == 3, (language, record.id)
            for v in found:
                check_variant(record, v)


def test_keyword_arguments_of_the_entry_point_follow_in_the_tests() -> None:
    solution = "def scale(values, factor=2):\n    return [v * factor for v in values]\n"
    test = "assert scale([1], factor=3) == [3]\nassert dict(factor=1)\n"
    problem = code_problem("python", solution, test, "scale", ["values", "factor"])
    out = apply_renaming(problem, Renaming("scale", None, {"factor": "ratio"}))
    assert out.tests.code == "assert scale([1], ratio=3) == [3]\nassert dict(factor=1)\n"
    out = apply_renaming(problem, Renaming("scale", "stretch", {"factor": "ratio"}))
    assert out.tests.code.startswith("assert stretch([1], ratio=3) == [3]\n")


def test_java_static_call_through_the_class() -> None:
    solution = "class Solution {\n    public static int twice(int n) { return 2 * n; }\n}\n"
    test = "class Main { void m() { Solution.twice(2); Other.twice(3); } }\n"
    problem = code_problem("java", solution, test, "twice", ["n"])
    out = apply_renaming(problem, Renaming("twice", "doubled", {"n": "k"}))
    assert "public static int doubled(int k) { return 2 * k; }" in out.solution
    assert "Solution.doubled(2); Other.twice(3);" in out.tests.code


def test_typescript_and_c_where_cheap() -> None:
    ts_solution = ("function total(xs: number[], n?: number): number {\n"
                   "  const f = (n: number) => n;\n  return xs.length + (n ?? 0) + f(1);\n}\n")
    problem = code_problem("typescript", ts_solution, "console.assert(total([1]) === 2);\n",
                           "total", ["xs", "n"])
    out = apply_renaming(problem, Renaming("total", "sumUp", {"n": "extra", "xs": "items"}))
    assert "function sumUp(items: number[], extra?: number): number {" in out.solution
    assert "const f = (n: number) => n;" in out.solution
    assert "return items.length + (extra ?? 0) + f(1);" in out.solution
    assert out.tests.code == "console.assert(sumUp([1]) === 2);\n"
    c_solution = ("int add(int a, int *b) {\n    { int a = 1; (void)a; }\n"
                  "    return a + *b;\n}\n")
    problem = code_problem("c", c_solution, "int main(void){ int x = 1; return add(0, &x) - 1; }\n",
                           "add", ["a", "b"])
    out = apply_renaming(problem, Renaming("add", "plus_one", {"a": "left", "b": "right"}))
    assert out.solution == ("int plus_one(int left, int *right) {\n    { int a = 1; (void)a; }\n"
                            "    return left + *right;\n}\n")
    assert "return plus_one(0, &x) - 1;" in out.tests.code


@pytest.mark.parametrize("language,solution,sep", [
    ("java", "class Solution {\n    public int twice(int n) { return 2 * n; }\n}\n", False),
    ("go", "package main\n\nfunc twice(n int) int { return 2 * n }\n", False),
    ("rust", "fn twice(n: i32) -> i32 { 2 * n }\n", True),
])
def test_one_word_names_grow_in_the_language_case(language: str, solution: str,
                                                  sep: bool) -> None:
    problem = code_problem(language, solution, "twice(1)\n", "twice", ["n"])
    for v in variants(problem, RenameParams(style="descriptive-synonym", count=3), 2):
        new = v.details["params"]["n"]
        assert ("_" in new) == sep, new
        check_variant(problem, v)


@given(st.sampled_from(RENAMABLE_SEEDS), params_strategy, params_strategy,
       st.integers(0, 2**32))
def test_chained_renames_invert_step_by_step(seed: Problem, first: RenameParams,
                                             second: RenameParams, rng_seed: int) -> None:
    for v1 in variants(seed, first, rng_seed):
        for v2 in variants(v1.problem, second, rng_seed + 1):
            assert invert(invert(v2.problem, v2.details), v1.details) == seed
