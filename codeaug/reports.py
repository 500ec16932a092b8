"""Machine-readable reports of a verify run, for CI: JUnit XML and JSON.

Both collect one small entry per item while the run streams, and are written once at
the end (atomically: a temp file renamed into place), so a CI job never reads half a
report.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codeaug.record import Problem
from codeaug.verdict import Status, Verdict


@dataclass(frozen=True)
class ItemReport:
    """What a report keeps of one verified item."""

    id: str
    language: str
    status: str
    duration: float
    reason: str = ""
    failed_test: str | None = None
    stderr: str = ""


class RunReport:
    """Collects item reports during a run; writes JUnit XML and JSON at the end."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ItemReport] = []

    def add(self, problem: Problem, verdict: Verdict) -> None:
        self.items.append(ItemReport(
            id=problem.id, language=problem.language, status=verdict.status.value,
            duration=verdict.duration, reason=verdict.reason, failed_test=verdict.failed_test,
            stderr=verdict.stderr[-2000:] if not verdict.passed else "",
        ))

    def junit(self) -> ET.Element:
        """One ``<testsuite>`` per language, one ``<testcase>`` per item.

        A rejected candidate is a ``<failure>`` whose ``type`` is the verdict and whose
        text names the failing test; ``sandbox_error`` (the infrastructure, not the code)
        is an ``<error>``.
        """
        by_language: dict[str, list[ItemReport]] = defaultdict(list)
        for item in self.items:
            by_language[item.language].append(item)
        root = ET.Element("testsuites", name=f"codeaug verify {self.source}")
        totals = {"tests": 0, "failures": 0, "errors": 0, "time": 0.0}
        for language in sorted(by_language):
            items = by_language[language]
            failures = sum(i.status not in (Status.PASSED, Status.SANDBOX_ERROR) for i in items)
            errors = sum(i.status == Status.SANDBOX_ERROR for i in items)
            elapsed = sum(i.duration for i in items)
            suite = ET.SubElement(root, "testsuite", name=language, tests=str(len(items)),
                                  failures=str(failures), errors=str(errors), skipped="0",
                                  time=f"{elapsed:.3f}")
            for item in items:
                case = ET.SubElement(suite, "testcase", classname=f"codeaug.{language}",
                                     name=item.id, time=f"{item.duration:.3f}")
                if item.status == Status.PASSED:
                    continue
                tag = "error" if item.status == Status.SANDBOX_ERROR else "failure"
                detail = ET.SubElement(case, tag, type=item.status,
                                       message=f"{item.status}: {item.reason}"[:1000])
                text = [f"verdict: {item.status}", f"reason: {item.reason}"]
                if item.failed_test:
                    text.append(f"failing test: {item.failed_test}")
                if item.stderr:
                    text.append(f"stderr (tail):\n{item.stderr}")
                detail.text = _xml_safe("\n".join(text))
            totals["tests"] += len(items)
            totals["failures"] += failures
            totals["errors"] += errors
            totals["time"] += elapsed
        root.set("tests", str(totals["tests"]))
        root.set("failures", str(totals["failures"]))
        root.set("errors", str(totals["errors"]))
        root.set("time", f"{totals['time']:.3f}")
        return root

    def write_junit(self, path: Path) -> None:
        root = self.junit()
        ET.indent(root)
        _atomic_write(path, ET.tostring(root, encoding="utf-8", xml_declaration=True))

    def write_json(self, path: Path, summary: dict[str, Any]) -> None:
        payload = {**summary, "items": [asdict(i) for i in self.items]}
        _atomic_write(path, json.dumps(payload, indent=1, ensure_ascii=False).encode())


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters, which candidates do print."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else f"\\x{ord(c):02x}" for c in text)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
