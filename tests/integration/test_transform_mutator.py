"""transform variants in the real sandbox: hypothesis draws seeds (HumanEval-X in six
languages and examples/seeds.jsonl) and mutator parameters; every variant it makes must
pass the seed's own tests. The draws are collected first and verified in one batch per
language, so the test stays within a few minutes; a failure names the seed, the
rewrites and the verdict, and is a bug in the transform."""

from __future__ import annotations

import random
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.transform_mutator import KINDS, TransformMutator, TransformParams
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from codeaug.errors import RecordError
from codeaug.mutator import Variant
from codeaug.record import Problem, decode_problem
from codeaug.testing import verify_problems
from codeaug.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[2]
#: Seeds whose reference fails (or flakes) upstream: their variants cannot pass either.
UPSTREAM_BROKEN = {"JavaScript/112", "JavaScript/155", "Rust/32", "Go/95"}
#: Draws per language: compiled languages cost 0.3-1 s a variant.
DRAWS = {"python": 12, "javascript": 8, "cpp": 6, "java": 6, "go": 6, "rust": 6, "seeds": 10}


def _params() -> st.SearchStrategy[TransformParams]:
    kinds = st.lists(st.sampled_from(KINDS), min_size=1, max_size=len(KINDS), unique=True)
    return st.builds(lambda ks, m, c: TransformParams("+".join(ks), m, c), kinds,
                     st.integers(1, 4), st.integers(1, 3))


def _draw_variants(pool: list[Problem], draws: int) -> list[tuple[Problem, Variant]]:
    """Hypothesis draws ``draws`` (seed, params, rng seed) triples from ``pool``."""
    made: list[tuple[Problem, Variant]] = []

    @settings(max_examples=draws, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(seed=st.sampled_from(pool), params=_params(), rng_seed=st.integers(0, 2**32))
    def draw(seed: Problem, params: TransformParams, rng_seed: int) -> None:
        for item in TransformMutator().mutate(seed, params, random.Random(rng_seed)):
            if isinstance(item, Variant):
                made.append((seed, item))

    draw()
    return made


@pytest.mark.timeout(1800)  # a first use of a language builds its image; busy machines
def test_transform_variants_pass_their_seeds_tests(datasets: Path) -> None:
    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if not isinstance(r, RecordError) and r.id not in UPSTREAM_BROKEN]
    seeds = [decode_problem(line.encode()) for line in
             (ROOT / "examples" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    pools = {lang: [r for r in records if r.language == lang] for lang in DRAWS
             if lang != "seeds"}
    pools["seeds"] = seeds
    made: list[tuple[Problem, Variant]] = []
    for lang, draws in DRAWS.items():
        made += _draw_variants(pools[lang], draws)
    languages = {seed.language for seed, _ in made}
    assert languages >= {"python", "javascript", "cpp", "java", "go", "rust"}, languages
    failures = []
    for language in sorted(languages):  # one batch (one pool) per language
        batch = [(seed, v) for seed, v in made if seed.language == language]
        problems = [msgspec.structs.replace(v.problem, id=f"{seed.id}~transform-{i}")
                    for i, (seed, v) in enumerate(batch)]
        verdicts = verify_problems(problems, options=VerifyOptions(jobs=2, cache=False))
        failures += [f"{seed.id} {v.details['rewrites']}: {verdict.status.value} "
                     f"{verdict.reason}"
                     for (seed, v), verdict in zip(batch, verdicts, strict=True)
                     if not verdict.passed]
    print(f"{len(made)} transform variants verified, {len(failures)} failed")
    assert not failures, "\n".join(failures)
