"""``codeaug verify`` end to end: the real CLI, the real engine, real datasets."""

from __future__ import annotations

import json
import os
import re
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

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "seeds.jsonl"
CODEAUG = [sys.executable, "-m", "codeaug.cli"]


def codeaug(*args: str | Path, check_exit: int | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*CODEAUG, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    if check_exit is not None:
        assert proc.returncode == check_exit, (proc.stdout, proc.stderr)
    return proc


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_examples_all_pass(tmp_path: Path, python_image: ImageRef) -> None:
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    proc = codeaug("verify", EXAMPLES, "-o", ok, "--rejected", bad, check_exit=0)
    seeds = records(EXAMPLES)
    passed = records(ok)
    assert [r["id"] for r in passed] == [r["id"] for r in seeds]  # input order kept
    assert records(bad) == []
    for record in passed:
        info = record["meta"]["verification"]
        assert info["status"] == "passed"
        assert info["image"] == python_image.id
    assert re.search(rf"passed\D+{len(seeds)}\b", proc.stdout), proc.stdout


def test_humaneval_canonical_solutions_pass(tmp_path: Path, datasets: Path) -> None:
    he = tmp_path / "he.jsonl"
    codeaug("import", "humaneval", datasets / "humaneval" / "HumanEval.jsonl.gz", "-o", he,
            check_exit=0)
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    codeaug("verify", he, "-o", ok, "--rejected", bad, check_exit=0)
    assert len(records(ok)) == 164
    assert records(bad) == []


def _swap_solutions(source: Path, target: Path) -> int:
    """Give every problem the next problem's solution, renamed to this entry point, so
    the wrong code is really called by the tests (not just a NameError)."""
    items = records(source)
    for i, item in enumerate(items):
        donor = items[(i + 1) % len(items)]
        item["solution"] = re.sub(rf"\bdef {re.escape(donor['entry_point'])}\(",
                                  f"def {item['entry_point']}(", donor["solution"])
    target.write_text("".join(json.dumps(item) + "\n" for item in items))
    return len(items)


def test_humaneval_wrong_solutions_are_all_rejected(tmp_path: Path, datasets: Path) -> None:
    he = tmp_path / "he.jsonl"
    codeaug("import", "humaneval", datasets / "humaneval" / "HumanEval.jsonl.gz", "-o", he,
            check_exit=0)
    wrong = tmp_path / "wrong.jsonl"
    assert _swap_solutions(he, wrong) == 164
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    codeaug("verify", wrong, "-o", ok, "--rejected", bad, check_exit=1)
    assert records(ok) == []
    rejected = records(bad)
    assert len(rejected) == 164
    statuses = {r["meta"]["verification"]["status"] for r in rejected}
    assert statuses <= {"failed", "error", "timeout", "memory_limit", "output_limit"}
    assert "failed" in statuses  # the swapped code ran and its assertions caught it
    for record in rejected:
        assert record["meta"]["verification"]["reason"].strip(), record["id"]


def _owned_by(client: docker.DockerClient, pid: int) -> list:
    owner = f"{socket.gethostname()}:{pid}"
    return client.containers.list(all=True, filters={"label": f"{LABEL_OWNER}={owner}"})


def test_no_container_survives_sigkill_and_restart(
    tmp_path: Path, docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    sleeper = {"id": "sleeper", "language": "python", "prompt": "",
               "solution": "import time\ntime.sleep(600)\n", "tests": {"kind": "code", "code": ""}}
    slow = tmp_path / "slow.jsonl"
    slow.write_text("".join(json.dumps({**sleeper, "id": f"s{i}"}) + "\n" for i in range(4)))
    proc = subprocess.Popen([*CODEAUG, "verify", str(slow), "-o", str(tmp_path / "o.jsonl"),
                             "-j", "2", "--timeout", "300"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(_owned_by(docker_client, proc.pid)) < 2:
            assert time.monotonic() < deadline, "containers never started"
            assert proc.poll() is None, "codeaug exited early"
            time.sleep(0.2)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # The next run sweeps whatever the killed one left, then cleans up after itself.
    codeaug("verify", EXAMPLES, "-o", tmp_path / "ok.jsonl", "-j", "1", check_exit=0)
    assert _owned_by(docker_client, proc.pid) == []
    # Whatever else is running belongs to a live codeaug (a benchmark, say), not to us.
    for container in docker_client.containers.list(
            all=True, filters={"label": "org.codeaug.managed=1"}):
        owner_pid = int(container.labels[LABEL_OWNER].rpartition(":")[2])
        assert os.path.exists(f"/proc/{owner_pid}"), container.name


def test_resume_neither_loses_nor_duplicates(tmp_path: Path, python_image: ImageRef) -> None:
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    codeaug("verify", EXAMPLES, "-o", ok, "--rejected", bad, check_exit=0)
    complete = ok.read_bytes().splitlines(keepends=True)
    # An interrupted run: the first five records written, the sixth cut mid-line.
    ok.write_bytes(b"".join(complete[:5]) + complete[5][:40])
    proc = codeaug("verify", EXAMPLES, "-o", ok, "--rejected", bad, "--resume", check_exit=0)
    assert "5 records were already verified" in proc.stdout
    ids = [r["id"] for r in records(ok)]
    assert sorted(ids) == sorted(r["id"] for r in records(EXAMPLES))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("bad_line", [b"{not json\n", b'{"id": 7}\n'])
def test_bad_lines_are_named_and_the_rest_verified(
    tmp_path: Path, python_image: ImageRef, bad_line: bytes
) -> None:
    lines = EXAMPLES.read_bytes().splitlines(keepends=True)[:3]
    data = tmp_path / "mixed.jsonl"
    data.write_bytes(lines[0] + bad_line + lines[1] + lines[2])
    ok = tmp_path / "ok.jsonl"
    proc = codeaug("verify", data, "-o", ok, check_exit=1)
    assert f"{data}:2" in proc.stderr
    assert len(records(ok)) == 3


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_removes_containers_and_keeps_outputs(
    tmp_path: Path, docker_client: docker.DockerClient, python_image: ImageRef, signum: int
) -> None:
    data = tmp_path / "mixed.jsonl"
    fast = EXAMPLES.read_text().splitlines(keepends=True)[:2]
    sleeper = json.dumps({"id": "sleeper", "language": "python", "prompt": "",
                          "solution": "import time\ntime.sleep(600)\n",
                          "tests": {"kind": "code", "code": ""}}) + "\n"
    data.write_text("".join(fast) + sleeper)
    ok = tmp_path / "ok.jsonl"
    proc = subprocess.Popen([*CODEAUG, "verify", str(data), "-o", str(ok), "-j", "1",
                             "--timeout", "300"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ok.exists() or len(records(ok)) < 2:
        assert time.monotonic() < deadline, "the fast records were never written"
        assert proc.poll() is None
        time.sleep(0.1)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr
    assert [r["id"] for r in records(ok)] == [json.loads(line)["id"] for line in fast]
    assert _owned_by(docker_client, proc.pid) == []


def test_verdict_cache_skips_unchanged_and_reruns_changed(
    tmp_path: Path, python_image: ImageRef
) -> None:
    cache = tmp_path / "verdicts.sqlite3"
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    args = ("--cache", cache, "-o", ok, "--rejected", bad)
    first = codeaug("verify", EXAMPLES, *args, check_exit=0)
    assert "from the cache" not in first.stdout
    verified = records(ok)
    second = codeaug("verify", EXAMPLES, *args, check_exit=0)
    n = len(records(EXAMPLES))
    assert f"{n} verdicts came from the cache" in second.stdout
    from_cache = records(ok)
    assert all(r["meta"]["verification"].pop("cached") for r in from_cache)
    assert from_cache == verified  # the same records, verdicts and provenance
    # A changed solution is a different key: verified again, and now rejected.
    items = records(EXAMPLES)
    items[0]["solution"] = items[0]["solution"].replace("return", "return 1 +", 1)
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(i) + "\n" for i in items))
    third = codeaug("verify", changed, *args, check_exit=1)
    assert f"{n - 1} verdicts came from the cache" in third.stdout
    assert [r["id"] for r in records(bad)] == [items[0]["id"]]
    fresh = codeaug("verify", EXAMPLES, *args, "--no-cache", check_exit=0)
    assert "from the cache" not in fresh.stdout
