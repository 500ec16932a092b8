"""The language contract: how a language plugin turns a problem into a sandbox job and
the job's raw results into a verdict.

Registered through the ``register_languages`` hook (see :mod:`codeaug.hookspecs`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from codeaug.executor.protocol import Job, JobResult, Limits
from codeaug.images import ImageSpec
from codeaug.record import Problem
from codeaug.verdict import Verdict


class Language(ABC):
    """A programming language codeaug can verify code in.

    Subclasses set the class attributes and implement :meth:`build_job` and
    :meth:`judge`. Both are pure functions of their arguments, so they can run in any
    process and be unit-tested without Docker.
    """

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    extension: ClassVar[str]
    image: ClassVar[ImageSpec]
    version: ClassVar[str] = "1"
    default_limits: ClassVar[Limits] = Limits()

    @abstractmethod
    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        """Files and steps that compile (if needed) and test ``problem.solution``."""

    @abstractmethod
    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        """Turn the runner's raw step results into a :class:`Verdict`."""
