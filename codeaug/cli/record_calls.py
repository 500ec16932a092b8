"""``codeaug record-calls IN -o OUT``: turn Python records' ``code`` tests into ``calls``
tests by recording what the tests call (:mod:`codeaug.recording`); also what
``codeaug import ... --record-calls`` runs.

Records the recording does not apply to (other languages, ``calls`` or ``io`` tests)
pass through unchanged; a record whose calls cannot be recorded keeps its ``code``
tests and says why in ``meta.calls_recording``. Exit status: 0 done (whatever was
recorded), 2 nothing could be read, 3 sandbox unavailable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from rich.text import Text

from codeaug.cli import ui
from codeaug.errors import RecordError
from codeaug.record import Problem, encode_problem, read_records
from codeaug.recording import Recording, RecordOptions, record_calls
from codeaug.verdict import Verdict


class RecordingProgress(ui.ProgressReporter):
    """The progress bar of ``verify``, tallying recorded and code-only records."""

    def __init__(self) -> None:
        super().__init__("recording calls")
        self.outcomes: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()

    def advance_recording(self, problem: Problem, outcome: Recording) -> None:
        self.outcomes[outcome.status] += 1
        if outcome.status == "code-only":
            self.reasons[short_reason(outcome.reason)] += 1
        self._unshown += 1
        if self.task is None:
            return
        task = self.progress.tasks[self.task]
        speed = task.finished_speed or task.speed or 0.0
        self.progress.update(self.task, advance=self._unshown, rate=f"{speed:.1f}",
                             tally=f"[green]{self.outcomes['recorded']} recorded[/] "
                                   f"[yellow]{self.outcomes['code-only']} code-only[/]")
        self._unshown = 0

    def advance(self, problem: Problem, verdict: Verdict) -> None:  # not used here
        raise NotImplementedError

    def summary(self) -> str:
        """``recorded N, code-only M (reasons...)`` (and the skipped, if any)."""
        text = (f"recorded {self.outcomes['recorded']}, "
                f"code-only {self.outcomes['code-only']}")
        if self.reasons:
            text += " (" + "; ".join(f"{n} {reason}" for reason, n in
                                     self.reasons.most_common()) + ")"
        if self.outcomes["skipped"]:
            text += f", skipped {self.outcomes['skipped']} (not Python code tests)"
        return text


def short_reason(reason: str) -> str:
    """A reason without its record-specific details, for counting alike ones."""
    for generic in ("the recorded cases fail when replayed",
                    "the seed's tests fail with the reference solution",
                    "the entry point raised on a call", "not representable",
                    "non-deterministic"):
        if reason.startswith(generic):
            return generic
    if " mixes " in reason:
        return "values without one neutral type"
    if "as the signature says" in reason:
        return "values contradict the signature"
    return reason


def record_with_progress(problems: list[Problem], jobs: int | None,
                         timeout: float | None = None) -> Iterator[Problem]:
    """Record ``problems`` with a progress bar; print the summary line at the end."""
    progress = RecordingProgress()
    with progress:
        progress.start(len(problems))
        options = RecordOptions(jobs=jobs, timeout=timeout)
        for record, outcome in record_calls(problems, options=options,
                                            on_message=progress.message):
            progress.advance_recording(record, outcome)
            yield record
    ui.stderr.print(Text(progress.summary()))


@click.command("record-calls")
@click.argument("data", nargs=-1, required=True,
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the records (JSONL; a .gz suffix compresses).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Warm containers [default: one per core].")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help="Wall-clock seconds per run of a test program [default: 10].")
def record_calls_command(data: tuple[Path, ...], output: Path, jobs: int | None,
                         timeout: float | None) -> None:
    """Record the calls the code tests of the Python records in DATA make, and write
    the records with calls tests (the seed tests kept in meta.seed_tests) to OUTPUT."""
    from codeaug.cli.import_ import EXIT_NOTHING, _AtomicOutput  # one atomic writer
    from codeaug.plugins import get_plugins

    plugins = get_plugins()
    problems = _read(read_records(data, check_language=plugins.languages.get))
    if not problems:
        click.echo("error: no record could be read", err=True)
        click.get_current_context().exit(EXIT_NOTHING)
    with _AtomicOutput(output) as out:
        for record in record_with_progress(problems, jobs, timeout):
            out.write(encode_problem(record) + b"\n")
    click.echo(f"{len(problems)} records written to {output}", err=True)


def _read(items: Iterable[Problem | RecordError]) -> list[Problem]:
    problems = []
    for item in items:
        if isinstance(item, RecordError):
            ui.stderr.print(Text.assemble(("invalid input:", "yellow"), f" {item}"))
        else:
            problems.append(item)
    return problems
