"""Loading plugins: lazily, once, from the ``codeaug`` entry-point group.

``CODEAUG_LOAD_PLUGINS=a,b`` restricts loading to the named entry points (built-ins
included); ``CODEAUG_DISABLE_PLUGIN_AUTOLOAD=1`` loads none (tests then register what
they need with :func:`get_plugin_manager` ``().register``). A plugin that fails to import
or whose hook raises is reported by name and skipped, unless ``strict``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING

import pluggy

from codeaug import hookspecs
from codeaug.errors import CodeaugError, PluginError
from codeaug.registry import Registry

if TYPE_CHECKING:
    from codeaug.constraints import Constraint
    from codeaug.filters import Filter
    from codeaug.formats import Format
    from codeaug.language import Language
    from codeaug.mutator import Mutator
    from codeaug.solver import Solver

GROUP = "codeaug"


@dataclass
class PluginInfo:
    """What ``codeaug plugins`` shows for one loaded plugin."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None


@dataclass
class Plugins:
    """The loaded plugin manager and the registries its collector hooks filled."""

    pm: pluggy.PluginManager
    languages: Registry[Language]
    formats: Registry[Format]
    mutators: Registry[Mutator] = field(default_factory=lambda: Registry("mutator"))
    solvers: Registry[Solver] = field(default_factory=lambda: Registry("solver"))
    filters: Registry[Filter] = field(default_factory=lambda: Registry("filter"))
    constraints: Registry[Constraint] = field(default_factory=lambda: Registry("constraint"))
    info: list[PluginInfo] = field(default_factory=list)
    problems: list[PluginError] = field(default_factory=list)


_loaded: Plugins | None = None


def get_plugins(*, strict: bool = False) -> Plugins:
    """Load plugins on first use and return them; later calls reuse the same set."""
    global _loaded
    if _loaded is None:
        _loaded = load_plugins(strict=strict)
    return _loaded


def reset_plugins() -> None:
    """Forget the loaded plugins (tests use it to start from a fresh manager)."""
    global _loaded
    _loaded = None


def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    return pm


def load_plugins(
    *, strict: bool = False, extra: list[ModuleType] | None = None
) -> Plugins:
    """Import every entry point of the ``codeaug`` group and run the collector hooks."""
    pm = new_plugin_manager()
    plugins = Plugins(pm, Registry("language"), Registry("format"))
    wanted = os.environ.get("CODEAUG_LOAD_PLUGINS")
    allow = {n.strip() for n in wanted.split(",") if n.strip()} if wanted else None
    if not os.environ.get("CODEAUG_DISABLE_PLUGIN_AUTOLOAD"):
        for ep in entry_points(group=GROUP):
            if allow is not None and ep.name not in allow:
                continue
            try:
                module = ep.load()
            except Exception as exc:  # a broken plugin must not take the run down
                _problem(plugins, PluginError(ep.name, f"failed to load: {exc!r}"), strict)
                continue
            if not _register(plugins, module, ep.name, strict):
                continue
            dist = ep.dist
            plugins.info.append(
                PluginInfo(ep.name, ep.value, dist.name if dist else None,
                           dist.version if dist else None)
            )
    for module in extra or []:
        if _register(plugins, module, module.__name__, strict):
            plugins.info.append(PluginInfo(module.__name__, module.__name__))
    _collect(plugins, "register_languages", plugins.languages, strict)
    _collect(plugins, "register_formats", plugins.formats, strict)
    _collect(plugins, "register_mutators", plugins.mutators, strict)
    _collect(plugins, "register_solvers", plugins.solvers, strict)
    _collect(plugins, "register_filters", plugins.filters, strict)
    _collect(plugins, "register_constraints", plugins.constraints, strict)
    return plugins


def _register(plugins: Plugins, module: ModuleType, name: str, strict: bool) -> bool:
    """Register one plugin and check its hooks exist (a misspelt hook is its problem only)."""
    try:
        plugins.pm.register(module, name=name)
        plugins.pm.check_pending()
    except Exception as exc:
        if plugins.pm.is_registered(module):
            plugins.pm.unregister(module)
        _problem(plugins, PluginError(name, f"invalid plugin: {exc}"), strict)
        return False
    return True


def _collect(plugins: Plugins, hook: str, registry: Registry, strict: bool) -> None:  # type: ignore[type-arg]
    # Call each plugin's implementation on its own, so one that raises is skipped and
    # named while the others still register.
    for impl in getattr(plugins.pm.hook, hook).get_hookimpls():
        try:
            impl.function(registry.registrar(impl.plugin_name))
        except CodeaugError as exc:
            _problem(plugins, exc if isinstance(exc, PluginError)
                     else PluginError(impl.plugin_name, str(exc)), strict)
        except Exception as exc:
            _problem(plugins, PluginError(impl.plugin_name, f"{hook} raised {exc!r}"), strict)


def _problem(plugins: Plugins, error: PluginError, strict: bool) -> None:
    if strict:
        raise error
    plugins.problems.append(error)


def hooks_implemented(plugins: Plugins, name: str) -> list[str]:
    """Names of the hooks plugin ``name`` implements."""
    module = plugins.pm.get_plugin(name)
    return sorted(
        hc.name for hc in plugins.pm.get_hookcallers(module) or []
    ) if module is not None else []
