"""A plugin that registers a language under an alias another plugin already owns ("py")."""

from codeaug_plugins.python_language import Python

import codeaug


class Snake(Python):
    name = "snake"
    aliases = ("PY",)


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Snake())
