"""The low layer: the only module that talks to the Docker engine about containers.

It knows how to create a hardened runner container, open its persistent channel,
and remove containers by label, including those a crashed earlier run left behind.
Everything above it (:mod:`.container`, :mod:`.pool`) speaks in jobs and results.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container

from codeaug.errors import DockerUnavailableError, SandboxError

LABEL_MANAGED = "org.codeaug.managed"
LABEL_RUN = "org.codeaug.run"
LABEL_OWNER = "org.codeaug.owner"  # "<hostname>:<pid>" of the codeaug process
RUNNER_PATH = "/opt/codeaug/runner.py"
#: python3, set-uid/gid to the job user (see sandbox/Dockerfile): the runner's interpreter.
RUNNER_PYTHON = "/usr/lib/codeaug/runner-python"
SANDBOX_UID = "10001:10001"

HOW_TO_START = (
    "Start the Docker engine (for example `sudo systemctl start docker` or "
    "`sudo dockerd &`), make sure your user may use it (member of the `docker` group), "
    "or point DOCKER_HOST at a running engine; `codeaug sandbox status` checks."
)


def connect(timeout: float = 120) -> docker.DockerClient:
    """A client for the engine named by the environment (DOCKER_HOST or the local socket).

    Raises:
        DockerUnavailableError: the engine does not answer; the message says how to fix it.
    """
    try:
        client = docker.from_env(timeout=int(timeout))
        client.ping()
    except Exception as exc:
        raise DockerUnavailableError(
            f"cannot reach the Docker engine ({_short(exc)}). {HOW_TO_START}"
        ) from None
    return client


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."


def owner_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class ContainerConfig:
    """How a runner container is confined. Defaults suit one job at a time per container.

    ``memory`` caps RAM and RAM+swap alike (no swap); ``cpus`` is a CFS quota in CPUs;
    ``tmpfs_bytes`` caps the work dir, which is the only writable place besides /tmp.
    """

    image: str
    memory: int = 1536 << 20
    pids: int = 256
    cpus: float = 1.0
    tmpfs_bytes: int = 256 << 20
    tmp_bytes: int = 64 << 20
    cpuset: str | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    extra_labels: dict[str, str] = field(default_factory=dict)


def create_runner(client: docker.DockerClient, config: ContainerConfig) -> Container:
    """Create (not start) a hardened container whose main process is the runner."""
    labels = {LABEL_MANAGED: "1", LABEL_RUN: config.run_id, LABEL_OWNER: owner_label(),
              **config.extra_labels}
    kwargs: dict[str, Any] = dict(
        image=config.image,
        name=f"codeaug-{config.run_id}-{uuid.uuid4().hex[:6]}",
        command=[RUNNER_PYTHON, "-u", RUNNER_PATH],
        user=SANDBOX_UID,
        working_dir="/work",
        network_mode="none",
        read_only=True,
        tmpfs={
            # Root's and sticky, like /tmp: the runner and its jobs (two uids) both
            # write here, and a job cannot chmod it shut.
            "/work": f"rw,exec,nosuid,nodev,size={config.tmpfs_bytes},mode=1777",
            "/tmp": f"rw,noexec,nosuid,nodev,size={config.tmp_bytes},mode=1777",
        },
        cap_drop=["ALL"],
        # No ``no-new-privileges``: it would also disable the one set-uid binary the
        # image has, the runner's interpreter, which puts jobs under a uid of their own
        # (10002) so they cannot signal or trace the runner. The image has no other
        # set-id file, and with every capability dropped a set-id binary grants no
        # capability, only that uid.
        pids_limit=config.pids,
        mem_limit=config.memory,
        memswap_limit=config.memory,
        nano_cpus=int(config.cpus * 1e9),
        init=True,  # docker-init reaps orphans the jobs leave behind
        stdin_open=True,  # not detached, so also StdinOnce: when our channel closes,
        # the runner's stdin closes and it exits
        auto_remove=True,  # ... and the engine removes it, even if we were SIGKILLed
        labels=labels,
        environment={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUTF8": "1"},
        ipc_mode="private",
        ulimits=[docker.types.Ulimit(name="core", soft=0, hard=0)],
        log_config=docker.types.LogConfig(type="json-file", config={"max-size": "1m"}),
    )
    if config.cpuset:
        kwargs["cpuset_cpus"] = config.cpuset
    try:
        return client.containers.create(**kwargs)
    except docker.errors.ImageNotFound as exc:
        raise SandboxError(f"sandbox image {config.image} is missing: {exc}") from None
    except docker.errors.APIError as exc:
        raise SandboxError(f"cannot create a sandbox container: {_short(exc)}") from None


class Channel:
    """The attached stdin/stdout of a container as one raw, bidirectional socket."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw  # docker-py's SocketIO wrapper; it holds a reference on the socket
        sock = getattr(raw, "_sock", raw)
        if not isinstance(sock, socket.socket):
            raise SandboxError(f"unsupported Docker transport for the runner channel: {raw!r}")
        self.sock = sock

    def close(self) -> None:
        # The socket really closes only once its SocketIO wrapper is closed too.
        for closeable in (self._raw, self.sock):
            try:
                closeable.close()
            except OSError:
                pass


def open_channel(client: docker.DockerClient, container: Container) -> Channel:
    """Attach to the container's stdin and stdout.

    Must be called before the container starts, so no output is missed. The runner's
    stdout arrives in Docker's multiplexed frames (see :mod:`.container`).
    """
    raw = client.api.attach_socket(
        container.id or "", params={"stdin": 1, "stdout": 1, "stderr": 0, "stream": 1}
    )
    return Channel(raw)


def remove(container: Container) -> None:
    """Kill and remove, returning once it is gone; a container already gone is fine."""
    try:
        container.remove(force=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc) and exc.status_code != 404:
            raise
        # The engine is auto-removing it (its runner exited): wait for that to finish.
        try:
            container.wait(condition="removed", timeout=30)
        except (docker.errors.NotFound, docker.errors.APIError):
            pass
        except Exception:  # a read timeout: leave it to the next sweep
            pass


def logs_tail(container: Container, lines: int = 20) -> str:
    try:
        return container.logs(tail=lines).decode("utf-8", "replace")
    except docker.errors.APIError:
        return ""


def listed(client: docker.DockerClient, label: str) -> list[Container]:
    """Containers carrying ``label``, from the list call alone. (``containers.list``
    inspects each one afterwards, and raises NotFound for one the engine auto-removes
    in between, which our own finished runs do all the time.)"""
    return [client.containers.prepare_model(attrs)
            for attrs in client.api.containers(all=True, filters={"label": label})]


def remove_run(client: docker.DockerClient, run_id: str) -> int:
    """Remove every container of one run; returns how many were found."""
    found = listed(client, f"{LABEL_RUN}={run_id}")
    for container in found:
        remove(container)
    return len(found)


def sweep_orphans(client: docker.DockerClient) -> int:
    """Remove containers whose codeaug process on this host is gone (a crashed run).

    Containers of live codeaug processes, or of other hosts sharing the engine, are left
    alone. Returns how many were removed.
    """
    host = socket.gethostname()
    removed = 0
    for container in listed(client, f"{LABEL_MANAGED}=1"):
        owner = (container.attrs.get("Labels") or {}).get(LABEL_OWNER, "")
        owner_host, _, pid = owner.rpartition(":")
        if owner_host == host and pid.isdigit() and _alive(int(pid)):
            continue
        if owner_host and owner_host != host:
            continue
        remove(container)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
