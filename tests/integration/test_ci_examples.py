"""The CI examples are files a dataset repository copies: they must work as written.

``examples/ci/github-actions.yml``: the ``run:`` commands of its steps named
``codeaug: ...`` are extracted from the YAML and run unchanged (bash, as the runner
runs them) in a workspace holding a small dataset, against the real Docker engine; only
GitHub's ``${{ ... }}`` expressions are filled in, by :func:`github_expressions`. The
other steps are ``uses:`` actions (checkout, cache, upload) and the install step, which
the test environment has already done with the README's set-up command.

``.pre-commit-hooks.yaml``: its fields, its ``entry`` run as pre-commit runs it (entry,
then the changed files), and ``pre-commit try-repo`` on a git snapshot of this checkout.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from junitparser import Error, Failure, JUnitXml

import codeaug
from codeaug.images import ImageRef

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
CONSUMER = ROOT / "examples" / "ci" / "pre-commit-config.yaml"
SEEDS = ROOT / "examples" / "seeds.jsonl"


# --------------------------------------------------------------------------- helpers


def github_expressions(text: str, contexts: dict[str, dict[str, str]]) -> str:
    """``text`` with every ``${{ context.name }}`` replaced as GitHub Actions would.

    Only plain context look-ups (``github.workspace``, ``env.DATASET``, ...) are
    supported, from ``contexts`` (``{"github": {"workspace": ...}, "env": {...}}``);
    anything else raises, so the example cannot grow an expression this test would
    silently get wrong.
    """
    def lookup(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        parts = expr.split(".")
        if len(parts) != 2 or parts[0] not in contexts or parts[1] not in contexts[parts[0]]:
            raise ValueError(f"unsupported expression in the workflow: ${{{{ {expr} }}}}")
        return contexts[parts[0]][parts[1]]

    return re.sub(r"\$\{\{(.*?)\}\}", lookup, text)


def load_workflow() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert set(workflow["jobs"]) == {"verify"}
    return dict(workflow["jobs"]["verify"])


def codeaug_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps the test runs: those named ``codeaug: ...`` (each has a ``run:``)."""
    steps = [s for s in job["steps"] if str(s.get("name", "")).startswith("codeaug:")]
    assert steps and all("run" in s for s in steps)
    return steps


class Runner:
    """Runs the workflow's codeaug steps in ``workspace`` like a GitHub runner would:
    the job's env (expressions filled in), then each step's script with the job's
    default shell, ``bash --noprofile --norc -eo pipefail``."""

    def __init__(self, workspace: Path, scripts: Path) -> None:
        self.job = load_workflow()
        assert self.job["defaults"]["run"]["shell"] == "bash"
        self.workspace = workspace
        self.scripts = scripts
        contexts: dict[str, dict[str, str]] = {"github": {"workspace": str(workspace)}}
        self.env = {k: github_expressions(str(v), contexts)
                    for k, v in self.job["env"].items()}

    def run(self) -> list[subprocess.CompletedProcess[str]]:
        """Every codeaug step in order, stopping at the first that fails (as GitHub does)."""
        done = []
        for i, step in enumerate(codeaug_steps(self.job)):
            script = self.scripts / f"step{i}.sh"
            script.write_text(github_expressions(step["run"], {"env": self.env}))
            env = {**os.environ, **self.env, **step.get("env", {}), "CI": "true"}
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600)
            done.append(proc)
            if proc.returncode != 0:
                break
        return done


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i) + "\n" for i in items))


def seeds() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SEEDS.read_text().splitlines() if line.strip()]


def break_item(item: dict[str, Any]) -> None:
    item["solution"] = item["solution"].replace("return", "return 7 or", 1)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# ------------------------------------------------------------------ GitHub Actions


def test_workflow_names_no_host_and_pins_this_version() -> None:
    text = WORKFLOW.read_text()
    assert "://" not in text  # no registry, mirror or other host is named
    job = load_workflow()
    assert job["env"]["CODEAUG_VERSION"] == codeaug.__version__
    install = next(s["run"] for s in job["steps"] if "pip install" in s.get("run", ""))
    assert 'pip install "codeaug==$CODEAUG_VERSION"' in install and "mmdebstrap" in install
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache",
                    "actions/cache", "actions/upload-artifact"]
    verify = codeaug_steps(job)[-1]["run"]
    for option in ("--junit", "--report", "--fail-under"):
        assert option in verify


def test_workflow_commands_verify_and_rerun_only_changed_items(
        tmp_path: Path, python_image: ImageRef) -> None:
    workspace, scripts = tmp_path / "dataset-repo", tmp_path / "scripts"
    workspace.mkdir()
    scripts.mkdir()
    items = seeds()
    broken = items[1]["id"]
    break_item(items[1])
    write_jsonl(workspace / "data" / "seeds.jsonl", items)
    runner = Runner(workspace, scripts)
    cache_dir = Path(runner.env["CODEAUG_CACHE_DIR"])
    out = workspace / "out"

    # 1. A fresh runner: no cached images or verdicts. 18 of 19 pass: 94.7% < 95%.
    *setup, verify = runner.run()
    assert [p.returncode for p in setup] == [0], setup[-1].stderr
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert "pass rate 94.7% (below --fail-under 95.0%)" in verify.stdout

    xml = JUnitXml.fromfile(str(out / "junit.xml"))
    cases = [case for suite in xml for case in suite]
    assert sorted(c.name for c in cases) == sorted(i["id"] for i in items)
    assert xml.tests == len(items) and xml.failures == 1 and xml.errors == 0
    [failing] = [c for c in cases if c.result]
    assert failing.name == broken and failing.classname == "codeaug.python"
    [result] = failing.result
    assert isinstance(result, Failure) and not isinstance(result, Error)
    assert result.type == "failed"
    assert "verdict: failed" in result.text and "failing test: case 0:" in result.text

    report = json.loads((out / "report.json").read_text())
    assert report["counts"] == {"passed": 18, "failed": 1}
    assert report["cached"] == 0 and report["invalid"] == 0
    assert report["images"] == {"python": python_image.id}
    assert len(read_jsonl(out / "passed.jsonl")) == 18
    assert [r["id"] for r in read_jsonl(out / "rejected.jsonl")] == [broken]

    # What the two actions/cache steps keep is there to keep.
    assert (cache_dir / "verdicts.sqlite3").is_file()
    assert (cache_dir / "images" / "images.tar").stat().st_size > 10_000_000
    assert (cache_dir / "images" / "tags.txt").read_text().split() == [python_image.tag]
    cached_paths = [github_expressions(s["with"]["path"], {"env": runner.env})
                    for s in runner.job["steps"] if s.get("uses", "").startswith("actions/cache")]
    assert all(list(Path("/").glob(p.lstrip("/"))) for p in cached_paths), cached_paths

    # 2. The same commands again: the image is loaded (same ID), every verdict cached.
    *setup, verify = runner.run()
    assert [p.returncode for p in setup] == [0], setup[-1].stderr
    assert "Loaded image" in setup[0].stdout
    assert verify.returncode == 1
    assert json.loads((out / "report.json").read_text())["cached"] == len(items)
    assert "19 verdicts came from the cache" in verify.stdout

    # 3. One item changed (the broken one fixed): only it runs in the sandbox.
    items[1] = next(i for i in seeds() if i["id"] == broken)
    items[1]["solution"] += "\n# fixed\n"
    write_jsonl(workspace / "data" / "seeds.jsonl", items)
    *setup, verify = runner.run()
    assert [p.returncode for p in setup] == [0], setup[-1].stderr
    assert verify.returncode == 0, verify.stdout + verify.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["counts"] == {"passed": 19} and report["cached"] == 18
    fresh = [r["id"] for r in read_jsonl(out / "passed.jsonl")
             if not r["meta"]["verification"].get("cached")]
    assert fresh == [broken]
    assert not JUnitXml.fromfile(str(out / "junit.xml")).failures


# ------------------------------------------------------------------------ pre-commit


def load_hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS.read_text())
    assert isinstance(hooks, list) and [h["id"] for h in hooks] == ["codeaug-verify"]
    return dict(hooks[0])


def test_pre_commit_hook_definition() -> None:
    hook = load_hook()
    assert {"id", "name", "entry", "language"} <= set(hook)  # pre-commit's required keys
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"]) == ["codeaug", "verify"]
    assert hook["require_serial"] is True  # one process: one warm pool, one summary
    assert hook.get("pass_filenames", True) is True
    files = re.compile(hook["files"])
    for name in ("data.jsonl", "a/b/train.jsonl.gz"):
        assert files.search(name), name
    for name in ("data.json", "data.jsonl.bak", "jsonl.txt", "data.jsonl.gz.tmp"):
        assert not files.search(name), name
    consumer = yaml.safe_load(CONSUMER.read_text())
    [repo] = consumer["repos"]
    assert [h["id"] for h in repo["hooks"]] == ["codeaug-verify"]
    assert "://" not in CONSUMER.read_text()


def _hook_files(tmp_path: Path) -> tuple[Path, Path]:
    items = seeds()
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    write_jsonl(good, items[:5])
    broken = [dict(i) for i in items[5:10]]
    break_item(broken[0])
    write_jsonl(bad, broken)
    return good, bad


def test_pre_commit_entry_on_changed_files(tmp_path: Path, python_image: ImageRef) -> None:
    """What pre-commit runs: the entry, then the changed files as arguments."""
    good, bad = _hook_files(tmp_path)
    entry = shlex.split(load_hook()["entry"])
    both = subprocess.run([*entry, str(good), str(bad)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert both.returncode == 1, both.stdout + both.stderr
    assert "passed -> " not in both.stdout  # a check: no records written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "good.jsonl"]
    one = subprocess.run([*entry, str(good)], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert one.returncode == 0, one.stdout + one.stderr
    rate = subprocess.run([*entry, "--fail-under", "0.8", str(good), str(bad)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert rate.returncode == 0 and "pass rate 90.0%" in rate.stdout, rate.stdout


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@localhost",
                           *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_pre_commit_try_repo(tmp_path: Path, python_image: ImageRef) -> None:
    """``pre-commit try-repo`` on a git snapshot of this checkout's working tree (what
    git tracks plus what it does not ignore): pre-commit clones it, installs codeaug
    into its own virtualenv (the dependencies come from the package index) and runs
    the hook on a dataset repository's files."""
    pre_commit = shutil.which("pre-commit")
    assert pre_commit, "pre-commit is part of the test extra"
    snapshot = tmp_path / "codeaug"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, snapshot / name)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "-m", "snapshot")

    dataset_repo = tmp_path / "dataset"
    dataset_repo.mkdir()
    good, bad = _hook_files(dataset_repo)
    _git(dataset_repo, "init", "-q")
    _git(dataset_repo, "add", "-A")
    _git(dataset_repo, "commit", "-q", "-m", "data")

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def try_repo(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(snapshot), "codeaug-verify", "--verbose",
             "--files", *(f.name for f in files)],
            cwd=dataset_repo, env=env, capture_output=True, text=True, timeout=600)

    failing = try_repo(good, bad)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "codeaug verify" in failing.stdout and "Failed" in failing.stdout
    assert "exit code: 1" in failing.stdout and "failed " in failing.stdout
    passing = try_repo(good)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout

    # The consumer example, pointed at the snapshot, runs the same hook.
    config = yaml.safe_load(CONSUMER.read_text())
    config["repos"][0].update(repo=str(snapshot), rev=_git(snapshot, "rev-parse", "HEAD"))
    (dataset_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(dataset_repo, "add", ".pre-commit-config.yaml")  # pre-commit wants it staged
    consumer = subprocess.run([pre_commit, "run", "--files", good.name, bad.name],
                              cwd=dataset_repo, env=env, capture_output=True, text=True,
                              timeout=600)
    assert consumer.returncode == 1, consumer.stdout + consumer.stderr
    assert "codeaug verify" in consumer.stdout and "Failed" in consumer.stdout
