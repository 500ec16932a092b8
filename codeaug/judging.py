"""Verdict helpers every language plugin needs: limits first, then io comparison."""

from __future__ import annotations

from collections.abc import Callable

from codeaug.executor.protocol import JobResult, StepResult
from codeaug.record import CallsTests, IoTests, Problem
from codeaug.verdict import Status, Verdict


def last_line(text: str) -> str:
    """The last non-blank line, stripped: where runtimes put the fatal error."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1].strip() if lines else ""


def limit_verdict(step: StepResult) -> Verdict | None:
    """A step the runner killed for a limit gets that verdict, whatever it printed."""
    if step.killed_by in ("timeout", "cpu"):
        what = "wall-clock" if step.killed_by == "timeout" else "CPU"
        return Verdict(Status.TIMEOUT, f"exceeded the {what} time limit")
    if step.killed_by == "output":
        return Verdict(Status.OUTPUT_LIMIT, "exceeded the output limit")
    if step.oom_killed:
        return Verdict(Status.MEMORY_LIMIT, "killed by the container's memory limit")
    return None


def normalise_output(text: str) -> str:
    """Trailing whitespace on each line and trailing blank lines do not count."""
    # Only \n (and \r\n) end a line: splitlines() would also split on U+2028, \x0c ...
    lines = text.replace("\r\n", "\n").rstrip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


def judge_io_case(index: int, step: StepResult, tests: IoTests) -> Verdict:
    """Compare one ``io`` case's stdout with what the record expects."""
    case = tests.cases[index]
    test = f"case {index}"
    if step.exit_code != 0:
        reason = last_line(step.stderr) or (
            f"killed by signal {step.signal}" if step.signal else f"exit status {step.exit_code}"
        )
        return Verdict(Status.ERROR, reason, failed_test=test)
    want, got = normalise_output(case.stdout), normalise_output(step.stdout)
    if want != got:
        return Verdict(Status.FAILED, f"expected stdout {want[:200]!r}, got {got[:200]!r}",
                       failed_test=test)
    return Verdict(Status.PASSED)


def finish(verdict: Verdict, step: StepResult, duration: float) -> Verdict:
    """Attach timing and the (tail of the) step's output to a verdict."""
    verdict.duration = round(duration, 6)
    verdict.stdout = step.stdout[-4000:]
    verdict.stderr = step.stderr[-4000:]
    return verdict


COMPILE_STEP = "compile"


def default_code_verdict(step: StepResult) -> Verdict:
    """A ``code`` test program passes when it exits 0; otherwise its last stderr line."""
    if step.exit_code == 0:
        return Verdict(Status.PASSED)
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}: {last_line(step.stderr)}")
    return Verdict(Status.ERROR, last_line(step.stderr) or f"exit status {step.exit_code}")


def judge_job(
    problem: Problem,
    result: JobResult,
    *,
    code_verdict: Callable[[StepResult], Verdict] = default_code_verdict,
    out_of_memory: Callable[[StepResult], bool] = lambda step: False,
) -> Verdict:
    """The verdict flow every language shares.

    A step named ``compile`` that fails gives ``compile_error``. Each other step is one
    run: limits first (timeout, output, memory - ``out_of_memory`` recognises a
    runtime's own allocation failure), then by test kind: ``io`` steps are the cases in
    order, a ``calls`` step reports per case (:mod:`codeaug.calls`), a ``code`` step is
    judged by ``code_verdict``.
    """
    from codeaug.calls import judge_calls

    if not result.steps:
        return Verdict(Status.SANDBOX_ERROR, "the runner ran no step")
    duration = sum(s.wall_seconds for s in result.steps)
    runs = [s for s in result.steps if s.name != COMPILE_STEP]
    for step in result.steps:
        if step.name != COMPILE_STEP:
            continue
        limit = limit_verdict(step)
        if limit is not None:
            limit.reason = f"while compiling: {limit.reason}"
            return finish(limit, step, duration)
        if step.exit_code != 0:
            message = first_error_line(step.stderr + "\n" + step.stdout)
            return finish(Verdict(Status.COMPILE_ERROR, message), step, duration)
    if not runs:
        return Verdict(Status.SANDBOX_ERROR, "no test program ran")
    tests = problem.tests
    if isinstance(tests, IoTests) and len(runs) > len(tests.cases):
        return Verdict(Status.SANDBOX_ERROR,
                       f"{len(runs)} results for {len(tests.cases)} io cases")
    for index, step in enumerate(runs):
        limit = limit_verdict(step)
        if limit is None and out_of_memory(step):
            limit = Verdict(Status.MEMORY_LIMIT, "the program ran out of memory")
        if limit is not None:
            return finish(limit, step, duration)
        if isinstance(tests, IoTests):
            verdict = judge_io_case(index, step, tests)
        elif isinstance(tests, CallsTests):
            verdict = judge_calls(problem, step)
        else:
            verdict = code_verdict(step)
        if verdict.status is not Status.PASSED:
            return finish(verdict, step, duration)
    if isinstance(tests, IoTests) and len(runs) < len(tests.cases):
        # Steps stop early only after a failure, which was judged above.
        return Verdict(Status.SANDBOX_ERROR,
                       f"only {len(runs)} of {len(tests.cases)} io cases ran")
    return finish(Verdict(Status.PASSED), runs[-1], duration)


def first_error_line(text: str) -> str:
    """The first line a compiler marks as an error (else the first non-blank line)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines:
        if "error" in line.lower():
            return line[:500]
    return lines[0][:500] if lines else "compilation failed"
