"""Records of six languages interleaved in one run: every image's pool shares the same
job slots, and none may wait for another for ever (a deadlock here once hung a run)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat

from codeaug.record import Problem
from codeaug.testing import verify_problems
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions


@pytest.mark.parametrize("jobs", [1, 2])
def test_six_languages_interleaved_all_pass(datasets: Path, jobs: int) -> None:
    by_language: dict[str, list[Problem]] = {}
    for record in HumanEvalXFormat().read(datasets / "humaneval-x"):
        assert isinstance(record, Problem)
        # Tasks 0-5 pass in every language upstream.
        if int(record.id.split("/")[1]) < 6:
            by_language.setdefault(record.language, []).append(record)
    assert len(by_language) == 6
    mixed = [p for group in itertools.zip_longest(*by_language.values()) for p in group if p]
    verdicts = verify_problems(mixed, options=VerifyOptions(jobs=jobs, cache=False))
    assert [(p.id, v.status) for p, v in zip(mixed, verdicts, strict=True)] == [
        (p.id, Status.PASSED) for p in mixed]
