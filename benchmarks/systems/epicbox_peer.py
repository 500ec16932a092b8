"""epicbox (PyPI ``epicbox``), through its public API: ``epicbox.run`` per item.

``epicbox.run(profile, "python3 main.py", files=[...], limits=...)`` creates a container
per item, copies the file into its ``/sandbox`` work dir, starts it attached, waits for
it and removes it. :func:`probe` runs one trivial program that way first; the suite
measures :class:`EpicboxPerItem` only when the probe passed and otherwise reports the
probe's error (epicbox 1.1.0, its last release, builds its Docker client with
``urllib3.Retry(method_whitelist=...)``, an argument urllib3 2 removed).

The profile uses the image llm-sandbox's systems build (codeaug's image plus a
``/sandbox`` directory, which epicbox's file copy needs), no network, read-only off
(epicbox copies files into the container's file system), user root (epicbox's default).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version

from benchmarks.items import Item
from benchmarks.systems import ItemResult, PeerUnavailable
from benchmarks.systems.llm_sandbox_peer import _LlmSandboxBase

PROFILE = "python"


def epicbox_version() -> str:
    try:
        return version("epicbox")
    except PackageNotFoundError:
        return "not installed"


def _configure(image: str) -> None:
    import epicbox

    epicbox.configure(profiles=[epicbox.Profile(PROFILE, image, network_disabled=True)])


def _limits(timeout: float) -> dict[str, int]:
    seconds = max(1, round(timeout))
    return {"cputime": seconds, "realtime": seconds, "memory": 1536, "processes": 256}


def probe(image: str, timeout: float) -> str | None:
    """None when ``epicbox.run`` runs a trivial program here, else why not."""
    try:
        _configure(image)
        import epicbox

        out = epicbox.run(PROFILE, "python3 main.py",
                          files=[{"name": "main.py", "content": b"print(6 * 7)\n"}],
                          limits=_limits(timeout))
    except Exception as exc:
        return f"epicbox {epicbox_version()}: {type(exc).__name__}: {exc}"
    if out.get("exit_code") != 0 or out.get("stdout", b"").strip() != b"42":
        return f"epicbox {epicbox_version()}: trivial program gave {out!r}"
    return None


class EpicboxPerItem(_LlmSandboxBase):
    """``epicbox.run`` per item (a container each), ``workers`` at a time."""

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        super().__init__(name, workers, timeout)
        self.description = (f"epicbox {epicbox_version()}: `epicbox.run(...)` per item "
                            f"(a container each), {self.workers} in parallel")

    def _require(self) -> None:
        try:
            import epicbox  # noqa: F401
        except ImportError as exc:
            raise PeerUnavailable(f"epicbox is not importable: {exc} (pip install epicbox)"
                                  ) from None

    def setup(self, items: Sequence[Item]) -> None:
        super().setup(items)
        assert self.image is not None
        problem = probe(self.image, self.timeout)
        if problem is not None:
            raise PeerUnavailable(problem)

    def _one(self, item: Item) -> ItemResult:
        import epicbox

        started = time.perf_counter()
        try:
            out = epicbox.run(PROFILE, "python3 main.py",
                              files=[{"name": "main.py", "content": item.program.encode()}],
                              limits=_limits(self.timeout))
        except Exception as exc:
            return ItemResult(item.id, False, time.perf_counter() - started,
                              detail=f"epicbox error: {type(exc).__name__}: {exc}")
        elapsed = time.perf_counter() - started
        if out.get("timeout"):
            return ItemResult(item.id, False, elapsed,
                              detail=f"timed out after {self.timeout:g} s")
        if out.get("exit_code") != 0:
            tail = out.get("stderr", b"").decode("utf-8", "replace").strip().splitlines()[-1:]
            return ItemResult(item.id, False, elapsed,
                              detail=f"exit {out.get('exit_code')}: {' '.join(tail)}")
        return ItemResult(item.id, True, elapsed)

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(self._one, items))

    def notes(self) -> list[str]:
        return [f"epicbox {epicbox_version()}, {self.workers} threads, image {self.image}"]
