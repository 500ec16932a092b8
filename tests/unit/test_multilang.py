"""Merged multi-language seeds: HumanEval-X's six records per task become one, and each
language's record comes back out of it unchanged."""

from __future__ import annotations

import random
from pathlib import Path

from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.reference_solver import ReferenceSolver

from codeaug.multilang import carried_languages, language_record, merge_by_task
from codeaug.record import CodeTests, Problem


def test_humaneval_x_merges_into_one_seed_per_task(datasets: Path) -> None:
    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if isinstance(r, Problem)]
    assert len(records) == 6 * 164
    merged = list(merge_by_task(records))
    assert [m.id for m in merged] == [f"HumanEval/{i}" for i in range(164)]
    by_id = {r.id: r for r in records}
    for seed in merged:
        assert seed.language == "python"
        assert carried_languages(seed) == ["cpp", "go", "java", "javascript", "rust"]
        for original_id in seed.meta["merged_from"]:
            original = by_id[original_id]
            assert language_record(seed, original.language) == (
                original if original.language != "python" else seed)
        # The reference solver proposes each language's canonical solution.
        for language in carried_languages(seed):
            target = language_record(seed, language)
            assert target is not None
            variant = Problem(id="v", language=language, prompt="", tests=CodeTests(code=""),
                              entry_point=target.entry_point, meta=seed.meta)
            assert list(ReferenceSolver().solve(variant, random.Random(0))) == [target.solution]


def test_records_without_a_task_pass_through_and_order_is_kept() -> None:
    def rec(ident: str, language: str, task: str | None) -> Problem:
        meta = {"task": task} if task else {}
        return Problem(id=ident, language=language, prompt="", tests=CodeTests(code=""),
                       meta=meta)

    out = list(merge_by_task([rec("a", "go", "T1"), rec("b", "python", None),
                              rec("c", "python", "T1"), rec("d", "go", "T1")]))
    assert [p.id for p in out] == ["T1", "b"]
    assert out[0].language == "python"  # python is the primary language when present
    assert out[0].meta["merged_from"] == ["c", "a", "d"]
    assert carried_languages(out[0]) == ["go"]  # the second go record is a duplicate
    assert language_record(out[0], "go") == rec("a", "go", "T1")
    assert language_record(out[0], "rust") is None
