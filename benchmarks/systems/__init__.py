"""The systems a benchmark measures, all behind one interface.

A system runs a list of :class:`~benchmarks.items.Item` and says, per item, whether it
passed and how long it took as the system itself sees it. The suite times ``run`` as a
whole (wall clock on the host) to get items/second; ``setup`` and ``teardown`` are not
timed. To add a peer (a fork-per-item harness, llm-sandbox, ``docker run`` per item,
...), write a module here with a class satisfying :class:`System` and list it in
:func:`benchmarks.humaneval.build_systems`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from benchmarks.items import Item


@dataclass(frozen=True)
class ItemResult:
    """What one system reports about one item in one run.

    ``seconds``: the system's own per-item time (for codeaug the runner's
    ``StepResult.wall_seconds``, for native the ``subprocess.run`` wall time), or None
    when the system does not report one. ``round_trip``: host-observed time from handing
    the item over to getting its result back, when measured (it includes queueing when
    several items are in flight). ``detail``: why it did not pass.
    """

    id: str
    passed: bool
    seconds: float | None = None
    round_trip: float | None = None
    detail: str = ""


class PeerUnavailable(Exception):
    """Raised by a peer's ``setup`` when it cannot run on this machine (not installed, an
    incompatible dependency, no offline image): the suite reports the message and goes on
    without that system instead of failing the run."""


@runtime_checkable
class System(Protocol):
    """A measured system. ``name`` is short and unique (a table row, a chart bar);
    ``description`` says in one sentence what one timed ``run`` does."""

    name: str
    description: str

    def setup(self, items: Sequence[Item]) -> None:
        """Prepare everything that is not part of the measurement (untimed)."""
        ...

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        """Run every item once; the suite times this call. One result per item."""
        ...

    def teardown(self) -> None:
        """Release everything ``setup`` or ``run`` acquired; must be safe to call twice
        and after a failed ``setup``."""
        ...

    def notes(self) -> list[str]:
        """Facts worth printing in the report (image, interpreter, events seen)."""
        ...
