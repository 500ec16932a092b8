"""codeaug/executor/container.py ``_FrameReader``: lines from Docker's multiplexed stream."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from codeaug.executor.container import _FrameReader


def frame(payload: bytes, stream: int = 1) -> bytes:
    """Docker's frame: stream type, three zero bytes, big-endian payload length, payload."""
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(payload)) + payload


def drain(reader: _FrameReader) -> list[bytes]:
    lines = []
    while (line := reader.pop_line()) is not None:
        lines.append(line)
    return lines


def test_one_line_in_one_frame() -> None:
    r = _FrameReader()
    r.feed(frame(b'{"ready": true}\n'))
    assert r.pop_line() == b'{"ready": true}'
    assert r.pop_line() is None


def test_nothing_before_a_newline() -> None:
    r = _FrameReader()
    assert r.pop_line() is None
    r.feed(frame(b"partial"))
    assert r.pop_line() is None
    r.feed(frame(b" line\n"))
    assert r.pop_line() == b"partial line"


def test_line_split_across_frames() -> None:
    r = _FrameReader()
    r.feed(frame(b"ab") + frame(b"cd") + frame(b"e\nf"))
    assert drain(r) == [b"abcde"]
    r.feed(frame(b"g\n"))
    assert drain(r) == [b"fg"]


def test_several_lines_in_one_frame() -> None:
    r = _FrameReader()
    r.feed(frame(b"one\ntwo\n\nfour\n"))
    assert drain(r) == [b"one", b"two", b"", b"four"]


def test_header_split_across_feeds() -> None:
    data = frame(b"hello\n")
    for cut in range(1, 8):
        r = _FrameReader()
        r.feed(data[:cut])
        assert r.pop_line() is None
        r.feed(data[cut:])
        assert drain(r) == [b"hello"]


def test_byte_by_byte() -> None:
    data = frame(b"x\ny") + frame(b"\n")
    r = _FrameReader()
    got = []
    for i in range(len(data)):
        r.feed(data[i : i + 1])
        got += drain(r)
    assert got == [b"x", b"y"]


def test_empty_frames() -> None:
    r = _FrameReader()
    r.feed(frame(b"") + frame(b"a") + frame(b"") + frame(b"") + frame(b"\n") + frame(b""))
    assert drain(r) == [b"a"]
    r.feed(frame(b""))
    assert r.pop_line() is None


def test_length_is_big_endian_and_payload_may_hold_header_like_bytes() -> None:
    payload = b"\x01\x00\x00\x00\x00\x00\x00\x05" * 40 + b"\n"  # 321 bytes: > 255
    r = _FrameReader()
    r.feed(frame(payload) + frame(b"next\n"))
    assert drain(r) == [payload[:-1], b"next"]


def test_large_frame() -> None:
    payload = b"z" * (3 << 20) + b"\n"
    r = _FrameReader()
    data = frame(payload)
    r.feed(data[: 1 << 20])
    assert r.pop_line() is None
    r.feed(data[1 << 20 :])
    assert r.pop_line() == payload[:-1]


@st.composite
def framed_stream(draw: st.DrawFn) -> tuple[list[bytes], bytes, list[int]]:
    """Lines, the framed byte stream carrying them (split into frames at random, with empty
    frames mixed in), and random cut points for feeding it."""
    lines = draw(st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
                          max_size=8))
    text = b"".join(line + b"\n" for line in lines)
    points = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    stream = b"".join(frame(p) for p in pieces)
    cuts = sorted(draw(st.lists(st.integers(0, len(stream)), max_size=12)))
    return lines, stream, cuts


@given(framed_stream())
def test_any_chunking_reassembles_the_lines(case: tuple[list[bytes], bytes, list[int]]) -> None:
    lines, stream, cuts = case
    r = _FrameReader()
    got: list[bytes] = []
    for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        r.feed(stream[a:b])
        got += drain(r)
    assert got == lines
    assert r.pop_line() is None


@given(framed_stream(), st.binary(min_size=1, max_size=20).filter(lambda b: b"\n" not in b))
def test_unterminated_tail_is_held_back(case: tuple[list[bytes], bytes, list[int]],
                                        tail: bytes) -> None:
    lines, stream, _ = case
    r = _FrameReader()
    r.feed(stream + frame(tail))
    assert drain(r) == lines
    r.feed(frame(b"\n"))
    assert drain(r) == [tail]
