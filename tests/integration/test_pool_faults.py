"""The pool never loses a job: dead or silent containers are replaced and the job retried;
a job the sandbox cannot run ends as a SandboxFailure, never as a verdict on the code."""

from __future__ import annotations

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


def test_a_job_that_kills_the_runner_ends_as_sandbox_failure(
    docker_client: docker.DockerClient, python_image: ImageRef
) -> None:
    with Executor(docker_client, PoolOptions(size=1, retries=2)) as ex:
        _, killer = job("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n", "k")
        problem, fine = job("print('fine')\n", "fine")
        ex.submit("k", python_image.tag, killer)
        ex.submit("fine", python_image.tag, fine)
        outcomes = {o.token: o for o in (ex.next_outcome(timeout=120) for _ in range(2))}
    killed = outcomes["k"]
    assert isinstance(killed.result, SandboxFailure)
    assert killed.attempts == 3  # the first try and two retries, each on a fresh container
    # The job after it ran normally on yet another fresh container.
    result = outcomes["fine"].result
    assert isinstance(result, JobResult)
    assert PY.judge(problem, result).status is Status.PASSED


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
