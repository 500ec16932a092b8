"""``python -m benchmarks fuzz [--minutes N] [--out PATH]``: time-boxed fuzzing of the input
decoder and of every language's literal renderer, with hypothesis.

Targets and the contract each must keep (anything else is a crash):

- ``decode-bytes``, ``decode-text``, ``decode-mutated``: :func:`codeaug.record.decode_problem`
  on arbitrary bytes, on arbitrary text (lone surrogates included), and on valid records
  mutated structurally (a value replaced by any JSON, a key dropped or added, a type
  expression garbled) and then byte-wise (flips, cuts, insertions). It returns a
  ``Problem`` or raises ``RecordError`` whose message is one line.
- ``read-file``: :func:`codeaug.record.read_records` over a whole file of such lines, plain
  or gzip (sometimes cut short or corrupted), with a small line limit. It raises nothing
  and every ``RecordError`` is one line.
- ``render-<language>``, one per registered language: ``render_type`` then
  ``render_value`` over :mod:`codeaug.testing`'s ``typed_values`` (a type and a value of
  it) and over mismatched pairs (any neutral type, ``none`` and ``any`` included, with any
  JSON value: NaN, infinities, huge ints, surrogates). They return a ``str`` or raise
  ``UnsupportedTypeError``.

A crash is shrunk by hypothesis to a minimal input, printed, and written to the report
(``benchmarks/FUZZ.md``); the same crash site is then counted but not shrunk again. Keep
every crash as an explicit example in ``tests/unit/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import datetime
import gzip
import json
import platform
import random
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from codeaug.errors import RecordError, UnsupportedTypeError
from codeaug.plugins import get_plugins
from codeaug.record import MESSAGE_CHARS, Problem, decode_problem, read_records, shown
from codeaug.testing import SCALAR_TYPES, neutral_types, typed_values
from codeaug.typesys import TypeExpr

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds.jsonl"


class _TimeUp(BaseException):
    """Ends a hypothesis run at the deadline (a BaseException: never shrunk)."""


@dataclass
class Crash:
    site: str  # exception type and innermost frame
    message: str
    example: str  # repr of the minimal input
    seen: int = 1


@dataclass
class TargetResult:
    name: str
    seconds: float = 0.0
    examples: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[Crash] = field(default_factory=list)


# ----------------------------------------------------------------------------- inputs

def json_values(max_leaves: int = 8, huge: bool = False) -> st.SearchStrategy[Any]:
    """Any decoded JSON value, and the awkward ones a decoder may hand on; ``huge`` adds
    ints past a float and past ``repr`` (for renderers: they cannot be serialized)."""
    big = [st.sampled_from([400, 5000]).map(lambda n: -(10**n))] if huge else []
    scalars = st.one_of(*big,
        st.none(), st.booleans(),
        st.integers(), st.sampled_from([2**63 - 1, -(2**63), 2**63, 2**64, -(2**100)]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),  # surrogates included
        st.sampled_from(["", "\x00", "\n", "\u2028", "[/x]", "`", "'\"\\", "list[int",
                         "01", "1_0"]),
        st.just(5000).map(lambda n: "9" * n),
    )
    keys = st.one_of(st.text(max_size=6), st.integers().map(str),
                     st.just(5000).map(lambda n: "9" * n))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
        max_leaves=max_leaves)


def json_texts() -> st.SearchStrategy[str]:
    """JSON documents of any shape, mostly objects with record-like keys."""
    keys = st.one_of(st.sampled_from(["id", "language", "prompt", "tests", "kind", "cases",
                                      "signature", "params", "returns", "meta"]),
                     st.text(max_size=6))
    objects = st.dictionaries(keys, json_values(), max_size=6)
    return st.tuples(st.one_of(objects, json_values()), st.booleans()).map(
        lambda v: json.dumps(v[0], ensure_ascii=v[1]))


def type_texts() -> st.SearchStrategy[str]:
    """Type expressions, mostly almost valid."""
    tokens = st.sampled_from(["int", "float", "str", "bool", "none", "any", "list", "set",
                              "dict", "tuple", "optional", "[", "]", ",", " ", "Int", "lst",
                              "\n", "\u00e9"])
    return st.one_of(st.lists(tokens, max_size=12).map("".join), st.text(max_size=20),
                     neutral_types(4, (*SCALAR_TYPES, "none", "any")).map(str))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = root
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return root


@st.composite
def mutated_records(draw: st.DrawFn) -> bytes:
    """A seed record with a few structural mutations, serialized, then maybe garbled."""
    seeds = _seed_records()
    record = json.loads(json.dumps(seeds[draw(st.integers(0, len(seeds) - 1))]))
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(record)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "drop", "add", "type", "empty"]))
        parent = record
        for key in path[:-1]:
            parent = parent[key]
        if kind == "replace":
            record = _set(record, path, draw(json_values()))
        elif kind == "drop" and path and isinstance(parent, dict | list):
            del parent[path[-1]]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["kind", "id", "cases", "x", "a\nb", "[/x]"]))] = (
                draw(json_values(3)))
        elif kind == "type":
            params = record.get("signature", {}) if isinstance(record, dict) else {}
            if isinstance(params, dict):
                params["returns"] = draw(type_texts())
        elif kind == "empty":
            record = _set(record, path, draw(st.sampled_from([None, "", [], {}, 0, False])))
    try:
        data = json.dumps(record, ensure_ascii=draw(st.booleans())).encode(
            "utf-8", "surrogatepass")
    except (TypeError, ValueError):
        data = b"{}"
    for _ in range(draw(st.integers(0, 2))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert", "delete", "dup"]))
        if how == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif how == "cut":
            data = data[:at]
        elif how == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 8)):]
        else:
            data = data[:at] + data[at:at + 16] * 2 + data[at + 16:]
    return data


_SEED_CACHE: list[dict[str, Any]] = []


def _seed_records() -> list[dict[str, Any]]:
    if not _SEED_CACHE:
        _SEED_CACHE.extend(json.loads(line) for line in SEEDS.read_text().splitlines()
                           if line.strip())
    return _SEED_CACHE


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A JSONL file's suffix and bytes: good, mutated and arbitrary lines, maybe gzipped
    and maybe cut or corrupted after compression."""
    lines = draw(st.lists(st.one_of(
        st.integers(0, len(_seed_records()) - 1).map(
            lambda i: json.dumps(_seed_records()[i]).encode()),
        mutated_records(), st.binary(max_size=64)), max_size=6))
    sep = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + sep.join(lines)
    if not draw(st.booleans()):
        return ".jsonl", data
    packed = gzip.compress(data, mtime=0)
    how = draw(st.sampled_from(["whole", "cut", "flip", "append"]))
    if how == "cut":
        packed = packed[:draw(st.integers(0, len(packed)))]
    elif how == "flip" and packed:
        at = draw(st.integers(0, len(packed) - 1))
        packed = packed[:at] + bytes([packed[at] ^ 0xFF]) + packed[at + 1:]
    elif how == "append":
        packed += draw(st.binary(max_size=16))
    return ".jsonl.gz", packed


# ----------------------------------------------------------------------------- checks

def _one_line(err: RecordError) -> None:
    text = str(err)
    if len(text.splitlines()) != 1 or "\n" in text or "\r" in text:
        raise AssertionError(f"a RecordError message spans lines: {text!r}")
    if len(err.message) > MESSAGE_CHARS:
        raise AssertionError(f"a RecordError message is {len(err.message)} chars long")


def check_decode(data: bytes | str) -> str:
    try:
        problem = decode_problem(data, path="fuzz.jsonl", line=1)
    except RecordError as err:
        _one_line(err)
        return "RecordError"
    if not isinstance(problem, Problem):
        raise AssertionError(f"decode_problem returned {type(problem).__name__}")
    return "Problem"


def check_file(workdir: Path) -> Callable[[tuple[str, bytes]], str]:
    languages = get_plugins().languages

    def check(file: tuple[str, bytes]) -> str:
        suffix, data = file
        path = workdir / f"fuzz{suffix}"
        path.write_bytes(data)
        outcome = Counter[str]()
        for item in read_records([path, path], check_language=languages.get,
                                 max_line_bytes=4096):
            if isinstance(item, RecordError):
                _one_line(item)
                outcome["RecordError"] += 1
            else:
                outcome["Problem"] += 1
        return "file with " + ("records" if outcome["Problem"] else "no record")

    return check


def check_render(language: Any) -> Callable[[tuple[TypeExpr, Any]], str]:
    def check(pair: tuple[TypeExpr, Any]) -> str:
        t, value = pair
        try:
            type_text = language.render_type(t)
            if not isinstance(type_text, str):
                raise AssertionError(f"render_type returned {type(type_text).__name__}")
            text = language.render_value(value, t)
        except UnsupportedTypeError:
            return "UnsupportedTypeError"
        if not isinstance(text, str):
            raise AssertionError(f"render_value returned {type(text).__name__}")
        return "str"

    return check


def render_inputs() -> st.SearchStrategy[tuple[TypeExpr, Any]]:
    return st.one_of(
        typed_values(),
        st.tuples(neutral_types(4, (*SCALAR_TYPES, "none", "any")), json_values(huge=True)),
    )


# ----------------------------------------------------------------------------- runner

def _site(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/codeaug/" in f.filename or "/plugins/" in f.filename
            or "/benchmarks/" in f.filename]
    frame = (ours or frames)[-1] if (ours or frames) else None
    where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    return f"{type(exc).__name__} at {where}"


def fuzz(name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], str],
         seconds: float, log: Callable[[str], None] = print) -> TargetResult:
    """Run ``check`` on examples of ``strategy`` for ``seconds``; collect the crashes."""
    result = TargetResult(name)
    known: dict[str, Crash] = {}
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        failing: list[tuple[Any, BaseException]] = []

        @settings(max_examples=10**9, deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                  phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False)
        @given(strategy)
        def run(example: Any) -> None:
            if time.monotonic() >= deadline:
                raise _TimeUp
            result.examples += 1
            try:
                result.outcomes[check(example)] += 1
            except Exception as exc:
                site = _site(exc)  # noqa: B023 - the closure runs inside this iteration
                if site in known:  # found before: count it, don't shrink it again
                    known[site].seen += 1
                    return
                failing.append((example, exc))  # noqa: B023
                raise

        try:
            run()
        except _TimeUp:
            break
        except Exception:
            if not failing:
                raise
            example, exc = failing[-1]  # the last failure replayed is the shrunk one
            crash = Crash(_site(exc), f"{type(exc).__name__}: {exc}"[:500], shown(example, 2000))
            known[crash.site] = crash
            result.crashes.append(crash)
            log(f"  CRASH in {name}: {crash.site}: {crash.message}\n    input: {crash.example}")
    result.seconds = time.monotonic() - started
    return result


def targets(workdir: Path) -> list[tuple[str, st.SearchStrategy[Any], Callable[[Any], str]]]:
    out: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], str]]] = [
        ("decode-bytes", st.one_of(st.binary(max_size=512),
                                   json_texts().map(lambda t: t.encode("utf-8", "surrogatepass"))),
         check_decode),
        ("decode-text", st.one_of(st.text(max_size=256), json_texts()), check_decode),
        ("decode-mutated", mutated_records(), check_decode),
        ("read-file", jsonl_files(), check_file(workdir)),
    ]
    for language in get_plugins().languages:
        out.append((f"render-{language.name}", render_inputs(), check_render(language)))
    return out


def run(minutes: float, out: Path, only: list[str] | None = None) -> int:
    """Fuzz every target for an equal share of ``minutes``; write ``out``; exit 1 on a
    crash."""
    with tempfile.TemporaryDirectory(prefix="codeaug-fuzz-") as tmp:
        chosen = [t for t in targets(Path(tmp)) if not only or t[0] in only]
        share = minutes * 60 / len(chosen)
        results = []
        random.seed()
        for name, strategy, check in chosen:
            print(f"{name}: {share:.0f} s ...", flush=True)
            result = fuzz(name, strategy, check, share)
            outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(result.outcomes.items()))
            print(f"  {result.examples:,} examples ({outcomes}); "
                  f"{len(result.crashes)} crash(es)", flush=True)
            results.append(result)
    out.write_text(report(results, minutes))
    print(f"report -> {out}")
    return 1 if any(r.crashes for r in results) else 0


def report(results: list[TargetResult], minutes: float) -> str:
    total = sum(r.examples for r in results)
    crashes = [c for r in results for c in r.crashes]
    lines = [
        "# Fuzzing the input decoder and the literal renderers",
        "",
        f"Run on {datetime.date.today().isoformat()}, {minutes:g} minutes in all "
        f"({platform.python_implementation()} {platform.python_version()}, hypothesis "
        f"{hypothesis.__version__}), with `python -m benchmarks fuzz --minutes {minutes:g}`. "
        "What each target feeds and the contract it checks are in the docstring of "
        "`benchmarks/fuzz.py`; any other exception, or a message over one line, is a crash. "
        "Examples include those hypothesis ran while shrinking a crash.",
        "",
        "| target | seconds | examples | outcomes | crashes |",
        "|---|---:|---:|---|---:|",
    ]
    for r in results:
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(r.outcomes.items()))
        lines.append(f"| {r.name} | {r.seconds:.0f} | {r.examples:,} | {outcomes} | "
                     f"{len(r.crashes)} |")
    lines += ["", f"{total:,} examples, {len(crashes)} crash(es) found.", ""]
    if crashes:
        lines += ["## Crashes", ""]
        for r in results:
            for c in r.crashes:
                lines += [f"- **{r.name}**: `{c.site}`: {c.message} (hit {c.seen} times)",
                          f"  minimal input: `{c.example[:300]}`", ""]
    return "\n".join(lines) + "\n"
