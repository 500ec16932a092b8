"""Hostile candidates in the real sandbox: each gets the right verdict within its limits,
and neither the host nor the next job in the same container notices."""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import pytest
from codeaug_plugins.python_language import Python

from codeaug.executor.pool import Executor, SandboxFailure
from codeaug.executor.protocol import JobResult, Limits
from codeaug.images import ImageRef
from codeaug.record import CodeTests, Problem
from codeaug.verdict import Status, Verdict

PY = Python()
FAST = Limits(wall_seconds=3, cpu_seconds=3)
CLEAN_CHECK = """
import os
assert sorted(os.listdir(".")) == ["main.py"], os.listdir(".")
assert os.listdir("/tmp") == [], os.listdir("/tmp")
runner = (1, os.getpid(), os.getppid())
others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in runner]
assert others == [], others
import resource
assert resource.getrlimit(resource.RLIMIT_CPU)[0] == 3
"""


def program(source: str, ident: str = "hostile") -> Problem:
    return Problem(id=ident, language="python", prompt="", tests=CodeTests(code=""),
                   solution=source)


def run(executor: Executor, image: ImageRef, source: str, limits: Limits = FAST,
        token: str = "t") -> tuple[Verdict, JobResult, float]:
    problem = program(source)
    started = time.monotonic()
    executor.submit(token, image.tag, PY.build_job(problem, limits, token))
    outcome = executor.next_outcome(timeout=120)
    elapsed = time.monotonic() - started
    assert not isinstance(outcome.result, SandboxFailure), outcome.result
    return PY.judge(problem, outcome.result), outcome.result, elapsed


def assert_next_job_is_clean(executor: Executor, image: ImageRef) -> None:
    """Both warm containers run a job that checks for leftovers of the previous one."""
    for i in range(2):
        executor.submit(f"clean{i}", image.tag,
                        PY.build_job(program(CLEAN_CHECK), FAST, f"clean{i}"))
    for _ in range(2):
        outcome = executor.next_outcome(timeout=60)
        assert isinstance(outcome.result, JobResult), outcome.result
        verdict = PY.judge(program(CLEAN_CHECK), outcome.result)
        assert verdict.status is Status.PASSED, (verdict.reason, verdict.stderr)


def test_network_is_unreachable(executor: Executor, python_image: ImageRef) -> None:
    # A listener on the host that the candidate tries to reach through the bridge gateway.
    server = socket.socket()
    server.bind(("0.0.0.0", 0))
    server.listen()
    server.settimeout(0.5)
    port = server.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        try:
            accepted.append(server.accept())
        except OSError:
            pass

    listener = threading.Thread(target=accept)
    listener.start()
    source = f"""
import socket
errors = []
for host in ("172.17.0.1", "10.0.0.1", "1.1.1.1"):
    try:
        socket.create_connection((host, {port}), timeout=2)
    except OSError as exc:
        errors.append(type(exc).__name__)
try:
    socket.getaddrinfo("example.com", 80)
except OSError as exc:
    errors.append("dns")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b"x", ("172.17.0.1", {port}))
except OSError:
    errors.append("udp")
assert len(errors) == 5, errors
raise SystemExit("network blocked: " + ",".join(errors))
"""
    verdict, result, _ = run(executor, python_image, source)
    listener.join()
    server.close()
    assert accepted == []
    assert verdict.status is Status.ERROR
    assert "network blocked" in result.steps[0].stderr
    assert_next_job_is_clean(executor, python_image)


def test_writing_outside_the_work_dir_fails(executor: Executor, python_image: ImageRef) -> None:
    source = """
import os
blocked = []
for path in ("/etc/passwd", "/opt/codeaug/runner.py", "/usr/bin/evil", "/work/../etc/x", "/evil"):
    try:
        with open(path, "a") as f:
            f.write("x")
    except OSError as exc:
        blocked.append(path)
assert len(blocked) == 5, blocked
open("inside.txt", "w").write("fine")
open("/tmp/scratch", "w").write("fine")
raise SystemExit(3)
"""
    verdict, result, _ = run(executor, python_image, source)
    assert result.steps[0].exit_code == 3, result.steps[0].stderr
    assert verdict.status is Status.ERROR
    # The runner itself is intact and the files the job did write are gone.
    assert_next_job_is_clean(executor, python_image)


def test_fork_bomb_is_contained(executor: Executor, python_image: ImageRef) -> None:
    bomb = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
    neighbour = "import time\nt = time.time()\nwhile time.time() - t < 1.5: pass\nprint('ok')\n"
    executor.submit("bomb", python_image.tag, PY.build_job(program(bomb), FAST, "bomb"))
    executor.submit("neighbour", python_image.tag,
                    PY.build_job(program(neighbour), FAST, "neighbour"))
    outcomes = {o.token: o for o in (executor.next_outcome(timeout=120) for _ in range(2))}
    # The host can still start processes while and after the bomb went off.
    assert subprocess.run(["true"], check=False).returncode == 0
    bomb_result = outcomes["bomb"].result
    assert isinstance(bomb_result, JobResult)
    assert PY.judge(program(bomb), bomb_result).status is Status.TIMEOUT
    neighbour_result = outcomes["neighbour"].result
    assert isinstance(neighbour_result, JobResult)
    assert PY.judge(program(neighbour), neighbour_result).status is Status.PASSED
    assert_next_job_is_clean(executor, python_image)


@pytest.mark.parametrize("allocation", [
    "b = bytearray(4 << 30)",
    "chunks = []\nwhile True:\n    chunks.append(bytearray(64 << 20))",
])
def test_four_gib_allocation_hits_the_memory_limit(
    executor: Executor, python_image: ImageRef, allocation: str
) -> None:
    verdict, _, elapsed = run(executor, python_image, allocation)
    assert verdict.status is Status.MEMORY_LIMIT, (verdict.reason, verdict.stderr)
    assert elapsed < FAST.wall_seconds + 5
    assert_next_job_is_clean(executor, python_image)


def test_cgroup_oom_kills_the_job_not_the_runner(
    executor: Executor, python_image: ImageRef
) -> None:
    # Without an address-space rlimit the container's memory cgroup is the backstop.
    limits = Limits(wall_seconds=20, cpu_seconds=20, address_space=0)
    source = "chunks = []\nwhile True:\n    chunks.append(b'x' * (64 << 20))"
    verdict, result, _ = run(executor, python_image, source, limits)
    assert verdict.status is Status.MEMORY_LIMIT, (verdict.reason, result)
    assert result.steps[0].oom_killed
    assert_next_job_is_clean(executor, python_image)


def test_hundred_megabytes_of_output_is_cut(executor: Executor, python_image: ImageRef) -> None:
    source = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1 << 20))\n"
    verdict, result, elapsed = run(executor, python_image, source)
    assert verdict.status is Status.OUTPUT_LIMIT
    stdout = result.steps[0].stdout
    cap = FAST.output_bytes
    assert stdout.startswith("x" * 1000)
    assert "output truncated" in stdout
    assert len(stdout) < cap + 200
    assert elapsed < FAST.wall_seconds + 5
    assert_next_job_is_clean(executor, python_image)


def test_sleeping_forever_times_out(executor: Executor, python_image: ImageRef) -> None:
    verdict, result, elapsed = run(executor, python_image, "import time\ntime.sleep(10**6)")
    assert verdict.status is Status.TIMEOUT
    assert FAST.wall_seconds <= result.steps[0].wall_seconds < FAST.wall_seconds + 1
    assert elapsed < FAST.wall_seconds + 5
    assert_next_job_is_clean(executor, python_image)


def test_daemons_left_behind_are_killed(executor: Executor, python_image: ImageRef) -> None:
    source = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    os._exit(0)
print("parent done")
"""
    verdict, _, _ = run(executor, python_image, source)
    assert verdict.status is Status.PASSED
    assert_next_job_is_clean(executor, python_image)


@pytest.mark.parametrize("source", ["def f(:\n    pass\n", "def f():\nreturn 1\n"])
def test_a_syntax_error_is_a_compile_error(
    executor: Executor, python_image: ImageRef, source: str
) -> None:
    verdict, _, _ = run(executor, python_image, source)
    assert verdict.status is Status.COMPILE_ERROR
    assert verdict.reason.split(":")[0] in ("SyntaxError", "IndentationError")
