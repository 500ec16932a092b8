"""The language contract: how a language plugin turns a problem into a sandbox job and
the job's raw results into a verdict.

Registered through the ``register_languages`` hook (see :mod:`codeaug.hookspecs`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits
from codeaug.images import ImageSpec
from codeaug.record import Problem
from codeaug.typesys import TypeExpr
from codeaug.verdict import Verdict


class Language(ABC):
    """A programming language codeaug can verify code in.

    Subclasses set the class attributes and implement :meth:`build_job` and
    :meth:`judge`. Both are pure functions of their arguments, so they can run in any
    process and be unit-tested without Docker. :meth:`render_type` and
    :meth:`render_value` turn neutral types and ``calls`` values into source text; they
    are what harnesses and translation are built from.

    Attributes:
        name: what records say in ``language``; ``aliases`` are accepted too.
        extension: of a source file, with the dot.
        image: the sandbox image the language runs in.
        version: of this language support; recorded in every verdict's provenance.
        tree_sitter: the name of the tree-sitter grammar that parses the language.
        default_limits: per-step limits unless the user overrides them.
    """

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    extension: ClassVar[str]
    image: ClassVar[ImageSpec]
    version: ClassVar[str] = "1"
    tree_sitter: ClassVar[str | None] = None
    default_limits: ClassVar[Limits] = Limits()

    @abstractmethod
    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        """Files and steps that compile (if needed) and test ``problem.solution``."""

    @abstractmethod
    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        """Turn the runner's raw step results into a :class:`Verdict`."""

    def render_type(self, t: TypeExpr) -> str:
        """The language's spelling of neutral type ``t`` (``list[float]`` -> ``vector<double>``).

        Raises:
            UnsupportedTypeError: the language cannot express ``t``.
        """
        raise UnsupportedTypeError(self.name, str(t), "no type rendering")

    def render_value(self, value: Any, t: TypeExpr) -> str:
        """A source literal for ``value`` (decoded JSON) of neutral type ``t``.

        Raises:
            UnsupportedTypeError: the language cannot express ``t`` or this value of it.
        """
        raise UnsupportedTypeError(self.name, str(t), "no value rendering")


def split_generic(text: str) -> tuple[str, list[str]]:
    """A language's written generic type split into its head and top-level arguments:
    ``HashMap<String, Vec<i32>>`` -> ``("HashMap", ["String", "Vec<i32>"])``. Commas
    inside nested ``<>`` or ``()`` (Rust tuples) do not split. For plugins that read a
    dataset's own declarations (Java, Rust)."""
    text = text.strip()
    if "<" not in text or not text.endswith(">"):
        return text, []
    head, _, rest = text.partition("<")
    args, depth, start = [], 0, 0
    body = rest[:-1]
    for i, ch in enumerate(body):
        depth += ch in "<("
        depth -= ch in ">)"
        if ch == "," and depth == 0:
            args.append(body[start:i].strip())
            start = i + 1
    args.append(body[start:].strip())
    return head.strip(), args
