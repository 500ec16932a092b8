"""Presenting a :class:`~benchmarks.humaneval.SuiteResult`: rich tables on stdout, a
Markdown report and a PNG bar chart."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from benchmarks.stats import Figure

if TYPE_CHECKING:
    from benchmarks.humaneval import SuiteResult


def console() -> Console:
    return Console(width=max(120, Console().width))


def _num(value: float, kind: str) -> str:
    if value != value:  # NaN
        return "n/a"
    if kind == "latency":
        return f"{value * 1000:.2f}"
    if kind == "ratio":
        return f"{value:.3f}"
    return f"{value:.1f}"


def _unit(kind: str) -> str:
    return {"latency": "ms", "ratio": "x", "throughput": "items/s"}[kind]


def _passed(result: SuiteResult, name: str) -> str:
    runs = result.runs[name]
    worst = min((r.passed for r in runs), default=0)
    shown = f"{worst}/{result.items}" + ("" if worst == result.items else " FAIL")
    return shown + (f" ({len(runs)} runs)" if len(runs) != result.repeat else "")


def _rows(result: SuiteResult, kind: str) -> list[Figure]:
    return [f for f in result.figures if f.kind == kind]


def print_result(out: Console, result: SuiteResult) -> None:
    n = result.repeat
    table = Table(title=f"HumanEval x{result.items}: throughput (median of {n}; min, max)")
    for col in ("system", "items/s", "min", "max", "run wall s", "passed (worst run)"):
        table.add_column(col, justify="left" if col == "system" else "right")
    table.add_column("one timed run is")
    for fig in _rows(result, "throughput"):
        walls = sorted(r.elapsed for r in result.runs[fig.label])
        table.add_row(fig.label, _num(fig.median, "throughput"), _num(fig.min, "throughput"),
                      _num(fig.max, "throughput"), f"{walls[len(walls) // 2]:.3f}",
                      _passed(result, fig.label),
                      next(s.description for s in result.systems if s.name == fig.label))
    out.print(table)
    for kind, title in (("ratio", "ratios of items/s"),
                        ("latency", "per-job time and sandbox overhead, ms")):
        table = Table(title=f"{title} (median of {n}; min, max)")
        table.add_column("figure")
        for col in (_unit(kind), "min", "max"):
            table.add_column(col, justify="right")
        table.add_column("what is measured", overflow="fold")
        for fig in _rows(result, kind):
            table.add_row(fig.label, _num(fig.median, kind), _num(fig.min, kind),
                          _num(fig.max, kind), fig.how)
        out.print(table)
    for name, why in result.unavailable.items():
        out.print(f"[yellow]not measured: {name}: {why}[/]", highlight=False)
    out.print(f"suite took {result.duration:.1f} s")


def print_failures(out: Console, result: SuiteResult) -> None:
    text = "\n".join(result.failures)
    out.print(Panel(text, title="BENCHMARK INVALID: not every system passed every item",
                    style="bold red"))


def _md_table(header: list[str], rows: list[list[str]], numeric: int = 0) -> str:
    """Columns 1..``numeric`` are right-aligned (numbers), the others left-aligned."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if 1 <= i <= numeric else "---"
                            for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows]
    return "\n".join(lines)


def headline(result: SuiteResult) -> list[str]:
    keys = {f.key for f in result.figures}
    lines = []
    if {"ips:codeaug-warm", "ips:native", "ratio:codeaug-warm"} <= keys:
        warm, native = result.figure("ips:codeaug-warm"), result.figure("ips:native")
        ratio = result.figure("ratio:codeaug-warm")
        lines.append(f"codeaug (warm pool) verified **{warm.median:.1f} items/s**, native "
                     f"unsandboxed `python3` ran **{native.median:.1f} items/s**: ratio "
                     f"**{ratio.median:.2f}** (codeaug / native).")
    if {"ips:codeaug-cold", "ratio:codeaug-cold"} <= keys:
        cold, ratio = result.figure("ips:codeaug-cold"), result.figure("ratio:codeaug-cold")
        lines.append(f"Including pool start-up and removal (cold): **{cold.median:.1f} items/s**"
                     f", ratio **{ratio.median:.2f}**.")
    peers = [f for f in result.figures if f.key.startswith("ratio:codeaug-warm/")]
    if peers:
        lines.append("codeaug (warm) against the other harnesses, items/s ratios: " + ", ".join(
            f"{f.label.replace('codeaug-warm / ', 'vs ')} **{f.median:.2f}x**" for f in peers)
            + ".")
    if {"ovh:runner", "ovh:rtt", "lat:native"} <= keys:
        lines.append(
            f"Per job, sequentially: native `python3 main.py` takes "
            f"{result.figure('lat:native').median * 1000:.1f} ms; codeaug's runner reports "
            f"{result.figure('lat:runner').median * 1000:.1f} ms "
            f"(overhead **{result.figure('ovh:runner').median * 1000:+.1f} ms**), the host "
            f"sees a round trip of {result.figure('lat:rtt').median * 1000:.1f} ms "
            f"(overhead **{result.figure('ovh:rtt').median * 1000:+.1f} ms**).")
    return lines


def write_markdown(result: SuiteResult, path: Path, chart: Path | None) -> None:
    n = result.repeat
    parts = ["# Benchmark: HumanEval canonical solutions, codeaug sandbox vs native", "",
             f"Generated by `{result.environment.get('command', 'python -m benchmarks')}` "
             f"on {result.environment.get('date', '?')}. Every figure is the **median of "
             f"{n} repetitions**, with the minimum and maximum. See "
             "[README.md](README.md) for what is measured and the caveats.", ""]
    if result.failures:
        parts += ["> **INVALID RUN: not every system passed every item.**", ">"]
        parts += [f"> - {f}" for f in result.failures] + [""]
    parts += [*(f"- {line}" for line in headline(result)), ""]
    if chart is not None:
        rel = os.path.relpath(chart, path.parent)
        parts += [f"![throughput and per-job time]({rel})", ""]
    rows = []
    for fig in _rows(result, "throughput"):
        walls = sorted(r.elapsed for r in result.runs[fig.label])
        rows.append([f"`{fig.label}`", _num(fig.median, "throughput"),
                     _num(fig.min, "throughput"), _num(fig.max, "throughput"),
                     f"{walls[len(walls) // 2]:.3f}", _passed(result, fig.label),
                     next(s.description for s in result.systems if s.name == fig.label)])
    parts += ["## Throughput", "",
              _md_table(["system", "items/s", "min", "max", "run wall s", "passed (worst run)",
                         "one timed run is"], rows, numeric=5), ""]
    for kind, title in (("ratio", "Ratios"), ("latency", "Per-job time and sandbox overhead")):
        rows = [[fig.label, _num(fig.median, kind), _num(fig.min, kind), _num(fig.max, kind),
                 fig.how] for fig in _rows(result, kind)]
        parts += [f"## {title}", "",
                  _md_table(["figure", _unit(kind), "min", "max", "what is measured"], rows,
                            numeric=3), ""]
    if result.unavailable:
        parts += ["## Peers that could not run here", ""]
        parts += [f"- `{name}`: {why}" for name, why in result.unavailable.items()] + [""]
    parts += ["## Machine and software", "",
              _md_table(["", ""], [[k, v] for k, v in result.environment.items()]), ""]
    notes = [(s.name, note) for s in result.systems for note in s.notes()]
    if notes:
        parts += ["## Notes from the systems", ""]
        parts += [f"- `{name}`: {note}" for name, note in notes] + [""]
    parts += [f"The suite took {result.duration:.1f} s in all (setup, warm-up and "
              f"{n} repetitions of every system).", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def write_chart(result: SuiteResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    throughput = _rows(result, "throughput")
    names = {"startup:-S": "python3 -S\n-c pass", "startup:": "python3\n-c pass",
             "lat:native": "native\npython3 main.py", "lat:runner": "codeaug\nrunner wall",
             "lat:rtt": "codeaug host\nround trip"}
    latency = [result.figure(k) for k in names if any(f.key == k for f in result.figures)]
    fig, axes = plt.subplots(1, 2, figsize=(15, 5.5), gridspec_kw={"width_ratios": [3, 2]})

    def bars(ax, figs: list[Figure], scale: float, colors: list[str]) -> None:  # type: ignore[no-untyped-def]
        med = [f.median * scale for f in figs]
        err = [[(f.median - f.min) * scale for f in figs],
               [(f.max - f.median) * scale for f in figs]]
        drawn = ax.bar(range(len(figs)), med, yerr=err, capsize=4, color=colors)
        ax.bar_label(drawn, labels=[f"{m:.1f}" for m in med], padding=3)
        ax.set_xticks(range(len(figs)))
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.12)

    def color(label: str) -> str:
        if label.startswith("codeaug"):
            return "#2b6cb0"
        if label.startswith(("native", "fork")):
            return "#d9822b"
        return "#718096"  # container-per-item peers

    bars(axes[0], throughput, 1.0, [color(f.label) for f in throughput])
    axes[0].set_yscale("log")
    axes[0].set_xticklabels([f.label for f in throughput], rotation=30, ha="right",
                            fontsize=8)
    axes[0].set_ylabel("items / second, log scale (higher is better)")
    axes[0].set_title(f"HumanEval x{result.items}, {result.jobs} jobs: throughput")
    bars(axes[1], latency, 1000.0,
         ["#2b6cb0" if f.key.startswith("lat:r") else "#d9822b" for f in latency])
    axes[1].set_xticklabels([names[f.key] for f in latency], fontsize=8)
    axes[1].set_ylabel("ms per job, sequential (lower is better)")
    axes[1].set_title("per-job time, one at a time")
    fig.suptitle(f"median of {result.repeat} runs (container-per-item peers: "
                 f"{result.peer_repeat}), whiskers = min/max; "
                 f"{os.cpu_count()} cores, "
                 f"{result.environment.get('CPU', '')}", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
