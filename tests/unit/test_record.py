"""codeaug.record: decoding, error locations, streaming JSONL (plain and gzip), round trip."""

from __future__ import annotations

import codecs
import copy
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codeaug.errors import InputError, RecordError, UnknownNameError
from codeaug.record import (
    CallsTests,
    CodeTests,
    IoTests,
    Problem,
    decode_problem,
    encode_problem,
    iter_problems,
    open_text_lines,
    read_records,
)

# --------------------------------------------------------------------------- records


def _io_record(**over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": "io-1",
        "language": "python",
        "prompt": "Echo a number.",
        "solution": "print(input())\n",
        "tests": {
            "kind": "io",
            "cases": [
                {"stdin": "1\n", "stdout": "1\n"},
                {"stdin": "2\n", "stdout": "2\n"},
                {"stdin": "3\n", "stdout": "3\n"},
            ],
        },
    }
    rec.update(over)
    return rec


def _calls_record(**over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": "calls-1",
        "language": "python",
        "prompt": "Add two ints.",
        "entry_point": "add",
        "signature": {
            "params": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
            "returns": "int",
        },
        "solution": "def add(a, b):\n    return a + b\n",
        "tests": {
            "kind": "calls",
            "cases": [{"args": [1, 2], "expected": 3}, {"args": [-1, 1], "expected": 0}],
            "rel_tol": 0.001,
        },
        "constraints": ["no imports"],
        "meta": {"source": "hand", "difficulty": 2},
    }
    rec.update(over)
    return rec


def _code_record(**over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": "code-1",
        "language": "python",
        "prompt": "def inc(x):\n",
        "entry_point": "inc",
        "solution": "def inc(x):\n    return x + 1\n",
        "tests": {"kind": "code", "code": "assert inc(1) == 2\n"},
    }
    rec.update(over)
    return rec


def _line(rec: dict[str, Any]) -> str:
    return json.dumps(rec)


def _error(data: bytes | str, *, path: str = "data/in.jsonl", line: int = 7) -> RecordError:
    with pytest.raises(RecordError) as info:
        decode_problem(data, path=path, line=line)
    err = info.value
    assert err.path == path
    assert err.line == line
    assert str(err).startswith(f"{path}:{line}")
    return err


# --------------------------------------------------------------------------- valid


def test_decode_io_record() -> None:
    p = decode_problem(_line(_io_record()))
    assert isinstance(p.tests, IoTests)
    assert [(c.stdin, c.stdout) for c in p.tests.cases] == [
        ("1\n", "1\n"), ("2\n", "2\n"), ("3\n", "3\n")]
    assert (p.id, p.language, p.prompt) == ("io-1", "python", "Echo a number.")
    # defaults of the optional fields
    assert p.entry_point == ""
    assert p.signature.params == []
    assert p.signature.returns == "any"
    assert p.constraints == []
    assert p.meta == {}


def test_decode_calls_record() -> None:
    p = decode_problem(_line(_calls_record()).encode())
    assert isinstance(p.tests, CallsTests)
    assert [(c.args, c.expected) for c in p.tests.cases] == [([1, 2], 3), ([-1, 1], 0)]
    assert p.tests.rel_tol == 0.001
    assert p.tests.abs_tol == 1e-6  # default
    assert [(x.name, x.type) for x in p.signature.params] == [("a", "int"), ("b", "int")]
    assert p.signature.returns == "int"
    assert p.entry_point == "add"
    assert p.meta == {"source": "hand", "difficulty": 2}


def test_decode_code_record() -> None:
    p = decode_problem(_line(_code_record()))
    assert isinstance(p.tests, CodeTests)
    assert p.tests.code == "assert inc(1) == 2\n"


def test_param_type_defaults_to_any() -> None:
    rec = _calls_record(signature={"params": [{"name": "a"}]})
    p = decode_problem(_line(rec))
    assert p.signature.params[0].type == "any"
    assert p.signature.returns == "any"


def test_mixed_case_and_spaced_types_are_valid() -> None:
    rec = _calls_record(signature={"params": [{"name": "a", "type": "Dict[ Str , List[INT] ]"}],
                                   "returns": "Optional[float]"})
    p = decode_problem(_line(rec))
    # the text is kept as written; only its validity is checked
    assert p.signature.params[0].type == "Dict[ Str , List[INT] ]"


def test_calls_tests_with_int_tolerance_become_floats() -> None:
    rec = _calls_record()
    rec["tests"]["abs_tol"] = 0
    p = decode_problem(_line(rec))
    assert isinstance(p.tests, CallsTests)
    assert p.tests.abs_tol == 0.0
    assert isinstance(p.tests.abs_tol, float)


# --------------------------------------------------------------------------- errors


def test_invalid_json_names_file_and_line() -> None:
    err = _error('{"id": "x", ')
    assert err.field is None
    assert "invalid JSON" in err.message


def test_not_an_object() -> None:
    err = _error("[1, 2]")
    assert err.field is None
    assert "object" in err.message.lower()


def test_wrong_type_at_nested_path() -> None:
    rec = _io_record()
    rec["tests"]["cases"][2]["stdin"] = 5
    err = _error(_line(rec))
    assert err.field == "tests.cases[2].stdin"
    assert "str" in err.message
    assert "field `tests.cases[2].stdin`" in str(err)


def test_wrong_type_of_tolerance() -> None:
    rec = _calls_record()
    rec["tests"]["rel_tol"] = "tight"
    err = _error(_line(rec))
    assert err.field == "tests.rel_tol"


def test_wrong_type_deep_in_signature() -> None:
    rec = _calls_record()
    rec["signature"]["params"][1]["name"] = ["b"]
    assert _error(_line(rec)).field == "signature.params[1].name"


@pytest.mark.parametrize("name", ["id", "language", "prompt", "tests"])
def test_missing_required_field(name: str) -> None:
    rec = _io_record()
    del rec[name]
    err = _error(_line(rec))
    assert err.field == name
    assert "missing" in err.message.lower()


def test_missing_field_in_nested_object_has_full_path() -> None:
    rec = _io_record()
    del rec["tests"]["cases"][1]["stdout"]
    assert _error(_line(rec)).field == "tests.cases[1].stdout"


def test_missing_tests_kind() -> None:
    rec = _io_record()
    del rec["tests"]["kind"]
    assert _error(_line(rec)).field == "tests.kind"


def test_unknown_tests_kind() -> None:
    rec = _io_record()
    rec["tests"]["kind"] = "property"
    err = _error(_line(rec))
    assert err.field == "tests.kind"
    assert "property" in err.message


@pytest.mark.parametrize(("key", "value"), [("id", "  "), ("language", "")])
def test_blank_id_or_language_rejected(key: str, value: str) -> None:
    err = _error(_line(_io_record(**{key: value})))
    assert err.field == key


def test_unknown_field_is_rejected() -> None:
    err = _error(_line(_io_record(difficulty=3)))
    assert "difficulty" in str(err)


def test_unknown_field_nested_is_rejected() -> None:
    rec = _io_record()
    rec["tests"]["cases"][0]["expected_stdout"] = "1"
    err = _error(_line(rec))
    assert "expected_stdout" in str(err)
    assert err.field is not None
    assert err.field.startswith("tests.cases[0]")


def test_unknown_field_names_the_field() -> None:
    assert _error(_line(_io_record(difficulty=3))).field == "difficulty"
    rec = _io_record(signature={"params": [], "bogus": 1})
    assert _error(_line(rec)).field == "signature.bogus"


@pytest.mark.parametrize(
    ("signature", "field"),
    [
        ({"params": [{"name": "a", "type": "int"}, {"name": "b", "type": "integer"}]},
         "signature.params[1].type"),
        ({"params": [{"name": "a", "type": "list[int"}]}, "signature.params[0].type"),
        ({"returns": "dict[int]"}, "signature.returns"),
        ({"returns": "list[int]]"}, "signature.returns"),
        ({"returns": ""}, "signature.returns"),
    ],
)
def test_bad_neutral_type(signature: dict[str, Any], field: str) -> None:
    err = _error(_line(_calls_record(signature=signature)))
    assert err.field == field


def test_calls_tests_without_entry_point() -> None:
    rec = _calls_record()
    del rec["entry_point"]
    err = _error(_line(rec))
    assert err.field == "entry_point"
    assert "calls" in err.message
    # io and code tests do not need one
    assert decode_problem(_line(_io_record())).entry_point == ""
    code = _code_record()
    del code["entry_point"]
    assert decode_problem(_line(code)).entry_point == ""


def test_calls_tests_with_empty_entry_point() -> None:
    assert _error(_line(_calls_record(entry_point=""))).field == "entry_point"


def test_deeply_nested_json_is_a_record_error() -> None:
    line = _line(_io_record())[:-1] + ', "meta": {"x": ' + "[" * 50_000 + "]" * 50_000 + "}}"
    _error(line)


def test_deeply_nested_type_is_a_record_error() -> None:
    deep = "list[" * 5000 + "int" + "]" * 5000
    assert _error(_line(_calls_record(signature={"returns": deep}))).field == "signature.returns"


# --------------------------------------------------------------------------- iter_problems


def _mixed_lines() -> tuple[list[bytes], dict[int, str], dict[int, str | None]]:
    """Lines (without newline); good line number -> id; bad line number -> field."""
    bad_type = _io_record(id="bad-type")
    bad_type["tests"]["cases"][2]["stdin"] = 5
    lines = [
        codecs.BOM_UTF8 + _line(_io_record(id="first")).encode(),   # 1: BOM on line 1
        b"",                                                        # 2: blank
        b"   \t ",                                                  # 3: whitespace
        b'{"id": "broken"',                                         # 4: invalid JSON
        _line(_calls_record(id="second")).encode(),                 # 5
        _line(bad_type).encode(),                                   # 6: wrong type
        b'{"id": "caf\xe9", "language": "python"}',                 # 7: invalid UTF-8
        _line(_code_record(id="third")).encode() + b"\r",           # 8: CRLF ending
        # 9: raw U+2028 and NEL inside a string must not split the line
        _line(_io_record(id="no-\u2028-split", prompt="a\u2028b\x85c"))
        .replace("\\u2028", "\u2028").replace("\\u0085", "\x85").encode(),
        _line({k: v for k, v in _io_record().items() if k != "prompt"}).encode(),  # 10
        b"",                                                        # 11
    ]
    good = {1: "first", 5: "second", 8: "third", 9: "no-\u2028-split"}
    bad: dict[int, str | None] = {4: None, 6: "tests.cases[2].stdin", 7: "id", 10: "prompt"}
    return lines, good, bad


def _check_mixed(path: Path) -> None:
    _, good, bad = _mixed_lines()
    items = list(iter_problems(path))
    for item in items:
        if isinstance(item, RecordError):
            assert item.path == str(path)
            assert str(item).startswith(f"{path}:{item.line}")
    # one item per non-blank line, in file order: good ones by id, bad ones by line and field
    got = [("bad", i.line, i.field) if isinstance(i, RecordError) else ("good", i.id)
           for i in items]
    want = [("good", good[n]) if n in good else ("bad", n, bad[n]) for n in sorted({*good, *bad})]
    assert got == want


def test_iter_problems_mixed_plain(tmp_path: Path) -> None:
    lines, _, _ = _mixed_lines()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    _check_mixed(path)


def test_iter_problems_mixed_gzip(tmp_path: Path) -> None:
    lines, _, _ = _mixed_lines()
    path = tmp_path / "mixed.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    _check_mixed(path)


def test_iter_problems_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(_line(_io_record(id="a")) + "\n" + _line(_io_record(id="b")))
    assert [p.id for p in iter_problems(path)] == ["a", "b"]  # type: ignore[union-attr]


def test_invalid_utf8_reports_byte_offset(tmp_path: Path) -> None:
    prefix = b'{"id": "ok'
    path = tmp_path / "x.jsonl"
    path.write_bytes(_line(_io_record()).encode() + b"\n" + prefix + b'\xff"}\n')
    [good, err] = list(iter_problems(path))
    assert isinstance(good, Problem)
    assert isinstance(err, RecordError)
    assert err.line == 2
    assert "UTF-8" in err.message
    assert str(len(prefix)) in err.message


def test_bom_only_stripped_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    line = _line(_io_record()).encode()
    path.write_bytes(codecs.BOM_UTF8 + line + b"\n" + codecs.BOM_UTF8 + line + b"\n")
    numbered = list(open_text_lines(path))
    assert numbered == [(1, line + b"\n"), (2, codecs.BOM_UTF8 + line + b"\n")]


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl"):
        list(iter_problems(tmp_path / "nope.jsonl"))


def _many_lines(n: int) -> list[bytes]:
    # incompressible-ish content so the compressed stream is long enough to cut anywhere
    return [_line(_io_record(id=f"r{i}", prompt=f"{i * 7919:x}" * 40)).encode() + b"\n"
            for i in range(n)]


def _read_cut(path: Path) -> tuple[list[str], RecordError]:
    """The ids read from a cut gzip file, and the one error that must end them."""
    items = list(iter_problems(path))
    *good, last = items
    assert all(isinstance(i, Problem) for i in good), good
    assert isinstance(last, RecordError), last
    assert "compressed data is truncated or corrupt" in last.message
    return [i.id for i in good], last  # type: ignore[union-attr]


def test_truncated_gzip_trailer_yields_all_lines_then_a_record_error(tmp_path: Path) -> None:
    lines = _many_lines(50)
    data = gzip.compress(b"".join(lines))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[:-8])  # CRC32 and size trailer missing
    got, err = _read_cut(path)
    assert got == [f"r{i}" for i in range(50)]
    assert str(err).startswith(f"{path}:{len(lines) + 1}: ")
    with pytest.raises(InputError, match=f":{len(lines) + 1}:"):  # the raw line reader raises
        list(open_text_lines(path))


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.83])
def test_truncated_gzip_mid_stream(tmp_path: Path, fraction: float) -> None:
    lines = _many_lines(200)
    data = gzip.compress(b"".join(lines), compresslevel=1)
    cut = data[: int(len(data) * fraction)]
    # what a decompressor can recover from the cut stream, computed independently
    recovered = zlib.decompressobj(wbits=31).decompress(cut)
    complete = recovered.count(b"\n")
    assert 0 < complete < len(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(cut)
    got, err = _read_cut(path)
    assert got == [f"r{i}" for i in range(complete)]
    assert str(err).startswith(f"{path}:{complete + 1}: ")


def test_gzip_garbage_is_a_record_error_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"this is not gzip at all\n")
    [err] = list(iter_problems(path))
    assert isinstance(err, RecordError)
    assert str(err).startswith(f"{path}:1: compressed data is truncated or corrupt")


# --------------------------------------------------------------------------- round trip

_names = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")
_json = st.recursive(
    st.none() | st.booleans() | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=12,
)
_types = st.sampled_from(["int", "float", "str", "bool", "none", "any", "list[int]",
                          "Dict[str, List[Float]]", "tuple[int,str]", "set[ str ]",
                          "optional[tuple[int]]"])
_tol = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def _records(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record as JSON (optional fields sometimes left out) and the same record with every
    default filled in, as the documented struct has it."""
    kind = draw(st.sampled_from(["calls", "io", "code"]))
    if kind == "calls":
        tests: dict[str, Any] = {"kind": "calls", "cases": draw(st.lists(
            st.fixed_dictionaries({"args": st.lists(_json, max_size=3), "expected": _json}),
            max_size=3))}
        full_tests = dict(tests, rel_tol=1e-6, abs_tol=1e-6)
        for key in ("rel_tol", "abs_tol"):
            if draw(st.booleans()):
                tests[key] = full_tests[key] = draw(_tol)
    elif kind == "io":
        tests = {"kind": "io", "cases": draw(st.lists(
            st.fixed_dictionaries({"stdin": st.text(max_size=10), "stdout": st.text(max_size=10)}),
            max_size=3))}
        full_tests = tests
    else:
        tests = {"kind": "code", "code": draw(st.text(max_size=30))}
        full_tests = tests
    record: dict[str, Any] = {"id": draw(_names), "language": draw(_names),
                              "prompt": draw(st.text(max_size=30)), "tests": tests}
    full = dict(record, tests=full_tests, entry_point="",
                signature={"params": [], "returns": "any"}, solution="", constraints=[], meta={})
    if kind == "calls" or draw(st.booleans()):
        record["entry_point"] = full["entry_point"] = draw(_names)
    if draw(st.booleans()):
        params = draw(st.lists(st.tuples(_names, st.none() | _types), max_size=3))
        signature: dict[str, Any] = {"params": [
            {"name": n} if t is None else {"name": n, "type": t} for n, t in params]}
        full_sig: dict[str, Any] = {"params": [{"name": n, "type": t or "any"} for n, t in params],
                                    "returns": "any"}
        if draw(st.booleans()):
            signature["returns"] = full_sig["returns"] = draw(_types)
        record["signature"], full["signature"] = signature, full_sig
    for key, strategy in (("solution", st.text(max_size=30)),
                          ("constraints", st.lists(st.text(max_size=8), max_size=3)),
                          ("meta", st.dictionaries(st.text(max_size=6), _json, max_size=3))):
        if draw(st.booleans()):
            record[key] = full[key] = draw(strategy)
    return record, full


@given(_records())
def test_round_trip(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    record, full = pair
    original = copy.deepcopy(record)
    problem = decode_problem(json.dumps(record, ensure_ascii=False).encode())
    encoded = encode_problem(problem)
    assert b"\n" not in encoded  # one JSON line
    assert json.loads(encoded) == full
    # decoding what we wrote gives the same struct back, and re-encoding is stable
    again = decode_problem(encoded)
    assert again == problem
    assert encode_problem(again) == encoded
    assert record == original


def test_encoded_field_order_is_documented_order() -> None:
    encoded = encode_problem(decode_problem(_line(_calls_record())))
    assert list(json.loads(encoded)) == ["id", "language", "prompt", "tests", "entry_point",
                                         "signature", "solution", "constraints", "meta"]


# --------------------------------------------------------------------------- read_records


def _known(language: str) -> None:
    if language != "python":
        raise UnknownNameError("language", language, ["python"])


def test_read_records_names_duplicates_across_files_and_skips_them(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(_line(_io_record(id="x")) + "\n" + _line(_io_record(id="y")) + "\n"
                 + _line(_io_record(id="x")) + "\n")
    b.write_text(_line(_io_record(id="y")) + "\n" + _line(_io_record(id="z")) + "\n")
    items = list(read_records([a, b], check_language=_known))
    assert [i.id if isinstance(i, Problem) else str(i) for i in items] == [
        "x", "y",
        f"{a}:3: field `id`: duplicate id 'x', first on line 1; this copy is not verified",
        f"{b}:1: field `id`: duplicate id 'y', first on {a}:2; this copy is not verified",
        "z"]


def test_read_records_names_an_unknown_language(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(_line(_io_record(id="x", language="cobol")) + "\n"
                    + _line(_io_record(id="x")) + "\n")
    err, good = list(read_records([path], check_language=_known))
    assert str(err) == f"{path}:1: field `language`: unknown language 'cobol' (known: python)"
    assert isinstance(good, Problem)  # the same id, but the first copy was not a record


def test_a_line_over_the_limit_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    big = _line(_io_record(id="big", prompt="x" * 5000))
    path.write_text(big + "\n" + _line(_io_record(id="small")) + "\n")
    err, good = list(iter_problems(path, max_line_bytes=4096))
    assert str(err) == (f"{path}:1: line of {len(big) + 1:,} bytes (id 'big') is over the "
                        "limit of 4,096 bytes for one record; skipped unread")
    assert isinstance(good, Problem) and good.id == "small"
    assert [p.id for p in iter_problems(path) if isinstance(p, Problem)] == ["big", "small"]


@pytest.mark.parametrize("key", ["a\nb", "a\rb", "a\u2028b", "a\x85b", "x" * 10_000])
def test_messages_are_one_line_whatever_the_input(key: str) -> None:
    err = _error(_line(_io_record(**{key: 1})))
    assert len(str(err).splitlines()) == 1
    assert len(str(err)) < 600


def test_invalid_utf8_names_its_field() -> None:
    rec = _io_record()
    raw = _line(rec).encode().replace(b'"2\\n"', b'"2\xff"')
    err = _error(raw)  # type: ignore[arg-type]
    assert err.field == "tests.cases[1].stdin"
    assert err.message == f"invalid UTF-8 at byte {raw.index(bytes([0xFF]))}"
