"""The filter contract: a last word on items that passed the sandbox.

Registered through the ``register_filters`` hook (see :mod:`codeaug.hookspecs`) and
enabled with ``codeaug expand --filter NAME``. A filter sees each passed item with its
verdict and may send it to ``rejected.jsonl`` with a reason (too long, too easy, too
similar to a benchmark...).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from codeaug.record import Problem
from codeaug.verdict import Verdict


class Filter(ABC):
    name: ClassVar[str]
    version: ClassVar[str] = "1"
    summary: ClassVar[str] = ""

    @abstractmethod
    def reject(self, problem: Problem, verdict: Verdict) -> str | None:
        """A one-line reason to keep ``problem`` out of the dataset, or None to keep it."""
