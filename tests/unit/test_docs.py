"""The documentation's examples are code a third party will copy: they must work."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest

from codeaug import hookspecs
from codeaug.plugins import load_plugins
from codeaug.record import Problem, decode_problem

DOCS = Path(__file__).resolve().parents[2] / "docs"


def code_blocks(name: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", (DOCS / name).read_text(), re.S)


def test_record_example_decodes() -> None:
    [example] = [b for b in code_blocks("record.md", "json") if '"tests"' in b and '"id"' in b]
    problem = decode_problem(example.strip())
    assert isinstance(problem, Problem)
    assert problem.entry_point == "add"


def _module(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"<docs:{name}>", "exec"), module.__dict__)
    return module


def test_format_plugin_example_registers_and_reads(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = next(b for b in code_blocks("plugins.md", "python") if "class TsvFormat" in b)
    plugins = load_plugins(extra=[_module(source, "codeaug_tsv")])
    assert plugins.problems == []
    tsv = plugins.formats.get("tsv")
    data = tmp_path / "p.tsv"
    data.write_text("a\tSay hi\tprint('hi')\thi\\n\nbroken line\n")
    first, second = list(tsv.read(data))
    assert isinstance(first, Problem) and first.tests.cases[0].stdout == "hi\n"
    assert not isinstance(second, Problem) and second.line == 2


def test_language_plugin_example_registers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = next(b for b in code_blocks("plugins.md", "python") if "class Lua" in b)
    plugins = load_plugins(extra=[_module(source, "codeaug_lua")])
    assert plugins.problems == []
    assert plugins.languages.get("lua").extension == ".lua"


def test_every_hook_is_documented() -> None:
    text = (DOCS / "plugins.md").read_text()
    hooks = [n for n in dir(hookspecs) if n.startswith("register_")]
    assert hooks
    for hook in hooks:
        assert f"`{hook}(" in text, f"{hook} missing from docs/plugins.md"
        assert getattr(hookspecs, hook).__doc__, f"{hook} has no docstring"
