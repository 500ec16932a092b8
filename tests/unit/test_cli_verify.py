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


def test_usage_errors() -> None:
    proc = run("verify")
    assert proc.returncode == 2
    assert "DATA" in proc.stderr
    # Without -o nothing is written (a check, as the pre-commit hook runs it): nothing
    # to resume from.
    proc = run("verify", "examples/seeds.jsonl", "--resume")
    assert proc.returncode == 2
    assert "--resume needs -o/--output" in proc.stderr


def test_a_code_test_solution_must_name_its_entry_point() -> None:
    from codeaug.record import CodeTests, Problem
    from codeaug.verdict import Status
    from codeaug.verify import missing_entry_point

    def problem(solution: str, entry: str = "strlen") -> Problem:
        return Problem(id="x", language="cpp", prompt="", tests=CodeTests(code="t"),
                       entry_point=entry, solution=solution)

    assert missing_entry_point(problem("int strlen(string s) { return s.size(); }")) is None
    assert missing_entry_point(problem("int strlen (string s)\n{ return 0; }")) is None
    missing = missing_entry_point(problem("int largest_divisor(int n) { return 1; }"))
    assert missing is not None and missing.status is Status.ERROR
    assert "`strlen`" in missing.reason
    # A longer name that merely contains it is not it.
    assert missing_entry_point(problem("int my_strlen2(string s) { return 0; }")) is not None
    # Without an entry point, or with calls/io tests, there is nothing to check here.
    assert missing_entry_point(problem("anything", entry="")) is None
