"""``codeaug expand``: seeds through mutators, solvers and the sandbox into a dataset."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from codeaug.cli import ui
from codeaug.executor.docker_api import connect
from codeaug.expand import MANIFEST, ExpandOptions, Expander
from codeaug.mutator import params_help
from codeaug.plugins import get_plugins
from codeaug.verify import VerifyOptions


class _ExpandCommand(click.Command):
    """``--help`` ends with the installed mutators and their parameters."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        try:
            mutators = list(get_plugins().mutators)
        except Exception:  # help must work even when a plugin is broken
            return
        with formatter.section("Mutators (--mutator NAME[:key=value,...])"):
            for mutator in sorted(mutators, key=lambda m: m.name):
                formatter.write_text(f"{mutator.name} {mutator.version}: {mutator.summary}")
                with formatter.indentation():
                    formatter.write_dl([(name, f"{kind}. {desc}".strip())
                                        for name, kind, desc in params_help(mutator)]
                                       or [("(no parameters)", "")])


@click.command("expand", cls=_ExpandCommand)
@click.argument("seeds", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: dataset.jsonl, rejected.jsonl, problems.jsonl, "
                   "manifest.json.")
@click.option("-m", "--mutator", "mutators", multiple=True, metavar="NAME[:k=v,...]",
              help="A mutator and its parameters; repeat for several [default: every "
                   "installed mutator with default parameters].")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Longest chain of mutations applied to one seed.")
@click.option("--per-seed", type=click.IntRange(min=1),
              help="At most this many variants per seed (a seeded random choice).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed: the same seed gives the same files.")
@click.option("--format", "input_format",
              help="Read SEEDS with this import format (see `codeaug import`) instead of "
                   "as problem records.")
@click.option("--solver", "solvers", multiple=True,
              help="Solver plugin for variants without a solution; repeat for several.")
@click.option("--candidates", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="JSONL of candidate solutions ({id, language, solution}) for variants "
                   "without one, e.g. a model's answers to problems.jsonl; tried before "
                   "--solver plugins.")
@click.option("--filter", "filters", multiple=True,
              help="Filter plugin applied to passed variants; repeat for several.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Processes for mutation and warm containers per image "
                   "[default: one per core].")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help="Wall-clock seconds per test program [default: the language's].")
@click.option("--resume", is_flag=True,
              help="Keep OUTDIR's files and skip the variants already in them.")
@click.option("--no-cache", is_flag=True, help="Ignore (and do not fill) the verdict cache.")
@click.option("--strict", is_flag=True,
              help="Stop at the first plugin that fails to load or raises.")
def expand_command(seeds: Path, outdir: Path, mutators: tuple[str, ...], depth: int,
                   per_seed: int | None, seed: int, input_format: str | None,
                   solvers: tuple[str, ...], candidates: Path | None,
                   filters: tuple[str, ...], jobs: int | None,
                   timeout: float | None, resume: bool, no_cache: bool, strict: bool) -> None:
    """Rewrite the problems in SEEDS into verified variants in OUTDIR.

    Every variant runs its tests in the sandbox; only those that pass reach
    OUTDIR/dataset.jsonl. Exit status: 0 done (whatever the verdicts); 2 bad usage
    or no readable seed; 3 sandbox unavailable.
    """
    plugins = get_plugins(strict=strict)
    for problem in plugins.problems:
        ui.stderr.print(f"[yellow]warning:[/] {problem} (skipped)")
    if not mutators:
        mutators = tuple(sorted(m.name for m in plugins.mutators))
    workers = jobs or os.cpu_count() or 1
    options = ExpandOptions(
        mutators=list(mutators), depth=depth, per_seed=per_seed, seed=seed,
        workers=workers, solvers=list(solvers), filters=list(filters),
        input_format=input_format, candidates=candidates, strict=strict,
        verify=VerifyOptions(jobs=jobs, timeout=timeout, resume=resume, cache=not no_cache))
    expander = Expander(plugins, connect(), options)  # validates --mutator before any work
    with ui.ProgressReporter(f"expanding {seeds.name}") as reporter:
        expander.reporter = reporter
        manifest = expander.run(seeds, outdir, resume=resume)
    ui.stdout.print(ui.expand_table(manifest))
    ui.stdout.print(f"dataset -> {outdir / 'dataset.jsonl'}\nrejected -> "
                    f"{outdir / 'rejected.jsonl'}\nmanifest -> {outdir / MANIFEST}")
    if manifest["seeds"]["read"] == 0:
        ui.stderr.print(f"error: {seeds}: no seed could be read")
        sys.exit(2)
