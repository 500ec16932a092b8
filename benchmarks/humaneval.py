"""The HumanEval suite: the 164 canonical solutions on every system, ``repeat`` times.

Each repetition runs every system once, in a fixed order (interleaved, so slow drift of
the machine affects all systems alike), except the container-per-item peers, which are
slow and run only in the first ``peer_repeat`` repetitions. ``setup`` of all systems
happens before the first repetition and ``teardown`` after the last, also on failure or
Ctrl-C. A peer whose ``setup`` raises :class:`~benchmarks.systems.PeerUnavailable` is
reported as not measured, with the reason, and the run goes on without it.
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
from benchmarks.systems import ItemResult, PeerUnavailable, System
from benchmarks.systems.codeaug_verify import (
    CodeaugCli,
    CodeaugCold,
    CodeaugWarm,
    python_language,
    sandbox_hello,
)
from benchmarks.systems.containers import mine
from benchmarks.systems.docker_run import DockerRunPerItem
from benchmarks.systems.epicbox_peer import EpicboxPerItem
from benchmarks.systems.fork_exec import ForkPerItem
from benchmarks.systems.llm_sandbox_peer import LlmSandboxPerItem, LlmSandboxPooled
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
WARM_J1 = "codeaug-warm-j1"
FORK = "fork-per-item"
DOCKER_RUN = "docker-run-per-item"
LLM_ITEM = "llm-sandbox-per-item"
LLM_POOL = "llm-sandbox-pooled"
EPICBOX = "epicbox-per-item"

# Every system, in the order each repetition runs them.
SYSTEM_NAMES = (NATIVE_SEQ, SEQ, NATIVE, FORK, WARM, WARM_J1, COLD, CLI, DOCKER_RUN,
                LLM_ITEM, LLM_POOL, EPICBOX)
# Peers that start a container (or more) per item: seconds per item, so they run only in
# the first ``peer_repeat`` repetitions. The pooled llm-sandbox mode is as slow per item.
CONTAINER_PEERS = frozenset({DOCKER_RUN, LLM_ITEM, LLM_POOL, EPICBOX})
# codeaug-warm divided by each of these, per repetition: the ratios issue 4 asks for.
WARM_RATIOS = (NATIVE, FORK, DOCKER_RUN, LLM_ITEM, LLM_POOL, EPICBOX, WARM_J1)


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
    peer_repeat: int = 0
    unavailable: dict[str, str] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    startup: dict[str, list[float]] = field(default_factory=dict)
    duration: float = 0.0

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def build_systems(jobs: int, timeout: float, python: str, version: str,
                  names: Sequence[str] = SYSTEM_NAMES) -> list[System]:
    """The measured systems named in ``names``, in the order each repetition runs them
    (:data:`SYSTEM_NAMES`). ``codeaug-warm-j1`` is left out when ``jobs`` is 1 (it would
    be ``codeaug-warm`` again)."""
    factories: dict[str, Callable[[], System]] = {
        NATIVE_SEQ: lambda: NativeSubprocess(NATIVE_SEQ, 1, timeout, python, version),
        SEQ: lambda: CodeaugWarm(SEQ, 1, window=1),
        NATIVE: lambda: NativeSubprocess(NATIVE, jobs, timeout, python, version),
        FORK: lambda: ForkPerItem(FORK, jobs, timeout),
        WARM: lambda: CodeaugWarm(WARM, jobs),
        WARM_J1: lambda: CodeaugWarm(WARM_J1, 1),
        COLD: lambda: CodeaugCold(COLD, jobs),
        CLI: lambda: CodeaugCli(CLI, jobs),
        DOCKER_RUN: lambda: DockerRunPerItem(DOCKER_RUN, jobs, timeout),
        LLM_ITEM: lambda: LlmSandboxPerItem(LLM_ITEM, jobs, timeout),
        LLM_POOL: lambda: LlmSandboxPooled(LLM_POOL, jobs, timeout),
        EPICBOX: lambda: EpicboxPerItem(EPICBOX, jobs, timeout),
    }
    unknown = sorted(set(names) - set(factories))
    if unknown:
        raise ValueError(f"unknown systems: {', '.join(unknown)}")
    wanted = set(names) - ({WARM_J1} if jobs == 1 else set())
    return [factories[name]() for name in SYSTEM_NAMES if name in wanted]


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
              say: Callable[[str], None], names: Sequence[str] = SYSTEM_NAMES,
              peer_repeat: int = 1) -> SuiteResult:
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
    env["jobs"] = (f"{jobs} (codeaug containers, native worker threads, fork-per-item "
                   "workers, container-per-item peers in parallel)")
    peer_repeat = min(peer_repeat, repeat)
    env["repetitions"] = (f"{repeat} ({', '.join(sorted(CONTAINER_PEERS & set(names)))}: "
                          f"the first {peer_repeat} only)")
    env.update(environment.versions())
    env["load average (1, 5, 15 min) at start"] = environment.load_average()

    systems = build_systems(jobs, timeout, python, python_version, names)
    result = SuiteResult(len(items), repeat, jobs, systems, {s.name: [] for s in systems},
                         peer_repeat=peer_repeat, environment=env)
    try:
        for system in list(systems):
            say(f"setup {system.name}")
            try:
                system.setup(items)
            except PeerUnavailable as exc:
                say(f"{system.name} cannot run here, not measured: {exc}")
                result.unavailable[system.name] = str(exc)
                system.teardown()
                systems.remove(system)
                del result.runs[system.name]
        for rep in range(1, repeat + 1):
            for system in systems:
                if system.name in CONTAINER_PEERS and rep > peer_repeat:
                    continue
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
    left = leftover_containers(client) + mine(client)
    if left:
        result.failures.append(f"containers left behind by this process: {', '.join(left)}")
    client.close()
    env["load average (1, 5, 15 min) at end"] = environment.load_average()
    result.figures = figures(result)
    result.duration = time.monotonic() - started
    return result


def leftover_containers(client: docker.DockerClient) -> list[str]:
    """Names of codeaug containers still owned by this process (there must be none)."""
    mine = docker_api.owner_label()
    found = client.containers.list(all=True, filters={"label": f"{docker_api.LABEL_MANAGED}=1"})
    return [c.name for c in found if c.labels.get(docker_api.LABEL_OWNER) == mine]


def _ratios(num: Sequence[Run], den: Sequence[Run], n: int) -> list[float]:
    """Per repetition in which both systems ran: items/s of ``num`` / items/s of ``den``."""
    by_rep = {r.repetition: r for r in den}
    return [(n / a.elapsed) / (n / by_rep[a.repetition].elapsed)
            for a in num if a.repetition in by_rep]


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
    for name in (WARM, COLD, CLI):
        if name in by_name and NATIVE in by_name:
            out.append(Figure(
                f"ratio:{name}", f"{name} / {NATIVE}", "ratio",
                f"items/s of {name} divided by items/s of {NATIVE} in the same repetition",
                _ratios(runs[name], runs[NATIVE], n)))
    for name in WARM_RATIOS:
        if WARM not in by_name or name not in by_name or name == NATIVE:
            continue
        label = (f"codeaug -j {result.jobs} / -j 1 (warm)" if name == WARM_J1
                 else f"{WARM} / {name}")
        out.append(Figure(
            f"ratio:{WARM}/{name}", label, "ratio",
            f"items/s of {WARM} divided by items/s of {name} in the same repetition"
            + (f" (only repetitions 1-{len(runs[name])}, the ones {name} ran in)"
               if len(runs[name]) < len(runs[WARM]) else ""),
            _ratios(runs[WARM], runs[name], n)))
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
    for name in (FORK, DOCKER_RUN, LLM_ITEM, LLM_POOL, EPICBOX):
        if name in runs:
            workers = getattr(by_name[name], "workers", result.jobs)
            out.append(Figure(
                f"lat:{name}", f"per-item time, {name}", "latency",
                f"median over items of the host wall time of one item in {name}, "
                f"{workers} at once ("
                + ("fork, exec, verdict through a pipe, join" if name == FORK else
                   "everything from creating the container to removing it"
                   if name != LLM_POOL else "borrow a pooled container, copy, run, give back")
                + ")",
                _per_item_median(runs[name], "seconds")))
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
         command: str, names: Sequence[str] = SYSTEM_NAMES, peer_repeat: int = 1) -> int:
    from benchmarks import report

    console = report.console()

    def say(text: str) -> None:
        console.print(f"[dim]{text}[/]", highlight=False)

    result = run_suite(dataset, repeat, jobs, command, say, names, peer_repeat)
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
