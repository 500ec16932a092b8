"""The bad-input corpus: every kind of broken line gets one line on stderr naming file,
line and (where there is one) field; the valid records around it are still verified in
the real sandbox; exit 2 only when nothing at all could be read.

Each case mixes a few valid Python records from ``examples/seeds.jsonl`` with the broken
input, runs ``codeaug verify`` as a user would, and checks the exact messages, the records
that passed, and the exit status (0 all passed, 1 something invalid, 2 nothing read).
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from codeaug.images import ImageRef
from codeaug.plugins import get_plugins

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "seeds.jsonl"
SEEDS = [json.loads(line) for line in EXAMPLES.read_text().splitlines()[:3]]
IDS = [seed["id"] for seed in SEEDS]


def line(record: object) -> bytes:
    return json.dumps(record).encode() + b"\n"


GOOD = [line(seed) for seed in SEEDS]


def seed(index: int = 0, **changes: object) -> dict:
    """A deep copy of a seed record with top-level ``changes``."""
    return {**json.loads(json.dumps(SEEDS[index])), **changes}


@dataclass
class Case:
    """What a file holds, and what ``codeaug verify`` must make of it."""

    data: bytes
    messages: list[str]  # the stderr lines after "invalid input: {path}:"
    passed: list[str] = field(default_factory=lambda: list(IDS))
    exit: int = 1
    suffix: str = ".jsonl"
    last_error: str | None = None  # the final "error: ..." line, with {path}


def invalid_json() -> Case:
    return Case(GOOD[0] + b'{"id": "broken", "language": "python" "prompt": ""}\n'
                + GOOD[1] + GOOD[2],
                ["2: invalid JSON: JSON is malformed: expected ',' or '}' (byte 38)"])


def wrong_type() -> Case:
    bad = seed(id="wrong-type")
    bad["tests"]["cases"][1]["args"] = "[1, 2]"
    return Case(GOOD[0] + GOOD[1] + line(bad) + GOOD[2],
                ["3: field `tests.cases[1].args`: Expected `array`, got `str`"])


def missing_field() -> Case:
    bad = seed(id="no-prompt")
    del bad["prompt"]
    return Case(line(bad) + b"".join(GOOD), ["1: field `prompt`: missing required field"])


def unknown_field() -> Case:
    return Case(b"".join(GOOD) + line(seed(id="typo", soluton="x")),
                ["4: field `soluton`: unknown field"])


def unknown_language() -> Case:
    known = ", ".join(sorted(language.name for language in get_plugins().languages))
    return Case(GOOD[0] + line(seed(id="cobol", language="cobol")) + GOOD[1] + GOOD[2],
                [f"2: field `language`: unknown language 'cobol' (known: {known})"])


def invalid_utf8() -> Case:
    record = seed(id="latin-1", solution="# caf\u00e9\n" + SEEDS[0]["solution"])
    raw = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    at = raw.index("\u00e9".encode())
    raw = raw[:at] + b"\xe9" + raw[at + 2:]  # the Latin-1 byte, not UTF-8
    return Case(GOOD[0] + GOOD[1] + raw + GOOD[2],
                [f"3: field `solution`: invalid UTF-8 at byte {at}"])


def line_of_50_mb() -> Case:
    huge = line(seed(id="huge", prompt="x" * 50_000_000))
    return Case(GOOD[0] + huge + GOOD[1] + GOOD[2],
                [f"2: line of {len(huge):,} bytes (id 'huge') is over the limit of 16 MiB "
                 "for one record; skipped unread"])


def truncated_gz() -> Case:
    # Incompressible padding after the valid records, so the cut falls inside it.
    noise = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(2000))
    data = gzip.compress(b"".join(GOOD) + line(seed(id="cut", prompt=noise)) + GOOD[0])
    return Case(data[: len(data) * 2 // 3],
                ["4: compressed data is truncated or corrupt: Compressed file ended before "
                 "the end-of-stream marker was reached"], suffix=".jsonl.gz")


def not_gzip_at_all() -> Case:
    return Case(b"".join(GOOD), ["1: compressed data is truncated or corrupt: "
                                 "Not a gzipped file (b'{\"')"],
                passed=[], exit=2, suffix=".jsonl.gz",
                last_error="{path}: no record could be read (1 invalid, reported above)")


def empty_file() -> Case:
    return Case(b"", [], passed=[], exit=2,
                last_error="{path}: no record could be read (no records in it)")


def only_bad_lines() -> Case:
    return Case(b"{\n" + b"null\n", ["1: invalid JSON: Input data was truncated",
                                     "2: Expected `object`, got `null`"],
                passed=[], exit=2,
                last_error="{path}: no record could be read (2 invalid, reported above)")


def bom_at_start() -> Case:
    # What Windows editors write: accepted.
    return Case(codecs.BOM_UTF8 + b"".join(GOOD), [], exit=0)


def bom_mid_file() -> Case:
    # What `cat a.jsonl b.jsonl` of two such files gives: named, not silently accepted.
    return Case(GOOD[0] + codecs.BOM_UTF8 + GOOD[1] + GOOD[2],
                ["2: a UTF-8 byte order mark (U+FEFF) is allowed only at the start of the "
                 "file"], passed=[IDS[0], IDS[2]])


def duplicate_ids() -> Case:
    changed = line(seed(0, prompt="the same id again, another record"))
    return Case(GOOD[0] + GOOD[1] + changed + GOOD[2] + GOOD[1],
                [f"3: field `id`: duplicate id '{IDS[0]}', first on line 1; "
                 "this copy is not verified",
                 f"5: field `id`: duplicate id '{IDS[1]}', first on line 2; "
                 "this copy is not verified"])


def blank_lines() -> Case:
    # Blank and whitespace-only lines are not records: skipped without a word.
    return Case(b"\n" + GOOD[0] + b"\n   \t\r\n" + GOOD[1] + GOOD[2] + b"\n\n", [], exit=0)


def json_array() -> Case:
    return Case(GOOD[0] + line([SEEDS[1]]) + GOOD[1] + GOOD[2],
                ["2: Expected `object`, got `array`"])


def nested_too_deep() -> Case:
    deep = line(seed(id="deep", meta={"x": 0})).replace(
        b'{"x": 0}', b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    return Case(GOOD[0] + GOOD[1] + deep + GOOD[2],
                ["3: field `meta.x[0][0]\u2026`: nested too deeply"])


def bad_type_expression() -> Case:
    bad = seed(id="bad-type")
    bad["signature"]["params"][0]["type"] = "list[int"
    return Case(GOOD[0] + line(bad) + GOOD[1] + GOOD[2],
                ["2: field `signature.params[0].type`: expected ',' or ']' at offset 8 in "
                 "'list[int'"])


def null_record() -> Case:
    return Case(GOOD[0] + GOOD[1] + b"null\n" + GOOD[2], ["3: Expected `object`, got `null`"])


def newlines_and_markup_in_the_input() -> Case:
    # A key with a newline stays on one line; "[/x]" is text, not terminal markup.
    return Case(GOOD[0] + line(seed(id="odd", **{"a\nb[/x]": 1})) + GOOD[1] + GOOD[2],
                ["2: field `a\\nb[/x]`: unknown field"])


CASES: list[Callable[[], Case]] = [
    invalid_json, wrong_type, missing_field, unknown_field, unknown_language, invalid_utf8,
    line_of_50_mb, truncated_gz, not_gzip_at_all, empty_file, only_bad_lines, bom_at_start,
    bom_mid_file, duplicate_ids, blank_lines, json_array, nested_too_deep,
    bad_type_expression, null_record, newlines_and_markup_in_the_input,
]


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_bad_input(tmp_path: Path, python_image: ImageRef, make: Callable[[], Case]) -> None:
    case = make()
    data = tmp_path / f"input{case.suffix}"
    data.write_bytes(case.data)
    ok, bad = tmp_path / "ok.jsonl", tmp_path / "rejected.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "codeaug.cli", "verify", str(data), "-o", str(ok),
         "--rejected", str(bad), "-j", "1", "--no-cache"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    stderr = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr, proc.stderr
    assert [m for m in stderr if m.startswith("invalid input:")] == [
        f"invalid input: {data}:{message}" for message in case.messages], proc.stderr
    errors = [m for m in stderr if m.startswith("error:")]
    want = [f"error: {case.last_error.format(path=data)}"] if case.last_error else []
    assert errors == want, proc.stderr
    assert proc.returncode == case.exit, (proc.stdout, proc.stderr)
    # The valid records were verified in the sandbox (not taken from a cache), in order,
    # once each; nothing invalid reached either output.
    passed = [json.loads(r) for r in ok.read_text().splitlines()] if ok.exists() else []
    assert [r["id"] for r in passed] == case.passed
    for record in passed:
        info = record["meta"]["verification"]
        assert (info["status"], info.get("cached")) == ("passed", None)
        assert info["image"] == python_image.id
    assert not bad.exists() or bad.read_text() == ""


def test_a_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "codeaug.cli", "verify", str(missing), "-o",
         str(tmp_path / "ok.jsonl")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == f"error: {missing}: no such file"
