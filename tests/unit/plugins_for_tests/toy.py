"""A well-behaved plugin registering one toy language and one toy format."""

from collections.abc import Iterator
from pathlib import Path

from codeaug_plugins.python_language import Python

import codeaug
from codeaug.errors import RecordError
from codeaug.formats import Format
from codeaug.record import Problem


class Toy(Python):
    name = "toylang"
    aliases = ("toy", "TL")


class ToyFormat(Format):
    name = "toyfmt"

    def read(self, source: Path) -> Iterator[Problem | RecordError]:
        return iter(())


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Toy())


@codeaug.hookimpl
def register_formats(register):  # type: ignore[no-untyped-def]
    register(ToyFormat())
