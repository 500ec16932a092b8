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

An engine that stops answering (restarted, its socket briefly gone) is waited for with
:func:`with_backoff` for up to :data:`ENGINE_RETRY_SECONDS` whenever a container has to
be started; the jobs its containers had are retried like those of any lost container.
If it stays away longer, the run stops with :class:`DockerUnavailableError` from
:meth:`Executor.next_outcome` (and :meth:`Executor.submit`): what was already written is
kept, and ``--resume`` continues.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import docker

from codeaug.errors import DockerUnavailableError, SandboxError
from codeaug.executor import docker_api
from codeaug.executor.container import WarmContainer, engine_unreachable
from codeaug.executor.protocol import Job, JobResult

_STOP = object()

ENGINE_RETRY_SECONDS = 30.0  # how long an unreachable engine is waited for, in total
T = TypeVar("T")


def with_backoff(
    action: Callable[[], T],
    *,
    budget: float = ENGINE_RETRY_SECONDS,
    first_delay: float = 0.25,
    max_delay: float = 4.0,
    wait: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_retry: Callable[[BaseException, float], None] | None = None,
) -> T:
    """``action()``, retried with exponential backoff while the engine is unreachable.

    Only "no answer at all" errors (:func:`engine_unreachable`) are retried: a restarted
    daemon or a socket briefly gone should not end a long run, while an error the engine
    answers with will not go away by waiting. ``wait(seconds)`` returning true (an
    :class:`threading.Event` being set, say) stops waiting early.

    Raises:
        DockerUnavailableError: the engine was still unreachable after ``budget`` seconds,
            or ``wait`` said to stop.
    """
    deadline = clock() + budget
    delay = first_delay
    while True:
        try:
            return action()
        except Exception as exc:
            if not engine_unreachable(exc):
                raise
            reason = docker_api._short(exc)
            pause = min(delay, deadline - clock())
            if pause > 0 and on_retry is not None:
                on_retry(exc, pause)
        # Raised out here, so that the error does not keep the failed attempt's frames
        # alive (docker-py leaves a refused connection's socket to the collector).
        if pause <= 0:
            raise DockerUnavailableError(
                f"the Docker engine stopped answering ({reason}) and was still "
                f"unreachable after {budget:g} s. {docker_api.HOW_TO_START}")
        if wait(pause):
            raise DockerUnavailableError("stopped waiting for the Docker engine")
        delay = min(max_delay, delay * 2)


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


@dataclass(frozen=True)
class _Fatal:
    """Put on the results queue by a worker that cannot go on: the run must stop."""

    error: SandboxError


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
        self.failed: SandboxError | None = None  # set when the engine is gone for good
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
        """Queue a job; blocks while every container is busy and the queue is full.

        Raises:
            SandboxError: the pool's workers stopped (the engine is gone), so the queue
                would never drain.
        """
        while True:
            if self.failed is not None:
                raise self.failed
            try:
                self.jobs.put((token, job), timeout=0.2)
                return
            except queue.Full:
                continue

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
        """A started container, waiting for an unreachable engine (see :func:`with_backoff`).

        A start that fails while the engine does not answer a ping counts as the engine's
        failure, not the container's, so it is waited out too rather than charged to a job.
        """

        def attempt() -> WarmContainer:
            container = WarmContainer(self.client, self._config(slot))
            with self._lock:
                self._live.add(container)
            try:
                container.start()
            except BaseException as exc:
                with self._lock:
                    self._live.discard(container)
                if isinstance(exc, SandboxError) and not self._closing.is_set():
                    self._raise_if_engine_gone(exc)
                raise
            return container

        told: list[bool] = []

        def tell(exc: BaseException, pause: float) -> None:
            if not told:  # once per outage and worker, not at every retry
                told.append(True)
                self.on_event(f"Docker engine unreachable ({docker_api._short(exc)}); "
                              f"waiting up to {ENGINE_RETRY_SECONDS:g} s for it")

        container = with_backoff(attempt, wait=self._closing.wait, on_retry=tell,
                                 budget=ENGINE_RETRY_SECONDS)
        self.containers_started += 1
        return container

    def _raise_if_engine_gone(self, cause: BaseException) -> None:
        """Raise the client's connection error if the engine does not answer a ping."""
        try:
            self.client.ping()
        except Exception as exc:
            if engine_unreachable(exc):
                raise exc from cause

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
        """A worker that never dies silently: if it fails unexpectedly, the run stops with
        the error instead of waiting for ever for the jobs it held."""
        try:
            self._serve_jobs(slot)
        except Exception as exc:
            self._fail(SandboxError(f"sandbox worker failed: {exc!r}"))

    def _serve_jobs(self, slot: int) -> None:
        """One worker: keeps up to ``pipeline`` jobs sent to its container, so the runner
        starts the next job the moment one ends, and retries what a lost container had."""
        container: WarmContainer | None = None
        try:
            container = self._new_container(slot)
        except DockerUnavailableError as exc:
            self._fail(exc)
            return
        except SandboxError as exc:
            self.on_event(str(exc))
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
                    # At most size x pipeline jobs out, all pools. Never wait for a slot
                    # while holding sent jobs: workers of several images that each hold
                    # some and wait for more would wait for each other for ever.
                    if not self.slots.acquire(blocking=not sent):
                        break
                    task = waiting.popleft()
                    task.attempts += 1
                    sent.append(task)
                    container.send(task.job)
                result = container.receive(sent[0].job)
                if result.runner_error:
                    raise SandboxError(f"runner error: {result.runner_error}")
            except DockerUnavailableError as exc:
                # The engine is gone for good (or we are closing): nothing more can run.
                self._discard(container)
                self._fail(exc)
                return
            except SandboxError as exc:
                self._discard(container)
                container = None
                if self._closing.is_set():
                    return
                if not sent and waiting:
                    # No container could be started: the oldest waiting job pays an
                    # attempt, so a sandbox that never starts ends its jobs as
                    # sandbox_error after the retries instead of looping for ever.
                    head = waiting[0]
                    head.attempts += 1
                    if head.attempts > self.options.retries:
                        waiting.popleft()
                        self.results.put(Outcome(head.token, self.image,
                                                 SandboxFailure(str(exc), head.attempts),
                                                 head.attempts))
                    continue
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

    def _fail(self, error: SandboxError) -> None:
        """Stop the run: the caller gets ``error`` from ``next_outcome`` or ``submit``."""
        if self._closing.is_set():
            return
        self.failed = error
        self.results.put(_Fatal(error))  # type: ignore[arg-type]

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
        with_backoff(lambda: docker_api.sweep_orphans(self.client), budget=ENGINE_RETRY_SECONDS)
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
        """The next finished job, in completion order.

        Raises:
            DockerUnavailableError: the engine stayed unreachable past
                :data:`ENGINE_RETRY_SECONDS`; the jobs still out get no outcome.
        """
        outcome = self.results.get(timeout=timeout)
        if isinstance(outcome, _Fatal):
            self.results.put(outcome)  # every later call raises too
            raise outcome.error
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
