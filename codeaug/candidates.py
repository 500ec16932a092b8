"""Candidate solutions from a file (``codeaug expand --candidates FILE``): what a model
produced for the problems of an earlier run's ``problems.jsonl``.

The file is JSONL, one candidate per line: ``{"id": ..., "language": ..., "solution":
...}`` (more than one line per id and language is allowed; the first is tried). Variant
ids are stable for the same seeds, mutators and ``--seed``, so a second ``expand`` run
meets the same ids and verifies the candidates.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from codeaug.errors import RecordError
from codeaug.record import Problem, open_text_lines
from codeaug.solver import Solver


class CandidatesSolver(Solver):
    name = "candidates"
    version = "1"
    summary = "Solutions read from a JSONL file keyed by problem id and language."

    def __init__(self, path: Path) -> None:
        self.path = path
        self.by_key: dict[tuple[str, str], list[str]] = {}
        self.errors: list[RecordError] = []
        for number, line in open_text_lines(path):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                key = (str(item["id"]), str(item["language"]).lower())
                solution = item["solution"]
                if not isinstance(solution, str):
                    raise TypeError("`solution` must be a string")
            except (ValueError, KeyError, TypeError) as exc:
                field = exc.args[0] if isinstance(exc, KeyError) else None
                self.errors.append(RecordError(str(path), number, field,
                                               f"not a candidate: {exc}"))
                continue
            self.by_key.setdefault(key, []).append(solution)

    def solve(self, problem: Problem, rng: random.Random) -> Iterator[str]:
        yield from self.by_key.get((problem.id, problem.language.lower()), [])
