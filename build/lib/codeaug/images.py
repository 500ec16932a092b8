"""Sandbox images: built offline from the machine's Debian package sources.

(Interface stub; the builder is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable


@dataclass(frozen=True)
class ImageSpec:
    """Names an image definition: the folder ``sandbox/<name>/`` shipped in the wheel."""

    name: str


def sandbox_dir() -> Traversable:
    """The shipped ``sandbox/`` folder (image definitions and the in-container runner)."""
    return files("codeaug._sandbox")
