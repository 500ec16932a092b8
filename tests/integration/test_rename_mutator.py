"""Renamed variants pass in the real sandbox: every renamable seed of examples/seeds.jsonl
and a fixed sample of HumanEval-X's canonical solutions in each of its six languages;
and a half-done rename (solution renamed, tests not) is rejected, so passing means the
rename was carried everywhere it had to be."""

from __future__ import annotations

import random
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.rename_mutator import Rename, RenameParams

from codeaug.errors import RecordError
from codeaug.mutator import Variant
from codeaug.record import Problem, decode_problem
from codeaug.testing import verify_problems
from codeaug.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[2]
MUTATOR = Rename()
#: 10 tasks per language, none of the upstream defects (JavaScript/112 and /155, Rust/32,
#: Go/95 fail or flake with their own canonical solutions).
SAMPLE = range(3, 160, 16)
STYLES = ("auto", "snake", "camel", "pascal", "descriptive-synonym", "random-word")


def _variants(problem: Problem, params: RenameParams, seed: int) -> list[Problem]:
    out = []
    for i, v in enumerate(MUTATOR.mutate(problem, params, random.Random(seed))):
        assert isinstance(v, Variant), v
        out.append(msgspec.structs.replace(v.problem, id=f"{problem.id}~rename{i}"))
    return out


def _verify(problems: list[Problem]) -> None:
    verdicts = verify_problems(problems, options=VerifyOptions(jobs=2))
    failed = [(p.id, v.status.value, v.reason) for p, v in zip(problems, verdicts, strict=True)
              if not v.passed]
    assert not failed, failed


def test_seed_variants_pass() -> None:
    lines = (ROOT / "examples" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    seeds = [decode_problem(line.encode()) for line in lines if line.strip()]
    problems = [v for i, s in enumerate(seeds) if s.entry_point
                for v in _variants(s, RenameParams(style=STYLES[i % len(STYLES)], count=3), i)]
    assert len(problems) == 3 * 16
    _verify(problems)


@pytest.mark.datasets
@pytest.mark.slow
@pytest.mark.timeout(1800)  # the first use of a language builds its sandbox image
def test_humaneval_x_variants_pass_in_every_language(datasets: Path) -> None:
    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if not isinstance(r, RecordError)]
    chosen = [r for r in records if int(r.id.split("/")[1]) in SAMPLE]
    assert len(chosen) == 60
    problems = [v for i, r in enumerate(chosen)
                for v in _variants(r, RenameParams(style=STYLES[i % len(STYLES)], count=1), i)]
    assert {p.language for p in problems} == {"python", "cpp", "java", "javascript", "go",
                                              "rust"}
    _verify(problems)
    # The same variants with their tests left as they were must fail: the tests do call
    # the renamed entry point, so passing above was not for free.
    by_id = {r.id: r for r in chosen}
    half = [msgspec.structs.replace(p, tests=by_id[p.id.split("~")[0]].tests)
            for p in problems[::6]]
    verdicts = verify_problems(half, options=VerifyOptions(jobs=2))
    assert all(not v.passed for v in verdicts), [(p.id, v.status) for p, v in
                                                 zip(half, verdicts, strict=True)]
