"""Summaries of repeated measurements: every reported figure is a median over repeats."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One measured quantity, one value per repetition.

    ``kind`` groups figures in the report: ``throughput`` (items/s), ``ratio``, or
    ``latency`` (seconds, shown in ms). ``how`` says exactly what was measured.
    """

    key: str
    label: str
    kind: str
    how: str
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def min(self) -> float:
        return min(self.values) if self.values else float("nan")

    @property
    def max(self) -> float:
        return max(self.values) if self.values else float("nan")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
