"""codeaug/verify.py output files: trimming a crashed run's partial line, resuming, exit codes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codeaug.verdict import Status
from codeaug.verify import JsonlAppender, VerifySummary, done_ids, trim_partial_line

MIB = 1 << 20


def _record(rid: str, **meta: object) -> bytes:
    return json.dumps({
        "id": rid, "language": "python", "prompt": "p",
        "tests": {"kind": "code", "code": "assert True\n"}, "meta": meta,
    }).encode()


def _trimmed(tmp_path: Path, data: bytes) -> bytes:
    path = tmp_path / "out.jsonl"
    path.write_bytes(data)
    trim_partial_line(path)
    return path.read_bytes()


# --------------------------------------------------------------------------- trim_partial_line


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (b'{"a": 1}\n{"b": 2}\n{"c": ', b'{"a": 1}\n{"b": 2}\n'),  # ends mid-line
        (b'{"a": 1}\n{"b": 2}\n', b'{"a": 1}\n{"b": 2}\n'),  # ends with a newline
        (b'{"a": 1', b""),  # a single partial line
        (b"", b""),  # empty file
        (b"\n", b"\n"),
        (b"x\n\n\ny", b"x\n\n\n"),
    ],
)
def test_trim_partial_line(tmp_path: Path, data: bytes, kept: bytes) -> None:
    assert _trimmed(tmp_path, data) == kept


@pytest.mark.parametrize("partial", [MIB - 1, MIB, MIB + 1, 3 * MIB + 17])
def test_trim_partial_line_longer_than_a_mebibyte(tmp_path: Path, partial: int) -> None:
    head = b'{"a": 1}\n' * 3
    assert _trimmed(tmp_path, head + b"x" * partial) == head


def test_trim_single_huge_partial_line(tmp_path: Path) -> None:
    assert _trimmed(tmp_path, b"y" * (2 * MIB + 5)) == b""


def test_trim_keeps_large_complete_prefix(tmp_path: Path) -> None:
    head = (b"z" * 1000 + b"\n") * 3000  # ~3 MB of complete lines
    assert _trimmed(tmp_path, head + b"partial") == head


@given(st.lists(st.sampled_from([b"a", b"bc", b"\n", b"{}", b"\xff"]), max_size=30))
def test_trim_property(tmp_path_factory: pytest.TempPathFactory, parts: list[bytes]) -> None:
    data = b"".join(parts)
    kept = data if data.endswith(b"\n") else data[: data.rfind(b"\n") + 1]
    assert _trimmed(tmp_path_factory.mktemp("t"), data) == kept


# --------------------------------------------------------------------------- done_ids


def test_done_ids(tmp_path: Path) -> None:
    passed = tmp_path / "passed.jsonl"
    rejected = tmp_path / "rejected.jsonl"
    passed.write_bytes(_record("p1") + b"\n" + b"\n" + _record("p2", verification={"x": 1})
                       + b"\n" + b"not json\n" + _record("p3"))  # p3: unfinished last line
    rejected.write_bytes(_record("r1") + b"\n" + b'{"id": "no-language"}\n')
    assert done_ids(passed, rejected) == {"p1", "p2", "r1"}


def test_done_ids_missing_files(tmp_path: Path) -> None:
    assert done_ids(tmp_path / "a.jsonl", tmp_path / "b.jsonl") == set()
    (tmp_path / "a.jsonl").write_bytes(_record("only") + b"\n")
    assert done_ids(tmp_path / "a.jsonl", tmp_path / "b.jsonl") == {"only"}


# --------------------------------------------------------------------------- JsonlAppender


def test_appender_fresh_truncates(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"old line\nold partial")
    out = JsonlAppender(path, fresh=True)
    assert path.read_bytes() == b""
    out.write(b"one")
    out.write(b"two")
    out.close()
    assert path.read_bytes() == b"one\ntwo\n"


def test_appender_resume_trims_then_appends(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"kept 1\nkept 2\nhalf-writ")
    out = JsonlAppender(path, fresh=False)
    assert path.read_bytes() == b"kept 1\nkept 2\n"
    out.write(b"new")
    out.close()
    assert path.read_bytes() == b"kept 1\nkept 2\nnew\n"


def test_appender_resume_on_complete_file_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"a\nb\n")
    out = JsonlAppender(path, fresh=False)
    out.write(b"c")
    out.close()
    assert path.read_bytes() == b"a\nb\nc\n"


@pytest.mark.parametrize("fresh", [True, False])
def test_appender_creates_file_and_parents(tmp_path: Path, fresh: bool) -> None:
    path = tmp_path / "deep" / "er" / "out.jsonl"
    out = JsonlAppender(path, fresh=fresh)
    big = b"q" * (5 * MIB)
    out.write(big)
    out.write(b"")
    out.close()
    assert path.read_bytes() == big + b"\n\n"


# --------------------------------------------------------------------------- exit codes


def _summary(invalid: int = 0, resumed: int = 0, **counts: int) -> VerifySummary:
    s = VerifySummary(invalid=invalid, resumed=resumed)
    s.counts = Counter({Status(k).value: v for k, v in counts.items()})
    return s


@pytest.mark.parametrize(
    ("summary", "code"),
    [
        (_summary(), 2),  # nothing read
        (_summary(invalid=3), 2),  # no valid record
        (_summary(passed=4), 0),
        (_summary(resumed=5), 0),  # everything was done by the earlier run
        (_summary(resumed=5, passed=1), 0),
        (_summary(passed=4, failed=1), 1),
        (_summary(error=1), 1),
        (_summary(passed=2, timeout=1, sandbox_error=1), 1),
        (_summary(passed=4, invalid=1), 1),
        (_summary(resumed=2, invalid=1), 1),
    ],
)
def test_exit_code(summary: VerifySummary, code: int) -> None:
    assert summary.exit_code() == code


def test_summary_totals() -> None:
    s = _summary(passed=3, failed=2, memory_limit=1)
    assert (s.total, s.passed) == (6, 3)
