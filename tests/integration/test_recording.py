"""Recording calls in the real sandbox: all of HumanEval, the recorded records
re-verified (the reference passes, a wrong solution fails), forging, mutation and
non-determinism, and the CLI (``import --record-calls``, merged HumanEval-X,
``record-calls``)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import docker
import msgspec
import pytest

from codeaug.images import ImageRef
from codeaug.plugins import get_plugins
from codeaug.record import CallsTests, CodeTests, Problem
from codeaug.recording import META_KEY, SEED_TESTS_KEY, Recording, RecordOptions, record_calls
from codeaug.testing import code_problem, verify_problems
from codeaug.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[2]
CODEAUG = [sys.executable, "-m", "codeaug.cli"]


def humaneval(datasets: Path) -> list[Problem]:
    fmt = get_plugins().formats.get("humaneval")
    return [p for p in fmt.read(datasets / "humaneval" / "HumanEval.jsonl.gz")
            if isinstance(p, Problem)]


@pytest.fixture(scope="module")
def recorded_humaneval(datasets: Path, docker_client: docker.DockerClient,
                       python_image: ImageRef) -> list[tuple[Problem, Recording]]:
    problems = humaneval(datasets)
    started = time.monotonic()
    out = list(record_calls(problems, client=docker_client, options=RecordOptions(jobs=2)))
    elapsed = time.monotonic() - started
    statuses = Counter(o.status for _, o in out)
    print(f"\nHumanEval: {statuses['recorded']} recorded, {statuses['code-only']} code-only "
          f"in {elapsed:.1f} s")
    for problem, outcome in out:
        if not outcome.recorded:
            print(f"  {problem.id}: {outcome.reason}")
    assert elapsed < 120, f"recording HumanEval took {elapsed:.0f} s"
    return out


def test_humaneval_records_at_least_155(recorded_humaneval: list[tuple[Problem, Recording]]
                                        ) -> None:
    assert len(recorded_humaneval) == 164
    recorded = [(p, o) for p, o in recorded_humaneval if o.recorded]
    assert len(recorded) >= 155
    for problem, outcome in recorded_humaneval:
        info = problem.meta[META_KEY]
        assert info["status"] == outcome.status
        if outcome.recorded:
            assert isinstance(problem.tests, CallsTests)
            assert len(problem.tests.cases) == info["cases"] == outcome.cases > 0
            assert info["calls"] >= info["cases"]
            seed = msgspec.convert(problem.meta[SEED_TESTS_KEY], CodeTests)
            assert seed.code.endswith(f"check({problem.entry_point})\n")
            assert len(problem.signature.params) >= 1
        else:
            assert isinstance(problem.tests, CodeTests)  # unchanged, with the reason
            assert info["reason"] == outcome.reason and outcome.reason
            assert SEED_TESTS_KEY not in problem.meta


def test_known_refusals_and_widenings(recorded_humaneval: list[tuple[Problem, Recording]]
                                      ) -> None:
    by_id = {p.id: (p, o) for p, o in recorded_humaneval}
    # compare_one takes an int, a float or a str: no neutral type
    assert "mixes values of" in by_id["HumanEval/137"][1].reason
    # any_int is true for ints only: as floats the replay fails, so it is refused
    assert "fail when replayed" in by_id["HumanEval/92"][1].reason
    # median returns 3 or 8.0: float, widened and proven by the replay
    median, outcome = by_id["HumanEval/47"]
    assert outcome.recorded and median.signature.returns == "float"
    assert median.meta[META_KEY]["widened"]
    # strange_sort_list empties its argument; the tests never look at it again
    strange, outcome = by_id["HumanEval/70"]
    assert outcome.recorded and strange.meta[META_KEY]["mutates_arguments"] is True
    assert strange.tests.cases[0].args == [[1, 2, 3, 4]]  # type: ignore[union-attr]
    # decode_cyclic's tests draw random strings
    assert by_id["HumanEval/38"][0].meta[META_KEY].get("inputs_vary") is True


def test_recorded_records_reverify_and_a_wrong_solution_fails(
        recorded_humaneval: list[tuple[Problem, Recording]]) -> None:
    recorded = [p for p, o in recorded_humaneval if o.recorded]
    options = VerifyOptions(jobs=2, cache=False)
    verdicts = verify_problems(recorded, options=options)
    failing = {p.id: v.reason for p, v in zip(recorded, verdicts, strict=True) if not v.passed}
    assert not failing, failing
    # The next task's solution, answering to this task's entry point, must fail.
    wrong = []
    for problem, other in zip(recorded, recorded[1:] + recorded[:1], strict=True):
        solution = (other.solution + f"\n\n{problem.entry_point} = {other.entry_point}\n"
                    if problem.entry_point != other.entry_point else other.solution)
        wrong.append(msgspec.structs.replace(problem, solution=solution))
    verdicts = verify_problems(wrong, options=options)
    passing = [p.id for p, v in zip(wrong, verdicts, strict=True) if v.passed]
    assert not passing, passing


def record(problems: list[Problem], client: docker.DockerClient) -> list[tuple[Problem, Recording]]:
    return list(record_calls(problems, client=client, options=RecordOptions(jobs=2)))


def test_forged_records_do_not_change_the_cases(docker_client: docker.DockerClient,
                                                python_image: ImageRef) -> None:
    test = "def check(c):\n    assert c(2) == 4\n    assert c(3) == 6\n\ncheck(double)\n"
    honest = code_problem("python", "forge/honest", "def double(x):\n    return 2 * x\n", test)
    line = ('@@codeaug-rec@@{nonce} call {{"args": [7], "result": 0}}')
    forger = code_problem("python", "forge/forger", (
        "import os, sys\n"
        f"print({line.format(nonce='')!r})\n"
        "def double(x):\n"
        "    for name in os.listdir('.'):\n"  # the nonce is in no file
        "        text = open(name).read()\n"
        f"        print({line!r}.format(nonce=text[:32]))\n"
        f"    print({line.format(nonce='0' * 32)!r})\n"
        "    os.write(1, b'\\n@@codeaug-rec@@ end {}\\n')\n"
        "    return 2 * x\n"), test)
    forger = msgspec.structs.replace(forger, entry_point="double")
    honest = msgspec.structs.replace(honest, entry_point="double")
    [(a, oa), (b, ob)] = record([honest, forger], docker_client)
    assert oa.recorded and ob.recorded, (oa.reason, ob.reason)
    assert a.tests == b.tests
    assert [(c.args, c.expected) for c in b.tests.cases] == [([2], 4), ([3], 6)]  # type: ignore[union-attr]


def test_mutating_and_random_entry_points_are_refused(docker_client: docker.DockerClient,
                                                      python_image: ImageRef) -> None:
    mutating = code_problem(
        "python", "bad/mutating",
        "def push(xs, x):\n    xs.append(x)\n    return len(xs)\n",
        "xs = []\nassert push(xs, 1) == 1\nassert push(xs, 2) == 2\nassert xs == [1, 2]\n")
    random_ = code_problem(
        "python", "bad/random",
        "import random\n\ndef roll(n):\n    return random.randint(1, n)\n",
        "for _ in range(3):\n    assert 1 <= roll(6) <= 6\n")
    mutating = msgspec.structs.replace(mutating, entry_point="push")
    random_ = msgspec.structs.replace(random_, entry_point="roll")
    [(m, om), (r, orand)] = record([mutating, random_], docker_client)
    assert om.status == "code-only"
    assert om.reason.startswith("the entry point mutates its arguments and the tests observe it")
    assert m.meta[META_KEY] == {"status": "code-only", "reason": om.reason,
                                "codeaug": m.meta[META_KEY]["codeaug"]}
    assert orand.status == "code-only" and orand.reason.startswith("non-deterministic"), \
        orand.reason
    assert isinstance(r.tests, CodeTests) and isinstance(m.tests, CodeTests)


# --------------------------------------------------------------------------------- CLI


def codeaug(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CODEAUG, *map(str, args)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)


def head_gz(src: Path, dst: Path, lines: int) -> None:
    with gzip.open(src, "rt") as f:
        kept = [next(f) for _ in range(lines)]
    with gzip.open(dst, "wt") as out:
        out.writelines(kept)


def records(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_cli_import_humaneval_x_merged_with_recorded_calls(
        tmp_path: Path, datasets: Path, python_image: ImageRef) -> None:
    src = tmp_path / "hx"
    src.mkdir()
    for lang in ("python", "js"):
        head_gz(datasets / "humaneval-x" / f"humaneval_{lang}.jsonl.gz",
                src / f"humaneval_{lang}.jsonl.gz", 4)
    out = tmp_path / "merged.jsonl"
    proc = codeaug("import", "humaneval-x", src, "--merge", "--record-calls", "-j", "2",
                   "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "recorded 4, code-only 0" in proc.stderr
    merged = records(out)
    assert len(merged) == 4
    for record_ in merged:
        assert record_["language"] == "python" and record_["tests"]["kind"] == "calls"
        assert record_["meta"][SEED_TESTS_KEY]["kind"] == "code"
        assert record_["meta"][META_KEY]["status"] == "recorded"
        assert record_["meta"]["languages"]["javascript"]["tests"]["kind"] == "code"


def test_cli_record_calls_and_import(tmp_path: Path, datasets: Path,
                                     python_image: ImageRef) -> None:
    src = tmp_path / "he.jsonl.gz"
    head_gz(datasets / "humaneval" / "HumanEval.jsonl.gz", src, 3)
    plain, done = tmp_path / "plain.jsonl", tmp_path / "done.jsonl"
    assert codeaug("import", "humaneval", src, "-o", plain).returncode == 0
    proc = codeaug("record-calls", plain, "-o", done, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert "recorded 3, code-only 0" in proc.stderr
    again = tmp_path / "again.jsonl"
    proc = codeaug("import", "humaneval", src, "--record-calls", "-o", again)
    assert proc.returncode == 0, proc.stderr
    strip = [{**r, "meta": {k: v for k, v in r["meta"].items() if k != META_KEY}}
             for r in records(done)]
    assert strip == [{**r, "meta": {k: v for k, v in r["meta"].items() if k != META_KEY}}
                     for r in records(again)]
    # recorded records pass through record-calls unchanged ("skipped")
    twice = tmp_path / "twice.jsonl"
    proc = codeaug("record-calls", done, "-o", twice)
    assert proc.returncode == 0 and "skipped 3" in proc.stderr, proc.stderr
    assert records(twice) == records(done)
