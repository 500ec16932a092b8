"""Merged multi-language seeds: one record per task carrying the task in every language.

HumanEval-X ships each task six times, once per language. Merged, the task is one seed:
the record in the primary language (Python when there is one) whose
``meta["languages"]`` maps every other language to that language's complete record (as
JSON). A translation of the seed into one of those languages can then be paired with
the dataset's own solution there (the ``reference`` solver), and nothing of the
original per-language records is lost: :func:`language_record` gives each back.

Records are grouped by ``meta["task"]``, which importers that know a task's siblings set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from codeaug.record import Problem

#: The ``meta`` key holding the other languages' records.
LANGUAGES_KEY = "languages"
PRIMARY_ORDER = ("python",)


def merge_by_task(records: Iterable[Problem]) -> Iterator[Problem]:
    """One merged record per ``meta["task"]`` (in first-seen order); records without a
    task pass through unchanged."""
    groups: dict[str, list[Problem]] = {}
    order: list[str | Problem] = []
    for record in records:
        task = record.meta.get("task")
        if not isinstance(task, str):
            order.append(record)
            continue
        if task not in groups:
            groups[task] = []
            order.append(task)
        groups[task].append(record)
    for entry in order:
        if isinstance(entry, Problem):
            yield entry
        else:
            yield merge(entry, groups[entry])


def merge(task: str, records: list[Problem]) -> Problem:
    """The primary record, renamed ``task``, carrying the others under ``meta.languages``."""
    ranked = sorted(records, key=lambda p: (p.language not in PRIMARY_ORDER,
                                            records.index(p)))
    primary, others = ranked[0], ranked[1:]
    languages: dict[str, Any] = {}
    for other in others:
        if other.language in languages or other.language == primary.language:
            continue  # a duplicate of a language: the first one wins
        languages[other.language] = msgspec.to_builtins(other)
    meta = {**primary.meta, LANGUAGES_KEY: languages,
            "merged_from": [p.id for p in ranked]}
    return msgspec.structs.replace(primary, id=task, meta=meta)


def language_record(problem: Problem, language: str) -> Problem | None:
    """The record for ``language`` of a merged ``problem``: itself in its own language,
    else the one it carries (None if it carries none)."""
    if problem.language == language:
        return problem
    return carried_record(problem, language)


def carried_record(problem: Problem, language: str) -> Problem | None:
    """The record for ``language`` in ``meta.languages`` only (a variant translated into
    ``language`` still carries the dataset's own record for it there)."""
    raw = problem.meta.get(LANGUAGES_KEY, {}).get(language)
    if raw is None:
        return None
    return msgspec.convert(raw, Problem)


def carried_languages(problem: Problem) -> list[str]:
    """The languages a merged record carries besides its own."""
    return sorted(problem.meta.get(LANGUAGES_KEY, {}))
