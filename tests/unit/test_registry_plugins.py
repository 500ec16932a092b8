"""codeaug.registry and codeaug.plugins: names, aliases, duplicates, loading and failures."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path
from types import ModuleType

import pluggy
import pytest
from codeaug_plugins.humaneval_format import HumanEvalFormat
from codeaug_plugins.python_language import Python

import codeaug.plugins as plugins_mod
from codeaug.errors import DuplicateNameError, PluginError, UnknownNameError
from codeaug.plugins import load_plugins
from codeaug.registry import Registry

TEST_PLUGINS = Path(__file__).parent / "plugins_for_tests"


@dataclass
class Item:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Plain:
    """No ``aliases`` attribute at all."""

    name: str


# --------------------------------------------------------------------------- Registry


def test_lookup_by_name_and_alias_case_insensitive() -> None:
    reg: Registry[Item] = Registry("language")
    py = Item("python", ("py", "Python3"))
    reg.add(py, "plug-a")
    for key in ["python", "PYTHON", "Py", "pY", "python3", "PYTHON3"]:
        assert reg.get(key) is py
        assert key in reg
    assert "ruby" not in reg
    assert reg.owner("PY") == "plug-a"
    assert list(reg) == [py]
    assert len(reg) == 1


def test_item_without_aliases_attribute() -> None:
    reg: Registry[Plain] = Registry("format")
    item = Plain("HumanEval")
    reg.add(item, "p")
    assert reg.get("humaneval") is item


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (Item("python"), Item("python"), "python"),
        (Item("python"), Item("PyThOn"), "PyThOn"),  # names are case-insensitive
        (Item("python", ("py",)), Item("snake", ("PY",)), "PY"),  # alias vs alias
        (Item("python", ("py",)), Item("py"), "py"),  # name vs existing alias
        (Item("py"), Item("snake", ("py",)), "py"),  # alias vs existing name
    ],
)
def test_duplicate_names_both_plugins(first: Item, second: Item, clash: str) -> None:
    reg: Registry[Item] = Registry("language")
    reg.add(first, "plugin-one")
    with pytest.raises(DuplicateNameError) as info:
        reg.add(second, "plugin-two")
    err = info.value
    assert (err.kind, err.name, err.first, err.second) == ("language", clash, "plugin-one",
                                                          "plugin-two")
    assert err.plugin == "plugin-two"
    assert "'plugin-one'" in str(err)
    assert "'plugin-two'" in str(err)
    assert isinstance(err, PluginError)
    # the rejected item left no trace
    assert list(reg) == [first]
    assert reg.get(clash) is first


def test_rejected_item_registers_none_of_its_names() -> None:
    reg: Registry[Item] = Registry("language")
    reg.add(Item("go"), "a")
    with pytest.raises(DuplicateNameError):
        reg.add(Item("golang", ("gol", "GO")), "b")
    assert "golang" not in reg
    assert "gol" not in reg
    reg.add(Item("golang", ("gol",)), "c")  # and can be registered once fixed
    assert reg.owner("gol") == "c"


def test_registrar_records_the_plugin() -> None:
    reg: Registry[Item] = Registry("format")
    reg.registrar("alpha")(Item("x"))
    reg.registrar("beta")(Item("y"))
    assert (reg.owner("x"), reg.owner("Y")) == ("alpha", "beta")
    with pytest.raises(DuplicateNameError) as info:
        reg.registrar("gamma")(Item("X"))
    assert (info.value.first, info.value.second) == ("alpha", "gamma")


def test_unknown_name_lists_known_names() -> None:
    reg: Registry[Item] = Registry("language")
    reg.add(Item("rust", ("rs",)), "p")
    reg.add(Item("c"), "p")
    with pytest.raises(UnknownNameError) as info:
        reg.get("cobol")
    err = info.value
    assert (err.kind, err.name) == ("language", "cobol")
    assert sorted(err.known) == ["c", "rust"]
    assert "unknown language 'cobol'" in str(err)
    assert "(known: c, rust)" in str(err)
    with pytest.raises(UnknownNameError):
        reg.owner("cobol")


def test_unknown_name_in_empty_registry() -> None:
    with pytest.raises(UnknownNameError, match=r"known: none"):
        Registry("format").get("x")


# --------------------------------------------------------------------------- load_plugins


def _module(name: str) -> ModuleType:
    """Import tests/unit/plugins_for_tests/<name>.py under a name no other test uses."""
    spec = importlib.util.spec_from_file_location(f"codeaug_testplugin_{name}",
                                                  TEST_PLUGINS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODEAUG_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", raising=False)


def _add_entry_points(monkeypatch: pytest.MonkeyPatch, *extra: EntryPoint) -> None:
    real = plugins_mod.entry_points
    monkeypatch.setattr(plugins_mod, "entry_points",
                        lambda group: [*real(group=group), *extra])


def test_builtins_load_under_their_entry_point_names() -> None:
    loaded = load_plugins(strict=True)
    assert loaded.problems == []
    assert isinstance(loaded.languages.get("python"), Python)
    assert isinstance(loaded.languages.get("py"), Python)
    assert isinstance(loaded.formats.get("HumanEval"), HumanEvalFormat)
    assert loaded.languages.owner("python") == "python"
    assert loaded.formats.owner("humaneval") == "humaneval"
    info = {i.name: i for i in loaded.info}
    assert info["python"].module == "codeaug_plugins.python_language"
    assert info["humaneval"].module == "codeaug_plugins.humaneval_format"
    assert info["python"].distribution == "codeaug"
    assert loaded.pm.get_plugin("python") is not None


def test_load_plugins_restricted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_LOAD_PLUGINS", " humaneval , ")
    loaded = load_plugins()
    assert [i.name for i in loaded.info] == ["humaneval"]
    assert "humaneval" in loaded.formats
    assert "python" not in loaded.languages
    assert len(loaded.languages) == 0
    with pytest.raises(UnknownNameError):
        loaded.languages.get("python")


def test_autoload_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    loaded = load_plugins()
    assert loaded.info == []
    assert len(loaded.languages) == 0
    assert len(loaded.formats) == 0
    assert loaded.problems == []


def test_autoload_disabled_still_takes_extra_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    toy = _module("toy")
    loaded = load_plugins(extra=[toy])
    assert [lang.name for lang in loaded.languages] == ["toylang"]
    assert loaded.languages.get("tl").name == "toylang"
    assert loaded.languages.owner("toy") == toy.__name__
    assert [f.name for f in loaded.formats] == ["toyfmt"]


def test_broken_hook_is_reported_and_others_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_LOAD_PLUGINS", "python,humaneval")
    broken, toy = _module("broken"), _module("toy")
    loaded = load_plugins(extra=[broken, toy])
    assert [p.plugin for p in loaded.problems] == [broken.__name__]
    assert "broken plugin exploded" in str(loaded.problems[0])
    assert "register_languages" in str(loaded.problems[0])
    assert {lang.name for lang in loaded.languages} == {"python", "toylang"}
    assert {f.name for f in loaded.formats} == {"humaneval", "toyfmt"}


def test_broken_hook_strict_raises_naming_it() -> None:
    broken = _module("broken")
    with pytest.raises(PluginError) as info:
        load_plugins(strict=True, extra=[broken])
    assert info.value.plugin == broken.__name__
    assert broken.__name__ in str(info.value)


def test_duplicate_alias_from_a_plugin_is_reported() -> None:
    dup = _module("duplicate")
    loaded = load_plugins(extra=[dup])
    [problem] = loaded.problems
    assert isinstance(problem, DuplicateNameError)
    assert (problem.first, problem.second, problem.name) == ("python", dup.__name__, "PY")
    assert "snake" not in loaded.languages
    assert isinstance(loaded.languages.get("py"), Python)
    with pytest.raises(DuplicateNameError):
        load_plugins(strict=True, extra=[dup])


def test_codeaug_error_in_hook_becomes_plugin_error() -> None:
    bad = _module("codeaug_error")
    loaded = load_plugins(extra=[bad])
    [problem] = loaded.problems
    assert type(problem) is PluginError
    assert problem.plugin == bad.__name__
    assert "cannot find my data files" in str(problem)
    assert "humaneval" in loaded.formats


def test_entry_point_that_fails_to_import(monkeypatch: pytest.MonkeyPatch) -> None:
    ghost = EntryPoint(name="ghost", value="codeaug_no_such_module_for_tests", group="codeaug")
    _add_entry_points(monkeypatch, ghost)
    loaded = load_plugins()
    assert [p.plugin for p in loaded.problems] == ["ghost"]
    assert "failed to load" in str(loaded.problems[0])
    assert "ghost" not in [i.name for i in loaded.info]
    assert "python" in loaded.languages
    with pytest.raises(PluginError) as info:
        load_plugins(strict=True)
    assert info.value.plugin == "ghost"


def test_entry_point_name_is_the_plugin_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TEST_PLUGINS))
    monkeypatch.delitem(sys.modules, "toy", raising=False)
    _add_entry_points(monkeypatch, EntryPoint(name="toy-ep", value="toy", group="codeaug"))
    monkeypatch.setenv("CODEAUG_LOAD_PLUGINS", "toy-ep")
    loaded = load_plugins(strict=True)
    assert [(i.name, i.module, i.distribution) for i in loaded.info] == [("toy-ep", "toy", None)]
    assert loaded.languages.owner("toylang") == "toy-ep"
    assert loaded.formats.owner("toyfmt") == "toy-ep"


def test_entry_point_with_unknown_hook_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TEST_PLUGINS))
    monkeypatch.delitem(sys.modules, "typo_hook", raising=False)
    _add_entry_points(monkeypatch, EntryPoint(name="typo", value="typo_hook", group="codeaug"))
    try:
        loaded = load_plugins()
    except pluggy.PluginValidationError:
        pytest.fail("a plugin with an unknown hook took every plugin down")
    assert [p.plugin for p in loaded.problems] == ["typo"]
    assert "python" in loaded.languages
    with pytest.raises(PluginError):
        load_plugins(strict=True)


def test_get_plugins_caches_until_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    plugins_mod.reset_plugins()
    try:
        first = plugins_mod.get_plugins()
        assert plugins_mod.get_plugins() is first
        plugins_mod.reset_plugins()
        assert plugins_mod.get_plugins() is not first
    finally:
        plugins_mod.reset_plugins()


def test_hooks_implemented() -> None:
    toy = _module("toy")
    loaded = load_plugins(extra=[toy])
    assert plugins_mod.hooks_implemented(loaded, toy.__name__) == ["register_formats",
                                                                  "register_languages"]
    assert plugins_mod.hooks_implemented(loaded, "python") == ["register_languages"]
    assert plugins_mod.hooks_implemented(loaded, "nobody") == []
