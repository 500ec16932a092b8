"""``codeaug import FORMAT SRC -o OUT``: convert a foreign dataset into problem records.

Bad items never stop the run: each is one ``error:`` line on stderr and the rest go
on. The output appears only when complete (temp file in the same directory, then
``os.replace``), so an interrupted run never leaves a half-written dataset behind.

With ``--record-calls``, the imported Python records' ``code`` tests are run in the
sandbox and turned into language-neutral ``calls`` tests where possible
(:mod:`codeaug.recording`; the seed tests stay in ``meta.seed_tests``), with a progress
bar and a summary line ``recorded N, code-only M (reasons...)``.

Exit status: 0 all imported, 1 some items failed, 2 nothing could be read, 3 (with
``--record-calls``) the sandbox is unavailable.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path
from typing import IO, NoReturn

import click

from codeaug.errors import CodeaugError, InputError, RecordError, SandboxError
from codeaug.multilang import merge_by_task
from codeaug.record import Problem, encode_problem

EXIT_OK, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2


@click.command("import")
@click.argument("format_name", metavar="FORMAT")
@click.argument("src", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the records (JSONL; a .gz suffix compresses).")
@click.option("--merge", is_flag=True,
              help="One record per task carrying every language's version of it "
                   "(meta.languages; for formats that know a task's languages, e.g. "
                   "humaneval-x).")
@click.option("--record-calls", is_flag=True,
              help="Run each Python record's code tests in the sandbox and record the "
                   "calls they make as language-neutral calls tests (the seed tests kept "
                   "in meta.seed_tests; where impossible, meta.calls_recording says why).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="With --record-calls: warm containers [default: one per core].")
def import_command(format_name: str, src: Path, output: Path, merge: bool,
                   record_calls: bool = False, jobs: int | None = None) -> None:
    """Import SRC, a dataset in FORMAT (a registered format, e.g. humaneval), as problem records."""
    from codeaug.plugins import get_plugins  # deferred: loading plugins is not free

    try:
        fmt = get_plugins().formats.get(format_name)
    except CodeaugError as exc:
        _fail(str(exc))
    imported = errors = 0
    try:
        with _AtomicOutput(output) as out:
            merged: list[Problem] = []  # kept whole to merge or to record
            try:
                for item in fmt.read(src):
                    if isinstance(item, RecordError):
                        errors += 1
                        click.echo(f"error: {item}", err=True)
                    elif merge or record_calls:
                        merged.append(item)
                    elif isinstance(item, Problem):
                        out.write(encode_problem(item) + b"\n")
                        imported += 1
            except InputError as exc:  # unreadable or truncated input: keep what was read
                errors += 1
                click.echo(f"error: {exc}", err=True)
            records = merge_by_task(merged) if merge else iter(merged)
            if record_calls and merged:
                from codeaug.cli.record_calls import record_with_progress

                records = record_with_progress(list(records), jobs)
            for item in records:
                out.write(encode_problem(item) + b"\n")
                imported += 1
            if imported == 0:
                out.discard()
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    except SandboxError as exc:  # --record-calls without a sandbox: nothing written
        click.echo(f"error: {exc}", err=True)
        click.get_current_context().exit(exc.exit_code)
    except CodeaugError as exc:
        _fail(str(exc))
    noun = "error" if errors == 1 else "errors"
    where = f" to {output}" if imported else f"; {output} not written"
    click.echo(f"{imported} imported, {errors} {noun}{where}", err=True)
    ctx = click.get_current_context()
    if imported == 0:
        ctx.exit(EXIT_NOTHING)
    ctx.exit(EXIT_PARTIAL if errors else EXIT_OK)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    click.get_current_context().exit(EXIT_NOTHING)


class _AtomicOutput:
    """A binary sink that replaces ``path`` only on a clean exit (gzip for ``.gz``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._discard = False
        self._tmp: IO[bytes] | None = None
        self._gz: gzip.GzipFile | None = None

    def __enter__(self) -> _AtomicOutput:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.NamedTemporaryFile(  # closed in __exit__
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp", delete=False
        )
        if self.path.suffix == ".gz":
            # mtime=0 and no file name: the same records give byte-identical output.
            self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._tmp, mtime=0)
        return self

    def write(self, data: bytes) -> None:
        assert self._tmp is not None
        (self._gz or self._tmp).write(data)

    def discard(self) -> None:
        """Drop the output instead of replacing ``path`` (nothing worth writing)."""
        self._discard = True

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._tmp is not None
        tmp_name = self._tmp.name
        try:
            if self._gz is not None:
                self._gz.close()
            self._tmp.flush()
            if exc_type is None and not self._discard:
                os.fsync(self._tmp.fileno())
            self._tmp.close()
            if exc_type is None and not self._discard:
                os.chmod(tmp_name, 0o666 & ~_umask())  # NamedTemporaryFile makes it 0600
                os.replace(tmp_name, self.path)
                return
        except BaseException:
            _unlink(tmp_name)
            raise
        _unlink(tmp_name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass
