"""Verdict helpers every language plugin needs: limits first, then io comparison."""

from __future__ import annotations

from codeaug.executor.protocol import StepResult
from codeaug.record import IoTests
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
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


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
