"""``python -m benchmarks humaneval [--repeat N] [--jobs N] [--out PATH] [--chart PATH]``,
``python -m benchmarks humaneval-x [--languages ...] [--repeat N] [--jobs N] [--out PATH]``,
``python -m benchmarks scale``, ``python -m benchmarks fuzz [--minutes N]``,
``python -m benchmarks transform [--count N] [--max-rewrites N] [--rewrites KINDS] [--jobs N]``,
``python -m benchmarks strengthen [--limit N] [--seed N] [--jobs N] [--out PATH]``,
``python -m benchmarks expand [--mutators a,b] [--seed N] [--jobs N] [--out PATH]``,
``python -m benchmarks translate [--seed N] [--jobs N] [--out PATH]``."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from benchmarks.items import DEFAULT_DATASET

# Kept in step with benchmarks.humaneval_x (imported lazily: it needs docker).
HX_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "humaneval-x"
HX_LANGUAGES = ("python", "cpp", "java", "js", "go", "rust")
HX_WARM = ("python", "js")

# Kept in step with benchmarks.humaneval.SYSTEM_NAMES (imported lazily: it needs docker).
SYSTEM_NAMES = ("native-seq", "codeaug-seq", "native", "fork-per-item", "codeaug-warm",
                "codeaug-warm-j1", "codeaug-cold", "codeaug-cli", "docker-run-per-item",
                "llm-sandbox-per-item", "llm-sandbox-pooled", "epicbox-per-item")

HERE = Path(__file__).resolve().parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks",
                                description="codeaug benchmarks (see benchmarks/README.md)")
    sub = p.add_subparsers(dest="suite", required=True)
    he = sub.add_parser("humaneval", help="HumanEval canonical solutions: codeaug vs native")
    he.add_argument("--dataset", type=Path, default=DEFAULT_DATASET,
                    help="HumanEval JSONL(.gz) [default: %(default)s]")
    he.add_argument("--repeat", type=int, default=5,
                    help="repetitions; every figure is their median [default: %(default)s]")
    he.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="codeaug containers and native worker threads "
                         "[default: os.cpu_count() = %(default)s]")
    he.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                    help="Markdown report [default: benchmarks/RESULTS.md]")
    he.add_argument("--chart", type=Path, default=HERE / "humaneval.png",
                    help="PNG bar chart [default: benchmarks/humaneval.png]")
    he.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    he.add_argument("--systems", default=",".join(SYSTEM_NAMES),
                    help="comma-separated systems to measure, in the fixed order "
                         "[default: all: %(default)s]")
    he.add_argument("--peer-repeat", type=int, default=1,
                    help="repetitions in which the container-per-item peers (docker-run, "
                         "llm-sandbox, epicbox: seconds per item) run, the first N "
                         "[default: %(default)s]")
    hx = sub.add_parser("humaneval-x", help="HumanEval-X per language: codeaug vs the "
                        "original harness's commands natively, same toolchains")
    hx.add_argument("--dataset", type=Path, default=HX_DATASET,
                    help="HumanEval-X directory [default: %(default)s]")
    hx.add_argument("--languages", default=",".join(HX_LANGUAGES),
                    help="comma-separated, of %(default)s [default: all]")
    hx.add_argument("--repeat", type=int, default=3,
                    help="repetitions for python and js [default: %(default)s]")
    hx.add_argument("--compiled-repeat", type=int, default=1,
                    help="repetitions for cpp, java, go, rust (minutes each) "
                         "[default: %(default)s]")
    hx.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="codeaug containers and native items at once "
                         "[default: os.cpu_count() = %(default)s]")
    hx.add_argument("--warm", default=",".join(HX_WARM),
                    help="languages also timed on a warm Executor ('' for none) "
                         "[default: %(default)s]")
    hx.add_argument("--out", type=Path, default=HERE / "RESULTS-humaneval-x.md",
                    help="Markdown report [default: benchmarks/RESULTS-humaneval-x.md]")
    sc = sub.add_parser("scale", help="a large streaming run: memory and throughput over time")
    sc.add_argument("--items", type=int, default=100_000, help="records [default: %(default)s]")
    sc.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="containers (-j)")
    sc.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    sc.add_argument("--out", type=Path, default=HERE / "SCALE.md",
                    help="Markdown report [default: benchmarks/SCALE.md]")
    fz = sub.add_parser("fuzz", help="time-boxed fuzzing of the record decoder and of every "
                        "language's literal renderer (no Docker)")
    fz.add_argument("--minutes", type=float, default=3.0,
                    help="total time, shared equally by the targets [default: %(default)s]")
    fz.add_argument("--targets", default="",
                    help="comma-separated target names [default: all]")
    fz.add_argument("--out", type=Path, default=HERE / "FUZZ.md",
                    help="Markdown report [default: benchmarks/FUZZ.md]")
    tr = sub.add_parser("transform", help="transform mutator variants of HumanEval-X: "
                        "pass rate in the sandbox per language and rewrite kind")
    tr.add_argument("--dataset", type=Path, default=HX_DATASET,
                    help="HumanEval-X directory [default: %(default)s]")
    tr.add_argument("--languages", default="python,cpp,java,javascript,go,rust",
                    help="comma-separated record languages [default: %(default)s]")
    tr.add_argument("--count", type=int, default=3, help="variants per seed [default: 3]")
    tr.add_argument("--max-rewrites", type=int, default=3,
                    help="rewrites per variant at most [default: 3]")
    tr.add_argument("--rewrites", default="all", help="kinds joined by '+' [default: all]")
    tr.add_argument("--seed", type=int, default=0, help="rng seed [default: 0]")
    tr.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="containers per image [default: os.cpu_count() = %(default)s]")
    tr.add_argument("--out", type=Path, default=HERE / "TRANSFORM.md",
                    help="Markdown report [default: benchmarks/TRANSFORM.md]")
    sg = sub.add_parser("strengthen", help="strengthen mutator on HumanEval: cases added, "
                        "mutation score seed vs strengthened, references passing")
    sg.add_argument("--dataset", type=Path, default=DEFAULT_DATASET,
                    help="HumanEval JSONL(.gz) [default: %(default)s]")
    sg.add_argument("--limit", type=int, default=None,
                    help="only the first N problems [default: all]")
    sg.add_argument("--seed", type=int, default=0, help="rng seed [default: 0]")
    sg.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="containers per image [default: os.cpu_count() = %(default)s]")
    sg.add_argument("--out", type=Path, default=HERE / "STRENGTHEN.md",
                    help="Markdown report [default: benchmarks/STRENGTHEN.md]")
    tl = sub.add_parser("translate", help="translate mutator: HumanEval in seven languages, "
                        "HumanEval-X's canonical solutions vs the translated tests, determinism")
    tl.add_argument("--humaneval", type=Path, default=DEFAULT_DATASET,
                    help="HumanEval JSONL(.gz) [default: %(default)s]")
    tl.add_argument("--humaneval-x", type=Path, default=HX_DATASET,
                    help="HumanEval-X directory [default: %(default)s]")
    tl.add_argument("--seed", type=int, default=0, help="expand --seed [default: 0]")
    tl.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="-j of import, expand and verify [default: %(default)s]")
    tl.add_argument("--out", type=Path, default=HERE / "TRANSLATE.md",
                    help="Markdown report [default: benchmarks/TRANSLATE.md]")
    ex = sub.add_parser("expand", help="HumanEval through codeaug expand (transform, rename, "
                        "io): variants per seed, candidates and rejections per mutator")
    ex.add_argument("--dataset", type=Path, default=DEFAULT_DATASET,
                    help="HumanEval JSONL(.gz) [default: %(default)s]")
    ex.add_argument("--mutators", default="transform,rename,io",
                    help="comma-separated [default: %(default)s]")
    ex.add_argument("--seed", type=int, default=0, help="expand --seed [default: 0]")
    ex.add_argument("--jobs", type=int, default=None, help="expand -j [default: its own]")
    ex.add_argument("--out", type=Path, default=HERE / "EXPAND.md",
                    help="Markdown report [default: benchmarks/EXPAND.md]")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    if args.suite == "expand":
        from benchmarks import expand

        mutators = tuple(m.strip() for m in args.mutators.split(",") if m.strip())
        expand.run(args.dataset, mutators, args.seed, args.jobs, args.out)
        return 0
    if args.suite == "translate":
        from benchmarks import translate

        return translate.run(args.humaneval, args.humaneval_x, args.seed, args.jobs, args.out,
                             "python -m benchmarks " + shlex.join(argv))
    if args.suite == "fuzz":
        from benchmarks import fuzz

        if args.minutes <= 0:
            parser().error("--minutes must be positive")
        only = [t.strip() for t in args.targets.split(",") if t.strip()] or None
        return fuzz.run(args.minutes, args.out, only)
    if args.suite == "scale":
        from benchmarks import scale

        return scale.run(args.items, args.jobs, args.dataset, args.out)
    if args.suite == "strengthen":
        from benchmarks import strengthen

        return strengthen.run(args.dataset, args.limit, args.seed, args.jobs, args.out,
                              "python -m benchmarks " + shlex.join(argv))
    if args.suite == "transform":
        from benchmarks import transform

        languages = tuple(k.strip() for k in args.languages.split(",") if k.strip())
        return transform.run(args.dataset, args.count, args.max_rewrites, args.rewrites,
                             args.seed, args.jobs, languages, args.out,
                             "python -m benchmarks " + shlex.join(argv))
    if args.suite == "humaneval-x":
        return humaneval_x(args, argv)
    if args.repeat < 1 or args.jobs < 1 or args.peer_repeat < 1:
        parser().error("--repeat, --jobs and --peer-repeat must be at least 1")
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = sorted(set(names) - set(SYSTEM_NAMES))
    if unknown or not names:
        parser().error(f"unknown systems: {', '.join(unknown) or '(none given)'}; "
                       f"choose from {', '.join(SYSTEM_NAMES)}")
    from benchmarks import humaneval

    assert humaneval.SYSTEM_NAMES == SYSTEM_NAMES
    command = "python -m benchmarks " + shlex.join(argv)
    return humaneval.main(args.dataset, args.repeat, args.jobs, args.out,
                          None if args.no_chart else args.chart, command, names,
                          args.peer_repeat)


def humaneval_x(args: argparse.Namespace, argv: list[str]) -> int:
    if args.repeat < 1 or args.compiled_repeat < 1 or args.jobs < 1:
        parser().error("--repeat, --compiled-repeat and --jobs must be at least 1")
    aliases = {"javascript": "js", "c++": "cpp"}

    def keys(text: str) -> list[str]:
        found = [aliases.get(k.strip().lower(), k.strip().lower())
                 for k in text.split(",") if k.strip()]
        unknown = sorted(set(found) - set(HX_LANGUAGES))
        if unknown:
            parser().error(f"unknown languages: {', '.join(unknown)}; "
                           f"choose from {', '.join(HX_LANGUAGES)}")
        return list(dict.fromkeys(found))

    languages = keys(args.languages)
    if not languages:
        parser().error("--languages: none given")
    from benchmarks import humaneval_x as suite

    assert (suite.LANGUAGES, suite.DEFAULT_WARM) == (HX_LANGUAGES, HX_WARM)
    command = "python -m benchmarks " + shlex.join(argv)
    return suite.main(args.dataset, languages, args.repeat, args.compiled_repeat, args.jobs,
                      keys(args.warm), args.out, command)


if __name__ == "__main__":
    sys.exit(main())
