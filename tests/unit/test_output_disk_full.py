"""codeaug/verify.py JsonlAppender on a full disk: the short write is cut back to the last
whole line and a one-line OutputError names the file (the real tmpfs case is in
tests/integration/test_faults_daemon_disk.py)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from codeaug.verify import JsonlAppender, OutputError, close_outputs


def _disk_fills_after(monkeypatch: pytest.MonkeyPatch, free: int) -> None:
    """os.write behaves like a disk with ``free`` bytes left: short write, then ENOSPC."""
    real_write = os.write
    left = {"bytes": free}

    def write(fd: int, data: bytes | memoryview) -> int:
        if left["bytes"] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data[: left["bytes"]]))
        left["bytes"] -= n
        return n

    monkeypatch.setattr(os, "write", write)


def test_a_full_disk_leaves_only_whole_lines(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.jsonl"
    out = JsonlAppender(path, fresh=True)
    out.write(b'{"id": "a"}')
    out.flush()
    _disk_fills_after(monkeypatch, 5)
    out.write(b'{"id": "b"}')
    with pytest.raises(OutputError) as caught:
        out.flush()
    message = str(caught.value)
    assert str(path) in message and "No space left on device" in message
    assert "--resume" in message and "\n" not in message
    assert caught.value.exit_code == 3
    out.write(b'{"id": "c"}')  # the run is ending: later lines are dropped, not raised again
    out.close()
    assert path.read_bytes() == b'{"id": "a"}\n'


def test_close_outputs_closes_all_and_raises_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "ok.jsonl", tmp_path / "bad.jsonl"
    outs = [JsonlAppender(first, fresh=True), JsonlAppender(second, fresh=True)]
    for out in outs:
        out.write(b"{}")
    _disk_fills_after(monkeypatch, 0)
    with pytest.raises(OutputError, match=str(first)):
        close_outputs(*outs)
    assert first.read_bytes() == second.read_bytes() == b""
    for out in outs:  # both descriptors were closed
        with pytest.raises(OSError):
            os.fstat(out._fd)
