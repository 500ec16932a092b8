"""Faults around the sandbox, with the real engine: a container OOM-killed (or its runner
killed by the kernel) in the middle of a batch, the Docker engine unreachable for a
while, and the output file's disk filling up. Every job still gets exactly one outcome,
no record is lost or duplicated, and no container outlives the run.

The engine "goes away" through :class:`EngineProxy`, a unix-socket proxy to the real
engine that the test cuts (open connections dropped, new ones refused) and restores; the
real daemon is never stopped.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import docker
import docker.errors
import pytest
from codeaug_plugins.python_language import Python

from codeaug.errors import DockerUnavailableError
from codeaug.executor import pool as pool_module
from codeaug.executor.docker_api import LABEL_OWNER, LABEL_RUN
from codeaug.executor.pool import Executor, Outcome, PoolOptions, SandboxFailure
from codeaug.executor.protocol import JobResult, Limits
from codeaug.images import ImageRef
from codeaug.record import CodeTests, Problem
from codeaug.testing import interruptible_dataset, output_record_set, skip_or_fail
from codeaug.verdict import Status

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "seeds.jsonl"
CODEAUG = [sys.executable, "-m", "codeaug.cli"]
ENGINE_SOCKET = "/var/run/docker.sock"
PY = Python()


# ----------------------------------------------------------------------------- helpers


class EngineProxy:
    """A unix socket forwarding every connection to the real engine's socket.

    :meth:`cut` makes the engine unreachable as a daemon restart would: every open
    connection (API calls and the containers' attached channels) drops, and new ones are
    refused (the socket file stays, nobody listens). :meth:`restore` listens again.
    """

    def __init__(self, upstream: str = ENGINE_SOCKET) -> None:
        # Short path: a unix socket path must fit in 108 bytes.
        self._dir = tempfile.mkdtemp(prefix="cxp")
        self.path = os.path.join(self._dir, "docker.sock")
        self.url = f"unix://{self.path}"
        self.upstream = upstream
        self.connections = 0
        self.refused_while_cut = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        if os.path.exists(self.path):
            os.unlink(self.path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        server.listen(128)
        server.settimeout(0.1)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            dropped = list(self._open)
            self._open.clear()
        for sock in dropped:
            _shut(sock)

    def close(self) -> None:
        self.cut()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _accept(self, server: socket.socket) -> None:
        while self._server is server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                upstream.connect(self.upstream)
            except OSError:
                _shut(client)
                continue
            client.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
                self.connections += 1
            threading.Thread(target=self._serve, args=(client, upstream), daemon=True).start()

    def _serve(self, client: socket.socket, upstream: socket.socket) -> None:
        back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
        back.start()
        _pump(client, upstream)
        back.join()
        with self._lock:
            self._open.difference_update((client, upstream))
        _shut(client)
        _shut(upstream)


def _pump(src: socket.socket, dst: socket.socket) -> None:
    """Copy until end of stream, then pass the half-close on (an attached channel's end
    of stdin is how the runner learns the host is gone)."""
    try:
        while data := src.recv(1 << 16):
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        _shut(src)
        _shut(dst)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


@pytest.fixture
def proxy() -> Iterator[EngineProxy]:
    p = EngineProxy()
    try:
        yield p
    finally:
        p.close()


def job(source: str, ident: str, wall: float = 5):
    problem = Problem(id=ident, language="python", prompt="", tests=CodeTests(code=""),
                      solution=source)
    return problem, PY.build_job(problem, Limits(wall_seconds=wall, cpu_seconds=int(wall)),
                                 ident)


def run_batch(ex: Executor, image: str, count: int, source: str,
              on_progress=lambda done: None, timeout: float = 120) -> dict[str, Outcome]:
    """Submit ``count`` jobs from a thread and collect every outcome, asserting that
    each token comes back exactly once and nothing more arrives afterwards."""
    problems = {}
    errors: list[BaseException] = []

    def submit_all() -> None:
        try:
            for i in range(count):
                problem, j = job(source, f"j{i}")
                problems[f"j{i}"] = problem
                ex.submit(f"j{i}", image, j)
        except BaseException as exc:  # surfaced by the main thread
            errors.append(exc)

    submitter = threading.Thread(target=submit_all, daemon=True)
    submitter.start()
    outcomes: dict[str, Outcome] = {}
    while len(outcomes) < count:
        outcome = ex.next_outcome(timeout=timeout)
        assert outcome.token not in outcomes, f"{outcome.token} answered twice"
        outcomes[outcome.token] = outcome  # type: ignore[index]
        on_progress(len(outcomes))
    submitter.join(timeout=10)
    assert not errors, errors
    time.sleep(0.5)
    assert ex.results.empty(), "more outcomes than jobs"
    for token, outcome in outcomes.items():
        assert isinstance(outcome.result, JobResult), (token, outcome.result)
        assert PY.judge(problems[token], outcome.result).status is Status.PASSED, token
    return outcomes


def wait_no_containers(client: docker.DockerClient, label: str, grace: float = 20) -> None:
    """No container with ``label`` after ``grace`` seconds (auto-removal takes a moment)."""
    deadline = time.monotonic() + grace
    while True:
        left = client.containers.list(all=True, filters={"label": label})
        if not left:
            return
        assert time.monotonic() < deadline, f"containers left behind: {[c.name for c in left]}"
        time.sleep(0.25)


def runner_host_pid(container) -> int:
    """The runner's pid on the host: the child of the container's init (docker-init)."""
    top = container.top(ps_args="-o pid,ppid,args")
    titles = [t.upper() for t in top["Titles"]]
    rows = [dict(zip(titles, row, strict=False)) for row in top["Processes"]]
    pids = {row["PID"] for row in rows}
    [init] = [row["PID"] for row in rows if row["PPID"] not in pids]
    runners = [int(row["PID"]) for row in rows if row["PPID"] == init]
    if not runners:  # the container is on its way out
        raise ValueError(f"no runner in {rows}")
    return runners[0]


def dataset(path: Path, count: int = 60, sleep: float = 0.04) -> Path:
    return interruptible_dataset(path, EXAMPLES, count, sleep)


def verify_cmd(data: Path, ok: Path, bad: Path, *extra: str) -> list[str]:
    return [*CODEAUG, "verify", str(data), "-o", str(ok), "--rejected", str(bad),
            "--no-cache", "-j", "2", *extra]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory,
              python_image: ImageRef) -> tuple[Path, set[str], set[str], int]:
    """The dataset and what an undisturbed run makes of it."""
    tmp = tmp_path_factory.mktemp("reference")
    data = dataset(tmp / "data.jsonl")
    ok, bad = tmp / "ok.jsonl", tmp / "bad.jsonl"
    proc = subprocess.run(verify_cmd(data, ok, bad), capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr  # some records fail on purpose
    passed, rejected = output_record_set(ok), output_record_set(bad)
    assert len(passed) == 45 and len(rejected) == 15
    return data, passed, rejected, proc.returncode


# ------------------------------------------------------------------ killed containers


@pytest.mark.parametrize("how", ["container", "runner"])
def test_a_container_killed_in_a_batch_loses_no_job(
    docker_client: docker.DockerClient, python_image: ImageRef, how: str
) -> None:
    """``container``: the whole container SIGKILLed (what an OOM kill of its init looks
    like from the host); ``runner``: the kernel kills just the runner process (the OOM
    killer's choice when the job is not the biggest). Twice each, in a batch of 40."""
    kills: list[str] = []

    def kill_one(done: int) -> None:
        if done not in (8, 20):
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # a container may go (recycled) as we pick it
            for victim in docker_client.containers.list(
                    filters={"label": f"{LABEL_RUN}={ex.run_id}"}):
                try:
                    if how == "container":
                        victim.kill(signal="SIGKILL")
                    else:
                        os.kill(runner_host_pid(victim), signal.SIGKILL)
                except (docker.errors.NotFound, docker.errors.APIError, ValueError,
                        ProcessLookupError):
                    continue
                kills.append(victim.name)
                return
            time.sleep(0.05)

    with Executor(docker_client, PoolOptions(size=2, retries=2)) as ex:
        outcomes = run_batch(ex, python_image.tag, 40,
                             "import time\ntime.sleep(0.1)\nprint('ok')\n", kill_one)
    assert len(kills) == 2
    assert max(o.attempts for o in outcomes.values()) >= 2  # a running job was retried
    wait_no_containers(docker_client, f"{LABEL_RUN}={ex.run_id}")


# --------------------------------------------------------------- the engine goes away

# docker-py leaves the socket of a refused connection for the garbage collector to close
# (its UnixHTTPConnection.connect); harmless, but a ResourceWarning we must not fail on.
leaky_client = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning")


def collect_leaked_sockets(ex: Executor | None = None) -> None:
    """Once the sandbox workers are done, collect the sockets they leaked, with their
    ResourceWarning ignored, rather than let the collector find them in a later test."""
    pools = ex.pools.values() if ex is not None else ()
    threads = [t for pool in pools for t in pool._threads]
    threads += [t for t in threading.enumerate() if t.name.startswith("codeaug-")]
    for thread in threads:
        thread.join(timeout=60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(scope="module", autouse=True)
def _no_leak_outlives_this_module() -> Iterator[None]:
    yield
    collect_leaked_sockets()


@leaky_client
def test_executor_rides_out_a_brief_engine_outage(
    docker_client: docker.DockerClient, python_image: ImageRef, proxy: EngineProxy
) -> None:
    client = docker.DockerClient(base_url=proxy.url, timeout=60)
    events: list[str] = []
    outage: list[threading.Thread] = []

    def cut_for_a_while(done: int) -> None:
        if done == 10:
            proxy.cut()
            outage.append(threading.Timer(3.0, proxy.restore))
            outage[0].start()

    try:
        with Executor(client, PoolOptions(size=2, retries=2), on_event=events.append) as ex:
            run_batch(ex, python_image.tag, 60, "import time\ntime.sleep(0.05)\nprint('ok')\n",
                      cut_for_a_while)
        assert outage and not outage[0].is_alive()
        assert any("Docker engine unreachable" in e for e in events), events
    finally:
        client.close()
        collect_leaked_sockets(ex)
    wait_no_containers(docker_client, f"{LABEL_RUN}={ex.run_id}")


@leaky_client
def test_an_engine_gone_too_long_stops_the_run_cleanly(
    docker_client: docker.DockerClient, python_image: ImageRef, proxy: EngineProxy,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "ENGINE_RETRY_SECONDS", 2.0)
    client = docker.DockerClient(base_url=proxy.url, timeout=60)
    try:
        with Executor(client, PoolOptions(size=2, retries=2)) as ex:
            for i in range(4):
                ex.submit(f"j{i}", python_image.tag, job("import time\ntime.sleep(0.3)\n",
                                                         f"j{i}")[1])
            ex.next_outcome(timeout=120)
            proxy.cut()
            started = time.monotonic()
            with pytest.raises(DockerUnavailableError, match="still unreachable after 2 s"):
                while True:  # outcomes already on their way may still arrive first
                    outcome = ex.next_outcome(timeout=60)
                    assert not isinstance(outcome.result, SandboxFailure), outcome
            assert time.monotonic() - started < 30
            with pytest.raises(DockerUnavailableError):  # submit does not block for ever
                for i in range(4, 20):
                    ex.submit(f"j{i}", python_image.tag, job("pass\n", f"j{i}")[1])
            proxy.restore()  # so that closing can remove what is left
    finally:
        client.close()
        collect_leaked_sockets(ex)
    wait_no_containers(docker_client, f"{LABEL_RUN}={ex.run_id}")


def test_verify_rides_out_a_brief_engine_outage(
    tmp_path: Path, docker_client: docker.DockerClient, proxy: EngineProxy,
    reference: tuple[Path, set[str], set[str], int]
) -> None:
    data, passed, rejected, code = reference
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    proc = subprocess.Popen(verify_cmd(data, ok, bad), cwd=ROOT, text=True,
                            env={**os.environ, "DOCKER_HOST": proxy.url},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not ok.exists() or ok.read_bytes().count(b"\n") < 5:
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        proxy.cut()
        time.sleep(4)
        proxy.restore()
        _, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, stderr
    assert "Docker engine unreachable" in stderr
    assert output_record_set(ok) == passed and output_record_set(bad) == rejected
    wait_no_containers(docker_client, f"{LABEL_OWNER}={socket.gethostname()}:{proc.pid}")


# ---------------------------------------------------------------- the disk fills up


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root, as CI runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        skip_or_fail(f"cannot mount a small tmpfs to fill: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_output_disk_stops_cleanly_and_resume_completes(
    small_disk: Path, docker_client: docker.DockerClient,
    reference: tuple[Path, set[str], set[str], int]
) -> None:
    data, passed, rejected, code = reference
    # Leave about 40 KiB: room for some of the 84 KB of records, not for all.
    filler = small_disk / "filler"
    with open(filler, "wb") as f:
        f.write(b"\0" * ((1 << 20) - (40 << 10)))
    ok, bad = small_disk / "ok.jsonl", small_disk / "bad.jsonl"
    proc = subprocess.Popen(verify_cmd(data, ok, bad), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 3, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert "No space left on device" in errors[0] and "--resume" in errors[0]
    assert str(ok) in errors[0] or str(bad) in errors[0]
    written = output_record_set(ok, bad)  # whole lines only, no duplicates
    assert 0 < len(written) < len(passed) + len(rejected)
    assert written <= passed | rejected
    wait_no_containers(docker_client, f"{LABEL_OWNER}={socket.gethostname()}:{proc.pid}")

    filler.unlink()  # space is freed
    again = subprocess.run(verify_cmd(data, ok, bad, "--resume"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == code, again.stderr
    assert "records were already verified" in again.stdout
    assert output_record_set(ok) == passed and output_record_set(bad) == rejected
