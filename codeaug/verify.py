"""Candidates in, verdicts out: the library behind ``codeaug verify``.

Records stream from the input through a bounded window of in-flight jobs, so memory
stays flat on any input size, and are written in input order: passing records to one
file, rejected ones (with the verdict and reason) to another, each line written in a
single ``write`` so an interrupted run leaves at most one partial last line, which
``resume`` trims before skipping the records already written.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import docker
import msgspec

import codeaug
from codeaug.cache import VerdictCache, verdict_key
from codeaug.constraints import checker_versions, constraint_verdict
from codeaug.errors import CodeaugError, InputError, RecordError
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef, ensure_image
from codeaug.language import Language
from codeaug.plugins import Plugins
from codeaug.record import (
    MAX_LINE_BYTES,
    CodeTests,
    Problem,
    decode_problem,
    encode_problem,
    iter_lines,
    read_records,
)
from codeaug.reports import RunReport
from codeaug.verdict import Status, Verdict


class Reporter(Protocol):
    """What a long run tells its user; the CLI draws it with rich, tests record it."""

    def start(self, total: int | None) -> None: ...
    def advance(self, problem: Problem, verdict: Verdict) -> None: ...
    def message(self, text: str) -> None: ...
    def bad_record(self, error: RecordError) -> None: ...


class SilentReporter:
    def start(self, total: int | None) -> None:
        pass

    def advance(self, problem: Problem, verdict: Verdict) -> None:
        pass

    def message(self, text: str) -> None:
        pass

    def bad_record(self, error: RecordError) -> None:
        pass


@dataclass
class VerifyOptions:
    """``jobs``: warm containers per image (default: one per core). ``timeout``: wall
    seconds per test program, overriding the language's default."""

    jobs: int | None = None
    timeout: float | None = None
    retries: int = 2
    resume: bool = False
    window_per_container: int = 8
    cache: bool = True
    cache_path: Path | None = None
    #: Lines longer than this are reported and skipped unread (``--max-record-size``).
    max_line_bytes: int = MAX_LINE_BYTES


@dataclass
class VerifySummary:
    """Counts of a finished run, by verdict and by language."""

    counts: Counter[str] = field(default_factory=Counter)
    by_language: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    invalid: int = 0
    resumed: int = 0
    cached: int = 0
    elapsed: float = 0.0
    images: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def passed(self) -> int:
        return self.counts[Status.PASSED.value]

    @property
    def pass_rate(self) -> float:
        """Passed over everything read (invalid lines count as not passed)."""
        read = self.total + self.invalid
        return self.passed / read if read else 0.0

    def exit_code(self, fail_under: float | None = None) -> int:
        """0 all passed (or at least ``fail_under`` of them), 1 otherwise, 2 nothing read."""
        if self.total == 0 and self.resumed == 0:
            return 2
        if fail_under is not None:
            return 0 if self.pass_rate >= fail_under else 1
        return 0 if self.passed == self.total and self.invalid == 0 else 1

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts),
                "by_language": {k: dict(v) for k, v in self.by_language.items()},
                "invalid": self.invalid, "resumed": self.resumed, "cached": self.cached,
                "pass_rate": self.pass_rate, "elapsed": self.elapsed, "images": self.images,
                "codeaug": codeaug.__version__}


class OutputError(CodeaugError):
    """An output file cannot be written (its disk is full, say). Exit status 3, as for
    the other failures of the machine rather than of the data."""

    exit_code = 3


class JsonlAppender:
    """Appends records; ``fresh`` truncates, otherwise a partial last line left by a crash
    is trimmed first.

    Lines are buffered and written whole when the buffer fills or :meth:`flush` is called
    (the verifier flushes whenever it waits for the sandbox), so a crash loses at most
    records that ``--resume`` then verifies again, and leaves at most one partial line.
    A write that fails (a full disk) is cut back to the last whole line before
    :class:`OutputError` is raised, so that ``--resume`` continues from a clean file.
    """

    BUFFER = 1 << 16

    def __init__(self, path: Path, *, fresh: bool) -> None:
        self.path = path
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            if not fresh and path.exists():
                trim_partial_line(path)
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                               | (os.O_TRUNC if fresh else 0), 0o644)
            self._size = os.fstat(self._fd).st_size  # where the last whole line ends
        except OSError as exc:
            raise OutputError(f"{path}: cannot open for writing: {exc.strerror or exc}") from None
        self._buffer = bytearray()
        self._failed = False

    def write(self, line: bytes) -> None:
        self._buffer += line
        self._buffer += b"\n"
        if len(self._buffer) >= self.BUFFER:
            self.flush()

    def flush(self) -> None:
        data = memoryview(bytes(self._buffer))
        self._buffer.clear()
        if self._failed or not data:
            return  # after a failure the run is ending: --resume verifies these again
        size = len(data)
        try:
            while data:
                data = data[os.write(self._fd, data):]
        except OSError as exc:
            self._fail(exc)
        self._size += size

    def _fail(self, exc: OSError) -> None:
        """Cut the file back to its last whole line (truncating needs no free space) and
        raise a one-line error naming the file."""
        self._failed = True
        try:
            os.ftruncate(self._fd, self._size)
        except OSError:
            pass
        raise OutputError(
            f"{self.path}: cannot write: {exc.strerror or exc}; the records written so far "
            "are kept, rerun with --resume once that is fixed"
        ) from None

    def close(self) -> None:
        """Flush, sync and close; raises :class:`OutputError` unless it already did."""
        try:
            self.flush()
            if not self._failed:
                os.fsync(self._fd)
        except OSError as exc:
            self._fail(exc)
        finally:
            os.close(self._fd)


def close_outputs(*outputs: JsonlAppender, quiet: bool = False) -> None:
    """Close every output, then raise the first :class:`OutputError` (unless ``quiet``,
    when another error is already on its way out)."""
    first: OutputError | None = None
    for output in outputs:
        try:
            output.close()
        except OutputError as exc:
            first = first or exc
    if first is not None and not quiet:
        raise first


def trim_partial_line(path: Path) -> None:
    """Drop an incomplete last line (one a killed writer did not finish)."""
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        block = min(size, 1 << 20)
        while True:
            f.seek(size - block)
            chunk = f.read(block)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                f.truncate(size - block + cut + 1)
                return
            if block == size:
                f.truncate(0)
                return
            block = min(size, block * 2)


def done_ids(*paths: Path) -> set[str]:
    """Ids already written by an earlier run of the same command."""
    ids: set[str] = set()
    for path in paths:
        if not path.exists():
            continue
        with open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                if line.endswith(b"\n") and line.strip():
                    try:
                        ids.add(decode_problem(line, path=str(path), line=number).id)
                    except RecordError:
                        continue
    return ids


def count_lines(path: Path, max_line_bytes: int | None = MAX_LINE_BYTES) -> int | None:
    """Number of non-empty lines, for the progress bar (None if the file can't be read)."""
    try:
        return sum(1 for _, line in iter_lines(path, max_line_bytes)
                   if not isinstance(line, bytes) or line.strip())
    except (InputError, OSError):
        return None


@dataclass(frozen=True)
class Decided:
    """A record whose verdict is known without running it (``codeaug expand``'s unsolved
    or skipped variants): it passes through :meth:`Verifier.verify_stream` in its place
    in the input order, untouched by the sandbox and the cache."""

    problem: Problem
    verdict: Verdict


@dataclass
class _Pending:
    problem: Problem
    language: Language | None
    image: ImageRef | None
    verdict: Verdict | None = None
    cache_key: str | None = None
    cached: bool = False


@dataclass
class _Order:
    """Sequence numbers: the next record to submit and the next to write."""

    next_in: int = 0
    next_out: int = 0


class Verifier:
    """Verifies problem records in the Docker sandbox, one warm pool per image."""

    def __init__(
        self,
        plugins: Plugins,
        client: docker.DockerClient,
        options: VerifyOptions | None = None,
        reporter: Reporter | None = None,
    ) -> None:
        self.plugins = plugins
        self.client = client
        self.options = options or VerifyOptions()
        self.reporter = reporter or SilentReporter()
        self._images: dict[str, ImageRef] = {}
        self.cache = VerdictCache(self.options.cache_path) if self.options.cache else None
        self.before_wait: list[Callable[[], None]] = []  # e.g. flush outputs

    def image_for(self, language: Language) -> ImageRef:
        """The language's image, built on first use (with a progress message)."""
        spec = language.image
        if spec.name not in self._images:
            self._images[spec.name] = ensure_image(
                self.client, spec, on_progress=self.reporter.message
            )
        return self._images[spec.name]

    def limits_for(self, language: Language) -> Limits:
        limits = language.default_limits
        if self.options.timeout is not None:
            limits = msgspec.structs.replace(
                limits, wall_seconds=self.options.timeout,
                cpu_seconds=max(1, math.ceil(self.options.timeout)))
        return limits

    def verify_file(self, source: Path | Sequence[Path], passed: Path, rejected: Path,
                    report: RunReport | None = None) -> VerifySummary:
        """Verify every record of ``source`` (one file, or several read one after the
        other); write passing and rejected records."""
        sources = [source] if isinstance(source, Path) else list(source)
        summary = VerifySummary()
        skip = done_ids(passed, rejected) if self.options.resume else set()
        for path in sources:
            if not path.exists():
                raise InputError(f"{path}: no such file")
        lines = [count_lines(path, self.options.max_line_bytes) for path in sources]
        self.reporter.start(None if None in lines else sum(n or 0 for n in lines))
        # Bad lines, unknown languages and repeated ids (across all sources) come out as
        # RecordErrors: reported, counted as invalid, never verified.
        records = read_records(sources, check_language=self.plugins.languages.get,
                               max_line_bytes=self.options.max_line_bytes)
        ok_out = JsonlAppender(passed, fresh=not self.options.resume)
        bad_out = JsonlAppender(rejected, fresh=not self.options.resume)
        self.before_wait[:] = [ok_out.flush, bad_out.flush]
        stream = self.verify_stream(records, summary, skip)
        try:
            for item, verdict in stream:
                line = encode_problem(with_verification(item, verdict))
                (ok_out if verdict.passed else bad_out).write(line)
                if report is not None:
                    report.add(item.problem, verdict)
        except BaseException:
            # Stop the sandbox now (its containers go), not whenever the suspended
            # generator is collected; then keep the whole lines written so far.
            stream.close()
            close_outputs(ok_out, bad_out, quiet=True)
            raise
        close_outputs(ok_out, bad_out)
        return summary

    def verify_stream(
        self,
        records: Iterable[Problem | Decided | RecordError],
        summary: VerifySummary,
        skip: set[str] | None = None,
    ) -> Generator[tuple[_Pending, Verdict], None, None]:
        """Yield ``(item, verdict)`` for each valid record, in input order."""
        started = time.monotonic()
        size = self.options.jobs or PoolOptions().size
        options = PoolOptions(size=size, retries=self.options.retries)
        window = max(2, size * self.options.window_per_container)
        # Output is written in input order, so results wait for the slowest earlier job;
        # bounding what waits keeps memory flat however slow that job is.
        backlog = window * 16
        pending: dict[int, _Pending] = {}
        order = _Order()
        with Executor(self.client, options, on_event=self.reporter.message) as executor:
            for record in records:
                if isinstance(record, RecordError):
                    summary.invalid += 1
                    self.reporter.bad_record(record)
                    continue
                if skip and (record.problem.id if isinstance(record, Decided)
                             else record.id) in skip:
                    summary.resumed += 1
                    continue
                if isinstance(record, Decided):
                    pending[order.next_in] = _Pending(record.problem, None, None,
                                                      record.verdict)
                    order.next_in += 1
                    yield from self._ready(pending, order, summary)
                    continue
                item = self._prepare(record, summary)
                seq = order.next_in
                order.next_in += 1
                pending[seq] = item
                if item.verdict is None:
                    assert item.language is not None and item.image is not None
                    job = item.language.build_job(
                        record, self.limits_for(item.language), f"{seq}:{record.id}"
                    )
                    executor.submit(seq, item.image.tag, job)
                yield from self._ready(pending, order, summary)
                while executor.in_flight >= window or (
                    executor.in_flight and len(pending) >= backlog
                ):
                    self._collect(executor, pending)
                    yield from self._ready(pending, order, summary)
            while executor.in_flight:
                self._collect(executor, pending)
                yield from self._ready(pending, order, summary)
            yield from self._ready(pending, order, summary)
        summary.elapsed = time.monotonic() - started

    def _ready(self, pending: dict[int, _Pending], order: _Order,
               summary: VerifySummary) -> Iterator[tuple[_Pending, Verdict]]:
        """Pop the finished items at the head of the input order."""
        while order.next_out in pending and pending[order.next_out].verdict is not None:
            done = pending.pop(order.next_out)
            order.next_out += 1
            yield done, self._record(done, summary)

    def _prepare(self, problem: Problem, summary: VerifySummary) -> _Pending:
        try:
            language = self.plugins.languages.get(problem.language)
        except Exception as exc:
            return _Pending(problem, None, None, Verdict(Status.ERROR, f"cannot verify: {exc}"))
        image = self.image_for(language)
        summary.images[language.name] = image.id
        item = _Pending(problem, language, image)
        missing = missing_entry_point(problem)
        if missing is None:  # a broken constraint is decided without a sandbox run
            missing = constraint_verdict(problem, self.plugins.constraints)
        if missing is not None:
            item.verdict = missing
            return item
        if self.cache is not None:
            item.cache_key = verdict_key(problem, language.name, language.version,
                                         self.limits_for(language), image.id,
                                         checker_versions(problem, self.plugins.constraints))
            item.verdict = self.cache.get(item.cache_key)
            if item.verdict is not None:
                item.cached = True
                summary.cached += 1
        return item

    def _collect(self, executor: Executor, pending: dict[int, _Pending]) -> None:
        if executor.results.empty():
            for hook in self.before_wait:
                hook()
        outcome = executor.next_outcome()
        item = pending[outcome.token]  # type: ignore[index]
        assert item.language is not None and item.image is not None
        if isinstance(outcome.result, SandboxFailure):
            verdict = Verdict(Status.SANDBOX_ERROR, outcome.result.reason)
        else:
            try:
                verdict = item.language.judge(item.problem, outcome.result)
            except Exception as exc:  # a plugin bug is that plugin's, not the run's
                owner = self.plugins.languages.owner(item.language.name)
                verdict = Verdict(Status.SANDBOX_ERROR,
                                  f"language plugin {owner!r} failed to judge: {exc!r}")
        verdict.attempts = outcome.attempts
        verdict.image = item.image.id
        item.verdict = verdict
        if self.cache is not None and item.cache_key is not None:
            self.cache.put(item.cache_key, verdict)

    def _record(self, item: _Pending, summary: VerifySummary) -> Verdict:
        assert item.verdict is not None
        language = item.language.name if item.language else item.problem.language
        summary.counts[item.verdict.status.value] += 1
        summary.by_language[language][item.verdict.status.value] += 1
        self.reporter.advance(item.problem, item.verdict)
        return item.verdict


def missing_entry_point(problem: Problem) -> Verdict | None:
    """A ``code`` test is about ``entry_point``: a solution that never names it is not a
    solution, whatever the test program does (HumanEval-X's CPP/23 test, say, only calls
    the C library's ``strlen`` and would pass any code). Saves a sandbox run, too."""
    name = problem.entry_point
    if not name or not isinstance(problem.tests, CodeTests):
        return None
    if re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", problem.solution):
        return None
    return Verdict(Status.ERROR, f"the solution does not define the entry point `{name}`")


#: What ``meta.verification`` holds that differs between two runs of the same command.
VOLATILE_VERIFICATION_KEYS = ("duration", "attempts", "cached")


def with_verification(item: _Pending, verdict: Verdict, *,
                      deterministic: bool = False) -> Problem:
    """The record with its verdict and provenance added under ``meta["verification"]``.

    ``deterministic`` leaves out what differs between two runs of the same command
    (duration, attempts, whether the cache answered), so ``codeaug expand`` with the
    same ``--seed`` writes identical files.
    """
    info: dict[str, Any] = {"status": verdict.status.value, "codeaug": codeaug.__version__,
                            "duration": verdict.duration, "attempts": verdict.attempts}
    if item.language is not None:
        info["language"] = f"{item.language.name} {item.language.version}"
    if item.cached:
        info["cached"] = True
    if deterministic:
        for key in VOLATILE_VERIFICATION_KEYS:
            info.pop(key, None)
    if item.image is not None:
        info["image"] = item.image.id
        info["image_tag"] = item.image.tag
    if not verdict.passed:
        info["reason"] = verdict.reason
        if verdict.failed_test:
            info["failed_test"] = verdict.failed_test
        if verdict.stderr:
            info["stderr"] = verdict.stderr[-2000:]
    return msgspec.structs.replace(item.problem, meta={**item.problem.meta,
                                                       "verification": info})
