"""One warm container: a started runner and the persistent channel to it.

Jobs go down the channel one at a time; the answer must come back before a deadline
(the job's own time limits plus a grace period), otherwise the container is declared
lost. A lost container is never reused: the pool replaces it.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from typing import TypeVar

import docker
import msgspec
import requests
from docker.models.containers import Container

from codeaug.errors import SandboxError
from codeaug.executor import docker_api
from codeaug.executor.protocol import PROTOCOL_VERSION, Hello, Job, JobResult

START_TIMEOUT = 60.0
GRACE_SECONDS = 10.0

T = TypeVar("T")

_encode = msgspec.json.Encoder().encode
_decode_result = msgspec.json.Decoder(JobResult).decode
_decode_hello = msgspec.json.Decoder(Hello).decode


class ContainerLost(SandboxError):
    """The container stopped answering, died, or said something we cannot trust."""


def engine_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means the engine did not answer at all (refused, reset, timed out),
    as opposed to answering with an error: the first is worth waiting out, the second not.
    """
    if isinstance(exc, docker.errors.APIError):
        return False
    return isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                            ConnectionError, TimeoutError))


class WarmContainer:
    """A runner container that has said hello and is ready for jobs."""

    def __init__(self, client: docker.DockerClient, config: docker_api.ContainerConfig) -> None:
        self.client = client
        self.config = config
        self.jobs_run = 0
        self.container: Container | None = None
        self._channel: docker_api.Channel | None = None
        self._frames = _FrameReader()

    def start(self) -> Hello:
        """Create, attach, start and wait for the runner's hello.

        An unreachable engine surfaces as the client's own connection error (see
        :func:`engine_unreachable`), after this container was cleaned up as far as the
        engine allows, so that the pool can wait for the engine and try again.
        """
        container = self.container = docker_api.create_runner(self.client, self.config)
        try:
            self._channel = docker_api.open_channel(self.client, container)
            container.start()
            line = self._read_line(time.monotonic() + START_TIMEOUT)
            hello = _decode_hello(line)
        except (OSError, docker.errors.APIError, msgspec.DecodeError, ContainerLost) as exc:
            # `container`, not `self.container`: the pool may close us meanwhile.
            unreachable = engine_unreachable(exc)
            log = "" if unreachable else _quietly(lambda: docker_api.logs_tail(container), "")
            _quietly(self.close, None)  # what the engine could not remove, the run's sweep does
            if unreachable:
                raise
            raise SandboxError(f"sandbox runner did not start: {exc}", stderr=log) from None
        if hello.protocol != PROTOCOL_VERSION:
            self.close()
            raise SandboxError(
                f"runner speaks protocol {hello.protocol}, host {PROTOCOL_VERSION}: "
                "rebuild the image with `codeaug sandbox build`"
            )
        return hello

    def run(self, job: Job) -> JobResult:
        """Send one job and wait for its result.

        Raises:
            ContainerLost: no trustworthy answer in time; the container must be discarded.
        """
        self.send(job)
        return self.receive(job)

    def send(self, job: Job) -> None:
        """Queue a job in the runner. It runs jobs in the order sent, so a caller may send
        the next one before the previous answer arrives and the runner never waits."""
        if self._channel is None:
            raise ContainerLost("container is not running")
        try:
            self._channel.sock.sendall(_encode(job) + b"\n")
        except OSError as exc:
            raise ContainerLost(f"channel to the sandbox failed: {exc}") from None

    def receive(self, job: Job) -> JobResult:
        """The result of ``job``, the oldest job sent and not yet answered.

        The watchdog: the answer must come within the job's own time limits plus a grace
        period, counted from now (the runner starts a job when the previous one ends).
        """
        budget = sum(s.limits.wall_seconds for s in job.steps) + GRACE_SECONDS
        try:
            line = self._read_line(time.monotonic() + budget)
        except OSError as exc:
            raise ContainerLost(f"channel to the sandbox failed: {exc}") from None
        try:
            result = _decode_result(line)
        except msgspec.DecodeError as exc:
            raise ContainerLost(f"unreadable answer from the runner: {exc}") from None
        if result.id != job.id:
            raise ContainerLost(f"runner answered job {result.id!r} while {job.id!r} was asked")
        self.jobs_run += 1
        return result

    def _read_line(self, deadline: float) -> bytes:
        if self._channel is None:
            raise ContainerLost("container is closed")
        sock = self._channel.sock
        while True:
            line = self._frames.pop_line()
            if line is not None:
                return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ContainerLost("the runner did not answer in time")
            sock.settimeout(remaining)
            try:
                data = sock.recv(1 << 20)
            except TimeoutError:
                raise ContainerLost("the runner did not answer in time") from None
            if not data:
                raise ContainerLost("the sandbox container exited")
            self._frames.feed(data)

    def close(self) -> None:
        """Close the channel (the runner then exits) and remove the container."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self.container is not None:
            docker_api.remove(self.container)
            self.container = None


def _quietly(action: Callable[[], T], default: T) -> T:
    """``action()``, or ``default`` if the engine fails meanwhile (cleanup must not mask
    the error being handled)."""
    try:
        return action()
    except Exception:
        return default


class _FrameReader:
    """Reassembles lines from Docker's multiplexed attach stream.

    Each frame is an 8-byte header (stream type, 3 zero bytes, big-endian length)
    followed by that many bytes. Only the runner's stdout is attached.
    """

    def __init__(self) -> None:
        self._raw = bytearray()
        self._payload = bytearray()

    def feed(self, data: bytes) -> None:
        self._raw += data
        while len(self._raw) >= 8:
            (size,) = struct.unpack_from(">I", self._raw, 4)
            if len(self._raw) < 8 + size:
                break
            self._payload += self._raw[8 : 8 + size]
            del self._raw[: 8 + size]

    def pop_line(self) -> bytes | None:
        end = self._payload.find(b"\n")
        if end < 0:
            return None
        line = bytes(self._payload[:end])
        del self._payload[: end + 1]
        return line
