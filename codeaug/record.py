"""The problem record: one JSON object per line (JSONL, optionally gzip-compressed).

msgspec decodes and validates in one pass straight from bytes, several times faster
than pydantic for this shape, and its errors carry a JSON path (``$.tests.cases[3]``)
that we turn into the ``field`` of a :class:`~codeaug.errors.RecordError`.

A copyable example lives in ``docs/record.md``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import msgspec

from codeaug.errors import InputError, RecordError
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


def decode_problem(data: bytes | str, *, path: str = "<string>", line: int = 1) -> Problem:
    """Decode one JSON record; raise :class:`RecordError` naming file, line and field."""
    try:
        return _decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise _record_error(str(exc), path, line) from None
    except msgspec.DecodeError as exc:
        raise RecordError(path, line, None, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise RecordError(path, line, None, "nested too deeply") from None


def _record_error(message: str, path: str, line: int) -> RecordError:
    field = ""
    at = _AT.search(message)
    if at:
        field = at.group("path")
        message = message[: at.start()]
    named = _MISSING.match(message) or _UNKNOWN.match(message)
    if named:
        field = f"{field}.{named.group('name')}" if field else named.group("name")
    return RecordError(path, line, field or None, message)


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


def open_text_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line_number, raw_line)`` from a plain or ``.gz`` file, streaming.

    A truncated gzip stream ends the iteration with an :class:`InputError` carrying
    the last good line number.
    """
    p = Path(path)
    try:
        raw: io.BufferedIOBase = gzip.open(p, "rb") if p.suffix == ".gz" else open(p, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from None
    number = 0
    with raw:
        try:
            for number, line in enumerate(raw, start=1):
                if number == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]
                yield number, line
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InputError(
                f"{path}:{number + 1}: compressed data is truncated or corrupt: {exc}"
            ) from None


def iter_problems(path: str | Path) -> Iterator[Problem | RecordError]:
    """Yield every record of a JSONL file, or a :class:`RecordError` for each bad line.

    Blank lines are skipped. Decoding is lazy, so memory stays flat on large files.
    """
    name = str(path)
    for number, line in open_text_lines(path):
        if not line.strip():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RecordError(name, number, None, f"invalid UTF-8 at byte {exc.start}")
            continue
        try:
            yield decode_problem(line, path=name, line=number)
        except RecordError as err:
            yield err
