"""Helpers for testing codeaug plugins (ours and third parties') in a few lines.

    from codeaug.testing import verify_problems

    def test_my_language_passes_its_reference():
        [verdict] = verify_problems([my_problem])
        assert verdict.passed, verdict.reason

``skip_or_fail`` skips a test on a machine that lacks Docker or data, but fails it when
``CI=true``, where such a skip would hide a broken pipeline.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pytest

from codeaug.executor.docker_api import connect
from codeaug.plugins import Plugins, get_plugins
from codeaug.record import Problem
from codeaug.verdict import Verdict
from codeaug.verify import Verifier, VerifyOptions, VerifySummary


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where the requirement must hold."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def verify_problems(
    problems: Iterable[Problem],
    *,
    plugins: Plugins | None = None,
    options: VerifyOptions | None = None,
) -> list[Verdict]:
    """Verify records in the real sandbox and return their verdicts in input order."""
    verifier = Verifier(plugins or get_plugins(), connect(), options or VerifyOptions(jobs=1))
    return [verdict for _, verdict in verifier.verify_stream(list(problems), VerifySummary())]
