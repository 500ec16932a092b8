"""Third-party plugins the way users install them: the template in
``examples/plugin-template`` built into a wheel and pip-installed into a fresh virtual
environment beside codeaug, then listed, used by ``expand``, and uninstalled; and a
plugin that raises on import, which must not stop a run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codeaug.images import ImageRef

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "examples" / "plugin-template"
SEEDS = ROOT / "examples" / "seeds.jsonl"

pytestmark = pytest.mark.slow

BROKEN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "codeaug-broken-example"
version = "0.0.1"

[project.entry-points.codeaug]
broken-example = "codeaug_broken_example"

[tool.setuptools]
py-modules = ["codeaug_broken_example"]
"""


def run(*argv: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          timeout=600, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment that sees this codeaug (and its dependencies) through
    the system site-packages, so nothing but the plugins is installed into it."""
    path = tmp_path_factory.mktemp("venv") / "env"
    made = run(sys.executable, "-m", "venv", "--system-site-packages", path)
    assert made.returncode == 0, made.stderr
    yield path


def codeaug(venv: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEAUG_LOAD")}
    return run(venv / "bin" / "python", "-m", "codeaug.cli", *args, env=env)


def plugin_names(venv: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    listed = codeaug(venv, "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    return {p["name"]: p for p in json.loads(listed.stdout)["plugins"]}


def test_template_wheel_installs_lists_expands_and_uninstalls(
    venv: Path, tmp_path: Path, python_image: ImageRef
) -> None:
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    source = tmp_path / "plugin-template"  # a copy, so the build leaves nothing in the repo
    shutil.copytree(TEMPLATE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    built = run(*pip, "wheel", "--no-deps", "-w", tmp_path / "dist", source)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("codeaug_hint-*.whl")
    assert "hint" not in plugin_names(venv)
    installed = run(*pip, "install", "--no-deps", wheel)
    assert installed.returncode == 0, installed.stderr

    hint = plugin_names(venv)["hint"]
    assert hint["distribution"] == "codeaug-hint" and hint["version"] == "0.1.0"
    assert hint["hooks"] == ["register_mutators"]
    assert hint["provides"] == {"mutators": ["hint"]}
    # The template's own test passes against the installed package.
    tested = run(venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--rootdir", source, source / "tests", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr

    out = tmp_path / "out"
    expanded = codeaug(venv, "expand", SEEDS, "-o", out, "--mutator",
                       "hint:style=terse,count=2", "-j", "2")
    assert expanded.returncode == 0, expanded.stderr
    dataset = [json.loads(line) for line in (out / "dataset.jsonl").read_text().splitlines()]
    assert len(dataset) == 2 * 19
    assert {(r["meta"]["mutations"][0]["name"], r["meta"]["mutations"][0]["plugin"])
            for r in dataset} == {("hint", "hint")}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["plugins"]["hint"] == {"distribution": "codeaug-hint", "version": "0.1.0"}

    removed = run(*pip, "uninstall", "-y", "codeaug-hint")
    assert removed.returncode == 0, removed.stderr
    assert "hint" not in plugin_names(venv)


def test_a_plugin_that_raises_on_import_does_not_stop_the_run(
    venv: Path, tmp_path: Path, python_image: ImageRef
) -> None:
    source = tmp_path / "broken"
    source.mkdir()
    (source / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (source / "codeaug_broken_example.py").write_text(
        'raise RuntimeError("this plugin is broken on purpose")\n')
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    installed = run(*pip, "install", "--no-deps", source)
    assert installed.returncode == 0, installed.stderr
    try:
        out = tmp_path / "out"
        expanded = codeaug(venv, "expand", SEEDS, "-o", out, "--mutator", "rename")
        assert expanded.returncode == 0, expanded.stderr
        assert ("plugin 'broken-example': failed to load: "
                "RuntimeError('this plugin is broken on purpose')") in expanded.stderr
        assert (out / "dataset.jsonl").read_text().count("\n") > 0
        strict = codeaug(venv, "expand", SEEDS, "-o", tmp_path / "strict", "--strict")
        assert strict.returncode == 2 and "broken-example" in strict.stderr
        assert not (tmp_path / "strict" / "dataset.jsonl").exists()
    finally:
        run(*pip, "uninstall", "-y", "codeaug-broken-example")
