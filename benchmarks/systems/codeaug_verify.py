"""codeaug itself: HumanEval verified in the Docker sandbox (warm fork-server containers).

Three ways of driving it, all through codeaug's public pieces:

* :class:`CodeaugCold` - one ``Verifier.verify_stream`` call per timed run, exactly what
  ``codeaug verify`` does as a library: the timed run includes the orphan sweep, the
  image check, starting ``jobs`` containers and waiting for their runners' hello, all
  jobs, and removing the containers at the end.
* :class:`CodeaugWarm` - one ``Executor`` kept open across runs, so a timed run is only
  the jobs (``Python.build_job`` -> pool -> runner -> ``Python.judge``), with the same
  window of in-flight jobs as the Verifier. ``setup`` starts the pool and runs one
  untimed warm-up pass. With ``jobs=1, window=1`` it sends one job at a time, which
  gives the host-observed round trip of a single job with no queueing.
* :class:`CodeaugCli` - the ``codeaug verify`` command as a subprocess, for reference:
  interpreter start, imports, plugin loading, then the cold path, plus writing JSONL.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Hashable, Sequence
from pathlib import Path

import docker

from benchmarks.items import Item
from benchmarks.systems import ItemResult
from codeaug.executor.container import WarmContainer
from codeaug.executor.docker_api import ContainerConfig, connect
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import Hello, Limits
from codeaug.images import ImageRef, ensure_image
from codeaug.language import Language
from codeaug.plugins import get_plugins
from codeaug.record import decode_problem, encode_problem
from codeaug.verdict import Verdict
from codeaug.verify import SilentReporter, Verifier, VerifyOptions, VerifySummary

LANGUAGE = "python"
# The verdict cache would turn every timed run after the first into lookups: the
# benchmark measures verification, so the Verifier and the CLI run with it off.
HAS_CACHE = any(f.name == "cache" for f in dataclasses.fields(VerifyOptions))
NO_CACHE_OPTIONS: dict[str, bool] = {"cache": False} if HAS_CACHE else {}
NO_CACHE_FLAGS: list[str] = ["--no-cache"] if HAS_CACHE else []


def python_language() -> Language:
    return get_plugins().languages.get(LANGUAGE)


def get_language(name: str = LANGUAGE) -> Language:
    """A language plugin by name or alias (``python``, ``cpp``, ``js``...)."""
    return get_plugins().languages.get(name)


def sandbox_hello(client: docker.DockerClient, image: ImageRef) -> Hello:
    """Start one runner container of ``image`` just to read its hello, then remove it."""
    container = WarmContainer(client, ContainerConfig(image=image.tag))
    try:
        return container.start()
    finally:
        container.close()


def _verdict_result(item_id: str, verdict: Verdict, round_trip: float | None = None,
                    seconds: float | None = None) -> ItemResult:
    detail = "" if verdict.passed else f"{verdict.status.value}: {verdict.reason}"
    return ItemResult(item_id, verdict.passed,
                      verdict.duration if seconds is None else seconds, round_trip, detail)


class _EventLog(SilentReporter):
    """Keeps the sandbox's messages (a container replaced, a removal that failed)."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def message(self, text: str) -> None:
        self.events.append(text)


class CodeaugCold:
    """``Verifier(...).verify_stream(...)``, a fresh pool of warm containers per run."""

    def __init__(self, name: str, jobs: int, language: str = LANGUAGE) -> None:
        self.name = name
        self.jobs = jobs
        self.language_name = language
        self.description = (f"Verifier.verify_stream, {jobs} containers started per run "
                            "(pool start-up and removal timed), verdict cache off")
        self.client: docker.DockerClient | None = None
        self.image: ImageRef | None = None
        self._log = _EventLog()

    def setup(self, items: Sequence[Item]) -> None:
        self.client = connect()
        self.image = ensure_image(self.client, get_language(self.language_name).image,
                                  on_progress=lambda m: print(m, file=sys.stderr))

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        assert self.client is not None
        verifier = Verifier(get_plugins(), self.client,
                            VerifyOptions(jobs=self.jobs, **NO_CACHE_OPTIONS), self._log)
        results = []
        for pending, verdict in verifier.verify_stream((i.problem for i in items),
                                                       VerifySummary()):
            results.append(_verdict_result(pending.problem.id, verdict))
        return results

    def teardown(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def notes(self) -> list[str]:
        notes = [f"image: {self.image.tag} ({self.image.id[:19]})"] if self.image else []
        return notes + [f"sandbox event: {e}" for e in self._log.events[:5]]


class CodeaugWarm:
    """One ``Executor`` open across all runs; a run submits every item and judges it."""

    def __init__(self, name: str, jobs: int, window: int | None = None,
                 language: str = LANGUAGE, warmup_items: int | None = None) -> None:
        self.name = name
        self.jobs = jobs
        self.language_name = language
        # The untimed warm-up pass: every item (None), or only the first N, enough to
        # start the containers when a whole pass is slow (compiled languages).
        self.warmup_items = warmup_items
        # The Verifier's window: 8 jobs in flight per container.
        self.window = window if window is not None else max(2, jobs * 8)
        if self.window == 1:
            self.description = ("warm Executor, one job in flight at a time "
                                "(no queueing: host round trip of a single job)")
        else:
            self.description = (f"warm Executor ({jobs} containers already started), "
                                f"up to {self.window} jobs in flight, as the Verifier")
        self.client: docker.DockerClient | None = None
        self.image: ImageRef | None = None
        self.language: Language | None = None
        self.limits: Limits | None = None
        self.executor: Executor | None = None
        self.events: list[str] = []
        self.started_after_warmup = 0
        self.replacements: int | None = None

    def _containers_started(self) -> int:
        assert self.executor is not None
        return sum(pool.containers_started for pool in self.executor.pools.values())

    def setup(self, items: Sequence[Item]) -> None:
        self.client = connect()
        self.language = get_language(self.language_name)
        self.image = ensure_image(self.client, self.language.image,
                                  on_progress=lambda m: print(m, file=sys.stderr))
        self.limits = self.language.default_limits
        self.executor = Executor(self.client, PoolOptions(size=self.jobs),
                                 on_event=self.events.append)
        self.executor.__enter__()
        warmup = self.run(items if self.warmup_items is None
                          else items[: self.warmup_items])  # starts the containers; untimed
        failed = [r for r in warmup if not r.passed]
        if failed:
            self.events.append(f"warm-up pass: {len(failed)} items did not pass")
        self.started_after_warmup = self._containers_started()

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        assert self.executor is not None and self.language is not None
        assert self.image is not None and self.limits is not None
        submitted: dict[Hashable, float] = {}
        results: dict[Hashable, ItemResult] = {}
        for seq, item in enumerate(items):
            job = self.language.build_job(item.problem, self.limits, f"{seq}:{item.id}")
            submitted[seq] = time.perf_counter()
            self.executor.submit(seq, self.image.tag, job)
            while self.executor.in_flight >= self.window:
                self._collect(items, submitted, results)
        while self.executor.in_flight:
            self._collect(items, submitted, results)
        return [results[seq] for seq in range(len(items))]

    def _collect(self, items: Sequence[Item], submitted: dict[Hashable, float],
                 results: dict[Hashable, ItemResult]) -> None:
        assert self.executor is not None and self.language is not None
        outcome = self.executor.next_outcome(timeout=600)
        arrived = time.perf_counter()
        seq = outcome.token
        assert isinstance(seq, int)
        item = items[seq]
        round_trip = arrived - submitted.pop(seq)
        if isinstance(outcome.result, SandboxFailure):
            results[seq] = ItemResult(item.id, False, None, round_trip,
                                      f"sandbox failure: {outcome.result.reason}")
            return
        verdict = self.language.judge(item.problem, outcome.result)
        wall = sum(step.wall_seconds for step in outcome.result.steps)
        results[seq] = _verdict_result(item.id, verdict, round_trip, wall)

    def teardown(self) -> None:
        if self.executor is not None:
            self.replacements = self._containers_started() - self.started_after_warmup
            self.executor.__exit__(None, None, None)
            self.executor = None
        if self.client is not None:
            self.client.close()
            self.client = None

    def notes(self) -> list[str]:
        notes = [f"{self.jobs} containers, window {self.window}; the warm-up pass started "
                 f"{self.started_after_warmup} containers"]
        if self.replacements is not None:
            notes.append(f"containers started during timed runs (replacements): "
                         f"{self.replacements}")
        return notes + [f"sandbox event: {e}" for e in self.events[:5]]


def codeaug_command() -> list[str]:
    """The ``codeaug`` console script next to this interpreter (not a PATH shim), else
    the CLI module run by this interpreter."""
    script = Path(sys.executable).parent / "codeaug"
    if script.exists():
        return [str(script)]
    found = shutil.which("codeaug")
    return [found] if found else [sys.executable, "-m", "codeaug.cli"]


class CodeaugCli:
    """``codeaug verify items.jsonl -o ok.jsonl --rejected bad.jsonl -j N`` per run."""

    def __init__(self, name: str, jobs: int) -> None:
        self.name = name
        self.jobs = jobs
        self.command = codeaug_command()
        self.description = (f"`codeaug verify -j {jobs}"
                            + (" --no-cache" if HAS_CACHE else "")
                            + "` subprocess: interpreter start, imports, cold pool, JSONL out")
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def setup(self, items: Sequence[Item]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="codeaug-bench-cli-")
        source = Path(self._dir.name) / "items.jsonl"
        source.write_bytes(b"".join(encode_problem(i.problem) + b"\n" for i in items))

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        assert self._dir is not None
        root = Path(self._dir.name)
        ok, bad = root / "ok.jsonl", root / "bad.jsonl"
        proc = subprocess.run(
            [*self.command, "verify", str(root / "items.jsonl"), "-o", str(ok),
             "--rejected", str(bad), "-j", str(self.jobs), *NO_CACHE_FLAGS],
            capture_output=True, text=True, check=False, timeout=3600,
        )
        seen: dict[str, ItemResult] = {}
        for path, passed in ((ok, True), (bad, False)):
            if not path.exists():
                continue
            for number, line in enumerate(path.read_bytes().splitlines(), 1):
                if not line.strip():
                    continue
                problem = decode_problem(line, path=str(path), line=number)
                info = problem.meta.get("verification", {})
                seen[problem.id] = ItemResult(
                    problem.id, passed and proc.returncode == 0, info.get("duration"),
                    detail="" if passed else str(info.get("reason", "rejected")))
        missing = (f"not in the output (exit {proc.returncode}): "
                   f"{proc.stderr.strip().splitlines()[-1:]}")
        return [seen.get(i.id, ItemResult(i.id, False, detail=missing)) for i in items]

    def teardown(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def notes(self) -> list[str]:
        return [f"command: {' '.join(self.command)}"]

