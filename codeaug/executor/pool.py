"""Warm container pools: the high layer that runs jobs and never loses one.

Each image gets a :class:`ContainerPool` of ``size`` warm containers, each served by
its own thread (the work happens inside the containers, so threads suffice on the
host). The :class:`Executor` routes jobs to the pool of their image and yields every
job's outcome exactly once: a :class:`~codeaug.executor.protocol.JobResult`, or a
:class:`SandboxFailure` after the job was retried on fresh containers.

A container is replaced when it stops answering (the watchdog is the per-job deadline
in :class:`~codeaug.executor.container.WarmContainer`), reports itself dirty, or has
run ``max_jobs_per_container`` jobs. All containers carry the executor's run label and
are removed on close, including after Ctrl-C; ``docker_api.sweep_orphans`` removes
those of a run that was killed.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import docker

from codeaug.errors import SandboxError
from codeaug.executor import docker_api
from codeaug.executor.container import WarmContainer
from codeaug.executor.protocol import Job, JobResult

_STOP = object()


@dataclass(frozen=True)
class SandboxFailure:
    """A job the sandbox could not run, after ``attempts`` tries on fresh containers."""

    reason: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What became of one submitted job; ``token`` is the caller's handle for it."""

    token: Hashable
    image: str
    result: JobResult | SandboxFailure
    attempts: int = 1


@dataclass
class _Task:
    token: Hashable
    job: Job
    attempts: int = 0


@dataclass(frozen=True)
class PoolOptions:
    """Pool sizing and container recycling. ``size`` defaults to one per core."""

    size: int = field(default_factory=lambda: os.cpu_count() or 1)
    max_jobs_per_container: int = 1000
    retries: int = 2
    pipeline: int = 2
    memory: int = 1536 << 20
    pids: int = 256
    cpus: float = 1.0
    pin_cpus: bool = False


class ContainerPool:
    """``size`` warm containers for one image, each driven by one worker thread."""

    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        options: PoolOptions,
        results: queue.Queue[Outcome],
        run_id: str,
        on_event: Callable[[str], None] | None = None,
        slots: threading.Semaphore | None = None,
    ) -> None:
        self.client = client
        self.slots = slots or threading.Semaphore(options.size * max(1, options.pipeline))
        self.image = image
        self.options = options
        self.results = results
        self.run_id = run_id
        self.on_event = on_event or (lambda _msg: None)
        self.jobs: queue.Queue[Any] = queue.Queue(maxsize=options.size * 2)
        self.containers_started = 0
        self._closing = threading.Event()
        self._live: set[WarmContainer] = set()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._serve, args=(i,), name=f"codeaug-{image}-{i}",
                             daemon=True)
            for i in range(options.size)
        ]
        for t in self._threads:
            t.start()

    def submit(self, token: Hashable, job: Job) -> None:
        """Queue a job; blocks while every container is busy and the queue is full."""
        self.jobs.put((token, job))

    def _config(self, slot: int) -> docker_api.ContainerConfig:
        cpus = os.cpu_count() or 1
        return docker_api.ContainerConfig(
            image=self.image,
            memory=self.options.memory,
            pids=self.options.pids,
            cpus=self.options.cpus,
            cpuset=str(slot % cpus) if self.options.pin_cpus else None,
            run_id=self.run_id,
        )

    def _new_container(self, slot: int) -> WarmContainer:
        container = WarmContainer(self.client, self._config(slot))
        with self._lock:
            self._live.add(container)
        container.start()
        self.containers_started += 1
        return container

    def _discard(self, container: WarmContainer | None) -> None:
        if container is None:
            return
        with self._lock:
            self._live.discard(container)
        try:
            container.close()
        except Exception as exc:  # removal failing must not lose the job
            self.on_event(f"could not remove a sandbox container: {exc}")

    def _serve(self, slot: int) -> None:
        """One worker: keeps up to ``pipeline`` jobs sent to its container, so the runner
        starts the next job the moment one ends, and retries what a lost container had."""
        try:
            container: WarmContainer | None = self._new_container(slot)
        except SandboxError as exc:
            self.on_event(str(exc))
            container = None
        waiting: deque[_Task] = deque()  # taken from the queue or to retry, not yet sent
        sent: deque[_Task] = deque()  # sent to the container, oldest first
        depth = max(1, self.options.pipeline)
        stopping = False
        while True:
            while not stopping and len(waiting) + len(sent) < depth:
                try:
                    item = self.jobs.get(block=not (waiting or sent))
                except queue.Empty:
                    break
                if item is _STOP or self._closing.is_set():
                    stopping = True
                    break
                waiting.append(_Task(*item))
            if not waiting and not sent:
                if stopping:
                    break
                continue
            try:
                if container is None:
                    container = self._new_container(slot)
                limit = self.options.max_jobs_per_container
                while waiting and len(sent) < depth and container.jobs_run + len(sent) < limit:
                    task = waiting.popleft()
                    task.attempts += 1
                    self.slots.acquire()  # at most size x pipeline jobs out, all pools
                    sent.append(task)
                    container.send(task.job)
                result = container.receive(sent[0].job)
                if result.runner_error:
                    raise SandboxError(f"runner error: {result.runner_error}")
            except SandboxError as exc:
                self._discard(container)
                container = None
                if self._closing.is_set():
                    return
                # Everything the container had is retried, oldest first, on a fresh one.
                # Only the oldest was running (the runner takes jobs in order): the jobs
                # queued behind it are not charged an attempt for what it did.
                for position, task in reversed(list(enumerate(sent))):
                    self.slots.release()
                    if position > 0:
                        task.attempts -= 1
                    if task.attempts > self.options.retries:
                        self.results.put(Outcome(task.token, self.image,
                                                 SandboxFailure(str(exc), task.attempts),
                                                 task.attempts))
                    else:
                        waiting.appendleft(task)
                sent.clear()
                continue
            task = sent.popleft()
            self.slots.release()
            self.results.put(Outcome(task.token, self.image, result, task.attempts))
            if result.dirty or (not sent and container.jobs_run >= limit):
                # A dirty container is not trusted with the jobs already sent to it: they
                # go back to wait for a fresh one, through no fault of their own.
                for queued in reversed(sent):
                    self.slots.release()
                    queued.attempts -= 1
                    waiting.appendleft(queued)
                sent.clear()
                self._discard(container)
                container = None
        self._discard(container)

    def close(self) -> None:
        """Stop the workers and remove every container of this pool."""
        self._closing.set()
        for _ in self._threads:
            try:
                self.jobs.put_nowait(_STOP)
            except queue.Full:
                break
        with self._lock:
            live = list(self._live)
        for container in live:  # unblocks workers waiting on a runner
            self._discard(container)
        for t in self._threads:
            t.join(timeout=5)


class Executor:
    """Runs jobs on warm containers, one pool per image, and yields each outcome once.

    Use as a context manager so containers are removed however the block ends::

        with Executor(client, PoolOptions(size=2)) as ex:
            ex.submit("a", image, job)
            outcome = ex.next_outcome()
    """

    def __init__(
        self,
        client: docker.DockerClient,
        options: PoolOptions | None = None,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.options = options or PoolOptions()
        self.on_event = on_event
        self.run_id = docker_api.ContainerConfig(image="").run_id
        self.pools: dict[str, ContainerPool] = {}
        # Every image keeps `size` warm containers, but only `size` x `pipeline` jobs are
        # out at a time in all of them together (running or queued in a runner): a
        # mixed-language run does not oversubscribe the cores, and waiting workers of
        # every language take turns for the free slots.
        self.slots = threading.Semaphore(self.options.size * max(1, self.options.pipeline))
        self.results: queue.Queue[Outcome] = queue.Queue()
        self.in_flight = 0

    def __enter__(self) -> Executor:
        docker_api.sweep_orphans(self.client)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pool(self, image: str) -> ContainerPool:
        """The pool for ``image``, started (containers warming up) on first use."""
        if image not in self.pools:
            self.pools[image] = ContainerPool(
                self.client, image, self.options, self.results, self.run_id, self.on_event,
                self.slots,
            )
        return self.pools[image]

    def submit(self, token: Hashable, image: str, job: Job) -> None:
        self.pool(image).submit(token, job)
        self.in_flight += 1

    def next_outcome(self, timeout: float | None = None) -> Outcome:
        """The next finished job, in completion order."""
        outcome = self.results.get(timeout=timeout)
        self.in_flight -= 1
        return outcome

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()
        # Anything a worker was still creating when we closed carries our run label.
        try:
            docker_api.remove_run(self.client, self.run_id)
        except Exception as exc:
            if self.on_event:
                self.on_event(f"could not sweep sandbox containers: {exc}")
