"""signature_from_python: Python type hints → the neutral grammar of codeaug.typesys."""

from __future__ import annotations

import gzip
import json
import os
import typing
from pathlib import Path

import pytest

from codeaug.pysignature import SignatureError, signature_from_python
from codeaug.record import Param, Signature
from codeaug.typesys import parse_type

DATASETS = Path(__file__).parents[2].parent / "shared" / "datasets"
HUMANEVAL = DATASETS / "humaneval" / "HumanEval.jsonl.gz"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI=true: datasets are required)")
        pytest.skip(f"{path} not found (shared datasets are not available here)")
    return path


def _one(annotation: str) -> str:
    header = "from typing import *\nimport typing\n"
    source = f"{header}def f(x: {annotation}) -> {annotation}:\n    pass\n"
    sig = signature_from_python(source, "f")
    assert sig.params[0].type == sig.returns, "parameter and return mapping must agree"
    return sig.returns


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("int", "int"),
        ("float", "float"),
        ("str", "str"),
        ("bool", "bool"),
        ("None", "none"),
        ("Any", "any"),
        ("typing.Any", "any"),
        ("object", "any"),
        ("List[int]", "list[int]"),
        ("list[int]", "list[int]"),
        ("typing.List[str]", "list[str]"),
        ("List", "list[any]"),
        ("list", "list[any]"),
        ("List[List[float]]", "list[list[float]]"),
        ("Dict[str, int]", "dict[str,int]"),
        ("dict[str, list[int]]", "dict[str,list[int]]"),
        ("dict", "dict[any,any]"),
        ("Tuple[int, str]", "tuple[int,str]"),
        ("tuple[int, str, float]", "tuple[int,str,float]"),
        ("Tuple[int]", "tuple[int]"),
        ("Tuple[int, ...]", "list[int]"),
        ("tuple[str, ...]", "list[str]"),
        ("tuple", "list[any]"),
        ("Tuple[()]", "any"),
        ("Set[int]", "set[int]"),
        ("set[str]", "set[str]"),
        ("frozenset[int]", "set[int]"),
        ("Optional[int]", "optional[int]"),
        ("int | None", "optional[int]"),
        ("None | str", "optional[str]"),
        ("Union[int, None]", "optional[int]"),
        ("Union[None, List[int]]", "optional[list[int]]"),
        ("Optional[Optional[int]]", "optional[int]"),
        ("Optional[int] | None", "optional[int]"),
        ("Union[int]", "int"),
        ("Union[int, str]", "any"),
        ("int | str", "any"),
        ("int | str | None", "any"),
        ("Optional[Any]", "any"),
        ("Optional[Tuple[int, int]]", "optional[tuple[int,int]]"),
        ("Sequence[int]", "any"),
        ("Callable[[int], int]", "any"),
        ("MyClass", "any"),
        ("List[MyClass]", "list[any]"),
        ("'List[int]'", "list[int]"),
        ("'not a ( valid expr'", "any"),
        ("Annotated[int, 'meters']", "int"),
        ("Literal['a', 'b']", "str"),
        ("Literal[1, 'a']", "any"),
        ("List[int, str]", "any"),
        ("Dict[str]", "any"),
        ("Tuple[int, ..., str]", "any"),
    ],
)
def test_annotation_mapping(annotation: str, expected: str) -> None:
    got = _one(annotation)
    assert got == expected
    # Whatever comes out must be inside the grammar, in its canonical spelling.
    assert str(parse_type(got)) == got


def test_missing_hints_are_any() -> None:
    sig = signature_from_python("def f(a, b):\n    return a\n", "f")
    assert sig == Signature(params=[Param("a", "any"), Param("b", "any")], returns="any")


def test_defaults_positional_only_and_excluded_kinds() -> None:
    source = (
        "def f(a: int, /, b: str = 'x', c: int = None, *args: int, k: int, d: int = 1,"
        " **kw: str) -> None:\n    pass\n"
    )
    sig = signature_from_python(source, "f")
    assert [(p.name, p.type) for p in sig.params] == [
        ("a", "int"), ("b", "str"), ("c", "optional[int]")
    ]
    assert sig.returns == "none"


def test_none_default_keeps_existing_optional_and_any() -> None:
    sig = signature_from_python("def f(a: Optional[int] = None, b=None):\n    pass\n", "f")
    assert [p.type for p in sig.params] == ["optional[int]", "any"]


def test_last_definition_wins_and_helpers_are_ignored() -> None:
    source = (
        "def helper(x: str) -> str:\n    return x\n\n"
        "def f(x: int) -> int:\n    return x\n\n"
        "async def f(y: float) -> float:\n    return y\n"
    )
    sig = signature_from_python(source, "f")
    assert sig == Signature(params=[Param("y", "float")], returns="float")


def test_method_and_nested_functions_are_not_module_level() -> None:
    source = "class C:\n    def f(self, x: int) -> int:\n        return x\n"
    with pytest.raises(ValueError, match="'f'"):
        signature_from_python(source, "f")


def test_missing_function_names_what_is_defined() -> None:
    with pytest.raises(SignatureError) as info:
        signature_from_python("def a():\n    pass\ndef b():\n    pass\n", "c")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "entry_point"
    assert "'c'" in str(info.value) and "a, b" in str(info.value)


def test_syntax_error_is_a_value_error_with_line() -> None:
    with pytest.raises(ValueError, match=r"does not parse.*line 2") as info:
        signature_from_python("x = 1\ndef f(:\n", "f")
    assert isinstance(info.value, SignatureError) and info.value.field == "source"


def test_prompt_without_body_parses() -> None:
    # HumanEval prompts end after the docstring; that is still a complete def.
    prompt = 'from typing import List\n\n\ndef g(xs: List[int]) -> int:\n    """Doc."""\n'
    assert signature_from_python(prompt, "g") == Signature([Param("xs", "list[int]")], "int")


# An independent oracle for the real data: evaluate the hints at run time and map the
# resulting typing objects, instead of reading the syntax tree.
def _runtime_type(hint: object) -> str:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    scalars = {int: "int", float: "float", str: "str", bool: "bool", type(None): "none"}
    if hint in scalars:
        return scalars[hint]  # type: ignore[index]
    if hint is list:
        return "list[any]"
    if origin is list:
        return f"list[{_runtime_type(args[0])}]" if args else "list[any]"
    if origin is dict:
        return f"dict[{_runtime_type(args[0])},{_runtime_type(args[1])}]"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list[{_runtime_type(args[0])}]"
        return f"tuple[{','.join(_runtime_type(a) for a in args)}]"
    if origin is typing.Union:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2 and _runtime_type(rest[0]) != "any":
            return f"optional[{_runtime_type(rest[0])}]"
    return "any"


def test_humaneval_signatures_match_runtime_hints() -> None:
    lines = gzip.open(_need(HUMANEVAL), "rt", encoding="utf-8").read().splitlines()
    assert len(lines) == 164
    typed = 0
    for line in lines:
        task = json.loads(line)
        namespace: dict[str, object] = {}
        exec(compile(task["prompt"], task["task_id"], "exec"), namespace)  # defs and imports only
        func = namespace[task["entry_point"]]
        hints = typing.get_type_hints(func)
        code = func.__code__  # type: ignore[attr-defined]
        names = list(code.co_varnames[: code.co_argcount])
        want = Signature(
            params=[Param(n, _runtime_type(hints[n]) if n in hints else "any") for n in names],
            returns=_runtime_type(hints["return"]) if "return" in hints else "any",
        )
        got = signature_from_python(task["prompt"], task["entry_point"])
        assert got == want, task["task_id"]
        typed += all("any" not in t for t in [*(p.type for p in got.params), got.returns])
    # HumanEval/0-29 carry typing hints; most later prompts have none.
    assert 20 <= typed < 164
