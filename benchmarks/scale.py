"""``python -m benchmarks scale``: a long streaming run, watched from outside.

HumanEval is replicated into N records with distinct ids and distinct solutions (a
comment naming the copy, so every record has its own verdict-cache key) and ``codeaug
verify`` runs on it as a subprocess, as a user would run it, twice with one fresh verdict
cache: the first run fills it, the second should be answered from it. Once a second the
benchmark samples the process's resident memory (VmRSS) and counts the records written so
far, then reports peak memory, memory over time (flat or growing?), throughput per
window (steady?) and how much faster the cached run was.
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
            # A comment in the solution: the same program, its own cache key.
            line = line.replace(b'"solution":"', f'"solution":"# copy {copy}\\n'.encode(), 1)
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


@dataclass
class Run:
    code: int
    elapsed: float
    samples: list[Sample]
    passed: int
    rejected: int
    stdout: str

    @property
    def peak_rss_mib(self) -> float:
        return max((s.rss_kb for s in self.samples), default=0) / 1024


def _verify(data: Path, out_dir: Path, jobs: int, cache: Path) -> Run:
    ok, bad = out_dir / "ok.jsonl", out_dir / "bad.jsonl"
    cmd = [sys.executable, "-m", "codeaug.cli", "verify", str(data), "-o", str(ok),
           "--rejected", str(bad), "-j", str(jobs), "--cache", str(cache)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    samples: list[Sample] = []
    while proc.poll() is None:
        samples.append(Sample(time.monotonic() - started, _rss_kb(proc.pid),
                              _lines(ok) + _lines(bad)))
        time.sleep(0.2 if len(samples) < 50 else 1.0)
    elapsed = time.monotonic() - started
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    return Run(proc.returncode, elapsed, samples, _lines(ok), _lines(bad), stdout)


def run(items: int, jobs: int, dataset: Path, out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="codeaug-scale-") as tmp_str:
        tmp = Path(tmp_str)
        data = tmp / "scale.jsonl"
        make_input(dataset, data, items)
        cache = tmp / "verdicts.sqlite3"
        (tmp / "first").mkdir()
        (tmp / "second").mkdir()
        first = _verify(data, tmp / "first", jobs, cache)
        second = _verify(data, tmp / "second", jobs, cache)
    print(first.stdout)
    print(second.stdout)
    report = _report(items, jobs, first, second)
    out.write_text(report)
    print(report)
    ok = all(r.code == 0 and r.passed == items for r in (first, second))
    return 0 if ok else 1


def _report(items: int, jobs: int, first: Run, second: Run) -> str:
    steady = [s for s in first.samples if s.written > 0]
    rss = [s.rss_kb / 1024 for s in steady] or [0.0]
    windows: list[float] = []
    per_window = [s for s in steady if s.t >= 10] or steady
    for a, b in zip(per_window[::10], per_window[10::10], strict=False):
        if b.t > a.t:
            windows.append((b.written - a.written) / (b.t - a.t))
    early = rss[: max(1, len(rss) // 10)]
    late = rss[-max(1, len(rss) // 10):]
    facts = collect(connect(), "python -m benchmarks scale")
    speedup = first.elapsed / second.elapsed if second.elapsed else 0.0
    lines = [
        "# Scale: streaming verification of a large input",
        "",
        f"`python -m benchmarks scale --items {items} --jobs {jobs}` ran `codeaug verify` on "
        f"{items} records (HumanEval replicated; each copy's solution carries a comment, so "
        "every record has its own verdict-cache key), twice with one fresh verdict cache.",
        "",
        "| figure | first run (fills the cache) | second run (from the cache) |",
        "|---|---|---|",
        f"| exit status | {first.code} | {second.code} |",
        f"| passed / rejected | {first.passed} / {first.rejected} | "
        f"{second.passed} / {second.rejected} |",
        f"| wall time | {first.elapsed:.1f} s | {second.elapsed:.1f} s |",
        f"| throughput | {items / first.elapsed:.1f} items/s | "
        f"{items / second.elapsed:.1f} items/s |",
        f"| peak resident memory of the codeaug process | {first.peak_rss_mib:.1f} MiB | "
        f"{second.peak_rss_mib:.1f} MiB |",
        f"| second run faster by | | **{speedup:.1f}x** |",
        "",
        "First run over time:",
        "",
        "| figure | value |",
        "|---|---|",
        f"| throughput per ~10 s window: median (min-max) | "
        f"{statistics.median(windows) if windows else 0:.1f} "
        f"({min(windows, default=0):.1f}-{max(windows, default=0):.1f}) items/s |",
        f"| resident memory, first tenth of the run (median) | "
        f"{statistics.median(early):.1f} MiB |",
        f"| resident memory, last tenth of the run (median) | {statistics.median(late):.1f} MiB |",
        f"| samples | {len(first.samples)} |",
        "",
        "Throughput per window, in order (items/s):",
        "",
        "```",
        " ".join(f"{w:.0f}" for w in windows),
        "```",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {label} | {text} |" for label, text in facts.items()),
        "",
    ]
    return "\n".join(lines)
