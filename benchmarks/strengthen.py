"""``python -m benchmarks strengthen``: how much stronger does `strengthen` make HumanEval?

HumanEval is imported with its calls recorded (``codeaug import humaneval --record-calls``:
the seed suites are exactly the calls HumanEval's own asserts make), every ``calls``
problem is strengthened with the built-in ``strengthen`` mutator (rng seeded from
``--seed`` and the problem id), and three figures are measured:

* cases added per problem (mean, min, max);
* the mutation score (:mod:`codeaug.mutants`: the share of simple mutants of the
  reference that the tests reject) of the seed suite and of the strengthened suite, on
  the same mutants, averaged over the problems that have mutants;
* how many strengthened variants' references pass ``verify`` (the real Verifier, no
  cache): it must be all of them.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

import msgspec

from benchmarks.environment import collect
from codeaug.executor.docker_api import connect
from codeaug.mutants import mutation_scores, problem_mutants
from codeaug.mutator import Variant
from codeaug.oracle import Oracle, use_oracle
from codeaug.plugins import get_plugins
from codeaug.record import CallsTests, Problem
from codeaug.recording import RecordOptions, record_calls
from codeaug.verify import Verifier, VerifyOptions, VerifySummary

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "humaneval" \
    / "HumanEval.jsonl.gz"


def load(dataset: Path, limit: int | None, client: object, jobs: int) -> tuple[
        list[Problem], int]:
    """HumanEval with recorded calls tests; the number read in total."""
    plugins = get_plugins()
    records = [r for r in plugins.formats.get("humaneval").read(dataset)
               if isinstance(r, Problem)]
    if limit is not None:
        records = records[:limit]
    recorded = [p for p, _ in record_calls(records, client=client,
                                           options=RecordOptions(jobs=jobs))]
    return [p for p in recorded if isinstance(p.tests, CallsTests)], len(records)


def run(dataset: Path, limit: int | None, seed: int, jobs: int, out: Path,
        command: str) -> int:
    started = time.monotonic()
    client = connect()
    plugins = get_plugins()
    mutator = plugins.mutators.get("strengthen")
    params = mutator.Params()
    problems, read = load(dataset, limit, client, jobs)
    print(f"{read} HumanEval problems, {len(problems)} with recorded calls tests",
          flush=True)
    variants: list[tuple[Problem, Problem, dict[str, object]]] = []
    skipped: dict[str, str] = {}
    with Oracle(client, jobs=jobs, timeout=params.timeout) as oracle, use_oracle(oracle):
        for i, problem in enumerate(problems, 1):
            rng = random.Random(f"{seed}:{problem.id}:strengthen")
            outs = list(mutator.mutate(problem, params, rng))
            out_v = outs[0] if outs else None
            if isinstance(out_v, Variant):
                variants.append((problem, out_v.problem, out_v.details))
                d = out_v.details
                print(f"[{i}/{len(problems)}] {problem.id}: +{d['added']} cases "
                      f"({d['mutant_killers']} mutant killers, mutants killed "
                      f"{d['killed_by_seed']} -> {d['killed_after']} of {d['mutants']})",
                      flush=True)
            else:
                skipped[problem.id] = getattr(out_v, "reason", "no output")
                print(f"[{i}/{len(problems)}] {problem.id}: skipped: {skipped[problem.id]}",
                      flush=True)
        strengthen_seconds = time.monotonic() - started
        seeds = [s for s, _, _ in variants]
        strong = [v for _, v, _ in variants]
        sets = [problem_mutants(s, plugins) for s in seeds]
        seed_scores = mutation_scores(seeds, oracle, mutant_sets=sets)
        strong_scores = mutation_scores(strong, oracle, mutant_sets=sets)
    verifier = Verifier(plugins, client, VerifyOptions(jobs=jobs, cache=False))
    verdicts = [v for _, v in verifier.verify_stream(
        [msgspec.structs.replace(v, id=f"{v.id}~strengthen") for v in strong],
        VerifySummary())]
    failed = [(p.id, v.reason) for p, v in zip(strong, verdicts, strict=True) if not v.passed]
    added = [int(d["added"]) for _, _, d in variants]  # type: ignore[call-overload]
    pairs = [(a.score, b.score) for a, b in zip(seed_scores, strong_scores, strict=True)
             if a.score is not None and b.score is not None]
    lower = [p.id for p, a, b in zip(seeds, seed_scores, strong_scores, strict=True)
             if a.score is not None and b.score is not None and b.score < a.score]
    mean_seed = statistics.fmean(a for a, _ in pairs) if pairs else float("nan")
    mean_strong = statistics.fmean(b for _, b in pairs) if pairs else float("nan")
    improved = sum(1 for a, b in pairs if b > a)
    total_mutants = sum(s.total for s in seed_scores)
    killed_seed = sum(s.killed for s in seed_scores)
    killed_strong = sum(s.killed for s in strong_scores)
    elapsed = time.monotonic() - started
    ok = (bool(added) and statistics.fmean(added) >= 20 and mean_strong > mean_seed
          and not failed)
    lines = [
        "# strengthen on HumanEval",
        "",
        f"`{command}` — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{elapsed:.0f} s in total ({strengthen_seconds:.0f} s strengthening), "
        f"{jobs} containers.",
        "",
        f"HumanEval problems read: {read}; with recorded `calls` tests: {len(problems)}; "
        f"strengthened: {len(variants)}; skipped: {len(skipped)}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| cases added per problem (mean / min / max) | "
        f"{statistics.fmean(added) if added else 0:.1f} / {min(added, default=0)} / "
        f"{max(added, default=0)} |",
        f"| seed cases per problem (mean) | "
        f"{statistics.fmean(len(s.tests.cases) for s in seeds) if seeds else 0:.1f} |",  # type: ignore[union-attr]
        f"| mean mutation score, seed suites | {mean_seed:.4f} |",
        f"| mean mutation score, strengthened suites | {mean_strong:.4f} |",
        f"| problems with mutants (scored) | {len(pairs)} |",
        f"| problems whose score went up / down | {improved} / {len(lower)} |",
        f"| mutants killed in total, seed -> strengthened | {killed_seed} -> "
        f"{killed_strong} of {total_mutants} |",
        f"| strengthened references passing `verify` | "
        f"{len(strong) - len(failed)} / {len(strong)} |",
        "",
        f"Done-when (>= 20 cases added on average, strengthened score beats the seed's, "
        f"every reference passes): **{'met' if ok else 'NOT met'}**.",
        "",
        "Mutants: operator swaps, integer constants moved by one and negated conditions "
        "(`plugins/queries/python/mutants.scm`), at most 40 per problem, the same set for "
        "both suites; a mutant that times out or errors counts as rejected. Equivalent "
        "mutants (no input can tell them apart) are not detected, so 1.0 is not always "
        "reachable.",
    ]
    if skipped:
        lines += ["", "## Skipped", ""] + [f"- {k}: {v}" for k, v in skipped.items()]
    if failed:
        lines += ["", "## Strengthened references failing verify", ""] + [
            f"- {k}: {v}" for k, v in failed]
    if lower:
        lines += ["", "## Scores that went down", ""] + [f"- {k}" for k in lower]
    survivors = [(p.id, s.survivors) for p, s in zip(seeds, strong_scores, strict=True)
                 if s.survivors]
    if survivors:
        lines += ["", "## Surviving mutants of the strengthened suites (first 30 problems)",
                  ""] + [f"- {k}: {'; '.join(v[:4])}" for k, v in survivors[:30]]
    env = collect(client, command)
    lines += ["", "## Environment", "", *(f"- {k}: {v}" for k, v in env.items())]
    text = "\n".join(lines) + "\n"
    out.write_text(text)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(DATASET, None, 0, 2, Path(__file__).with_name("STRENGTHEN.md"),
                 "python -m benchmarks.strengthen"))
