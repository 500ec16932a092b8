"""`codeaug verify` in CI: JUnit XML a CI system can read, a JSON report, --fail-under."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml

from codeaug.images import ImageRef

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "seeds.jsonl"


def _dataset(tmp_path: Path) -> tuple[Path, list[dict], str]:
    items = [json.loads(line) for line in EXAMPLES.read_text().splitlines()]
    broken = items[1]
    broken["solution"] = broken["solution"].replace("return", "return 7 or", 1)
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(i) + "\n" for i in items))
    return data, items, broken["id"]


def verify(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codeaug.cli", "verify", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_junit_and_json_reports(tmp_path: Path, python_image: ImageRef) -> None:
    data, items, broken = _dataset(tmp_path)
    junit, report = tmp_path / "report.xml", tmp_path / "report.json"
    proc = verify(data, "-o", tmp_path / "ok.jsonl", "--junit", junit, "--report", report)
    assert proc.returncode == 1, proc.stderr
    xml = JUnitXml.fromfile(str(junit))
    cases = [case for suite in xml for case in suite]
    assert sorted(c.name for c in cases) == sorted(i["id"] for i in items)
    failing = [c for c in cases if c.result]
    assert [c.name for c in failing] == [broken]
    [result] = failing[0].result
    assert isinstance(result, Failure) and not isinstance(result, Error)
    assert result.type == "failed"
    assert "failing test: case" in result.text
    assert xml.tests == len(items) and xml.failures == 1
    payload = json.loads(report.read_text())
    assert payload["counts"] == {"passed": len(items) - 1, "failed": 1}
    assert [i["id"] for i in payload["items"] if i["status"] != "passed"] == [broken]


@pytest.mark.parametrize(("rate", "code"), [("0.9", 0), ("0.99", 1)])
def test_fail_under(tmp_path: Path, python_image: ImageRef, rate: str, code: int) -> None:
    data, items, _ = _dataset(tmp_path)
    assert len(items) == 19  # 18 of 19 pass: 94.7%
    proc = verify(data, "-o", tmp_path / "ok.jsonl", "--fail-under", rate)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "pass rate 94.7%" in proc.stdout
