"""The ``strengthen`` mutator: more test cases for a ``calls`` problem, chosen to catch bugs.

Why: seed suites are small (HumanEval has a handful of asserts per problem), so wrong
solutions pass them. New inputs whose expected values come from the reference make a
suite that rejects more of the small bugs planted by :mod:`codeaug.mutants`.

How: a *profile* of each parameter is read from its neutral type and the seed's inputs
(int/float ranges, string lengths and alphabets, container sizes, whether ``None``
occurs). Candidates are seed inputs mutated type-aware (one argument moved by one,
an item dropped, a character replaced...) and fresh inputs drawn from the profile with
hypothesis strategies built from it (seeded from ``rng``: deterministic) or, without
hypothesis, from ``rng`` directly. The reference runs on them twice in the sandbox
(:mod:`codeaug.oracle`): inputs on which it raises, times out or disagrees with itself
are dropped. The mutants of the reference run on everything; new cases are picked
greedily to reject mutants the seed's cases let pass, then (up to ``min_added``) for
coverage of the output space (one case per output not in the suite yet, in random
order, then the others). The seed's cases stay
first; ``details`` says how many cases were added and the mutants killed before/after.
"""

from __future__ import annotations

import json
import math
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import msgspec

import codeaug
from codeaug.compare import canonical_order, values_equal
from codeaug.mutants import Mutant, problem_mutants
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import CallCase, CallsTests, Problem
from codeaug.typesys import TypeExpr, TypeSyntaxError, parse_type


class StrengthenParams(msgspec.Struct, forbid_unknown_fields=True):
    candidates: Annotated[int, msgspec.Meta(
        ge=1, le=5000, description="candidate inputs generated (before the reference "
                                   "runs on them)")] = 240
    seed_share: Annotated[float, msgspec.Meta(
        ge=0, le=1, description="share of candidates made by mutating the seed's inputs "
                                "(the rest are drawn fresh from the types)")] = 0.5
    max_added: Annotated[int, msgspec.Meta(
        ge=0, le=1000, description="most cases added")] = 40
    min_added: Annotated[int, msgspec.Meta(
        ge=0, le=1000, description="cases added for coverage when fewer mutant-killing "
                                   "cases are found (never more than max_added)")] = 24
    max_mutants: Annotated[int, msgspec.Meta(
        ge=0, le=500, description="mutants of the reference used to pick cases")] = 40
    timeout: Annotated[float, msgspec.Meta(
        gt=0, le=60, description="wall seconds per sandbox run (the reference on the "
                                  "candidates, or a mutant)")] = 3.0
    max_timeouts: Annotated[int, msgspec.Meta(
        ge=1, description="candidates on which the reference may time out before the "
                          "rest are dropped unrun")] = 3
    hypothesis: Annotated[bool, msgspec.Meta(
        description="draw fresh inputs with hypothesis strategies (else from rng)")] = True
    max_output: Annotated[int, msgspec.Meta(
        ge=16, description="largest expected value kept, in JSON characters")] = 4000


# ------------------------------------------------------------------------ profiles


@dataclass
class Profile:
    """What the seed's values of one neutral type look like."""

    t: TypeExpr
    lo: float = 0
    hi: float = 0
    min_len: int = 0
    max_len: int = 0
    alphabet: str = ""
    words: list[str] = field(default_factory=list)  # the seed's space-separated words
    max_words: int = 0
    items: list[Profile] = field(default_factory=list)  # element / key+value / parts
    nullable: bool = False
    pool: list[Any] = field(default_factory=list)  # seen values (for ``any``)


def json_type(values: list[Any]) -> TypeExpr:
    """A neutral type for JSON values (``any`` when they disagree)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return TypeExpr("any")
    if kinds <= {int, float} and bool not in kinds:
        return TypeExpr("float" if float in kinds else "int")
    if len(kinds) > 1:
        return TypeExpr("any")
    kind = kinds.pop()
    if kind in (bool, str):
        return TypeExpr(kind.__name__)
    if kind is list:
        return TypeExpr("list", (json_type([x for v in values if v for x in v]),))
    return TypeExpr("any")


def profile(t: TypeExpr, values: list[Any]) -> Profile:
    """The profile of ``values`` (JSON, as in the seed's cases) of type ``t``."""
    name = t.name
    if name == "any":
        inner = json_type(values)
        if inner.name != "any":
            return profile(inner, values)
        return Profile(t, pool=[v for v in values if v is not None][:50])
    if name == "optional":
        present = [v for v in values if v is not None]
        p = profile(t.args[0], present)
        p.nullable = True
        return p
    values = [v for v in values if v is not None]
    p = Profile(t)
    if name in ("int", "float"):
        nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)
                and math.isfinite(v)]
        p.lo, p.hi = (min(nums), max(nums)) if nums else (-10, 10)
        if p.lo == p.hi:  # one value seen: allow a small neighbourhood
            p.lo, p.hi = p.lo - 3, p.hi + 3
            if nums and nums[0] >= 0:
                p.lo = max(p.lo, 0)
        if name == "int":
            p.lo, p.hi = int(p.lo), int(p.hi)
    elif name == "str":
        texts = [v for v in values if isinstance(v, str)]
        p.min_len, p.max_len = _lengths(texts, 8)
        p.alphabet = "".join(sorted({c for s in texts for c in s})) or string.ascii_lowercase
        if any(len(s.split(" ")) > 1 for s in texts):  # sentences: words are the units
            p.words = sorted({w for s in texts for w in s.split(" ") if w})
            p.max_words = max(len(s.split(" ")) for s in texts)
    elif name in ("list", "set"):
        seqs = [v for v in values if isinstance(v, list)]
        p.min_len, p.max_len = _lengths(seqs, 5)
        p.items = [profile(t.args[0], [x for s in seqs for x in s])]
    elif name == "tuple":
        seqs = [v for v in values if isinstance(v, list) and len(v) == len(t.args)]
        p.items = [profile(a, [s[i] for s in seqs]) for i, a in enumerate(t.args)]
    elif name == "dict":
        maps = [v for v in values if isinstance(v, dict)]
        p.min_len, p.max_len = _lengths(maps, 4)
        key_t, value_t = t.args
        keys = [_key_value(k, key_t) for m in maps for k in m]
        p.items = [profile(key_t, keys), profile(value_t, [x for m in maps for x in m.values()])]
    return p


def widen(p: Profile) -> Profile:
    """A copy of ``p`` with wider ranges and sizes: for seeds whose ranges hold too few
    distinct inputs (``n`` in 1..5). Non-negative ranges stay non-negative."""
    q = Profile(**{**p.__dict__})
    if p.t.name in ("int", "float"):
        span = max(p.hi - p.lo, 5)
        q.lo, q.hi = (p.lo if p.lo >= 0 else p.lo - span), p.hi + span
    if p.t.name in ("str", "list", "set", "dict"):
        q.max_len = p.max_len + 3
    q.items = [widen(i) for i in p.items]
    return q


def _lengths(seqs: list[Any], default: int) -> tuple[int, int]:
    if not seqs:
        return 0, default
    lo, hi = min(map(len, seqs)), max(map(len, seqs))
    return lo, max(hi, lo + 1) if hi < 3 else hi


def _key_value(key: str, t: TypeExpr) -> Any:
    try:
        return int(key) if t.name == "int" else float(key) if t.name == "float" else key
    except ValueError:
        return key


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


# ------------------------------------------------------------- drawing from rng


def draw(p: Profile, rng: random.Random) -> Any:
    """A fresh value of the profile's type within its ranges."""
    if p.nullable and rng.random() < 0.1:
        return None
    name = p.t.name
    if p.pool:
        return rng.choice(p.pool)
    if name == "int":
        edges = [p.lo, p.hi, p.lo + 1, p.hi - 1] + ([0, 1] if p.lo <= 0 < p.hi else [])
        if rng.random() < 0.2:
            return int(min(max(rng.choice(edges), p.lo), p.hi))
        return rng.randint(int(p.lo), int(p.hi))
    if name == "float":
        value = rng.uniform(p.lo, p.hi)
        return round(value, rng.choice([0, 1, 2, 3])) if rng.random() < 0.7 else value
    if name == "bool":
        return rng.random() < 0.5
    if name == "none":
        return None
    if name == "str":
        if p.words and rng.random() < 0.6:
            return _sentence([rng.choice(p.words) for _ in range(rng.randint(0, p.max_words))],
                             p)
        size = _size(p, rng)
        return "".join(rng.choice(p.alphabet) for _ in range(size))
    if name in ("list", "set"):
        items = [draw(p.items[0], rng) for _ in range(_size(p, rng))]
        return _unique(items) if name == "set" else items
    if name == "tuple":
        return [draw(q, rng) for q in p.items]
    if name == "dict":
        out: dict[str, Any] = {}
        for _ in range(_size(p, rng)):
            out[_json_key(draw(p.items[0], rng))] = draw(p.items[1], rng)
        return out
    return None


def _sentence(words: list[str], p: Profile) -> str:
    """``words`` joined by spaces, trailing words dropped to fit ``p``'s lengths."""
    while words and len(" ".join(words)) > p.max_len:
        words = words[:-1]
    text = " ".join(words)
    return text if len(text) >= p.min_len else text.ljust(p.min_len, p.alphabet[0])


def _size(p: Profile, rng: random.Random) -> int:
    lo, hi = p.min_len, p.max_len
    if rng.random() < 0.15:
        return rng.choice([lo, hi])
    return rng.randint(lo, hi)


def _unique(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ------------------------------------------------------------ hypothesis strategies


def strategy(p: Profile) -> Any:
    """A hypothesis strategy for the profile (same ranges as :func:`draw`)."""
    from hypothesis import strategies as st

    name = p.t.name
    s: Any
    if p.pool:
        s = st.sampled_from(p.pool)
    elif name == "int":
        s = st.integers(int(p.lo), int(p.hi))
    elif name == "float":
        s = st.floats(p.lo, p.hi, allow_nan=False, allow_infinity=False)
    elif name == "bool":
        s = st.booleans()
    elif name == "none":
        s = st.none()
    elif name == "str":
        s = st.text(st.sampled_from(p.alphabet), min_size=p.min_len, max_size=p.max_len)
        if p.words:
            s = st.one_of(st.lists(st.sampled_from(p.words), max_size=p.max_words)
                          .map(lambda ws: _sentence(ws, p)), s)
    elif name in ("list", "set"):
        s = st.lists(strategy(p.items[0]), min_size=p.min_len, max_size=p.max_len,
                     unique_by=(lambda v: json.dumps(v, sort_keys=True))
                     if name == "set" else None)
    elif name == "tuple":
        s = st.tuples(*(strategy(q) for q in p.items)).map(list)
    elif name == "dict":
        s = st.dictionaries(strategy(p.items[0]).map(_json_key), strategy(p.items[1]),
                            min_size=p.min_len, max_size=p.max_len)
    else:
        s = st.none()
    return st.one_of(st.none(), s) if p.nullable else s


def hypothesis_examples(profiles: list[Profile], n: int, seed: int) -> list[list[Any]] | None:
    """``n`` argument lists drawn by hypothesis with a fixed seed (deterministic), or
    None when hypothesis is unavailable or cannot run here (nested in a test)."""
    try:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
        from hypothesis import strategies as st
    except ImportError:
        return None
    out: list[list[Any]] = []
    args = st.tuples(*(strategy(p) for p in profiles)).map(list)

    @hseed(seed)
    @settings(database=None, max_examples=n, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(args)
    def collect(value: list[Any]) -> None:
        out.append(value)

    try:
        collect()
    except Exception:
        return None
    return out


# -------------------------------------------------------- type-aware seed mutation


def mutate_value(value: Any, p: Profile, rng: random.Random) -> Any:
    """``value`` changed a little, staying within the profile's ranges."""
    if value is None:
        return draw(_present(p), rng)
    if p.nullable and rng.random() < 0.1:
        return None
    name = p.t.name
    if p.pool:
        return draw(p, rng)
    if name == "int" and isinstance(value, int):
        options = [value + 1, value - 1, -value, 0, p.lo, p.hi, value * 2, value // 2]
        return int(min(max(rng.choice(options), p.lo), p.hi))
    if name == "float" and isinstance(value, int | float):
        options = [value + 1, value - 1, -value, 0.0, value * 2, value / 2, value + 0.5]
        return float(min(max(rng.choice(options), p.lo), p.hi))
    if name == "bool":
        return not value
    if name == "str" and isinstance(value, str):
        return _mutate_str(value, p, rng)
    if name in ("list", "set") and isinstance(value, list):
        out = _mutate_seq(list(value), p, rng)
        return _unique(out) if name == "set" else out
    if name == "tuple" and isinstance(value, list) and value:
        out = list(value)
        i = rng.randrange(len(out))
        out[i] = mutate_value(out[i], p.items[i], rng)
        return out
    if name == "dict" and isinstance(value, dict):
        out_d = dict(value)
        choice = rng.randrange(3)
        if choice == 0 and out_d:
            del out_d[rng.choice(sorted(out_d))]
        elif choice == 1 and out_d:
            k = rng.choice(sorted(out_d))
            out_d[k] = mutate_value(out_d[k], p.items[1], rng)
        else:
            out_d[_json_key(draw(p.items[0], rng))] = draw(p.items[1], rng)
        return out_d
    return draw(p, rng)


def _present(p: Profile) -> Profile:
    q = Profile(**{**p.__dict__})
    q.nullable = False
    return q


def _mutate_str(value: str, p: Profile, rng: random.Random) -> str:
    if p.words and rng.random() < 0.6:  # a sentence: drop, repeat, swap or add a word
        words = _mutate_seq(value.split(" "), Profile(TypeExpr("list"), items=[
            Profile(TypeExpr("any"), pool=list(p.words))]), rng)
        return " ".join(words)
    ops = ["insert", "delete", "replace", "swap", "duplicate", "reverse", "case"]
    op = rng.choice(ops)
    i = rng.randrange(len(value)) if value else 0
    if op == "insert" or not value:
        return value[:i] + rng.choice(p.alphabet) + value[i:]
    if op == "delete":
        return value[:i] + value[i + 1:]
    if op == "replace":
        return value[:i] + rng.choice(p.alphabet) + value[i + 1:]
    if op == "swap" and len(value) > 1:
        j = min(i + 1, len(value) - 1)
        chars = list(value)
        chars[i], chars[j] = chars[j], chars[i]
        return "".join(chars)
    if op == "duplicate":
        return value + value[i:]
    if op == "reverse":
        return value[::-1]
    flipped = value.swapcase()
    return flipped if all(c in p.alphabet for c in flipped) else value[::-1]


def _mutate_seq(items: list[Any], p: Profile, rng: random.Random) -> list[Any]:
    op = rng.choice(["drop", "insert", "item", "item", "swap", "reverse", "sort",
                     "duplicate"])
    if op == "drop" and items:
        del items[rng.randrange(len(items))]
    elif op == "item" and items:
        i = rng.randrange(len(items))
        items[i] = mutate_value(items[i], p.items[0], rng)
    elif op == "swap" and len(items) > 1:
        i, j = rng.sample(range(len(items)), 2)
        items[i], items[j] = items[j], items[i]
    elif op == "reverse":
        items.reverse()
    elif op == "sort":
        try:
            items.sort(reverse=rng.random() < 0.3)
        except TypeError:
            items.reverse()
    elif op == "duplicate" and items:
        i = rng.randrange(len(items))
        items.insert(i, items[i])
    else:
        items.insert(rng.randint(0, len(items)), draw(p.items[0], rng))
    return items


# ------------------------------------------------------------------------ helpers


def canonical(args: list[Any]) -> str:
    return json.dumps(args, sort_keys=True)


def finite(value: Any) -> bool:
    """No NaN or infinity anywhere in ``value`` (a JSON record cannot hold them)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(map(finite, value))
    if isinstance(value, dict):
        return all(map(finite, value.values()))
    return True


def candidate_inputs(problem: Problem, types: list[TypeExpr], params: StrengthenParams,
                     rng: random.Random) -> list[tuple[list[Any], str]]:
    """New argument lists, each with its origin (``seed`` or ``fresh``), without
    duplicates or the seed's own inputs."""
    assert isinstance(problem.tests, CallsTests)
    seed_args = [c.args for c in problem.tests.cases if len(c.args) == len(types)]
    profiles = [profile(t, [a[i] for a in seed_args]) for i, t in enumerate(types)]
    seen = {canonical(a) for a in seed_args}
    out: list[tuple[list[Any], str]] = []

    def add(args: list[Any], origin: str) -> None:
        key = canonical(args)
        if key not in seen and finite(args):
            seen.add(key)
            out.append((args, origin))

    n_seed = round(params.candidates * params.seed_share) if seed_args else 0
    for _ in range(n_seed * 3):
        if len(out) >= n_seed:
            break
        base = json.loads(canonical(rng.choice(seed_args)))
        for _ in range(1 if rng.random() < 0.7 else 2):
            if not base:
                break
            i = rng.randrange(len(base))
            base[i] = mutate_value(base[i], profiles[i], rng)
        add(base, "seed")
    for _ in range(3):  # widened twice at most when the ranges hold too few inputs
        n_fresh = params.candidates - len(out)
        fresh = (hypothesis_examples(profiles, n_fresh * 2, rng.getrandbits(32))
                 if params.hypothesis and types else None)
        origin = "hypothesis" if fresh is not None else "fresh"
        if fresh is None:
            fresh = [[draw(p, rng) for p in profiles] for _ in range(n_fresh * 3)]
        for args in fresh:
            if len(out) >= params.candidates:
                break
            add(json.loads(json.dumps(args)), origin)
        if len(out) >= min(params.candidates, 2 * params.max_added) or not types:
            break
        profiles = [widen(p) for p in profiles]
        n_before = len(out)
        for _ in range(params.candidates):
            if len(out) >= params.candidates:
                break
            add([draw(p, rng) for p in profiles], "widened")
        if len(out) == n_before:
            break
        # smallest first: wider ranges may hold inputs the reference is too slow for
        out[n_before:] = sorted(out[n_before:], key=lambda c: (len(canonical(c[0])),
                                                               canonical(c[0])))
    return out


# ------------------------------------------------------------------------ mutator


class Strengthen(Mutator):
    name = "strengthen"
    version = "1"
    summary = ("more calls test cases from the signature and seed inputs, expected values "
               "from the reference, picked to reject mutants of it")
    Params: ClassVar[type[msgspec.Struct]] = StrengthenParams

    def skip_reason(self, problem: Problem) -> str | None:
        if not isinstance(problem.tests, CallsTests):
            return "strengthen needs calls tests"
        if not problem.solution.strip() or not problem.entry_point:
            return "strengthen needs a reference solution and an entry point"
        return super().skip_reason(problem)

    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        why = self.skip_reason(problem)
        if why:
            yield Skipped(why)
            return
        assert isinstance(problem.tests, CallsTests)
        try:
            types = [parse_type(p.type) for p in problem.signature.params]
            returns = parse_type(problem.signature.returns)
        except TypeSyntaxError as exc:
            yield Skipped(f"bad signature: {exc}")
            return
        if any(len(c.args) != len(types) for c in problem.tests.cases):
            yield Skipped("the cases' arguments do not match the signature")
            return
        try:
            from codeaug.oracle import current_oracle
            oracle = current_oracle()
            _ = oracle.executor
        except Exception as exc:  # no Docker: nothing can be computed
            yield Skipped(f"strengthen needs the sandbox: {exc}")
            return
        result = strengthen(problem, types, returns, params, rng, oracle)
        if isinstance(result, Skipped):
            yield result
            return
        yield result


def strengthen(problem: Problem, types: list[TypeExpr], returns: TypeExpr,
               params: StrengthenParams, rng: random.Random, oracle: Any
               ) -> Variant | Skipped:
    """The whole procedure for one problem (see the module docstring)."""
    from codeaug.oracle import CallRequest

    tests = problem.tests
    assert isinstance(tests, CallsTests)
    seed_cases = list(tests.cases)
    candidates = candidate_inputs(problem, types, params, rng)
    all_args = [c.args for c in seed_cases] + [a for a, _ in candidates]
    [outcomes] = oracle.run_batch([CallRequest(problem, all_args, repeat=2,
                                               timeout=params.timeout,
                                               max_timeouts=params.max_timeouts)])
    for i, case in enumerate(seed_cases):
        o = outcomes[i]
        if not o.ok or not values_equal(o.value, case.expected, returns, tests.rel_tol,
                                        tests.abs_tol):
            return Skipped(f"the reference fails the seed's case {i} ({o.kind})")
    dropped: dict[str, int] = {}
    kept: list[tuple[list[Any], str, Any]] = []
    for (args, origin), o in zip(candidates, outcomes[len(seed_cases):], strict=True):
        reason = o.kind if not o.ok else (
            "non-finite" if not finite(o.value) else
            "too large" if len(json.dumps(o.value)) > params.max_output else "")
        if reason:
            dropped[reason] = dropped.get(reason, 0) + 1
        else:
            # Sets in canonical order: the reference's set order varies by hash seed.
            kept.append((args, origin, canonical_order(o.value, returns)))
    mutant_list: list[Mutant] = (problem_mutants(problem, oracle.plugins,
                                                 limit=params.max_mutants)
                                 if params.max_mutants else [])
    expected = [c.expected for c in seed_cases] + [v for _, _, v in kept]
    args_all = [c.args for c in seed_cases] + [a for a, _, _ in kept]
    kills: list[set[int]] = []  # per mutant: the case indices (in args_all) rejecting it
    if mutant_list:
        runs = oracle.run_batch([CallRequest(problem, args_all, solution=m.source,
                                             complete=False, timeout=params.timeout)
                                 for m in mutant_list])
        for run in runs:
            killed = set()
            for k, o in enumerate(run):
                if not o.ok or not values_equal(o.value, expected[k], returns, tests.rel_tol,
                                                tests.abs_tol):
                    killed.add(k)
            kills.append(killed)
    n_seed = len(seed_cases)
    seed_killed = {m for m, ks in enumerate(kills) if any(k < n_seed for k in ks)}
    # Greedy: the candidate rejecting the most mutants still alive, seed-derived first.
    alive = set(range(len(kills))) - seed_killed
    chosen: list[int] = []  # indices into kept
    by_case: dict[int, set[int]] = {}
    for m, ks in enumerate(kills):
        for k in ks:
            if k >= n_seed:
                by_case.setdefault(k - n_seed, set()).add(m)
    while alive and len(chosen) < params.max_added:
        best = max(by_case, key=lambda c: (len(by_case[c] & alive),
                                           kept[c][1] == "seed", -c), default=None)
        if best is None or not by_case[best] & alive:
            break
        chosen.append(best)
        alive -= by_case.pop(best)
    killers = len(chosen)
    # Coverage: one case per output not in the suite yet, then round robin over outputs.
    target = min(params.max_added, max(params.min_added, len(chosen)))
    if len(chosen) < target:
        groups: dict[str, list[int]] = {}
        for c, (_, _, value) in enumerate(kept):
            if c not in chosen:
                groups.setdefault(canonical([value]), []).append(c)
        outputs_seen = {canonical([e]) for e in expected[:n_seed]} | {
            canonical([kept[c][2]]) for c in chosen}
        order = sorted(groups)
        rng.shuffle(order)
        order.sort(key=lambda g: g in outputs_seen)  # stable: new outputs first, shuffled
        queues = [list(groups[g]) for g in order]
        for q in queues:
            rng.shuffle(q)
        while len(chosen) < target and any(queues):
            for q in queues:
                if q and len(chosen) < target:
                    chosen.append(q.pop())
    chosen.sort()
    added = [CallCase(args=kept[c][0], expected=kept[c][2]) for c in chosen]
    if not added:
        return Skipped("no new case: every candidate was dropped or adds nothing")
    killed_after = {m for m, ks in enumerate(kills)
                    if any(k < n_seed or (k - n_seed) in set(chosen) for k in ks)}
    details = {
        "added": len(added), "mutant_killers": killers, "candidates": len(candidates),
        "kept": len(kept), "dropped": dict(sorted(dropped.items())),
        "origins": {o: sum(1 for c in chosen if kept[c][1] == o)
                    for o in sorted({kept[c][1] for c in chosen})},
        "mutants": len(kills), "killed_by_seed": len(seed_killed),
        "killed_after": len(killed_after),
    }
    strengthened = msgspec.structs.replace(
        problem, tests=msgspec.structs.replace(tests, cases=seed_cases + added))
    return Variant(strengthened, f"+{len(added)}-cases", details)


@codeaug.hookimpl
def register_mutators(register: Any) -> None:
    register(Strengthen())
