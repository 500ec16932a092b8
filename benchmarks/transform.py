"""``python -m benchmarks transform``: do `transform` variants still pass their seed's tests?

Every HumanEval-X problem (164 per language, six languages) is transformed with the
built-in ``transform`` mutator (``count`` variants each, rng seeded from ``--seed`` and the
problem id, so a rerun makes the same variants), every variant is verified in the sandbox
against the seed's own tests, and the pass rate is reported per language and per rewrite
kind (a variant counts for every kind it applied). Seeds that fail upstream (documented
in benchmarks.humaneval_x) are left out: their variants cannot pass either. Every failure
is listed with its rewrites, because each one is a bug in the transform.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.transform_mutator import KINDS, TransformMutator, TransformParams

from benchmarks.environment import collect
from codeaug.errors import RecordError
from codeaug.executor.docker_api import connect
from codeaug.mutator import Skipped, Variant, variant_id
from codeaug.plugins import get_plugins
from codeaug.record import Problem
from codeaug.verify import Verifier, VerifyOptions, VerifySummary

#: HumanEval-X seeds whose canonical solution fails (or flakes) upstream.
EXCLUDED = {
    "JavaScript/112": "the canonical solution fails its own test upstream",
    "JavaScript/155": "the canonical solution fails its own test upstream",
    "Rust/32": "the whole test is inside a /* */ comment: no test runs",
    "Go/95": "flaky upstream: depends on Go's random map iteration order",
}
LANGUAGES = ("python", "cpp", "java", "javascript", "go", "rust")
TARGET = 0.99


@dataclass
class Outcome:
    seed: str
    problem: Problem
    kinds: list[str]
    rewrites: list[str]
    passed: bool = False
    reason: str = ""


@dataclass
class Tally:
    total: int = 0
    passed: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.passed += ok

    def rate(self) -> str:
        return f"{100 * self.passed / self.total:.2f}%" if self.total else "-"


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)
    seeds: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def make_variants(dataset: Path, count: int, max_rewrites: int, rewrites: str, seed: int,
                  languages: tuple[str, ...]) -> Result:
    """Transform every usable seed; variants get ids as ``codeaug expand`` gives them."""
    mutator = TransformMutator()
    params = TransformParams(rewrites=rewrites, max_rewrites=max_rewrites, count=count)
    builtins = msgspec.to_builtins(params)
    result = Result()
    for record in HumanEvalXFormat().read(dataset):
        if isinstance(record, RecordError):
            raise ValueError(f"{dataset}: unreadable record: {record}")
        if record.language not in languages or record.id in EXCLUDED:
            continue
        result.seeds[record.language] += 1
        rng = random.Random(f"{seed}:{record.id}")
        for item in mutator.mutate(record, params, rng):
            if isinstance(item, Skipped):
                result.skipped[record.language] += 1
                continue
            assert isinstance(item, Variant)
            problem = msgspec.structs.replace(
                item.problem, id=variant_id(record.id, mutator.name, item.label, builtins))
            result.outcomes.append(Outcome(record.id, problem, item.details["kinds"],
                                           item.details["rewrites"]))
    return result


def verify(result: Result, jobs: int) -> None:
    verifier = Verifier(get_plugins(), connect(), VerifyOptions(jobs=jobs, cache=False))
    t0 = time.perf_counter()
    verdicts = []
    for _, verdict in verifier.verify_stream([o.problem for o in result.outcomes],
                                             VerifySummary()):
        verdicts.append(verdict)
        if not verdict.passed:
            o = result.outcomes[len(verdicts) - 1]
            print(f"  FAILED {o.seed}: {'; '.join(o.rewrites)} -> {verdict.status.value} "
                  f"{(verdict.reason or '')[:200]}", flush=True)
        if len(verdicts) % 100 == 0:
            print(f"  {len(verdicts)}/{len(result.outcomes)} verified, "
                  f"{sum(not v.passed for v in verdicts)} failed, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    result.seconds = time.perf_counter() - t0
    for outcome, verdict in zip(result.outcomes, verdicts, strict=True):
        outcome.passed = verdict.passed
        if not verdict.passed:
            outcome.reason = f"{verdict.status.value}: {verdict.reason or ''}"[:300]


def report(result: Result, command: str, env: dict[str, str], params: str) -> str:
    by_lang: dict[str, Tally] = {lang: Tally() for lang in LANGUAGES}
    by_kind: dict[str, Tally] = {k: Tally() for k in KINDS}
    cell: dict[tuple[str, str], Tally] = {}
    overall = Tally()
    for o in result.outcomes:
        lang = o.problem.language
        by_lang.setdefault(lang, Tally()).add(o.passed)
        overall.add(o.passed)
        for k in o.kinds:
            by_kind[k].add(o.passed)
            cell.setdefault((lang, k), Tally()).add(o.passed)
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    verdict = "meets" if overall.total and overall.passed / overall.total >= TARGET else \
        "DOES NOT meet"
    lines = [
        "# Benchmark: `transform` variants of HumanEval-X, verified in the sandbox",
        "",
        f"Generated by `{command}` on {now}.",
        "",
        "Every HumanEval-X problem is transformed by the built-in `transform` mutator "
        f"({params}); every variant runs the seed's own tests in the sandbox. A variant "
        "counts for each rewrite kind it applied. Seeds that fail upstream are left out "
        "(listed below).",
        "",
        f"**Overall: {overall.passed}/{overall.total} variants pass ({overall.rate()}), which "
        f"{verdict} the {TARGET:.0%} target.** Verification took {result.seconds:.0f} s.",
        "",
        "## Per language",
        "",
        "| language | seeds | seeds without a variant | variants | passed | pass rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for lang, t in by_lang.items():
        if t.total or result.seeds[lang]:
            lines.append(f"| {lang} | {result.seeds[lang]} | {result.skipped[lang]} | "
                         f"{t.total} | {t.passed} | {t.rate()} |")
    lines += ["", "## Per rewrite kind", "",
              "| kind | variants | passed | pass rate | " + " | ".join(LANGUAGES) + " |",
              "|---|---:|---:|---:|" + "---:|" * len(LANGUAGES)]
    for k, t in by_kind.items():
        per = " | ".join(f"{c.passed}/{c.total}" if (c := cell.get((lang, k))) else "-"
                         for lang in LANGUAGES)
        lines.append(f"| {k} | {t.total} | {t.passed} | {t.rate()} | {per} |")
    failures = [o for o in result.outcomes if not o.passed]
    lines += ["", f"## Failures ({len(failures)})", ""]
    lines += [f"- `{o.seed}` (`{o.problem.id}`): "
              f"{'; '.join(o.rewrites)} -> {o.reason}" for o in failures] or ["None."]
    lines += ["", "## Seeds left out", ""]
    lines += [f"- {k}: {why}" for k, why in EXCLUDED.items()]
    lines += ["", "## Environment", ""]
    lines += [f"- **{k}**: {v}" for k, v in env.items()]
    return "\n".join(lines) + "\n"


def run(dataset: Path, count: int, max_rewrites: int, rewrites: str, seed: int, jobs: int,
        languages: tuple[str, ...], out: Path, command: str) -> int:
    result = make_variants(dataset, count, max_rewrites, rewrites, seed, languages)
    print(f"{len(result.outcomes)} variants of {sum(result.seeds.values())} seeds; verifying "
          f"with {jobs} containers per image ...", flush=True)
    env = collect(connect(), command)
    verify(result, jobs)
    params = f"count={count}, max_rewrites={max_rewrites}, rewrites={rewrites}, seed={seed}"
    text = report(result, command, env, params)
    out.write_text(text, encoding="utf-8")
    print(text)
    passed = sum(o.passed for o in result.outcomes)
    total = len(result.outcomes)
    print(f"transform pass rate: {passed}/{total} = {100 * passed / max(total, 1):.2f}% "
          f"(report: {out})", file=sys.stderr)
    return 0 if total and passed / total >= TARGET else 1
