"""Seeds in, verified variants out: the library behind ``codeaug expand``.

Three stages, streaming:

1. **mutate** — each seed goes through the chosen mutators, chained up to ``depth``
   (a mutator is not applied right after itself). Seeds are spread over worker
   processes with ``multiprocess`` (each loads the plugins itself); results come back
   in seed order, and every random choice comes from a :class:`random.Random` seeded
   from ``--seed``, the seed id, the mutator and the depth, so the variants do not
   depend on the number of workers or on timing.
2. **solve and dedupe** — a variant without a solution asks the solvers; exact
   duplicates (same language, same prompt and solution up to whitespace) are dropped.
3. **verify** — everything goes through :class:`codeaug.verify.Verifier` (warm
   sandboxes, verdict cache, constraints); passed items then meet the filters.

``dataset.jsonl`` receives what passed, ``rejected.jsonl`` the rest with the verdict,
``problems.jsonl`` the variants no solver could solve (useful problems on their own),
and ``manifest.json`` the command, versions, images and counts, computed from the files
themselves. Output is a pure function of the inputs and ``--seed``; an interrupted run
continues with ``--resume`` and skips what its files already hold.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import msgspec

import codeaug
from codeaug.candidates import CandidatesSolver
from codeaug.errors import PluginError, RecordError
from codeaug.mutator import (
    MutatorSpec,
    MutatorSpecError,
    Skipped,
    build_params,
    parse_spec,
    with_provenance,
)
from codeaug.plugins import Plugins, get_plugins
from codeaug.record import Problem, decode_problem, encode_problem, iter_problems
from codeaug.solver import Solver
from codeaug.verdict import Status, Verdict
from codeaug.verify import (
    Decided,
    JsonlAppender,
    Reporter,
    SilentReporter,
    Verifier,
    VerifyOptions,
    VerifySummary,
    done_ids,
    with_verification,
)

DATASET = "dataset.jsonl"
REJECTED = "rejected.jsonl"
PROBLEMS = "problems.jsonl"
MANIFEST = "manifest.json"


@dataclass
class ExpandOptions:
    """What ``codeaug expand`` was asked to do (see its ``--help``)."""

    mutators: list[str]
    depth: int = 1
    per_seed: int | None = None
    seed: int = 0
    workers: int = 1
    solvers: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    input_format: str | None = None
    candidates: Path | None = None
    strict: bool = False
    verify: VerifyOptions = field(default_factory=VerifyOptions)


@dataclass
class ExpandStats:
    """What the mutation stage did; the verdict counts come from the output files."""

    seeds: int = 0
    invalid: int = 0
    candidates: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)
    skipped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    plugin_errors: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- mutating


def resolve_specs(plugins: Plugins, texts: Iterable[str]) -> list[MutatorSpec]:
    """``--mutator`` texts to validated specs; an unknown name or bad parameter raises
    :class:`MutatorSpecError` (a usage error) before anything runs."""
    specs = []
    for text in texts:
        name, raw = parse_spec(text)
        if name not in plugins.mutators:
            known = ", ".join(sorted(m.name for m in plugins.mutators)) or "none installed"
            raise MutatorSpecError(f"--mutator {text}: no mutator named {name!r} "
                                   f"(known: {known})")
        mutator = plugins.mutators.get(name)
        specs.append(MutatorSpec(mutator, build_params(mutator, raw)))
    return specs


def rng_for(base_seed: int, problem_id: str, spec: MutatorSpec, depth: int) -> random.Random:
    """The one source of randomness for one mutator call: independent of order and
    workers, different for every (seed, problem, mutator, parameters, depth)."""
    key = json.dumps([base_seed, problem_id, spec.name, spec.params_dict(), depth],
                     sort_keys=True)
    return random.Random(hashlib.sha256(key.encode()).digest())


@dataclass
class SeedResult:
    """Everything the mutation stage made of one seed (picklable, for workers)."""

    variants: list[bytes] = field(default_factory=list)  # encoded problems
    skipped: list[tuple[str, str, bytes | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def mutate_seed(seed: Problem, specs: list[MutatorSpec], plugins: Plugins, depth: int,
                base_seed: int, strict: bool) -> SeedResult:
    """All variants of one seed, breadth first up to ``depth`` mutations deep."""
    result = SeedResult()
    level = [seed]
    for d in range(1, depth + 1):
        following: list[Problem] = []
        for parent in level:
            last = (parent.meta.get("mutations") or [{}])[-1].get("name")
            for spec in specs:
                if spec.name == last:
                    continue
                reason = spec.mutator.skip_reason(parent)
                if reason:
                    result.skipped.append((spec.name, reason, None))
                    continue
                owner = plugins.mutators.owner(spec.name)
                rng = rng_for(base_seed, parent.id, spec, d)
                try:
                    for out in spec.mutator.mutate(parent, spec.params, rng):
                        if isinstance(out, Skipped):
                            record = None
                            if out.record:
                                record = encode_problem(msgspec.structs.replace(
                                    parent, meta={**parent.meta, "skipped_by": spec.name}))
                            result.skipped.append((spec.name, out.reason, record))
                            continue
                        following.append(with_provenance(parent, out, spec, owner))
                except Exception as exc:  # a plugin's bug is reported, not fatal
                    error = PluginError(owner, f"mutator {spec.name} raised {exc!r} "
                                               f"on {parent.id}")
                    if strict:
                        raise error from exc
                    result.errors.append(str(error))
        result.variants.extend(encode_problem(p) for p in following)
        level = following
    return result


_worker: dict[str, Any] = {}


def _init_worker(spec_texts: list[str], strict: bool) -> None:
    plugins = get_plugins(strict=strict)
    _worker.update(plugins=plugins, specs=resolve_specs(plugins, spec_texts))


def _mutate_in_worker(args: tuple[bytes, int, int, bool]) -> SeedResult:
    data, depth, base_seed, strict = args
    seed = decode_problem(data)
    return mutate_seed(seed, _worker["specs"], _worker["plugins"], depth, base_seed, strict)


def normalised_key(problem: Problem) -> str:
    """What makes two variants the same: language, prompt and solution (whitespace runs
    collapsed), and tests (a strengthened variant differs from its parent only there)."""
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    tests = msgspec.json.encode(problem.tests).decode()
    data = "\0".join([problem.language.lower(), norm(problem.prompt), norm(problem.solution),
                      tests])
    return hashlib.sha256(data.encode()).hexdigest()


def reason_kind(reason: str) -> str:
    """A rejection reason without its particulars (values, line numbers), so the manifest
    can count rejections by kind: ``"case 3: expected 5, got 4"`` -> ``"case N: expected
    N, got N"``."""
    first = reason.splitlines()[0] if reason else "(no reason)"
    first = re.sub(r"\d+(\.\d+)?", "N", first)
    return first if len(first) <= 80 else first[:79] + "…"


def chain_name(problem: Problem) -> str:
    """``rename>transform`` for a variant made by rename then transform."""
    return ">".join(m.get("name", "?") for m in problem.meta.get("mutations", [])) or "seed"


# ----------------------------------------------------------------------- the pipeline


class Expander:
    """Runs the three stages over a seed file and writes the output directory."""

    def __init__(self, plugins: Plugins, client: docker.DockerClient, options: ExpandOptions,
                 reporter: Reporter | None = None) -> None:
        self.plugins = plugins
        self.client = client
        self.options = options
        self.reporter = reporter or SilentReporter()
        self.specs = resolve_specs(plugins, options.mutators)
        self.solvers: list[Solver] = [plugins.solvers.get(n) for n in options.solvers]
        self.candidates = CandidatesSolver(options.candidates) if options.candidates else None
        if self.candidates is not None:  # a model's answers first, then the plugins'
            self.solvers.insert(0, self.candidates)
        self.filters = [plugins.filters.get(n) for n in options.filters]
        self.stats = ExpandStats()

    # -- stage 1
    def _seeds(self, source: Path) -> Iterator[Problem | RecordError]:
        if self.options.input_format:
            return self.plugins.formats.get(self.options.input_format).read(source)
        return iter_problems(source)

    def _mutations(self, source: Path) -> Iterator[tuple[Problem, SeedResult]]:
        """(seed, what became of it) in seed order."""
        seeds: list[Problem] = []

        def valid() -> Iterator[Problem]:
            for record in self._seeds(source):
                if isinstance(record, RecordError):
                    self.stats.invalid += 1
                    self.reporter.bad_record(record)
                    continue
                self.stats.seeds += 1
                seeds.append(record)
                yield record

        opts = self.options
        if opts.workers <= 1:
            for seed in valid():
                seeds.pop()
                yield seed, mutate_seed(seed, self.specs, self.plugins, opts.depth,
                                        opts.seed, opts.strict)
            return
        import multiprocess  # type: ignore[import-untyped]

        pool = multiprocess.Pool(opts.workers, initializer=_init_worker,
                                 initargs=(opts.mutators, opts.strict))
        finished = False
        try:
            work = ((encode_problem(s), opts.depth, opts.seed, opts.strict) for s in valid())
            for result in pool.imap(_mutate_in_worker, work, chunksize=4):
                yield seeds.pop(0), result
            # A clean end lets the workers exit by themselves: Pool's own __exit__
            # terminates them, which can hang on a worker holding the task-queue lock.
            pool.close()
            pool.join()
            finished = True
        finally:
            if not finished:
                pool.terminate()

    # -- stage 2
    def _candidates(self, source: Path) -> Iterator[Problem | Decided]:
        seen: set[str] = set()
        for seed, result in self._mutations(source):
            seen.add(normalised_key(seed))
            for message in result.errors:
                self.stats.plugin_errors.append(message)
                self.reporter.message(f"plugin error: {message}")
            for name, reason, record in result.skipped:
                self.stats.skipped[name][reason] += 1
                if record is not None:
                    skipped = decode_problem(record)
                    skipped = msgspec.structs.replace(
                        skipped, id=f"{skipped.id}~{name}-skipped")
                    yield Decided(skipped, Verdict(Status.SKIPPED, f"{name}: {reason}"))
            variants = [decode_problem(v) for v in result.variants]
            if self.options.per_seed is not None and len(variants) > self.options.per_seed:
                rng = random.Random(f"{self.options.seed}:{seed.id}:per-seed")
                keep = sorted(rng.sample(range(len(variants)), self.options.per_seed))
                variants = [variants[i] for i in keep]
            for variant in variants:
                chain = chain_name(variant)
                key = normalised_key(variant)
                if key in seen:
                    self.stats.duplicates[chain] += 1
                    continue
                seen.add(key)
                self.stats.candidates[chain] += 1
                yield self._solved(variant)

    def _solved(self, variant: Problem) -> Problem | Decided:
        if variant.solution.strip():
            return variant
        for solver in self.solvers:
            rng = random.Random(f"{self.options.seed}:{variant.id}:{solver.name}")
            try:
                candidate = next(iter(solver.solve(variant, rng)), None)
            except Exception as exc:
                owner = (self.plugins.solvers.owner(solver.name)
                         if solver.name in self.plugins.solvers else "codeaug")
                message = str(PluginError(owner, f"solver {solver.name} raised {exc!r}"))
                if self.options.strict:
                    raise PluginError(owner, message) from exc
                self.stats.plugin_errors.append(message)
                continue
            if candidate:
                meta = {**variant.meta, "solver": {"name": solver.name,
                                                   "version": solver.version}}
                return msgspec.structs.replace(variant, solution=candidate, meta=meta)
        return Decided(variant, Verdict(Status.UNSOLVED, "no solution: the mutator did not "
                                        "carry one and no solver proposed one"))

    # -- stage 3
    def run(self, source: Path, outdir: Path, *, resume: bool = False) -> dict[str, Any]:
        """Expand ``source`` into ``outdir``; return the manifest."""
        outdir.mkdir(parents=True, exist_ok=True)
        paths = {name: outdir / name for name in (DATASET, REJECTED, PROBLEMS)}
        skip = done_ids(paths[DATASET], paths[REJECTED]) if resume else set()
        outs = {name: JsonlAppender(path, fresh=not resume) for name, path in paths.items()}
        summary = VerifySummary()
        verifier = Verifier(self.plugins, self.client, self.options.verify, self.reporter)
        verifier.before_wait[:] = [o.flush for o in outs.values()]
        self.reporter.start(None)
        for error in self.candidates.errors if self.candidates else []:
            self.reporter.bad_record(error)
        try:
            for item, verdict in verifier.verify_stream(self._candidates(source), summary,
                                                        skip):
                if verdict.passed:
                    verdict = self._filtered(item.problem, verdict)
                record = with_verification(item, verdict, deterministic=True)
                if verdict.status is Status.UNSOLVED:
                    outs[PROBLEMS].write(encode_problem(item.problem))
                outs[DATASET if verdict.passed else REJECTED].write(encode_problem(record))
        finally:
            for out in outs.values():
                out.close()
        manifest = self.manifest(outdir, summary)
        (outdir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return manifest

    def _filtered(self, problem: Problem, verdict: Verdict) -> Verdict:
        for filter_ in self.filters:
            try:
                reason = filter_.reject(problem, verdict)
            except Exception as exc:
                owner = self.plugins.filters.owner(filter_.name)
                if self.options.strict:
                    raise PluginError(owner, f"filter {filter_.name} raised {exc!r}") from exc
                self.stats.plugin_errors.append(f"plugin {owner!r}: filter {filter_.name} "
                                                f"raised {exc!r}")
                continue
            if reason:
                return msgspec.structs.replace(
                    verdict, status=Status.FILTERED, reason=f"{filter_.name}: {reason}")
        return verdict

    def manifest(self, outdir: Path, summary: VerifySummary) -> dict[str, Any]:
        """Command-independent facts about the run; counts are read back from the files
        so they agree with them even after ``--resume``."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        reasons: dict[str, Counter[str]] = defaultdict(Counter)
        lines: dict[str, int] = {}
        for name in (DATASET, REJECTED, PROBLEMS):
            lines[name] = 0
            path = outdir / name
            with open(path, "rb") as f:
                for number, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    lines[name] += 1
                    if name == PROBLEMS:
                        continue
                    problem = decode_problem(line, path=str(path), line=number)
                    verification = problem.meta.get("verification", {})
                    status = verification.get("status", "?")
                    counts[chain_name(problem)][status] += 1
                    if status != Status.PASSED.value:
                        reasons[chain_name(problem)][
                            f"{status}: {reason_kind(verification.get('reason', ''))}"] += 1
        info = {p.name: {"distribution": p.distribution, "version": p.version}
                for p in self.plugins.info}
        return {
            "codeaug": codeaug.__version__,
            "options": {"mutators": [{"name": s.name, "version": s.mutator.version,
                                      "params": s.params_dict(),
                                      "plugin": self.plugins.mutators.owner(s.name)}
                                     for s in self.specs],
                        "depth": self.options.depth, "per_seed": self.options.per_seed,
                        "seed": self.options.seed,
                        "solvers": self.options.solvers, "filters": self.options.filters,
                        "candidates": str(self.options.candidates)
                        if self.options.candidates else None},
            "plugins": info,
            "images": dict(sorted(summary.images.items())),
            "seeds": {"read": self.stats.seeds, "invalid": self.stats.invalid},
            "candidates": dict(sorted(self.stats.candidates.items())),
            "duplicates": dict(sorted(self.stats.duplicates.items())),
            "skipped": {k: dict(sorted(v.items())) for k, v in sorted(self.stats.skipped.items())},
            "plugin_errors": self.stats.plugin_errors,
            "verdicts": {k: dict(sorted(v.items())) for k, v in sorted(counts.items())},
            "rejected_because": {k: dict(v.most_common()) for k, v in sorted(reasons.items())},
            "files": lines,
        }


def expand_file(source: Path, outdir: Path, options: ExpandOptions, client: docker.DockerClient,
                *, resume: bool = False, plugins: Plugins | None = None,
                reporter: Reporter | None = None) -> dict[str, Any]:
    """Convenience wrapper: load plugins, expand ``source`` into ``outdir``."""
    plugins = plugins or get_plugins(strict=options.strict)
    return Expander(plugins, client, options, reporter).run(source, outdir, resume=resume)
