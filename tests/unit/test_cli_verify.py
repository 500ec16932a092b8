"""``codeaug verify`` paths that need no engine: usage errors and an unreachable daemon."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "codeaug.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_unreachable_docker_exits_3_and_says_how_to_start_it(tmp_path: Path) -> None:
    proc = run("verify", "examples/seeds.jsonl", "-o", str(tmp_path / "ok.jsonl"),
               env_extra={"DOCKER_HOST": f"unix://{tmp_path}/no-such-docker.sock"})
    assert proc.returncode == 3, proc.stderr
    assert "cannot reach the Docker engine" in proc.stderr
    assert "Start the Docker engine" in proc.stderr
    assert not (tmp_path / "ok.jsonl").exists()


def test_missing_option_is_a_usage_error() -> None:
    proc = run("verify", "examples/seeds.jsonl")
    assert proc.returncode == 2
    assert "--output" in proc.stderr
