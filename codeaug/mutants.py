"""Simple mutants of a reference solution, and the share of them a test suite rejects.

Why: "the tests pass" says little about tests that would also pass a wrong solution.
The *mutation score* of a problem is the share of small, plausible bugs planted in its
reference that its tests reject; ``codeaug verify --mutation-score`` reports it and the
``strengthen`` mutator picks new cases that reject mutants the seed's cases let pass.

How: a tree-sitter query per grammar (``plugins/queries/<grammar>/mutants.scm``)
captures ``@op`` operator tokens (swapped: ``+``/``-``, ``*``/``/``, ``<``/``<=``,
``==``/``!=``, ``and``/``or``, ``+=``/``-=`` ...), ``@int`` integer literals (moved by
one up and down) and ``@cond`` conditions of ``if``/``while``/ternaries (negated;
``@pcond`` is a parenthesized C-style condition, negated inside its parentheses). Each
mutant is one edit; mutants that do not parse or equal the original are dropped, and
at most ``limit`` are kept, spread evenly over the source (deterministic: no rng).
A mutant is *rejected* when the tests fail on it for any reason (wrong value, raise,
timeout, compile error).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from codeaug import syntax
from codeaug.record import Problem

PACKAGE = "codeaug_plugins"

#: Operator swaps (token -> replacement); per-language additions below.
SWAPS: dict[str, str] = {
    "+": "-", "-": "+", "*": "/", "/": "*", "%": "/",
    "<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==",
    "&&": "||", "||": "&&", "===": "!==", "!==": "===",
    "+=": "-=", "-=": "+=", "*=": "/=", "/=": "*=",
}
PY_SWAPS = {**SWAPS, "//": "*", "%": "//", "and": "or", "or": "and", "in": "not in",
            "not in": "in", "is": "is not", "is not": "is", "//=": "*="}
_INT = re.compile(r"^(\d+)([A-Za-z_]*)$")


@dataclass(frozen=True)
class Mutant:
    """One planted bug: ``kind`` is ``operator``, ``constant`` or ``condition``."""

    kind: str
    description: str
    source: str


def _negate(grammar: str, capture: str, text: str) -> str:
    if grammar == "python":
        return f"not ({text})"
    if capture == "pcond":  # "(x)" -> "(!(x))": C, Java and JS need the parentheses
        return f"(!{text})"
    return f"!({text})"


def mutants(source: str, grammar: str, *, limit: int | None = None) -> list[Mutant]:
    """The parseable single-edit mutants of ``source`` (tree-sitter grammar ``grammar``),
    in source order; ``[]`` when the grammar has no ``mutants.scm``."""
    if not syntax.has_query(PACKAGE, grammar, "mutants"):
        return []
    tree = syntax.parse(grammar, source)
    query = syntax.load_query(PACKAGE, grammar, "mutants")
    swaps = PY_SWAPS if grammar == "python" else SWAPS
    found: list[tuple[int, str, str, syntax.Edit]] = []
    for name, nodes in syntax.captures(query, tree.root_node).items():
        for node in nodes:
            text = syntax.text(node)
            line = node.start_point[0] + 1
            if name == "op":
                new = swaps.get(" ".join(text.split()))
                if new is None:
                    continue
                found.append((node.start_byte, "operator", f"line {line}: {text} -> {new}",
                              syntax.Edit(node.start_byte, node.end_byte, new)))
            elif name == "int":
                m = _INT.match(text)
                if m is None:
                    continue
                value = int(m.group(1))
                for new_value in (value + 1, value - 1):
                    if new_value < 0:
                        continue
                    new = f"{new_value}{m.group(2)}"
                    found.append((node.start_byte, "constant", f"line {line}: {text} -> {new}",
                                  syntax.Edit(node.start_byte, node.end_byte, new)))
            elif name in ("cond", "pcond"):
                new = _negate(grammar, name, text)
                found.append((node.start_byte, "condition",
                              f"line {line}: negated {' '.join(text.split())[:40]}",
                              syntax.Edit(node.start_byte, node.end_byte, new)))
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    out: list[Mutant] = []
    seen = {source}
    for _, kind, description, edit in found:
        mutated = syntax.apply_edits(source, [edit])
        if mutated in seen or syntax.has_errors(syntax.parse(grammar, mutated)):
            continue
        seen.add(mutated)
        out.append(Mutant(kind, description, mutated))
    if limit is not None and len(out) > limit:
        step = len(out) / limit
        out = [out[int(i * step)] for i in range(limit)]
    return out


def problem_mutants(problem: Problem, plugins: Any = None, *, limit: int | None = 40
                    ) -> list[Mutant]:
    """:func:`mutants` of ``problem.solution`` in its language's grammar."""
    if plugins is None:
        from codeaug.plugins import get_plugins
        plugins = get_plugins()
    grammar = getattr(plugins.languages.get(problem.language), "tree_sitter", None)
    if not grammar or not problem.solution.strip():
        return []
    return mutants(problem.solution, grammar, limit=limit)


@dataclass
class MutationScore:
    """``killed`` of ``total`` mutants rejected by the tests; ``survivors`` describe the
    rest. ``reference_passed`` is false when the tests fail on the reference itself
    (the score then means nothing and is ``None``)."""

    total: int
    killed: int
    reference_passed: bool = True
    survivors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        if not self.reference_passed or not self.total:
            return None
        return self.killed / self.total

    def as_dict(self) -> dict[str, Any]:
        return {"score": None if self.score is None else round(self.score, 4),
                "mutants": self.total, "killed": self.killed,
                "reference_passed": self.reference_passed,
                "survivors": self.survivors[:20]}


def mutation_scores(problems: Sequence[Problem], oracle: Any, *, limit: int | None = 40,
                    mutant_sets: Sequence[list[Mutant]] | None = None
                    ) -> list[MutationScore]:
    """Each problem's tests run on its reference and on each of its mutants (all jobs
    batched through ``oracle``, a :class:`codeaug.oracle.Oracle`)."""
    if mutant_sets is None:
        mutant_sets = [problem_mutants(p, oracle.plugins, limit=limit) for p in problems]
    jobs: list[Problem] = []
    where: list[tuple[int, int]] = []  # (problem, mutant index or -1 for the reference)
    for i, (problem, ms) in enumerate(zip(problems, mutant_sets, strict=True)):
        jobs.append(problem)
        where.append((i, -1))
        for k, m in enumerate(ms):
            jobs.append(msgspec.structs.replace(problem, solution=m.source))
            where.append((i, k))
    verdicts = oracle.judge(jobs)
    scores = [MutationScore(len(ms), 0) for ms in mutant_sets]
    for (i, k), verdict in zip(where, verdicts, strict=True):
        if k < 0:
            scores[i].reference_passed = verdict.passed
        elif verdict.passed:
            scores[i].survivors.append(mutant_sets[i][k].description)
        else:
            scores[i].killed += 1
    return scores


def score_records(problems: Sequence[Problem], client: Any = None, *, plugins: Any = None,
                  jobs: int = 1, timeout: float | None = None, limit: int | None = 40
                  ) -> dict[str, Any]:
    """``codeaug verify --mutation-score``: per-problem scores (by id) and their mean over
    the problems that have mutants and whose reference passes."""
    from codeaug.oracle import Oracle

    with Oracle(client, plugins=plugins, jobs=jobs, timeout=timeout) as oracle:
        scores = mutation_scores(problems, oracle, limit=limit)
    per = {p.id: s.as_dict() for p, s in zip(problems, scores, strict=True)}
    values = [s.score for s in scores if s.score is not None]
    return {"mean": round(sum(values) / len(values), 4) if values else None,
            "scored": len(values), "problems": per}
