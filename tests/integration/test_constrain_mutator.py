"""The `constrain` mutator against the real sandbox: constrained variants of the seeds and
of HumanEval-X (every language) pass verification, and a solution that breaks its
constraint is rejected with the constraint as the reason, by the library and the CLI."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.constrain_mutator import ConstrainMutator, ConstrainParams
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat

from codeaug.mutator import Variant
from codeaug.record import Problem, decode_problem, encode_problem
from codeaug.testing import verify_problems
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [decode_problem(line) for line in (ROOT / "examples" / "seeds.jsonl").read_bytes()
         .splitlines() if line.strip()]
MUTATOR = ConstrainMutator()
OPTIONS = VerifyOptions(jobs=2)


def constrained(problems: list[Problem], count: int) -> list[Problem]:
    out = []
    for i, p in enumerate(problems):
        for v in MUTATOR.mutate(p, ConstrainParams(count=count), random.Random(i)):
            assert isinstance(v, Variant), (p.id, v)
            out.append(msgspec.structs.replace(v.problem, id=f"{p.id}~{v.label}"))
    return out


def test_constrained_seed_variants_pass() -> None:
    variants = constrained(SEEDS, count=3)
    assert len(variants) == 3 * len(SEEDS)
    verdicts = verify_problems(variants, options=OPTIONS)
    failed = [(p.id, v.status.value, v.reason) for p, v in zip(variants, verdicts, strict=True)
              if not v.passed]
    assert not failed


def test_humaneval_x_variants_pass_in_every_language(datasets: Path) -> None:
    """Two constrained variants of 3 HumanEval-X problems per language (36 runs; the
    full measurement is in docs/mutators.md)."""
    picked = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
              if isinstance(r, Problem) and int(r.id.split("/")[1]) % 55 == 3]
    assert {p.language for p in picked} == {"python", "cpp", "java", "javascript", "go",
                                            "rust"}
    failed = []
    for language in sorted({p.language for p in picked}):  # one image at a time
        variants = constrained([p for p in picked if p.language == language], count=2)
        verdicts = verify_problems(variants, options=OPTIONS)
        failed += [(p.id, v.status.value, v.reason)
                   for p, v in zip(variants, verdicts, strict=True) if not v.passed]
    assert not failed


def breaking(language: str = "python") -> tuple[Problem, Problem]:
    """A seed with a loop, once as it is and once with `no-loops` added."""
    seed = next(p for p in SEEDS if p.id == "examples/dedupe-keep-order")
    return seed, msgspec.structs.replace(seed, id="breaks-no-loops",
                                         constraints=[*seed.constraints, "no-loops"])


def test_a_solution_breaking_its_constraint_fails_with_the_constraint_reason() -> None:
    seed, broken = breaking()
    ok, bad = verify_problems([seed, broken], options=OPTIONS)
    assert ok.passed  # the same solution passes its tests...
    assert bad.status is Status.FAILED  # ...but not with the constraint
    assert bad.reason == "constraint `no-loops` violated: line 4: for loop"
    assert bad.failed_test == "constraint no-loops"


def read(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}


@pytest.mark.parametrize("cache", [True, False])
def test_codeaug_verify_rejects_the_constraint_breaker(tmp_path: Path, cache: bool) -> None:
    seed, broken = breaking()
    forced = next(MUTATOR.mutate(seed, ConstrainParams(constraint="no-loops"),
                                 random.Random(0)))
    assert isinstance(forced, Variant) and forced.problem.solution == ""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(encode_problem(p) + b"\n" for p in [seed, broken]))
    args = [sys.executable, "-m", "codeaug.cli", "verify", str(source),
            "-o", str(tmp_path / "ok.jsonl"), "--rejected", str(tmp_path / "bad.jsonl"),
            "--cache", str(tmp_path / "cache.sqlite3")]
    for _ in range(2):  # the second run answers from the cache where it may
        run = subprocess.run([*args, *([] if cache else ["--no-cache"])],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 1, run.stderr
        passed, rejected = (read(tmp_path / "ok.jsonl"), read(tmp_path / "bad.jsonl"))
        assert seed.id in passed, rejected.get(seed.id, {}).get("meta")
        info = rejected["breaks-no-loops"]["meta"]["verification"]
        assert info["status"] == "failed"
        assert info["reason"] == "constraint `no-loops` violated: line 4: for loop"
