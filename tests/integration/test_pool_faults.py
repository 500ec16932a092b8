"""The pool never loses a job: dead or silent containers are replaced and the job retried;
a job the sandbox cannot run ends as a SandboxFailure, never as a verdict on the code."""

from __future__ import annotations

import threading
import time

import docker
import pytest
from codeaug_plugins.python_language import Python

from codeaug.executor import container as container_module
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import JobResult, Limits
from codeaug.images import ImageRef
from codeaug.record import CodeTests, Problem
from codeaug.verdict import Status

PY = Python()


def job(source: str, ident: str, wall: float = 5):
    problem = Problem(id=ident, language="python", prompt="", tests=CodeTests(code=""),
                      solution=source)
    return problem, PY.build_job(problem, Limits(wall_seconds=wall, cpu_seconds=int(wall)), ident)


def _containers(client: docker.DockerClient, run_id: str) -> list:
    return client.containers.list(filters={"label": f"org.codeaug.run={run_id}"})


KILL_THE_RUNNER = """\
import os, signal
for target in (os.getppid(), -1):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError as exc:
        print(target if target < 0 else "runner", exc.errno)
"""


def test_a_job_cannot_kill_its_runner(
    docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    """Jobs run under another uid than the runner: the kernel refuses the signal, the
    job gets an ordinary verdict and the same container serves the next job."""
    with Executor(docker_client, PoolOptions(size=1, retries=2)) as ex:
        _, killer = job(KILL_THE_RUNNER, "k")
        problem, fine = job("print('fine')\n", "fine")
        ex.submit("k", python_image.tag, killer)
        killed = ex.next_outcome(timeout=120)
        [container] = _containers(docker_client, ex.run_id)
        ex.submit("fine", python_image.tag, fine)
        after = ex.next_outcome(timeout=120)
        assert [c.id for c in _containers(docker_client, ex.run_id)] == [container.id]
    assert isinstance(killed.result, JobResult) and killed.attempts == 1
    # EPERM for the runner; kill(-1) finds nothing else of the job's uid to kill.
    assert "runner 1\n" in killed.result.steps[0].stdout
    assert isinstance(after.result, JobResult) and after.attempts == 1
    assert PY.judge(problem, after.result).status is Status.PASSED


def _crash_runners(client: docker.DockerClient, run_id: str, stop: threading.Event) -> None:
    """Keep killing the runner of every container of ``run_id`` from outside, as the
    container's own user (the runner's real uid), the way a runner bug would end it."""
    crash = ("import os, signal\n"
             "for p in filter(str.isdigit, os.listdir('/proc')):\n"
             "    if int(p) != os.getpid() and b'runner.py' in open(f'/proc/{p}/cmdline', 'rb').read():\n"
             "        os.kill(int(p), signal.SIGKILL)\n")
    while not stop.is_set():
        for c in _containers(client, run_id):
            try:
                c.exec_run(["python3", "-c", crash], user="10001")
            except docker.errors.APIError:
                pass  # it went away meanwhile
        stop.wait(0.2)


def test_a_runner_that_keeps_crashing_ends_as_sandbox_failure(
    docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    """Retries are bounded: after the first try and two retries, each on a fresh
    container, the job is a SandboxFailure (never a verdict on the code)."""
    stop = threading.Event()
    with Executor(docker_client, PoolOptions(size=1, retries=2)) as ex:
        _, slow = job("import time\ntime.sleep(30)\n", "slow", wall=40)
        ex.submit("slow", python_image.tag, slow)
        crasher = threading.Thread(target=_crash_runners, args=(docker_client, ex.run_id, stop))
        crasher.start()
        try:
            crashed = ex.next_outcome(timeout=120)
        finally:
            stop.set()
            crasher.join()
        problem, fine = job("print('fine')\n", "fine")
        ex.submit("fine", python_image.tag, fine)
        after = ex.next_outcome(timeout=120)
    assert isinstance(crashed.result, SandboxFailure)
    assert crashed.attempts == 3
    assert isinstance(after.result, JobResult)
    assert PY.judge(problem, after.result).status is Status.PASSED


def test_a_container_killed_mid_job_is_replaced_and_the_job_retried(
    docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    with Executor(docker_client, PoolOptions(size=1, retries=2)) as ex:
        problem, slow = job("import time\ntime.sleep(1.5)\nprint('done')\n", "slow")
        ex.submit("slow", python_image.tag, slow)
        deadline = time.monotonic() + 60
        while not _containers(docker_client, ex.run_id):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # the job is running now
        first = _containers(docker_client, ex.run_id)[0]
        first.kill()
        outcome = ex.next_outcome(timeout=120)
    assert outcome.attempts == 2
    assert isinstance(outcome.result, JobResult)
    assert PY.judge(problem, outcome.result).status is Status.PASSED


def test_a_silent_container_is_replaced_by_the_watchdog(
    docker_client: docker.DockerClient, python_image: ImageRef, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(container_module, "GRACE_SECONDS", 2.0)
    with Executor(docker_client, PoolOptions(size=1, retries=1)) as ex:
        problem, quick = job("print('hello')\n", "quick", wall=1)
        ex.submit("warm", python_image.tag, quick)
        ex.next_outcome(timeout=120)
        [first] = _containers(docker_client, ex.run_id)
        first.pause()  # the runner is alive but answers nothing
        started = time.monotonic()
        ex.submit("quick", python_image.tag, quick)
        outcome = ex.next_outcome(timeout=120)
        waited = time.monotonic() - started
        remaining = _containers(docker_client, ex.run_id)
    assert outcome.attempts == 2
    assert isinstance(outcome.result, JobResult)
    assert PY.judge(problem, outcome.result).status is Status.PASSED
    assert waited >= 1 + 2.0  # the watchdog waited for the job's budget first
    assert first.id not in {c.id for c in remaining}
    assert docker_client.containers.list(
        all=True, filters={"label": f"org.codeaug.run={ex.run_id}"}) == []
