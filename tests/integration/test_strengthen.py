"""The strengthen mutator, the oracle and mutation scores in the real sandbox: seeds of
examples/seeds.jsonl get many new cases that their reference passes under ``verify``,
the mutation score never drops (and rises where the seed missed mutants), a rerun with
the same rng gives the same suite, the oracle drops raises, timeouts and
non-deterministic answers, a forked worker makes its own oracle, and ``codeaug verify
--mutation-score`` reports the scores."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.strengthen_mutator import Strengthen, StrengthenParams

from codeaug.mutants import mutation_scores, problem_mutants
from codeaug.mutator import Variant
from codeaug.oracle import Oracle, current_oracle, use_oracle
from codeaug.record import CallsTests, Problem, decode_problem, encode_problem
from codeaug.testing import calls_problem, verify_problems

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
MUTATOR = Strengthen()
CHOSEN = ("examples/clamped-sum", "examples/transpose", "examples/min-max",
          "examples/first-index", "examples/split-even-odd")

# A seed whose two cases let `<` -> `<=` and off-by-one mutants through.
WEAK = calls_problem(
    "python", "t/count_below",
    "def count_below(values, limit):\n"
    "    n = 0\n"
    "    for v in values:\n"
    "        if v < limit:\n"
    "            n += 1\n"
    "    return n\n",
    [("values", "list[int]"), ("limit", "int")], "int",
    [([[1, 9, 3], 5], 2), ([[], 0], 0)])


@pytest.fixture(scope="module")
def oracle(lang_executor: object) -> Iterator[Oracle]:
    with Oracle(jobs=2, timeout=5) as o, use_oracle(o):
        yield o


@pytest.fixture(scope="module")
def lang_executor() -> None:  # the shared fixture name, unused: the oracle owns its pool
    from codeaug.executor.docker_api import connect
    from codeaug.testing import skip_or_fail
    try:
        connect(timeout=10).ping()
    except Exception as exc:
        skip_or_fail(f"Docker unavailable: {exc}")


def seeds() -> list[Problem]:
    lines = (ROOT / "examples" / "seeds.jsonl").read_text().splitlines()
    return [p for p in (decode_problem(line.encode()) for line in lines if line.strip())
            if p.id in CHOSEN] + [WEAK]


def strengthened(problem: Problem, oracle: Oracle, seed: int = 0) -> Variant:
    with use_oracle(oracle):
        [out] = MUTATOR.mutate(problem, StrengthenParams(), random.Random(seed))
    assert isinstance(out, Variant), out
    return out


def test_strengthen_adds_cases_reference_passes_score_not_lower(oracle: Oracle) -> None:
    problems = seeds()
    variants = [strengthened(p, oracle) for p in problems]
    for seed, variant in zip(problems, variants, strict=True):
        assert isinstance(variant.problem.tests, CallsTests)
        assert isinstance(seed.tests, CallsTests)
        cases = variant.problem.tests.cases
        assert cases[:len(seed.tests.cases)] == seed.tests.cases  # the seed's stay first
        assert variant.details["added"] == len(cases) - len(seed.tests.cases) >= 20
        assert variant.details["killed_after"] >= variant.details["killed_by_seed"]
    verdicts = verify_problems([msgspec.structs.replace(v.problem, id=v.problem.id + "~s")
                                for v in variants])
    assert all(v.passed for v in verdicts), [v.reason for v in verdicts]
    sets = [problem_mutants(p) for p in problems]
    before = mutation_scores(problems, oracle, mutant_sets=sets)
    after = mutation_scores([v.problem for v in variants], oracle, mutant_sets=sets)
    for seed, b, a in zip(problems, before, after, strict=True):
        assert b.reference_passed and a.reference_passed
        assert a.killed >= b.killed, seed.id
    weak = problems.index(WEAK)
    assert after[weak].killed > before[weak].killed  # the weak seed got stronger
    assert variants[weak].details["mutant_killers"] >= 1


def test_same_rng_same_suite(oracle: Oracle) -> None:
    a = strengthened(WEAK, oracle, seed=3)
    b = strengthened(WEAK, oracle, seed=3)
    c = strengthened(WEAK, oracle, seed=4)
    assert encode_problem(a.problem) == encode_problem(b.problem)
    assert a.details == b.details
    assert encode_problem(a.problem) != encode_problem(c.problem)


def test_oracle_drops_raises_timeouts_and_nondeterminism(oracle: Oracle) -> None:
    problem = calls_problem(
        "python", "t/odd", "import random\n\ndef odd(n):\n"
        "    if n == 1:\n        raise ValueError('one')\n"
        "    if n == 2:\n        while True:\n            pass\n"
        "    if n == 3:\n        return random.random()\n"
        "    return n * 10\n",
        [("n", "int")], "float", [([5], 50)])
    outs = oracle.run_calls(problem, [[5], [1], [2], [3], [6]], repeat=2)
    assert [o.kind for o in outs] == ["ok", "raised", "timeout", "nondeterministic", "ok"]
    assert outs[0].value == 50 and outs[4].value == 60  # resumed after the timeout
    assert "ValueError" in outs[1].message


def _in_worker(data: bytes) -> dict[str, object]:
    """Strengthen in a forked worker with no oracle set: it makes its own."""
    from codeaug_plugins.strengthen_mutator import Strengthen, StrengthenParams

    from codeaug.record import decode_problem
    [out] = Strengthen().mutate(decode_problem(data), StrengthenParams(max_mutants=5),
                                random.Random(1))
    return {"type": type(out).__name__, "details": getattr(out, "details", None),
            "default": current_oracle() is not None}


def test_a_worker_process_makes_its_own_oracle() -> None:
    import multiprocess  # type: ignore[import-untyped]

    with multiprocess.Pool(1) as pool:
        result = pool.apply(_in_worker, (encode_problem(WEAK),))
    assert result["type"] == "Variant", result
    assert result["details"]["added"] >= 20  # type: ignore[index]


def test_verify_mutation_score_cli(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_bytes(encode_problem(WEAK) + b"\n")
    report = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "codeaug.cli", "verify", str(data),
                          "--mutation-score", "--report", str(report), "--no-cache"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "mutation score: mean" in run.stdout
    scores = json.loads(report.read_text())["mutation_score"]
    entry = scores["problems"]["t/count_below"]
    assert 0 < entry["score"] < 1 and entry["mutants"] >= 4 and entry["survivors"]
    assert scores["mean"] == entry["score"] and scores["scored"] == 1


JS_WEAK = calls_problem(
    "javascript", "t/countBelow",
    "function countBelow(values, limit) {\n  let n = 0;\n  for (const v of values) {\n"
    "    if (v < limit) {\n      n += 1;\n    }\n  }\n  return n;\n}\n",
    [("values", "list[int]"), ("limit", "int")], "int", [([[1, 9, 3], 5], 2), ([[], 0], 0)])


def test_javascript_reference_runs_in_its_own_sandbox(oracle: Oracle) -> None:
    variant = strengthened(JS_WEAK, oracle)
    assert variant.details["added"] >= 20 and variant.details["mutants"] >= 4
    [verdict] = verify_problems([msgspec.structs.replace(variant.problem, id="t/js~s")])
    assert verdict.passed, verdict.reason
    sets = [problem_mutants(JS_WEAK)]
    [before] = mutation_scores([JS_WEAK], oracle, mutant_sets=sets)
    [after] = mutation_scores([variant.problem], oracle, mutant_sets=sets)
    assert after.killed > before.killed
