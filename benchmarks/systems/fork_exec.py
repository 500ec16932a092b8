"""Fork per item, unsandboxed: the approach of OpenAI's human-eval harness, written here.

``workers`` threads each take an item and ``os.fork()`` one process for it, so the child
starts from the already-running benchmark interpreter and needs no interpreter start-up.
(Plain ``os.fork``/``waitpid`` rather than ``multiprocessing.Process``: with several
threads starting processes, ``multiprocessing``'s shared child bookkeeping can reap one
thread's child from another thread.) The child makes a fresh temporary
directory and moves into it, applies a few reliability guards (rlimits on CPU time and
core files, stdout/stderr to ``/dev/null``, destructive ``os``/``shutil``/``subprocess``
functions replaced by stubs), runs the item's program with ``exec()`` under a
``SIGALRM`` timer, and sends one verdict back through a pipe. The parent waits for the
verdict at most the per-item timeout plus one second, then kills the child if it is
still alive. There is no isolation at all: the guards only stop accidents, not a
hostile program (which could undo them).
"""

from __future__ import annotations

import os
import select
import signal
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.items import Item
from benchmarks.systems import ItemResult

# Attributes replaced by a stub in the child after it has set itself up. Each is a
# function a test program has no business calling and that could damage the host.
_DISABLED = {
    "os": ("kill", "killpg", "system", "putenv", "remove", "removedirs", "rmdir", "unlink",
           "rename", "renames", "replace", "truncate", "fchdir", "chdir", "chmod", "fchmod",
           "chown", "fchown", "lchown", "chroot", "setuid", "fork", "forkpty", "execv",
           "execve", "spawnv"),
    "shutil": ("rmtree", "move", "chown"),
    "subprocess": ("Popen", "run", "call", "check_call", "check_output"),
}


class _Disabled:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: object, **kwargs: object) -> None:
        raise PermissionError(f"{self.name} is disabled in the fork-per-item harness")


class _TimedOut(BaseException):
    """Raised by the SIGALRM handler; a BaseException so the program cannot catch it with
    ``except Exception``."""


def _guard(timeout: float) -> None:
    import builtins
    import faulthandler
    import importlib
    import resource
    import signal

    faulthandler.disable()
    cpu = int(timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.environ["OMP_NUM_THREADS"] = "1"
    for module_name, names in _DISABLED.items():
        module = importlib.import_module(module_name)
        for name in names:
            if hasattr(module, name):
                setattr(module, name, _Disabled(f"{module_name}.{name}"))
    builtins.exit = builtins.quit = _Disabled("exit")  # type: ignore[assignment]

    def on_alarm(signum: int, frame: object) -> None:
        raise _TimedOut

    signal.signal(signal.SIGALRM, on_alarm)


def _child(program: str, timeout: float, root: str, fd: int) -> None:
    """The forked process: set up, guard, exec the program, write one verdict to ``fd``."""
    import shutil

    rmtree, chdir = shutil.rmtree, os.chdir  # kept before the guards stub them out
    work = tempfile.mkdtemp(dir=root)
    chdir(work)
    try:
        _guard(timeout)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            exec(compile(program, "main.py", "exec"), {"__name__": "__main__"})
            verdict = "passed"
        except _TimedOut:
            verdict = f"timed out after {timeout:g} s"
        except SystemExit as exc:
            verdict = "passed" if exc.code in (None, 0) else f"exit {exc.code}"
        except BaseException as exc:
            verdict = f"failed: {type(exc).__name__}: {exc}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        os.write(fd, verdict.encode("utf-8", "replace")[:4000])
    finally:
        chdir(root)
        rmtree(work, ignore_errors=True)


class ForkPerItem:
    """One forked process per item, ``workers`` at a time, program run with ``exec()``."""

    def __init__(self, name: str, workers: int, timeout: float) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.timeout = timeout
        self.description = (f"fork() one process per item from this interpreter, exec() the "
                            f"program under a timer, {self.workers} in parallel, no sandbox")
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self.killed = 0

    def setup(self, items: Sequence[Item]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="codeaug-bench-fork-")

    def _one(self, item: Item) -> ItemResult:
        assert self._dir is not None
        started = time.perf_counter()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the harness
            code = 0
            try:
                os.close(read_fd)
                _child(item.program, self.timeout, self._dir.name, write_fd)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        verdict = "no verdict (the child died)"
        try:
            ready, _, _ = select.select([read_fd], [], [], self.timeout + 1)
            if ready:
                data = os.read(read_fd, 4096)
                if data:
                    verdict = data.decode("utf-8", "replace")
            else:
                verdict = f"timed out after {self.timeout:g} s (killed)"
                self.killed += 1
                os.kill(pid, signal.SIGKILL)
        finally:
            os.close(read_fd)
            os.waitpid(pid, 0)
        elapsed = time.perf_counter() - started
        return ItemResult(item.id, verdict == "passed", elapsed,
                          detail="" if verdict == "passed" else verdict)

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
        return [f"{self.workers} threads, each forking one process per item "
                f"(os.fork, verdict through a pipe, waitpid) from the benchmark process "
                f"(pid {os.getpid()}, resident set {_rss_mib():.0f} MiB at the end)",
                f"children killed after missing the deadline: {self.killed}"]


def _rss_mib() -> float:
    try:
        fields = Path("/proc/self/statm").read_text().split()
        return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return float("nan")
