"""Helpers for testing codeaug plugins (ours and third parties') in a few lines.

    from codeaug.testing import verify_problems

    def test_my_language_passes_its_reference():
        [verdict] = verify_problems([my_problem])
        assert verdict.passed, verdict.reason

``skip_or_fail`` skips a test on a machine that lacks Docker or data, but fails it when
``CI=true``, where such a skip would hide a broken pipeline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from codeaug.executor.docker_api import connect
from codeaug.plugins import Plugins, get_plugins
from codeaug.record import Problem
from codeaug.verdict import Verdict
from codeaug.verify import VOLATILE_VERIFICATION_KEYS, Verifier, VerifyOptions, VerifySummary


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


# ------------------------------------------------------------ interrupted-run helpers


def interruptible_dataset(path: Path, examples: Path, count: int, sleep: float) -> Path:
    """``count`` quick Python records from ``examples``, every fourth one broken on
    purpose, each sleeping ``sleep`` seconds so a run lasts long enough to be interrupted."""
    import json

    seeds = [json.loads(line) for line in examples.read_text().splitlines() if line.strip()]
    lines = []
    for i in range(count):
        item = dict(seeds[i % len(seeds)])
        item["id"] = f"{item['id']}#{i}"
        solution = f"import time as _t\n_t.sleep({sleep})\n{item['solution']}"
        if i % 4 == 1:
            solution += "\nraise SystemExit(3)\n"
        item["solution"] = solution
        lines.append(json.dumps(item) + "\n")
    path.write_text("".join(lines))
    return path


def output_record_set(*paths: Path) -> set[str]:
    """The records of output files as a set, without what differs between runs
    (:data:`codeaug.verify.VOLATILE_VERIFICATION_KEYS`); asserts there is no partial
    line and no repeated id, which is what "nothing lost, nothing duplicated" means."""
    out: list[str] = []
    ids: list[str] = []
    for path in paths:
        data = path.read_bytes() if path.exists() else b""
        assert not data or data.endswith(b"\n"), f"{path} ends with a partial line"
        for line in data.splitlines():
            record = json.loads(line)
            for key in VOLATILE_VERIFICATION_KEYS:
                record["meta"]["verification"].pop(key, None)
            ids.append(record["id"])
            out.append(json.dumps(record, sort_keys=True))
    assert len(ids) == len(set(ids)), "a record was written twice"
    return set(out)


# ---------------------------------------------------------------- hypothesis strategies
# Typed values for round-trip tests of a language's rendering: a neutral type and JSON
# values of it, including the awkward ones (negative zero, huge magnitudes, quotes,
# backslashes, newlines, non-ASCII, empty and nested containers, null).

from typing import Literal  # noqa: E402

from hypothesis import strategies as st  # noqa: E402

from codeaug.typesys import TypeExpr  # noqa: E402

SCALAR_TYPES = ("int", "float", "str", "bool")
_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable as UTF-8


def neutral_types(max_depth: int = 3, scalars: tuple[str, ...] = SCALAR_TYPES,
                  containers: tuple[str, ...] = ("list", "set", "dict", "tuple", "optional"),
                  ) -> st.SearchStrategy[TypeExpr]:
    """Neutral types up to ``max_depth`` levels of nesting."""
    leaf = st.sampled_from([TypeExpr(s) for s in scalars])
    if max_depth <= 1 or not containers:
        return leaf

    def extend(inner: st.SearchStrategy[TypeExpr]) -> st.SearchStrategy[TypeExpr]:
        options = []
        if "list" in containers:
            options.append(inner.map(lambda t: TypeExpr("list", (t,))))
        if "set" in containers:
            options.append(st.sampled_from(
                [TypeExpr("set", (TypeExpr(s),)) for s in ("int", "str") if s in scalars]))
        if "optional" in containers:
            options.append(inner.filter(lambda t: t.name != "optional")
                           .map(lambda t: TypeExpr("optional", (t,))))
        if "dict" in containers:
            keys = st.sampled_from([TypeExpr(s) for s in ("str", "int") if s in scalars])
            options.append(st.tuples(keys, inner).map(lambda kv: TypeExpr("dict", kv)))
        if "tuple" in containers:
            options.append(st.lists(inner, min_size=1, max_size=3)
                           .map(lambda ts: TypeExpr("tuple", tuple(ts))))
        return st.one_of(*options) if options else inner

    return st.recursive(leaf, extend, max_leaves=max_depth * 2)


def floats() -> st.SearchStrategy[float]:
    """Finite floats with the cases that break renderers: -0.0, 1e308, 5e-324, 0.1."""
    return st.one_of(
        st.sampled_from([0.0, -0.0, 0.1, -2.5, 1e308, -1e308, 5e-324, 1e-7, 123456789.125]),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
    )


def strings() -> st.SearchStrategy[str]:
    """Text with quotes, backslashes, control characters and non-ASCII (no surrogates)."""
    return st.one_of(
        st.sampled_from(["", "\"", "'", "\\", "\n", "\t", "a\"b\\c\nd", "é", "日本", "😀",
                         "\\n", "%s%d", "${x}", "\x00"]),
        st.text(st.characters(exclude_categories=_SURROGATES), max_size=12),
    )


def values_of(t: TypeExpr, *, int_bits: int = 63) -> st.SearchStrategy[object]:
    """JSON values of neutral type ``t`` (ints within ``int_bits`` signed bits)."""
    name = t.name
    if name == "int":
        bound = 2 ** int_bits - 1
        return st.one_of(st.sampled_from([0, -1, 1, bound, -bound]),
                         st.integers(-bound, bound))
    if name == "float":
        return floats()
    if name == "str":
        return strings()
    if name == "bool":
        return st.booleans()
    if name == "none":
        return st.none()
    if name == "optional":
        return st.one_of(st.none(), values_of(t.args[0], int_bits=int_bits))
    if name == "list":
        return st.lists(values_of(t.args[0], int_bits=int_bits), max_size=4)
    if name == "set":
        return st.lists(values_of(t.args[0], int_bits=int_bits), max_size=4, unique=True)
    if name == "tuple":
        return st.tuples(*(values_of(a, int_bits=int_bits) for a in t.args)).map(list)
    if name == "dict":
        key, item = t.args
        keys = (st.integers(-1000, 1000).map(str) if key.name == "int" else strings())
        return st.dictionaries(keys, values_of(item, int_bits=int_bits), max_size=3)
    raise ValueError(f"no values for {t}")


def typed_values(**kwargs: object) -> st.SearchStrategy[tuple[TypeExpr, object]]:
    """A neutral type together with one value of it."""
    return neutral_types(**kwargs).flatmap(  # type: ignore[arg-type]
        lambda t: st.tuples(st.just(t), values_of(t)))


# --------------------------------------------- hand-written problems and a warm pool
# What every language's integration tests share: problems built in one line, and a batch
# of them judged in warm containers (several in flight), verdicts in input order.

from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

from codeaug.executor.pool import Executor  # noqa: E402
from codeaug.executor.protocol import JobResult, Limits  # noqa: E402
from codeaug.images import ImageRef  # noqa: E402
from codeaug.language import Language  # noqa: E402
from codeaug.record import (  # noqa: E402
    CallCase,
    CallsTests,
    CodeTests,
    IoCase,
    IoTests,
    Param,
    Signature,
)


def calls_problem(language: str, ident: str, solution: str, params: list[tuple[str, str]],
                  returns: str, cases: list[tuple[list[Any], Any]], *,
                  entry_point: str | None = None, **tolerances: float) -> Problem:
    """A ``calls`` problem: ``params`` as ``(name, neutral type)`` pairs, ``cases`` as
    ``(args, expected)``; the entry point is the last part of ``ident`` unless given
    (``"hw/add"`` calls ``add``); ``rel_tol``/``abs_tol`` as in :class:`CallsTests`."""
    return Problem(
        id=ident, language=language, prompt="",
        entry_point=ident.split("/")[-1] if entry_point is None else entry_point,
        signature=Signature(params=[Param(n, t) for n, t in params], returns=returns),
        solution=solution,
        tests=CallsTests(cases=[CallCase(args=a, expected=e) for a, e in cases],
                         **tolerances))


def io_problem(language: str, ident: str, solution: str,
               cases: list[tuple[str, str]]) -> Problem:
    """An ``io`` problem: ``cases`` as ``(stdin, expected stdout)``."""
    return Problem(id=ident, language=language, prompt="", solution=solution,
                   tests=IoTests(cases=[IoCase(stdin=i, stdout=o) for i, o in cases]))


def code_problem(language: str, ident: str, solution: str, test: str) -> Problem:
    """A ``code`` problem: ``test`` is a test program in the problem's language."""
    return Problem(id=ident, language=language, prompt="", solution=solution,
                   tests=CodeTests(code=test))


def judge_in_pool(language: Language, executor: Executor, image: ImageRef,
                  problems: Sequence[Problem], limits: Limits | None = None, *,
                  timeout: float = 300) -> list[Verdict]:
    """Submit every problem's job to ``executor`` at once (``limits`` default to the
    language's) and judge the results; verdicts in input order. A job the sandbox
    failed fails the test: it says nothing about the candidate."""
    for i, problem in enumerate(problems):
        executor.submit(i, image.tag, language.build_job(
            problem, limits or language.default_limits, f"{i}:{problem.id}"))
    verdicts: dict[int, Verdict] = {}
    for _ in problems:
        outcome = executor.next_outcome(timeout=timeout)
        if not isinstance(outcome.result, JobResult):
            raise AssertionError(f"the sandbox failed the job: {outcome.result}")
        token = int(outcome.token)  # type: ignore[call-overload]
        verdicts[token] = language.judge(problems[token], outcome.result)
    return [verdicts[i] for i in range(len(problems))]
