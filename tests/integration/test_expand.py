"""``codeaug expand`` end to end against the real sandbox, with toy plugins loaded in
process (``tests/unit/plugins_for_tests/toy_mutators.py``) so the pipeline is tested
apart from the built-in mutators."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import docker
import pytest

from codeaug.errors import PluginError
from codeaug.expand import DATASET, MANIFEST, PROBLEMS, REJECTED, ExpandOptions, Expander
from codeaug.images import ImageRef
from codeaug.mutator import MutatorSpecError
from codeaug.plugins import Plugins, load_plugins
from codeaug.testing import verify_problems
from codeaug.verdict import Status
from codeaug.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds.jsonl"
TOYS = ROOT / "tests" / "unit" / "plugins_for_tests" / "toy_mutators.py"


def _toys() -> ModuleType:
    spec = importlib.util.spec_from_file_location("toy_mutators", TOYS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["toy_mutators"] = module  # msgspec resolves annotations through it
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plugins() -> Plugins:
    return load_plugins(extra=[_toys()])


def expand(plugins: Plugins, client: docker.DockerClient, outdir: Path, *,
           resume: bool = False, **options: object) -> dict:  # type: ignore[type-arg]
    opts = ExpandOptions(**{"mutators": ["note", "drop"], "depth": 2, "seed": 3,
                            "solvers": ["stash"],
                            "verify": VerifyOptions(jobs=2, cache=False), **options})
    return Expander(plugins, client, opts).run(SEEDS, outdir, resume=resume)


def read(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines()]


def files(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in (DATASET, REJECTED, PROBLEMS, MANIFEST)}


def test_variants_are_verified_with_provenance_and_counted(
    plugins: Plugins, docker_client: docker.DockerClient, python_image: ImageRef,
    tmp_path: Path,
) -> None:
    manifest = expand(plugins, docker_client, tmp_path / "out",
                      mutators=["note:count=2", "drop"], solvers=[])
    dataset = read(tmp_path / "out" / DATASET)
    rejected = read(tmp_path / "out" / REJECTED)
    problems = read(tmp_path / "out" / PROBLEMS)
    # 19 seeds: note makes 2 each (38); drop 16 (3 io seeds skipped, recorded); depth 2
    # chains note>drop and drop>note. Only what kept its solution can pass.
    assert {r["meta"]["mutations"][-1]["name"] for r in dataset} == {"note"}
    assert all(r["meta"]["verification"]["status"] == "passed" for r in dataset)
    for record in dataset:
        assert record["meta"]["seed"].startswith("examples/")
        assert record["meta"]["parent"] in record["id"]
        step = record["meta"]["mutations"][-1]
        assert step["version"] == "1" and step["params"] == {"count": 2}
        assert step["plugin"] == "toy_mutators"
        assert record["meta"]["verification"]["image"].startswith("sha256:")
        assert "duration" not in record["meta"]["verification"]
    unsolved = [r for r in rejected if r["meta"]["verification"]["status"] == "unsolved"]
    assert len(unsolved) == len(problems) > 0  # unsolved ones are also problems.jsonl
    assert {p["id"] for p in problems} == {r["id"] for r in unsolved}
    assert all(p["solution"] == "" for p in problems)
    skipped = [r for r in rejected if r["meta"]["verification"]["status"] == "skipped"]
    # The 3 io seeds, and at depth 2 each of their 2 note variants.
    assert len(skipped) == 9 and all("io problems" in r["meta"]["verification"]["reason"]
                                     for r in skipped)
    # The manifest's counts are the files' counts.
    by_status: Counter[str] = Counter()
    for counts in manifest["verdicts"].values():
        by_status.update(counts)
    assert by_status["passed"] == len(dataset) == manifest["files"][DATASET]
    assert sum(by_status.values()) - by_status["passed"] == len(rejected)
    assert manifest["skipped"] == {"drop": {"io problems are not dropped": 9}}
    assert sum(manifest["candidates"].values()) == len(dataset) + len(rejected) - len(skipped)


def test_dataset_reverifies_as_passed(
    plugins: Plugins, docker_client: docker.DockerClient, python_image: ImageRef,
    tmp_path: Path,
) -> None:
    expand(plugins, docker_client, tmp_path / "out")
    from codeaug.record import iter_problems

    records = list(iter_problems(tmp_path / "out" / DATASET))
    assert len(records) > 19
    verdicts = verify_problems(records, plugins=plugins,
                               options=VerifyOptions(jobs=2, cache=False))
    assert [v.status for v in verdicts] == [Status.PASSED] * len(records)
    # The solver's variants are in it too, with the solver named.
    assert any(r.meta.get("solver", {}).get("name") == "stash" for r in records)


def test_same_seed_same_files_other_seed_other_files(
    plugins: Plugins, docker_client: docker.DockerClient, python_image: ImageRef,
    tmp_path: Path,
) -> None:
    expand(plugins, docker_client, tmp_path / "a")
    expand(plugins, docker_client, tmp_path / "b", verify=VerifyOptions(jobs=1))
    expand(plugins, docker_client, tmp_path / "c", seed=4)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a")[DATASET] != files(tmp_path / "c")[DATASET]


def test_resume_after_a_cut_gives_the_same_files(
    plugins: Plugins, docker_client: docker.DockerClient, python_image: ImageRef,
    tmp_path: Path,
) -> None:
    whole = tmp_path / "whole"
    expand(plugins, docker_client, whole)
    cut = tmp_path / "cut"
    cut.mkdir()
    # What a run killed midway leaves: the first lines of each file and a partial one.
    for name in (DATASET, REJECTED, PROBLEMS):
        data = (whole / name).read_bytes()
        lines = data.splitlines(keepends=True)
        partial = lines[-1][:17] if lines else b""
        (cut / name).write_bytes(b"".join(lines[: len(lines) // 3]) + partial)
    expand(plugins, docker_client, cut, resume=True)
    for name in (DATASET, REJECTED):
        assert sorted(read(cut / name), key=lambda r: r["id"]) == sorted(
            read(whole / name), key=lambda r: r["id"])
    assert json.loads((cut / MANIFEST).read_text())["verdicts"] == json.loads(
        (whole / MANIFEST).read_text())["verdicts"]


def test_a_mutator_that_raises_is_named_and_the_run_goes_on(
    plugins: Plugins, docker_client: docker.DockerClient, python_image: ImageRef,
    tmp_path: Path,
) -> None:
    manifest = expand(plugins, docker_client, tmp_path / "out", mutators=["crash"], depth=1)
    raised = [s for s in (ROOT / "examples" / "seeds.jsonl").read_text().splitlines()
              if json.loads(s)["id"].endswith("sum")]
    assert len(manifest["plugin_errors"]) == len(raised) > 0
    assert all("plugin 'toy_mutators'" in m and "ZeroDivisionError" in m
               for m in manifest["plugin_errors"])
    assert manifest["files"][DATASET] == 19 - len(raised)
    with pytest.raises(PluginError, match="toy_mutators"):
        expand(plugins, docker_client, tmp_path / "strict", mutators=["crash"], depth=1,
               strict=True)


@pytest.mark.parametrize(("spec", "message"), [
    ("nosuch", "no mutator named 'nosuch'"),
    ("note:count=zero", "Expected `int`"),
    ("note:count=0", "Expected `int` >= 1"),
    ("note:colour=red", "unknown field `colour`"),
    ("note:count", "expected key=value"),
])
def test_bad_mutator_options_are_usage_errors(plugins: Plugins, spec: str, message: str) -> None:
    with pytest.raises(MutatorSpecError, match=message):
        Expander(plugins, None, ExpandOptions(mutators=[spec]))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def merged_seeds(datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten HumanEval-X tasks imported as merged multi-language seeds."""
    from codeaug.cli import cli

    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("merged") / "merged.jsonl"
    result = CliRunner().invoke(cli, ["import", "humaneval-x", str(datasets / "humaneval-x"),
                                      "--merge", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert len(lines) == 164
    out.write_text("\n".join(lines[:10]) + "\n")
    return out


def test_reference_solver_pairs_variants_with_the_datasets_own_solutions(
    plugins: Plugins, docker_client: docker.DockerClient, merged_seeds: Path, tmp_path: Path,
) -> None:
    opts = ExpandOptions(mutators=["retarget:language=cpp", "retarget:language=go"],
                         solvers=["reference"], verify=VerifyOptions(jobs=2, cache=False))
    manifest = Expander(plugins, docker_client, opts).run(merged_seeds, tmp_path / "out")
    dataset = read(tmp_path / "out" / DATASET)
    assert manifest["files"][DATASET] == len(dataset) == 20
    assert {r["language"] for r in dataset} == {"cpp", "go"}
    assert all(r["meta"]["solver"] == {"name": "reference", "version": "1"} for r in dataset)
    assert manifest["images"].keys() == {"cpp", "go"}


def test_candidates_file_solves_an_earlier_runs_problems(
    plugins: Plugins, docker_client: docker.DockerClient, merged_seeds: Path, tmp_path: Path,
) -> None:
    opts = ExpandOptions(mutators=["retarget:language=javascript"],
                         verify=VerifyOptions(jobs=2, cache=False))
    Expander(plugins, docker_client, opts).run(merged_seeds, tmp_path / "first")
    problems = read(tmp_path / "first" / PROBLEMS)
    assert len(problems) == 10  # nothing could solve them
    # "A model" answers: the right solution for the first five, a wrong one for the rest.
    from codeaug.multilang import carried_record
    from codeaug.record import decode_problem

    references = []
    for raw in problems:
        reference = carried_record(decode_problem(json.dumps(raw)), "javascript")
        assert reference is not None
        references.append(reference.solution)
    lines = []
    for i, raw in enumerate(problems):
        # The other half get the next task's solution: wrong for this one.
        solution = references[i] if i < 5 else references[(i + 1) % len(problems)]
        lines.append(json.dumps({"id": raw["id"], "language": "javascript",
                                 "solution": solution}))
    lines.append('{"id": "x", "language": "javascript"}')  # a bad line: reported, skipped
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(lines) + "\n")
    opts.candidates = answers
    manifest = Expander(plugins, docker_client, opts).run(merged_seeds, tmp_path / "second")
    dataset = read(tmp_path / "second" / DATASET)
    assert sorted(r["id"] for r in dataset) == sorted(p["id"] for p in problems[:5])
    assert all(r["meta"]["solver"]["name"] == "candidates" for r in dataset)
    assert manifest["files"][PROBLEMS] == 0
    assert manifest["files"][REJECTED] == 5
