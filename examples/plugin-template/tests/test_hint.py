"""The mutator's own contract, without Docker: deterministic, only the prompt changes."""

from __future__ import annotations

import random

from codeaug.mutator import build_params
from codeaug.record import CallCase, CallsTests, Problem
from codeaug_hint.plugin import HINTS, Hint

SEED = Problem(id="t/add", language="python", prompt="Add a and b.", entry_point="add",
               solution="def add(a, b):\n    return a + b\n",
               tests=CallsTests(cases=[CallCase(args=[1, 2], expected=3)]))


def variants(seed: int, **params: str) -> list[Problem]:
    hint = Hint()
    return [v.problem for v in hint.mutate(SEED, build_params(hint, params), random.Random(seed))]


def test_same_seed_same_variants() -> None:
    assert variants(7, count="3") == variants(7, count="3")


def test_only_the_prompt_changes_and_hints_are_distinct() -> None:
    out = variants(1, count="3", style="terse")
    assert len({p.prompt for p in out}) == 3
    for problem in out:
        assert problem.prompt.startswith(SEED.prompt)
        assert problem.prompt.strip().splitlines()[-1] in HINTS["terse"]
        assert (problem.solution, problem.tests) == (SEED.solution, SEED.tests)
