"""Sandbox images: built offline from the machine's Debian package sources.

(Interface stub; the builder is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImageSpec:
    """Names an image definition: the folder ``sandbox/<name>/`` shipped in the wheel."""

    name: str


def sandbox_dir() -> Path:
    """The ``sandbox/`` folder (image definitions and the in-container runner).

    In a wheel it is installed as ``codeaug/_sandbox``; in a source checkout (editable
    install) it is the top-level ``sandbox/`` beside the package.
    """
    here = Path(__file__).resolve().parent
    shipped = here / "_sandbox"
    return shipped if shipped.is_dir() else here.parent / "sandbox"
