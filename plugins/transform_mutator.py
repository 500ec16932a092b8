"""The built-in `transform` mutator: semantics-preserving rewrites of the reference solution.

Why: the same algorithm written in different surface forms (names, loop shapes, branch
order, layout) teaches a model that the form is not the function; the tests stay the
seed's own, so every variant is checked against the same behaviour.

How: every step parses the current solution with tree-sitter, finds the sites where one
rewrite kind applies (queries in ``queries/<grammar>/transform_*.scm``), lets the rng pick
a kind and a site, and applies it; a variant is 1..``max_rewrites`` steps. A rewrite is
only proposed where it is safe without types: operand swaps only for ``==``, ``!=``,
``*`` and mirrored comparisons between call-free operands, one of them atomic; loops with
a ``continue`` that would skip the moved update are left alone; local renames need every
use of the name to lie in the scope of one of the function's own declarations. A step
whose result does not parse, or equals its input, is dropped.

Kinds: ``rename`` (a local variable), ``loop`` (for -> while, while -> for/loop),
``swap`` (commutative operands, mirrored comparisons), ``ifelse`` (negate the condition,
swap the branches), ``deadcode`` (an unused constant or an ``if false`` block) and
``reformat`` (re-indentation, blank lines; string literals untouched).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgspec
import tree_sitter as ts

import codeaug
from codeaug import syntax
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import CodeTests, Problem

PACKAGE = "codeaug_plugins"
KINDS = ("rename", "loop", "swap", "ifelse", "deadcode", "reformat")

#: Record language (and aliases) -> tree-sitter grammar.
GRAMMAR_OF = {
    "python": "python", "py": "python", "python3": "python",
    "javascript": "javascript", "js": "javascript", "node": "javascript",
    "typescript": "typescript", "ts": "typescript",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "c": "c",
    "java": "java", "go": "go", "golang": "go", "rust": "rust", "rs": "rust",
}
BRACES = frozenset({"javascript", "typescript", "cpp", "c", "java", "go", "rust"})
C_LIKE = frozenset({"javascript", "typescript", "cpp", "c", "java"})

LOOPS = frozenset({"for_statement", "while_statement", "do_statement", "for_range_loop",
                   "for_in_statement", "enhanced_for_statement", "for_expression",
                   "while_expression", "loop_expression"})
FUNCTIONS = frozenset({"function_definition", "function_declaration", "function_expression",
                       "function", "arrow_function", "method_definition",
                       "generator_function_declaration", "generator_function",
                       "method_declaration", "constructor_declaration", "func_literal",
                       "function_item", "closure_expression", "lambda", "lambda_expression"})
#: Where a local declared under it lives, per grammar (the nearest such ancestor).
SCOPES = {
    "python": frozenset({"function_definition", "lambda"}),
    "javascript": frozenset({"statement_block", "for_statement", "for_in_statement",
                             "switch_body", "program"}),
    "cpp": frozenset({"compound_statement", "for_statement", "for_range_loop",
                      "case_statement"}),
    "c": frozenset({"compound_statement", "for_statement", "case_statement"}),
    "java": frozenset({"block", "for_statement", "enhanced_for_statement", "switch_block",
                       "catch_clause", "lambda_expression"}),
    "go": frozenset({"block", "for_statement", "if_statement", "expression_switch_statement",
                     "type_switch_statement", "select_statement", "func_literal"}),
    "rust": frozenset({"block", "for_expression", "closure_expression", "match_arm"}),
}
SCOPES["typescript"] = SCOPES["javascript"]

ATOMIC = frozenset({
    "identifier", "integer", "float", "number", "number_literal", "decimal_integer_literal",
    "hex_integer_literal", "octal_integer_literal", "binary_integer_literal",
    "decimal_floating_point_literal", "int_literal", "float_literal", "integer_literal",
    "char_literal", "character_literal", "rune_literal", "string", "string_literal",
    "interpreted_string_literal", "raw_string_literal", "true", "false", "none", "null",
    "nil", "null_literal", "boolean_literal", "this", "self", "undefined"})
PRIMARY = ATOMIC | frozenset({
    "call", "call_expression", "attribute", "subscript", "member_expression",
    "subscript_expression", "field_expression", "index_expression", "field_access",
    "array_access", "selector_expression", "parenthesized_expression", "method_invocation",
    "qualified_identifier", "scoped_identifier"})
#: Node types whose evaluation may have side effects (or whose order matters).
IMPURE = ("call", "invocation", "assignment", "update", "macro", "await", "yield",
          "new_expression", "object_creation", "lambda", "arrow", "function", "closure",
          "inc_statement", "dec_statement", "named_expression", "try_expression",
          "interpolation", "template_substitution", "conditional", "comma", "sequence")
SWAPPABLE = frozenset({"==", "!=", "===", "!==", "*"})
MIRROR = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
STRINGS = ("string", "template", "raw_str", "char_literal", "text_block")

RENAME_BASES = ("acc", "tmp", "cur", "val", "item", "elem", "aux", "part", "probe", "slot",
                "cell", "entry", "piece", "unit", "token", "mark", "step", "hold", "keep")
DEAD_BASES = ("unused", "spare", "scratch", "dummy", "pad")
#: Names a rewrite must not rename (runtime magic or globals a language reads by name).
RESERVED = frozenset({"self", "cls", "this", "super", "locals", "vars", "eval", "exec",
                      "arguments", "_", "main", "init"})


def _kinds_of(text: str) -> tuple[str, ...]:
    """``"all"`` or ``"loop+swap"`` -> the rewrite kinds, validated."""
    if text.strip().lower() in ("", "all"):
        return KINDS
    names = tuple(dict.fromkeys(k.strip().lower() for k in re.split(r"[+|/ ]", text)
                                if k.strip()))
    unknown = [k for k in names if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown rewrites {', '.join(unknown)} (known: {', '.join(KINDS)})")
    return names


class TransformParams(msgspec.Struct, forbid_unknown_fields=True):
    """Parameters of the transform mutator."""

    rewrites: Annotated[str, msgspec.Meta(
        description="rewrite kinds to use, joined by '+' (rename, loop, swap, ifelse, "
                    "deadcode, reformat), or 'all'")] = "all"
    max_rewrites: Annotated[int, msgspec.Meta(
        ge=1, le=20, description="at most this many rewrites per variant (each variant "
                                 "draws 1..max_rewrites)")] = 3
    count: Annotated[int, msgspec.Meta(
        ge=1, le=100, description="variants per problem (fewer when the solution offers "
                                  "fewer distinct rewrites)")] = 3

    def __post_init__(self) -> None:
        _kinds_of(self.rewrites)

    @property
    def kinds(self) -> tuple[str, ...]:
        return _kinds_of(self.rewrites)


# ------------------------------------------------------------------------ shared helpers


@dataclass
class Site:
    """One place where one rewrite applies: ``apply`` maps the source to the new source."""

    kind: str
    what: str
    apply: Callable[[str], str]


def _edits(*edits: syntax.Edit) -> Callable[[str], str]:
    return lambda source: syntax.apply_edits(source, edits)


@dataclass
class Ctx:
    """The source being rewritten, parsed, and the names it (and its tests) use."""

    grammar: str
    source: str
    tree: ts.Tree
    words: set[str]
    rng: random.Random
    data: bytes = b""
    _captures: dict[str, dict[str, list[ts.Node]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = self.source.encode("utf-8")

    def text(self, node: ts.Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8")

    def captures(self, query: str) -> dict[str, list[ts.Node]]:
        """Captures of ``transform_<query>.scm`` over the whole tree ({} if absent)."""
        if query not in self._captures:
            name = f"transform_{query}"
            found = (syntax.captures(syntax.load_query(PACKAGE, self.grammar, name),
                                     self.tree.root_node)
                     if syntax.has_query(PACKAGE, self.grammar, name) else {})
            # Ties on the start byte come back in an order that varies between runs (and
            # with PYTHONHASHSEED); the rng picks by index, so order them fully.
            self._captures[query] = {
                key: sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte, n.type))
                for key, nodes in found.items()}
        return self._captures[query]

    def fresh(self, bases: tuple[str, ...]) -> str:
        """A name that appears nowhere in the solution or its tests."""
        base = self.rng.choice(bases)
        name, n = base, 1
        while name in self.words:
            n += 1
            name = f"{base}{n}"
        self.words.add(name)
        return name

    def line_indent(self, node: ts.Node) -> str | None:
        """The whitespace before ``node`` on its line, or None if code precedes it."""
        start = self.data.rfind(b"\n", 0, node.start_byte) + 1
        prefix = self.data[start:node.start_byte].decode("utf-8")
        return prefix if prefix.strip() == "" else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", text))


def _descendants(node: ts.Node) -> Iterator[ts.Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _ancestor(node: ts.Node, types: frozenset[str]) -> ts.Node | None:
    n = node.parent
    while n is not None and n.type not in types:
        n = n.parent
    return n


def _inside(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _outermost_functions(ctx: Ctx) -> list[ts.Node]:
    """Function nodes not nested in another function."""
    return [n for n in ctx.captures("functions").get("function", [])
            if _ancestor(n, FUNCTIONS) is None]


def _named(node: ts.Node) -> list[ts.Node]:
    return [c for c in node.named_children if c.type not in ("comment", "line_comment",
                                                             "block_comment")]


def _is_pure(node: ts.Node) -> bool:
    """No calls, assignments, updates or other effects anywhere below ``node``."""
    for n in _descendants(node):
        if any(word in n.type for word in IMPURE):
            return False
        if n.type == "unary_expression" and n.children and n.children[0].type in (
                "<-", "delete", "await"):
            return False
    return True


def _is_atomic(node: ts.Node) -> bool:
    return node.type in ATOMIC and _is_pure(node)


def _continue_targets(loop: ts.Node) -> bool:
    """Whether a ``continue`` in ``loop`` targets it (or any continue carries a label)."""
    for n in _descendants(loop):
        if n.type in ("continue_statement", "continue_expression") and n is not loop:
            if n.named_child_count:  # labelled
                return True
            if _ancestor(n, LOOPS | FUNCTIONS) == loop:
                return True
    return False


def _labelled(node: ts.Node) -> bool:
    return (node.parent is not None and node.parent.type in ("labeled_statement",
                                                             "labelled_statement")) or any(
        c.type == "label" for c in node.children)


def _negate(ctx: Ctx, cond: ts.Node) -> str:
    """The condition's negation in the grammar's syntax; ``!(x)`` / ``not x`` unwrap."""
    if ctx.grammar == "python":
        if cond.type == "not_operator":
            arg = cond.child_by_field_name("argument")
            if arg is not None:
                return ctx.text(arg)
        return f"not ({ctx.text(cond)})"
    if cond.type == "unary_expression" and cond.children and cond.children[0].type == "!":
        arg = cond.child_by_field_name("argument") or _named(cond)[-1]
        if arg.type == "parenthesized_expression":
            inner = _named(arg)
            return ctx.text(inner[0]) if len(inner) == 1 and ctx.grammar in ("go", "rust") else \
                ctx.text(arg)
    return f"!({ctx.text(cond)})"


# ----------------------------------------------------------------------------- rename


def _rename_sites(ctx: Ctx) -> list[Site]:
    """One site per (outermost function, local variable) that can be renamed safely."""
    caps = ctx.captures("locals")
    decls = caps.get("decl", [])
    blocked = {ctx.text(n) for n in caps.get("blocked", [])}
    ignored = {(n.start_byte, n.end_byte) for n in caps.get("ignored", [])}
    ignored_trees = caps.get("ignored_tree", [])
    sites = []
    for function in _outermost_functions(ctx):
        body = function.child_by_field_name("body")
        if body is None:
            continue
        fnodes = list(_descendants(body))
        if ctx.grammar == "python" and any(n.type == "class_definition" for n in fnodes):
            continue
        idents = [n for n in fnodes if n.type == "identifier"
                  and (n.start_byte, n.end_byte) not in ignored
                  and not any(_inside(n, t) for t in ignored_trees)]
        names_in_body = {ctx.text(n) for n in idents}
        if names_in_body & {"locals", "vars", "eval", "exec", "globals"}:
            continue
        params = set()
        for p in (function.child_by_field_name("parameters"),
                  function.child_by_field_name("parameter")):
            if p is not None:
                params |= {ctx.text(n) for n in _descendants(p) if n.type == "identifier"}
        own = [d for d in decls if (_inside(d, body) and _ancestor(d, FUNCTIONS) == function)
               or (ctx.grammar == "python" and _inside(d, body))]
        by_name: dict[str, list[ts.Node]] = {}
        for d in own:
            if _declares(ctx, d):
                by_name.setdefault(ctx.text(d), []).append(d)
        strings = [ctx.text(n) for n in fnodes if "string" in n.type]
        for name, ds in sorted(by_name.items()):
            if name in params or name in blocked or name in RESERVED or name.startswith("__"):
                continue
            if ctx.grammar == "rust" and any(re.search(r"\{" + re.escape(name) + r"[}:]", s)
                                             for s in strings):
                continue  # format!("{name}") captures the variable by its name
            if ctx.grammar == "python" and any(
                    re.search(r"\{\s*" + re.escape(name) + r"\s*=", s) for s in strings):
                continue  # f"{name=}" prints the name
            uses = [n for n in idents if ctx.text(n) == name]
            if any(_called(u) or (u.prev_sibling is not None and u.prev_sibling.type in
                                  (".", "::")) for u in uses):
                continue  # a call, or a field/path inside a macro's token tree
            scopes = [(d.start_byte, _scope(ctx, d)) for d in ds]
            if not all(any(start <= u.start_byte and s is not None and _inside(u, s)
                           for start, s in scopes) for u in uses):
                continue
            new = ctx.fresh(RENAME_BASES)
            ctx.words.discard(new)  # only claimed when applied; fresh again per site
            sites.append(Site("rename", f"rename {name}->{new}", _edits(
                *(syntax.Edit(u.start_byte, u.end_byte, new) for u in uses))))
    return sites


def _declares(ctx: Ctx, node: ts.Node) -> bool:
    """Extra checks on a captured declaration (JS ``for (x of ...)`` without let/var)."""
    parent = node.parent
    if parent is not None and parent.type == "for_in_statement":
        return any(c.type in ("let", "const", "var") for c in parent.children)
    if parent is not None and parent.type == "expression_list" and parent.parent is not None \
            and parent.parent.type == "range_clause":
        return any(c.type == ":=" for c in parent.parent.children)
    return True


def _scope(ctx: Ctx, decl: ts.Node) -> ts.Node | None:
    """The node a declaration's name is visible in."""
    if ctx.grammar in ("javascript", "typescript"):
        declaration = _ancestor(decl, frozenset({"variable_declaration", "lexical_declaration"}))
        if declaration is not None and declaration.type == "variable_declaration":
            return _ancestor(decl, FUNCTIONS)
    return _ancestor(decl, SCOPES[ctx.grammar])


def _called(node: ts.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in ("call", "call_expression") and \
        parent.child_by_field_name("function") == node


# ------------------------------------------------------------------------------- loops


def _loop_sites(ctx: Ctx) -> list[Site]:
    caps = ctx.captures("loops")
    sites: list[Site | None] = []
    g = ctx.grammar
    for node in caps.get("for_range", []):
        sites.append(_python_range_for(ctx, node) if g == "python" else _rust_range_for(ctx, node))
    for node in caps.get("for_iter", []):
        sites.append(_python_iter_for(ctx, node))
    for node in caps.get("for_c", []):
        sites.append(_go_for(ctx, node) if g == "go" else _c_for(ctx, node))
    for node in caps.get("while", []):
        if g == "python":
            sites.append(_python_while(ctx, node))
        elif g == "rust":
            sites.append(_rust_while(ctx, node))
        elif g == "go":
            sites.append(_go_while(ctx, node))
        else:
            sites.append(_c_while(ctx, node))
    return [s for s in sites if s is not None]


def _python_body_indent(ctx: Ctx, node: ts.Node, body: ts.Node) -> tuple[str, str] | None:
    """(indent of the statement, indent of its body) when both start their own lines."""
    outer, inner = ctx.line_indent(node), ctx.line_indent(body)
    if outer is None or inner is None or body.start_point.row == node.start_point.row:
        return None
    if len(inner) <= len(outer):
        return None
    return outer, inner


def _python_range_for(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for v in range(a, b, s):`` -> counter loop that sets ``v`` first (continue-safe)."""
    body = node.child_by_field_name("body")
    var = node.child_by_field_name("left")
    call = node.child_by_field_name("right")
    if body is None or var is None or call is None or node.child_by_field_name("alternative"):
        return None
    if any(c.type == "else_clause" for c in node.children):
        return None
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    values = _named(args)
    if not 1 <= len(values) <= 3 or any(v.type in ("keyword_argument", "list_splat",
                                                    "dictionary_splat") for v in values):
        return None
    indents = _python_body_indent(ctx, node, body)
    if indents is None:
        return None
    outer, inner = indents
    start, stop, step = "0", ctx.text(values[0]), "1"
    if len(values) >= 2:
        start, stop = ctx.text(values[0]), ctx.text(values[1])
    op = "<"
    if len(values) == 3:
        step = ctx.text(values[2]).replace(" ", "")
        if not re.fullmatch(r"-?\d+", step) or int(step) == 0:
            return None
        if int(step) < 0:
            op, step = ">", str(-int(step))
    counter = ctx.fresh(("k", "idx", "pos", "n"))
    lines = [f"{counter} = {start}"]
    if not re.fullmatch(r"-?\d+", stop.replace(" ", "")):
        end = ctx.fresh(("stop", "end", "limit"))
        lines.append(f"{outer}{end} = {stop}")
        stop = end
    incr = "-=" if op == ">" else "+="
    lines.append(f"{outer}while {counter} {op} {stop}:")
    lines += [f"{inner}{ctx.text(var)} = {counter}", f"{inner}{counter} {incr} {step}", inner]
    head = "\n".join(lines)
    return Site("loop", "for->while", _edits(syntax.Edit(node.start_byte, body.start_byte, head)))


def _python_iter_for(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for t in xs:`` -> ``while True:`` over ``next(iter(xs))`` until StopIteration,
    which is what ``for`` does (any iterable, any target, ``continue`` and ``break``)."""
    body = node.child_by_field_name("body")
    target = node.child_by_field_name("left")
    source = node.child_by_field_name("right")
    if body is None or target is None or source is None or any(
            c.type in ("else_clause", "async") for c in node.children):
        return None
    indents = _python_body_indent(ctx, node, body)
    if indents is None:
        return None
    outer, inner = indents
    step = inner[len(outer):] if inner.startswith(outer) else "    "
    it = ctx.fresh(("it", "items_iter", "stream"))
    source_text = ctx.text(source)
    if source.type in ("expression_list", "pattern_list"):
        source_text = f"({source_text})"
    head = "\n".join([
        f"{it} = iter({source_text})", f"{outer}while True:", f"{inner}try:",
        f"{inner}{step}{ctx.text(target)} = next({it})", f"{inner}except StopIteration:",
        f"{inner}{step}break", inner])
    return Site("loop", "for->while", _edits(syntax.Edit(node.start_byte, body.start_byte, head)))


def _python_while(ctx: Ctx, node: ts.Node) -> Site | None:
    """``while c:`` -> ``while True:`` whose body starts with ``if not (c): break``."""
    body = node.child_by_field_name("body")
    cond = node.child_by_field_name("condition")
    if body is None or cond is None or node.child_by_field_name("alternative") or any(
            c.type == "else_clause" for c in node.children):
        return None
    if ctx.text(cond) == "True":
        return None
    indents = _python_body_indent(ctx, node, body)
    if indents is None:
        return None
    inner = indents[1]
    deeper = inner + ("\t" if "\t" in inner else "    ")
    guard = f"if {_negate(ctx, cond)}:\n{deeper}break\n{inner}"
    return Site("loop", "while->while True", _edits(
        syntax.Edit(cond.start_byte, cond.end_byte, "True"),
        syntax.Edit(body.start_byte, body.start_byte, guard)))


def _java_completes(node: ts.Node) -> bool:
    """Conservatively: can this Java statement complete normally (JLS 14.22)? Unknown
    shapes (try, switch, labels) count as not completing."""
    t = node.type
    if t in ("return_statement", "throw_statement", "break_statement", "continue_statement",
             "yield_statement", "try_statement", "try_with_resources_statement",
             "switch_expression", "switch_statement", "synchronized_statement",
             "labeled_statement", "do_statement"):
        return False
    if t == "block":
        kids = _named(node)
        return _java_completes(kids[-1]) if kids else True
    if t == "if_statement":
        alt = node.child_by_field_name("alternative")
        cons = node.child_by_field_name("consequence")
        return alt is None or cons is None or _java_completes(cons) or _java_completes(alt)
    if t in ("while_statement", "for_statement"):
        cond = node.child_by_field_name("condition")
        return cond is not None and (cond.text or b"").strip(b"() ") != b"true"
    return True


def _shift(ctx: Ctx, node: ts.Node, extra: str) -> str:
    """The node's text with ``extra`` added before every later line that does not start
    inside a string literal."""
    return _shift_range(ctx, node.start_byte, node.end_byte, extra)


def _shift_range(ctx: Ctx, start: int, end: int, extra: str) -> str:
    protected = _protected_offsets(ctx)
    lines, offset = [], start
    for i, line in enumerate(ctx.data[start:end].decode("utf-8").split("\n")):
        inside = any(s < offset < e for s, e in protected)
        lines.append(extra + line if i and line.strip() and not inside else line)
        offset += len(line.encode("utf-8")) + 1
    return "\n".join(lines)


def _statements_text(ctx: Ctx, block: ts.Node, extra: str) -> str | None:
    """The statements of a ``{ ... }`` block (comments included), shifted by ``extra``;
    None when the block has no statements."""
    inner = [c for c in block.children if c.type not in ("{", "}")]
    if block.type == "block" and ctx.grammar == "go":
        inner = [c for c in block.named_children]
        if len(inner) == 1 and inner[0].type == "statement_list":
            inner = list(inner[0].children)
    if not inner:
        return None
    return _shift_range(ctx, inner[0].start_byte, inner[-1].end_byte, extra)


def _unit(ctx: Ctx, node: ts.Node, body: ts.Node) -> str:
    """One indentation step, as the code around ``node`` uses it."""
    outer = ctx.line_indent(node)
    first = _named(body)
    if ctx.grammar == "go" and first and first[0].type == "statement_list":
        first = _named(first[0])
    inner = ctx.line_indent(first[0]) if first else None
    if outer is not None and inner is not None and inner.startswith(outer) and \
            len(inner) > len(outer):
        return inner[len(outer):]
    return "    "


def _declares_any(ctx: Ctx, block: ts.Node, names: set[str]) -> bool:
    """Whether ``block`` itself (not a nested block) declares one of ``names``."""
    for d in ctx.captures("locals").get("decl", []):
        if _inside(d, block) and ctx.text(d) in names and _scope(ctx, d) == block:
            return True
    return False


def _loop_body(ctx: Ctx, body: ts.Node, extra: str, keep_block: bool) -> str:
    """The statements of a loop body, re-indented one level deeper by ``extra`` (or the
    body kept whole as a nested block)."""
    if body.type in BLOCKS and not keep_block:
        return _statements_text(ctx, body, extra) or ""
    return _shift(ctx, body, extra)


def _c_for(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for (init; cond; update) body`` -> ``init; while (cond) { body update; }``, in a
    block of its own when ``init`` declares a variable."""
    body = node.child_by_field_name("body")
    indent = ctx.line_indent(node)
    if body is None or indent is None or _labelled(node) or _continue_targets(node):
        return None
    if ctx.grammar in ("javascript", "typescript") and any(
            any(w in n.type for w in ("function", "arrow", "class")) for n in _descendants(body)):
        return None  # closures see one binding per iteration in a for, not in a while
    if ctx.grammar == "java" and not _java_completes(body):
        return None
    inits, conds, updates = [], [], []
    for i, child in enumerate(node.children):
        name = node.field_name_for_child(i)
        if name in ("initializer", "init"):
            inits.append(child)
        elif name == "condition":
            conds.append(child)
        elif name in ("update", "increment"):
            updates.append(child)
    init_text = ""
    declares = False
    for n in inits:
        if n.type == "empty_statement":
            continue
        declares |= n.type in ("declaration", "local_variable_declaration",
                               "lexical_declaration", "variable_declaration")
        t = ctx.text(n).strip()
        init_text += (t if t.endswith(";") else t + ";") + " "
    init_text = init_text.strip()
    # A declaration must not leak into the enclosing scope, and two statements must not
    # replace one that is the body of an if/else/loop without braces.
    declares = declares or (bool(init_text) and (node.parent is None or node.parent.type
                                                 not in BLOCKS | {"program"}))
    cond_text = " ".join(ctx.text(c) for c in conds if c.type != "empty_statement").strip()
    cond_text = cond_text.removesuffix(";").strip() or ("1" if ctx.grammar == "c" else "true")
    update_text = " ".join(ctx.text(u) + ";" for u in updates)
    unit = _unit(ctx, node, body)
    used = _words(update_text) | _words(cond_text)
    keep = _declares_any(ctx, body, used) if body.type in BLOCKS else False
    pad = indent + unit if declares else indent
    extra = unit if declares else ""
    text = _loop_body(ctx, body, extra, keep)
    parts = []
    if declares:
        parts.append("{")
        parts.append(f"{pad}{init_text}")
    elif init_text:
        parts.append(init_text)
    parts.append(f"{pad}while ({cond_text}) {{")
    if body.type in BLOCKS and not keep:
        if text:
            parts.append(f"{pad}{unit}{text}")
    else:
        parts.append(f"{pad}{unit}{text}")
    if update_text:
        parts.append(f"{pad}{unit}{update_text}")
    parts.append(f"{pad}}}")
    if declares:
        parts.append(f"{indent}}}")
    new = "\n".join(parts)
    if not declares and not init_text:
        new = new[len(pad):]
    return Site("loop", "for->while", _edits(syntax.Edit(node.start_byte, node.end_byte, new)))


def _go_for(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for init; cond; post { body }`` -> ``{ init; for cond { body; post } }``."""
    clause = next((c for c in node.named_children if c.type == "for_clause"), None)
    body = node.child_by_field_name("body")
    indent = ctx.line_indent(node)
    if clause is None or body is None or indent is None or _labelled(node) or \
            _continue_targets(node):
        return None
    init = clause.child_by_field_name("initializer")
    cond = clause.child_by_field_name("condition")
    post = clause.child_by_field_name("update")
    unit = _unit(ctx, node, body)
    declares = init is not None and init.type == "short_var_declaration"
    used = _words(ctx.text(post) if post is not None else "") | _words(
        ctx.text(cond) if cond is not None else "")
    keep = _declares_any(ctx, body, used) or any(
        n.type == "statement_list" and _declares_any(ctx, n, used) for n in body.named_children)
    pad = indent + unit if declares else indent
    text = _loop_body(ctx, body, unit if declares else "", keep)
    parts = ["{"] if declares else []
    if init is not None:
        parts.append(f"{pad}{ctx.text(init)}")
    parts.append(f"{pad}for {ctx.text(cond) + ' ' if cond is not None else ''}{{")
    if text:
        parts.append(f"{pad}{unit}{text}")
    if post is not None:
        parts.append(f"{pad}{unit}{ctx.text(post)}")
    parts.append(f"{pad}}}")
    if declares:
        parts.append(f"{indent}}}")
    new = "\n".join(parts)
    if not declares:
        new = new[len(pad):]
    return Site("loop", "for->while", _edits(syntax.Edit(node.start_byte, node.end_byte, new)))


def _go_while(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for cond {`` -> ``for ; cond; {``."""
    kids = _named(node)
    if not kids or kids[0].type in ("for_clause", "range_clause", "block"):
        return None
    cond = kids[0]
    return Site("loop", "while->for", _edits(
        syntax.Edit(cond.start_byte, cond.end_byte, f"; {ctx.text(cond)}; ")))


def _c_while(ctx: Ctx, node: ts.Node) -> Site | None:
    """``while (c) body`` -> ``for (; c; ) body``."""
    cond = node.child_by_field_name("condition")
    if cond is None or _labelled(node):
        return None
    inner = _named(cond)
    if len(inner) != 1 or cond.type not in ("parenthesized_expression", "condition_clause"):
        return None
    if cond.type == "condition_clause" and cond.child_by_field_name("value") != inner[0]:
        return None
    if inner[0].type in ("declaration", "init_declarator", "comma_expression",
                         "sequence_expression"):
        return None
    return Site("loop", "while->for", _edits(
        syntax.Edit(node.start_byte, cond.end_byte, f"for (; {ctx.text(inner[0])}; )")))


def _rust_range_for(ctx: Ctx, node: ts.Node) -> Site | None:
    """``for v in a..b { body }`` -> a block with a ``while`` counter set before the body."""
    pattern = node.child_by_field_name("pattern")
    rng = node.child_by_field_name("value")
    body = node.child_by_field_name("body")
    if pattern is None or rng is None or body is None or _labelled(node):
        return None
    if pattern.type != "identifier" or ctx.text(pattern) == "_":
        return None
    ends = _named(rng)
    ops = [c.type for c in rng.children if not c.is_named]
    if len(ends) != 2 or ops != [".."] or any(e.type == "char_literal" for e in ends):
        return None
    indent = ctx.line_indent(node)
    if indent is None:
        return None
    i, end = ctx.fresh(("k", "idx", "pos")), ctx.fresh(("stop", "end", "limit"))
    a, b = ctx.text(ends[0]), ctx.text(ends[1])
    unit = _unit(ctx, node, body)
    pad = indent + unit
    text = _loop_body(ctx, body, unit, False)
    lines = ["{", f"{pad}let mut {i} = {a};", f"{pad}let {end} = {b};",
             f"{pad}while {i} < {end} {{", f"{pad}{unit}let {ctx.text(pattern)} = {i};",
             f"{pad}{unit}{i} += 1;"]
    if text:
        lines.append(f"{pad}{unit}{text}")
    lines += [f"{pad}}}", f"{indent}}}"]
    return Site("loop", "for->while", _edits(syntax.Edit(node.start_byte, node.end_byte,
                                                         "\n".join(lines))))


def _rust_while(ctx: Ctx, node: ts.Node) -> Site | None:
    """``while c { body }`` -> ``loop { if !(c) { break; } body }``."""
    cond = node.child_by_field_name("condition")
    body = node.child_by_field_name("body")
    if cond is None or body is None or _labelled(node) or cond.type in (
            "let_condition", "let_chain"):
        return None
    return Site("loop", "while->loop", _edits(syntax.Edit(
        node.start_byte, node.end_byte,
        f"loop {{ if {_negate(ctx, cond)} {{ break; }} {ctx.text(body)} }}")))


# -------------------------------------------------------------------------------- swap


def _swap_sites(ctx: Ctx) -> list[Site]:
    sites = []
    for node in ctx.captures("binary").get("binary", []):
        kids = [c for c in node.children if c.type not in ("comment",)]
        if len(kids) != 3:
            continue
        left, op, right = kids
        symbol = op.type
        if symbol not in SWAPPABLE and symbol not in MIRROR:
            continue
        if symbol == "*" and node.type == "binary_operator" and (
                left.type in ("list", "string") and right.type in ("list", "string")):
            continue
        if not (_is_pure(left) and _is_pure(right)) or not (_is_atomic(left) or _is_atomic(right)):
            continue
        new_op = MIRROR.get(symbol, symbol)
        sites.append(Site("swap", f"swap {symbol}", _edits(
            syntax.Edit(left.start_byte, left.end_byte, _operand(ctx, right)),
            syntax.Edit(op.start_byte, op.end_byte, new_op),
            syntax.Edit(right.start_byte, right.end_byte, _operand(ctx, left)))))
    return sites


def _operand(ctx: Ctx, node: ts.Node) -> str:
    text = ctx.text(node)
    return text if node.type in PRIMARY else f"({text})"


# ------------------------------------------------------------------------------ if/else


def _if_sites(ctx: Ctx) -> list[Site]:
    sites = []
    for node in ctx.captures("if").get("if", []):
        site = _python_if(ctx, node) if ctx.grammar == "python" else _brace_if(ctx, node)
        if site is not None:
            sites.append(site)
    return sites


def _python_if(ctx: Ctx, node: ts.Node) -> Site | None:
    """``if c: A else: B`` -> ``if not (c): B else: A`` (no elif, blocks on own lines)."""
    if any(c.type == "elif_clause" for c in node.children):
        return None
    cond = node.child_by_field_name("condition")
    cons = node.child_by_field_name("consequence")
    alt = node.child_by_field_name("alternative")
    if cond is None or cons is None or alt is None or alt.type != "else_clause":
        return None
    alt_body = alt.child_by_field_name("body")
    if alt_body is None:
        return None
    a, b = ctx.line_indent(cons), ctx.line_indent(alt_body)
    if a is None or b is None or a != b or cons.start_point.row == node.start_point.row:
        return None
    return Site("ifelse", "if/else inverted", _edits(
        syntax.Edit(cond.start_byte, cond.end_byte, _negate(ctx, cond)),
        syntax.Edit(cons.start_byte, cons.end_byte, ctx.text(alt_body)),
        syntax.Edit(alt_body.start_byte, alt_body.end_byte, ctx.text(cons))))


SIMPLE_STATEMENTS = frozenset({"expression_statement", "return_statement", "break_statement",
                               "continue_statement", "throw_statement", "return_expression"})
BLOCKS = frozenset({"compound_statement", "statement_block", "block"})


def _brace_if(ctx: Ctx, node: ts.Node) -> Site | None:
    """``if (c) A else B`` -> ``if (!(c)) B else A`` (no else-if, no dangling else)."""
    cond = node.child_by_field_name("condition")
    cons = node.child_by_field_name("consequence")
    alt = node.child_by_field_name("alternative")
    if cond is None or cons is None or alt is None:
        return None
    if alt.type == "else_clause":
        kids = _named(alt)
        if len(kids) != 1:
            return None
        alt = kids[0]
    if alt.type not in BLOCKS | SIMPLE_STATEMENTS or cons.type not in BLOCKS | SIMPLE_STATEMENTS:
        return None
    if ctx.grammar in ("go", "rust") and (alt.type != "block" or cons.type != "block"):
        return None
    # The expression inside the condition's parentheses (C family) or the condition itself.
    if cond.type == "condition_clause":
        if len(_named(cond)) != 1 or cond.child_by_field_name("value") is None:
            return None
        inner = cond.child_by_field_name("value")
    elif cond.type == "parenthesized_expression":
        inner = _named(cond)[0] if len(_named(cond)) == 1 else None
    else:
        inner = cond
    if inner is None or inner.type in ("let_condition", "let_chain", "declaration",
                                       "comma_expression", "sequence_expression"):
        return None
    return Site("ifelse", "if/else inverted", _edits(
        syntax.Edit(inner.start_byte, inner.end_byte, _negate(ctx, inner)),
        syntax.Edit(cons.start_byte, cons.end_byte, _terminated(ctx, alt)),
        syntax.Edit(alt.start_byte, alt.end_byte, _terminated(ctx, cons))))


def _terminated(ctx: Ctx, node: ts.Node) -> str:
    text = ctx.text(node)
    if ctx.grammar in C_LIKE and not text.rstrip().endswith((";", "}")):
        return text + ";"
    return text


# ----------------------------------------------------------------------------- deadcode


def _dead_sites(ctx: Ctx) -> list[Site]:
    """Before a top-level statement of a function body: an unused constant or empty if."""
    sites = []
    for function in _outermost_functions(ctx):
        body = function.child_by_field_name("body")
        if body is None or body.type not in BLOCKS or function.type == "constructor_declaration":
            continue
        container = body
        if ctx.grammar == "go":
            container = next((c for c in body.named_children if c.type == "statement_list"),
                             body)
        statements = [c for c in _named(container)]
        if not statements:
            continue
        if ctx.grammar == "python":
            first = statements[0]
            if first.type == "expression_statement" and _named(first) and \
                    _named(first)[0].type == "string":
                statements = statements[1:]
        for stmt in statements:
            indent = ctx.line_indent(stmt)
            if ctx.grammar in ("python", "go") and (indent is None or stmt.start_point.row ==
                                                    function.start_point.row):
                continue
            sites.append(Site("deadcode", "dead code", _dead_insert(ctx, stmt, indent)))
    return sites


def _dead_insert(ctx: Ctx, stmt: ts.Node, indent: str | None) -> Callable[[str], str]:
    def apply(source: str) -> str:
        name = ctx.fresh(DEAD_BASES)
        value = ctx.rng.choice(("0", "1", "42"))
        g = ctx.grammar
        options = {
            "python": [f"{name} = {value}", "if False:\n" + (indent or "") + "    pass"],
            "javascript": [f"let {name} = {value};", "if (false) {}"],
            "typescript": [f"let {name} = {value};", "if (false) {}"],
            "cpp": [f"int {name} = {value}; (void){name};", "if (false) {}"],
            "c": [f"int {name} = {value}; (void){name};", "if (0) {}"],
            "java": [f"int {name} = {value};", "if (false) {}"],
            "go": [f"_ = {value}", "if false {\n" + (indent or "") + "}"],
            "rust": [f"let _{name} = {value};", f"let _ = {value};"],
        }[g]
        line = ctx.rng.choice(options)
        sep = "\n" + indent if indent is not None else " "
        return syntax.apply_edits(source, [syntax.Edit(stmt.start_byte, stmt.start_byte,
                                                       line + sep)])
    return apply


# ----------------------------------------------------------------------------- reformat


def _reformat_sites(ctx: Ctx) -> list[Site]:
    return [Site("reformat", "reformat", lambda source: _reformat(ctx, source))]


def _protected_offsets(ctx: Ctx) -> list[tuple[int, int]]:
    """Byte ranges of string literals (their inner lines are never touched)."""
    return [(n.start_byte, n.end_byte) for n in ctx.captures("strings").get("string", [])]


def _reformat(ctx: Ctx, source: str) -> str:
    """Re-indent (another unit, or tabs in brace languages) outside string literals and,
    sometimes, drop blank lines; Python keeps the order of indentation widths."""
    data = ctx.data
    protected = _protected_offsets(ctx)
    lines = data.split(b"\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    def inside(offset: int) -> bool:
        return any(s < offset < e for s, e in protected)

    widths = []
    for line, off in zip(lines, offsets, strict=True):
        stripped = line.lstrip(b" \t")
        if stripped and not inside(off):
            lead = line[:len(line) - len(stripped)]
            if b"\t" in lead and ctx.grammar == "python":
                return source
            widths.append(len(lead.replace(b"\t", b"    ")))
    positive = [w for w in widths if w > 0]
    if not positive:
        return source
    unit = min(positive)
    choices = [u for u in ((2, 3, 4, 8, "tab") if ctx.grammar in BRACES else (2, 3, 4, 8))
               if u != unit]
    if ctx.grammar == "python" and any(w % unit for w in widths):
        choices = [u for u in choices if isinstance(u, int) and u > unit]
    if not choices:
        return source
    new_unit = ctx.rng.choice(choices)
    drop_blank = ctx.rng.random() < 0.5

    def indent(width: int) -> bytes:
        level, rest = divmod(width, unit)
        if new_unit == "tab":
            return b"\t" * level + b" " * rest
        return b" " * (level * int(new_unit) + rest)

    out = []
    for i, (line, off) in enumerate(zip(lines, offsets, strict=True)):
        if inside(off):
            out.append(line)
            continue
        stripped = line.lstrip(b" \t")
        end_inside = inside(off + len(line))
        if not stripped.strip():
            if drop_blank and 0 < i < len(lines) - 1 and not end_inside and ctx.grammar != "python":
                continue
            out.append(b"" if not end_inside else line)
            continue
        lead = line[:len(line) - len(stripped)]
        body = stripped if end_inside else stripped.rstrip(b" \t")
        out.append(indent(len(lead.replace(b"\t", b"    "))) + body)
    return b"\n".join(out).decode("utf-8")


FINDERS: dict[str, Callable[[Ctx], list[Site]]] = {
    "rename": _rename_sites, "loop": _loop_sites, "swap": _swap_sites, "ifelse": _if_sites,
    "deadcode": _dead_sites, "reformat": _reformat_sites,
}


# ------------------------------------------------------------------------------ mutator


class TransformMutator(Mutator):
    name = "transform"
    version = "1"
    summary = ("semantics-preserving rewrites of the solution: local renames, for<->while, "
               "operand swaps, if/else inversion, dead code, re-indentation")
    languages = frozenset(GRAMMAR_OF)
    Params = TransformParams

    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        grammar = GRAMMAR_OF.get(problem.language)
        if grammar is None:
            yield Skipped(f"transform does not support language {problem.language!r}")
            return
        if not problem.solution.strip():
            yield Skipped("no reference solution to transform")
            return
        if syntax.has_errors(syntax.parse(grammar, problem.solution)):
            yield Skipped("the reference solution does not parse")
            return
        tests = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
        words = _words(problem.solution) | _words(tests)
        seen = {problem.solution}
        labels: set[str] = set()
        made = 0
        for _ in range(params.count * 4):
            if made >= params.count:
                break
            steps = rng.randint(1, params.max_rewrites)
            text, done = transform(problem.solution, grammar, params.kinds, steps, rng, words)
            if not done or text in seen:
                continue
            seen.add(text)
            label = "+".join(dict.fromkeys(kind for kind, _ in done))
            base, n = label, 1
            while label in labels:
                n += 1
                label = f"{base}#{n}"
            labels.add(label)
            made += 1
            yield Variant(msgspec.structs.replace(problem, solution=text), label,
                          {"rewrites": [what for _, what in done],
                           "kinds": sorted({kind for kind, _ in done})})
        if not made:
            yield Skipped("no semantics-preserving rewrite applies to this solution")


def transform(source: str, grammar: str, kinds: tuple[str, ...], steps: int,
              rng: random.Random, words: set[str] | None = None
              ) -> tuple[str, list[tuple[str, str]]]:
    """Apply up to ``steps`` rewrites of the given kinds; returns the text and what was
    done (kind, description) per applied step. Every intermediate text parses."""
    words = set(words or ()) | _words(source)
    done: list[tuple[str, str]] = []
    for _ in range(steps):
        tree = syntax.parse(grammar, source)
        ctx = Ctx(grammar, source, tree, words, rng)
        by_kind = {k: FINDERS[k](ctx) for k in kinds}
        available = [k for k in kinds if by_kind[k]]
        if not available:
            break
        kind = rng.choice(available)
        site = rng.choice(by_kind[kind])
        new = site.apply(source)
        if new == source or syntax.has_errors(syntax.parse(grammar, new)):
            continue
        words |= _words(new)
        source = new
        done.append((kind, site.what))
    return source, done


@codeaug.hookimpl
def register_mutators(register: Callable[[Mutator], None]) -> None:
    register(TransformMutator())
