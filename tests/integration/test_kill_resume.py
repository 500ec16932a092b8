"""Crash-safe output: ``codeaug verify`` SIGKILLed at random moments (drawn from a seed:
before it has opened its outputs, while containers start, in the middle of writing,
near the end), then run again with ``--resume`` (and maybe killed again), ends with the
same passed and rejected records as an uninterrupted run, as sets: no partial line, no
record twice, none missing, and no container of any of those processes left behind.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest

from codeaug.executor.docker_api import LABEL_OWNER
from codeaug.images import ImageRef
from codeaug.testing import interruptible_dataset, output_record_set

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "seeds.jsonl"
CODEAUG = [sys.executable, "-m", "codeaug.cli"]
COUNT = 80
def dataset(path: Path, count: int = COUNT, sleep: float = 0.03) -> Path:
    return interruptible_dataset(path, EXAMPLES, count, sleep)


def verify_cmd(data: Path, ok: Path, bad: Path, *extra: str) -> list[str]:
    # --no-cache: every run really verifies (the test session shares one verdict cache).
    return [*CODEAUG, "verify", str(data), "-o", str(ok), "--rejected", str(bad),
            "--no-cache", "-j", "2", *extra]


def lines_written(*paths: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in paths if p.exists())


def owned_by(client: docker.DockerClient, pid: int) -> list:
    owner = f"{socket.gethostname()}:{pid}"
    return client.containers.list(all=True, filters={"label": f"{LABEL_OWNER}={owner}"})


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory,
              python_image: ImageRef) -> tuple[Path, set[str], set[str], float]:
    """The dataset, what an uninterrupted run makes of it, and how long that run took."""
    tmp = tmp_path_factory.mktemp("reference")
    data = dataset(tmp / "data.jsonl")
    ok, bad = tmp / "ok.jsonl", tmp / "bad.jsonl"
    started = time.monotonic()
    proc = subprocess.run(verify_cmd(data, ok, bad), capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    took = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr  # some records fail on purpose
    passed, rejected = output_record_set(ok), output_record_set(bad)
    assert (len(passed), len(rejected)) == (COUNT - COUNT // 4, COUNT // 4)
    return data, passed, rejected, took


def kill_plan(seed: int, span: float) -> list[tuple[str, float]]:
    """Where to SIGKILL: ``("time", seconds after start)`` or ``("lines", records
    written)`` per run, the first on the fresh run, the next on a ``--resume`` run.
    Seed 0 kills before anything is written, seed 1 near the end (the last records
    written, containers being removed); even seeds kill twice."""
    rng = random.Random(seed)
    if seed == 0:
        return [("time", 0.05 + 0.3 * rng.random())]
    if seed == 1:
        return [("lines", COUNT - 2 - rng.randrange(3))]
    plan = []
    for _ in range(2 if seed % 2 == 0 else 1):
        if rng.random() < 0.5:
            plan.append(("time", rng.uniform(0.0, 0.9 * span)))
        else:
            plan.append(("lines", rng.randrange(COUNT // 2)))
    return plan


def run_and_kill(cmd: list[str], outputs: tuple[Path, Path], kill: tuple[str, float],
                 rng: random.Random) -> tuple[int, bool]:
    """Start ``cmd`` and SIGKILL it at the planned moment; returns (pid, was killed)."""
    mode, at = kill
    already = lines_written(*outputs)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    started = time.monotonic()
    try:
        while proc.poll() is None:
            if mode == "time" and time.monotonic() - started >= at:
                break
            if mode == "lines" and lines_written(*outputs) - already >= at:
                time.sleep(rng.uniform(0, 0.05))  # somewhere in the next writes
                break
            assert time.monotonic() - started < 300, "codeaug never finished"
            time.sleep(0.005)
    finally:
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.pid, killed


@pytest.mark.parametrize("seed", range(5))
def test_sigkill_at_random_moments_then_resume_equals_an_uninterrupted_run(
    tmp_path: Path, docker_client: docker.DockerClient,
    reference: tuple[Path, set[str], set[str], float], seed: int
) -> None:
    data, passed, rejected, span = reference
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    rng = random.Random(seed * 7919)
    pids: list[int] = []
    killed = 0
    for number, kill in enumerate(kill_plan(seed, span)):
        extra = ("--resume",) if number else ()
        pid, was_killed = run_and_kill(verify_cmd(data, ok, bad, *extra), (ok, bad), kill, rng)
        pids.append(pid)
        killed += was_killed
    assert killed, "no kill landed while codeaug ran"
    final = subprocess.Popen(verify_cmd(data, ok, bad, "--resume"), cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = final.communicate(timeout=300)
    pids.append(final.pid)
    # 1: this run rejected some; 0: everything it had left to verify passed.
    assert final.returncode in (0, 1), err
    assert output_record_set(ok) == passed
    assert output_record_set(bad) == rejected
    output_record_set(ok, bad)  # and no id in both files
    # Containers of killed runs die with their channel (or the next run sweeps them);
    # the last run removed its own. Give the engine's auto-removal a moment.
    deadline = time.monotonic() + 20
    for pid in pids:
        while left := owned_by(docker_client, pid):
            assert time.monotonic() < deadline, f"left by {pid}: {[c.name for c in left]}"
            time.sleep(0.25)
