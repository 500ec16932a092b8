"""Native, unsandboxed: one ``python3 main.py`` process per item, no isolation at all.

``workers`` threads each call ``subprocess.run``; with ``workers=1`` items run one after
another, which the suite uses as the uncontended per-program baseline. The programs are
written to a temporary directory in ``setup`` (one directory per item, the file named
``main.py`` as in the sandbox), so a timed run only starts processes.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.items import Item
from benchmarks.systems import ItemResult


def resolve_python3(command: str = "python3") -> tuple[str, str]:
    """The real interpreter behind ``python3`` on PATH and its version.

    Resolving it once means version-manager shims (pyenv and the like, shell scripts
    that re-dispatch on every start) are not timed as part of every native run.
    """
    found = shutil.which(command)
    if found is None:
        raise RuntimeError(f"{command} is not on PATH")
    out = subprocess.run(
        [found, "-c", "import sys, platform; print(sys.executable); "
                      "print(platform.python_version())"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.split("\n")
    return out[0].strip() or found, out[1].strip()


class NativeSubprocess:
    """``python3 main.py`` per item over a pool of ``workers`` threads."""

    def __init__(self, name: str, workers: int, timeout: float,
                 python: str | None = None, python_version: str = "") -> None:
        self.name = name
        self.workers = max(1, workers)
        self.timeout = timeout
        self.python = python
        self.python_version = python_version
        mode = "one at a time" if self.workers == 1 else f"{self.workers} in parallel"
        self.description = (f"host python3 main.py, one process per item, {mode}, no sandbox, "
                            f"{timeout:g} s timeout")
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._paths: dict[str, Path] = {}
        self._env: dict[str, str] = {}

    def setup(self, items: Sequence[Item]) -> None:
        if self.python is None:
            self.python, self.python_version = resolve_python3()
        self._dir = tempfile.TemporaryDirectory(prefix="codeaug-bench-native-")
        root = Path(self._dir.name)
        for index, item in enumerate(items):
            work = root / f"{index:05d}"
            work.mkdir()
            path = work / "main.py"
            path.write_text(item.program, encoding="utf-8")
            self._paths[item.id] = path
        # What the sandbox runner gives a job, minus its confinement.
        self._env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(root),
        }

    def _one(self, item: Item) -> ItemResult:
        assert self.python is not None
        path = self._paths[item.id]
        started = time.perf_counter()
        try:
            proc = subprocess.run([self.python, "main.py"], cwd=path.parent, env=self._env,
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            return ItemResult(item.id, False, time.perf_counter() - started,
                              detail=f"timed out after {self.timeout:g} s")
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            return ItemResult(item.id, False, elapsed,
                              detail=f"exit {proc.returncode}: {' '.join(tail)}")
        return ItemResult(item.id, True, elapsed)

    def startup_seconds(self, flags: Sequence[str], times: int) -> float:
        """Median wall time of ``python3 <flags> -c pass``, one at a time: the cost of
        starting and stopping the interpreter alone (``-S`` skips site-packages)."""
        assert self.python is not None
        samples = []
        for _ in range(times):
            started = time.perf_counter()
            subprocess.run([self.python, *flags, "-c", "pass"], env=self._env, check=True,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    def run(self, items: Sequence[Item]) -> list[ItemResult]:
        if self.workers == 1:
            return [self._one(item) for item in items]
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(self._one, items))

    def teardown(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def notes(self) -> list[str]:
        return [f"interpreter: {self.python} (Python {self.python_version})"]
