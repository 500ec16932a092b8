"""The hooks a codeaug plugin can implement. This module is the reference for plugin authors.

A plugin is any module listed under the ``codeaug`` entry-point group::

    # pyproject.toml of a third-party package
    [project.entry-points.codeaug]
    my_lang = "my_package.codeaug_plugin"

    # my_package/codeaug_plugin.py
    import codeaug

    @codeaug.hookimpl
    def register_languages(register):
        register(MyLanguage())

The built-in plugins in ``plugins/`` (installed as ``codeaug_plugins``) are registered
through the same entry points. Collector hooks take a ``register`` callable; registering
a name twice is an error naming both plugins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from codeaug.constraints import Constraint
    from codeaug.filters import Filter
    from codeaug.formats import Format
    from codeaug.language import Language
    from codeaug.mutator import Mutator
    from codeaug.solver import Solver

hookspec = pluggy.HookspecMarker("codeaug")


@hookspec
def register_languages(register: Callable[[Language], None]) -> None:
    """Register the languages this plugin can run in the sandbox.

    Called once, when the plugin manager is first used.

    Args:
        register: call it with each :class:`codeaug.language.Language` instance. Its
            ``name`` and ``aliases`` must not collide with another plugin's.
    """


@hookspec
def register_formats(register: Callable[[Format], None]) -> None:
    """Register dataset formats that ``codeaug import FORMAT`` can read.

    Called once, when the plugin manager is first used.

    Args:
        register: call it with each :class:`codeaug.formats.Format` instance; its
            ``name`` is what users type after ``codeaug import``.
    """


@hookspec
def register_mutators(register: Callable[[Mutator], None]) -> None:
    """Register mutators that ``codeaug expand --mutator NAME`` can apply.

    Called once, when the plugin manager is first used (also in each worker process of
    ``expand``).

    Args:
        register: call it with each :class:`codeaug.mutator.Mutator` instance.

    Example::

        class Shout(Mutator):
            name = "shout"
            summary = "Upper-case the prompt."

            def mutate(self, problem, params, rng):
                yield Variant(msgspec.structs.replace(problem, prompt=problem.prompt.upper()),
                              label="upper")

        @codeaug.hookimpl
        def register_mutators(register):
            register(Shout())
    """


@hookspec
def register_solvers(register: Callable[[Solver], None]) -> None:
    """Register solvers that propose solutions for variants without one
    (``codeaug expand --solver NAME``).

    Args:
        register: call it with each :class:`codeaug.solver.Solver` instance.
    """


@hookspec
def register_filters(register: Callable[[Filter], None]) -> None:
    """Register post-verification filters (``codeaug expand --filter NAME``).

    Args:
        register: call it with each :class:`codeaug.filters.Filter` instance.
    """


@hookspec
def register_constraints(register: Callable[[Constraint], None]) -> None:
    """Register constraint checkers: the names a record's ``constraints`` may use.

    ``codeaug verify`` fails a solution that breaks one, before running its tests.

    Args:
        register: call it with each :class:`codeaug.constraints.Constraint` instance.
    """
