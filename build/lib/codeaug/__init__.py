"""codeaug: seed coding problems in, sandbox-verified variants out."""

from importlib.metadata import PackageNotFoundError, version

import pluggy

try:
    __version__ = version("codeaug")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

hookimpl = pluggy.HookimplMarker("codeaug")
"""Decorator for plugin authors: ``@codeaug.hookimpl def register_languages(register): ...``."""

__all__ = ["__version__", "hookimpl"]
