"""The io mutator without Docker: the format, its description, case extraction from
HumanEval test programs, determinism and the way back."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from codeaug_plugins.io_mutator import (
    BOOL_WORDS,
    IoMutator,
    IoParams,
    Skipped,
    Style,
    Unsupported,
    Variant,
    extract_cases,
    float_repr,
    py_float_from_sci,
    refine,
    render,
    text_of,
)
from hypothesis import assume, given
from hypothesis import strategies as st

from codeaug.record import CallCase, CallsTests, CodeTests, IoTests, Problem, decode_problem
from codeaug.testing import floats, neutral_types, values_of
from codeaug.typesys import TypeExpr, parse_type

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [decode_problem(line)
         for line in (ROOT / "examples" / "seeds.jsonl").read_text().splitlines() if line]
STYLES = [Style(b, o, w) for b in (False, True) for o in (False, True) for w in BOOL_WORDS]


def mutate(problem: Problem, seed: int = 0, **params: object) -> list[Variant | Skipped]:
    return list(IoMutator().mutate(problem, msgspec.convert(params, IoParams), random.Random(seed)))


# ------------------------------------------------------------ a reader of the format


class Reader:
    """An independent reader of the format: tokens for numbers and bools, whole lines
    for strings (a line read after tokens starts on the next line)."""

    def __init__(self, text: str, style: Style) -> None:
        self.text, self.pos, self.line_start, self.style = text, 0, True, style

    def token(self) -> str:
        rest = self.text[self.pos:]
        stripped = rest.lstrip(" \t\r\n")
        self.pos += len(rest) - len(stripped)
        end = self.pos
        while end < len(self.text) and self.text[end] not in " \t\r\n":
            end += 1
        assert end > self.pos, "unexpected end of input"
        word, self.pos, self.line_start = self.text[self.pos:end], end, False
        return word

    def line(self) -> str:
        if not self.line_start:
            self.pos = self.text.index("\n", self.pos) + 1
        end = self.text.index("\n", self.pos)
        text, self.pos, self.line_start = self.text[self.pos:end], end + 1, True
        return text

    def read(self, t: TypeExpr) -> object:
        name = t.name
        if name == "int":
            return int(self.token())
        if name == "float":
            return float(self.token())
        if name == "bool":
            word = self.token()
            assert word in self.style.bools
            return word == self.style.bools[0]
        if name == "str":
            return self.line()
        if name in ("list", "set"):
            return [self.read(t.args[0]) for _ in range(int(self.token()))]
        if name == "tuple":
            return [self.read(a) for a in t.args]
        if name == "dict":
            out = {}
            for _ in range(int(self.token())):
                key = self.read(t.args[0])
                out[str(key)] = self.read(t.args[1])
            return out
        assert name == "optional"
        return self.read(t.args[0]) if self.token() == "1" else None


def normal(value: object, t: TypeExpr) -> object:
    """A JSON value as the reader gives it back (floats as floats, keys as strings)."""
    if value is None:
        return None
    if t.name == "optional":
        return normal(value, t.args[0])
    if t.name == "float":
        return float(value)  # type: ignore[arg-type]
    if t.name in ("list", "set", "tuple"):
        args = t.args if t.name == "tuple" else [t.args[0]] * len(value)  # type: ignore
        return [normal(v, a) for v, a in zip(value, args, strict=False)]  # type: ignore[call-overload]
    if t.name == "dict":
        return {str(k): normal(v, t.args[1]) for k, v in value.items()}  # type: ignore
    return value


def io_types() -> st.SearchStrategy[TypeExpr]:
    return neutral_types(max_depth=3).filter(lambda t: "optional[optional" not in str(t))


@given(io_types().flatmap(lambda t: st.tuples(st.just(t), values_of(t))),
       st.sampled_from(STYLES))
def test_rendered_values_read_back_equal(typed: tuple[TypeExpr, object], style: Style) -> None:
    t, value = typed
    try:
        lines = render(value, t, style)
    except Unsupported:
        assume(False)
    # A second value after it: the reader must stop exactly at the end of the first.
    text = text_of([*lines, "after the value"])
    reader = Reader(text, style)
    assert reader.read(t) == normal(value, t)
    assert reader.line() == "after the value"


@given(io_types().flatmap(lambda t: st.tuples(st.just(t), values_of(t))))
def test_only_lines_break_strings(typed: tuple[TypeExpr, object]) -> None:
    t, value = typed
    try:
        render(value, t, STYLES[0])
    except Unsupported as exc:
        assert "line break" in str(exc) or "repeated" in str(exc) or "surrogate" in str(exc)


def test_layouts_by_type() -> None:
    line, lines = Style(False, False, ("true", "false")), Style(False, True, ("YES", "NO"))
    assert render([1, 2, 3], parse_type("list[int]"), line) == ["3", "1 2 3"]
    assert render([1, 2, 3], parse_type("list[int]"), lines) == ["3", "1", "2", "3"]
    assert render([], parse_type("list[int]"), line) == ["0"]
    assert render(["a b", ""], parse_type("list[str]"), line) == ["2", "a b", ""]
    assert render([[1], []], parse_type("list[list[int]]"), line) == ["2", "1", "1", "0"]
    assert render([1, 2.5], parse_type("tuple[int,float]"), line) == ["1 2.5"]
    assert render(["x", 2], parse_type("tuple[str,int]"), line) == ["x", "2"]
    assert render({"b": 1, "a": 2}, parse_type("dict[str,int]"), line, output=True) == \
        ["2", "a", "2", "b", "1"]
    assert render({"10": True, "9": False}, parse_type("dict[int,bool]"), lines,
                  output=True) == ["2", "9", "NO", "10", "YES"]
    assert render(None, parse_type("optional[int]"), line) == ["0"]
    assert render([3, 1], parse_type("optional[tuple[int,int]]"), line) == ["1", "3 1"]
    assert render(["b", "a"], parse_type("set[str]"), line, output=True) == ["2", "a", "b"]
    assert render(["b", "a"], parse_type("set[str]"), line) == ["2", "b", "a"]
    with pytest.raises(Unsupported):
        render("two\nlines", parse_type("str"), line)
    with pytest.raises(Unsupported):
        render(math.inf, parse_type("float"), line)


# ------------------------------------------------------------------------ floats


@given(floats())
def test_float_output_is_python_repr_cut_to_12_digits(x: float) -> None:
    assume(math.isfinite(x))
    text = float_repr(x)
    # The mains start from the shortest digits in scientific form (to_chars, Go's 'e',
    # Rust's {:e}, JavaScript's toExponential): the same text from there.
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    mantissa = f"{digits[0]}" + (f".{''.join(map(str, digits[1:]))}" if len(digits) > 1 else "")
    sci = f"{'-' if sign else ''}{mantissa}e{exp + len(digits) - 1}"  # type: ignore[operator]
    assert py_float_from_sci(sci) == text
    if len(repr(x).lstrip("-").replace(".", "").split("e")[0].strip("0")) <= 12:
        assert text == repr(x) or (x == 0 and text in ("0.0", "-0.0"))
    assert math.isclose(float(text), x, rel_tol=1e-11, abs_tol=0.0)


def test_float_output_examples() -> None:
    assert [float_repr(x) for x in (0.5, 2.0, 1.5e-9, 1.5000000000000002e-09, 1e16, 1e15,
                                    0.0001, 0.00001, -0.0, 1 / 3, 0.9999999999999999)] == \
        ["0.5", "2.0", "1.5e-09", "1.5e-09", "1e+16", "1000000000000000.0", "0.0001",
         "1e-05", "-0.0", "0.333333333333", "1.0"]


# --------------------------------------------------------------- the variants


@pytest.mark.parametrize("seed", [s for s in SEEDS if isinstance(s.tests, CallsTests)],
                         ids=lambda s: s.id)
def test_every_calls_seed_gets_io_variants(seed: Problem) -> None:
    out = mutate(seed)
    variants = [v for v in out if isinstance(v, Variant)]
    assert variants, out
    assert len({v.label for v in variants}) == len(variants)
    for v in variants:
        p = v.problem
        assert isinstance(p.tests, IoTests)
        assert len(p.tests.cases) >= v.details["cases"] >= 1
        assert "Input format:" in p.prompt and "Output format:" in p.prompt
        assert p.tests.cases[0].stdin in p.prompt and p.tests.cases[0].stdout in p.prompt
        assert p.solution.startswith(seed.solution.rstrip("\n"))
        assert "_codeaug_io_main()" in p.solution


def test_python_main_prints_the_expected_output_for_every_seed(tmp_path: Path) -> None:
    """The Python main, run here with the local interpreter (the sandbox runs it in the
    integration tests): every case of every variant of the calls seeds but one float
    case whose solution is a few ulps off (tests compare it with a tolerance)."""
    ran = 0
    for seed in SEEDS:
        if not isinstance(seed.tests, CallsTests):
            continue
        for v in mutate(seed, count=12):
            assert isinstance(v, Variant)
            script = tmp_path / "main.py"
            script.write_text(v.problem.solution)
            for case in v.problem.tests.cases:  # type: ignore[union-attr]
                done = subprocess.run([sys.executable, str(script)], input=case.stdin,
                                      capture_output=True, text=True, check=True)
                assert done.stdout == case.stdout, (seed.id, v.label, case.stdin)
                ran += 1
    assert ran > 100


def test_deterministic_for_a_seed_and_styles_vary() -> None:
    seed = SEEDS[0]
    first = [msgspec.json.encode(v.problem) for v in mutate(seed, 7)]  # type: ignore
    again = [msgspec.json.encode(v.problem) for v in mutate(seed, 7)]  # type: ignore
    assert first == again
    labels = {tuple(v.label for v in mutate(seed, s)) for s in range(10)}  # type: ignore
    assert len(labels) > 1
    assert len(mutate(seed, count=1)) == 1
    assert len(mutate(seed, count=10)) == 4  # batch x layout; no bools in clamped_sum


def test_bool_words_and_batches() -> None:
    seed = next(s for s in SEEDS if s.id == "examples/brackets-balanced")
    variants = [v for v in mutate(seed, count=12) if isinstance(v, Variant)]
    assert len(variants) == 6  # batch x 3 bool styles (a str has no layout)
    outputs = {v.problem.tests.cases[0].stdout for v in variants}  # type: ignore[union-attr]
    assert outputs == {"true\n", "YES\n", "1\n"}
    batch = next(v for v in variants if v.label.startswith("io:batch"))
    cases = batch.problem.tests.cases  # type: ignore[union-attr]
    assert cases[-1].stdin.startswith(f"{len(seed.tests.cases)}\n")  # type: ignore
    assert len(cases) == len(seed.tests.cases) + 1  # type: ignore[union-attr]


def test_back_to_the_function_problem() -> None:
    for seed in SEEDS:
        for v in mutate(seed):
            if isinstance(v, Skipped):
                continue
            [back] = mutate(v.problem, direction="to-function")
            assert isinstance(back, Variant), back
            for field in ("prompt", "tests", "signature", "solution", "entry_point", "meta"):
                assert getattr(back.problem, field) == getattr(seed, field), field


def test_back_refuses_what_it_did_not_make() -> None:
    io_seed = next(s for s in SEEDS if isinstance(s.tests, IoTests))
    [out] = mutate(io_seed, direction="to-function")
    assert isinstance(out, Skipped) and out.reason == "not produced by io mutator"
    [out] = mutate(SEEDS[0], direction="to-function")
    assert isinstance(out, Skipped)
    [v, *_] = mutate(SEEDS[0])
    assert isinstance(v, Variant)
    changed = msgspec.structs.replace(v.problem, solution=v.problem.solution + "\n# edited\n")
    [out] = mutate(changed, direction="to-function")
    assert isinstance(out, Skipped) and "changed" in out.reason


def test_cases_with_multiline_strings_are_dropped_or_skipped() -> None:
    seed = next(s for s in SEEDS if s.id == "examples/collapse-whitespace")
    variants = mutate(seed)
    assert isinstance(variants[0], Variant)
    details = variants[0].details
    assert details["dropped"] and details["cases"] < len(seed.tests.cases)  # type: ignore
    only_bad = msgspec.structs.replace(seed, tests=CallsTests(cases=[
        CallCase(args=["a\nb"], expected="a b")]))
    [out] = mutate(only_bad)
    assert isinstance(out, Skipped) and "line break" in out.reason
    [out] = mutate(seed, min_cases=10)
    assert isinstance(out, Skipped)


def test_untyped_values_and_unsupported_types() -> None:
    assert refine(parse_type("any"), [[1, 2], []]) == parse_type("list[int]")
    assert refine(parse_type("list[any]"), [[1, 2.5]]) == parse_type("list[float]")
    assert refine(parse_type("any"), [None, 3]) == parse_type("optional[int]")
    with pytest.raises(Unsupported):
        refine(parse_type("any"), ["a", 1])
    with pytest.raises(Unsupported):
        refine(parse_type("any"), [[]])
    problem = msgspec.structs.replace(SEEDS[0], language="java",
                                      signature=msgspec.convert(
                                          {"params": [{"name": "p", "type": "tuple[int,int]"}],
                                           "returns": "int"}, type(SEEDS[0].signature)),
                                      tests=CallsTests(cases=[CallCase(args=[[1, 2]],
                                                                       expected=3)]))
    [out] = mutate(problem)
    assert isinstance(out, Skipped) and "tuple" in out.reason


def test_int_range_per_language() -> None:
    seed = SEEDS[0]  # clamped_sum: one case has 10**12, fine in every language
    big = msgspec.structs.replace(seed, tests=CallsTests(cases=[
        CallCase(args=[[2**60], 0, 2**60], expected=2**60),
        CallCase(args=[[1], 0, 5], expected=1)]))
    js = msgspec.structs.replace(big, language="javascript")
    [v, *_] = mutate(js)
    assert isinstance(v, Variant) and v.details["cases"] == 1
    [v, *_] = mutate(big)
    assert isinstance(v, Variant) and v.details["cases"] == 2


# ------------------------------------------------------- cases from code tests


def test_extraction_forms() -> None:
    code = """
def check(candidate):
    assert candidate([1, 2], 'a') == (1, 2), "message"
    assert (3, 4) == candidate([], "b")
    assert candidate(x) == 1
    assert abs(candidate([1.5], 'c') - 0.5) < 1e-6
    assert candidate([0], 'd', key=1) == 0
    assert f([5], 'e') == {1, 2}
    assert candidate([9], 'z') is True
    assert True
"""
    found = extract_cases(code, "f")
    assert found.asserts == 8
    assert [(c.args, c.expected) for c in found.cases] == [
        ([[1, 2], "a"], [1, 2]), ([[], "b"], [3, 4]), ([[5], "e"], [1, 2]),
        ([[9], "z"], True)]
    bools = extract_cases("assert candidate(1)\nassert not candidate(2)\n", "f", "bool")
    assert [(c.args, c.expected) for c in bools.cases] == [([1], True), ([2], False)]
    assert extract_cases("assert candidate(1)\n", "f", "int").cases == []


def test_extraction_on_all_of_humaneval(datasets: Path) -> None:
    from codeaug_plugins.humaneval_format import HumanEvalFormat

    records = list(HumanEvalFormat().read(datasets / "humaneval" / "HumanEval.jsonl.gz"))
    assert len(records) == 164
    asserts = cases = with_cases = with_variants = variants = 0
    for record in records:
        assert isinstance(record, Problem) and isinstance(record.tests, CodeTests)
        found = extract_cases(record.tests.code, record.entry_point, record.signature.returns)
        asserts += found.asserts
        cases += len(found.cases)
        with_cases += bool(found.cases)
        made = [v for v in mutate(record) if isinstance(v, Variant)]
        with_variants += bool(made)
        variants += len(made)
        for v in made:
            assert v.details["source"] == "code"
            assert v.details["extracted"] <= v.details["asserts"]
    print(f"HumanEval: {asserts} asserts, {cases} cases extracted, {with_cases}/164 records "
          f"with cases, {with_variants} with io variants, {variants} variants")
    # Measured: 1181 asserts, 1065 cases, 155 records with cases, 149 with variants, 380.
    assert cases >= 1000 and with_cases >= 150
    assert with_variants >= 145 and variants >= 2 * with_variants
