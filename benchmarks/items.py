"""The benchmark's workload: HumanEval items read through codeaug's own importer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codeaug_plugins.humaneval_format import HumanEvalFormat

from codeaug.errors import RecordError
from codeaug.record import CodeTests, Problem

# ../shared/datasets beside the checkout, as in CI.
DEFAULT_DATASET = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "humaneval"
                   / "HumanEval.jsonl.gz")


@dataclass(frozen=True)
class Item:
    """One program to run: ``program`` is exactly what the Python language plugin runs
    as ``main.py`` in the sandbox; ``problem`` is the record codeaug verifies."""

    id: str
    program: str
    problem: Problem


def program_of(problem: Problem) -> str:
    """The test program of a ``code``-tests record, as ``plugins/python_language.py``
    assembles it: the solution, a blank line, then the test code."""
    tests = problem.tests
    if not isinstance(tests, CodeTests):
        raise ValueError(f"{problem.id}: expected code tests, got {type(tests).__name__}")
    return problem.solution.rstrip("\n") + "\n\n" + tests.code


def load_humaneval(path: Path) -> list[Item]:
    """Every record of a HumanEval JSONL file; any unreadable record is an error here,
    since the benchmark must run the same complete set on every system."""
    items: list[Item] = []
    errors: list[RecordError] = []
    for record in HumanEvalFormat().read(path):
        if isinstance(record, RecordError):
            errors.append(record)
        else:
            items.append(Item(record.id, program_of(record), record))
    if errors:
        raise ValueError(f"{path}: {len(errors)} unreadable records, first: {errors[0]}")
    if not items:
        raise ValueError(f"{path}: no records")
    return items
