"""The ``reference`` solver: a merged multi-language seed's own solution in the variant's
language (for example HumanEval-X's canonical C++ solution for a C++ translation).

It proposes the carried solution only when the variant still calls it by the same entry
point, since a solution under another name cannot pass the variant's tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import codeaug
from codeaug.multilang import carried_record
from codeaug.record import Problem
from codeaug.solver import Solver


class ReferenceSolver(Solver):
    name = "reference"
    version = "1"
    summary = "The dataset's own solution in the variant's language (merged seeds)."

    def solve(self, problem: Problem, rng: random.Random) -> Iterator[str]:
        carried = carried_record(problem, problem.language)
        if carried is None or not carried.solution.strip():
            return
        if problem.entry_point and carried.entry_point != problem.entry_point:
            return
        yield carried.solution


@codeaug.hookimpl
def register_solvers(register: Callable[[Solver], None]) -> None:
    register(ReferenceSolver())
