"""`codeaug import`: streaming, error lines, exit codes, atomic output."""

from __future__ import annotations

import gzip
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pluggy
import pytest
from click.testing import CliRunner, Result
from codeaug_plugins.humaneval_format import HumanEvalFormat

from codeaug.cli.import_ import import_command
from codeaug.errors import RecordError
from codeaug.formats import Format
from codeaug.plugins import Plugins
from codeaug.record import CodeTests, Problem, iter_problems
from codeaug.registry import Registry

DATASETS = Path(__file__).parents[2].parent / "shared" / "datasets"
HUMANEVAL = DATASETS / "humaneval" / "HumanEval.jsonl.gz"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI=true: datasets are required)")
        pytest.skip(f"{path} not found (shared datasets are not available here)")
    return path


def _task(n: int, **override: Any) -> str:
    task = {
        "task_id": f"T/{n}",
        "prompt": f"def f{n}(x: int) -> int:\n    pass\n",
        "canonical_solution": f"    return x + {n}\n",
        "test": f"def check(candidate):\n    assert candidate(0) == {n}\n",
        "entry_point": f"f{n}",
    }
    task.update(override)
    return json.dumps(task)


class _Exploding(Format):
    """Yields one record, then fails hard, to prove the output is never half-written."""

    name: ClassVar[str] = "exploding"

    def read(self, source: Path) -> Iterator[Problem | RecordError]:
        yield Problem(id="x", language="python", prompt="p", tests=CodeTests(code="pass"))
        raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the formats under test, independent of what else is installed."""
    formats: Registry[Format] = Registry("format")
    formats.add(HumanEvalFormat(), "humaneval")
    formats.add(_Exploding(), "test")
    plugins = Plugins(pluggy.PluginManager("codeaug"), Registry("language"), formats)
    monkeypatch.setattr("codeaug.plugins.get_plugins", lambda **_: plugins)


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(import_command, [str(a) for a in args])


def _src(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "src.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_all_good_exits_0_and_matches_the_format(tmp_path: Path) -> None:
    src = _src(tmp_path, [_task(1), _task(2), _task(3)])
    out = tmp_path / "out" / "records.jsonl"
    result = _run("humaneval", src, "-o", out)
    assert result.exit_code == 0, result.output
    written = list(iter_problems(out))
    assert written == list(HumanEvalFormat().read(src))
    assert [p.id for p in written if isinstance(p, Problem)] == ["T/1", "T/2", "T/3"]
    assert out.read_bytes().count(b"\n") == 3
    assert "3 imported, 0 errors" in result.stderr
    assert result.stderr.count("\n") == 1  # just the summary
    # Not the 0600 of a temp file: readable like any file the user creates.
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in out.parent.iterdir()] == ["records.jsonl"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_some_bad_lines_exit_1_and_name_file_line_field(tmp_path: Path) -> None:
    src = _src(tmp_path, [_task(1), _task(2, prompt=5), "{oops", _task(4)])
    out = tmp_path / "out.jsonl"
    result = _run("humaneval", src, "-o", out)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {src}:2: field `prompt`: ")
    assert errors[1].startswith(f"error: {src}:3: invalid JSON")
    assert "2 imported, 2 errors" in result.stderr
    assert [p.id for p in iter_problems(out) if isinstance(p, Problem)] == ["T/1", "T/4"]


def test_nothing_readable_exits_2_and_keeps_the_old_output(tmp_path: Path) -> None:
    src = _src(tmp_path, ["{bad", "[]"])
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = _run("humaneval", src, "-o", out)
    assert result.exit_code == 2
    assert "0 imported, 2 errors" in result.stderr
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "src.jsonl"]


def test_empty_input_exits_2_without_output(tmp_path: Path) -> None:
    src = _src(tmp_path, [])
    out = tmp_path / "out.jsonl"
    assert _run("humaneval", src, "-o", out).exit_code == 2
    assert not out.exists()


def test_missing_source_exits_2(tmp_path: Path) -> None:
    result = _run("humaneval", tmp_path / "absent.jsonl", "-o", tmp_path / "o.jsonl")
    assert result.exit_code == 2
    assert "absent.jsonl" in result.stderr and "cannot open" in result.stderr


def test_unknown_format_exits_2_naming_known(tmp_path: Path) -> None:
    src = _src(tmp_path, [_task(1)])
    result = _run("nosuch", src, "-o", tmp_path / "o.jsonl")
    assert result.exit_code == 2
    assert "nosuch" in result.stderr and "humaneval" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_output_is_required(tmp_path: Path) -> None:
    result = _run("humaneval", _src(tmp_path, [_task(1)]))
    assert result.exit_code == 2
    assert "--output" in result.output + result.stderr


def test_gz_output_is_gzip(tmp_path: Path) -> None:
    src = _src(tmp_path, [_task(1), _task(2)])
    out = tmp_path / "out.jsonl.gz"
    assert _run("humaneval", src, "-o", out).exit_code == 0
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    lines = gzip.decompress(out.read_bytes()).splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["T/1", "T/2"]
    # Reproducible: the same input gives the same bytes.
    first = out.read_bytes()
    assert _run("humaneval", src, "-o", out).exit_code == 0
    assert out.read_bytes() == first


def test_crash_mid_stream_leaves_no_partial_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = _run("exploding", _src(tmp_path, []), "-o", out)
    assert isinstance(result.exception, RuntimeError)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "src.jsonl"]


def test_truncated_gzip_keeps_what_was_read_and_exits_1(tmp_path: Path) -> None:
    data = gzip.compress(("\n".join(_task(i) for i in range(400)) + "\n").encode())
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(data[: len(data) * 3 // 4])
    out = tmp_path / "out.jsonl"
    result = _run("humaneval", src, "-o", out)
    assert result.exit_code == 1
    assert "truncated" in result.stderr
    ids = [p.id for p in iter_problems(out) if isinstance(p, Problem)]
    assert 0 < len(ids) < 400 and ids == [f"T/{i}" for i in range(len(ids))]


def test_real_humaneval(tmp_path: Path) -> None:
    src = _need(HUMANEVAL)
    out = tmp_path / "he.jsonl.gz"
    result = _run("humaneval", src, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "164 imported, 0 errors" in result.stderr
    with gzip.open(src, "rt", encoding="utf-8") as f:
        task_ids = [json.loads(line)["task_id"] for line in f]
    assert [p.id for p in iter_problems(out) if isinstance(p, Problem)] == task_ids
