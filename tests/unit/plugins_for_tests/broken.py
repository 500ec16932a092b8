"""A plugin whose language collector raises (loaded by tests/unit/test_registry_plugins.py)."""

import codeaug


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    raise RuntimeError("broken plugin exploded")
