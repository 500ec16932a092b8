"""Terminal output shared by commands: rich progress, messages and summary tables."""

from __future__ import annotations

import time
from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from codeaug.errors import RecordError
from codeaug.record import Problem
from codeaug.verdict import Status, Verdict

stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False)


class ProgressReporter:
    """A live progress bar with items/s and ETA; messages print above it."""

    def __init__(self, description: str, *, console: Console = stderr) -> None:
        self.console = console
        self.description = description
        self.counts: Counter[str] = Counter()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} items/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[tally]}"),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = None
        self._unshown = 0
        self._shown_at = 0.0

    def __enter__(self) -> ProgressReporter:
        self.progress.start()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.task is not None and self._unshown:
            self.progress.update(self.task, advance=self._unshown)
        self.progress.stop()

    def start(self, total: int | None) -> None:
        self.task = self.progress.add_task(self.description, total=total, rate="0.0", tally="")

    def advance(self, problem: Problem, verdict: Verdict) -> None:
        self.counts[verdict.status.value] += 1
        self._unshown += 1
        # Redrawing costs more than verifying a cached record: at most ~20 times a second.
        now = time.monotonic()
        if self.task is None or now - self._shown_at < 0.05:
            return
        self._shown_at = now
        task = self.progress.tasks[self.task]
        speed = task.finished_speed or task.speed or 0.0
        passed = self.counts[Status.PASSED.value]
        rejected = sum(self.counts.values()) - passed
        self.progress.update(self.task, advance=self._unshown, rate=f"{speed:.1f}",
                             tally=f"[green]{passed} passed[/] [red]{rejected} rejected[/]")
        self._unshown = 0

    def message(self, text: str) -> None:
        self.console.print(text)

    def bad_record(self, error: RecordError) -> None:
        # Text, not markup: the message quotes the input, which may hold "[/x]" or ":x:".
        self.console.print(Text.assemble(("invalid input:", "yellow"), f" {error}"),
                           highlight=False)
        if self.task is not None:
            self.progress.update(self.task, advance=1)


def verdict_table(counts: Counter[str], by_language: dict[str, Counter[str]],
                  invalid: int, elapsed: float) -> Table:
    """Verdicts by language, with totals and throughput."""
    languages = sorted(by_language)
    table = Table(title="codeaug verify", show_footer=True)
    table.add_column("verdict", footer="total")
    total = sum(counts.values())
    for lang in languages:
        table.add_column(lang, justify="right",
                         footer=str(sum(by_language[lang].values())))
    table.add_column("all", justify="right", footer=str(total))
    table.add_column("share", justify="right", footer="100%" if total else "")
    for status in Status:
        n = counts.get(status.value, 0)
        if n == 0:
            continue
        style = "green" if status is Status.PASSED else "red"
        row = [f"[{style}]{status.value}[/]"]
        row += [str(by_language[lang].get(status.value, 0)) for lang in languages]
        row += [str(n), f"{100 * n / total:.1f}%"]
        table.add_row(*row)
    if invalid:
        table.add_row("[yellow]invalid input[/]", *[""] * len(languages), str(invalid), "")
    rate = total / elapsed if elapsed > 0 else 0.0
    table.caption = f"{total} verified in {elapsed:.1f} s ({rate:.1f} items/s)"
    return table


def expand_table(manifest: dict) -> Table:  # type: ignore[type-arg]
    """Per mutator chain: problems it did not apply to (``not applicable``; the reasons
    are in the manifest), candidates made, duplicates dropped, verdicts."""
    verdicts: dict[str, dict[str, int]] = manifest["verdicts"]
    chains = sorted(set(verdicts) | set(manifest["candidates"]) | set(manifest["duplicates"]))
    statuses = [s.value for s in Status if any(s.value in v for v in verdicts.values())]
    table = Table(title="codeaug expand", show_footer=True)
    table.add_column("mutators", footer="total")
    not_made = {name: sum(reasons.values()) for name, reasons in manifest["skipped"].items()}
    chains = sorted(set(chains) | set(not_made))
    columns = ["not applicable", "candidates", "duplicates", *statuses]
    for column in columns:
        style = "green" if column == Status.PASSED.value else None
        if column == "not applicable":
            total = sum(not_made.values())
        elif column in ("candidates", "duplicates"):
            total = sum(manifest[column].get(c, 0) for c in chains)
        else:
            total = sum(v.get(column, 0) for v in verdicts.values())
        table.add_column(column, justify="right", style=style, footer=str(total))
    for chain in chains:
        row = [chain, str(not_made.get(chain, 0)), str(manifest["candidates"].get(chain, 0)),
               str(manifest["duplicates"].get(chain, 0))]
        row += [str(verdicts.get(chain, {}).get(s, 0)) for s in statuses]
        table.add_row(*row)
    return table
