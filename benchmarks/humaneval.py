"""The HumanEval suite: the 164 canonical solutions on every system, ``repeat`` times.

Each repetition runs every system once, in a fixed order (interleaved, so slow drift of
the machine affects all systems alike). ``setup`` of all systems happens before the
first repetition and ``teardown`` after the last, also on failure or Ctrl-C.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docker

from benchmarks import environment
from benchmarks.items import Item, load_humaneval
from benchmarks.stats import Figure, median
from benchmarks.systems import ItemResult, System
from benchmarks.systems.codeaug_verify import (
    CodeaugCli,
    CodeaugCold,
    CodeaugWarm,
    python_language,
    sandbox_hello,
)
from benchmarks.systems.native import NativeSubprocess, resolve_python3
from codeaug.executor import docker_api
from codeaug.executor.docker_api import connect
from codeaug.images import ensure_image

STARTUP_FLAGS: tuple[tuple[str, ...], ...] = ((), ("-S",))
STARTUP_SAMPLES = 30

# System names the figures refer to.
NATIVE = "native"
NATIVE_SEQ = "native-seq"
WARM = "codeaug-warm"
SEQ = "codeaug-seq"
COLD = "codeaug-cold"
CLI = "codeaug-cli"


@dataclass
class Run:
    system: str
    repetition: int
    elapsed: float
    results: list[ItemResult]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)


@dataclass
class SuiteResult:
    items: int
    repeat: int
    jobs: int
    systems: list[System]
    runs: dict[str, list[Run]]
    figures: list[Figure] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    startup: dict[str, list[float]] = field(default_factory=dict)
    duration: float = 0.0

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def build_systems(jobs: int, timeout: float, python: str, version: str) -> list[System]:
    """Every measured system, in the order each repetition runs them."""
    return [
        NativeSubprocess(NATIVE_SEQ, 1, timeout, python, version),
        CodeaugWarm(SEQ, 1, window=1),
        NativeSubprocess(NATIVE, jobs, timeout, python, version),
        CodeaugWarm(WARM, jobs),
        CodeaugCold(COLD, jobs),
        CodeaugCli(CLI, jobs),
    ]


def check(run: Run, items: Sequence[Item]) -> str | None:
    """None when the run passed every item exactly once, else what went wrong."""
    ids = [r.id for r in run.results]
    if ids != [i.id for i in items]:
        return (f"{run.system} repetition {run.repetition}: results do not match the items "
                f"({len(ids)} results for {len(items)} items)")
    if run.passed == len(items):
        return None
    bad = [r for r in run.results if not r.passed]
    shown = "; ".join(f"{r.id}: {r.detail}" for r in bad[:3])
    return (f"{run.system} repetition {run.repetition}: {run.passed}/{len(items)} passed "
            f"(first failures: {shown})")


def run_suite(dataset: Path, repeat: int, jobs: int, command: str,
              say: Callable[[str], None]) -> SuiteResult:
    started = time.monotonic()
    items = load_humaneval(dataset)
    say(f"{len(items)} items from {dataset}")
    client = connect()
    language = python_language()
    image = ensure_image(client, language.image, on_progress=say)
    timeout = language.default_limits.wall_seconds
    python, python_version = resolve_python3()
    env = environment.collect(client, command)
    hello = sandbox_hello(client, image)
    env["Python (host python3, native runs)"] = f"{python_version} ({python})"
    env["Python (sandbox image, runner hello)"] = (
        f"{hello.python} (image {image.tag}, {image.id[:19]}, runner uid {hello.uid})")
    env["workload"] = (f"{len(items)} HumanEval canonical solutions from {dataset}, "
                       f"per-item wall timeout {timeout:g} s")
    env["jobs"] = f"{jobs} (codeaug containers, native worker threads)"
    env["repetitions"] = str(repeat)

    systems = build_systems(jobs, timeout, python, python_version)
    result = SuiteResult(len(items), repeat, jobs, systems, {s.name: [] for s in systems},
                         environment=env)
    try:
        for system in systems:
            say(f"setup {system.name}")
            system.setup(items)
        for rep in range(1, repeat + 1):
            for system in systems:
                t0 = time.perf_counter()
                results = system.run(items)
                elapsed = time.perf_counter() - t0
                run = Run(system.name, rep, elapsed, results)
                result.runs[system.name].append(run)
                problem = check(run, items)
                if problem:
                    result.failures.append(problem)
                say(f"repetition {rep}/{repeat} {system.name:13} {elapsed:7.3f} s "
                    f"{len(items) / elapsed:7.1f} items/s  {run.passed}/{len(items)} passed")
            for system in systems:  # calibration: the interpreter's start-up alone
                if isinstance(system, NativeSubprocess) and system.workers == 1:
                    for flags in STARTUP_FLAGS:
                        result.startup.setdefault(" ".join(flags), []).append(
                            system.startup_seconds(flags, STARTUP_SAMPLES))
                    break
    finally:
        for system in reversed(systems):
            try:
                system.teardown()
            except Exception as exc:  # keep tearing the others down
                result.failures.append(f"teardown of {system.name} failed: {exc!r}")
    left = leftover_containers(client)
    if left:
        result.failures.append(f"containers left behind by this process: {', '.join(left)}")
    client.close()
    result.figures = figures(result)
    result.duration = time.monotonic() - started
    return result


def leftover_containers(client: docker.DockerClient) -> list[str]:
    """Names of codeaug containers still owned by this process (there must be none)."""
    mine = docker_api.owner_label()
    found = client.containers.list(all=True, filters={"label": f"{docker_api.LABEL_MANAGED}=1"})
    return [c.name for c in found if c.labels.get(docker_api.LABEL_OWNER) == mine]


def _per_item_median(runs: Sequence[Run], attr: str) -> list[float]:
    """Per repetition: the median over items of one ItemResult attribute."""
    out = []
    for run in runs:
        values = [getattr(r, attr) for r in run.results if getattr(r, attr) is not None]
        out.append(median(values))
    return out


def _paired_difference(a: Sequence[Run], a_attr: str, b: Sequence[Run]) -> list[float]:
    """Per repetition: median over items of (a's attribute - b's ``seconds``), item by item."""
    out = []
    for run_a, run_b in zip(a, b, strict=True):
        diffs = [getattr(x, a_attr) - y.seconds
                 for x, y in zip(run_a.results, run_b.results, strict=True)
                 if getattr(x, a_attr) is not None and y.seconds is not None]
        out.append(median(diffs))
    return out


def figures(result: SuiteResult) -> list[Figure]:
    runs = result.runs
    n = result.items
    out: list[Figure] = []
    by_name = {s.name: s for s in result.systems}
    for system in result.systems:
        out.append(Figure(
            f"ips:{system.name}", system.name, "throughput",
            f"{n} items / host wall time of one run ({system.description})",
            [n / r.elapsed for r in runs[system.name]]))
    ips = {s.name: [n / r.elapsed for r in runs[s.name]] for s in result.systems}
    for name in (WARM, COLD, CLI):
        if name in by_name and NATIVE in ips:
            out.append(Figure(
                f"ratio:{name}", f"{name} / {NATIVE}", "ratio",
                f"items/s of {name} divided by items/s of {NATIVE} in the same repetition",
                [a / b for a, b in zip(ips[name], ips[NATIVE], strict=True)]))
    if NATIVE_SEQ in runs and SEQ in runs:
        nat, seq = runs[NATIVE_SEQ], runs[SEQ]
        out += [
            Figure("lat:native", "native run time (python3 main.py)", "latency",
                   f"median over items of subprocess.run wall time, {NATIVE_SEQ} "
                   "(one process at a time: interpreter start-up + program + exit)",
                   _per_item_median(nat, "seconds")),
            Figure("lat:runner", "codeaug job time in the runner", "latency",
                   f"median over items of StepResult.wall_seconds, {SEQ} (fork of the warm "
                   "interpreter to reaping the child, incl. killing leftovers)",
                   _per_item_median(seq, "seconds")),
            Figure("lat:rtt", "codeaug host round trip", "latency",
                   f"median over items of submit -> outcome on the host, {SEQ} (one job in "
                   "flight: encode, attach socket, write files, fork, run, scrub, answer)",
                   _per_item_median(seq, "round_trip")),
            Figure("ovh:runner", "overhead: runner job time - native", "latency",
                   "median over items of (codeaug runner wall_seconds - native run time "
                   "of the same program), both sequential; negative = the fork server "
                   "saves more (interpreter start-up) than the sandbox costs",
                   _paired_difference(seq, "seconds", nat)),
            Figure("ovh:rtt", "overhead: host round trip - native", "latency",
                   "median over items of (codeaug host round trip - native run time of "
                   "the same program), both sequential",
                   _paired_difference(seq, "round_trip", nat)),
        ]
    for flags, values in result.startup.items():
        shown = f"python3 {flags} -c pass".replace("  ", " ")
        out.append(Figure(
            f"startup:{flags}", f"native start-up alone ({shown})", "latency",
            f"median of {STARTUP_SAMPLES} sequential runs of `{shown}` (host interpreter "
            "start + exit, no program" + (", site-packages skipped" if flags else "") + ")",
            values))
    if WARM in runs and NATIVE in runs:
        out += [
            Figure("lat:warm-runner", f"codeaug job time in the runner, {WARM}", "latency",
                   f"median over items of StepResult.wall_seconds under load "
                   f"({result.jobs} containers busy)",
                   _per_item_median(runs[WARM], "seconds")),
            Figure("lat:native-par", f"native run time, {NATIVE}", "latency",
                   f"median over items of subprocess.run wall time under load "
                   f"({result.jobs} processes at once)",
                   _per_item_median(runs[NATIVE], "seconds")),
        ]
    return out


def main(dataset: Path, repeat: int, jobs: int, out: Path, chart: Path | None,
         command: str) -> int:
    from benchmarks import report

    console = report.console()

    def say(text: str) -> None:
        console.print(f"[dim]{text}[/]", highlight=False)

    result = run_suite(dataset, repeat, jobs, command, say)
    report.print_result(console, result)
    chart_written = None
    if chart is not None:
        try:
            report.write_chart(result, chart)
            chart_written = chart
        except ImportError as exc:
            console.print(f"[yellow]no chart: {exc} (pip install matplotlib)[/]")
    report.write_markdown(result, out, chart_written)
    console.print(f"report -> {out}" + (f", chart -> {chart_written}" if chart_written else ""))
    if result.failures:
        report.print_failures(console, result)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `python -m benchmarks humaneval`")
