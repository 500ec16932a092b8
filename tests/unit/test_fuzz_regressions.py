"""Every crash found by fuzzing (``python -m benchmarks fuzz``, see ``benchmarks/FUZZ.md``)
or while building the bad-input corpus, kept as an explicit example.

The contracts: ``decode_problem`` returns a ``Problem`` or raises a ``RecordError`` whose
message is one line; a language's ``render_value`` returns a ``str`` or raises
``UnsupportedTypeError``; the CLI prints any bad-input message as plain text.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from codeaug.cli.ui import ProgressReporter
from codeaug.errors import RecordError, UnsupportedTypeError
from codeaug.plugins import get_plugins
from codeaug.record import decode_problem, shown
from codeaug.typesys import parse_type

# ------------------------------------------------------------------------- the decoder


@pytest.mark.parametrize("data", [
    # invalid UTF-8 reached msgspec, which raised UnicodeDecodeError
    b'{"id": "\xff"}',
    b'{"\xe9d": "examples/clamped-sum", "language": "python"}',
    # a str with a lone surrogate: UnicodeEncodeError
    '{"id": "\ud800"}',
], ids=["utf8-in-value", "utf8-in-key", "lone-surrogate"])
def test_undecodable_text_is_a_record_error(data: bytes | str) -> None:
    with pytest.raises(RecordError) as info:
        decode_problem(data, path="f.jsonl", line=3)
    assert str(info.value).startswith("f.jsonl:3: ")
    assert len(str(info.value).splitlines()) == 1


@pytest.mark.parametrize(("data", "field"), [
    # the input's own line breaks went into the message (multi-line "invalid input")
    (b'{"\\r": 1}', "\\r"),
    ('{"\\u000A": 1}', "\\n"),
    (b'{"\xc2\x85": null}', "\\x85"),
    (b'{"id": "x", "language": "python", "prompt": "", "tests": {"kind": "a\\nb"}}',
     "tests.kind"),
], ids=["cr-in-key", "lf-in-key", "nel-in-key", "lf-in-value"])
def test_line_breaks_in_the_input_stay_escaped(data: bytes | str, field: str) -> None:
    with pytest.raises(RecordError) as info:
        decode_problem(data)
    assert info.value.field == field
    assert len(str(info.value).splitlines()) == 1
    assert "\n" not in str(info.value) and "\r" not in str(info.value)


def test_markup_in_a_bad_line_is_printed_as_text() -> None:
    # rich raised MarkupError on a closing tag quoted from the input, ending the run
    out = io.StringIO()
    reporter = ProgressReporter("x", console=Console(file=out, width=200))
    for key in ("[/x]", "a[/]b", "[bold]c", ":smile:"):
        reporter.bad_record(RecordError("f.jsonl", 2, key, "unknown field"))
    assert out.getvalue().splitlines() == [
        f"invalid input: f.jsonl:2: field `{key}`: unknown field"
        for key in ("[/x]", "a[/]b", "[bold]c", ":smile:")]


# ------------------------------------------------------------------------ the renderers


@pytest.mark.parametrize(("type_text", "value"), [
    # Python rendered any JSON value without looking at it: TypeError, AttributeError,
    # ValueError on values that are not of the type
    ("list[int]", False),
    ("optional[list[optional[dict[str,int]]]]", [False]),
    ("optional[set[int]]", False),
    ("optional[list[optional[dict[int,int]]]]", [{"": None}]),
    ("list[optional[tuple[int]]]", [False]),
    ("set[list[int]]", [[1]]),  # unhashable in a Python set
    ("float", 10**400),  # OverflowError
    ("dict[int,str]", {"1": "a", "01": "b"}),  # two keys, one int
    ("tuple[int,int]", [1]),  # rendered as a list before
    ("int", None),
], ids=lambda v: shown(v, 40))
def test_python_renders_or_refuses(type_text: str, value: Any) -> None:
    python = get_plugins().languages.get("python")
    with pytest.raises(UnsupportedTypeError):
        python.render_value(value, parse_type(type_text))


def test_python_renders_ints_longer_than_repr_allows() -> None:
    python = get_plugins().languages.get("python")
    text = python.render_value(10**5000, parse_type("int"))
    assert eval(text) == 10**5000  # our own literal


@pytest.mark.parametrize(("type_text", "value"), [
    ("list[int]", False), ("dict[str,int]", [1]), ("tuple[int,str]", [1]),
    ("set[int]", {"a": 1}), ("optional[list[int]]", 3), ("float", 10**400),
    ("dict[int,int]", {"x": 1}), ("any", [1, "a"]), ("none", 0),
    # OverflowError in float() (Java, JavaScript, Rust); ValueError from str() of an int
    # over 4300 digits while writing the message (every language); a 5000-digit key
    ("list[float]", [-(10**400)]), ("int", 10**5000),
    ("bool", 10**5000), ("list[str]", [10**5000]), ("dict[int,int]", {"9" * 5000: 1}),
], ids=lambda v: shown(v, 30))
def test_every_language_renders_or_refuses(type_text: str, value: Any) -> None:
    for language in get_plugins().languages:
        try:
            assert isinstance(language.render_value(value, parse_type(type_text)), str)
        except UnsupportedTypeError as exc:
            assert len(str(exc)) < 400, (language.name, str(exc)[:100])
