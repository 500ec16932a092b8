"""The ``io`` mutator: a function problem becomes a stdin/stdout program problem, and back.

Why: the same task asked as "write a program" (competitive-programming style) is a
different training problem from "write a function", and every seed with ``calls`` tests
(or HumanEval-style ``assert candidate(...) == ...`` tests) can become one, verified.

How: each case's arguments are written to stdin in a line-oriented format derived from
the signature's neutral types (:func:`render`: ints, floats and bools are tokens, a
string is a whole line, a list is its length then its items, a tuple its parts, a dict
its size then key/value pairs, an optional a 0/1 flag then the value); the expected
value is written the same way as the expected stdout (floats in Python ``repr`` form,
sets and dict keys in increasing order). The prompt gets "Input format"/"Output format"
sections written from the signature, and an example. The solution is the original one
plus a main from ``templates/io/<language>.*`` that reads stdin, calls the entry point
and prints the result the same way: Python and JavaScript follow the neutral types; C++
(templates), Java (reflection), Go (reflection) and Rust (traits) follow the solution's
own parameter and return types. Variants differ in style: one or several test cases
per input, list items on one line or one per line, the words for booleans.

``direction=to-function`` undoes it: the original prompt, tests, signature and solution
are kept in ``meta["io"]`` of every problem this mutator produced.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated, Any, ClassVar, Literal

import msgspec

import codeaug
from codeaug import syntax
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import CallCase, CallsTests, CodeTests, IoCase, IoTests, Problem, Signature
from codeaug.typesys import TypeExpr, TypeSyntaxError, parse_type

PACKAGE = "codeaug_plugins"
META_KEY = "io"
#: Template file per language (``templates/io/``).
TEMPLATES = {"python": "python.py", "javascript": "javascript.js", "cpp": "cpp.cpp",
             "java": "java.java", "go": "go.go", "rust": "rust.rs"}
#: The largest int each language's main reads and prints exactly.
INT_LIMITS = {"python": None, "javascript": 2**53 - 1}
INT64 = 2**63 - 1
INLINE = frozenset({"int", "float", "bool"})
BOOL_WORDS: tuple[tuple[str, str], ...] = (("true", "false"), ("YES", "NO"), ("1", "0"))


class Unsupported(Exception):
    """A type or value the io format (or the target language's main) cannot carry."""


class IoParams(msgspec.Struct, forbid_unknown_fields=True):
    direction: Annotated[Literal["to-io", "to-function"], msgspec.Meta(
        description="to-io: function problem -> stdin/stdout program problem; "
                    "to-function: undo an io problem this mutator produced")] = "to-io"
    count: Annotated[int, msgspec.Meta(
        ge=1, description="at most this many variants (styles) per problem")] = 3
    min_cases: Annotated[int, msgspec.Meta(
        ge=1, description="skip a problem with fewer usable test cases than this")] = 1


@dataclass(frozen=True)
class Style:
    """How one variant lays its input and output out."""

    batch: bool  # stdin starts with T, the number of test cases
    one_per_line: bool  # tokens of a group (list items, tuple parts) one per line
    bools: tuple[str, str]  # the words for true and false

    def label(self) -> str:
        return (f"{'batch' if self.batch else 'single'},"
                f"{'lines' if self.one_per_line else 'line'},{self.bools[0]}/{self.bools[1]}")


# ---------------------------------------------------------------------- the format


#: Floats print with at most this many significant digits: the shortest round-trip
#: digits (as Python's repr has them) rounded half-up, so that a result a few ulps off
#: the expected one (tests compare with a tolerance) still prints the same text.
FLOAT_DIGITS = 12


def float_repr(x: float) -> str:
    """A finite float as the mains print it: Python's repr layout, at most
    :data:`FLOAT_DIGITS` significant digits."""
    return py_float_from_sci(repr(float(x)))


def round_digits(digits: str, decpt: int, n: int = FLOAT_DIGITS) -> tuple[str, int]:
    """Round a digit string (value 0.DIGITS x 10^decpt) to ``n`` digits, half-up."""
    if len(digits) <= n:
        return digits, decpt
    head = digits[:n]
    if digits[n] >= "5":
        bumped = str(int(head) + 1)
        if len(bumped) > n:
            bumped, decpt = bumped[:n], decpt + 1
        head = bumped
    return head.rstrip("0") or "0", decpt


def py_float_from_sci(text: str) -> str:
    """Python's repr spelling of a shortest scientific form (``-1.5e-9`` -> ``-1.5e-09``).

    The mains of C++, Go, Rust, JavaScript and Java do the same; kept here for tests.
    """
    neg = text.startswith("-")
    mantissa, _, exp = text.lstrip("-+").lower().partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    point = mantissa.index(".") if "." in mantissa else len(mantissa)
    lead = len(mantissa.replace(".", "")) - len(mantissa.replace(".", "").lstrip("0"))
    digits = digits.rstrip("0")
    sign = "-" if neg else ""
    if not digits:
        return sign + "0.0"
    decpt = int(exp or 0) + point - lead
    digits, decpt = round_digits(digits, decpt)
    if -4 < decpt <= 16:
        if decpt <= 0:
            body = "0." + "0" * -decpt + digits
        elif decpt >= len(digits):
            body = digits + "0" * (decpt - len(digits)) + ".0"
        else:
            body = digits[:decpt] + "." + digits[decpt:]
    else:
        e = decpt - 1
        body = (digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
                + f"e{'-' if e < 0 else '+'}{abs(e):02d}")
    return sign + body


def _check_int(value: Any, limit: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Unsupported(f"{value!r} is not an int")
    if limit is not None and abs(value) > limit:
        raise Unsupported(f"int {value} is out of the target language's range")
    return value


def token(value: Any, t: TypeExpr, style: Style, limit: int | None,
          output: bool = False) -> str:
    """One inline value (int, float, bool) as its token (floats: exact ``repr`` in the
    input, :func:`float_repr` in the output)."""
    if t.name == "int":
        return str(_check_int(value, limit))
    if t.name == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Unsupported(f"{value!r} is not a float")
        try:
            number = float(value)
        except OverflowError:
            raise Unsupported(f"{value} overflows a float") from None
        if not math.isfinite(number):
            raise Unsupported("infinite or NaN floats have no io rendering")
        return float_repr(number) if output else repr(number)
    if not isinstance(value, bool):
        raise Unsupported(f"{value!r} is not a bool")
    return style.bools[0] if value else style.bools[1]


def _group(tokens: list[str], style: Style) -> list[str]:
    if not tokens:
        return []
    return tokens if style.one_per_line else [" ".join(tokens)]


def _dict_key(key: Any, t: TypeExpr) -> Any:
    """A JSON object key as a value of the key type (JSON keys are strings)."""
    if t.name == "int":
        if isinstance(key, str) and re.fullmatch(r"-?\d+", key):
            return int(key)
        return _check_int(key, None)
    if t.name == "str" and isinstance(key, str):
        return key
    raise Unsupported(f"dict key {key!r} is not a {t}")


def check_type(t: TypeExpr, language: str = "python") -> None:
    """Raise :class:`Unsupported` for a type the format (or ``language``) cannot carry."""
    name = t.name
    if name in ("any", "none"):
        raise Unsupported(f"type {name} has no io format")
    if name in ("set",) and t.args[0].name not in ("int", "str"):
        raise Unsupported(f"{t}: set items must be int or str")
    if name == "dict" and t.args[0].name not in ("int", "str"):
        raise Unsupported(f"{t}: dict keys must be int or str")
    if name == "tuple" and language == "java":
        raise Unsupported(f"{t}: Java has no tuple type")
    for arg in t.args:
        if arg.name == "optional" and name == "optional":
            raise Unsupported(f"{t}: nested optionals are ambiguous")
        check_type(arg, language)


def render(value: Any, t: TypeExpr, style: Style, *, output: bool = False,
           limit: int | None = None) -> list[str]:
    """The lines of ``value`` of neutral type ``t`` (see the module docstring).

    ``output`` sorts set items and dict keys (the canonical printed order); input keeps
    the order given, which a solution may depend on.
    """
    name = t.name
    if name in INLINE:
        return [token(value, t, style, limit, output)]
    if name == "str":
        if not isinstance(value, str):
            raise Unsupported(f"{value!r} is not a str")
        if "\n" in value or "\r" in value:
            raise Unsupported("a string with a line break cannot be one line")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise Unsupported("a lone surrogate is not UTF-8 text")
        return [value]
    if name in ("list", "set"):
        if not isinstance(value, list | tuple):
            raise Unsupported(f"{value!r} is not a {t}")
        item_t = t.args[0]
        items = list(value)
        if name == "set":
            for item in items:
                render(item, item_t, style, limit=limit)  # type check first
            if len({json.dumps(i) for i in items}) != len(items):
                raise Unsupported("a set with repeated items")
            if output:
                items = sorted(items)
        lines = [str(len(items))]
        if item_t.name in INLINE:
            return lines + _group([token(v, item_t, style, limit, output) for v in items],
                                  style)
        for item in items:
            lines += render(item, item_t, style, output=output, limit=limit)
        return lines
    if name == "tuple":
        if not isinstance(value, list | tuple) or len(value) != len(t.args):
            raise Unsupported(f"{value!r} is not a {t}")
        if all(a.name in INLINE for a in t.args):
            return _group([token(v, a, style, limit, output)
                           for v, a in zip(value, t.args, strict=False)], style)
        return [line for v, a in zip(value, t.args, strict=False)
                for line in render(v, a, style, output=output, limit=limit)]
    if name == "dict":
        if not isinstance(value, dict):
            raise Unsupported(f"{value!r} is not a {t}")
        key_t, item_t = t.args
        entries = [(_dict_key(k, key_t), v) for k, v in value.items()]
        if len({k for k, _ in entries}) != len(entries):
            raise Unsupported("a dict with repeated keys")
        if output:
            entries.sort(key=lambda kv: kv[0])
        lines = [str(len(entries))]
        for k, v in entries:
            if key_t.name in INLINE and item_t.name in INLINE:
                lines += _group([token(k, key_t, style, limit, output),
                                 token(v, item_t, style, limit, output)], style)
            else:
                lines += render(k, key_t, style, output=output, limit=limit)
                lines += render(v, item_t, style, output=output, limit=limit)
        return lines
    if name == "optional":
        if value is None:
            return ["0"]
        return ["1", *render(value, t.args[0], style, output=output, limit=limit)]
    raise Unsupported(f"type {t} has no io format")


def text_of(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


# ------------------------------------------------------------------ describing it


def _inline_word(t: TypeExpr, style: Style, output: bool) -> str:
    if t.name == "int":
        return "an integer"
    if t.name == "float":
        return (f"a real number, printed as Python's repr prints it but with at most "
                f"{FLOAT_DIGITS} significant digits (0.5, 2.0, 1e-09, 0.333333333333)"
                ) if output else "a real number"
    return f"`{style.bools[0]}` or `{style.bools[1]}`"


def describe(t: TypeExpr, style: Style, output: bool) -> str:
    """English for the layout of type ``t`` (one sentence, nested for nested types)."""
    name = t.name
    where = "each on its own line" if style.one_per_line else "on one line, separated by spaces"
    if name in INLINE:
        return f"a line with {_inline_word(t, style, output)}"
    if name == "str":
        return "a line with the text (the whole line, which may be empty or hold spaces)"
    if name in ("list", "set"):
        item = t.args[0]
        order = " in increasing order" if output and name == "set" else ""
        head = f"a line with the number of items n, then the n items{order}"
        if item.name in INLINE:
            return f"{head} ({_inline_word(item, style, output)} each) {where}"
        return f"{head}, each given as: {describe(item, style, output)}"
    if name == "tuple":
        if all(a.name in INLINE for a in t.args):
            parts = ", ".join(_inline_word(a, style, output) for a in t.args)
            return f"{len(t.args)} values {where}: {parts}"
        parts = "; ".join(f"({i + 1}) {describe(a, style, output)}"
                          for i, a in enumerate(t.args))
        return f"{len(t.args)} parts in order: {parts}"
    if name == "dict":
        key, item = t.args
        order = ", in increasing order of key" if output else ""
        head = f"a line with the number of entries n, then the n entries{order}"
        if key.name in INLINE and item.name in INLINE:
            return (f"{head}, each as the key ({_inline_word(key, style, output)}) and the "
                    f"value ({_inline_word(item, style, output)}) {where}")
        return (f"{head}, each as the key given as: {describe(key, style, output)}; then "
                f"the value given as: {describe(item, style, output)}")
    if name == "optional":
        return (f"a line with 0 when there is no value, or a line with 1 followed by the "
                f"value given as: {describe(t.args[0], style, output)}")
    raise Unsupported(f"type {t} has no io format")


def _fence(text: str) -> str:
    fence = "~~~~" if "```" in text else "```"
    return f"{fence}\n{text}{fence}"


def io_prompt(problem: Problem, types: list[TypeExpr], returns: TypeExpr, style: Style,
              example: tuple[str, str]) -> str:
    """The original prompt plus the program's input and output formats and an example."""
    entry = problem.entry_point
    params = problem.signature.params
    lines = [problem.prompt.rstrip("\n"), "", "---", "",
             f"Write a complete program rather than only the function: implement `{entry}` "
             "as described above, and make the program read its arguments from standard "
             "input and print its result to standard output.", "", "Input format:"]
    indent = ""
    if style.batch:
        lines.append("The first line holds T, the number of test cases; T test cases follow, "
                     "each given as:")
        indent = "  "
    for param, t in zip(params, types, strict=False):
        lines.append(f"{indent}- `{param.name}` ({t}): {describe(t, style, False)}.")
    lines += ["", "Output format:"]
    lead = "For each test case, in order, the" if style.batch else "The"
    lines.append(f"{lead} result of `{entry}` ({returns}): {describe(returns, style, True)}.")
    lines += ["", "Example input:", _fence(example[0]), "", "Example output:",
              _fence(example[1])]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------- cases from code tests


@dataclass
class Extraction:
    """Cases read from a test program, and how many asserts there were."""

    cases: list[CallCase]
    asserts: int
    #: Per case, (args, expected) as Python values: tuples stay tuples, for typing.
    raw: list[tuple[list[Any], Any]] = dataclasses.field(default_factory=list)


def _literal(node: Any) -> Any:
    """A Python literal's value from its tree-sitter node (raises ValueError if not one)."""
    return ast.literal_eval(syntax.text(node))


def _jsonable(value: Any) -> Any:
    """A literal as the JSON value a ``calls`` case holds (tuples and sets are arrays)."""
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        items = [_jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            raise ValueError("an unorderable set") from None
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, int | str):
                raise ValueError("a dict key that is not int or str")
            out[str(k)] = _jsonable(v)
        return out
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise ValueError(f"{type(value).__name__} is not a JSON value")


def _call_args(call: Any, names: set[str], raw: bool = False) -> list[Any] | None:
    """The literal arguments of ``candidate(...)`` / ``entry(...)``, or None."""
    if call.type != "call":
        return None
    function = call.child_by_field_name("function")
    if function is None or function.type != "identifier" or syntax.text(function) not in names:
        return None
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type != "argument_list":
        return None
    values = []
    for arg in arguments.named_children:
        if arg.type in ("keyword_argument", "list_splat", "dictionary_splat", "comment"):
            return None
        try:
            value = _literal(arg)
            values.append(value if raw else _jsonable(value))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return values


def _unwrap(node: Any) -> Any:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _assert_case(test: Any, names: set[str], returns_bool: bool,
                 raw: bool = False) -> CallCase | None:
    """``candidate(args) == literal`` (either side), ``... is True``, or a bare bool call."""
    test = _unwrap(test)
    if test.type == "comparison_operator" and test.named_child_count == 2:
        operators = [syntax.text(c) for c in test.children if not c.is_named]
        left, right = (_unwrap(n) for n in test.named_children)
        if operators == ["=="]:
            for call, other in ((left, right), (right, left)):
                args = _call_args(call, names, raw)
                if args is not None:
                    try:
                        value = _literal(other)
                        return CallCase(args=args, expected=value if raw else _jsonable(value))
                    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                        return None
            return None
        if operators == ["is"] and right.type in ("true", "false"):
            args = _call_args(left, names)
            return None if args is None else CallCase(args=args, expected=right.type == "true")
        return None
    if returns_bool:
        if test.type == "not_operator":
            inner = test.child_by_field_name("argument")
            args = _call_args(_unwrap(inner), names) if inner is not None else None
            return None if args is None else CallCase(args=args, expected=False)
        args = _call_args(test, names)
        return None if args is None else CallCase(args=args, expected=True)
    return None


def extract_cases(code: str, entry_point: str, returns: str = "any") -> Extraction:
    """Cases from a HumanEval-style Python test program, read statically with tree-sitter.

    Reads ``assert candidate(<literals>) == <literal>`` (or the entry point's own name,
    either side of ``==``, optionally with a message), ``assert f(...) is True/False``,
    and, when the function returns ``bool``, ``assert f(...)`` / ``assert not f(...)``.
    Every other assert is ignored; literals are evaluated with :func:`ast.literal_eval`.
    """
    tree = syntax.parse("python", code)
    query = syntax.load_query(PACKAGE, "python", "io_asserts")
    names = {"candidate", entry_point}
    cases, asserts = [], 0
    raws: list[tuple[list[Any], Any]] = []
    for node in syntax.captures(query, tree.root_node).get("assert", []):
        asserts += 1
        if node.named_child_count < 1:
            continue
        case = _assert_case(node.named_children[0], names, returns == "bool")
        if case is not None:
            cases.append(case)
            raw_case = _assert_case(node.named_children[0], names, returns == "bool", raw=True)
            assert raw_case is not None
            raws.append((raw_case.args, raw_case.expected))
    return Extraction(cases, asserts, raws)


# ------------------------------------------------------------ types from values


def infer_type(value: Any) -> TypeExpr | None:
    """The neutral type of a JSON value; None where it says nothing (null, [])."""
    if isinstance(value, bool):
        return TypeExpr("bool")
    if isinstance(value, int):
        return TypeExpr("int")
    if isinstance(value, float):
        return TypeExpr("float")
    if isinstance(value, str):
        return TypeExpr("str")
    if isinstance(value, tuple):
        return TypeExpr("tuple", tuple(infer_type(v) or TypeExpr("any") for v in value))
    if isinstance(value, list | set | frozenset):
        item: TypeExpr | None = None
        for v in value:
            item = unify(item, infer_type(v))
        kind = "list" if isinstance(value, list) else "set"
        return TypeExpr(kind, (item or TypeExpr("any"),))
    if isinstance(value, dict):
        key = TypeExpr("str")  # JSON keys are strings: int keys are not guessed
        item = None
        for v in value.values():
            item = unify(item, infer_type(v))
        return TypeExpr("dict", (key, item or TypeExpr("any")))
    return None


def unify(a: TypeExpr | None, b: TypeExpr | None) -> TypeExpr | None:
    """The one type both describe (``any`` fills in), or raise :class:`Unsupported`."""
    if a is None:
        return b
    if b is None:
        return a
    if a.name == "any":
        return b
    if b.name == "any":
        return a
    if a == b:
        return a
    if {a.name, b.name} == {"int", "float"}:
        return TypeExpr("float")
    if a.name == "optional" or b.name == "optional":
        inner_a = a.args[0] if a.name == "optional" else a
        inner_b = b.args[0] if b.name == "optional" else b
        return TypeExpr("optional", (unify(inner_a, inner_b) or TypeExpr("any"),))
    if a.name == b.name and len(a.args) == len(b.args):
        return TypeExpr(a.name, tuple(unify(x, y) or TypeExpr("any")
                                      for x, y in zip(a.args, b.args, strict=False)))
    raise Unsupported(f"values disagree: {a} and {b}")


def _of_value(value: Any) -> TypeExpr | None:
    if value is None:
        return TypeExpr("optional", (TypeExpr("any"),))
    return infer_type(value)


def refine(declared: TypeExpr, values: list[Any]) -> TypeExpr:
    """``declared`` with every ``any`` in it filled in from the values (all must agree)."""
    if "any" not in str(declared):
        return declared
    seen: TypeExpr | None = None
    for v in values:
        seen = unify(seen, _of_value(v))
    return _fill(declared, seen)


def _fill(declared: TypeExpr, seen: TypeExpr | None) -> TypeExpr:
    if declared.name == "any":
        if seen is None or "any" in str(seen):
            raise Unsupported("the type cannot be told from the test values")
        return seen
    if seen is None or seen.name != declared.name or len(seen.args) != len(declared.args):
        if "any" in str(declared):
            raise Unsupported(f"values do not fit {declared}")
        return declared
    pairs = zip(declared.args, seen.args, strict=True)
    return TypeExpr(declared.name, tuple(_fill(d, s) for d, s in pairs))


# ------------------------------------------------------------------ the mains


def _type_tree(t: TypeExpr) -> list[Any]:
    return [t.name, [_type_tree(a) for a in t.args]]


def _template(language: str) -> str:
    return files(PACKAGE).joinpath(f"templates/io/{TEMPLATES[language]}").read_text()


def _fill_template(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"__CODEAUG_{key}__", value)
    return text


_JAVA_PUBLIC = re.compile(
    r"^\s*public\s+(?:(?:final|abstract)\s+)*(?:class|interface|enum|record)\s",
    re.M)
_JAVA_MAIN_CLASS = re.compile(r"\b(?:class|interface|enum|record)\s+Main\b")
_C_MAIN = re.compile(r"\b(?:int|signed|void)\s+main\s*\(")
_GO_PACKAGE = re.compile(r"^[ \t]*package[ \t]+(\w+)[ \t]*;?[ \t]*$", re.M)
_GO_MAIN = re.compile(r"^func([ \t]+)main([ \t]*\([ \t]*\))", re.M)


def program(problem: Problem, types: list[TypeExpr], returns: TypeExpr, style: Style) -> str:
    """The original solution plus the language's reading/printing main."""
    language = problem.language
    solution = problem.solution
    entry = problem.entry_point
    common = {"ENTRY": entry, "BATCH": "", "ONE_PER_LINE": "", "TRUE": style.bools[0],
              "FALSE": style.bools[1]}
    if language == "python":
        body = _fill_template(_template("python"), {
            **common, "BATCH": repr(style.batch), "ONE_PER_LINE": repr(style.one_per_line),
            "TRUE": repr(style.bools[0]), "FALSE": repr(style.bools[1]),
            "PARAMS": repr([_type_tree(t) for t in types]), "RETURNS": repr(_type_tree(returns))})
        return solution.rstrip("\n") + "\n\n\n" + body
    if language == "javascript":
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", entry):
            raise Unsupported(f"entry point {entry!r} is not a plain JavaScript name")
        body = _fill_template(_template("javascript"), {
            **common, "BATCH": json.dumps(style.batch),
            "ONE_PER_LINE": json.dumps(style.one_per_line), "TRUE": json.dumps(style.bools[0]),
            "FALSE": json.dumps(style.bools[1]),
            "PARAMS": json.dumps([_type_tree(t) for t in types]),
            "RETURNS": json.dumps(_type_tree(returns))})
        return solution.rstrip("\n") + "\n\n" + body
    flags = {**common, "BATCH": "true" if style.batch else "false",
             "ONE_PER_LINE": "true" if style.one_per_line else "false"}
    if language == "cpp":
        if _C_MAIN.search(solution):
            raise Unsupported("the solution has its own main")
        body = _fill_template(_template("cpp"), flags)
        return "#include <bits/stdc++.h>\n" + solution.rstrip("\n") + "\n\n" + body
    if language == "java":
        from codeaug_plugins.java_language import solution_source

        source = solution_source(solution)
        if _JAVA_PUBLIC.search(source):
            raise Unsupported("the solution declares a public class")
        if _JAVA_MAIN_CLASS.search(source):
            raise Unsupported("the solution declares a class Main")
        body = _fill_template(_template("java"), flags)
        return source.rstrip("\n") + "\n\n" + body
    if language == "go":
        from codeaug_plugins.go_language import assemble_test_file, strip_comments

        # HumanEval-X's fix-up, as for code tests: unused imports dropped, used standard
        # packages added.
        source = assemble_test_file(solution, "")
        if _GO_MAIN.search(strip_comments(source)):
            source = _GO_MAIN.sub(r"func\1codeaugCandidateMain\2", source)
        package = _GO_PACKAGE.search(strip_comments(source))
        if package is None:
            source = "package main\n" + source
            package = _GO_PACKAGE.search(source)
            assert package is not None
        if package.group(1) != "main":
            raise Unsupported(f"the solution is package {package.group(1)}, not main")
        body = _fill_template(_template("go"), flags)
        head, _, tail = body.partition("// @@codeaug-main@@\n")
        return (source[:package.end()] + "\n\n" + head.strip("\n") + "\n"
                + source[package.end():].rstrip("\n") + "\n\n" + tail)
    if language == "rust":
        names = [f"a{i}" for i in range(len(types))]
        call = "".join(f"        let {n} = IoRead::io_read(&mut r);\n" for n in names)
        call += (f"        let result = super::{entry}({', '.join(names)});\n"
                 "        IoWrite::io_write(&result, &mut out);")
        body = _fill_template(_template("rust"), {**flags, "CALL": call})
        return ("#[allow(dead_code, unused_imports, unused_mut, unused_variables)]\n"
                "mod __codeaug_solution {\n" + solution.rstrip("\n") + "\n\n"
                "pub mod __codeaug_io {\n" + body.rstrip("\n") + "\n}\n}\n\n"
                "fn main() {\n    __codeaug_solution::__codeaug_io::run();\n}\n")
    raise Unsupported(f"no io main for language {language!r}")


# ---------------------------------------------------------------- the mutator


def _styles(types: list[TypeExpr], returns: TypeExpr) -> list[Style]:
    """Every style that changes something for these types, in a fixed order."""
    spelled = " ".join(str(t) for t in [*types, returns])
    has_bool = "bool" in spelled
    has_group = any(_has_group(t) for t in [*types, returns])
    layouts = (False, True) if has_group else (False,)
    words = BOOL_WORDS if has_bool else BOOL_WORDS[:1]
    return [Style(batch, layout, w)
            for batch, layout, w in itertools.product((False, True), layouts, words)]


def _has_group(t: TypeExpr) -> bool:
    """Whether the type has a group of several tokens (whose layout a style changes)."""
    if t.name in ("list", "set") and t.args[0].name in INLINE:
        return True
    if t.name == "tuple" and len(t.args) > 1 and all(a.name in INLINE for a in t.args):
        return True
    if t.name == "dict" and all(a.name in INLINE for a in t.args):
        return True
    return any(_has_group(a) for a in t.args)


@dataclass
class Prepared:
    """A function problem read for conversion: types, usable cases, what was dropped."""

    types: list[TypeExpr]
    returns: TypeExpr
    cases: list[CallCase]
    details: dict[str, Any]


def prepare(problem: Problem, min_cases: int = 1) -> Prepared | Skipped:
    """The problem's types and cases (from ``calls`` tests or a Python ``code`` test)."""
    details: dict[str, Any] = {}
    if isinstance(problem.tests, CallsTests):
        cases = list(problem.tests.cases)
        raw = [(c.args, c.expected) for c in cases]
        details["source"] = "calls"
    elif isinstance(problem.tests, CodeTests):
        if problem.language != "python":
            return Skipped(f"cases are read from Python test programs only, not "
                           f"{problem.language}")
        found = extract_cases(problem.tests.code, problem.entry_point,
                              problem.signature.returns)
        cases = found.cases
        raw = found.raw
        details.update(source="code", asserts=found.asserts, extracted=len(cases))
    else:
        return Skipped("the problem already has io tests")
    if not problem.entry_point:
        return Skipped("no entry point")
    try:
        params = [parse_type(p.type) for p in problem.signature.params]
        declared_returns = parse_type(problem.signature.returns)
    except TypeSyntaxError as exc:  # pragma: no cover - records are validated on decode
        return Skipped(f"bad signature: {exc}")
    raw = [r for c, r in zip(cases, raw, strict=False) if len(c.args) == len(params)]
    cases = [c for c in cases if len(c.args) == len(params)]
    if not cases:
        return Skipped(f"no usable test case ({details.get('asserts', 0)} asserts seen)"
                       if details["source"] == "code" else "no test case fits the signature")
    try:
        types = [refine(t, [args[i] for args, _ in raw]) for i, t in enumerate(params)]
        returns = refine(declared_returns, [expected for _, expected in raw])
        for t in [*types, returns]:
            check_type(t, problem.language)
    except Unsupported as exc:
        return Skipped(str(exc))
    limit = INT_LIMITS.get(problem.language, INT64)
    probe = Style(False, False, BOOL_WORDS[0])
    kept, dropped = [], {}
    for case in cases:
        try:
            for value, t in zip(case.args, types, strict=False):
                render(value, t, probe, limit=limit)
            render(case.expected, returns, probe, output=True, limit=limit)
        except Unsupported as exc:
            dropped[str(exc)[:80]] = dropped.get(str(exc)[:80], 0) + 1
            continue
        kept.append(case)
    details["cases"] = len(kept)
    if dropped:
        details["dropped"] = dropped
    if len(kept) < min_cases:
        why = "; ".join(f"{n} x {r}" for r, n in dropped.items()) or "too few cases"
        return Skipped(f"{len(kept)} usable case(s), fewer than {min_cases}: {why}")
    return Prepared(types, returns, kept, details)


def to_io(problem: Problem, prepared: Prepared, style: Style) -> Problem:
    """The io problem of one style (raises :class:`Unsupported`)."""
    types, returns = prepared.types, prepared.returns
    limit = INT_LIMITS.get(problem.language, INT64)

    def stdin(cases: list[CallCase]) -> str:
        lines = [str(len(cases))] if style.batch else []
        for case in cases:
            for value, t in zip(case.args, types, strict=False):
                lines += render(value, t, style, limit=limit)
        return text_of(lines)

    def stdout(cases: list[CallCase]) -> str:
        return text_of([line for case in cases
                        for line in render(case.expected, returns, style, output=True,
                                           limit=limit)])

    io_cases = [IoCase(stdin=stdin([c]), stdout=stdout([c])) for c in prepared.cases]
    if style.batch and len(prepared.cases) > 1:
        io_cases.append(IoCase(stdin=stdin(prepared.cases), stdout=stdout(prepared.cases)))
    first = io_cases[0]
    meta = dict(problem.meta)
    source = program(problem, types, returns, style)
    meta[META_KEY] = {
        "prompt": problem.prompt,
        "tests": msgspec.to_builtins(problem.tests),
        "entry_point": problem.entry_point,
        "signature": msgspec.to_builtins(problem.signature),
        "solution": problem.solution,
        "program": source,
        "style": style.label(),
        "types": [str(t) for t in types],
        "returns": str(returns),
    }
    return msgspec.structs.replace(
        problem,
        prompt=io_prompt(problem, types, returns, style, (first.stdin, first.stdout)),
        tests=IoTests(cases=io_cases),
        entry_point="",
        signature=Signature(),
        solution=source,
        meta=meta,
    )


def to_function(problem: Problem) -> Problem | Skipped:
    """The function problem an io problem of this mutator was made from."""
    record = problem.meta.get(META_KEY)
    if not isinstance(problem.tests, IoTests) or not isinstance(record, dict) \
            or "program" not in record:
        return Skipped("not produced by io mutator")
    if record["program"] != problem.solution:
        return Skipped("the io program changed since the io mutator produced it")
    try:
        tests = msgspec.convert(record["tests"], CallsTests | IoTests | CodeTests)
        signature = msgspec.convert(record["signature"], Signature)
    except msgspec.ValidationError as exc:
        return Skipped(f"meta.io is damaged: {exc}")
    meta = {k: v for k, v in problem.meta.items() if k != META_KEY}
    return msgspec.structs.replace(problem, prompt=record["prompt"], tests=tests,
                                   entry_point=record["entry_point"], signature=signature,
                                   solution=record["solution"], meta=meta)


class IoMutator(Mutator):
    name = "io"
    version = "1"
    summary = ("function problem -> stdin/stdout program problem (input/output formats "
               "from the signature, a reading/printing main), and back")
    languages: ClassVar[frozenset[str] | None] = frozenset(TEMPLATES)
    Params = IoParams

    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        if params.direction == "to-function":
            back = to_function(problem)
            if isinstance(back, Skipped):
                yield back
            else:
                yield Variant(back, "to-function", {"from": problem.meta[META_KEY]["style"]})
            return
        prepared = prepare(problem, params.min_cases)
        if isinstance(prepared, Skipped):
            yield prepared
            return
        styles = _styles(prepared.types, prepared.returns)
        chosen = rng.sample(styles, len(styles))
        seen: set[str] = set()
        made = 0
        reasons: list[str] = []
        for style in chosen:
            if made >= params.count:
                break
            try:
                variant = to_io(problem, prepared, style)
            except Unsupported as exc:
                reasons.append(str(exc))
                continue
            key = json.dumps(msgspec.to_builtins(variant.tests), sort_keys=True)
            if key in seen:
                continue  # this style changes nothing for these values
            seen.add(key)
            made += 1
            yield Variant(variant, f"io:{style.label()}", {**prepared.details,
                                                           "style": style.label()})
        if not made:
            yield Skipped("; ".join(reasons) or "no style applies")


@codeaug.hookimpl
def register_mutators(register):  # type: ignore[no-untyped-def]
    register(IoMutator())
