"""The strengthen mutator's input generation without Docker: profiles read the seed's
ranges, sizes and alphabets; drawn and mutated values keep to them and to the types;
candidates are deterministic for an rng seed, new and distinct; problems it cannot
strengthen are skipped with a reason."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import msgspec
import pytest
from codeaug_plugins.strengthen_mutator import (
    Strengthen,
    StrengthenParams,
    candidate_inputs,
    draw,
    hypothesis_examples,
    json_type,
    mutate_value,
    profile,
)
from hypothesis import given
from hypothesis import strategies as st

from codeaug.mutator import MutatorSpecError, Skipped, build_params
from codeaug.record import Problem, decode_problem
from codeaug.testing import calls_problem
from codeaug.typesys import TypeExpr, parse_type

ROOT = Path(__file__).resolve().parents[2]
MUTATOR = Strengthen()


def _seeds() -> list[Problem]:
    lines = (ROOT / "examples" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return [decode_problem(line.encode()) for line in lines if line.strip()]


def conforms(value: Any, t: TypeExpr) -> bool:
    """``value`` (JSON) is a value of neutral type ``t``."""
    name = t.name
    if value is None:
        return name in ("optional", "none", "any")
    if name == "optional":
        return conforms(value, t.args[0])
    if name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name in ("str", "bool"):
        return isinstance(value, str if name == "str" else bool)
    if name in ("list", "set"):
        ok = isinstance(value, list) and all(conforms(v, t.args[0]) for v in value)
        if ok and name == "set":
            return len({json.dumps(v, sort_keys=True) for v in value}) == len(value)
        return ok
    if name == "tuple":
        return (isinstance(value, list) and len(value) == len(t.args)
                and all(conforms(v, a) for v, a in zip(value, t.args, strict=True)))
    if name == "dict":
        return isinstance(value, dict) and all(conforms(v, t.args[1]) for v in value.values())
    return name == "any"


def test_profile_reads_ranges_sizes_alphabets() -> None:
    p = profile(parse_type("list[int]"), [[1, 5, 10], [], [-7, 3]])
    assert (p.min_len, p.max_len) == (0, 3)
    assert (p.items[0].lo, p.items[0].hi) == (-7, 10)
    s = profile(parse_type("str"), ["abc", "ba"])
    assert set(s.alphabet) == {"a", "b", "c"} and (s.min_len, s.max_len) == (2, 3)
    o = profile(parse_type("optional[int]"), [None, 4, 9])
    assert o.nullable and (o.lo, o.hi) == (4, 9)
    d = profile(parse_type("dict[int,str]"), [{"1": "x", "20": "yy"}])
    assert (d.items[0].lo, d.items[0].hi) == (1, 20)
    one = profile(parse_type("int"), [5])
    assert one.lo < 5 < one.hi and one.lo >= 0  # a neighbourhood, not below 0
    assert json_type([[1, 2], [3.5]]) == parse_type("list[float]")
    assert json_type([1, "a"]).name == "any"


SEED_VALUES = {
    "int": [3, -2, 40],
    "float": [0.5, -1.25, 8.0],
    "str": ["hello", "", "a b"],
    "bool": [True],
    "list[int]": [[1, 2, 3], [], [9]],
    "set[str]": [["a", "b"], ["c"]],
    "tuple[int,str]": [[1, "x"], [5, "yy"]],
    "dict[str,int]": [{"a": 1}, {"b": 2, "c": 3}],
    "optional[list[float]]": [None, [1.5]],
    "list[list[int]]": [[[1, 2], [3]], []],
}


@given(st.sampled_from(sorted(SEED_VALUES)), st.integers(0, 2**32))
def test_drawn_and_mutated_values_keep_type_and_ranges(type_text: str, seed: int) -> None:
    t = parse_type(type_text)
    values = SEED_VALUES[type_text]
    p = profile(t, values)
    rng = random.Random(seed)
    fresh = draw(p, rng)
    mutated = mutate_value(json.loads(json.dumps(rng.choice(values))), p, rng)
    for value in (fresh, mutated):
        assert conforms(value, t), (type_text, value)
        if t.name in ("int", "float"):
            assert p.lo <= value <= p.hi
        if t.name == "str":
            assert set(value) <= set(p.alphabet)
        if t.name in ("list", "str") and value is fresh:
            assert p.min_len <= len(value) <= p.max_len


def test_hypothesis_examples_deterministic_and_within_ranges() -> None:
    profiles = [profile(parse_type("list[int]"), [[1, 5], [7]]),
                profile(parse_type("str"), ["xy", "yyz"])]
    a = hypothesis_examples(profiles, 40, 1234)
    assert a is not None and len(a) >= 20
    assert a == hypothesis_examples(profiles, 40, 1234)
    assert a != hypothesis_examples(profiles, 40, 99)
    for numbers, text in a:
        assert all(1 <= n <= 7 for n in numbers) and 1 <= len(numbers) <= 2
        assert set(text) <= {"x", "y", "z"} and 2 <= len(text) <= 3


@pytest.mark.parametrize("use_hypothesis", [True, False])
def test_candidates_deterministic_new_distinct(use_hypothesis: bool) -> None:
    for seed in _seeds():
        if seed.tests.__class__.__name__ != "CallsTests":
            continue
        params = StrengthenParams(candidates=60, hypothesis=use_hypothesis)
        types = [parse_type(p.type) for p in seed.signature.params]
        first = candidate_inputs(seed, types, params, random.Random(7))
        again = candidate_inputs(seed, types, params, random.Random(7))
        assert json.dumps(first) == json.dumps(again), seed.id
        keys = [json.dumps(a, sort_keys=True) for a, _ in first]
        assert len(set(keys)) == len(keys)
        seed_keys = {json.dumps(c.args, sort_keys=True) for c in seed.tests.cases}  # type: ignore[union-attr]
        assert not seed_keys & set(keys)
        assert len(first) >= 30, seed.id
        assert {o for _, o in first} <= {"seed", "hypothesis", "fresh", "widened"}
        assert "seed" in {o for _, o in first}
        for args, _ in first:
            for value, t in zip(args, types, strict=True):
                assert conforms(value, t), (seed.id, value, t)


def test_skips_what_it_cannot_strengthen() -> None:
    seeds = {s.id: s for s in _seeds()}
    for ident in ("examples/sum-and-max", "examples/run-length"):  # io and code tests
        [out] = MUTATOR.mutate(seeds[ident], StrengthenParams(), random.Random(0))
        assert isinstance(out, Skipped) and "calls tests" in out.reason
    no_solution = msgspec.structs.replace(seeds["examples/clamped-sum"], solution="")
    [out] = MUTATOR.mutate(no_solution, StrengthenParams(), random.Random(0))
    assert isinstance(out, Skipped) and "reference" in out.reason
    bad = calls_problem("python", "t/f", "def f(a, b):\n    return a\n",
                        [("a", "int"), ("b", "int")], "int", [([1], 1)])
    [out] = MUTATOR.mutate(bad, StrengthenParams(), random.Random(0))
    assert isinstance(out, Skipped) and "signature" in out.reason


def test_params_validated() -> None:
    assert build_params(MUTATOR, {"max_added": "10"}).max_added == 10
    with pytest.raises(MutatorSpecError):
        build_params(MUTATOR, {"seed_share": "2"})
    with pytest.raises(MutatorSpecError):
        build_params(MUTATOR, {"nope": "1"})


def test_candidates_and_mutants_same_in_every_process() -> None:
    """Byte-identical candidates and mutants whatever the hash seed (set order)."""
    import subprocess
    import sys

    script = (
        "import hashlib, json, random\n"
        "from codeaug.record import iter_problems, CallsTests\n"
        "from codeaug.mutants import problem_mutants\n"
        "from codeaug.typesys import parse_type\n"
        "from codeaug_plugins.strengthen_mutator import StrengthenParams, candidate_inputs\n"
        "out = []\n"
        f"for p in iter_problems({str(ROOT / 'examples' / 'seeds.jsonl')!r}):\n"
        "    if isinstance(p.tests, CallsTests):\n"
        "        types = [parse_type(x.type) for x in p.signature.params]\n"
        "        out.append(candidate_inputs(p, types, StrengthenParams(), random.Random(p.id)))\n"
        "        out.append([m.source for m in problem_mutants(p)])\n"
        "print(hashlib.sha256(json.dumps(out).encode()).hexdigest())\n")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env={**os.environ,
                                               "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1
