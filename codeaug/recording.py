"""From ``code`` tests to ``calls`` tests: record what a seed's own tests call.

Why: most seed sets ship assert-style Python test programs (HumanEval's
``def check(candidate): assert candidate(...) == ...``). Those only run in Python, while
``calls`` tests (``entry_point(*args) == expected``) are language-neutral: any language
plugin can run them and the host compares (:mod:`codeaug.compare`), which is what a
translation of the seed into another language needs. Rather than parse asserts, we run
the seed's test program, in the sandbox, against an instrumented entry point and write
down every call it makes together with what the reference solution returned.

How:

* **The job** is exactly what ``verify`` runs for the record (the Python plugin's own
  ``build_job``: solution, a blank line, the test program) plus one line after the
  solution that wraps the entry point (``_codeaug_recorder.py``, :data:`RECORDER`). The
  wrapper binds the arguments to the real function's parameters (defaults filled in),
  records them *before* the call, calls the real function on a deep copy of them, and
  records the result.
* **Mutation**: the solution works on a deep copy of the arguments, so the test
  program's own objects stay unchanged: a solution that sorts its argument in place is
  recorded (``mutates_arguments`` in the meta) when the tests do not look at the
  argument afterwards, and refused ("mutates its arguments and the tests observe it")
  when they then fail.
* **Only the test program's calls** are recorded: a depth counter skips the solution's
  own recursive calls (they go through the wrapper too, the name being rebound), and a
  call is recorded only when the calling frame is in the test program (after the wrapping
  line), not a helper of the solution.
* **The channel**: records are lines on a private duplicate of stdout, each
  ``@@codeaug-rec@@<nonce> <kind> <json>``. The nonce is random per run and reaches the
  wrapper through stdin, read only *after* the solution's module code has run, so
  nothing the solution prints (in its module code or later, not knowing the nonce) is
  taken for a record; lines with another nonce are ignored.
* **Values** travel as JSON with type tags (``{"$": "tuple", "v": [...]}``, ``set``,
  ``dict`` as key/value pairs so int keys stay ints, non-finite floats), so tuples, sets,
  int-keyed dicts, floats and ``None`` come back as what they were. Anything else (an
  object, a function, a generator, bytes...) is tagged ``unrepresentable``.
* **Types**: the values are mapped to neutral types (:mod:`codeaug.typesys`) and checked
  against the record's signature (from the type hints, :mod:`codeaug.pysignature`);
  where the signature says ``any`` the type is inferred from the values (every call must
  agree). A hint that a value contradicts refuses the recording, except that ``None``
  values widen a type to ``optional[...]``. Ints and floats mix where the signature says
  ``float``; where it says nothing, they become ``float`` only because the cases are
  then replayed (below), which proves the reference gives the same results when every
  such number is a float (``median([3, 1, 2]) == 2`` and ``median([1.5, 2]) == 1.75``
  pass; ``any_int(2, 3, 1)``, true for ints only, does not: refused). Widenings are
  listed in the meta.
* **Determinism**: the program runs twice (each run a fresh fork, where ``random`` is
  reseeded); a call made in both runs with the same arguments must give the same
  result, as must repeated calls within a run. Then the recorded record's ``calls`` tests are
  run (replayed) through the Python plugin as ``verify`` would: the reference solution
  must pass its own recorded cases in yet another process, or nothing is recorded.

Identical calls are recorded once, in first-call order. On success the record's
``tests`` become the ``calls`` cases, its signature the confirmed (or filled) one, and
the seed's own tests stay in ``meta["seed_tests"]``; ``meta["calls_recording"]`` says
what happened. Where recording is impossible (no entry point, the seed's tests fail, no
call, a value with no neutral type, arguments mutated, non-deterministic results...) the
record keeps its ``code`` tests and ``meta["calls_recording"]`` gives the reason.
"""

from __future__ import annotations

import json
import math
import secrets
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

import codeaug
from codeaug.executor.pool import Executor, PoolOptions, SandboxFailure
from codeaug.executor.protocol import Job, JobResult, Limits, StepResult
from codeaug.judging import last_line
from codeaug.language import Language
from codeaug.record import CallCase, CallsTests, CodeTests, Param, Problem, Signature, shown
from codeaug.typesys import TypeExpr, parse_type

__all__ = ["RECORDER", "RecordOptions", "Recording", "RecordingError", "calls_from_values",
           "decode_tagged", "infer_type", "record_calls", "recorded_problem", "recorder_module",
           "refine_type"]

#: Marker of a record line; the nonce follows it without a space.
MARKER = "@@codeaug-rec@@"
RECORDER_FILE = "_codeaug_recorder.py"
META_KEY = "calls_recording"
SEED_TESTS_KEY = "seed_tests"

# The wrapper, standard library only: written into each job as _codeaug_recorder.py.
RECORDER = r'''"""codeaug's call recorder (codeaug/recording.py): wraps the entry point and writes
each call the test program makes, with its result, as a tagged JSON line."""

import atexit
import copy
import inspect
import json
import math
import os
import sys
import traceback

MARKER = "@@codeaug-rec@@"
MAX_DEPTH = 100


class Unrepresentable(Exception):
    pass


def tag(value, depth=0):
    """``value`` as JSON with type tags: tuples, sets, dicts (as pairs) and non-finite
    floats tagged; anything not a plain value raises Unrepresentable."""
    if depth > MAX_DEPTH:
        raise Unrepresentable("a value nested more than %d levels deep" % MAX_DEPTH)
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        if value.bit_length() > 13000:
            raise Unrepresentable("an int of more than 3900 digits")
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"$": "float", "v": repr(value)}
    if kind is list:
        return [tag(v, depth + 1) for v in value]
    if kind is tuple:
        return {"$": "tuple", "v": [tag(v, depth + 1) for v in value]}
    if kind is set or kind is frozenset:
        items = [tag(v, depth + 1) for v in value]
        items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return {"$": "set", "v": items}
    if kind is dict:
        return {"$": "dict", "v": [[tag(k, depth + 1), tag(v, depth + 1)]
                                   for k, v in value.items()]}
    raise Unrepresentable("a value of type %s" % kind.__name__)


def install(namespace, name):
    """Rebind ``namespace[name]`` (the entry point) to a recording wrapper."""
    here = sys._getframe(1)
    main_file, boundary = here.f_code.co_filename, here.f_lineno
    nonce = sys.stdin.readline().strip()
    if not nonce:
        return  # the host sees no "begin" record: the channel was never set up
    out = os.dup(1)
    prefix = "\n%s%s " % (MARKER, nonce)

    def emit(kind, payload):
        data = (prefix + kind + " " + json.dumps(payload) + "\n").encode("utf-8",
                                                                         "surrogatepass")
        while data:
            data = data[os.write(out, data):]

    fn = namespace.get(name)
    if fn is None or not callable(fn):
        emit("error", "the solution does not define the entry point `%s`" % name)
        return
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        emit("error", "the entry point has no signature: %s" % exc)
        return
    positional = [p.name for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    others = [p.name for p in sig.parameters.values() if p.name not in positional]
    state = {"depth": 0, "calls": 0}

    def wrapper(*args, **kwargs):
        caller = sys._getframe(1)
        if (state["depth"] or caller.f_code.co_filename != main_file
                or caller.f_lineno <= boundary):
            state["depth"] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                state["depth"] -= 1
        record = {}
        call_args, call_kwargs, passed = args, kwargs, None
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            bound = None  # the call itself raises the same TypeError below
        if bound is not None:
            unsupported = any(n in bound.arguments for n in others)
            if unsupported:
                record["unsupported"] = "a call passes keyword-only or variadic arguments"
            bound.apply_defaults()
            values = [bound.arguments[n] for n in positional]
            try:
                record["args"] = tag(values)
                # The solution gets a copy: a mutation cannot change what was recorded,
                # and the test program sees its own arguments unchanged, so it fails if
                # (and only if) it observes the mutation.
                passed = copy.deepcopy(values)
            except Unrepresentable as exc:
                record["unrepresentable"] = "an argument is %s" % exc
            except Exception as exc:
                record["unrepresentable"] = "an argument cannot be copied (%s)" % (
                    type(exc).__name__)
            if passed is not None and not unsupported:
                call_args, call_kwargs = passed, {}
        state["depth"] += 1
        try:
            result = fn(*call_args, **call_kwargs)
        except BaseException as exc:
            record["raised"] = "".join(
                traceback.format_exception_only(type(exc), exc)).strip()[-300:]
            state["calls"] += 1
            emit("call", record)
            raise
        finally:
            state["depth"] -= 1
        try:
            record["result"] = tag(result)
        except Unrepresentable as exc:
            record.setdefault("unrepresentable", "the result is %s" % exc)
        if passed is not None:
            try:
                after = tag(passed)
            except Unrepresentable:
                after = None
            if json.dumps(after) != json.dumps(record["args"]):
                record["mutated"] = True
        state["calls"] += 1
        emit("call", record)
        return result

    try:
        wrapper.__name__, wrapper.__qualname__ = fn.__name__, fn.__qualname__
        wrapper.__doc__, wrapper.__wrapped__ = fn.__doc__, fn
    except (AttributeError, TypeError):
        pass
    namespace[name] = wrapper
    emit("begin", {"params": positional})
    atexit.register(lambda: emit("end", {"calls": state["calls"]}))
'''

_INSTALL = '__import__("_codeaug_recorder").install(globals(), {name!r})\n'


def recorder_module() -> types.ModuleType:
    """The in-sandbox recorder as a module on the host (for tests of its tagging)."""
    module = types.ModuleType("_codeaug_recorder")
    exec(compile(RECORDER, RECORDER_FILE, "exec"), module.__dict__)
    return module


# ------------------------------------------------------------------ host-side values


class RecordingError(Exception):
    """Why a recording is impossible; the message is the reason kept in the meta."""


class SetValue(tuple):  # type: ignore[type-arg]
    """A recorded set: its items, in the recorder's canonical order."""

    __slots__ = ()


class DictValue(tuple):  # type: ignore[type-arg]
    """A recorded dict: its ``(key, value)`` pairs, in insertion order (keys keep their
    types: an int key stays an int)."""

    __slots__ = ()


def decode_tagged(value: Any) -> Any:
    """A tagged JSON value (as :func:`json.loads` gives it) as a host value: tuples as
    ``tuple``, sets as :class:`SetValue`, dicts as :class:`DictValue`, non-finite floats
    as floats. Raises :class:`RecordingError` for an unknown tag."""
    if isinstance(value, list):
        return [decode_tagged(v) for v in value]
    if isinstance(value, dict):
        kind, items = value.get("$"), value.get("v")
        if kind == "tuple" and isinstance(items, list):
            return tuple(decode_tagged(v) for v in items)
        if kind == "set" and isinstance(items, list):
            return SetValue(decode_tagged(v) for v in items)
        if kind == "dict" and isinstance(items, list):
            return DictValue((decode_tagged(k), decode_tagged(v)) for k, v in items)
        if kind == "float" and isinstance(items, str):
            return float(items)
        raise RecordingError(f"unreadable record value {shown(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, SetValue):
        return "set"
    if isinstance(value, DictValue):
        return "dict"
    if isinstance(value, tuple):
        return "tuple"
    if isinstance(value, list):
        return "list"
    return f"<{type(value).__name__}>"  # not a decoded value: never a neutral kind


ANY = TypeExpr("any")
_SCALAR_KINDS = {"int", "float", "str", "bool"}


def infer_type(values: list[Any], where: str = "a value", widened: list[str] | None = None,
               *, mix_numbers: bool = False) -> TypeExpr:
    """The neutral type of every value in ``values`` (``any`` when there are none).

    ``None`` among others makes ``optional[...]``; tuples of one length are
    ``tuple[...]``, of several lengths (or mixed with lists) ``list[...]``. Values of
    different kinds (an int and a str) have no common neutral type:
    :class:`RecordingError`. Ints and floats together are ``float`` with
    ``mix_numbers`` (told in ``widened``), else an error too.
    """
    if not values:
        return ANY
    rest = [v for v in values if v is not None]
    if not rest:
        return TypeExpr("none")
    inner = _infer_present(rest, where, widened, mix_numbers)
    return TypeExpr("optional", (inner,)) if len(rest) < len(values) else inner


def _infer_present(values: list[Any], where: str, widened: list[str] | None,
                   mix: bool) -> TypeExpr:
    def infer(items: list[Any], at: str) -> TypeExpr:
        return infer_type(items, at, widened, mix_numbers=mix)

    kinds = {_kind(v) for v in values}
    if kinds <= {"list", "tuple"} and kinds:
        tuples = kinds == {"tuple"}
        lengths = {len(v) for v in values}
        if tuples and len(lengths) == 1 and lengths != {0}:
            size = lengths.pop()
            return TypeExpr("tuple", tuple(infer([v[i] for v in values], f"item {i} of {where}")
                                           for i in range(size)))
        return TypeExpr("list", (infer([x for v in values for x in v],
                                       f"an item of {where}"),))
    if kinds == {"int", "float"} and mix:
        if widened is not None:
            widened.append(f"{where}: float (int and float values)")
        return TypeExpr("float")
    if len(kinds) > 1:
        if kinds == {"int", "float"}:
            raise RecordingError(f"{where} mixes int and float values (the signature does "
                                 "not say float)")
        raise RecordingError(f"{where} mixes values of {' and '.join(sorted(kinds))}")
    kind = kinds.pop()
    if kind in _SCALAR_KINDS:
        return TypeExpr(kind)
    if kind == "set":
        return TypeExpr("set", (infer([x for v in values for x in v], f"an item of {where}"),))
    if kind == "dict":
        pairs = [p for v in values for p in v]
        return TypeExpr("dict", (infer([k for k, _ in pairs], f"a key of {where}"),
                                 infer([x for _, x in pairs], f"a value of {where}")))
    raise RecordingError(f"{where} is a {kind}, which has no neutral type")


def refine_type(hint: TypeExpr, values: list[Any], where: str = "a value",
                widened: list[str] | None = None, *, mix_numbers: bool = False) -> TypeExpr:
    """``hint`` checked against ``values``, its ``any`` parts inferred from them
    (:func:`infer_type`, with ``mix_numbers``).

    An int is a float where the hint says ``float``; a tuple is a list where it says
    ``list`` (:mod:`codeaug.pysignature` maps ``Tuple[X, ...]`` to ``list[X]``). ``None``
    where the hint does not allow it widens the type to ``optional[...]`` (told in
    ``widened``). Any other value the hint does not admit: :class:`RecordingError`.
    """
    def refine(t: TypeExpr, items: list[Any], at: str) -> TypeExpr:
        return refine_type(t, items, at, widened, mix_numbers=mix_numbers)

    name = hint.name
    if name == "any":
        return infer_type(values, where, widened, mix_numbers=mix_numbers)
    if not values:
        return hint
    if name == "optional":
        return TypeExpr("optional", (refine(hint.args[0], [v for v in values if v is not None],
                                            where),))
    if name == "none":
        bad = [v for v in values if v is not None]
        return _no(hint, bad[0], where) if bad else hint
    if any(v is None for v in values):
        inner = refine(hint, [v for v in values if v is not None], where)
        if widened is not None:
            widened.append(f"{where}: optional[{inner}] (the hint says {hint})")
        return TypeExpr("optional", (inner,))
    if name in ("int", "str", "bool"):
        for v in values:
            if _kind(v) != name:
                _no(hint, v, where)
        return hint
    if name == "float":
        for v in values:
            if _kind(v) not in ("int", "float"):
                _no(hint, v, where)
        return hint
    if name in ("list", "set"):
        for v in values:
            if _kind(v) not in (("list", "tuple") if name == "list" else ("set",)):
                _no(hint, v, where)
        return TypeExpr(name, (refine(hint.args[0], [x for v in values for x in v],
                                      f"an item of {where}"),))
    if name == "tuple":
        for v in values:
            if _kind(v) not in ("tuple", "list") or len(v) != len(hint.args):
                _no(hint, v, where)
        return TypeExpr("tuple", tuple(refine(t, [v[i] for v in values], f"item {i} of {where}")
                                       for i, t in enumerate(hint.args)))
    if name == "dict":
        for v in values:
            if _kind(v) != "dict":
                _no(hint, v, where)
        pairs = [p for v in values for p in v]
        return TypeExpr("dict", (refine(hint.args[0], [k for k, _ in pairs], f"a key of {where}"),
                                 refine(hint.args[1], [x for _, x in pairs],
                                        f"a value of {where}")))
    raise RecordingError(f"{where}: unknown type {hint}")


def _no(hint: TypeExpr, value: Any, where: str) -> Any:
    raise RecordingError(f"{where} is {shown(_plain(value), 60)} ({_kind(value)}), "
                         f"not a {hint} as the signature says")


def _plain(value: Any) -> Any:
    if isinstance(value, SetValue):
        return set(value) if all(_hashable(v) for v in value) else list(value)
    if isinstance(value, DictValue):
        return {k: _plain(v) for k, v in value} if all(_hashable(k) for k, _ in value) \
            else list(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def to_case_value(value: Any, t: TypeExpr, where: str = "a value") -> Any:
    """A host value of neutral type ``t`` as the JSON a ``calls`` case holds (tuples and
    sets as arrays, dict keys as strings, ints as floats where ``t`` says float).
    Raises :class:`RecordingError` for what a JSON record cannot hold (NaN, infinities,
    dict keys that are not str or int, a str that is not valid Unicode)."""
    name = t.name
    if value is None:
        return None
    if name == "optional":
        return to_case_value(value, t.args[0], where)
    if isinstance(value, bool) or (isinstance(value, int) and name != "float"):
        return value
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise RecordingError(f"{where} is an int too large for a float") from None
        if not math.isfinite(number):
            raise RecordingError(f"{where} is {number!r}, which a JSON record cannot hold")
        return number
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordingError(f"{where} is a str with a lone surrogate") from None
        return value
    if isinstance(value, DictValue):
        key_t, value_t = (t.args if name == "dict" else (ANY, ANY))
        out: dict[str, Any] = {}
        for k, v in value:
            if isinstance(k, bool) or not isinstance(k, int | str):
                raise RecordingError(f"{where} has a dict key of type {_kind(k)}, which "
                                     "cannot be a JSON object key")
            if key_t.name not in ("str", "int", "any"):
                raise RecordingError(f"{where} has {key_t} keys, which cannot be JSON "
                                     "object keys")
            out[str(k)] = to_case_value(v, value_t, f"a value of {where}")
        return out
    if isinstance(value, list | tuple):  # list, tuple, SetValue
        if name == "tuple":
            return [to_case_value(v, a, f"item {i} of {where}")
                    for i, (v, a) in enumerate(zip(value, t.args, strict=True))]
        item_t = t.args[0] if name in ("list", "set") else ANY
        return [to_case_value(v, item_t, f"an item of {where}") for v in value]
    raise RecordingError(f"{where} is a {_kind(value)}, which has no neutral type")


def _contains_any(t: TypeExpr) -> bool:
    return t.name == "any" or any(_contains_any(a) for a in t.args)


# ------------------------------------------------------------------ one run's records


@dataclass
class Call:
    """One recorded call: arguments and result as tagged JSON text and host values."""

    key: str  # canonical JSON of the tagged arguments
    args: list[Any]
    result: Any
    result_json: str
    mutated: bool = False  # the solution changed its (copied) arguments


@dataclass
class RunRecord:
    """What one run of the test program wrote on the recording channel."""

    params: list[str] | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)  # as written; see :func:`to_call`
    ended: bool = False
    error: str = ""


def parse_run(stdout: str, nonce: str) -> RunRecord:
    """The records with ``nonce`` in a run's stdout; other lines are ignored."""
    run = RunRecord()
    prefix = MARKER + nonce + " "
    for line in stdout.split("\n"):
        if not line.startswith(prefix):
            continue
        kind, _, payload = line[len(prefix):].partition(" ")
        try:
            data = json.loads(payload)
        except ValueError:
            raise RecordingError("a record line is cut short (output limit?)") from None
        if kind == "error":
            run.error = str(data)
        elif kind == "begin":
            run.params = list(data["params"])
        elif kind == "end":
            run.ended = True
        elif kind == "call":
            run.calls.append(data)
    return run


def to_call(data: dict[str, Any]) -> Call:
    """One call record as a :class:`Call`; :class:`RecordingError` when it cannot become
    a case (it raised, a value is unrepresentable, the arguments were mutated...)."""
    if "raised" in data:
        raise RecordingError(f"the entry point raised on a call of the tests "
                             f"({data['raised'].splitlines()[-1]}); calls tests cannot "
                             "expect an exception")
    if "unsupported" in data:
        raise RecordingError(data["unsupported"])
    if "unrepresentable" in data:
        raise RecordingError(f"not representable: {data['unrepresentable']}")
    args = decode_tagged(data["args"])
    return Call(json.dumps(data["args"]), args, decode_tagged(data["result"]),
                json.dumps(data["result"]), bool(data.get("mutated")))


def _same(a: Any, b: Any) -> bool:
    """Recorded values equal (floats within 1e-9 relative: a sum in hash order may
    differ in its last bits, far inside the tolerance of ``calls`` comparisons)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# ------------------------------------------------------------- from runs to a record


def calls_from_values(problem: Problem, params: list[str], calls: list[Call], *,
                      mix_numbers: bool = False
                      ) -> tuple[Signature, list[CallCase], list[str]]:
    """The signature and cases for ``calls`` (already deduplicated): the record's
    signature checked against the values and its ``any`` parts inferred; and what was
    widened. Raises :class:`RecordingError`."""
    hints = {p.name: p.type for p in problem.signature.params}
    widened: list[str] = []
    types_: list[TypeExpr] = []
    for i, name in enumerate(params):
        hint = parse_type(hints.get(name, "any"))
        types_.append(refine_type(hint, [c.args[i] for c in calls], f"parameter `{name}`",
                                  widened, mix_numbers=mix_numbers))
    returns = refine_type(parse_type(problem.signature.returns), [c.result for c in calls],
                          "the return value", widened, mix_numbers=mix_numbers)
    cases = [CallCase(args=[to_case_value(a, t, f"parameter `{n}`")
                            for a, t, n in zip(c.args, types_, params, strict=True)],
                      expected=to_case_value(c.result, returns, "the return value"))
             for c in calls]
    signature = Signature(params=[Param(n, str(t)) for n, t in zip(params, types_,
                                                                   strict=True)],
                          returns=str(returns))
    return signature, cases, widened


def recorded_problem(problem: Problem, signature: Signature, cases: list[CallCase],
                     info: dict[str, Any], rel_tol: float = 1e-6, abs_tol: float = 1e-6
                     ) -> Problem:
    """``problem`` with ``calls`` tests: its seed tests kept in ``meta["seed_tests"]``."""
    meta = {**problem.meta, SEED_TESTS_KEY: msgspec.to_builtins(problem.tests),
            META_KEY: info}
    return msgspec.structs.replace(problem, tests=CallsTests(cases=cases, rel_tol=rel_tol,
                                                             abs_tol=abs_tol),
                                   signature=signature, meta=meta)


def code_only(problem: Problem, reason: str) -> Problem:
    """``problem`` unchanged but for ``meta["calls_recording"]`` saying why."""
    return msgspec.structs.replace(problem, meta={**problem.meta, META_KEY: {
        "status": "code-only", "reason": reason, "codeaug": codeaug.__version__}})


# ------------------------------------------------------------------------- the runs


@dataclass
class RecordOptions:
    """``jobs``: warm containers (default one per core); ``replay``: run the recorded
    cases through the ``calls`` harness before accepting them; ``output_bytes``: the
    output kept per run (records included); ``timeout``: wall seconds per run."""

    jobs: int | None = None
    retries: int = 2
    replay: bool = True
    timeout: float | None = None
    output_bytes: int = 16 << 20
    window_per_container: int = 8


@dataclass
class Recording:
    """What became of one record: ``status`` is ``recorded``, ``code-only`` (``reason``
    says why) or ``skipped`` (not a Python record with ``code`` tests; left unchanged)."""

    status: str
    reason: str = ""
    cases: int = 0
    calls: int = 0

    @property
    def recorded(self) -> bool:
        return self.status == "recorded"


def applies(problem: Problem) -> str:
    """Why recording does not apply to ``problem`` ("" when it does)."""
    if not isinstance(problem.tests, CodeTests):
        return f"its tests are {problem.tests.__class__.__name__.removesuffix('Tests').lower()}"\
               " tests, not code tests"
    if problem.language.lower() not in ("python", "py", "python3"):
        return f"recording supports Python records, not {problem.language}"
    return ""


def build_recording_job(language: Language, problem: Problem, limits: Limits, job_id: str,
                        nonces: tuple[str, str]) -> Job:
    """The job ``verify`` runs for ``problem`` (the plugin's own assembly), with the entry
    point wrapped after the solution, run twice (each in a fresh fork: ``random`` is
    reseeded in each)."""
    assert isinstance(problem.tests, CodeTests)
    wrapped = msgspec.structs.replace(
        problem, solution=problem.solution.rstrip("\n") + "\n\n"
        + _INSTALL.format(name=problem.entry_point))
    job = language.build_job(wrapped, limits, job_id)
    if len(job.steps) != 1:
        raise RecordingError("the Python plugin's code-test job has an unexpected shape")
    [step] = job.steps
    first = msgspec.structs.replace(step, name="record", stdin=nonces[0] + "\n",
                                    limits=limits)
    again = msgspec.structs.replace(step, name="again", stdin=nonces[1] + "\n",
                                    limits=limits)
    return Job(job.id, {**job.files, RECORDER_FILE: RECORDER}, [first, again])


def analyse(problem: Problem, result: JobResult, nonces: tuple[str, str], *,
            mix_numbers: bool = False) -> tuple[Signature, list[CallCase], dict[str, Any]]:
    """The recorded signature, cases and meta from a finished recording job; raises
    :class:`RecordingError` with the reason when the runs allow no recording.
    ``mix_numbers``: ints and floats where the signature says ``any`` become ``float``
    (only sound when the cases are then replayed)."""
    if result.runner_error:
        raise RecordingError(f"the sandbox could not run the job: {result.runner_error}")
    steps = {s.name: s for s in result.steps}
    first = steps.get("record")
    if first is None:
        raise RecordingError("the sandbox returned no result for the recording run")
    run = parse_run(first.stdout, nonces[0])
    if run.error:
        raise RecordingError(run.error)
    if any(c.get("mutated") for c in run.calls):
        _check_step(first, "the entry point mutates its arguments and the tests observe it "
                           "(they fail when it works on copies)")
    _check_step(first, "the seed's tests fail with the reference solution")
    calls = [to_call(c) for c in run.calls]
    if run.params is None:
        raise RecordingError("the recorder was not installed (the solution read stdin, "
                             "or the entry point is rebound later)")
    if not run.ended:
        raise RecordingError("the test program did not end normally (os._exit?)")
    if not calls:
        raise RecordingError("the tests made no call to the entry point")
    unique: dict[str, Call] = {}
    for call in calls:
        seen = unique.setdefault(call.key, call)
        if not _same(seen.result, call.result):
            raise RecordingError("non-deterministic: the same arguments gave different "
                                 "results within one run")
    second = steps.get("again")
    if second is None:
        raise RecordingError("the sandbox returned no result for the second run")
    _check_step(second, "non-deterministic: the seed's tests passed in one run and "
                        "failed in another")
    again = parse_run(second.stdout, nonces[1])
    matched = 0
    for call in map(to_call, again.calls):
        seen_first = unique.get(call.key)
        if seen_first is None:
            continue
        matched += 1
        if not _same(seen_first.result, call.result):
            raise RecordingError("non-deterministic: the same arguments gave different "
                                 "results in two runs")
    signature, cases, widened = calls_from_values(problem, run.params, list(unique.values()),
                                                 mix_numbers=mix_numbers)
    info: dict[str, Any] = {
        "status": "recorded", "cases": len(cases), "calls": len(run.calls),
        "signature": ("confirmed" if signature == problem.signature else "filled"),
        "codeaug": codeaug.__version__}
    if widened:
        info["widened"] = widened
    if any(c.mutated for c in calls):
        info["mutates_arguments"] = True  # not observed by the tests
    if matched < len(unique) or len(again.calls) != len(run.calls):
        info["inputs_vary"] = True  # the tests draw (some) arguments at random
    untyped = [p.name for p in signature.params if _contains_any(parse_type(p.type))]
    if _contains_any(parse_type(signature.returns)):
        untyped.append("return")
    if untyped:
        info["untyped"] = untyped  # only empty containers were seen there
    return signature, cases, info


def _check_step(step: StepResult, failing: str) -> None:
    if step.oom_killed:
        raise RecordingError(f"{failing}: out of memory")
    if step.killed_by == "output":
        raise RecordingError("the recorded calls exceed the output limit")
    if step.killed_by:
        how = "timed out" if step.killed_by == "timeout" else f"{step.killed_by} limit"
        raise RecordingError(f"{failing}: {how}")
    if step.exit_code != 0:
        why = last_line(step.stderr) or (f"killed by signal {step.signal}" if step.signal
                                         else f"exit status {step.exit_code}")
        raise RecordingError(f"{failing}: {why}")


@dataclass
class _Item:
    problem: Problem
    nonces: tuple[str, str] = ("", "")
    done: tuple[Problem, Recording] | None = None
    candidate: Problem | None = None  # the recorded record, while it is replayed
    language: Language | None = None


def record_calls(
    problems: Iterable[Problem],
    *,
    client: Any = None,
    plugins: Any = None,
    executor: Executor | None = None,
    options: RecordOptions | None = None,
    on_message: Callable[[str], None] | None = None,
) -> Iterator[tuple[Problem, Recording]]:
    """Record the calls each Python ``code``-tested problem's tests make; yield
    ``(record, outcome)`` in input order: the record with ``calls`` tests (``recorded``),
    unchanged but for the reason in its meta (``code-only``), or unchanged (``skipped``).

    Jobs go through ``executor`` (else a new one on ``client``, default
    :func:`~codeaug.executor.docker_api.connect`) with up to ``jobs`` x
    ``window_per_container`` in flight.
    """
    from codeaug.executor.docker_api import connect  # deferred: docker is not free
    from codeaug.images import ensure_image
    from codeaug.plugins import get_plugins

    options = options or RecordOptions()
    plugins = plugins or get_plugins()
    if executor is None:
        client = client or connect()
        size = options.jobs or PoolOptions().size
        with Executor(client, PoolOptions(size=size, retries=options.retries),
                      on_event=on_message) as own:
            yield from _record(problems, own, client, plugins, options, size, ensure_image,
                               on_message)
        return
    size = options.jobs or executor.options.size
    yield from _record(problems, executor, client or executor.client, plugins, options, size,
                       ensure_image, on_message)


def _record(problems: Iterable[Problem], executor: Executor, client: Any, plugins: Any,
            options: RecordOptions, size: int, ensure_image: Any,
            on_message: Callable[[str], None] | None) -> Iterator[tuple[Problem, Recording]]:
    images: dict[str, str] = {}
    window = max(2, size * options.window_per_container)
    pending: dict[int, _Item] = {}
    next_out = 0

    def limits_for(language: Language) -> Limits:
        limits = msgspec.structs.replace(language.default_limits,
                                         output_bytes=options.output_bytes)
        if options.timeout is not None:
            limits = msgspec.structs.replace(limits, wall_seconds=options.timeout,
                                             cpu_seconds=max(1, math.ceil(options.timeout)))
        return limits

    def image_of(language: Language) -> str:
        if language.image.name not in images:
            images[language.image.name] = ensure_image(client, language.image,
                                                       on_progress=on_message).tag
        return images[language.image.name]

    def finish(item: _Item, record: Problem, outcome: Recording) -> None:
        item.done = (record, outcome)

    def refuse(item: _Item, reason: str) -> None:
        finish(item, code_only(item.problem, reason), Recording("code-only", reason))

    def collect() -> None:
        outcome = executor.next_outcome()
        token: tuple[int, str] = outcome.token  # type: ignore[assignment]
        seq, phase = token
        item = pending[seq]
        if isinstance(outcome.result, SandboxFailure):
            refuse(item, f"the sandbox failed: {outcome.result.reason}")
            return
        assert item.language is not None
        if phase == "record":
            try:
                signature, cases, info = analyse(item.problem, outcome.result, item.nonces,
                                                 mix_numbers=options.replay)
            except RecordingError as exc:
                refuse(item, str(exc))
                return
            candidate = recorded_problem(item.problem, signature, cases, info)
            if not options.replay:
                finish(item, candidate, Recording("recorded", cases=len(cases),
                                                  calls=info["calls"]))
                return
            item.candidate = candidate
            replay = item.language.build_job(candidate, limits_for(item.language),
                                             f"{seq}:replay:{item.problem.id}")
            executor.submit((seq, "replay"), image_of(item.language), replay)
            return
        assert item.candidate is not None
        verdict = item.language.judge(item.candidate, outcome.result)
        if not verdict.passed:
            where = f" ({verdict.failed_test})" if verdict.failed_test else ""
            refuse(item, f"the recorded cases fail when replayed: {verdict.reason}{where}")
            return
        info = item.candidate.meta[META_KEY]
        finish(item, item.candidate, Recording("recorded", cases=info["cases"],
                                               calls=info["calls"]))

    def ready() -> Iterator[tuple[Problem, Recording]]:
        nonlocal next_out
        while next_out in pending and pending[next_out].done is not None:
            item = pending.pop(next_out)
            next_out += 1
            assert item.done is not None
            yield item.done

    for seq, problem in enumerate(problems):
        item = _Item(problem)
        pending[seq] = item
        why = applies(problem)
        if why:
            item.done = (problem, Recording("skipped", why))
        elif not problem.entry_point:
            refuse(item, "the record names no entry point")
        elif not problem.solution.strip():
            refuse(item, "the record has no reference solution")
        else:
            try:
                item.language = plugins.languages.get(problem.language)
                item.nonces = (secrets.token_hex(16), secrets.token_hex(16))
                job = build_recording_job(item.language, problem,
                                          limits_for(item.language),
                                          f"{seq}:record:{problem.id}", item.nonces)
                executor.submit((seq, "record"), image_of(item.language), job)
            except RecordingError as exc:
                refuse(item, str(exc))
        yield from ready()
        while executor.in_flight >= window:
            collect()
            yield from ready()
    while executor.in_flight:
        collect()
        yield from ready()
    yield from ready()
