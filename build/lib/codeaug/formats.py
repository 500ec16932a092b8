"""The dataset-format contract: how ``codeaug import FORMAT`` reads foreign files.

Registered through the ``register_formats`` hook (see :mod:`codeaug.hookspecs`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from codeaug.errors import RecordError
from codeaug.record import Problem


class Format(ABC):
    """A dataset format that can be converted into problem records."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    version: ClassVar[str] = "1"

    @abstractmethod
    def read(self, source: Path) -> Iterator[Problem | RecordError]:
        """Yield one record per item of ``source``, or a :class:`RecordError` for an item
        that cannot be converted (naming file, line and field); never stop at the first."""
