"""codeaug.typesys: the neutral type grammar, accepted and rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codeaug.typesys import TypeExpr, TypeSyntaxError, parse_type

SCALAR_NAMES = ["int", "float", "str", "bool", "none", "any"]


def _types() -> st.SearchStrategy[TypeExpr]:
    scalars = st.sampled_from(SCALAR_NAMES).map(TypeExpr)

    def extend(inner: st.SearchStrategy[TypeExpr]) -> st.SearchStrategy[TypeExpr]:
        one = st.tuples(st.sampled_from(["list", "set", "optional"]), inner).map(
            lambda t: TypeExpr(t[0], (t[1],)))
        two = st.tuples(inner, inner).map(lambda t: TypeExpr("dict", t))
        many = st.lists(inner, min_size=1, max_size=4).map(
            lambda xs: TypeExpr("tuple", tuple(xs)))
        return one | two | many

    return st.recursive(scalars, extend, max_leaves=12)


def _spell(draw: st.DrawFn, t: TypeExpr) -> str:
    """Write ``t`` by hand with random whitespace between tokens and random letter case."""
    ws = st.text(alphabet=" \t\n\r", max_size=3)
    name = "".join(c.upper() if draw(st.booleans()) else c for c in t.name)
    if not t.args:
        return draw(ws) + name + draw(ws)
    inner = ",".join(_spell(draw, a) for a in t.args)
    return draw(ws) + name + draw(ws) + "[" + inner + "]" + draw(ws)


@st.composite
def _spelled(draw: st.DrawFn) -> tuple[TypeExpr, str]:
    t = draw(_types())
    return t, _spell(draw, t)


@given(_types())
def test_str_parses_back(t: TypeExpr) -> None:
    text = str(t)
    assert " " not in text
    assert parse_type(text) == t


@given(_spelled())
def test_whitespace_and_case_are_ignored(pair: tuple[TypeExpr, str]) -> None:
    t, text = pair
    assert parse_type(text) == t


@given(_types(), st.sampled_from(["]", ",", "[", "x", "[int]", ",int", "int"]))
def test_trailing_garbage_is_rejected(t: TypeExpr, garbage: str) -> None:
    with pytest.raises(TypeSyntaxError):
        parse_type(str(t) + garbage)


@given(st.text(alphabet="abcdefilnoprstuy[], ", max_size=30))
def test_arbitrary_text_parses_or_raises_type_syntax_error(text: str) -> None:
    try:
        t = parse_type(text)
    except TypeSyntaxError:
        return
    assert parse_type(str(t)) == t
    assert str(t) == "".join(text.split()).lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("int", TypeExpr("int")),
        ("NONE", TypeExpr("none")),
        ("list[int]", TypeExpr("list", (TypeExpr("int"),))),
        ("Set[ str ]", TypeExpr("set", (TypeExpr("str"),))),
        ("optional[list[float]]",
         TypeExpr("optional", (TypeExpr("list", (TypeExpr("float"),)),))),
        ("dict[str, list[int]]",
         TypeExpr("dict", (TypeExpr("str"), TypeExpr("list", (TypeExpr("int"),))))),
        ("tuple[int]", TypeExpr("tuple", (TypeExpr("int"),))),
        ("tuple[int,str,bool,any]",
         TypeExpr("tuple", tuple(TypeExpr(n) for n in ["int", "str", "bool", "any"]))),
    ],
)
def test_known_examples(text: str, expected: TypeExpr) -> None:
    assert parse_type(text) == expected


def test_str_of_examples() -> None:
    t = TypeExpr("dict", (TypeExpr("str"), TypeExpr("tuple", (TypeExpr("int"), TypeExpr("none")))))
    assert str(t) == "dict[str,tuple[int,none]]"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("integer", "unknown type 'integer'"),
        ("List[Integer]", "unknown type 'integer'"),
        ("array[int]", "unknown type 'array'"),
        ("str_", "unexpected"),
        ("", "expected a type name"),
        ("   ", "expected a type name"),
        ("list", "needs type arguments"),
        ("dict", "needs type arguments"),
        ("list int", "unknown type"),  # whitespace removed: 'listint'
        ("list[int", "expected ',' or ']'"),
        ("list[", "expected a type name"),
        ("[int]", "expected a type name"),
        ("list[]", "expected a type name"),
        ("tuple[]", "expected a type name"),
        ("dict[int,]", "expected a type name"),
        ("list[,int]", "expected a type name"),
        ("dict[int]", "dict takes 2"),
        ("dict[int,str,float]", "dict takes 2"),
        ("list[int,str]", "list takes 1"),
        ("set[int,int]", "set takes 1"),
        ("optional[int,none]", "optional takes 1"),
        ("int]", "unexpected"),
        ("int[int]", "unexpected"),
        ("list[int]]", "unexpected"),
        ("list[int]x", "unexpected"),
        ("int,str", "unexpected"),
        ("list(int)", "needs type arguments"),
    ],
)
def test_malformed(text: str, fragment: str) -> None:
    with pytest.raises(TypeSyntaxError) as info:
        parse_type(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_error_message_quotes_the_original_text() -> None:
    with pytest.raises(TypeSyntaxError, match=r"'Dict\[Str\]'"):
        parse_type("Dict[Str]")


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    deep = "list[" * 5000 + "int" + "]" * 5000
    try:
        parse_type(deep)
    except TypeSyntaxError:
        pass
