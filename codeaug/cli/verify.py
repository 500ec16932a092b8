"""``codeaug verify``: run every candidate's tests in the sandbox, keep what passes."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from codeaug.cli import ui
from codeaug.executor.docker_api import connect
from codeaug.plugins import get_plugins
from codeaug.reports import RunReport
from codeaug.verify import Verifier, VerifyOptions


@click.command("verify")
@click.argument("data", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "passed", type=click.Path(dir_okay=False, path_type=Path),
              help="Where passing records go (JSONL) [default: nowhere, a check only "
                   "(exit status, summary and reports), as the pre-commit hook runs it].")
@click.option("--rejected", type=click.Path(dir_okay=False, path_type=Path),
              help="Where rejected records go, with verdict and reason "
                   "[default: OUTPUT with .rejected before the suffix].")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Warm containers per image [default: one per core].")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help="Wall-clock seconds per test program [default: the language's, 10].")
@click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
              help="Retries of a job whose container failed, on a fresh container.")
@click.option("--resume", is_flag=True,
              help="Keep existing output files and skip the records already in them.")
@click.option("--no-cache", is_flag=True,
              help="Run every candidate, ignoring (and not filling) the verdict cache.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Verdict cache file [default: ~/.cache/codeaug/verdicts.sqlite3].")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JUnit XML report: one test case per item.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report: counts, images and one entry per item.")
@click.option("--fail-under", type=click.FloatRange(0, 1), metavar="RATE",
              help="Exit 0 when at least RATE (0 to 1) of the items pass, 1 below it "
                   "[default: any rejected item exits 1].")
@click.option("--strict", is_flag=True, help="Stop when a plugin fails to load.")
@click.option("--max-record-size", type=click.IntRange(min=1), default=16, show_default=True,
              metavar="MIB", help="Longest input line read as a record, in MiB; a longer "
                                  "line is reported as invalid and skipped unread.")
@click.option("--mutation-score", is_flag=True,
              help="Also run simple mutants of each passing record's solution (operator "
                   "swaps, constants off by one, negated conditions) and report the share "
                   "its tests reject, per record in --report and as a mean.")
def verify_command(data: tuple[Path, ...], passed: Path | None, rejected: Path | None,
                   jobs: int | None, timeout: float | None, retries: int, resume: bool,
                   no_cache: bool, cache_path: Path | None, junit: Path | None,
                   report_path: Path | None, fail_under: float | None, strict: bool,
                   max_record_size: int, mutation_score: bool = False) -> None:
    """Verify the candidate solutions in DATA (JSONL, optionally .gz; several files are
    read one after the other into the same outputs) in the sandbox.

    Exit status: 0 all passed (or at least --fail-under of them); 1 some rejected
    or invalid; 2 bad usage or no readable record; 3 sandbox unavailable (the
    engine unreachable for more than 30 s, say) or an output file cannot be
    written (its disk full): whole records are kept and --resume continues;
    130 interrupted.
    """
    check_only = passed is None
    if passed is None:  # records go to a scratch dir, removed when the command ends
        if resume:
            raise click.UsageError("--resume needs -o/--output")
        scratch = Path(click.get_current_context().with_resource(
            tempfile.TemporaryDirectory(prefix="codeaug-verify-")))
        passed = scratch / "passed.jsonl"
        rejected = rejected or scratch / "rejected.jsonl"
    elif rejected is None:
        rejected = passed.with_name(passed.name.split(".")[0] + ".rejected.jsonl")
    source = " ".join(map(str, data))
    plugins = get_plugins(strict=strict)
    for problem in plugins.problems:
        ui.stderr.print(f"[yellow]warning:[/] {problem} (skipped)")
    client = connect()
    options = VerifyOptions(jobs=jobs, timeout=timeout, retries=retries, resume=resume,
                            cache=not no_cache, cache_path=cache_path,
                            max_line_bytes=max_record_size << 20)
    report = RunReport(source) if junit or report_path else None
    label = data[0].name if len(data) == 1 else f"{len(data)} files"
    with ui.ProgressReporter(f"verifying {label}") as reporter:
        summary = Verifier(plugins, client, options, reporter).verify_file(
            list(data), passed, rejected, report)
    scores = None
    if mutation_score:  # codeaug.mutants: on the records that passed
        from codeaug.mutants import score_records
        from codeaug.record import Problem, iter_problems
        kept = [p for p in iter_problems(passed) if isinstance(p, Problem)]
        scores = score_records(kept, client, plugins=plugins, jobs=jobs or 1, timeout=timeout)
    if report is not None and junit:
        report.write_junit(junit)
    if report is not None and report_path:
        extra = {"mutation_score": scores} if scores is not None else {}
        report.write_json(report_path, {"source": source, "command": sys.argv,
                                        **summary.as_dict(), **extra})
    ui.stdout.print(ui.verdict_table(summary.counts, summary.by_language, summary.invalid,
                                     summary.elapsed))
    if summary.cached:
        ui.stdout.print(f"{summary.cached} verdicts came from the cache (--no-cache reruns them)")
    if summary.resumed:
        ui.stdout.print(f"{summary.resumed} records were already verified (--resume)")
    if scores is not None:
        mean = "n/a" if scores["mean"] is None else f"{scores['mean']:.3f}"
        ui.stdout.print(f"mutation score: mean {mean} over {scores['scored']} records "
                        "with mutants")
    if not check_only:
        ui.stdout.print(f"passed -> {passed}\nrejected -> {rejected}")
    code = summary.exit_code(fail_under)
    if fail_under is not None and code != 2:
        ui.stdout.print(f"pass rate {summary.pass_rate:.1%} "
                        f"({'at least' if code == 0 else 'below'} --fail-under {fail_under:.1%})")
    if code == 2:
        why = (f"{summary.invalid} invalid, reported above" if summary.invalid
               else "no records in it")
        ui.stderr.print(f"error: {source}: no record could be read ({why})", markup=False)
    sys.exit(code)
