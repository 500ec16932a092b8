"""The solver contract: what proposes candidate solutions for a variant that has none.

Registered through the ``register_solvers`` hook (see :mod:`codeaug.hookspecs`). A
mutator that cannot carry the reference solution along (a translation, say) leaves
``solution`` empty; ``codeaug expand`` then asks each enabled solver in turn and keeps
the first candidate that passes the sandbox.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from codeaug.record import Problem


class Solver(ABC):
    """Proposes solutions for problems.

    Attributes:
        name: what users type after ``--solver``.
        version: recorded in the provenance of a variant it solved.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    summary: ClassVar[str] = ""

    @abstractmethod
    def solve(self, problem: Problem, rng: random.Random) -> Iterator[str]:
        """Yield candidate solutions for ``problem`` (best first; may yield none)."""
