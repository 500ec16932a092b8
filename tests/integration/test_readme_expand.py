"""The README's main command, run as written: ``codeaug expand`` on the bundled seeds.

Every built-in same-language mutator must produce verified variants, every line of the
dataset must re-verify as passed with ``codeaug verify``, the manifest's counts must be
the files' counts, and a second run with the same seed must write identical files.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from codeaug.images import ImageRef

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ("dataset.jsonl", "rejected.jsonl", "problems.jsonl", "manifest.json")
SAME_LANGUAGE_MUTATORS = ("rename", "transform", "constrain", "io")

pytestmark = pytest.mark.slow


def readme_expand_command() -> list[str]:
    """The ``codeaug expand ...`` part of the README's first set-up command."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    command = next(b.strip() for b in blocks if "codeaug expand" in b)
    tail = command.split(" && ")[-1]
    assert tail.startswith("codeaug expand "), command
    return shlex.split(tail)


def codeaug(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codeaug.cli", *argv[1:]], cwd=cwd,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, python_image: ImageRef) -> tuple[Path, Path]:
    """The README command run twice, each in a fresh directory with the examples."""
    argv = readme_expand_command()
    outs = []
    for name in ("first", "second"):
        cwd = tmp_path_factory.mktemp(name)
        (cwd / "examples").symlink_to(ROOT / "examples")
        done = codeaug(argv, cwd)
        assert done.returncode == 0, done.stderr[-3000:]
        out = cwd / argv[argv.index("-o") + 1]
        outs.append(out)
    return outs[0], outs[1]


def records(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_every_same_language_mutator_contributes_verified_variants(
    runs: tuple[Path, Path],
) -> None:
    dataset = records(runs[0] / "dataset.jsonl")
    seeds = records(ROOT / "examples" / "seeds.jsonl")
    made: Counter[tuple[str, str]] = Counter(
        (r["meta"]["mutations"][-1]["name"], r["language"]) for r in dataset)
    for language in {s["language"] for s in seeds}:
        for mutator in SAME_LANGUAGE_MUTATORS:
            assert made[(mutator, language)] > 0, (mutator, language, made)
    for record in dataset:
        assert record["meta"]["verification"]["status"] == "passed"
        assert record["meta"]["seed"] in {s["id"] for s in seeds}
        assert record["meta"]["verification"]["image"].startswith("sha256:")


def test_manifest_counts_are_the_files_counts(runs: tuple[Path, Path]) -> None:
    out = runs[0]
    manifest = json.loads((out / "manifest.json").read_text())
    for name in ("dataset.jsonl", "rejected.jsonl", "problems.jsonl"):
        assert manifest["files"][name] == len(records(out / name))
    by_status: Counter[str] = Counter()
    for counts in manifest["verdicts"].values():
        by_status.update(counts)
    assert by_status["passed"] == manifest["files"]["dataset.jsonl"]
    assert sum(by_status.values()) == (manifest["files"]["dataset.jsonl"]
                                       + manifest["files"]["rejected.jsonl"])


def test_same_seed_gives_identical_files(runs: tuple[Path, Path]) -> None:
    for name in OUTPUTS:
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


def test_dataset_reverifies_as_passed(runs: tuple[Path, Path], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "codeaug.cli", "verify", str(runs[0] / "dataset.jsonl"),
         "-o", str(tmp_path / "again.jsonl"), "--no-cache"],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(records(tmp_path / "again.jsonl")) == len(records(runs[0] / "dataset.jsonl"))
