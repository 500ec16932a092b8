"""codeaug.recording without Docker: value tagging, neutral type inference, case values,
and the recorder itself, run on the host as the sandbox would run it (``python3
main.py`` in a work dir with the nonce on stdin), then analysed as a sandbox result."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from codeaug_plugins.python_language import Python

from codeaug.executor.protocol import JobResult, Limits, StepResult
from codeaug.record import CallsTests, CodeTests, Param, Problem, Signature
from codeaug.recording import (
    MARKER,
    META_KEY,
    RECORDER_FILE,
    SEED_TESTS_KEY,
    DictValue,
    RecordingError,
    SetValue,
    analyse,
    applies,
    build_recording_job,
    code_only,
    decode_tagged,
    infer_type,
    parse_run,
    recorded_problem,
    recorder_module,
    refine_type,
    to_case_value,
)
from codeaug.typesys import parse_type

REC = recorder_module()
NONCES = ("a" * 32, "b" * 32)


def roundtrip(value: Any) -> Any:
    return decode_tagged(json.loads(json.dumps(REC.tag(value))))


# ------------------------------------------------------------------------ tagging


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2**100, 1.5, -0.0, "", "é\n",
                                   [1, [2, []]], (1, "a"), ()])
def test_plain_values_and_tuples_round_trip(value: Any) -> None:
    back = roundtrip(value)
    assert back == value and type(back) is type(value)


def test_floats_stay_floats_ints_stay_ints() -> None:
    assert type(roundtrip(2.0)) is float and type(roundtrip(2)) is int
    assert type(roundtrip(True)) is bool


def test_non_finite_floats_are_tagged() -> None:
    assert REC.tag(float("inf")) == {"$": "float", "v": "inf"}
    assert math.isnan(roundtrip(float("nan")))
    assert roundtrip(float("-inf")) == float("-inf")


def test_sets_are_canonical_and_marked() -> None:
    back = roundtrip({3, 1, 2})
    assert isinstance(back, SetValue) and list(back) == [1, 2, 3]
    assert REC.tag({"b", "a"}) == REC.tag(frozenset({"a", "b"}))


def test_dicts_keep_key_types_and_order() -> None:
    back = roundtrip({2: "x", 1: [1.0]})
    assert isinstance(back, DictValue) and list(back) == [(2, "x"), (1, [1.0])]
    assert list(roundtrip({"1": 1})) == [("1", 1)]  # a str key stays a str


@pytest.mark.parametrize("value", [object(), len, (x for x in ()), b"x", 1j, [print],
                                   {1: bytearray()}])
def test_other_values_are_unrepresentable(value: Any) -> None:
    with pytest.raises(REC.Unrepresentable):
        REC.tag(value)


def test_self_reference_and_huge_ints_are_unrepresentable() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(REC.Unrepresentable, match="nested"):
        REC.tag(loop)
    with pytest.raises(REC.Unrepresentable, match="digits"):
        REC.tag(10**5000)


def test_unknown_tag_is_an_error() -> None:
    with pytest.raises(RecordingError):
        decode_tagged({"$": "complex", "v": [1, 2]})


# ------------------------------------------------------------------- type inference


def t(text: str) -> Any:
    return parse_type(text)


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 2], "int"), ([1.0], "float"), (["a"], "str"), ([True], "bool"),
    ([None], "none"), ([None, 3], "optional[int]"), ([[1], []], "list[int]"),
    ([[]], "list[any]"), ([(1, "a"), (2, "b")], "tuple[int,str]"),
    ([(1,), (1, 2)], "list[int]"), ([(1, 2), [3]], "list[int]"),
    ([SetValue(("a",))], "set[str]"), ([DictValue(((1, [None]),))], "dict[int,list[none]]"),
    ([DictValue(((1, None), (2, 5)))], "dict[int,optional[int]]"),
    ([[(1, None)], [(2, 3.5)]], "list[tuple[int,optional[float]]]"),
])
def test_infer(values: list[Any], expected: str) -> None:
    assert str(infer_type(values)) == expected


@pytest.mark.parametrize(("values", "message"), [
    ([1, "a"], "mixes values of int and str"), ([1, True], "mixes values of bool and int"),
    ([1, 2.5], "mixes int and float"), ([[1], ["a"]], "an item of x mixes"),
])
def test_infer_refuses_mixes(values: list[Any], message: str) -> None:
    with pytest.raises(RecordingError, match=message):
        infer_type(values, "x")


def test_int_and_float_mix_as_float_only_when_allowed() -> None:
    widened: list[str] = []
    assert str(infer_type([[1, 2.5]], "x", widened, mix_numbers=True)) == "list[float]"
    assert widened == ["an item of x: float (int and float values)"]


@pytest.mark.parametrize(("hint", "values", "expected"), [
    ("float", [1, 2.5], "float"), ("list[any]", [[1], [2]], "list[int]"),
    ("list[int]", [(1, 2)], "list[int]"), ("any", [{"$": 1}], None),
    ("tuple[int,any]", [(1, "a")], "tuple[int,str]"), ("optional[int]", [None], "optional[int]"),
    ("dict[str,any]", [DictValue((("a", 1.5),))], "dict[str,float]"),
    ("set[any]", [SetValue((1, 2))], "set[int]"), ("list[float]", [[]], "list[float]"),
])
def test_refine_confirms_and_fills(hint: str, values: list[Any], expected: str | None) -> None:
    if expected is None:
        with pytest.raises(RecordingError):
            refine_type(t(hint), values)
    else:
        assert str(refine_type(t(hint), values)) == expected


@pytest.mark.parametrize(("hint", "values"), [
    ("int", [1.5]), ("int", [True]), ("str", [1]), ("list[int]", ["ab"]),
    ("tuple[int,int]", [(1,)]), ("bool", [0]), ("dict[int,int]", [DictValue((("a", 1),))]),
    ("none", [1]),
])
def test_refine_refuses_what_the_hint_denies(hint: str, values: list[Any]) -> None:
    with pytest.raises(RecordingError, match="as the signature says"):
        refine_type(t(hint), values, "parameter `x`")


def test_none_widens_a_hint_to_optional() -> None:
    widened: list[str] = []
    assert str(refine_type(t("int"), [1, None], "the return value", widened)) == "optional[int]"
    assert widened == ["the return value: optional[int] (the hint says int)"]


# ------------------------------------------------------------------------ case values


def test_case_values_are_json_for_their_type() -> None:
    assert to_case_value(3, t("float")) == 3.0 and type(to_case_value(3, t("float"))) is float
    assert to_case_value((1, "a"), t("tuple[int,str]")) == [1, "a"]
    assert to_case_value(DictValue(((1, (2, 3)),)), t("dict[int,list[int]]")) == {"1": [2, 3]}
    assert to_case_value(SetValue((1, 2)), t("set[int]")) == [1, 2]
    assert to_case_value(None, t("optional[int]")) is None
    assert to_case_value([1, None], t("list[optional[float]]")) == [1.0, None]


@pytest.mark.parametrize(("value", "type_", "message"), [
    (float("nan"), "float", "cannot hold"), (float("inf"), "float", "cannot hold"),
    (10**400, "float", "too large"), (DictValue((((1, 2), 3),)), "dict[tuple[int,int],int]",
                                       "dict key of type tuple"),
    ("\ud800", "str", "surrogate"),
])
def test_case_values_json_cannot_hold(value: Any, type_: str, message: str) -> None:
    with pytest.raises(RecordingError, match=message):
        to_case_value(value, t(type_))


# ------------------------------------------------ the recorder, run as the sandbox would


def problem(solution: str, test: str, entry_point: str = "f",
            signature: Signature | None = None) -> Problem:
    return Problem(id="t/1", language="python", prompt="", entry_point=entry_point,
                   solution=solution, tests=CodeTests(code=test),
                   signature=signature or Signature())


def run_locally(p: Problem, tmp_path: Path, *, stdin: tuple[str, str] = NONCES) -> JobResult:
    """The recording job, run with the host's python3 (no sandbox, no limits)."""
    job = build_recording_job(Python(), p, Limits(), "1:t", NONCES)
    for name, text in job.files.items():
        (tmp_path / name).write_text(text)
    steps = []
    for step, nonce in zip(job.steps, stdin, strict=True):
        done = subprocess.run([sys.executable, step.argv[1]], cwd=tmp_path, input=nonce + "\n",
                              capture_output=True, text=True, timeout=60)
        steps.append(StepResult(step.name, exit_code=done.returncode, stdout=done.stdout,
                                stderr=done.stderr))
    return JobResult("1:t", steps)


def record(p: Problem, tmp_path: Path, **kwargs: Any) -> tuple[Any, list[Any], dict[str, Any]]:
    return analyse(p, run_locally(p, tmp_path, **kwargs), NONCES)


def args_and_expected(cases: list[Any]) -> list[tuple[list[Any], Any]]:
    return [(c.args, c.expected) for c in cases]


def test_job_is_the_verify_program_plus_one_line() -> None:
    p = problem("def f(x):\n    return x\n", "assert f(1) == 1\n")
    job = build_recording_job(Python(), p, Limits(), "1:t", NONCES)
    verify_job = Python().build_job(p, Limits(), "1:t")
    program = job.files["main.py"]
    install = '__import__("_codeaug_recorder").install(globals(), \'f\')'
    assert program == verify_job.files["main.py"].replace("\n\nassert", "\n\n" + install
                                                          + "\n\nassert")
    assert set(job.files) == {"main.py", RECORDER_FILE}
    assert [s.name for s in job.steps] == ["record", "again"]
    assert [s.stdin for s in job.steps] == [n + "\n" for n in NONCES]


def test_records_calls_args_results_and_fills_the_signature(tmp_path: Path) -> None:
    p = problem(
        "def f(xs, k=2):\n    return {i: tuple(xs[:k]) for i in range(k)}, set(xs), None\n",
        "def check(c):\n    assert c([1, 2, 3])[1] == {1, 2, 3}\n    c([4], k=1)\n"
        "    c([1, 2, 3])\n\ncheck(f)\n")
    signature, cases, info = record(p, tmp_path)
    assert [(x.name, x.type) for x in signature.params] == [("xs", "list[int]"), ("k", "int")]
    # tuples of two lengths ((1, 2) and (4,)) are lists
    assert signature.returns == "tuple[dict[int,list[int]],set[int],none]"
    assert args_and_expected(cases)[0] == ([[1, 2, 3], 2],
                                           [{"0": [1, 2], "1": [1, 2]}, [1, 2, 3], None])
    assert len(cases) == 2 and info["calls"] == 3 and info["cases"] == 2  # deduplicated
    assert info["signature"] == "filled"


def test_confirms_a_typed_signature(tmp_path: Path) -> None:
    sig = Signature(params=[Param("a", "float")], returns="float")
    p = problem("def f(a: float) -> float:\n    return a / 2\n",
                "assert f(3) == 1.5\nassert f(1.0) == 0.5\n", signature=sig)
    signature, cases, info = record(p, tmp_path)
    assert signature == sig and info["signature"] == "confirmed"
    assert args_and_expected(cases) == [([3.0], 1.5), ([1.0], 0.5)]


def test_recursion_and_helper_calls_are_not_recorded(tmp_path: Path) -> None:
    p = problem("def f(n):\n    return 1 if n < 2 else n * f(n - 1)\n\n"
                "def helper():\n    return f(3)\n",
                "assert f(5) == 120\nassert helper() == 6\nassert f(2) == 2\n")
    _, cases, info = record(p, tmp_path)
    assert args_and_expected(cases) == [([5], 120), ([2], 2)]
    assert info["calls"] == 2


def test_forged_record_lines_are_ignored(tmp_path: Path) -> None:
    forged = f"{MARKER}{'c' * 32} call " + json.dumps({"args": [99], "result": 0})
    guess = f"{MARKER} call " + json.dumps({"args": [98], "result": 0})
    p = problem(f"print({forged!r})\n\ndef f(x):\n    print({forged!r})\n"
                f"    print({guess!r})\n    return x + 1\n",
                "assert f(1) == 2\n")
    _, cases, _ = record(p, tmp_path)
    assert args_and_expected(cases) == [([1], 2)]
    assert parse_run(f"\n{forged}\n", "c" * 32).calls  # the same line with its nonce counts


def test_a_solution_reading_stdin_gets_no_recording(tmp_path: Path) -> None:
    p = problem("import sys\nNONCE = sys.stdin.read()\n\ndef f(x):\n    return x\n",
                "assert f(1) == 1\n")
    with pytest.raises(RecordingError, match="recorder was not installed"):
        record(p, tmp_path)


@pytest.mark.parametrize(("solution", "test", "reason"), [
    ("def g(x):\n    return x\n", "assert g(1) == 1\n", "does not define the entry point `f`"),
    ("def f(x):\n    return x\n", "assert f(1) == 2\n",
     "the seed's tests fail with the reference solution: AssertionError"),
    ("def f(x):\n    return x\n", "pass\n", "no call to the entry point"),
    ("def f(x):\n    return object()\n", "f(1)\n", "not representable: the result is a value "
                                                   "of type object"),
    ("def f(x):\n    return (i for i in x)\n", "f([1])\n", "a value of type generator"),
    ("def f(x):\n    return x\n", "f(lambda: 1)\n", "an argument is a value of type function"),
    ("def f(x):\n    return b'x'\n", "f(1)\n", "a value of type bytes"),
    ("def f(x):\n    return float('nan')\n", "f(1)\n", "nan, which a JSON record cannot hold"),
    ("def f(x):\n    raise ValueError('no')\n",
     "try:\n    f(1)\nexcept ValueError:\n    pass\n", "raised on a call"),
    ("def f(*xs):\n    return len(xs)\n", "assert f(1, 2) == 2\n", "variadic"),
    ("def f(x):\n    x.append(1)\n    return len(x)\n",
     "a = []\nassert f(a) == 1\nassert a == [1]\n",
     "mutates its arguments and the tests observe it"),
    ("import random\n\ndef f(x):\n    return random.random()\n", "f(1)\n", "non-deterministic"),
    ("_n = [0]\n\ndef f(x):\n    _n[0] += 1\n    return _n[0]\n", "f(1)\nf(1)\n",
     "non-deterministic: the same arguments gave different results within one run"),
    ("def f(x):\n    return x\n", "import os\nf(1)\nos._exit(0)\n", "did not end normally"),
    ("def f(x):\n    return x\n", "f(1)\nf('a')\n", "parameter `x` mixes values of int and str"),
])
def test_refusals(tmp_path: Path, solution: str, test: str, reason: str) -> None:
    with pytest.raises(RecordingError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        record(problem(solution, test), tmp_path)


def test_unobserved_mutation_is_recorded_from_the_arguments_before_the_call(
        tmp_path: Path) -> None:
    p = problem("def f(x):\n    x.sort()\n    return x[0]\n",
                "a = [3, 1]\nassert f(a) == 1\nassert f([2, 5]) == 2\n")
    _, cases, info = record(p, tmp_path)
    assert args_and_expected(cases) == [([[3, 1]], 1), ([[2, 5]], 2)]
    assert info["mutates_arguments"] is True


def test_random_test_inputs_are_recorded_and_flagged(tmp_path: Path) -> None:
    p = problem("def f(x):\n    return x * 2\n",
                "import random\nfor _ in range(5):\n    x = random.randint(0, 10**9)\n"
                "    assert f(x) == 2 * x\n")
    _, cases, info = record(p, tmp_path, stdin=NONCES)
    assert len(cases) == 5 and info.get("inputs_vary") is True


def test_recorded_and_code_only_records() -> None:
    p = problem("def f(x):\n    return x\n", "assert f(1) == 1\n")
    sig = Signature(params=[Param("x", "int")], returns="int")
    from codeaug.record import CallCase
    done = recorded_problem(p, sig, [CallCase([1], 1)], {"status": "recorded"})
    assert isinstance(done.tests, CallsTests) and done.signature == sig
    assert done.meta[SEED_TESTS_KEY] == {"kind": "code", "code": "assert f(1) == 1\n"}
    assert msgspec.convert(done.meta[SEED_TESTS_KEY], CodeTests) == p.tests
    kept = code_only(p, "why")
    assert kept.tests == p.tests and kept.meta[META_KEY]["status"] == "code-only"
    assert kept.meta[META_KEY]["reason"] == "why"


def test_only_python_code_tests_apply() -> None:
    p = problem("def f(x):\n    return x\n", "assert f(1) == 1\n")
    assert applies(p) == ""
    assert "not javascript" in applies(msgspec.structs.replace(p, language="javascript"))
    calls = msgspec.structs.replace(p, tests=CallsTests(cases=[]))
    assert "calls tests" in applies(calls)


def test_cli_summary_line_counts_reasons_alike() -> None:
    from codeaug.cli.record_calls import RecordingProgress
    from codeaug.recording import Recording

    progress = RecordingProgress()
    p = problem("def f(x):\n    return x\n", "assert f(1) == 1\n")
    for outcome in (Recording("recorded", cases=1, calls=1), Recording("recorded"),
                    Recording("code-only", "parameter `a` mixes values of int and str"),
                    Recording("code-only", "the return value mixes int and float values"),
                    Recording("code-only", "non-deterministic: the same arguments gave ..."),
                    Recording("skipped", "its tests are calls tests")):
        progress.advance_recording(p, outcome)
    assert progress.summary() == ("recorded 2, code-only 3 (2 values without one neutral "
                                  "type; 1 non-deterministic), skipped 1 (not Python code "
                                  "tests)")
