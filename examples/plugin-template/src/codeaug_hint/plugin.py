"""The ``hint`` mutator: appends one hint sentence to a problem's prompt.

The solution and tests do not change, so the variant carries its reference solution
along and ``codeaug expand`` can verify it straight away.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Annotated, Any

import msgspec

import codeaug
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import Problem

HINTS = {
    "gentle": [
        "Hint: think about the smallest inputs first.",
        "Hint: an empty input is a valid input.",
        "Hint: check the examples by hand before writing code.",
    ],
    "terse": ["Mind the edge cases.", "Keep it simple.", "Watch the types."],
}


class HintParams(msgspec.Struct, forbid_unknown_fields=True):
    style: Annotated[str, msgspec.Meta(
        pattern="^(gentle|terse)$", description="which list of hints to draw from")] = "gentle"
    count: Annotated[int, msgspec.Meta(
        ge=1, le=3, description="variants per problem (distinct hints)")] = 1


class Hint(Mutator):
    name = "hint"
    version = "1"
    summary = "Append a hint sentence to the prompt."
    Params = HintParams

    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        if not problem.prompt.strip():
            yield Skipped("the prompt is empty")
            return
        for hint in rng.sample(HINTS[params.style], params.count):
            prompt = problem.prompt.rstrip("\n") + "\n\n" + hint + "\n"
            yield Variant(msgspec.structs.replace(problem, prompt=prompt),
                          label=hint.lower().rstrip("."))


@codeaug.hookimpl
def register_mutators(register: Any) -> None:
    register(Hint())
