"""Constraints: extra rules a solution must follow (no loops, at most N lines...),
each with a static checker, so ``verify`` enforces them as well as the tests.

A record lists them in ``constraints`` as ``"name"`` or ``"name:argument"``
(``"max-lines:12"``), beside free-text input constraints (``"1 <= n <= 10^5"``), which
stay informational. A checker's name is lower-case words joined by hyphens
(``no-loops``); an entry of that shape names a checker, and one nobody registered makes
the record unverifiable (an ``error`` verdict) rather than silently unchecked. Checkers
are registered through the ``register_constraints`` hook (see :mod:`codeaug.hookspecs`);
the built-in ones query tree-sitter syntax trees.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from codeaug.errors import UnknownNameError
from codeaug.record import Problem
from codeaug.verdict import Status, Verdict

if TYPE_CHECKING:
    from codeaug.registry import Registry


class Constraint(ABC):
    """A rule about a solution's text, checked without running it.

    Attributes:
        name: the part of the constraint string before ``:``.
        version: part of the verdict cache key of every record using it.
        languages: the record languages it can check (``None``: any).
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    summary: ClassVar[str] = ""
    languages: ClassVar[frozenset[str] | None] = None

    @abstractmethod
    def describe(self, argument: str | None, language: str) -> str:
        """The sentence added to the prompt, e.g. ``"Do not use any loop."``."""

    @abstractmethod
    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        """One short message per violation (``"line 3: for loop"``); empty when it holds.

        Raises:
            ValueError: ``argument`` is not valid for this constraint.
        """


#: ``no-loops``, ``max-lines:12``, ``imports-only:math|re``: a checker's entry.
CHECKED = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?::\S*)?$")


def is_checked(constraint: str) -> bool:
    """Whether an entry of ``constraints`` names a checker (not free text)."""
    return CHECKED.match(constraint.strip()) is not None


def split(constraint: str) -> tuple[str, str | None]:
    """``"max-lines:12"`` -> ``("max-lines", "12")``; ``"no-loops"`` -> ``("no-loops", None)``."""
    name, sep, argument = constraint.partition(":")
    return name.strip(), (argument.strip() if sep else None)


def constraint_verdict(problem: Problem, registry: Registry[Constraint]) -> Verdict | None:
    """A FAILED (or ERROR) verdict when ``problem.solution`` breaks one of its
    constraints or a constraint cannot be checked; None when all hold."""
    for text in problem.constraints:
        if not is_checked(text):
            continue
        name, argument = split(text)
        try:
            checker = registry.get(name)
        except UnknownNameError as exc:
            return Verdict(Status.ERROR, f"cannot check constraint `{text}`: {exc}")
        if checker.languages is not None and problem.language not in checker.languages:
            return Verdict(Status.ERROR, f"constraint `{text}` cannot be checked in "
                                         f"{problem.language}")
        try:
            found = checker.violations(problem.solution, argument, problem)
        except ValueError as exc:
            return Verdict(Status.ERROR, f"constraint `{text}`: {exc}")
        if found:
            shown = "; ".join(found[:3]) + ("; ..." if len(found) > 3 else "")
            return Verdict(Status.FAILED, f"constraint `{text}` violated: {shown}",
                           failed_test=f"constraint {text}")
    return None


def checker_versions(problem: Problem, registry: Registry[Constraint]) -> dict[str, str]:
    """``name -> version`` of the registered checkers ``problem``'s constraints name
    (part of its verdict cache key, so a new checker version re-verifies)."""
    versions: dict[str, str] = {}
    for text in problem.constraints:
        name, _ = split(text)
        if is_checked(text) and name in registry:
            versions[name] = registry.get(name).version
    return versions
