"""The mutator contract: how a plugin rewrites a problem into variants.

A mutator is registered through the ``register_mutators`` hook (see
:mod:`codeaug.hookspecs`). ``codeaug expand`` calls :meth:`Mutator.mutate` with the
parameters the user gave (``--mutator NAME:k=v,...``, validated against
:attr:`Mutator.Params`) and a :class:`random.Random` that is the *only* source of
randomness allowed, so ``--seed`` reproduces a run byte for byte. It records the
provenance (parent, chain of mutations with versions and parameters) itself: a mutator
only says what it did in :attr:`Variant.label`.
"""

from __future__ import annotations

import hashlib
import json
import random
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import msgspec

from codeaug.errors import CodeaugError
from codeaug.record import Problem


class NoParams(msgspec.Struct, forbid_unknown_fields=True):
    """For mutators without parameters."""


@dataclass
class Variant:
    """One rewritten problem.

    ``problem`` keeps the parent's ``id`` and ``meta`` (expand replaces both); its
    ``solution`` is the mutated reference, or ``""`` when the mutator cannot carry the
    solution along (a solver plugin then proposes one). ``label`` says what was done in
    a few words (``"for->while"``); it makes the variant's id. ``details`` is recorded.
    """

    problem: Problem
    label: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Skipped:
    """The mutator does not apply to this problem, and why (counted in the manifest,
    and written to ``rejected.jsonl`` when ``record`` is set, e.g. an untranslatable
    type)."""

    reason: str
    record: bool = False


class Mutator(ABC):
    """Rewrites a problem into variants.

    Attributes:
        name: what users type after ``--mutator``.
        version: bump it whenever output for the same input and seed changes; it is part
            of every variant's provenance.
        summary: one line for ``codeaug plugins`` and ``codeaug expand --help``.
        languages: the record languages it applies to (``None``: any).
        Params: a :class:`msgspec.Struct` with defaults; ``--mutator name:k=v`` values are
            converted to its field types. Describe a field with
            ``Annotated[int, msgspec.Meta(ge=1, description="...")]``.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    summary: ClassVar[str] = ""
    languages: ClassVar[frozenset[str] | None] = None
    Params: ClassVar[type[msgspec.Struct]] = NoParams

    def skip_reason(self, problem: Problem) -> str | None:
        """Why this mutator cannot rewrite ``problem`` at all, or None."""
        if self.languages is not None and problem.language not in self.languages:
            return f"{self.name} does not support language {problem.language!r}"
        return None

    @abstractmethod
    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        """Yield variants of ``problem`` (or one :class:`Skipped`).

        Must be a pure function of its arguments: no global state, no time, no other
        randomness than ``rng``.
        """


class MutatorSpecError(CodeaugError):
    """A ``--mutator`` option that names no mutator or has bad parameters."""


@dataclass(frozen=True)
class MutatorSpec:
    """A mutator with validated parameters, as given on the command line."""

    mutator: Mutator
    params: Any

    @property
    def name(self) -> str:
        return self.mutator.name

    def params_dict(self) -> dict[str, Any]:
        return msgspec.to_builtins(self.params)  # type: ignore[no-any-return]


def parse_spec(text: str) -> tuple[str, dict[str, str]]:
    """``"rename:style=camel,count=2"`` -> ``("rename", {"style": "camel", "count": "2"})``."""
    name, _, rest = text.partition(":")
    raw: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq or not key.strip():
            raise MutatorSpecError(f"--mutator {text}: expected key=value, got {part!r}")
        raw[key.strip().replace("-", "_")] = value.strip()
    return name.strip(), raw


def build_params(mutator: Mutator, raw: dict[str, Any]) -> Any:
    """Validate and convert ``raw`` into the mutator's ``Params`` (strings are converted
    to the field types: ``"2"`` -> 2, ``"true"`` -> True)."""
    try:
        return msgspec.convert(raw, mutator.Params, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        raise MutatorSpecError(f"mutator {mutator.name}: {message.replace('$.', '')}") from None


def params_help(mutator: Mutator) -> list[tuple[str, str, str]]:
    """``(name, type and default, description)`` per parameter, for ``--help``."""
    rows = []
    info = msgspec.inspect.type_info(mutator.Params)
    for f in info.fields:  # type: ignore[attr-defined]
        kind = type(f.type).__name__.removesuffix("Type").lower()
        default = "" if f.default is msgspec.NODEFAULT else f" = {f.default!r}"
        description = getattr(f.type, "extra", None) or {}
        desc = getattr(f.type, "description", None) or description.get("description", "")
        rows.append((f.name, f"{kind}{default}", desc or ""))
    return rows


def variant_id(parent_id: str, mutator: str, label: str, params: dict[str, Any]) -> str:
    """Stable and readable: ``HumanEval/0~rename-3f2a9c1e``."""
    digest = hashlib.sha256(json.dumps([mutator, label, params], sort_keys=True)
                            .encode()).hexdigest()[:8]
    return f"{parent_id}~{mutator}-{digest}"


def with_provenance(parent: Problem, variant: Variant, spec: MutatorSpec,
                    plugin: str | None) -> Problem:
    """The variant with its id and ``meta.parent``/``meta.seed``/``meta.mutations``."""
    params = spec.params_dict()
    step = {"name": spec.name, "version": spec.mutator.version, "params": params,
            "label": variant.label}
    if plugin:
        step["plugin"] = plugin
    if variant.details:
        step["details"] = variant.details
    # The mutator's meta (it started as the parent's) minus the parent's verdict, plus
    # the provenance, which only expand writes.
    meta = {k: v for k, v in variant.problem.meta.items() if k != "verification"}
    meta.update(parent=parent.id, seed=parent.meta.get("seed", parent.id),
                mutations=[*parent.meta.get("mutations", []), step])
    return msgspec.structs.replace(
        variant.problem, id=variant_id(parent.id, spec.name, variant.label, params), meta=meta)
