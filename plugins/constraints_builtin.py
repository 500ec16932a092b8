"""The built-in constraint checkers: static rules about a solution's text, checked on its
tree-sitter syntax tree (so a loop inside a string or a comment is not a loop).

Registered by the ``constrain`` plugin (:mod:`codeaug_plugins.constrain_mutator`) through
``register_constraints``; ``codeaug verify`` runs them before a record's tests. Each rule
reads per-language queries ``queries/<grammar>/constrain_<what>.scm``:

* ``no-loops``: for/while/do/loop/range-for, ``goto``; Python comprehensions and
  generator expressions count as loops. Higher-order calls (``map``, ``forEach``) do not.
* ``no-recursion``: no function of the solution calls itself, directly or through other
  functions of the solution (name-based: ``f(...)``, ``self.f``/``this.f``/``Self::f``).
* ``no-builtin-sort``: the library's sorting functions and methods, matched by name
  (a user object's method called ``sort`` is flagged too: without types it cannot be
  told apart from ``list.sort``).
* ``imports-only:a|b``: every import/include/use names a whitelisted module or one inside
  it (``os`` allows ``os.path``; headers match exactly); no argument: no import at all.
* ``max-lines:N``: at most N lines holding code (blank lines, comments and Python
  docstrings do not count).
* ``single-function``: no function besides the entry point (and ``main``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import tree_sitter as ts

from codeaug import syntax
from codeaug.constraints import Constraint
from codeaug.record import Problem

PACKAGE = "codeaug_plugins"

#: Record language (names and aliases of the built-in language plugins) -> grammar.
GRAMMAR_OF: dict[str, str] = {
    "python": "python", "py": "python", "python3": "python",
    "javascript": "javascript", "js": "javascript", "node": "javascript",
    "typescript": "typescript", "ts": "typescript",
    "c": "c",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp",
    "java": "java", "java17": "java", "jdk": "java",
    "go": "go", "golang": "go",
    "rust": "rust", "rs": "rust",
}
LANGUAGES = frozenset(GRAMMAR_OF)

#: How a language separates the parts of a module name (``imports-only`` prefixes).
MODULE_SEPARATOR = {"python": ".", "java": ".", "javascript": "/", "typescript": "/",
                    "go": "/", "rust": "::", "c": None, "cpp": None}
#: Receivers that make ``x.f()`` a call to the solution's own ``f``.
SELF_NAMES = {"python": {"self", "cls"}, "javascript": {"this"}, "typescript": {"this"},
              "cpp": {"this"}, "java": {"this"}, "rust": {"self", "Self"}, "go": set(),
              "c": set()}


def grammar_of(language: str) -> str:
    """The tree-sitter grammar of a record language; ValueError if there is none."""
    try:
        return GRAMMAR_OF[language.lower()]
    except KeyError:
        raise ValueError(f"no checker for language {language!r}") from None


def tree_of(language: str, source: str) -> tuple[str, ts.Node]:
    """``(grammar, root node)`` of ``source``."""
    grammar = grammar_of(language)
    return grammar, syntax.parse(grammar, source).root_node


def query(grammar: str, what: str) -> ts.Query:
    return syntax.load_query(PACKAGE, grammar, f"constrain_{what}")


def line_of(node: ts.Node) -> int:
    return node.start_point.row + 1


def unquote(text: str) -> str:
    """A string literal's content (quotes, ``<>`` or backticks stripped)."""
    if len(text) >= 2 and text[0] in "\"'`<" and text[-1] in "\"'`>":
        return text[1:-1]
    return text


def node_text(node: ts.Node) -> str:
    return syntax.text(node)


# ---------------------------------------------------------------------------- loops


def find_loops(language: str, source: str) -> list[tuple[int, str]]:
    """``(line, kind)`` of every loop (``"for"``, ``"list comprehension"``...)."""
    grammar, root = tree_of(language, source)
    found = syntax.captures(query(grammar, "loops"), root).get("loop", [])
    return [(line_of(n), loop_kind(n.type)) for n in found]


def loop_kind(node_type: str) -> str:
    """A loop node's type in words: ``for_range_loop`` -> ``"range-for loop"``."""
    return LOOP_KINDS.get(node_type, node_type.replace("_", " "))


LOOP_KINDS = {
    "for_statement": "for loop", "while_statement": "while loop",
    "do_statement": "do-while loop", "for_in_statement": "for-in/of loop",
    "enhanced_for_statement": "for-each loop", "for_range_loop": "range-for loop",
    "for_expression": "for loop", "while_expression": "while loop", "loop_expression": "loop",
    "goto_statement": "goto", "generator_expression": "generator expression",
}


# ---------------------------------------------------------------------------- sorting


def find_sorts(language: str, source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of every use of a library sorting function or method."""
    grammar, root = tree_of(language, source)
    found = syntax.captures(query(grammar, "sorts"), root).get("sort", [])
    seen: set[tuple[int, int]] = set()
    out = []
    for node in found:
        if (node.start_byte, node.end_byte) not in seen:
            seen.add((node.start_byte, node.end_byte))
            out.append((line_of(node), node_text(node)))
    return out


# ---------------------------------------------------------------------------- imports


@dataclass(frozen=True)
class Import:
    """One imported module (``None`` for a dynamic import whose module is unknown)."""

    line: int
    module: str | None


def find_imports(language: str, source: str) -> list[Import]:
    """Every module the solution imports, in order."""
    grammar, root = tree_of(language, source)
    found = syntax.captures(query(grammar, "imports"), root)
    out: list[tuple[int, Import]] = []
    for node in found.get("module", []):
        out.append((node.start_byte, Import(line_of(node), module_name(grammar, node))))
    for node in found.get("future", []):
        out.append((node.start_byte, Import(line_of(node), "__future__")))
    for node in found.get("dynamic", []):
        out.append((node.start_byte, Import(line_of(node), None)))
    for node in found.get("argument", []):
        literal = node.type == "string" and all(c.type != "template_substitution"
                                                for c in node.children)
        out.append((node.start_byte, Import(line_of(node),
                                            module_name(grammar, node) if literal else None)))
    for node in found.get("use", []):
        out += [(node.start_byte, Import(line_of(node), path))
                for path in use_paths(node)]
    return [imp for _, imp in sorted(out, key=lambda pair: pair[0])]


def module_name(grammar: str, node: ts.Node) -> str:
    """The module a captured node names, normalised (``node:fs`` -> ``fs``)."""
    name = unquote(node_text(node).strip())
    if grammar in ("javascript", "typescript"):
        name = name.removeprefix("node:")
    if grammar == "python":
        name = re.sub(r"\s+", "", name)
    return name


def use_paths(node: ts.Node, prefix: str = "") -> list[str]:
    """The paths a Rust use tree brings in: ``std::{cmp::{max, self}, io::*}`` ->
    ``std::cmp::max``, ``std::cmp``, ``std::io``."""
    def join(a: str, b: str) -> str:
        return f"{a}::{b}" if a and b else a or b

    kind = node.type
    if kind == "use_as_clause":
        return use_paths(node.child_by_field_name("path"), prefix)  # type: ignore[arg-type]
    if kind == "use_wildcard":
        inner = [c for c in node.named_children]
        return [join(prefix, node_text(inner[0]))] if inner else [prefix]
    if kind == "scoped_use_list":
        path = node.child_by_field_name("path")
        listed = node.child_by_field_name("list")
        base = join(prefix, node_text(path)) if path is not None else prefix
        return use_paths(listed, base) if listed is not None else [base]
    if kind == "use_list":
        return [p for child in node.named_children for p in use_paths(child, prefix)]
    if kind == "self":
        return [prefix]
    return [join(prefix, re.sub(r"\s+", "", node_text(node)))]


def module_allowed(module: str, whitelist: Iterable[str], grammar: str) -> bool:
    """Whether ``module`` is a whitelisted one or inside one (``os.path`` in ``os``)."""
    separator = MODULE_SEPARATOR[grammar]
    for allowed in whitelist:
        allowed = allowed.removesuffix(".*") if grammar == "java" else allowed
        if module == allowed or (separator and module.startswith(allowed + separator)):
            return True
    return False


def parse_whitelist(argument: str | None) -> list[str]:
    """``"a|b, c"`` -> ``["a", "b", "c"]``; None or ``""`` -> ``[]``."""
    return [m.strip() for m in re.split(r"[|,]", argument or "") if m.strip()]


def whitelist_unit(module: str, grammar: str) -> str:
    """What the mutator whitelists for one import of the reference: Python's top-level
    package, Java's package, Rust's crate (``std::x`` for the standard library), Go's
    path, JavaScript's module, C/C++'s header."""
    if grammar == "python":
        return "." if module.startswith(".") else module.split(".")[0]
    if grammar == "java":
        parts = module.split(".")
        while len(parts) > 1 and parts[-1][:1].isupper():
            parts.pop()
        return ".".join(parts)
    if grammar == "rust":
        parts = module.split("::")
        if parts[0] in ("std", "core", "alloc") and len(parts) > 1:
            return "::".join(parts[:2])
        return parts[0]
    return module


# ---------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class Function:
    name: str
    start: int
    end: int
    line: int


def find_functions(language: str, source: str) -> tuple[list[Function], set[str]]:
    """The named functions the solution defines, and Go's method receiver names."""
    grammar, root = tree_of(language, source)
    functions = []
    receivers: set[str] = set()
    for match in syntax.matches(query(grammar, "functions"), root):
        receivers.update(node_text(n) for n in match.get("receiver_name", []))
        if not match.get("function"):
            continue
        node = match["function"][0]
        if match.get("name"):
            name: str | None = node_text(match["name"][0])
        elif match.get("declarator"):
            name = declarator_name(match["declarator"][0])
        else:
            name = None
        if name:
            functions.append(Function(name, node.start_byte, node.end_byte, line_of(node)))
    return functions, receivers


def declarator_name(node: ts.Node | None) -> str | None:
    """The name a C/C++ function declarator declares, through pointer and reference
    declarators (``int *A::f(int)`` -> ``f``)."""
    while node is not None and node.type != "function_declarator":
        inner = node.child_by_field_name("declarator")
        if inner is None:  # reference_declarator has no field name
            inner = next((c for c in node.named_children if "declarator" in c.type), None)
        node = inner
    if node is None:
        return None
    name = node.child_by_field_name("declarator")
    if name is None:
        return None
    text = node_text(name)
    return re.split(r"::", text)[-1].strip() or None


def call_graph(language: str, source: str) -> tuple[list[Function], dict[str, dict[str, int]]]:
    """The solution's functions and, per function name, the functions of the solution it
    calls (name -> line of the first call)."""
    grammar, root = tree_of(language, source)
    functions, receivers = find_functions(language, source)
    names = {f.name for f in functions}
    selves = SELF_NAMES.get(grammar, set()) | receivers
    graph: dict[str, dict[str, int]] = {name: {} for name in names}
    for match in syntax.matches(query(grammar, "calls"), root):
        call, callee = match["call"][0], node_text(match["callee"][0])
        receiver = match.get("receiver")
        if callee not in names or (receiver and node_text(receiver[0]) not in selves):
            continue
        caller = innermost(functions, call.start_byte, call.end_byte)
        if caller is not None:
            graph[caller.name].setdefault(callee, line_of(call))
    return functions, graph


def innermost(functions: list[Function], start: int, end: int) -> Function | None:
    """The smallest function whose text contains bytes ``[start, end)``."""
    holding = [f for f in functions if f.start <= start and end <= f.end]
    return min(holding, key=lambda f: f.end - f.start, default=None)


def recursive_calls(language: str, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` for each function that calls itself directly, or that is on a
    cycle of calls between the solution's functions."""
    _, graph = call_graph(language, source)
    out = []
    for name in sorted(graph):
        if name in graph[name]:
            out.append((graph[name][name], f"`{name}` calls itself"))
            continue
        cycle = find_cycle(graph, name)
        if cycle:
            line = graph[name][cycle[1]]
            out.append((line, "mutual recursion " + " -> ".join(f"`{n}`" for n in cycle)))
    return sorted(out)


def find_cycle(graph: dict[str, dict[str, int]], start: str) -> list[str] | None:
    """A path ``start -> ... -> start`` in ``graph`` (depth-first), or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, {})):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


# ---------------------------------------------------------------------------- lines


def code_lines(language: str, source: str) -> list[int]:
    """The (1-based) lines that hold code: not blank, not only comments or docstrings."""
    grammar, root = tree_of(language, source)
    comments = [(n.start_byte, n.end_byte)
                for n in syntax.captures(query(grammar, "comments"), root).get("comment", [])]
    rows: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if any(s <= node.start_byte and node.end_byte <= e for s, e in comments):
            continue
        if node.child_count == 0:
            if node.end_byte > node.start_byte:
                rows.update(range(node.start_point.row, node.end_point.row + 1))
        else:
            stack.extend(node.children)
    lines = source.split("\n")
    return sorted(r + 1 for r in rows if r < len(lines) and lines[r].strip())


# ---------------------------------------------------------------------------- checkers


class BuiltinConstraint(Constraint):
    """A constraint of this module: also knows how to propose an argument that a given
    reference solution satisfies (for the ``constrain`` mutator)."""

    languages = LANGUAGES
    takes_argument: ClassVar[bool] = False

    def check_argument(self, argument: str | None) -> None:
        if argument not in (None, "") and not self.takes_argument:
            raise ValueError(f"`{self.name}` takes no argument, got {argument!r}")

    def applies(self, problem: Problem) -> bool:
        """Whether the constraint makes sense for ``problem`` at all."""
        return problem.language.lower() in GRAMMAR_OF

    def propose(self, problem: Problem, rng: random.Random) -> str | None:
        """An argument for ``problem`` (None: the constraint takes none)."""
        return None


class NoLoops(BuiltinConstraint):
    name = "no-loops"
    summary = "no for/while/do/loop (Python: no comprehensions either), no goto"

    SENTENCES: ClassVar[dict[str, str]] = {
        "python": "Do not use any loop: no `for` or `while` statement, and no "
                  "comprehension or generator expression either.",
        "javascript": "Do not use any loop statement (`for`, `for...of`, `for...in`, "
                      "`while` or `do...while`).",
        "c": "Do not use any loop (`for`, `while` or `do`-`while`) and no `goto`.",
        "cpp": "Do not use any loop (`for`, range-based `for`, `while` or "
               "`do`-`while`) and no `goto`.",
        "java": "Do not use any loop (`for`, for-each, `while` or `do`-`while`).",
        "go": "Do not use any `for` loop and no `goto`.",
        "rust": "Do not use any loop (`for`, `while` or `loop`).",
    }

    def describe(self, argument: str | None, language: str) -> str:
        grammar = grammar_of(language)
        return self.SENTENCES[{"typescript": "javascript"}.get(grammar, grammar)]

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        self.check_argument(argument)
        return [f"line {line}: {kind}" for line, kind in find_loops(problem.language, solution)]


class NoRecursion(BuiltinConstraint):
    name = "no-recursion"
    summary = "no function of the solution calls itself, directly or through others"

    def describe(self, argument: str | None, language: str) -> str:
        return ("Do not use recursion: no function may call itself, directly or through "
                "other functions.")

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        self.check_argument(argument)
        return [f"line {line}: {message}"
                for line, message in recursive_calls(problem.language, solution)]


class NoBuiltinSort(BuiltinConstraint):
    name = "no-builtin-sort"
    summary = "no library sorting function or method (sorted, std::sort, Arrays.sort...)"

    SENTENCES: ClassVar[dict[str, str]] = {
        "python": "Do not use the built-in sorting (`sorted` or the `sort` method); "
                  "order the values yourself.",
        "javascript": "Do not use `Array.prototype.sort` or `toSorted`; order the values "
                      "yourself.",
        "c": "Do not use `qsort`; order the values yourself.",
        "cpp": "Do not use the library's sorting (`std::sort`, `std::stable_sort`, "
               "`std::partial_sort`, `qsort` or `list::sort`); order the values yourself.",
        "java": "Do not use the library's sorting (`Arrays.sort`, `Collections.sort`, "
                "`List.sort` or `Stream.sorted`); order the values yourself.",
        "go": "Do not use the sorting functions of packages `sort` and `slices`; order "
              "the values yourself.",
        "rust": "Do not use the standard sorting methods (`sort`, `sort_by`, "
                "`sort_unstable` and the like); order the values yourself.",
    }

    def describe(self, argument: str | None, language: str) -> str:
        grammar = grammar_of(language)
        return self.SENTENCES[{"typescript": "javascript"}.get(grammar, grammar)]

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        self.check_argument(argument)
        return [f"line {line}: `{name}`" for line, name in find_sorts(problem.language,
                                                                       solution)]


class ImportsOnly(BuiltinConstraint):
    name = "imports-only"
    summary = "imports only from the listed modules (`imports-only:math|re`; none: no import)"
    takes_argument = True

    #: Common modules the mutator may add to a reference's own imports.
    EXTRAS: ClassVar[dict[str, tuple[str, ...]]] = {
        "python": ("math", "re", "collections", "itertools", "functools", "typing"),
        "javascript": ("assert", "util"),
        "typescript": ("assert", "util"),
        "c": ("stdio.h", "stdlib.h", "string.h", "math.h"),
        "cpp": ("vector", "string", "algorithm", "cmath", "map"),
        "java": ("java.util", "java.lang", "java.math"),
        "go": ("fmt", "strings", "math", "strconv"),
        "rust": ("std::collections", "std::cmp"),
    }
    WHAT: ClassVar[dict[str, tuple[str, str]]] = {
        # grammar: (sentence without imports, sentence head with a whitelist)
        "python": ("Do not import any module.", "Import only from these modules:"),
        "javascript": ("Do not import or require any module.",
                       "Import or require only these modules:"),
        "c": ("Do not include any header.", "Include only these headers:"),
        "java": ("Do not import anything.", "Import only from these packages:"),
        "go": ("Do not import any package.", "Import only these packages:"),
        "rust": ("Do not bring anything into scope with `use` or `extern crate`.",
                 "Bring items into scope (`use`) only from:"),
    }

    def describe(self, argument: str | None, language: str) -> str:
        grammar = grammar_of(language)
        allowed = parse_whitelist(argument)
        none, some = self.WHAT[{"typescript": "javascript", "cpp": "c"}.get(grammar, grammar)]
        if not allowed:
            return none
        shown = [f"<{m}>" if grammar in ("c", "cpp") else m for m in allowed]
        return f"{some} {', '.join(f'`{m}`' for m in shown)}."

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        grammar = grammar_of(problem.language)
        allowed = parse_whitelist(argument)
        out = []
        for imp in find_imports(problem.language, solution):
            if imp.module is None:
                out.append(f"line {imp.line}: dynamic import")
            elif grammar == "rust" and imp.module.split("::")[0] in ("crate", "self",
                                                                       "super"):
                continue  # the solution's own items
            elif not module_allowed(imp.module, allowed, grammar):
                out.append(f"line {imp.line}: imports `{imp.module}`")
        return out

    def propose(self, problem: Problem, rng: random.Random) -> str | None:
        """The reference's own modules (see :func:`whitelist_unit`) plus up to two common
        ones, sorted; ``""`` when the reference imports nothing."""
        grammar = grammar_of(problem.language)
        units = {whitelist_unit(imp.module, grammar)
                 for imp in find_imports(problem.language, problem.solution)
                 if imp.module is not None}
        extras = [m for m in self.EXTRAS.get(grammar, ()) if m not in units]
        if units and extras:
            units.update(rng.sample(extras, rng.randint(0, min(2, len(extras)))))
        return "|".join(sorted(units))


class MaxLines(BuiltinConstraint):
    name = "max-lines"
    summary = "at most N lines of code (`max-lines:12`; blank, comment, docstring lines free)"
    takes_argument = True

    def limit(self, argument: str | None) -> int:
        try:
            value = int(argument or "")
        except ValueError:
            raise ValueError(f"`max-lines` needs a whole number, got {argument!r}") from None
        if value < 1:
            raise ValueError(f"`max-lines` needs a positive number, got {value}")
        return value

    def describe(self, argument: str | None, language: str) -> str:
        free = ("blank lines, comments and docstrings do not count"
                if grammar_of(language) == "python" else "blank lines and comments do not count")
        return f"Write the whole solution in at most {self.limit(argument)} lines of code ({free})."

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        limit = self.limit(argument)
        lines = code_lines(problem.language, solution)
        if len(lines) <= limit:
            return []
        return [f"line {lines[limit]}: {len(lines)} lines of code, more than {limit}"]

    def propose(self, problem: Problem, rng: random.Random) -> str | None:
        """The reference's own count plus a little slack (0 to a fifth more)."""
        count = len(code_lines(problem.language, problem.solution))
        return str(max(1, count + rng.randint(0, max(1, count // 5))))


class SingleFunction(BuiltinConstraint):
    name = "single-function"
    summary = "no function besides the entry point (and main)"

    def applies(self, problem: Problem) -> bool:
        return super().applies(problem) and bool(problem.entry_point)

    def describe(self, argument: str | None, language: str) -> str:
        return ("Write everything inside the one function the problem asks for: do not "
                "define any helper function or method.")

    def violations(self, solution: str, argument: str | None, problem: Problem) -> list[str]:
        self.check_argument(argument)
        functions, _ = find_functions(problem.language, solution)
        keep = {problem.entry_point, "main"}
        return [f"line {f.line}: helper function `{f.name}`" for f in functions
                if f.name not in keep]


#: Every built-in checker, in the order the mutator considers them.
BUILTIN: tuple[BuiltinConstraint, ...] = (
    NoLoops(), NoRecursion(), NoBuiltinSort(), ImportsOnly(), MaxLines(), SingleFunction(),
)
