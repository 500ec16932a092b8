"""A plugin with a misspelled hook name (register_language, no s)."""

import codeaug


@codeaug.hookimpl
def register_language(register):  # type: ignore[no-untyped-def]
    raise AssertionError("never called: no such hook")
