"""The `translate` mutator against the real sandbox: merged HumanEval-X seeds translated
into cpp, java, javascript, go and rust are passed by HumanEval-X's own canonical
solutions (the `reference` solver), and `codeaug expand --mutator translate` is
deterministic for a fixed --seed and its dataset re-verifies unchanged."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.reference_solver import ReferenceSolver
from codeaug_plugins.translate_mutator import TranslateMutator, TranslateParams

from codeaug.mutator import Variant
from codeaug.record import Problem, decode_problem, encode_problem
from codeaug.testing import verify_problems
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

pytestmark = [pytest.mark.docker, pytest.mark.datasets, pytest.mark.slow]

TASKS = 20
LANGUAGES = ("cpp", "java", "javascript", "go", "rust")


@pytest.fixture(scope="module")
def merged(datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HumanEval-X as merged seeds with recorded calls tests (all 164 tasks)."""
    out = tmp_path_factory.mktemp("hx") / "hx.jsonl"
    subprocess.run([sys.executable, "-m", "codeaug.cli", "import", "humaneval-x",
                    str(datasets / "humaneval-x"), "--merge", "--record-calls", "-o", str(out),
                    "-j", "2"], check=True, capture_output=True)
    return out


def seeds(path: Path, n: int) -> list[Problem]:
    return [decode_problem(line) for line in path.read_bytes().splitlines()[:n]]


def test_reference_solutions_pass_translated_tests(merged: Path) -> None:
    mutator, solver = TranslateMutator(), ReferenceSolver()
    params = TranslateParams(languages="|".join(LANGUAGES))
    problems: list[Problem] = []
    for seed in seeds(merged, TASKS):
        for out in mutator.mutate(seed, params, random.Random(0)):
            if not isinstance(out, Variant):
                continue
            v = out.problem
            solution = next(iter(solver.solve(v, random.Random(0))), None)
            assert solution, (seed.id, v.language)
            problems.append(msgspec.structs.replace(
                v, id=f"{seed.id}~{v.language}", solution=solution))
    verdicts = verify_problems(problems, options=VerifyOptions(jobs=2, cache=False))
    tried, passed = Counter(), Counter()
    failures = []
    for p, verdict in zip(problems, verdicts, strict=True):
        tried[p.language] += 1
        if verdict.status is Status.PASSED:
            passed[p.language] += 1
        else:
            failures.append((p.id, verdict.status.value, verdict.reason))
    for lang in LANGUAGES:
        assert tried[lang] >= TASKS - 2, (lang, tried)
        assert passed[lang] >= 0.95 * tried[lang], (lang, passed[lang], tried[lang], failures)


def test_expand_is_deterministic_and_reverifies(merged: Path, tmp_path: Path) -> None:
    small = tmp_path / "seeds.jsonl"
    small.write_bytes(b"\n".join(encode_problem(s) for s in seeds(merged, 4)) + b"\n")
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        subprocess.run([sys.executable, "-m", "codeaug.cli", "expand", str(small), "-o", str(out),
                        "--mutator", "translate:languages=cpp|javascript|go",
                        "--solver", "reference", "--seed", "7", "-j", "2"],
                       check=True, capture_output=True)
        outs.append(out)
    for name in ("dataset.jsonl", "rejected.jsonl", "problems.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    dataset = [json.loads(line) for line in (outs[0] / "dataset.jsonl").read_text()
               .splitlines()]
    assert len(dataset) == 12
    assert {r["language"] for r in dataset} == {"cpp", "javascript", "go"}
    again = tmp_path / "again.jsonl"
    proc = subprocess.run([sys.executable, "-m", "codeaug.cli", "verify",
                           str(outs[0] / "dataset.jsonl"), "-o", str(again), "--no-cache",
                           "-j", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reverified = [json.loads(line) for line in again.read_text().splitlines()]

    def strip(r: dict) -> dict:  # type: ignore[type-arg]
        return {**r, "meta": {k: v for k, v in r["meta"].items() if k != "verification"}}

    assert [strip(r) for r in reverified] == [strip(r) for r in dataset]
    assert all(r["meta"]["verification"]["status"] == "passed" for r in reverified)
