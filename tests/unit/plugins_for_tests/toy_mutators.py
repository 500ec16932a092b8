"""Toy plugins for the expand pipeline's tests.

``note`` keeps the solution (appends a random note to the prompt); ``drop`` removes the
solution (so solvers and ``unsolved`` are exercised) and skips io problems, recording
them; ``crash`` raises on problems whose id ends with ``sum`` (a plugin bug); the
``stash`` solver proposes the solution ``drop`` removed, kept in ``meta``; ``retarget``
turns a merged multi-language seed into its record in another language, unsolved.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

import codeaug
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.solver import Solver


class NoteParams(msgspec.Struct, forbid_unknown_fields=True):
    count: Annotated[int, msgspec.Meta(ge=1, description="variants per problem")] = 2


class Note(Mutator):
    name = "note"
    summary = "Append a random note to the prompt."
    Params = NoteParams

    def mutate(self, problem, params, rng):  # type: ignore[no-untyped-def]
        for _ in range(params.count):
            n = rng.randint(0, 10**6)
            yield Variant(msgspec.structs.replace(problem, prompt=f"{problem.prompt}\n(note {n})"),
                          label=f"note-{n}")


class Drop(Mutator):
    name = "drop"
    summary = "Drop the solution; io problems are skipped (and recorded)."

    def mutate(self, problem, params, rng):  # type: ignore[no-untyped-def]
        if problem.tests.__class__.__name__ == "IoTests":
            yield Skipped("io problems are not dropped", record=True)
            return
        meta = {**problem.meta, "stash": problem.solution}
        yield Variant(msgspec.structs.replace(problem, solution="", meta=meta), label="nosol")


class Crash(Mutator):
    name = "crash"
    summary = "Raises on problems whose id ends with 'sum'."

    def mutate(self, problem, params, rng):  # type: ignore[no-untyped-def]
        if problem.id.endswith("sum"):
            raise ZeroDivisionError("toy bug")
        yield Variant(msgspec.structs.replace(problem, prompt=problem.prompt + " (crash)"),
                      label="tag")


class RetargetParams(msgspec.Struct, forbid_unknown_fields=True):
    language: str = "cpp"


class Retarget(Mutator):
    """A stand-in for a translator: the merged seed's own record in another language,
    without its solution (so the ``reference`` solver must supply it)."""

    name = "retarget"
    Params = RetargetParams

    def mutate(self, problem, params, rng):  # type: ignore[no-untyped-def]
        from codeaug.multilang import language_record

        target = language_record(problem, params.language)
        if target is None or target is problem:
            yield Skipped(f"no {params.language} version carried")
            return
        yield Variant(msgspec.structs.replace(target, id=problem.id, solution="",
                                              meta=problem.meta), label=params.language)


class Stash(Solver):
    name = "stash"

    def solve(self, problem, rng):  # type: ignore[no-untyped-def]
        if "stash" in problem.meta:
            yield problem.meta["stash"]


@codeaug.hookimpl
def register_mutators(register: Any) -> None:
    register(Note())
    register(Drop())
    register(Crash())
    register(Retarget())


@codeaug.hookimpl
def register_solvers(register: Any) -> None:
    register(Stash())
