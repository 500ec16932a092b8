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
    from codeaug.formats import Format
    from codeaug.language import Language

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
