"""The HumanEval-X suite: per language, codeaug's sandbox against the original harness's
commands run natively with the same toolchains (see benchmarks/README.md).

Per language (in the order given), every system is set up (untimed), then each
repetition runs, in this order: ``codeaug`` (one ``Verifier.verify_stream`` call, pool
start and removal included), ``codeaug-warm`` (an ``Executor`` kept open, for the
languages in ``warm``), and ``native`` (:mod:`benchmarks.systems.native_container`).
Compiled languages run ``compiled_repeat`` repetitions, the others ``repeat``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from benchmarks import environment
from benchmarks.items import Item
from benchmarks.stats import Figure, median
from benchmarks.systems import ItemResult
from benchmarks.systems.codeaug_verify import CodeaugCold, CodeaugWarm, get_language
from benchmarks.systems.containers import mine
from benchmarks.systems.native_container import NATIVE, NativeInContainer
from codeaug.errors import RecordError
from codeaug.executor.docker_api import connect

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "humaneval-x"
LANGUAGES = ("python", "cpp", "java", "js", "go", "rust")  # HumanEval-X's file keys
COMPILED = frozenset({"cpp", "java", "go", "rust"})
DEFAULT_WARM = ("python", "js")

#: Upstream defects of the dataset (README.md, "HumanEval-X"): id -> (codeaug passes?,
#: native passes?, why). They are expected and do not invalidate a run.
DEFECTS: dict[str, tuple[bool, bool, str]] = {
    "JavaScript/112": (False, False, "the canonical solution fails its own test upstream"),
    "JavaScript/155": (False, False, "the canonical solution fails its own test upstream"),
    "Rust/32": (False, True, "the whole test is inside a /* */ comment: no test runs; the "
                             "test binary exits 0 natively, codeaug reports error"),
}
#: Items whose verdict may go either way on either side.
FLAKY: dict[str, str] = {
    "Go/95": "decides after the first two keys of a map; Go randomises map iteration order",
}

CODEAUG, WARM, NATIVE_NAME = "codeaug", "codeaug-warm", "native"


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
class LanguageResult:
    key: str
    items: int
    repeat: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    commands: str = ""
    toolchain: str = ""
    image: str = ""
    disagreements: list[str] = field(default_factory=list)

    def ips(self, system: str) -> Figure:
        return Figure(f"ips:{self.key}:{system}", system, "throughput", "",
                      [self.items / r.elapsed for r in self.runs.get(system, [])])

    def ratio(self, system: str) -> Figure:
        native = {r.repetition: r.elapsed for r in self.runs.get(NATIVE_NAME, [])}
        return Figure(f"ratio:{self.key}:{system}", f"{system} / native", "ratio", "",
                      [native[r.repetition] / r.elapsed for r in self.runs.get(system, [])
                       if r.repetition in native])

    def per_item(self, system: str) -> float:
        """Median over runs of the median per-item time the system reports."""
        return median([median([r.seconds for r in run.results if r.seconds is not None])
                       for run in self.runs.get(system, [])])

    def passed(self, system: str) -> str:
        runs = self.runs.get(system, [])
        if not runs:
            return "-"
        counts = sorted({r.passed for r in runs})
        shown = "/".join(str(c) for c in counts)
        return f"{shown}/{self.items}"


@dataclass
class SuiteResult:
    jobs: int
    languages: list[LanguageResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0


def load_items(dataset: Path) -> dict[str, list[Item]]:
    """HumanEval-X's records by file key, read with codeaug's importer; any unreadable
    record is an error (every system must run the same complete set)."""
    by_language: dict[str, list[Item]] = {}
    keys = {spec.language: key for key, spec in NATIVE.items()}
    for record in HumanEvalXFormat().read(dataset):
        if isinstance(record, RecordError):
            raise ValueError(f"{dataset}: unreadable record: {record}")
        by_language.setdefault(keys[record.language], []).append(Item(record.id, "", record))
    return by_language


def expected_pass(item_id: str, system: str) -> bool | None:
    """Whether a documented defect decides the item's verdict (None: it must pass)."""
    if item_id in FLAKY:
        return None
    if item_id in DEFECTS:
        codeaug, native, _ = DEFECTS[item_id]
        return native if system == NATIVE_NAME else codeaug
    return True


def check_run(key: str, run: Run) -> list[str]:
    problems = []
    for r in run.results:
        want = expected_pass(r.id, run.system)
        if want is not None and r.passed != want:
            problems.append(f"{key} {run.system} repetition {run.repetition}: {r.id} "
                            f"{'passed' if r.passed else 'failed'} unexpectedly: {r.detail}")
    return problems


def compare(a: Run, b: Run) -> list[str]:
    """Items on which two runs of the same repetition disagree."""
    return [f"{x.id}: {a.system} {'pass' if x.passed else 'fail'}, {b.system} "
            f"{'pass' if y.passed else 'fail'}" + (f" ({y.detail or x.detail})"[:200])
            for x, y in zip(a.results, b.results, strict=True) if x.passed != y.passed]


def run_language(key: str, items: Sequence[Item], jobs: int, repeat: int, warm: bool,
                 say: Callable[[str], None], result: SuiteResult) -> LanguageResult:
    spec = NATIVE[key]
    language = get_language(spec.language)
    out = LanguageResult(key, len(items), repeat, commands=spec.commands())
    cold = CodeaugCold(CODEAUG, jobs, spec.language)
    warm_system = (CodeaugWarm(WARM, jobs, language=spec.language, warmup_items=16 * jobs)
                   if warm else None)
    native = NativeInContainer(f"native-{key}", spec, language, jobs)
    systems: list = [s for s in (cold, warm_system, native) if s is not None]
    for s in systems:
        out.runs[s.name if s is not native else NATIVE_NAME] = []
        out.descriptions[s.name if s is not native else NATIVE_NAME] = s.description
    try:
        for s in systems:
            say(f"{key}: setup {s.name}")
            s.setup(items)
        out.toolchain, out.image = native.toolchain, native.image.tag if native.image else ""
        for rep in range(1, repeat + 1):
            for s in systems:
                t0 = time.perf_counter()
                results = s.run(items)
                elapsed = time.perf_counter() - t0
                name = s.name
                if s is native:
                    name, elapsed = NATIVE_NAME, native.last_wall
                run = Run(name, rep, elapsed, results)
                out.runs[name].append(run)
                result.failures += check_run(key, run)
                say(f"{key} repetition {rep}/{repeat} {name:13} {elapsed:8.2f} s "
                    f"{len(items) / elapsed:7.2f} items/s  {run.passed}/{len(items)} passed")
            native_run = out.runs[NATIVE_NAME][-1]
            for diff in compare(out.runs[CODEAUG][-1], native_run):
                item_id = diff.split(":", 1)[0]
                documented = item_id in DEFECTS or item_id in FLAKY
                out.disagreements.append(f"repetition {rep}: {diff}"
                                         + (" [documented]" if documented else ""))
                if not documented:
                    result.failures.append(f"{key} repetition {rep}: {diff}")
    finally:
        for s in reversed(systems):
            try:
                s.teardown()
            except Exception as exc:  # keep tearing the others down
                result.failures.append(f"teardown of {key} {s.name} failed: {exc!r}")
    out.notes = [f"`{s.name}`: {n}" for s in systems for n in s.notes()]
    return out


def run_suite(dataset: Path, languages: Sequence[str], repeat: int, compiled_repeat: int,
              jobs: int, warm: Sequence[str], command: str,
              say: Callable[[str], None]) -> SuiteResult:
    started = time.monotonic()
    by_language = load_items(dataset)
    client = connect()
    result = SuiteResult(jobs)
    env = environment.collect(client, command)
    env["workload"] = (f"HumanEval-X canonical solutions from {dataset}: "
                       + ", ".join(f"{k} {len(by_language.get(k, []))}" for k in languages))
    env["jobs"] = (f"{jobs} (codeaug containers of 1 CPU each; native: items at once in one "
                   "uncapped container)")
    env["repetitions"] = (f"{repeat} (python, js); {compiled_repeat} (cpp, java, go, rust)")
    env.update({k: v for k, v in environment.versions().items()
                if k.split(" ")[0] in ("docker", "urllib3", "requests")})
    env["load average (1, 5, 15 min) at start"] = environment.load_average()
    result.environment = env
    try:
        for key in languages:
            reps = compiled_repeat if key in COMPILED else repeat
            result.languages.append(run_language(key, by_language[key], jobs, reps,
                                                 key in warm, say, result))
    finally:
        left = mine(client)
        if left:
            result.failures.append(f"containers left behind: {', '.join(left)}")
        client.close()
    for lang in result.languages:
        env[f"toolchain: {lang.key}"] = f"{lang.toolchain} (image {lang.image})"
    env["load average (1, 5, 15 min) at end"] = environment.load_average()
    result.duration = time.monotonic() - started
    return result


# ---------------------------------------------------------------------- presenting


def _f(fig: Figure, digits: int = 2) -> str:
    if not fig.values:
        return "-"
    text = f"{fig.median:.{digits}f}"
    if len(fig.values) > 1:
        text += f" ({fig.min:.{digits}f}-{fig.max:.{digits}f})"
    return text


def _ms(value: float) -> str:
    return "-" if value != value else f"{value * 1000:.0f}"


HEADER = ["language", "reps", "codeaug items/s", "native items/s", "codeaug / native",
          "warm items/s", "warm / native", "codeaug passed", "native passed",
          "per-item ms codeaug / native"]


def rows(result: SuiteResult) -> list[list[str]]:
    out = []
    for lang in result.languages:
        out.append([lang.key, str(lang.repeat), _f(lang.ips(CODEAUG)),
                    _f(lang.ips(NATIVE_NAME)), _f(lang.ratio(CODEAUG)), _f(lang.ips(WARM)),
                    _f(lang.ratio(WARM)), lang.passed(CODEAUG), lang.passed(NATIVE_NAME),
                    f"{_ms(lang.per_item(CODEAUG))} / {_ms(lang.per_item(NATIVE_NAME))}"])
    return out


def print_result(console: Console, result: SuiteResult) -> None:
    table = Table(title=f"HumanEval-X, {result.jobs} jobs: items/s, median (min-max) of reps")
    for i, col in enumerate(HEADER):
        table.add_column(col, justify="left" if i == 0 else "right", overflow="fold")
    for row in rows(result):
        table.add_row(*row)
    console.print(table)
    for lang in result.languages:
        console.print(f"[bold]{lang.key}[/] native: {lang.commands}", highlight=False)
        for d in lang.disagreements:
            console.print(f"  disagreement {d}", highlight=False)
    console.print(f"suite took {result.duration:.0f} s")
    load = result.environment.get("load average (1, 5, 15 min) at start", "")
    if busy(load):
        console.print(f"[yellow]the machine was busy at the start (load {load}): figures "
                      "are lower and noisier than on a quiet machine[/]", highlight=False)
    if result.failures:
        console.print(Panel("\n".join(result.failures[:30]), style="bold red",
                            title="BENCHMARK INVALID: unexpected failures or disagreements"))


def _md_table(header: list[str], body: list[list[str]], numeric: bool = True) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i and numeric else "---" for i in range(len(header)))
             + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
    return "\n".join(lines)


def busy(load: str) -> bool:
    """True when the 1-minute load average in ``load`` exceeds the core count."""
    try:
        return float(load.split(",")[0]) > (os.cpu_count() or 1)
    except ValueError:
        return False


def write_markdown(result: SuiteResult, path: Path) -> None:
    env = result.environment
    parts = ["# Benchmark: HumanEval-X, codeaug sandbox vs the original harness natively", "",
             f"Generated by `{env.get('command', '')}` on {env.get('date', '?')}. Figures are "
             "the median of the repetitions (min-max when more than one). See "
             "[README.md](README.md#humaneval-x-python--m-benchmarks-humaneval-x) for what "
             "is measured.", ""]
    if result.failures:
        parts += ["> **INVALID RUN: unexpected failures or disagreements.**", ">"]
        parts += [f"> - {f}" for f in result.failures] + [""]
    if busy(env.get("load average (1, 5, 15 min) at start", "")):
        parts += ["> **The machine was busy** (load average above its core count at the "
                  "start, see below): other work competed for the cores, so the figures "
                  "are lower and noisier than on a quiet machine.", ""]
    parts += [_md_table(HEADER, rows(result)), "",
              "- **codeaug**: " + next((lang.descriptions.get(CODEAUG, "")
                                        for lang in result.languages), "")
              + "; the host's wall time of the call, so container start-up and removal "
                "are included.",
              "- **warm**: an `Executor` kept open across repetitions (containers started "
              "by an untimed warm-up of a few items), `build_job` -> pool -> `judge`, as "
              "many jobs in flight as the Verifier.",
              "- **native**: the original harness's commands (below), one process per "
              "command, `jobs` items at a time from a thread pool, in one plain container "
              "of the same image (same toolchain), no sandbox; its time is the driver's wall "
              "time from the first item's start to the last item's end.",
              "- **per-item ms**: median over items of codeaug's verdict duration (the "
              "steps' wall time in the runner) and of the native item's wall time (all its "
              "processes), both with `jobs` items at once.", "",
              "## Native commands, per item", ""]
    parts += [f"- **{lang.key}**: `{lang.commands}`" for lang in result.languages] + [""]
    parts += ["## Documented dataset defects (expected, not counted as disagreements)", ""]
    parts += [f"- {item}: codeaug {'passes' if c else 'does not pass'}, native "
              f"{'passes' if n else 'does not pass'}: {why}"
              for item, (c, n, why) in DEFECTS.items()]
    parts += [f"- {item}: flaky on both sides: {why}" for item, why in FLAKY.items()] + [""]
    seen = [(lang.key, d) for lang in result.languages for d in lang.disagreements]
    if seen:
        parts += ["Disagreements seen in this run:", ""]
        parts += [f"- {key}, {d}" for key, d in seen] + [""]
    parts += ["## Machine and software", "",
              _md_table(["", ""], [[k, v] for k, v in env.items()], numeric=False), ""]
    parts += ["## Notes from the systems", ""]
    for lang in result.languages:
        parts += [f"- {lang.key}, {note}" for note in lang.notes]
    parts += ["", f"The suite took {result.duration:.0f} s in all (setup, warm-ups, "
              "repetitions).", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def main(dataset: Path, languages: Sequence[str], repeat: int, compiled_repeat: int,
         jobs: int, warm: Sequence[str], out: Path, command: str) -> int:
    from benchmarks import report

    console = report.console()

    def say(text: str) -> None:
        console.print(f"[dim]{text}[/]", highlight=False)

    result = run_suite(dataset, languages, repeat, compiled_repeat, jobs, warm, command, say)
    print_result(console, result)
    write_markdown(result, out)
    console.print(f"report -> {out}")
    return 1 if result.failures else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `python -m benchmarks humaneval-x`")
