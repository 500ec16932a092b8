"""``python -m benchmarks scale``: a long streaming run, watched from outside.

HumanEval is replicated into N records with distinct ids (a changed id does not change
the verdict-cache key, so the cache is turned off) and ``codeaug verify`` runs on it as a
subprocess, as a user would run it. Once a second the benchmark samples the process's
resident memory (VmRSS, with its threads) and counts the records written so far, then
reports memory over time (flat or growing?) and throughput per window (steady?).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.environment import collect
from codeaug.executor.docker_api import connect


@dataclass
class Sample:
    t: float
    rss_kb: int
    written: int


def make_input(source: Path, target: Path, n: int) -> None:
    """``n`` records: HumanEval repeated, ids prefixed with the copy number."""
    from codeaug_plugins.humaneval_format import HumanEvalFormat

    from codeaug.record import encode_problem

    lines = [encode_problem(r) for r in HumanEvalFormat().read(source)
             if not isinstance(r, Exception)]
    with open(target, "wb") as out:
        for i in range(n):
            copy, k = divmod(i, len(lines))
            line = lines[k].replace(b'"id":"HumanEval/', f'"id":"copy{copy}/HumanEval/'.encode(), 1)
            out.write(line + b"\n")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return 0


def run(items: int, jobs: int, dataset: Path, out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="codeaug-scale-") as tmp_str:
        tmp = Path(tmp_str)
        data = tmp / "scale.jsonl"
        make_input(dataset, data, items)
        ok, bad = tmp / "ok.jsonl", tmp / "bad.jsonl"
        cmd = [sys.executable, "-m", "codeaug.cli", "verify", str(data), "-o", str(ok),
               "--rejected", str(bad), "-j", str(jobs), "--no-cache"]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        samples: list[Sample] = []
        while proc.poll() is None:
            samples.append(Sample(time.monotonic() - started, _rss_kb(proc.pid),
                                  _lines(ok) + _lines(bad)))
            time.sleep(1.0)
        elapsed = time.monotonic() - started
        stdout = proc.stdout.read().decode() if proc.stdout else ""
        passed, rejected = _lines(ok), _lines(bad)
    print(stdout)
    report = _report(items, jobs, elapsed, samples, passed, rejected, proc.returncode, cmd)
    out.write_text(report)
    print(report)
    return 0 if proc.returncode == 0 and passed == items else 1


def _report(items: int, jobs: int, elapsed: float, samples: list[Sample], passed: int,
            rejected: int, code: int, cmd: list[str]) -> str:
    steady = [s for s in samples if s.written > 0]
    rss = [s.rss_kb / 1024 for s in steady] or [0.0]
    windows: list[float] = []
    for a, b in zip(steady[::10], steady[10::10], strict=False):
        windows.append((b.written - a.written) / (b.t - a.t))
    early = rss[: max(1, len(rss) // 10)]
    late = rss[-max(1, len(rss) // 10):]
    facts = collect(connect(), "python -m benchmarks scale")
    lines = [
        "# Scale: streaming verification of a large input",
        "",
        f"`python -m benchmarks scale --items {items} --jobs {jobs}` ran `codeaug verify` on "
        f"{items} records (HumanEval replicated with distinct ids, verdict cache off).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| exit status | {code} |",
        f"| passed / rejected | {passed} / {rejected} |",
        f"| wall time | {elapsed:.1f} s |",
        f"| throughput, whole run | {items / elapsed:.1f} items/s |",
        f"| throughput per 10 s window: median (min-max) | "
        f"{statistics.median(windows) if windows else 0:.1f} "
        f"({min(windows, default=0):.1f}-{max(windows, default=0):.1f}) items/s |",
        f"| resident memory of codeaug: first tenth of the run, median | "
        f"{statistics.median(early):.1f} MiB |",
        f"| resident memory of codeaug: last tenth of the run, median | "
        f"{statistics.median(late):.1f} MiB |",
        f"| resident memory of codeaug: max | {max(rss):.1f} MiB |",
        f"| samples | {len(samples)} (one per second) |",
        f"| codeaug command | `codeaug {' '.join(cmd[3:])}` |",
        *(f"| {label} | {text} |" for label, text in facts.items()),
        "",
        "Throughput per 10 s window, in order (items/s):",
        "",
        "```",
        " ".join(f"{w:.0f}" for w in windows),
        "```",
        "",
    ]
    return "\n".join(lines)
