"""The humaneval format plugin: real HumanEval file and synthetic bad lines."""

from __future__ import annotations

import ast
import gzip
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from codeaug_plugins import humaneval_format
from codeaug_plugins.humaneval_format import HumanEvalFormat

from codeaug.errors import InputError, RecordError
from codeaug.plugins import load_plugins
from codeaug.record import CodeTests, Problem, decode_problem, encode_problem

DATASETS = Path(__file__).parents[2].parent / "shared" / "datasets"
HUMANEVAL = DATASETS / "humaneval" / "HumanEval.jsonl.gz"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI=true: datasets are required)")
        pytest.skip(f"{path} not found (shared datasets are not available here)")
    return path


def _raw_tasks(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _task(n: int, **override: Any) -> dict[str, Any]:
    task = {
        "task_id": f"T/{n}",
        "prompt": f"def f{n}(x: int) -> int:\n    \"\"\"Add {n}.\"\"\"\n",
        "canonical_solution": f"    return x + {n}\n",
        "test": f"\ndef check(candidate):\n    assert candidate(1) == {n + 1}\n",
        "entry_point": f"f{n}",
    }
    task.update(override)
    return task


def _write(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def _read(path: Path) -> list[Problem | RecordError]:
    return list(HumanEvalFormat().read(path))


# ------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def real() -> tuple[list[dict[str, Any]], list[Problem | RecordError]]:
    path = _need(HUMANEVAL)
    return _raw_tasks(path), list(HumanEvalFormat().read(path))


def test_all_164_import_without_errors(real: Any) -> None:
    raw, records = real
    errors = [r for r in records if isinstance(r, RecordError)]
    assert errors == []
    assert len(raw) == 164 and len(records) == 164
    assert len({r.id for r in records}) == 164


def test_records_reproduce_the_original_program(real: Any) -> None:
    raw, records = real
    for number, (task, rec) in enumerate(zip(raw, records, strict=True), start=1):
        assert isinstance(rec, Problem)
        assert rec.id == task["task_id"]
        assert rec.language == "python"
        assert rec.prompt == task["prompt"]
        assert rec.entry_point == task["entry_point"]
        assert rec.constraints == []
        assert isinstance(rec.tests, CodeTests)
        program = rec.solution + "\n" + rec.tests.code
        ep = task["entry_point"]
        assert program == (
            task["prompt"] + task["canonical_solution"] + "\n" + task["test"] + f"\n\ncheck({ep})\n"
        )
        # The original harness joins with a single "\n" and no final newline: same program.
        original = (
            task["prompt"] + task["canonical_solution"] + "\n" + task["test"] + "\n"
            + f"check({ep})"
        )
        assert ast.dump(ast.parse(program)) == ast.dump(ast.parse(original)), rec.id
        assert rec.meta == {"source": {"format": "humaneval", "file": HUMANEVAL.name,
                                       "line": number, "task_id": task["task_id"]}}
        assert [p.name for p in rec.signature.params] == [
            a.arg for a in _entry_def(task["prompt"], ep).args.args
        ]
        assert decode_problem(encode_problem(rec)) == rec


def _entry_def(source: str, name: str) -> ast.FunctionDef:
    defs = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name]
    return defs[-1]


def test_assembled_programs_pass_locally(real: Any) -> None:
    """The canonical solutions pass their own tests, so every assembled program exits 0."""
    _, records = real

    def run(rec: Problem) -> tuple[str, int, str]:
        assert isinstance(rec.tests, CodeTests)
        proc = subprocess.run([sys.executable, "-c", rec.solution + "\n" + rec.tests.code],
                              capture_output=True, text=True, timeout=60)
        return rec.id, proc.returncode, proc.stderr[-500:]

    with ThreadPoolExecutor(max_workers=8) as pool:
        failed = [r for r in pool.map(run, records) if r[1] != 0]
    assert failed == []


def test_a_wrong_solution_fails_the_assembled_tests(real: Any) -> None:
    _, records = real
    rec = records[0]
    assert isinstance(rec, Problem) and isinstance(rec.tests, CodeTests)
    wrong = rec.prompt + "    return None\n"
    proc = subprocess.run([sys.executable, "-c", wrong + "\n" + rec.tests.code],
                          capture_output=True, timeout=60)
    assert proc.returncode != 0


# ------------------------------------------------------------------ synthetic files


@pytest.mark.parametrize("name", ["tasks.jsonl", "tasks.jsonl.gz"])
def test_plain_and_gzip(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, [json.dumps(_task(1)), "", "   ", json.dumps(_task(2))])
    records = _read(path)
    assert [r.id for r in records if isinstance(r, Problem)] == ["T/1", "T/2"]
    assert [r.meta["source"]["line"] for r in records if isinstance(r, Problem)] == [1, 4]
    assert all(r.meta["source"]["file"] == name for r in records if isinstance(r, Problem))


@pytest.mark.parametrize(
    ("line", "field", "needle"),
    [
        ("{not json", None, "invalid JSON"),
        ("[1, 2]", None, "JSON object"),
        (json.dumps({k: v for k, v in _task(9).items() if k != "test"}), "test", "missing"),
        (json.dumps(_task(9, prompt=7)), "prompt", "string, got number"),
        (json.dumps(_task(9, entry_point=None)), "entry_point", "string, got null"),
        (json.dumps(_task(9, canonical_solution=["x"])), "canonical_solution", "got array"),
        (json.dumps(_task(9, task_id="  ")), "task_id", "empty"),
        (json.dumps(_task(9, entry_point="not-a-name")), "entry_point", "identifier"),
        (json.dumps(_task(9, entry_point="g")), "entry_point", "'g'"),
        (json.dumps(_task(9, prompt="def f9(:\n")), "prompt", "does not parse"),
    ],
)
def test_bad_line_is_an_error_and_the_rest_go_on(
    tmp_path: Path, line: str, field: str | None, needle: str
) -> None:
    path = _write(tmp_path / "t.jsonl", [json.dumps(_task(1)), line, json.dumps(_task(3))])
    records = _read(path)
    assert len(records) == 3
    err = records[1]
    assert isinstance(err, RecordError)
    assert (err.path, err.line, err.field) == (str(path), 2, field)
    assert needle in err.message
    assert str(path) in str(err) and ":2" in str(err)
    assert [r.id for r in records if isinstance(r, Problem)] == ["T/1", "T/3"]


def test_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    good = [json.dumps(_task(n)).encode() for n in (1, 3)]
    path.write_bytes(good[0] + b"\n\xff\xfe\n" + good[1])
    records = _read(path)
    assert isinstance(records[1], RecordError) and "UTF-8" in records[1].message
    assert sum(isinstance(r, Problem) for r in records) == 2


def test_duplicate_task_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.jsonl", [json.dumps(_task(1)), json.dumps(_task(1))])
    first, second = _read(path)
    assert isinstance(first, Problem)
    assert isinstance(second, RecordError) and second.field == "task_id"
    assert "line 1" in second.message


def test_missing_and_truncated_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        _read(tmp_path / "absent.jsonl")
    data = gzip.compress(("\n".join(json.dumps(_task(i)) for i in range(50)) + "\n").encode())
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        _read(truncated)


def test_signature_comes_from_the_prompt(tmp_path: Path) -> None:
    prompt = (
        "from typing import List, Optional\n\n"
        "def g(xs: List[int], k=None) -> Optional[str]:\n    pass\n"
    )
    path = _write(tmp_path / "t.jsonl", [json.dumps(_task(1, prompt=prompt, entry_point="g"))])
    (rec,) = _read(path)
    assert isinstance(rec, Problem)
    assert [(p.name, p.type) for p in rec.signature.params] == [("xs", "list[int]"), ("k", "any")]
    assert rec.signature.returns == "optional[str]"


# ------------------------------------------------------------------ registration


def test_registered_through_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = load_plugins(strict=True, extra=[humaneval_format])
    fmt = plugins.formats.get("HumanEval")
    assert isinstance(fmt, HumanEvalFormat) and fmt.name == "humaneval"


def test_declared_as_entry_point() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="codeaug")}
    assert eps.get("humaneval") == "codeaug_plugins.humaneval_format"
