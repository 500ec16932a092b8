"""The hostile-code corpus (``hostile_corpus.py``) against the real sandbox.

Every program runs in a warm container of its language's image (one per image, kept for
the whole module, so each case also attacks the container the next case gets). For each
one: the verdict is one of those the corpus expects, reached within the job's limits;
then the NEXT job in the SAME container (a probe forked from the same runner) finds no
files, IPC objects or processes left, the same runner with the same ids and limits; the
host has no new sandbox processes, its canary file and dir are untouched, its listener
heard nothing, and no canary value appears in anything the job printed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import select
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from codeaug.executor.container import GRACE_SECONDS
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import Job, JobResult, Limits, Step
from codeaug.images import ImageRef, ensure_image
from codeaug.language import Language
from codeaug.plugins import get_plugins
from codeaug.verdict import Status

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import CANARY_ENV, CORPUS, Case, Leak, instantiate

#: Containers get a third of production's memory so that memory bombs end sooner.
POOL = PoolOptions(size=1, retries=0, memory=512 << 20)
#: Slack on top of a step's wall limit for the runner to kill everything the step left:
#: the grace the host's watchdog allows a job beyond its limits. Fork bombs need the most
#: (about 1.5 s on 2 quiet cores; 7 to 17 s measured with a load of 22 on them).
KILL_SLACK = GRACE_SECONDS
#: Slack on top of the steps' own time for the round trip through the pool.
ROUND_TRIP_SLACK = 5.0


# ------------------------------------------------------------------- next-job probe
# Runs forked from the runner (every image has the runner's Python), so one probe serves
# every language.

PROBE_FILE = "codeaug_probe.py"
PROBE = r"""
import json, os, resource

def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as exc:
        return ["<" + (exc.strerror or str(exc)) + ">"]

def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError as exc:
        return "<" + (exc.strerror or str(exc)) + ">"

runner = os.getppid()
mine = (1, os.getpid(), runner)
processes = sorted(
    p + " " + read("/proc/" + p + "/cmdline").replace("\0", " ").strip()
    for p in os.listdir("/proc") if p.isdigit() and int(p) not in mine)
status = read("/proc/%d/status" % runner).splitlines()
print(json.dumps({
    "container": os.uname().nodename,
    "runner_pid": runner,
    "runner_ids": [ln for ln in status if ln.startswith(("Uid:", "Gid:", "Groups:"))],
    "runner_limits": read("/proc/%d/limits" % runner),
    "ids": [os.getresuid(), os.getresgid()],
    "rlimits": {name: resource.getrlimit(getattr(resource, name)) for name in (
        "RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
        "RLIMIT_CORE", "RLIMIT_STACK", "RLIMIT_MEMLOCK")},
    "environ": sorted(os.environ.items()),
    "work_dir": listing("."),
    "work_root": listing(os.path.dirname(os.getcwd())),
    "tmp": listing("/tmp"),
    "dev_shm": listing("/dev/shm"),
    "dev_mqueue": listing("/dev/mqueue"),
    "sysv_ipc": {kind: read("/proc/sysvipc/" + kind).splitlines()[1:]
                 for kind in ("shm", "sem", "msg")},
    "processes": processes,
}))
"""


def probe_job(job_id: str) -> Job:
    """A job that reports what its container holds besides itself."""
    return Job(job_id, {PROBE_FILE: PROBE},
               [Step("probe", ["python3", PROBE_FILE], python_fork=True,
                     limits=Limits(wall_seconds=10, cpu_seconds=5))])


def leftovers(report: dict[str, Any]) -> list[str]:
    """What a previous job left for the probe to find (empty when the container is clean)."""
    found = []
    if report["work_dir"] != [PROBE_FILE]:
        found.append(f"work dir holds {report['work_dir']}")
    if report["work_root"] != ["job"]:
        found.append(f"work root holds {report['work_root']}")
    for key in ("tmp", "dev_shm", "dev_mqueue", "processes"):
        if report[key]:
            found.append(f"{key}: {report[key]}")
    for kind, entries in report["sysv_ipc"].items():
        if entries:
            found.append(f"System V {kind} objects: {entries}")
    return found


def runner_identity(report: dict[str, Any]) -> dict[str, Any]:
    """What no job may change for the next one: the container, the runner process, its ids
    and limits, and the ids, rlimits and environment a job starts with."""
    keys = ("container", "runner_pid", "runner_ids", "runner_limits", "ids", "rlimits",
            "environ")
    return {key: report[key] for key in keys}


# ------------------------------------------------------------------ the host's view

SANDBOX_UIDS = {10001, 10002}
_CONTAINER_ID = re.compile(r"(?:/docker/|docker-)([0-9a-f]{64})")


def sandbox_processes() -> dict[int, tuple[str, str]]:
    """Live host processes with a sandbox uid (real, effective or saved), as
    ``{pid: (container id or "", command line)}``. Containers share the host's kernel, so
    their processes are listed here; one outside every container would be an escape."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cgroup = Path(f"/proc/{entry}/cgroup").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uids = {int(u) for u in fields.get("Uid", "").split()}
        if not uids & SANDBOX_UIDS or fields.get("State", "").strip()[:1] in ("Z", "X"):
            continue
        container = _CONTAINER_ID.search(cgroup)
        found[int(entry)] = (container.group(1) if container else "",
                             cmdline.replace(b"\0", b" ").decode(errors="replace").strip())
    return found


def in_container(processes: dict[int, tuple[str, str]], short_id: str) -> set[int]:
    return {pid for pid, (cid, _) in processes.items() if cid.startswith(short_id)}


def outside_containers(processes: dict[int, tuple[str, str]]) -> set[int]:
    return {pid for pid, (cid, _) in processes.items() if not cid}


class HostListener:
    """A TCP and a UDP socket on one host port, recording whatever reaches them."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("0.0.0.0", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("0.0.0.0", self.port))
        self.heard: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.tcp, self.udp], [], [], 0.2)
            for sock in ready:
                if sock is self.tcp:
                    conn, peer = self.tcp.accept()
                    self.heard.append(f"tcp from {peer}")
                    conn.close()
                else:
                    data, peer = self.udp.recvfrom(65536)
                    self.heard.append(f"udp {data[:20]!r} from {peer}")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.tcp.close()
        self.udp.close()


def host_address() -> str:
    """This host's own outward address (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


# ------------------------------------------------------------------------- fixtures


class Canaries:
    """Secrets of the host a job must never see: an environment variable of this test
    process and a world-readable file in the host's temp dir (visible = readable)."""

    def __init__(self) -> None:
        self.env_value = f"env-canary-{secrets.token_hex(16)}"
        self.file_text = f"file-canary-{secrets.token_hex(16)}"
        self.dir = Path(tempfile.mkdtemp(prefix="codeaug-hostile-"))
        self.dir.chmod(0o777)
        self.file = self.dir / "canary.txt"
        self.file.write_text(self.file_text)
        self.file.chmod(0o644)

    def seen_in(self, text: str) -> list[str]:
        return [name for name, value in (("environment", self.env_value),
                                         ("file", self.file_text)) if value in text]

    def dir_listing(self) -> list[str]:
        return sorted(p.name for p in self.dir.iterdir())


class Sandbox:
    """One warm container per image for the whole module, and the jobs sent to it."""

    def __init__(self, client: docker.DockerClient, executor: Executor) -> None:
        self.client = client
        self.executor = executor
        self.images: dict[str, ImageRef] = {}
        self.jobs = 0

    def image(self, language: Language) -> ImageRef:
        if language.image.name not in self.images:
            self.images[language.image.name] = ensure_image(self.client, language.image)
        return self.images[language.image.name]

    def run(self, image: ImageRef, job: Job, what: str = "the job") -> tuple[JobResult, float]:
        """Run one job alone; a sandbox failure (lost container, runner error) fails."""
        self.jobs += 1
        started = time.monotonic()
        self.executor.submit(self.jobs, image.tag, job)
        outcome = self.executor.next_outcome(timeout=300)
        elapsed = time.monotonic() - started
        assert not isinstance(outcome.result, SandboxFailure), (
            f"the sandbox failed {what} (runner died, runner error or nonsense): "
            f"{outcome.result}")
        assert outcome.attempts == 1
        return outcome.result, elapsed

    def probe(self, image: ImageRef) -> dict[str, Any]:
        result, _ = self.run(image, probe_job(f"probe-{self.jobs}"), "the next job")
        step = result.steps[0]
        assert step.exit_code == 0, f"the probe failed: {step.stderr[-2000:]}"
        return dict(json.loads(step.stdout))

    def containers_started(self, image: ImageRef) -> int:
        return self.executor.pools[image.tag].containers_started

    def recycle(self, image: ImageRef) -> None:
        """Replace the image's container, so one case's leftovers fail only that case."""
        pool = self.executor.pools.pop(image.tag, None)
        if pool is not None:
            pool.close()


@pytest.fixture(scope="module")
def canaries() -> Iterator[Canaries]:
    found = Canaries()
    os.environ[CANARY_ENV] = found.env_value
    try:
        yield found
    finally:
        del os.environ[CANARY_ENV]
        for path in found.dir.iterdir():
            path.unlink()
        found.dir.rmdir()


@pytest.fixture(scope="module")
def listener() -> Iterator[HostListener]:
    server = HostListener()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def sandbox(docker_client: docker.DockerClient, canaries: Canaries) -> Iterator[Sandbox]:
    """Started after the canary variable is set, so the engine could have passed it on."""
    with Executor(docker_client, POOL) as executor:
        yield Sandbox(docker_client, executor)
    left = docker_client.containers.list(
        all=True, filters={"label": f"org.codeaug.run={executor.run_id}"})
    assert not left, f"containers left behind: {[c.name for c in left]}"


# ---------------------------------------------------------------------------- the test

LANGUAGES = get_plugins().languages
#: What a job reports when the kernel refused it a signal or a trace.
REFUSED = ("Operation not permitted", "EPERM", "PermissionError", "runner false")


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_hostile_program_is_contained(case: Case, sandbox: Sandbox, canaries: Canaries,
                                      listener: HostListener) -> None:
    language = LANGUAGES.get(case.language)
    image = sandbox.image(language)
    before = sandbox.probe(image)
    assert leftovers(before) == [], "an earlier job's leftovers (see its failure)"
    started_before = sandbox.containers_started(image)
    host_before = sandbox_processes()
    container = before["container"]
    assert in_container(host_before, container), "the host cannot see the sandbox processes"

    problem = instantiate(case.problem, {
        "HOST_PORT": str(listener.port), "HOST_IP": host_address(),
        "CANARY_FILE": str(canaries.file), "CANARY_DIR": str(canaries.dir)})
    job = language.build_job(problem, case.limits, case.name)
    result, elapsed = sandbox.run(image, job)
    verdict = language.judge(problem, result)
    try:
        # The verdict, within the limits.
        assert verdict.status in case.expected, (verdict.status, verdict.reason,
                                                 verdict.stdout[-500:], verdict.stderr[-1500:])
        assert not result.dirty, "the runner could not clean up after the job"
        for step, spec in zip(result.steps, job.steps, strict=False):
            assert step.wall_seconds <= spec.limits.wall_seconds + KILL_SLACK, step.name
        ran = sum(step.wall_seconds for step in result.steps)
        assert elapsed <= ran + ROUND_TRIP_SLACK, f"{elapsed:.1f} s for {ran:.1f} s of steps"
        printed = "".join(step.stdout + step.stderr for step in result.steps)

        # The next job, in the same container, served by the same runner.
        after = sandbox.probe(image)
        assert leftovers(after) == []
        assert runner_identity(after) == runner_identity(before)
        assert sandbox.containers_started(image) == started_before, "the container was replaced"

        # The host: no new sandbox processes, in our container or outside any container.
        assert_host_processes_settle(host_before, container)
        running = sandbox.client.containers.list(
            filters={"label": f"org.codeaug.run={sandbox.executor.run_id}"})
        assert len(running) == len(sandbox.executor.pools), [c.name for c in running]

        # Secrets, files and network of the host.
        assert canaries.seen_in(printed + json.dumps(after)) == []
        assert canaries.dir_listing() == ["canary.txt"]
        assert canaries.file.read_text() == canaries.file_text
        assert listener.heard == []
        if Leak.SECRETS in case.leaks:  # the job did dump what it could read
            assert "PATH" in printed, "the program printed no environment to search"
        if Leak.RUNNER in case.leaks and Status.ERROR in case.expected:
            assert any(word.lower() in printed.lower() for word in REFUSED), printed[-1000:]
    except BaseException:
        sandbox.recycle(image)
        raise


def assert_host_processes_settle(before: dict[int, tuple[str, str]], container: str) -> None:
    """The container is back to its runner and init, and no sandbox process lives outside
    a container that did not before; exiting processes get a moment to be reaped."""
    deadline = time.monotonic() + 3
    while True:
        now = sandbox_processes()
        extra_inside = in_container(now, container) - in_container(before, container)
        extra_outside = outside_containers(now) - outside_containers(before)
        if not extra_inside and not extra_outside:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"sandbox processes left on the host: "
                f"{ {pid: now[pid] for pid in extra_inside | extra_outside} }")
        time.sleep(0.1)
