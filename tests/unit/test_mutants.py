"""Mutant generation (codeaug.mutants) without Docker: each operator kind in each
language, one edit per mutant, every mutant parses (Python ones compile), none equals
the original, the selection is deterministic and spread over the source."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codeaug import syntax
from codeaug.mutants import SWAPS, mutants, problem_mutants
from codeaug.record import decode_problem

ROOT = Path(__file__).resolve().parents[2]

PY = (
    "def f(a, b):\n"
    "    if a < 3 and b not in a:\n"
    "        a += 1\n"
    "    while a > 10:\n"
    "        a = a // 2 - b * 4\n"
    "    return a if a == b else 0\n"
)
C_LIKE = {
    "javascript": "function f(a, b) { if (a < 3 && b) { a += 1; } while (a > 10) "
                  "{ a = a - b * 4; } return a === b ? a : 0; }",
    "typescript": "function f(a: number, b: number): number { if (a < 3 && b) { a += 1; } "
                  "while (a > 10) { a = a - b * 4; } return a === b ? a : 0; }",
    "c": "int f(int a, int b) { if (a < 3 && b) { a += 1; } while (a > 10) "
         "{ a = a - b * 4; } return a == b ? a : 0; }",
    "cpp": "int f(int a, int b) { if (a < 3 && b) { a += 1; } while (a > 10) "
           "{ a = a - b * 4; } return a == b ? a : 0; }",
    "java": "class A { int f(int a, int b) { if (a < 3 && b > 0) { a += 1; } "
            "while (a > 10) { a = a - b * 4; } return a == b ? a : 0; } }",
    "go": "package main\nfunc f(a int, b int) int {\n\tif a < 3 && b > 0 {\n\t\ta += 1\n\t}\n"
          "\tfor a > 10 {\n\t\ta = a - b*4\n\t}\n\tif a == b {\n\t\treturn a\n\t}\n"
          "\treturn 0\n}\n",
    "rust": "fn f(mut a: i64, b: i64) -> i64 { if a < 3 && b > 0 { a += 1; } "
            "while a > 10 { a = a - b * 4; } if a == b { a } else { 0 } }",
}


def descriptions(source: str, grammar: str) -> list[str]:
    return [m.description for m in mutants(source, grammar)]


def test_python_every_kind() -> None:
    found = mutants(PY, "python")
    text = [m.description for m in found]
    assert "line 2: < -> <=" in text            # comparison
    assert "line 2: and -> or" in text          # boolean
    assert "line 2: not in -> in" in text       # membership
    assert "line 3: += -> -=" in text           # augmented assignment
    assert "line 5: // -> *" in text and "line 5: - -> +" in text  # arithmetic
    assert "line 2: 3 -> 2" in text and "line 2: 3 -> 4" in text   # off by one
    assert "line 6: 0 -> 1" in text and "line 6: 0 -> -1" not in text  # never negative
    assert any(t.startswith("line 2: negated a < 3") for t in text)     # if
    assert any(t.startswith("line 4: negated a > 10") for t in text)    # while
    assert any(t.startswith("line 6: negated a == b") for t in text)    # ternary
    assert {m.kind for m in found} == {"operator", "constant", "condition"}
    for m in found:
        compile(m.source, "<mutant>", "exec")  # the real parser agrees


@pytest.mark.parametrize("grammar", sorted(C_LIKE))
def test_c_like_every_kind(grammar: str) -> None:
    source = C_LIKE[grammar]
    found = mutants(source, grammar)
    text = [m.description for m in found]
    assert any(t.endswith("< -> <=") for t in text)
    assert any(t.endswith("&& -> ||") for t in text)
    assert any(t.endswith("- -> +") for t in text) and any(t.endswith("* -> /") for t in text)
    assert any(t.endswith("3 -> 2") for t in text) and any(t.endswith("3 -> 4") for t in text)
    assert any("negated" in t and "a < 3" in t for t in text)
    assert {m.kind for m in found} == {"operator", "constant", "condition"}
    negated = next(m for m in found if "negated" in m.description and "a < 3" in m.description)
    assert "!(a < 3" in negated.source or "(!(a < 3" in negated.source


@pytest.mark.parametrize("grammar", ["python", *sorted(C_LIKE)])
def test_one_edit_parse_clean_distinct(grammar: str) -> None:
    source = PY if grammar == "python" else C_LIKE[grammar]
    found = mutants(source, grammar)
    assert len(found) >= 8
    assert len({m.source for m in found}) == len(found)
    for m in found:
        assert m.source != source
        assert not syntax.has_errors(syntax.parse(grammar, m.source)), m.description
        changed = [op for op in difflib.SequenceMatcher(a=source, b=m.source).get_opcodes()
                   if op[0] != "equal"]
        span = (changed[0][1], changed[-1][2])
        assert span[1] - span[0] <= len(source) // 2, m.description  # one local edit


def test_no_constructs_no_mutants_and_unknown_grammar() -> None:
    assert mutants("def f(x):\n    return sorted(x)\n", "python") == []
    assert mutants("anything", "cobol") == []


def test_unparseable_mutants_are_dropped() -> None:
    # `!(let ...)` is not Rust: the `if let` condition is not captured, or dropped
    source = "fn f(x: Option<i64>) -> i64 { if let Some(v) = x { v } else { 0 } }"
    for m in mutants(source, "rust"):
        assert not syntax.has_errors(syntax.parse("rust", m.source))
        assert "!(let" not in m.source


def test_limit_is_deterministic_and_spread() -> None:
    everything = mutants(PY, "python")
    some = mutants(PY, "python", limit=5)
    assert len(some) == 5 and some == mutants(PY, "python", limit=5)
    assert all(m in everything for m in some)
    lines = {m.description.split(":")[0] for m in some}
    assert len(lines) >= 3  # not just the first line's mutants


def test_seed_solutions_all_compile() -> None:
    lines = (ROOT / "examples" / "seeds.jsonl").read_text().splitlines()
    seeds = [decode_problem(line.encode()) for line in lines if line.strip()]
    total = 0
    for seed in seeds:
        for m in problem_mutants(seed, limit=None):
            compile(m.source, seed.id, "exec")
            total += 1
    assert total > 50


@given(st.lists(st.sampled_from(sorted(k for k in SWAPS if len(k) == 1 and k in "+-*/%<>")),
                min_size=1, max_size=6),
       st.lists(st.integers(0, 99), min_size=1, max_size=6))
def test_property_python_expressions(ops: list[str], numbers: list[int]) -> None:
    expr = "x"
    for op, n in zip(ops, numbers, strict=False):
        expr = f"({expr} {op} {n})"
    source = f"def f(x):\n    return {expr}\n"
    found = mutants(source, "python")
    pairs = min(len(ops), len(numbers))
    operator_mutants = [m for m in found if m.kind == "operator"]
    assert len(operator_mutants) == pairs
    for m in found:
        assert m.source != source
        compile(m.source, "<mutant>", "exec")
