"""Read a Python function's signature into the language-neutral grammar of :mod:`codeaug.typesys`.

Python's own parser (:mod:`ast`) is exact for Python, so nothing here is guessed from
text; the source is never executed. Type hints map as follows:

* ``int``, ``float``, ``str``, ``bool`` and ``None`` map to themselves (``None`` → ``none``);
  ``Any`` and ``object`` → ``any``; a missing hint → ``any``.
* ``List[X]`` / ``list[X]`` → ``list[X]``; ``Set``/``set``/``FrozenSet``/``frozenset`` →
  ``set[X]``; ``Dict[K, V]`` / ``dict[K, V]`` → ``dict[K,V]``; a bare container takes
  ``any`` arguments (``list`` → ``list[any]``).
* ``Tuple[A, B]`` / ``tuple[A, B]`` → ``tuple[A,B]``. The grammar has no variadic tuple,
  so ``Tuple[X, ...]`` (and a bare ``tuple``) → ``list[X]``: both are homogeneous
  sequences of any length, and tests carry them as JSON arrays either way.
* ``Optional[X]``, ``X | None``, ``Union[X, None]`` → ``optional[X]``; ``Annotated[X, ...]`` →
  ``X``; ``Literal[...]`` whose values share one scalar type → that type.
* Anything else (``Union[int, str]``, ``Sequence[int]``, a class, ``Callable``) → ``any``;
  an argument that maps to ``any`` stays inside its container (``List[Foo]`` →
  ``list[any]``). String (forward-reference) annotations are parsed and mapped the same way.

Parameters: positional-only and ordinary parameters are kept in order, defaults
included, because calls tests pass arguments positionally and may fill them. A parameter
whose default is ``None`` gets ``optional[...]`` (the implicit-Optional reading: ``None``
is a value tests may pass). ``*args``, keyword-only parameters and ``**kwargs`` are left
out: a positional call cannot address them by position in the neutral signature.
"""

from __future__ import annotations

import ast

from codeaug.record import Param, Signature

__all__ = ["SignatureError", "annotation_to_type", "signature_from_python"]

_SCALARS = {"int": "int", "float": "float", "str": "str", "bool": "bool", "None": "none",
            "NoneType": "none", "Any": "any", "object": "any"}
_LISTS = {"List", "list"}
_SETS = {"Set", "set", "FrozenSet", "frozenset"}
_DICTS = {"Dict", "dict"}
_TUPLES = {"Tuple", "tuple"}


class SignatureError(ValueError):
    """The source does not parse or does not define ``entry_point``; ``field`` says which."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field  # "source" or "entry_point"
        super().__init__(message)


def signature_from_python(source: str, entry_point: str) -> Signature:
    """The neutral signature of the module-level ``def entry_point`` in ``source``.

    When ``entry_point`` is defined several times, the last definition wins, as it does
    at run time. Raises :class:`SignatureError` (a ``ValueError``) when the source does
    not parse or has no such function.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "unknown line"
        raise SignatureError("source", f"source does not parse ({where}: {exc.msg})") from None
    func = _find(tree, entry_point)
    if func is None:
        defined = sorted({n.name for n in tree.body
                          if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)})
        raise SignatureError(
            "entry_point",
            f"no module-level function {entry_point!r} in source"
            f" (defined: {', '.join(defined) or 'none'})",
        )
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    # Defaults align with the *last* positional parameters.
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    params = []
    for arg, default in zip(positional, defaults, strict=True):
        type_ = annotation_to_type(arg.annotation)
        if _is_none(default) and type_ not in ("any", "none") and not type_.startswith("optional["):
            type_ = f"optional[{type_}]"
        params.append(Param(name=arg.arg, type=type_))
    return Signature(params=params, returns=annotation_to_type(func.returns))


def _find(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    found = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            found = node
    return found


def _is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def annotation_to_type(node: ast.expr | None) -> str:
    """Map one annotation node to a neutral type string (``any`` when it has no mapping)."""
    if node is None:
        return "any"
    # A string annotation (forward reference): parse it and map the expression inside.
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            inner = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return "any"
        return annotation_to_type(inner)
    if _is_none(node):
        return "none"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union(_flatten_or(node))
    name = _name(node)
    if name is not None:
        if name in _SCALARS:
            return _SCALARS[name]
        if name in _LISTS:
            return "list[any]"
        if name in _SETS:
            return "set[any]"
        if name in _DICTS:
            return "dict[any,any]"
        if name in _TUPLES:
            return "list[any]"
        return "any"
    if isinstance(node, ast.Subscript):
        return _generic(node)
    return "any"


def _name(node: ast.expr) -> str | None:
    """``List`` for ``List``, ``typing.List`` and ``t.List``; ``None`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _generic(node: ast.Subscript) -> str:
    origin = _name(node.value)
    items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if origin in _LISTS and len(items) == 1:
        return f"list[{annotation_to_type(items[0])}]"
    if origin in _SETS and len(items) == 1:
        return f"set[{annotation_to_type(items[0])}]"
    if origin in _DICTS and len(items) == 2:
        return f"dict[{annotation_to_type(items[0])},{annotation_to_type(items[1])}]"
    if origin in _TUPLES:
        if len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is Ellipsis:
            return f"list[{annotation_to_type(items[0])}]"
        if any(isinstance(i, ast.Constant) and i.value is Ellipsis for i in items):
            return "any"
        if not items:
            return "any"  # Tuple[()]: the empty tuple has no neutral spelling
        return f"tuple[{','.join(annotation_to_type(i) for i in items)}]"
    if origin == "Optional" and len(items) == 1:
        return _union([items[0], ast.Constant(value=None)])
    if origin == "Union":
        return _union(items)
    if origin == "Annotated" and items:
        return annotation_to_type(items[0])
    if origin == "Literal":
        return _literal(items)
    return "any"


def _flatten_or(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_flatten_or(node.left), *_flatten_or(node.right)]
    return [node]


def _union(members: list[ast.expr]) -> str:
    """``X | None`` → ``optional[X]``; a single member → itself; anything wider → ``any``."""
    types: list[str] = []
    for member in members:
        mapped = annotation_to_type(member)
        # Nested unions were already mapped: unwrap an inner optional[...] into X | None.
        if mapped.startswith("optional[") and mapped.endswith("]"):
            for part in (mapped[len("optional["):-1], "none"):
                if part not in types:
                    types.append(part)
        elif mapped not in types:
            types.append(mapped)
    has_none = "none" in types
    rest = [t for t in types if t != "none"]
    if not rest:
        return "none"
    if len(rest) > 1 or rest[0] == "any":
        return "any"
    return f"optional[{rest[0]}]" if has_none else rest[0]


def _literal(items: list[ast.expr]) -> str:
    kinds = set()
    for item in items:
        if not isinstance(item, ast.Constant):
            return "any"
        kinds.add(type(item.value))
    mapping = {bool: "bool", int: "int", str: "str", float: "float"}
    if len(kinds) == 1 and (kind := kinds.pop()) in mapping:
        return mapping[kind]
    return "any"
