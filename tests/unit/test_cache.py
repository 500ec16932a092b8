"""The verdict cache: keys follow content, stored verdicts come back, infra errors don't."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import msgspec
import pytest

from codeaug.cache import VerdictCache, verdict_key
from codeaug.executor.protocol import Limits
from codeaug.record import CallCase, CallsTests, Param, Problem, Signature
from codeaug.verdict import Status, Verdict

BASE = Problem(
    id="p", language="python", prompt="Add.", entry_point="add",
    signature=Signature([Param("a", "int"), Param("b", "int")], "int"),
    solution="def add(a, b):\n    return a + b\n",
    tests=CallsTests([CallCase([1, 2], 3)]), constraints=["small"],
)
KEY_ARGS = dict(language="python", language_version="2", limits=Limits(), image_id="sha256:a")


def key(problem: Problem = BASE, **overrides: object) -> str:
    return verdict_key(problem, **{**KEY_ARGS, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize("change", [
    {"solution": "def add(a, b):\n    return b + a\n"},
    {"tests": CallsTests([CallCase([1, 2], 4)])},
    {"tests": CallsTests([CallCase([1, 2], 3)], rel_tol=1e-3)},
    {"entry_point": "plus"},
    {"signature": Signature([Param("a", "float"), Param("b", "int")], "int")},
    {"constraints": []},
])
def test_key_changes_with_what_decides_the_verdict(change: dict[str, object]) -> None:
    assert key(msgspec.structs.replace(BASE, **change)) != key()


@pytest.mark.parametrize("change", [
    {"language_version": "3"}, {"image_id": "sha256:b"}, {"limits": Limits(wall_seconds=2)},
])
def test_key_changes_with_runtime_and_limits(change: dict[str, object]) -> None:
    assert key(**change) != key()


def test_key_ignores_what_does_not_decide_it() -> None:
    other = msgspec.structs.replace(BASE, id="q", prompt="Different words.",
                                    meta={"source": "x"})
    assert key(other) == key()


def test_put_get_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite3"
    cache = VerdictCache(path)
    verdict = Verdict(Status.FAILED, "expected 3, got 4", failed_test="case 0", duration=0.01)
    assert cache.get("k") is None
    cache.put("k", verdict)
    cache.close()
    reopened = VerdictCache(path)
    assert reopened.get("k") == verdict
    assert (reopened.hits, reopened.misses) == (1, 0)


def test_sandbox_errors_are_not_cached(tmp_path: Path) -> None:
    cache = VerdictCache(tmp_path / "v.sqlite3")
    cache.put("k", Verdict(Status.SANDBOX_ERROR, "container died"))
    assert cache.get("k") is None
    assert len(cache) == 0


def _writer(path: str, start: int) -> None:
    cache = VerdictCache(Path(path))
    for i in range(start, start + 200):
        cache.put(f"k{i}", Verdict(Status.PASSED, duration=float(i)))
    cache.close()


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite3"
    VerdictCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), n * 200)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cache = VerdictCache(path)
    assert len(cache) == 800
    assert cache.get("k799") == Verdict(Status.PASSED, duration=799.0)
