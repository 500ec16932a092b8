"""The problem record: one JSON object per line (JSONL, optionally gzip-compressed).

msgspec decodes and validates in one pass straight from bytes, several times faster
than pydantic for this shape, and its errors carry a JSON path (``$.tests.cases[3]``)
that we turn into the ``field`` of a :class:`~codeaug.errors.RecordError`.

A copyable example lives in ``docs/record.md``.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import msgspec

from codeaug.errors import CodeaugError, InputError, RecordError
from codeaug.typesys import TypeSyntaxError, parse_type


class Param(msgspec.Struct, forbid_unknown_fields=True):
    """One parameter: its name and language-neutral type (see :mod:`codeaug.typesys`)."""

    name: str
    type: str = "any"


class Signature(msgspec.Struct, forbid_unknown_fields=True):
    """Parameters and return type of ``entry_point``."""

    params: list[Param] = []
    returns: str = "any"


class CallCase(msgspec.Struct, forbid_unknown_fields=True):
    """Call ``entry_point(*args)`` and compare the result with ``expected``."""

    args: list[Any]
    expected: Any


class IoCase(msgspec.Struct, forbid_unknown_fields=True):
    """Run the whole program with ``stdin``; its stdout must equal ``stdout``.

    Trailing whitespace on each line and trailing blank lines are ignored.
    """

    stdin: str
    stdout: str


class CallsTests(msgspec.Struct, tag_field="kind", tag="calls", forbid_unknown_fields=True):
    """Language-neutral tests: a list of calls to ``entry_point``.

    Floats compare with ``rel_tol``/``abs_tol``; ``set[...]`` results compare unordered.
    """

    cases: list[CallCase]
    rel_tol: float = 1e-6
    abs_tol: float = 1e-6


class IoTests(msgspec.Struct, tag_field="kind", tag="io", forbid_unknown_fields=True):
    """Whole-program tests over stdin/stdout."""

    cases: list[IoCase]


class CodeTests(msgspec.Struct, tag_field="kind", tag="code", forbid_unknown_fields=True):
    """A test program in the record's language, run after the solution (HumanEval style).

    The program is the solution followed by ``code`` (each language assembles them its
    own way; Python: ``solution + "\\n\\n" + code``); it passes when it exits 0.
    """

    code: str


Tests = CallsTests | IoTests | CodeTests
TestKind = Literal["calls", "io", "code"]


class Problem(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=False):
    """One problem with its candidate solution and tests. Field order is the on-disk order."""

    id: str
    language: str
    prompt: str
    tests: Tests
    entry_point: str = ""
    signature: Signature = msgspec.field(default_factory=Signature)
    solution: str = ""
    constraints: list[str] = []
    meta: dict[str, Any] = {}

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("must not be empty - at `$.id`")
        if not self.language.strip():
            raise ValueError("must not be empty - at `$.language`")
        if isinstance(self.tests, CallsTests) and not self.entry_point:
            raise ValueError("is required when tests are `calls` - at `$.entry_point`")
        for i, param in enumerate(self.signature.params):
            _check_type(param.type, f"$.signature.params[{i}].type")
        _check_type(self.signature.returns, "$.signature.returns")


def _check_type(text: str, path: str) -> None:
    try:
        parse_type(text)
    except TypeSyntaxError as exc:
        raise ValueError(f"{exc} - at `{path}`") from None


_decoder = msgspec.json.Decoder(Problem)
_encoder = msgspec.json.Encoder()
_AT = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`")

#: The longest line read as one record (16 MiB); a longer line is reported and skipped
#: without being held in memory. ``codeaug verify --max-record-size`` changes it.
MAX_LINE_BYTES = 16 << 20
#: The longest message or field name a :class:`RecordError` quotes; longer ones are cut.
MESSAGE_CHARS = 300
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """``text`` on one line: control characters and line separators escaped (``\\n``),
    and cut to ``limit`` characters, so a message never spills over lines whatever the
    input held."""
    text = _BREAKS.sub(lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)`` for a message: cut to ``limit`` characters, and never failing (an
    int over 4300 digits has no ``repr`` in Python 3.11; it is shown by its size)."""
    try:
        text = repr(value)
    except ValueError:
        text = f"<{type(value).__name__} too long to show>"
    if isinstance(value, int) and not isinstance(value, bool) and len(text) > limit:
        return f"<int of {value.bit_length()} bits>"
    return one_line(text, limit)


def record_error(path: str, line: int, field: str | None, message: str) -> RecordError:
    """A :class:`RecordError` whose message is one line (see :func:`one_line`)."""
    return RecordError(one_line(path, 1000), line, one_line(field, 200) if field else None,
                       one_line(message))


def decode_problem(data: bytes | str, *, path: str = "<string>", line: int = 1) -> Problem:
    """Decode one JSON record; raise :class:`RecordError` naming file, line and field.

    Nothing else escapes: invalid UTF-8, JSON nested too deeply or a lone surrogate in a
    ``str`` are record errors too.
    """
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise record_error(path, line, None,
                               f"not valid Unicode: lone surrogate at character {exc.start}"
                               ) from None
    else:
        data = bytes(data)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise record_error(path, line, json_path_at(data, exc.start),
                               f"invalid UTF-8 at byte {exc.start}") from None
    if data.startswith(codecs.BOM_UTF8):
        raise record_error(path, line, None, "a UTF-8 byte order mark (U+FEFF) is allowed "
                                             "only at the start of the file")
    try:
        return _decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise _record_error(str(exc), path, line) from None
    except msgspec.DecodeError as exc:
        raise record_error(path, line, None, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise record_error(path, line, _deep_field(data), "nested too deeply") from None


def _deep_field(data: bytes, depth: int = 200) -> str | None:
    """Where a line nests deeper than ``depth``: its first few path components."""
    level, i = 0, 0
    while i < len(data):
        byte = data[i]
        if byte == 0x22:
            i += 1
            while i < len(data) and data[i] != 0x22:
                i += 2 if data[i] == 0x5C else 1
        elif byte in (0x7B, 0x5B):
            level += 1
            if level > depth:
                field = json_path_at(data, i) or ""
                cut = re.match(r"^(?:\.?[^.\[]+|\[\d+\]){1,4}", field)
                return cut.group() + ("…" if cut.end() < len(field) else "") if cut else None
        elif byte in (0x7D, 0x5D):
            level -= 1
        i += 1
    return None


def _record_error(message: str, path: str, line: int) -> RecordError:
    field = ""
    at = _AT.search(message)
    if at:
        field = at.group("path")
        message = message[: at.start()]
    for pattern, short in ((_MISSING, "missing required field"), (_UNKNOWN, "unknown field")):
        named = pattern.match(message)
        if named:
            field = f"{field}.{named.group('name')}" if field else named.group("name")
            message = short
    return record_error(path, line, field or None, message)


def json_path_at(data: bytes, offset: int) -> str | None:
    """The field (``tests.cases[2].stdin``) whose text holds byte ``offset`` of a JSON
    line, found by a tolerant scan (``None`` at the top level), so that an error found
    in the raw bytes, such as invalid UTF-8, can still name its field."""
    stack: list[list[Any]] = []  # ["{", key or None] or ["[", index]
    i, end = 0, min(offset, len(data))
    expect_key = False
    while i < end:
        byte = data[i]
        if byte == 0x22:  # a string: a key, or a value
            start = i + 1
            i = start
            while i < len(data) and data[i] != 0x22:
                i += 2 if data[i] == 0x5C else 1
            if i >= end:
                break  # the offset lies in this string
            if expect_key and stack:
                stack[-1][1] = _json_key(data[start:i])
                expect_key = False
        elif byte == 0x7B:
            stack.append(["{", None])
            expect_key = True
        elif byte == 0x5B:
            stack.append(["[", 0])
        elif byte in (0x7D, 0x5D) and stack:
            stack.pop()
            expect_key = False
        elif byte == 0x2C and stack:
            if stack[-1][0] == "[":
                stack[-1][1] += 1
            else:
                stack[-1][1], expect_key = None, True
        i += 1
    parts = []
    for kind, where in stack:
        if kind == "[":
            parts.append(f"[{where}]")
        elif where is not None:
            parts.append(f".{where}")
        else:
            break
    return "".join(parts).lstrip(".") or None


def _json_key(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    try:
        return str(msgspec.json.decode(b'"' + text.encode() + b'"'))
    except msgspec.DecodeError:
        return text


def json_type_name(value: object) -> str:
    """JSON's name for a decoded value's type, for messages about foreign formats."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def encode_problem(problem: Problem) -> bytes:
    """Encode one record as a JSON line (without the newline)."""
    return _encoder.encode(problem)


class TruncatedInputError(InputError):
    """Compressed input that ends early or is corrupt; ``line`` is the first line lost."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: compressed data is truncated or corrupt: {reason}")


@dataclass(frozen=True)
class LongLine:
    """A line longer than the limit, skipped unread: its size, and its first bytes."""

    size: int
    head: bytes


def iter_lines(path: str | Path, max_line_bytes: int | None = None
               ) -> Iterator[tuple[int, bytes | LongLine]]:
    """Yield ``(line_number, raw_line)`` from a plain or ``.gz`` file, streaming.

    A UTF-8 byte order mark at the start of the file is dropped. A line longer than
    ``max_line_bytes`` is yielded as a :class:`LongLine`, read in 1 MiB chunks and never
    held whole. Compressed data that ends early or is corrupt ends the iteration with a
    :class:`TruncatedInputError` carrying the number of the first line lost.
    """
    p = Path(path)
    try:
        raw: io.BufferedIOBase = gzip.open(p, "rb") if p.suffix == ".gz" else open(p, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from None
    number = 0
    with raw:
        try:
            while True:
                line = raw.readline(max_line_bytes + 1) if max_line_bytes else raw.readline()
                if not line:
                    return
                number += 1
                if number == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8):]
                if max_line_bytes and len(line) > max_line_bytes and not line.endswith(b"\n"):
                    size = len(line)
                    while chunk := raw.readline(1 << 20):
                        size += len(chunk)
                        if chunk.endswith(b"\n"):
                            break
                    yield number, LongLine(size, line[:200])
                    continue
                yield number, line
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise TruncatedInputError(str(path), number + 1, str(exc)) from None


def open_text_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line_number, raw_line)`` from a plain or ``.gz`` file, streaming.

    A truncated gzip stream ends the iteration with an :class:`InputError` (a
    :class:`TruncatedInputError`) carrying the first line lost.
    """
    for number, line in iter_lines(path):
        assert isinstance(line, bytes)
        yield number, line


_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*"([^"\\]{1,80})"')


def iter_numbered_problems(path: str | Path, max_line_bytes: int | None = MAX_LINE_BYTES
                           ) -> Iterator[tuple[int, Problem | RecordError]]:
    """``(line_number, record or RecordError)`` for every non-blank line of a JSONL file.

    Only a file that cannot be opened raises (:class:`InputError`). A bad line, a line
    over ``max_line_bytes``, and compressed data cut short (after the lines before the
    cut) are each yielded as a :class:`RecordError`; blank lines are skipped.
    """
    name = str(path)
    lines = iter_lines(path, max_line_bytes)
    try:
        for number, line in lines:
            if isinstance(line, LongLine):
                found = _ID.match(line.head)
                named = f" (id {found.group(1).decode('utf-8', 'replace')!r})" if found else ""
                yield number, record_error(
                    name, number, None,
                    f"line of {line.size:,} bytes{named} is over the limit of "
                    f"{_size(max_line_bytes or 0)} for one record; skipped unread")
                continue
            if not line.strip():
                continue
            try:
                yield number, decode_problem(line, path=name, line=number)
            except RecordError as err:
                yield number, err
    except TruncatedInputError as exc:
        yield exc.line, record_error(name, exc.line, None,
                                     f"compressed data is truncated or corrupt: {exc.reason}")


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n and n % (1 << 20) == 0 else f"{n:,} bytes"


def iter_problems(path: str | Path, max_line_bytes: int | None = MAX_LINE_BYTES
                  ) -> Iterator[Problem | RecordError]:
    """Yield every record of a JSONL file, or a :class:`RecordError` for each bad line.

    Blank lines are skipped. Decoding is lazy, so memory stays flat on large files.
    Compressed data cut short yields the records before the cut, then one
    :class:`RecordError` naming the first line lost. Only a file that cannot be opened
    raises (:class:`InputError`).
    """
    for _, item in iter_numbered_problems(path, max_line_bytes):
        yield item


def read_records(paths: Iterable[str | Path], *,
                 check_language: Callable[[str], object] | None = None,
                 max_line_bytes: int | None = MAX_LINE_BYTES) -> Iterator[Problem | RecordError]:
    """The records of one or more JSONL files, read one after the other, and a
    :class:`RecordError` for every line that cannot be verified: one that does not decode
    (:func:`iter_numbered_problems`), one whose language ``check_language`` rejects (by
    raising a :class:`CodeaugError`, as ``Registry.get`` does), and a record whose id an
    earlier line already had (the message names both lines; the copy is skipped).

    Only a file that cannot be opened raises (:class:`InputError`). Memory: one dict
    entry per record (about 100 bytes plus the id, ids over 64 characters as a digest).
    """
    paths = [str(p) for p in paths]
    # id -> where it was first seen, packed as line * len(paths) + file index
    seen: dict[str | bytes, int] = {}
    for index, name in enumerate(paths):
        for number, item in iter_numbered_problems(name, max_line_bytes):
            if isinstance(item, RecordError):
                yield item
                continue
            if check_language is not None:
                try:
                    check_language(item.language)
                except CodeaugError as exc:
                    yield record_error(name, number, "language", str(exc))
                    continue
            key: str | bytes = item.id if len(item.id) <= 64 else hashlib.blake2b(
                item.id.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            here = number * len(paths) + index
            first = seen.setdefault(key, here)
            if first != here:
                line, where = divmod(first, len(paths))
                at = f"line {line}" if where == index else f"{paths[where]}:{line}"
                yield record_error(name, number, "id", f"duplicate id {item.id!r}, first on "
                                                       f"{at}; this copy is not verified")
                continue
            yield item
