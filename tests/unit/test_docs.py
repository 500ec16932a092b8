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


def test_mutator_example_shuffles_deterministically(monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    import sys

    from codeaug.mutator import Skipped, build_params
    from codeaug.record import CallCase, CallsTests

    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = next(b for b in code_blocks("plugins.md", "python") if "class ShuffleCases" in b)
    module = _module(source, "codeaug_shuffle")
    monkeypatch.setitem(sys.modules, "codeaug_shuffle", module)  # msgspec resolves types there
    plugins = load_plugins(extra=[module])
    assert plugins.problems == []
    mutator = plugins.mutators.get("shuffle-cases")
    cases = [CallCase(args=[i], expected=i) for i in range(8)]
    seed = Problem(id="p", language="python", prompt="", entry_point="f",
                   tests=CallsTests(cases=cases))
    params = build_params(mutator, {"count": "3"})

    def run(n: int) -> list:  # type: ignore[type-arg]
        return list(mutator.mutate(seed, params, random.Random(n)))

    first = run(1)
    assert first == run(1) and first != run(2)
    assert len(first) == 3
    for variant in first:
        assert sorted(variant.problem.tests.cases, key=lambda c: c.args) == cases
    one_case = Problem(id="q", language="python", prompt="", entry_point="f",
                       tests=CallsTests(cases=cases[:1]))
    [skip] = mutator.mutate(one_case, params, random.Random(0))
    assert isinstance(skip, Skipped)


def test_constraint_example_fails_a_printing_solution(monkeypatch: pytest.MonkeyPatch) -> None:
    from codeaug.constraints import constraint_verdict
    from codeaug.record import CodeTests
    from codeaug.verdict import Status

    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = next(b for b in code_blocks("plugins.md", "python") if "class NoPrint" in b)
    plugins = load_plugins(extra=[_module(source, "codeaug_noprint")])

    def problem(solution: str, constraints: list[str]) -> Problem:
        return Problem(id="p", language="python", prompt="", tests=CodeTests(code=""),
                       solution=solution, constraints=constraints)

    verdict = constraint_verdict(problem("x = 1\nprint(x)\n", ["no-print"]), plugins.constraints)
    assert verdict is not None and verdict.status is Status.FAILED
    assert "line 2: print" in verdict.reason
    assert constraint_verdict(problem("x = 1\n", ["no-print", "1 <= x <= 9"]),
                              plugins.constraints) is None
    unknown = constraint_verdict(problem("x = 1\n", ["no-such-rule"]), plugins.constraints)
    assert unknown is not None and unknown.status is Status.ERROR
