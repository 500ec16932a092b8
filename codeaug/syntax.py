"""tree-sitter, once: parsers per language, queries loaded from ``.scm`` files, and the
checks every rewrite needs (does it still parse, what changed).

Mutators and constraint checkers never hand-parse code; they query the syntax tree. A
query lives in a ``.scm`` file beside the plugin that uses it (``queries/<language>/
<name>.scm``), so it can be read and tested on its own, the way editors ship theirs.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import tree_sitter as ts

from codeaug.errors import UnknownNameError

#: tree-sitter grammar name -> (module, function returning the language pointer).
GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "java": ("tree_sitter_java", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
}


@functools.cache
def grammar(name: str) -> ts.Language:
    """The tree-sitter language called ``name`` (a key of :data:`GRAMMARS`)."""
    try:
        module, function = GRAMMARS[name]
    except KeyError:
        raise UnknownNameError("tree-sitter grammar", name, list(GRAMMARS)) from None
    return ts.Language(getattr(importlib.import_module(module), function)())


def parse(grammar_name: str, source: str) -> ts.Tree:
    """Parse ``source``; the tree's byte offsets are into ``source.encode()``."""
    return ts.Parser(grammar(grammar_name)).parse(source.encode("utf-8"))


def has_errors(tree: ts.Tree) -> bool:
    """True when the tree holds an ERROR or MISSING node: the text does not parse."""
    return tree.root_node.has_error


@functools.cache
def load_query(package: str, grammar_name: str, query_name: str) -> ts.Query:
    """The query ``<package>/queries/<grammar>/<query_name>.scm``, compiled once."""
    text = (resources.files(package) / "queries" / grammar_name / f"{query_name}.scm").read_text(
        encoding="utf-8")
    return ts.Query(grammar(grammar_name), text)


def has_query(package: str, grammar_name: str, query_name: str) -> bool:
    """Whether a language has the query (a construct may not exist in it)."""
    return (resources.files(package) / "queries" / grammar_name / f"{query_name}.scm").is_file()


def captures(query: ts.Query, node: ts.Node) -> dict[str, list[ts.Node]]:
    """Capture name -> nodes, in document order."""
    found = ts.QueryCursor(query).captures(node)
    return {name: sorted(nodes, key=lambda n: n.start_byte) for name, nodes in found.items()}


def matches(query: ts.Query, node: ts.Node) -> list[dict[str, list[ts.Node]]]:
    """One dict of captures per match, in document order."""
    found = ts.QueryCursor(query).matches(node)
    return [m for _, m in sorted(found, key=lambda pm: min(
        (n.start_byte for ns in pm[1].values() for n in ns), default=0))]


def text(node: ts.Node) -> str:
    return (node.text or b"").decode("utf-8")


@dataclass(frozen=True)
class Edit:
    """Replace bytes ``[start, end)`` of the source with ``new``."""

    start: int
    end: int
    new: str


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping byte-range edits; raises ValueError if two overlap."""
    data = source.encode("utf-8")
    out: list[bytes] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out.append(data[position:edit.start])
        out.append(edit.new.encode("utf-8"))
        position = edit.end
    out.append(data[position:])
    return b"".join(out).decode("utf-8")
