"""Shared fixtures. ``CI=true`` turns every "skip because the machine lacks X" into a
failure: in CI, Docker and ../shared/datasets must be there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from codeaug.plugins import Plugins, load_plugins, reset_plugins
from codeaug.testing import in_ci, skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"

settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if in_ci() else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests get their own verdict cache, so a test never passes on a user's old verdicts.

    Image builds stay shared (images live in the engine; only their lock files move).
    """
    old = os.environ.get("CODEAUG_CACHE_DIR")
    os.environ["CODEAUG_CACHE_DIR"] = str(tmp_path_factory.mktemp("codeaug-cache"))
    yield
    if old is None:
        os.environ.pop("CODEAUG_CACHE_DIR", None)
    else:
        os.environ["CODEAUG_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def datasets() -> Path:
    """``../shared/datasets`` beside the checkout."""
    if not DATASETS.is_dir():
        skip_or_fail(f"real datasets not found at {DATASETS}")
    return DATASETS


@pytest.fixture
def plugins() -> Iterator[Plugins]:
    """A fresh plugin manager with the installed entry points (built-ins included)."""
    reset_plugins()
    loaded = load_plugins()
    yield loaded
    reset_plugins()
