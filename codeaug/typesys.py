"""Language-neutral types for signatures: ``int``, ``list[int]``, ``dict[str,int]`` ...

Signatures are written in this small grammar so that a language plugin can map
them to its own types when a problem is translated. The grammar::

    type   := scalar | generic
    scalar := "int" | "float" | "str" | "bool" | "none" | "any"
    generic:= ("list" | "set" | "optional") "[" type "]"
            | "dict" "[" type "," type "]"
            | "tuple" "[" type ("," type)* "]"
"""

from __future__ import annotations

from dataclasses import dataclass

SCALARS = frozenset({"int", "float", "str", "bool", "none", "any"})
ARITY = {"list": 1, "set": 1, "optional": 1, "dict": 2, "tuple": None}  # None: one or more
MAX_DEPTH = 64


@dataclass(frozen=True)
class TypeExpr:
    """A parsed type: ``name`` plus type arguments (empty for scalars)."""

    name: str
    args: tuple[TypeExpr, ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}[{','.join(str(a) for a in self.args)}]"


class TypeSyntaxError(ValueError):
    """A type string outside the grammar; the message says where it went wrong."""


def parse_type(text: str) -> TypeExpr:
    """Parse ``text`` (whitespace is ignored, names are case-insensitive)."""
    src = "".join(text.split()).lower()
    if src.count("[") > MAX_DEPTH:
        raise TypeSyntaxError(f"type {text[:60]!r} has more than {MAX_DEPTH} levels of brackets")
    expr, pos = _parse(src, 0, text)
    if pos != len(src):
        raise TypeSyntaxError(f"unexpected {src[pos:]!r} in type {text!r}")
    return expr


def _parse(src: str, pos: int, original: str) -> tuple[TypeExpr, int]:
    end = pos
    while end < len(src) and src[end].isalpha():
        end += 1
    name = src[pos:end]
    if not name:
        raise TypeSyntaxError(f"expected a type name at offset {pos} in {original!r}")
    if name in SCALARS:
        return TypeExpr(name), end
    if name not in ARITY:
        known = ", ".join(sorted(SCALARS | ARITY.keys()))
        raise TypeSyntaxError(f"unknown type {name!r} in {original!r} (known: {known})")
    if end >= len(src) or src[end] != "[":
        raise TypeSyntaxError(f"{name} needs type arguments, as in {name}[int], in {original!r}")
    args: list[TypeExpr] = []
    pos = end + 1
    while True:
        arg, pos = _parse(src, pos, original)
        args.append(arg)
        if pos < len(src) and src[pos] == ",":
            pos += 1
            continue
        if pos < len(src) and src[pos] == "]":
            pos += 1
            break
        raise TypeSyntaxError(f"expected ',' or ']' at offset {pos} in {original!r}")
    want = ARITY[name]
    if want is not None and len(args) != want:
        raise TypeSyntaxError(
            f"{name} takes {want} type argument(s), got {len(args)} in {original!r}"
        )
    return TypeExpr(name, tuple(args)), pos
