"""The oracle: what a solution returns on given arguments, asked of the sandbox.

Why: a mutator is a pure function of ``(problem, params, rng)`` without sandbox
access, but some rewrites need to *run* the reference (the ``strengthen`` mutator
computes the expected values of new test inputs; :mod:`codeaug.mutants` runs mutants
of it). This is the one small, documented service they may use::

    from codeaug.oracle import current_oracle

    outcomes = current_oracle().run_calls(problem, [[1, 2], [3, 4]], repeat=2)
    # [CallOutcome(kind="ok", value=3), CallOutcome(kind="ok", value=7)]

How: the arguments become a ``calls`` test of the problem (expected values unused) and
run through the language plugin's own harness (``build_job``), exactly as ``verify``
would run them; the harness's per-case reports (:mod:`codeaug.calls`) are the answers.
``repeat=2`` runs the harness twice in the same job (each run a fresh process): a case
whose answers differ is ``nondeterministic``. When a run stops early (a timeout, a
crash) the first case without a report is marked ``timeout``/``error`` and, with
``complete=True``, the cases after it are run again in a new job.

Which oracle: :func:`use_oracle` sets one for a block (tests, benchmarks, a pipeline
that owns an executor); otherwise :func:`current_oracle` lazily creates one per process
(one warm container per image, on the default Docker engine), so it also works in the
worker processes of ``codeaug expand``; it is closed when the process exits.
A mutator that cannot get an oracle (no Docker) should yield ``Skipped``.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from codeaug.calls import parse_reports
from codeaug.compare import values_equal
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import Job, JobResult, Limits, StepResult
from codeaug.judging import COMPILE_STEP, last_line
from codeaug.record import CallCase, CallsTests, Problem
from codeaug.typesys import parse_type
from codeaug.verdict import Status, Verdict

__all__ = ["CallOutcome", "CallRequest", "Oracle", "current_oracle", "use_oracle"]


@dataclass(frozen=True)
class CallOutcome:
    """What one call did: ``kind`` is ``ok`` (``value`` is the JSON result), ``raised``,
    ``unserializable``, ``timeout``, ``error`` (a crash, a compile error, the sandbox
    failed) or ``nondeterministic`` (two runs disagreed); ``message`` says more."""

    kind: str
    value: Any = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


@dataclass
class CallRequest:
    """Run ``problem``'s entry point (``solution`` instead of the problem's own, when
    given) on each argument list of ``args``, ``repeat`` times (see :meth:`Oracle.run_calls`)."""

    problem: Problem
    args: Sequence[list[Any]]
    solution: str | None = None
    repeat: int = 1
    complete: bool = True
    timeout: float | None = None  # wall seconds per run, instead of the oracle's
    max_timeouts: int | None = None  # then the remaining cases are not run ("timeout")


@dataclass
class _Pending:
    request: CallRequest
    outcomes: list[CallOutcome | None] = field(default_factory=list)


class Oracle:
    """Runs calls and test suites in the sandbox, batched over warm containers.

    ``executor``: an existing :class:`Executor` to share (not closed here); else one of
    ``jobs`` containers per image is created on ``client`` (default: the environment's
    engine) when first needed. ``timeout``: wall seconds per harness run (default: the
    language's limits).
    """

    def __init__(self, client: Any = None, *, plugins: Any = None,
                 executor: Executor | None = None, jobs: int = 1,
                 timeout: float | None = None, window: int = 16) -> None:
        self._client = client or (executor.client if executor is not None else None)
        self._plugins = plugins
        self._executor = executor
        self._own = executor is None
        self.jobs = jobs
        self.timeout = timeout
        self.window = window
        self.pid = os.getpid()  # a forked child must not use this one's threads
        self._images: dict[str, str] = {}

    # -- plumbing
    @property
    def plugins(self) -> Any:
        if self._plugins is None:
            from codeaug.plugins import get_plugins
            self._plugins = get_plugins()
        return self._plugins

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            if self._client is None:
                from codeaug.executor.docker_api import connect
                self._client = connect()
            self._executor = Executor(self._client, PoolOptions(size=self.jobs))
            self._executor.__enter__()
        return self._executor

    def close(self) -> None:
        if self._own and self._executor is not None:
            self._executor.close()
            self._executor = None

    def __enter__(self) -> Oracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _image(self, language: Any) -> str:
        from codeaug.images import ensure_image
        if language.image.name not in self._images:
            _ = self.executor  # connects
            self._images[language.image.name] = ensure_image(self._client,
                                                             language.image).tag
        return self._images[language.image.name]

    def _limits(self, language: Any, timeout: float | None = None) -> Limits:
        limits: Limits = language.default_limits
        timeout = timeout if timeout is not None else self.timeout
        if timeout is not None:
            limits = msgspec.structs.replace(limits, wall_seconds=timeout,
                                             cpu_seconds=max(1, int(timeout + 0.999)))
        return limits

    def _run_jobs(self, jobs: list[tuple[Any, str, Job]]) -> dict[Any, JobResult | SandboxFailure]:
        """Run ``(token, image, job)`` triples, at most ``window`` in flight."""
        executor = self.executor
        results: dict[Any, JobResult | SandboxFailure] = {}
        queue = list(reversed(jobs))
        mine = 0
        while queue or mine:
            while queue and mine < self.window:
                token, image, job = queue.pop()
                executor.submit(("oracle", id(self), token), image, job)
                mine += 1
            outcome = executor.next_outcome()
            mine -= 1
            results[outcome.token[2]] = outcome.result  # type: ignore[index]
        return results

    # -- calls
    def run_calls(self, problem: Problem, args: Sequence[list[Any]], *,
                  solution: str | None = None, repeat: int = 1,
                  complete: bool = True) -> list[CallOutcome]:
        """One outcome per argument list (see :class:`CallOutcome`)."""
        return self.run_batch([CallRequest(problem, args, solution, repeat, complete)])[0]

    def run_batch(self, requests: Sequence[CallRequest]) -> list[list[CallOutcome]]:
        """:meth:`run_calls` for many requests at once (their jobs run in parallel)."""
        pending = [_Pending(r, [None] * len(r.args)) for r in requests]
        todo: list[tuple[int, int]] = [(i, 0) for i, p in enumerate(pending) if p.request.args]
        while todo:
            jobs = []
            for i, start in todo:
                req = pending[i].request
                language = self.plugins.languages.get(req.problem.language)
                job = self._calls_job(language, req, start, f"{i}:{start}")
                jobs.append(((i, start), self._image(language), job))
            results = self._run_jobs(jobs)
            todo = []
            for (i, start), result in sorted(results.items()):
                item = pending[i]
                resume = self._read(item, start, result)
                if resume is None or not item.request.complete:
                    continue
                limit = item.request.max_timeouts
                if limit is not None and sum(
                        1 for o in item.outcomes if o is not None and o.kind == "timeout"
                ) >= limit:
                    for k in range(resume, len(item.outcomes)):
                        item.outcomes[k] = CallOutcome(
                            "timeout", message=f"not run: {limit} cases timed out")
                    continue
                todo.append((i, resume))
        return [[o or CallOutcome("error", message="no report") for o in p.outcomes]
                for p in pending]

    def _calls_job(self, language: Any, req: CallRequest, start: int, job_id: str) -> Job:
        problem = msgspec.structs.replace(
            req.problem, solution=req.problem.solution if req.solution is None
            else req.solution,
            tests=CallsTests(cases=[CallCase(args=list(a), expected=None)
                                    for a in req.args[start:]]))
        # The compile step keeps the language's (or the oracle's) limits: ``timeout``
        # bounds the runs only.
        job = language.build_job(problem, self._limits(language), job_id)
        compiles = [s for s in job.steps if s.name == COMPILE_STEP]
        runs = [s for s in job.steps if s.name != COMPILE_STEP]
        if req.timeout is not None:
            runs = [msgspec.structs.replace(s, limits=msgspec.structs.replace(
                s.limits, wall_seconds=req.timeout,
                cpu_seconds=max(1, int(req.timeout + 0.999)))) for s in runs]
        steps = list(compiles)
        for r in range(max(1, req.repeat)):
            steps += [msgspec.structs.replace(s, name=f"{s.name}#{r}") for s in runs]
        return Job(job.id, job.files, steps)

    def _read(self, item: _Pending, start: int, result: JobResult | SandboxFailure
              ) -> int | None:
        """Fill ``item.outcomes`` from ``start``; the index to resume from, if any."""
        n = len(item.request.args) - start
        if isinstance(result, SandboxFailure) or result.runner_error:
            why = result.reason if isinstance(result, SandboxFailure) else result.runner_error
            for k in range(n):
                item.outcomes[start + k] = CallOutcome("error", message=f"sandbox: {why}")
            return None
        for step in result.steps:
            if step.name == COMPILE_STEP and (step.exit_code != 0 or step.killed_by):
                message = f"compile error: {last_line(step.stderr + step.stdout)}"
                for k in range(n):
                    item.outcomes[start + k] = CallOutcome("error", message=message)
                return None
        runs = [s for s in result.steps if s.name != COMPILE_STEP]
        per_run = [_outcomes(step, n) for step in runs]
        if not per_run:
            per_run = [[None] * n]
        returns = parse_type(item.request.problem.signature.returns)
        tests = item.request.problem.tests
        rel, abs_ = ((tests.rel_tol, tests.abs_tol) if isinstance(tests, CallsTests)
                     else (1e-6, 1e-6))
        first_missing: int | None = None
        for k in range(n):
            seen = [run[k] for run in per_run]
            if any(o is None for o in seen):
                # the run stopped at (or before) this case: blame the first such case
                failed = next(run for run in per_run if run[k] is None)
                item.outcomes[start + k] = _stopped(runs[per_run.index(failed)] if runs
                                                    else None)
                first_missing = k
                break
            outcome = seen[0]
            assert outcome is not None
            for other in seen[1:]:
                assert other is not None
                if other.kind != outcome.kind or (outcome.ok and not values_equal(
                        other.value, outcome.value, returns, rel, abs_)):
                    outcome = CallOutcome("nondeterministic",
                                          message="two runs gave different results")
                    break
            item.outcomes[start + k] = outcome
        if first_missing is None or first_missing + 1 >= n:
            return None
        return start + first_missing + 1

    # -- whole test suites
    def judge(self, problems: Sequence[Problem]) -> list[Verdict]:
        """Each problem's own tests run on its solution, as ``verify`` judges them (no
        cache, no constraints); verdicts in input order."""
        jobs = []
        languages = []
        for i, problem in enumerate(problems):
            language = self.plugins.languages.get(problem.language)
            languages.append(language)
            jobs.append((i, self._image(language),
                         language.build_job(problem, self._limits(language), f"j{i}")))
        results = self._run_jobs(jobs)
        verdicts = []
        for i, problem in enumerate(problems):
            result = results[i]
            if isinstance(result, SandboxFailure):
                verdicts.append(Verdict(Status.SANDBOX_ERROR, result.reason))
            else:
                verdicts.append(languages[i].judge(problem, result))
        return verdicts


def _outcomes(step: StepResult, n: int) -> list[CallOutcome | None]:
    reports, _ = parse_reports(step.stdout)
    out: list[CallOutcome | None] = []
    for k in range(n):
        report = reports.get(k)
        if report is None:
            out.extend([None] * (n - k))
            break
        out.append(CallOutcome(report.kind, report.value if report.kind == "ok" else None,
                               "" if report.kind == "ok" else str(report.value)[:300]))
    return out


def _stopped(step: StepResult | None) -> CallOutcome:
    if step is None:
        return CallOutcome("error", message="no run")
    if step.killed_by in ("timeout", "cpu"):
        return CallOutcome("timeout", message=f"exceeded the {step.killed_by} limit")
    if step.oom_killed or step.killed_by:
        return CallOutcome("error", message=f"killed: {step.killed_by or 'memory'}")
    return CallOutcome("error", message=last_line(step.stderr) or
                       f"exit status {step.exit_code}")


# ------------------------------------------------------------------ which oracle

_current: contextvars.ContextVar[Oracle | None] = contextvars.ContextVar(
    "codeaug_oracle", default=None)
_default: dict[int, Oracle] = {}  # pid -> the lazily created oracle of that process


def current_oracle() -> Oracle:
    """The oracle set by :func:`use_oracle`, else this process's own (created lazily;
    raises :class:`codeaug.errors.DockerUnavailableError` when there is no engine). An
    oracle inherited from a parent process through ``fork`` is never used: its
    executor's threads do not exist in the child."""
    oracle = _current.get()
    if oracle is not None and oracle.pid == os.getpid():
        return oracle
    pid = os.getpid()
    if pid not in _default:  # a forked worker does not reuse its parent's threads
        _default.clear()
        _default[pid] = Oracle()
        atexit.register(_default[pid].close)
    return _default[pid]


@contextlib.contextmanager
def use_oracle(oracle: Oracle) -> Iterator[Oracle]:
    """Make ``oracle`` the :func:`current_oracle` within the block."""
    token = _current.set(oracle)
    try:
        yield oracle
    finally:
        _current.reset(token)
