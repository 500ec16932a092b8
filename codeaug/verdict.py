"""What the sandbox concluded about one candidate. Data, never an exception."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Status(StrEnum):
    """The verdicts, from best to worst. Only ``passed`` reaches a dataset."""

    PASSED = "passed"
    FAILED = "failed"  # a test ran and its check did not hold
    ERROR = "error"  # exception or non-zero exit outside a test check
    COMPILE_ERROR = "compile_error"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"  # infrastructure failed; retried, never counted as failed
    # Never run, decided by ``codeaug expand`` before or after the sandbox:
    UNSOLVED = "unsolved"  # a variant with no solution, and no solver proposed one
    SKIPPED = "skipped"  # a mutator could not produce this variant (the reason says why)
    FILTERED = "filtered"  # passed, then a filter plugin kept it out of the dataset


class Verdict(msgspec.Struct, omit_defaults=True):
    """The judgement of one candidate.

    ``reason`` is one human-readable line; ``failed_test`` names the first failing
    test (a case index and call, or the failing assertion line) when known.
    """

    status: Status
    reason: str = ""
    failed_test: str | None = None
    duration: float = 0.0
    stdout: str = ""
    stderr: str = ""
    image: str | None = None
    attempts: int = 1

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED
