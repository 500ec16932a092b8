"""The ``codeaug`` command: a click group with one thin module per subcommand.

Errors are turned into messages and exit codes here, in one place: a
:class:`~codeaug.errors.CodeaugError` prints its message and exits with its
``exit_code`` (2 bad usage or input, 3 sandbox unavailable).
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

import codeaug
from codeaug.cli.expand import expand_command
from codeaug.cli.import_ import import_command
from codeaug.cli.plugins import plugins_command
from codeaug.cli.record_calls import record_calls_command
from codeaug.cli.sandbox import sandbox_group
from codeaug.cli.verify import verify_command
from codeaug.errors import CodeaugError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CodeaugError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            # The commands' own `finally` blocks have removed their containers by now.
            click.echo("interrupted (outputs so far are kept; --resume continues)", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(codeaug.__version__, prog_name="codeaug")
def cli() -> None:
    """Turn seed coding problems into large, sandbox-verified training data."""
    # SIGTERM ends the run like Ctrl-C does, so containers are removed on the way out.
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


cli.add_command(expand_command)
cli.add_command(verify_command)
cli.add_command(import_command)
cli.add_command(sandbox_group)
cli.add_command(plugins_command)
cli.add_command(record_calls_command)


def main() -> None:
    cli()
