"""io variants pass in the real sandbox: the calls seeds in Python, HumanEval-X tasks in
every language (cases read from the Python record's test program, applied to the
language's own canonical solution), and a hand-written problem per language whose
identity-like function exercises every reader and printer (floats, strings with spaces
and non-ASCII, nested lists, dicts, optionals, bools)."""

from __future__ import annotations

import random
from pathlib import Path

import msgspec
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat
from codeaug_plugins.io_mutator import (
    IoMutator,
    IoParams,
    Prepared,
    Skipped,
    Variant,
    extract_cases,
    prepare,
)

from codeaug.record import CallCase, CallsTests, Param, Problem, Signature, decode_problem
from codeaug.testing import verify_problems

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("python", "javascript", "cpp", "java", "go", "rust")
#: A spread of HumanEval-X tasks: lists, strings, bools, floats, tuples, optionals.
TASKS = ("0", "2", "12", "29", "80", "107", "136")


def variants(problem: Problem, seed: int = 0, **params: object) -> list[Variant]:
    out = IoMutator().mutate(problem, msgspec.convert(params, IoParams), random.Random(seed))
    return [v for v in out if isinstance(v, Variant)]


def test_io_variants_of_the_calls_seeds_pass_in_python() -> None:
    seeds = [decode_problem(line) for line in
             (ROOT / "examples" / "seeds.jsonl").read_text().splitlines() if line]
    made = [(s.id, v) for s in seeds if isinstance(s.tests, CallsTests)
            for v in variants(s, count=12)]
    assert len({sid for sid, _ in made}) == 13
    verdicts = verify_problems([v.problem for _, v in made])
    failed = [(sid, v.label, d.reason)
              for (sid, v), d in zip(made, verdicts, strict=True) if not d.passed]
    # weighted-mean's 1e-09 case: its solution is 2 ulps off 1.5e-09; 12 significant
    # digits print both the same. Nothing may fail.
    assert not failed, failed
    assert len(made) >= 40


def humaneval_x_calls(datasets: Path) -> dict[str, list[Problem]]:
    """Per language: each task of :data:`TASKS` as a calls problem with the language's
    solution and entry point, the cases of the Python test program, and the language's
    own signature where it is typed (the Python one's, with types read from its test
    values, where it says ``any``)."""
    records = [r for r in HumanEvalXFormat().read(datasets / "humaneval-x")
               if isinstance(r, Problem)]
    by: dict[str, dict[str, Problem]] = {}
    for r in records:
        by.setdefault(r.language, {})[r.id.split("/")[1]] = r
    out: dict[str, list[Problem]] = {lang: [] for lang in LANGUAGES}
    for task in TASKS:
        python = by["python"][task]
        found = extract_cases(python.tests.code, python.entry_point, python.signature.returns)
        typed = prepare(python)
        assert found.cases and isinstance(typed, Prepared), task
        for lang in LANGUAGES:
            record = by[lang][task]
            if len(record.signature.params) != len(python.signature.params):
                continue
            if "any" in record.signature.returns and typed.returns.name == "optional":
                continue  # Go/12's interface{}: a dynamic result cannot say it is optional
            params = [Param(name=p.name, type=str(q) if "any" in p.type else p.type)
                      for p, q in zip(record.signature.params, typed.types, strict=False)]
            returns = record.signature.returns
            signature = Signature(params=params, returns=str(typed.returns)
                                  if "any" in returns else returns)
            out[lang].append(msgspec.structs.replace(
                record, tests=CallsTests(cases=found.cases), signature=signature))
    return out


def test_io_variants_of_humaneval_x_pass_in_every_language(datasets: Path) -> None:
    problems = humaneval_x_calls(datasets)
    made: list[tuple[str, str, Variant]] = []
    for lang, items in problems.items():
        for i, problem in enumerate(items):
            [variant] = variants(problem, seed=i, count=1) or [None]  # type: ignore[list-item]
            if variant is not None:
                made.append((lang, problem.id, variant))
    verdicts = verify_problems([v.problem for _, _, v in made])
    summary: dict[str, list[int]] = {}
    failed = []
    for (lang, pid, v), verdict in zip(made, verdicts, strict=False):
        summary.setdefault(lang, [0, 0])[1] += 1
        if verdict.passed:
            summary[lang][0] += 1
        else:
            failed.append((pid, v.label, verdict.status, verdict.reason[:200]))
    print("io variants of HumanEval-X passing per language:", summary)
    assert set(summary) == set(LANGUAGES)
    for lang, (_passed, total) in summary.items():
        assert total >= len(TASKS) - 2, (lang, total)
    assert not failed, failed


# ------------------------------------------- every reader and printer, per language

#: A function over many types, per language: (solution, signature). It returns its
#: arguments transformed a little, so that reading and printing are both exercised.
SOLUTIONS = {
    "python": ("""def f(xs: list[float], s: str, grid: list[list[int]], ok: bool) -> list[float]:
    return [x * 2 for x in xs] + [float(len(s)), float(sum(map(sum, grid))), 1.0 if ok else 0.0]
""", "f"),
    "javascript": ("""function f(xs, s, grid, ok) {
  const total = grid.flat().reduce((a, b) => a + b, 0);
  return [...xs.map((x) => x * 2), Array.from(s).length, total, ok ? 1 : 0];
}
""", "f"),
    "cpp": ("""#include <vector>
#include <string>
std::vector<double> f(std::vector<double> xs, std::string s,
                      std::vector<std::vector<long long>> grid, bool ok) {
    std::vector<double> out;
    for (double x : xs) out.push_back(x * 2);
    long long cps = 0; for (unsigned char c : s) if ((c & 0xC0) != 0x80) cps++;
    long long total = 0; for (auto& row : grid) for (auto v : row) total += v;
    out.push_back(cps); out.push_back(total); out.push_back(ok ? 1 : 0);
    return out;
}
""", "f"),
    "java": ("""import java.util.*;

class Solution {
    public List<Double> f(List<Double> xs, String s, List<List<Long>> grid, boolean ok) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) out.add(x * 2);
        out.add((double) s.codePointCount(0, s.length()));
        long total = 0;
        for (List<Long> row : grid) for (long v : row) total += v;
        out.add((double) total);
        out.add(ok ? 1.0 : 0.0);
        return out;
    }
}
""", "f"),
    "go": ("""package main

import "unicode/utf8"

func F(xs []float64, s string, grid [][]int, ok bool) []float64 {
	out := []float64{}
	for _, x := range xs {
		out = append(out, x*2)
	}
	total := 0
	for _, row := range grid {
		for _, v := range row {
			total += v
		}
	}
	b := 0.0
	if ok {
		b = 1
	}
	return append(out, float64(utf8.RuneCountInString(s)), float64(total), b)
}
""", "F"),
    "rust": ("""fn f(xs: Vec<f64>, s: &str, grid: Vec<Vec<i64>>, ok: bool) -> Vec<f64> {
    let mut out: Vec<f64> = xs.iter().map(|x| x * 2.0).collect();
    out.push(s.chars().count() as f64);
    out.push(grid.iter().map(|r| r.iter().sum::<i64>()).sum::<i64>() as f64);
    out.push(if ok { 1.0 } else { 0.0 });
    out
}
""", "f"),
}

CASES = [
    ([0.1, -2.5, 1e-09, 123456.789, 1e16, 5e-324, -0.0], "héllo wörld 日本", [[1, 2], [], [3]],
     True),
    ([], "", [], False),
    ([1 / 3, 2.0 / 3, 1e300], "  spaced  out  ", [[-9223372036854775807]], True),
]


def expected(xs: list[float], s: str, grid: list[list[int]], ok: bool) -> list[float]:
    return [x * 2 for x in xs] + [float(len(s)), float(sum(map(sum, grid))), 1.0 if ok else 0.0]


def test_readers_and_printers_in_every_language() -> None:
    signature = Signature(params=[Param(name="xs", type="list[float]"),
                                  Param(name="s", type="str"),
                                  Param(name="grid", type="list[list[int]]"),
                                  Param(name="ok", type="bool")], returns="list[float]")
    made = []
    for lang, (solution, entry) in SOLUTIONS.items():
        cases = [CallCase(args=list(c), expected=expected(*c)) for c in CASES]
        if lang == "javascript":  # numbers are doubles there: no 64-bit ints
            cases = cases[:2]
        problem = Problem(id=f"io-echo/{lang}", language=lang, prompt="Transform them.",
                          tests=CallsTests(cases=cases), entry_point=entry,
                          signature=signature, solution=solution)
        for v in variants(problem, count=1):
            made.append((lang, v))
    assert {lang for lang, _ in made} == set(SOLUTIONS)
    verdicts = verify_problems([v.problem for _, v in made])
    failed = [(lang, v.label, d.status, d.reason[:300])
              for (lang, v), d in zip(made, verdicts, strict=False) if not d.passed]
    assert not failed, failed


def test_back_direction_restores_a_verifiable_problem() -> None:
    seed = decode_problem((ROOT / "examples" / "seeds.jsonl").read_text().splitlines()[0])
    [io_variant, *_] = variants(seed)
    [back] = IoMutator().mutate(io_variant.problem, IoParams(direction="to-function"),
                                random.Random(0))
    assert isinstance(back, Variant) and not isinstance(back, Skipped)
    [verdict] = verify_problems([back.problem])
    assert verdict.passed, verdict.reason
