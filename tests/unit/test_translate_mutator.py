"""translate mutator: prompts per language, stubs, skip reasons, HumanEval-X declarations
and their parameter types, determinism (no Docker)."""

from __future__ import annotations

import random
import re

import msgspec
import pytest
from codeaug_plugins import cpp_language, go_language, java_language, rust_language
from codeaug_plugins.translate_mutator import (
    TARGETS,
    TranslateMutator,
    declared_params,
    entry_name,
    python_docstring,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from codeaug.mutator import Skipped, Variant, build_params
from codeaug.plugins import get_plugins
from codeaug.record import Problem, decode_problem, encode_problem
from codeaug.typesys import parse_type

HE0_PROMPT = '''from typing import List


def has_close_elements(numbers: List[float], threshold: float) -> bool:
    """ Check if in given list of numbers, are any two numbers closer to each other than
    given threshold.
    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)
    False
    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)
    True
    """
'''

HE12_PROMPT = '''from typing import List, Optional


def longest(strings: List[str]) -> Optional[str]:
    """ Out of list of strings, return the longest one. Return None in case the input list
    is empty.
    >>> longest(['a', 'bb', 'ccc'])
    'ccc'
    """
'''


def problem(prompt: str, entry: str, params: list[tuple[str, str]], returns: str,
            cases: list[tuple[list[object], object]], meta: dict | None = None) -> Problem:
    return msgspec.convert({
        "id": f"t/{entry}", "language": "python", "prompt": prompt, "entry_point": entry,
        "signature": {"params": [{"name": n, "type": t} for n, t in params],
                      "returns": returns},
        "tests": {"kind": "calls", "cases": [{"args": a, "expected": e} for a, e in cases]},
        "solution": "def x(): pass\n", "meta": meta or {}}, Problem)


HE0 = problem(HE0_PROMPT, "has_close_elements",
              [("numbers", "list[float]"), ("threshold", "float")], "bool",
              [([[1.0, 2.0, 3.9], 0.3], True)])
HE12 = problem(HE12_PROMPT, "longest", [("strings", "list[str]")], "optional[str]",
               [([["a", "bb"]], "bb"), ([[]], None)])


def run(p: Problem, languages: str | None = None, seed: int = 0) -> list[Variant | Skipped]:
    mutator = TranslateMutator()
    params = build_params(mutator, {} if languages is None else {"languages": languages})
    return list(mutator.mutate(p, params, random.Random(seed)))


def by_language(outs: list[Variant | Skipped]) -> dict[str, Problem]:
    return {o.problem.language: o.problem for o in outs if isinstance(o, Variant)}


def test_registered_and_targets_all_seven() -> None:
    assert "translate" in get_plugins().mutators
    variants = by_language(run(HE0))
    assert sorted(variants) == sorted(TARGETS)
    for lang, v in variants.items():
        assert v.solution == ""
        assert v.tests == HE0.tests and v.signature == HE0.signature
        assert v.language == lang


@pytest.mark.parametrize(("lang", "entry", "comment", "stub", "example"), [
    ("javascript", "hasCloseElements", "/**\n * Check if in given array of numbers",
     "function hasCloseElements(numbers, threshold) {\n",
     " * hasCloseElements([1.0, 2.0, 3.0], 0.5)\n * => false\n"),
    ("typescript", "hasCloseElements", "/**\n",
     "function hasCloseElements(numbers: number[], threshold: number): boolean {\n",
     "=> true\n"),
    ("cpp", "has_close_elements", " * Check if in given vector of numbers",
     "bool has_close_elements(std::vector<double> numbers, double threshold) {\n",
     "has_close_elements(std::vector<double>{1.0, 2.0, 3.0}, 0.5)\n * => false"),
    ("java", "hasCloseElements", " * Check if in given list of numbers",
     "class Solution {\n    public boolean hasCloseElements(List<Double> numbers, "
     "double threshold) {\n", "=> false"),
    ("go", "HasCloseElements", "// Check if in given slice of numbers",
     "package main\n\nfunc HasCloseElements(numbers []float64, threshold float64) bool {\n",
     "// HasCloseElements([]float64{1.0, 2.0, 3.0}, 0.5)\n// => false\n"),
    ("rust", "has_close_elements", "/// Check if in given vector of numbers",
     "fn has_close_elements(numbers: Vec<f64>, threshold: f64) -> bool {\n",
     "/// has_close_elements(vec![1.0f64, 2.0f64, 3.0f64], 0.5f64)\n/// => false\n"),
    ("c", "has_close_elements", " * Check if in given array of numbers",
     "bool has_close_elements(double* numbers, size_t numbers_len, double threshold) {\n",
     "(double[]){1.0, 2.0, 3.0}"),
])
def test_prompt_per_language(lang: str, entry: str, comment: str, stub: str,
                             example: str) -> None:
    v = by_language(run(HE0, lang))[lang]
    assert v.entry_point == entry
    assert comment in v.prompt
    assert v.prompt.endswith(stub)
    assert example in v.prompt
    assert ">>>" not in v.prompt and "False" not in v.prompt and "True" not in v.prompt
    assert '"""' not in v.prompt


def test_python_words_reworded_and_one_word_entry_kept_in_prose() -> None:
    variants = by_language(run(HE12))
    assert "Return null in case the input array" in variants["javascript"].prompt
    assert "Return nil in case the input slice" in variants["go"].prompt
    assert "Return std::nullopt in case the input vector" in variants["cpp"].prompt
    assert "Return Optional.empty() in case" in variants["java"].prompt
    # "longest" is the entry point and an English word: prose keeps it, calls rename it.
    go = variants["go"].prompt
    assert "return the longest one" in go
    assert '// Longest([]string{"a", "bb", "ccc"})\n// => "ccc"' in go
    assert '/// => String::from("ccc")' in variants["rust"].prompt  # not Some(...)


def test_unparsable_example_kept_as_text() -> None:
    prompt = HE0_PROMPT.replace("has_close_elements([1.0, 2.0, 3.0], 0.5)",
                                "has_close_elements(list(range(3)), 0.5)")
    p = msgspec.structs.replace(HE0, prompt=prompt)
    js = by_language(run(p, "javascript"))["javascript"].prompt
    assert " * hasCloseElements(list(range(3)), 0.5)\n * => false" in js


def test_c_skips_with_reason_and_others_translate() -> None:
    outs = run(HE12)
    skips = [o for o in outs if isinstance(o, Skipped)]
    assert len(skips) == 1 and skips[0].record
    assert skips[0].reason.startswith("untranslatable: c: c cannot express optional[str]")
    assert sorted(by_language(outs)) == sorted(set(TARGETS) - {"c"})


def test_any_is_skipped_where_inexpressible() -> None:
    p = problem('def f(xs):\n    """Keep ints."""\n', "f", [("xs", "list[any]")],
                "list[int]", [([[1, "a"]], [1])])
    outs = run(p)
    assert sorted(by_language(outs)) == ["java", "javascript", "typescript"]
    reason = next(o for o in outs if isinstance(o, Skipped)).reason
    for lang in ("cpp", "go", "rust", "c"):
        assert f"{lang}: {lang} cannot express" in reason


def test_test_value_outside_the_target_is_a_skip() -> None:
    p = problem('def f(n: int) -> int:\n    """Twice n."""\n', "f", [("n", "int")], "int",
                [([2 ** 60], 2 ** 61)])
    outs = run(p, "javascript|cpp")
    assert sorted(by_language(outs)) == ["cpp"]
    skip = next(o for o in outs if isinstance(o, Skipped))
    assert "javascript: javascript cannot express int: test case 0" in skip.reason


def test_code_tests_are_skipped_with_reason() -> None:
    p = msgspec.structs.replace(HE0, tests=msgspec.convert(
        {"kind": "code", "code": "assert True\n"}, Problem.__annotations__["tests"]
        if False else type(msgspec.convert({"id": "x", "language": "python", "prompt": "",
                                             "tests": {"kind": "code", "code": "x"}},
                                            Problem).tests)))
    (out,) = run(p)
    assert isinstance(out, Skipped) and out.record and "calls tests" in out.reason


def test_unknown_target_is_an_error() -> None:
    with pytest.raises(Exception, match="unknown target"):
        run(HE0, "cobol")


@pytest.mark.parametrize(("name", "lang", "want"), [
    ("has_close_elements", "java", "hasCloseElements"),
    ("has_close_elements", "go", "HasCloseElements"),
    ("hasCloseElements", "rust", "has_close_elements"),
    ("fib", "go", "Fib"), ("fib4", "javascript", "fib4"),
    ("sum_to_n", "cpp", "sum_to_n"),
])
def test_entry_names(name: str, lang: str, want: str) -> None:
    assert entry_name(name, lang) == want


def test_docstring_found_by_tree_sitter() -> None:
    assert python_docstring(HE0_PROMPT, "has_close_elements").startswith(" Check if")
    assert python_docstring(HE0_PROMPT, "other") is None


# ------------------------------------------------------ HumanEval-X declarations


@pytest.mark.parametrize(("lang", "declaration", "entry", "want"), [
    ("cpp", "#include<vector>\nusing namespace std;\nbool f(vector<float> numbers, "
     "const string &s, float t){\n", "f", ["vector<float>", "const string &", "float"]),
    ("java", "import java.util.*;\n\nclass Solution {\n    public int f(List<Integer> a, "
     "String b) {\n", "f", ["List<Integer>", "String"]),
    ("go", "\nfunc F(a, b []int, c string) [2]int {\n", "F", ["[]int", "[]int", "string"]),
    ("rust", "\nuse std::cmp::max;\nfn f(a: &str, b: Vec<i32>, c: &f32) -> i32{\n", "f",
     ["&str", "Vec<i32>", "&f32"]),
])
def test_declared_params(lang: str, declaration: str, entry: str, want: list[str]) -> None:
    assert declared_params(declaration, lang, entry) == want


def merged(target: str, entry: str, declaration: str) -> Problem:
    carried = {"id": f"X/{target}", "language": target, "prompt": "p", "entry_point": entry,
               "tests": {"kind": "code", "code": "x"}, "solution": declaration + "}\n",
               "meta": {"humaneval_x": {"declaration": declaration}}}
    return msgspec.structs.replace(HE0, meta={"languages": {target: carried}})


def test_merged_seed_uses_declaration_entry_and_native_types() -> None:
    decl = ("import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
            "    public boolean hasCloseElements(List<Double> numbers, double threshold) {\n")
    outs = run(merged("java", "hasCloseElements", decl), "java")
    v = by_language(outs)["java"]
    assert v.prompt.endswith(decl)
    assert v.meta["native_params"] == ["List<Double>", "double"]
    assert v.entry_point == "hasCloseElements"
    assert outs[0].details == {"target": "java", "stub": "declaration"}


def test_merged_declaration_with_other_arity_is_a_skip() -> None:
    outs = run(merged("cpp", "has_close_elements",
                      "bool has_close_elements(vector<float> numbers){\n"), "cpp")
    (skip,) = outs
    assert isinstance(skip, Skipped) and "declaration" in skip.reason


# ----------------------------------------------- the plugins' native parameter types


def test_native_values_per_plugin() -> None:
    li, lf, s = parse_type("list[int]"), parse_type("list[float]"), parse_type("str")
    assert java_language.native_value([1, 2], li, "List<Integer>") == \
        "new ArrayList<Integer>(Arrays.<Integer>asList(1, 2))"
    assert java_language.native_value(3, parse_type("int"), "int") == "3"
    assert java_language.native_value(0.5, parse_type("float"), "float") == "0.5f"
    with pytest.raises(Exception, match="fit"):
        java_language.native_value(2 ** 40, parse_type("int"), "int")
    assert rust_language.native_value("rust", [1.5], lf, "Vec<f32>") == "vec![1.5f32]"
    assert rust_language.native_value("rust", "a", s, "&str") == '"a"'
    assert rust_language.native_value("rust", 2.0, parse_type("float"), "&f32") == "&2.0f32"
    assert rust_language.native_value("rust", ["a"], parse_type("list[str]"),
                                      "Vec<&str>") == 'vec!["a"]'
    assert rust_language.native_value("rust", [], li, "Vec<i32>") == "Vec::<i32>::new()"
    with pytest.raises(Exception, match="u32"):
        rust_language.native_value("rust", -1, parse_type("int"), "u32")
    go = go_language.Go()
    assert go.native_value([1, 2], li, "[2]int") == "[2]int{1, 2}"
    assert go.native_value([1, 2], li, "[]int") == go.render_value([1, 2], li)
    cpp = cpp_language.Cpp()
    assert cpp.braced_value([[1], []], parse_type("list[list[int]]")) == "{{1LL}, {}}"


def test_harnesses_use_native_types() -> None:
    p = msgspec.structs.replace(HE0, language="cpp", solution="x",
                                meta={"native_params": ["vector<float>", "float"]})
    program = cpp_language.Cpp().calls_program(p)
    assert "vector<float> a0 = {1.0, 2.0, 3.9};" in program and "float a1 = 0.3;" in program
    j = java_language.harness_source(msgspec.structs.replace(
        p, language="java", entry_point="f", meta={"native_params": ["List<Float>", "float"]}))
    assert "new Solution().f(new ArrayList<Float>(Arrays.<Float>asList(1.0f, 2.0f, 3.9f)), " \
           "0.3f)" in j
    r = rust_language.Rust().calls_program(msgspec.structs.replace(
        p, language="rust", meta={"native_params": ["&Vec<f32>", "f32"]}))
    assert "has_close_elements(&vec![1.0f32, 2.0f32, 3.9f32], 0.3f32)" in r


# ------------------------------------------------------------------ determinism


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2 ** 32), langs=st.lists(st.sampled_from(TARGETS), min_size=1,
                                                     max_size=7, unique=True))
def test_deterministic_and_independent_of_rng(seed: int, langs: list[str]) -> None:
    text = "|".join(langs)
    a = [encode_problem(o.problem) if isinstance(o, Variant) else o.reason
         for o in run(HE12, text, seed)]
    b = [encode_problem(o.problem) if isinstance(o, Variant) else o.reason
         for o in run(HE12, text, seed + 1)]
    assert a == b
    assert [decode_problem(x).language for x in a if isinstance(x, bytes)] == \
        [lang for lang in langs if lang != "c"]


def test_humaneval_seeds(datasets) -> None:  # type: ignore[no-untyped-def]
    """Over the real HumanEval prompts: every docstring found, no '>>>' left, stubs
    parse as the target language."""
    from codeaug.syntax import has_errors, parse
    fmt = get_plugins().formats.get("humaneval")
    seeds = [p for p in fmt.read(datasets / "humaneval" / "HumanEval.jsonl.gz")
             if isinstance(p, Problem)]
    assert len(seeds) == 164
    grammars = {"javascript": "javascript", "typescript": "typescript", "go": "go",
                "rust": "rust", "java": "java", "cpp": "cpp", "c": "c"}
    for seed in seeds:
        assert python_docstring(seed.prompt, seed.entry_point), seed.id
        # the importer's records have code tests: give them one calls case to translate
        calls = msgspec.convert({"kind": "calls", "cases": []}, type(HE0.tests))
        for out in run(msgspec.structs.replace(seed, tests=calls)):
            if isinstance(out, Skipped):
                continue
            v = out.problem
            assert ">>>" not in v.prompt, (seed.id, v.language)
            closed = v.prompt + ("}\n}\n" if v.language == "java" else "}\n")
            assert not has_errors(parse(grammars[v.language], closed)), (seed.id, v.language)
    assert re.search(r"\w", seeds[0].prompt)


def test_declared_return_without_null_is_a_skip() -> None:
    p = msgspec.structs.replace(HE12, meta={"languages": {"cpp": {
        "id": "CPP/12", "language": "cpp", "prompt": "p", "entry_point": "longest",
        "tests": {"kind": "code", "code": "x"}, "solution": "s",
        "meta": {"humaneval_x": {"declaration": "#include<vector>\nusing namespace std;\n"
                                                "string longest(vector<string> strings){\n"}}}}})
    (skip,) = run(p, "cpp")
    assert isinstance(skip, Skipped)
    assert "cpp cannot express optional[str]: the dataset's declaration returns string" \
        in skip.reason


def test_float32_declaration_widens_tolerance() -> None:
    decl = "bool has_close_elements(vector<float> numbers, float threshold){\n"
    (out,) = run(merged("cpp", "has_close_elements", decl), "cpp")
    assert isinstance(out, Variant)
    assert out.problem.tests.rel_tol == out.problem.tests.abs_tol == 1e-4
    assert out.details["float32_tolerance"] == 1e-4
    (out,) = run(merged("java", "hasCloseElements", "class Solution {\n    public boolean "
                        "hasCloseElements(List<Double> numbers, double threshold) {\n"), "java")
    assert out.problem.tests.rel_tol == 1e-6 and "float32_tolerance" not in out.details


def test_go_humaneval_x_solution_imports_fixed() -> None:
    source = ('package main\n\nimport (\n    "math"\n)\n\nfunc F(s string) []string {\n'
              "    return strings.Fields(s)\n}\n")
    fixed = go_language.calls_solution(source, humaneval_x=True)
    assert '"strings"' in fixed and '"math"' not in fixed
    assert go_language.calls_solution(source) == source  # others are compiled as written


def test_native_pairs_and_float_widening() -> None:
    pair = parse_type("tuple[int,int]")
    assert go_language.Go().native_value([1, 2], pair, "[2]int") == "[2]int{1, 2}"
    assert go_language.Go().native_value(3, parse_type("int"), "float64") == "float64(3.0)"
    assert rust_language.native_value("rust", [1, 2], pair, "Vec<i32>") == "vec![1i32, 2i32]"
    assert java_language.native_value([1, 2], pair, "List<Integer>") == \
        "new ArrayList<Integer>(Arrays.<Integer>asList(1, 2))"
    # CPP/35 declares `float max_element(vector<float> l)` where Python returns an int
    decl = "float max_element(vector<float> l){\n"
    p = problem('def max_element(l: list) -> int:\n    """Max."""\n', "max_element",
                [("l", "list[int]")], "int", [([[1, 2]], 2)])
    p = msgspec.structs.replace(p, meta=merged("cpp", "max_element", decl).meta)
    (out,) = run(p, "cpp")
    assert out.problem.signature.returns == "float" and out.details["returns"] == "float"


def test_dataset_entry_point_for_another_function_is_a_skip() -> None:
    # Rust/50: the record's entry point is encode_shift, but it defines decode_shift too
    solution = ("fn encode_shift(s: &str) -> String { s.to_string() }\n"
                "fn decode_shift(s: &str) -> String { s.to_string() }\n")
    p = problem('def decode_shift(s: str):\n    """Decode."""\n', "decode_shift",
                [("s", "str")], "str", [(["a"], "a")])
    carried = {"id": "Rust/50", "language": "rust", "prompt": "p", "entry_point": "encode_shift",
               "tests": {"kind": "code", "code": "x"}, "solution": solution,
               "meta": {"humaneval_x": {"declaration": "fn encode_shift(s: &str) -> String {\n"}}}
    (skip,) = run(msgspec.structs.replace(p, meta={"languages": {"rust": carried}}), "rust")
    assert isinstance(skip, Skipped) and "calls encode_shift, not decode_shift" in skip.reason
    # a misspelt but sole entry point (CPP/27 filp_case) is the dataset's name: kept
    carried = {**carried, "entry_point": "decode_shiftt",
               "solution": "fn decode_shiftt(s: &str) -> String { s.to_string() }\n",
               "meta": {"humaneval_x": {"declaration": "fn decode_shiftt(s: &str) -> String {\n"}}}
    (out,) = run(msgspec.structs.replace(p, meta={"languages": {"rust": carried}}), "rust")
    assert isinstance(out, Variant) and out.problem.entry_point == "decode_shiftt"


def test_declared_returns_that_cannot_hold_the_values_are_skipped() -> None:
    p = problem('def f(s: str):\n    """Pair."""\n', "f", [("s", "str")], "tuple[str,bool]",
                [(["a"], ["a", True])])
    carried = {"id": "CPP/112", "language": "cpp", "prompt": "p", "entry_point": "f",
               "tests": {"kind": "code", "code": "x"}, "solution": "s",
               "meta": {"humaneval_x": {"declaration": "vector<string> f(string s){\n"}}}
    (skip,) = run(msgspec.structs.replace(p, meta={"languages": {"cpp": carried}}), "cpp")
    assert isinstance(skip, Skipped) and "vector<string>, which cannot hold" in skip.reason


def test_same_output_across_processes_and_hash_seeds() -> None:
    """Byte-identical variants in fresh processes with different hash seeds (tree-sitter
    query matches and set/dict orders must not leak into the output)."""
    import os
    import subprocess
    import sys

    prompt = ('def helper(x):\n    """Not this one."""\n\n\ndef max_fill(grid, capacity):\n'
              '    import math\n    """\n    Fill.\n    >>> max_fill([[1, 0]], 1)\n    1\n'
              '    """\n    "second string"\n')
    p = problem(prompt, "max_fill", [("grid", "list[list[int]]"), ("capacity", "int")],
                "int", [([[[1, 0]], 1], 1)])
    script = (
        "import random, sys, msgspec\n"
        "from codeaug.record import decode_problem, encode_problem\n"
        "from codeaug.mutator import Variant\n"
        "from codeaug_plugins.translate_mutator import TranslateMutator, TranslateParams\n"
        "for line in sys.stdin.buffer.read().splitlines():\n"
        "    for o in TranslateMutator().mutate(decode_problem(line), TranslateParams(),"
        " random.Random(0)):\n"
        "        sys.stdout.buffer.write((encode_problem(o.problem) if isinstance(o, Variant)"
        " else o.reason.encode()) + b'\\n')\n")
    data = b"\n".join(encode_problem(x) for x in (HE0, HE12, p))
    outs = {subprocess.run([sys.executable, "-c", script], input=data, capture_output=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(outs) == 1
    (out,) = outs
    assert b" * Fill." in out and b"Not this one" not in out and b"second string" not in out
