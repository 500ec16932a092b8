"""The built-in ``rename`` mutator: consistent renaming of the entry point and its
parameters across prompt, signature, solution and tests.

Why: a model should solve a problem, not recall the name a benchmark gave its function;
renamed variants are the cheapest verified augmentation there is.

How: the solution and ``code`` tests are parsed with tree-sitter and only identifier
nodes are rewritten, scope-aware: the queries in ``queries/<grammar>/rename.scm`` say
which nodes are scopes, which bind a name (parameters, locals, loop variables...) and
which identifiers are not variable references (attributes, fields, keyword arguments of
other calls, qualified names). A reference is renamed when it resolves to the entry
point (a top-level function) or to a parameter of the entry point, i.e. no other binding
with the same text shadows it. Strings are never touched; comments and docstrings, like
the prompt, follow conservative prose rules (:func:`prose_edits`). When the prompt is a
part of the solution (HumanEval), the new prompt is cut from the renamed solution, so the
two stay identical. New names are fresh (no whole word of any text of the problem, no
keyword or builtin of any language), so :func:`invert` restores the original exactly.
"""

from __future__ import annotations

import builtins
import keyword
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

import msgspec
import tree_sitter as ts

import codeaug
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import CodeTests, Param, Problem, Signature
from codeaug.syntax import Edit, apply_edits, has_errors, load_query, matches, parse

PACKAGE = "codeaug_plugins"

#: record language -> tree-sitter grammar.
GRAMMARS: dict[str, str] = {
    "python": "python", "javascript": "javascript", "typescript": "typescript",
    "c": "c", "cpp": "cpp", "java": "java", "go": "go", "rust": "rust",
}

Style = Literal["auto", "snake", "camel", "pascal", "descriptive-synonym", "random-word"]


class RenameParams(msgspec.Struct, forbid_unknown_fields=True):
    """Parameters of ``rename``."""

    what: Annotated[Literal["entry", "params", "both"], msgspec.Meta(
        description="rename the entry point, its parameters, or both")] = "both"
    style: Annotated[Style, msgspec.Meta(
        description="how new names look: snake/camel/pascal (random words in that case),"
                    " descriptive-synonym (the old name's words replaced by synonyms, in its"
                    " case), random-word (one unrelated word), auto (synonyms or random"
                    " words, in the old name's case)")] = "auto"
    count: Annotated[int, msgspec.Meta(ge=1, le=50,
                                       description="variants per problem")] = 3


# ------------------------------------------------------------------ names

#: Words -> synonyms for ``descriptive-synonym`` (the words of HumanEval's names).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "has": ("contains", "holds"), "close": ("near", "nearby"), "elements": ("items", "entries"),
    "element": ("item", "entry"), "separate": ("split", "divide"), "paren": ("bracket",),
    "groups": ("clusters", "parts"), "group": ("cluster", "part"), "truncate": ("trim", "cut"),
    "number": ("value", "figure"), "numbers": ("values", "figures", "nums"),
    "below": ("under", "beneath"), "above": ("over", "exceeds"), "zero": ("nil", "naught"),
    "mean": ("average",), "absolute": ("abs",), "deviation": ("spread", "scatter"),
    "intersperse": ("interleave", "weave"), "delimeter": ("separator", "joiner"),
    "delimiter": ("separator", "joiner"), "parse": ("read", "decode"), "nested": ("deep",),
    "parens": ("brackets",), "filter": ("select", "keep"), "by": ("with", "using"),
    "substring": ("fragment", "piece"), "sum": ("total",), "product": ("multiple",),
    "rolling": ("running", "moving"), "max": ("peak", "top"), "min": ("least", "bottom"),
    "make": ("build", "form"), "palindrome": ("mirror_word",), "string": ("text", "word"),
    "strings": ("texts", "words"), "xor": ("exclusive_or",), "longest": ("largest", "widest"),
    "greatest": ("largest", "biggest"), "common": ("shared", "mutual"),
    "divisor": ("factor",), "all": ("every",), "prefixes": ("heads", "starts"),
    "sequence": ("series", "run"), "count": ("tally", "number_of"), "distinct": ("unique",),
    "characters": ("chars", "letters"), "music": ("melody", "tune"), "how": ("count_of",),
    "many": ("several",), "times": ("occurrences",), "sort": ("order", "arrange"),
    "find": ("locate", "seek"), "closest": ("nearest",), "rescale": ("normalize",),
    "unit": ("one",), "integers": ("ints", "whole_numbers"), "strlen": ("text_length",),
    "largest": ("greatest", "biggest"), "factorize": ("decompose", "split_factors"),
    "remove": ("drop", "strip"), "duplicates": ("repeats", "copies"), "flip": ("swap",),
    "case": ("casing",), "concatenate": ("join", "chain"), "prefix": ("head", "start"),
    "get": ("fetch", "obtain"), "positive": ("plus",), "is": ("check", "test"),
    "prime": ("primal",), "poly": ("polynomial",), "third": ("tertiary",),
    "unique": ("distinct",), "fizz": ("buzz_count",), "even": ("paired",),
    "encode": ("encrypt", "scramble"), "decode": ("decrypt", "unscramble"),
    "cyclic": ("rotating",), "fib": ("fibonacci",), "triples": ("triplets",),
    "to": ("into",), "car": ("vehicle",), "race": ("contest",), "collision": ("crash",),
    "incr": ("increment", "bump"), "list": ("array", "seq"), "pairs": ("couples", "duos"),
    "change": ("convert",), "base": ("radix",), "triangle": ("trigon",), "area": ("surface",),
    "median": ("middle",), "modp": ("mod_prime",), "vowels": ("vocalics",),
    "threshold": ("limit", "cutoff"), "arr": ("array", "seq"), "lst": ("items", "seq"),
    "nums": ("values", "figures"), "text": ("message", "content"), "word": ("term", "token"),
    "words": ("terms", "tokens"), "values": ("items", "entries"), "value": ("item", "amount"),
    "low": ("lower", "minimum"), "high": ("upper", "maximum"),
    "weights": ("factors", "masses"), "matrix": ("grid", "table"), "stock": ("inventory",),
    "delivery": ("shipment", "arrival"), "target": ("goal", "wanted"), "size": ("width", "span"),
    "grid": ("board", "matrix"), "capacity": ("volume", "room"), "planet": ("world",),
    "interval": ("span", "range_pair"), "brackets": ("parens",), "score": ("points",),
    "guess": ("estimate",), "digits": ("figures",), "letters": ("chars",),
    "total": ("overall", "aggregate"), "length": ("size", "extent"), "encoded": ("packed", "coded"),
}

#: Word lists for the random styles; every entry is safe as (part of) an identifier.
VERBS = ("compute", "derive", "gather", "measure", "tally", "scan", "resolve", "assess",
         "collect", "produce", "examine", "evaluate", "determine", "compose", "render",
         "inspect", "process", "settle", "survey", "weigh")
ADJECTIVES = ("bright", "quiet", "rapid", "plain", "silent", "steady", "swift", "gentle",
              "golden", "hidden", "lucky", "noble", "proper", "simple", "stable", "vivid",
              "humble", "little", "mellow", "tidy")
NOUNS = ("ledger", "parcel", "bundle", "cargo", "harvest", "ticket", "pebble", "lantern",
         "compass", "beacon", "anchor", "meadow", "orchard", "crate", "marble", "ribbon",
         "quill", "saddle", "kettle", "thimble")
RANDOM_WORDS = ("kestrel", "amber", "basalt", "cobalt", "ember", "fjord", "glacier",
                "harbor", "indigo", "jasper", "lagoon", "nebula", "onyx", "prairie",
                "quartz", "raven", "sierra", "tundra", "umber", "willow", "zenith", "falcon",
                "orchid", "saffron", "thistle", "walnut", "cedar", "heron", "juniper",
                "mistral", "nimbus", "obsidian", "puffin", "sequoia", "topaz", "vervain")

#: Never used as a new name: keywords and predefined names of every supported language.
RESERVED: frozenset[str] = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(
    dir(builtins)) | frozenset("""
    abstract arguments await boolean break byte case catch char class const continue debugger
    default delete do double else enum eval export extends false final finally float for
    function goto if implements import in instanceof int interface let long native new null
    package private protected public return short static super switch synchronized this throw
    throws transient true try typeof var void volatile while with yield undefined NaN Infinity
    Math Array Object String Number Boolean Map Set JSON console Symbol Date RegExp Error
    alignas alignof and asm auto bitand bitor bool char16_t char32_t compl concept consteval
    constexpr const_cast decltype dynamic_cast explicit extern friend inline mutable namespace
    noexcept not not_eq nullptr operator or or_eq register reinterpret_cast requires signed
    sizeof static_assert static_cast struct template thread_local typedef typeid typename
    union unsigned using virtual wchar_t xor xor_eq std main printf scanf assert string vector
    size_t cout cin endl strlen strcmp index accumulate count find sort max min abs sqrt pow
    chan defer fallthrough func go map range select type append cap close complex copy imag
    len make panic print println real recover error rune uint uintptr int8 int16 int32 int64
    uint8 uint16 uint32 uint64 float32 float64 complex64 complex128 iota nil fmt strings
    as async crate dyn fn impl loop match mod move mut pub ref self Self trait unsafe use
    where macro box i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 str Vec
    Option Some None Ok Err Result Box vec Solution Main
    """.split())


def split_words(name: str) -> list[str]:
    """``has_close_elements``/``hasCloseElements``/``HasClose2`` -> lower-case words."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|_|\d)|[A-Z]?[a-z]+|[A-Z]+|\d+", name)
    return [p.lower() for p in parts] or [name.lower()]


#: The case of multi-word names per language, for old names of one lower-case word.
LANGUAGE_CASE = {"javascript": "camel", "typescript": "camel", "java": "camel", "go": "camel"}


def case_of(name: str, default: str = "snake") -> str:
    """The case convention of ``name``: ``snake``, ``camel`` or ``pascal`` (``default``
    for one lower-case word, which fits any)."""
    if "_" in name.strip("_"):
        return "snake"
    if name.islower() or not name[:1].isalpha():
        return default
    return "pascal" if name[:1].isupper() else "camel"


def join_words(words: Iterable[str], case: str) -> str:
    """Words joined in ``case`` (``snake``, ``camel``, ``pascal``)."""
    parts = [w for word in words for w in word.split("_") if w]
    if case == "snake":
        return "_".join(parts)
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    return text if case == "pascal" else text[:1].lower() + text[1:]


def identifier_like(name: str) -> bool:
    """Whether ``name`` cannot be an ordinary English word (``snake_case``, a digit,
    ``camelCase``): such a name is renamed in prose too."""
    return "_" in name.strip("_") or any(c.isdigit() for c in name) or any(
        c.isupper() for c in name[1:])


def propose_name(old: str, style: str, rng: random.Random, *, entry: bool,
                 default_case: str = "snake") -> str:
    """One candidate new name for ``old`` in ``style`` (not yet checked for freshness);
    ``default_case`` is the language's case for names of several words."""
    case = case_of(old, default_case)
    if style == "auto":
        style = rng.choice(("descriptive-synonym", "descriptive-synonym", "random-word"))
    if style == "random-word":
        word = rng.choice(RANDOM_WORDS)
        return join_words([word, rng.choice(NOUNS)] if entry else [word], case)
    if style == "descriptive-synonym":
        words = split_words(old)
        replaced = [rng.choice(SYNONYMS[w]) if w in SYNONYMS else w for w in words]
        if replaced == words:
            qualifier = rng.choice(("given", "input", "source", "original")) if not entry \
                else rng.choice(VERBS)
            replaced = [qualifier, *words]
        return join_words(replaced, case)
    first = rng.choice(VERBS if entry else ADJECTIVES)
    return join_words([first, rng.choice(NOUNS)], style)


WORD = re.compile(r"[\w$]+")


def words_of(*texts: str) -> set[str]:
    """Every maximal run of identifier characters in ``texts``."""
    return {w for t in texts for w in WORD.findall(t)}


def fresh(name: str, taken: set[str]) -> bool:
    """Usable as a new name: an identifier, not reserved, not already a word anywhere."""
    return (name.isidentifier() and name.isascii() and not name[0].isdigit()
            and name not in RESERVED and name not in taken and not name.startswith("codeaug"))


def whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")


# ------------------------------------------------------------------ prose


_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
_DOCTEST = re.compile(r"^[ \t]*(?:(?://+|#+|\*+|/\*+|--)[ \t]*)?>>>.*$", re.MULTILINE)
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def prose_edits(text: str, entry: tuple[str, str] | None, params: dict[str, str],
                signature_name: str) -> list[tuple[int, int, str]]:
    """Character-range replacements for prose (a prompt, a comment, a docstring).

    The entry point is renamed wherever it is a whole word if its name cannot be an
    English word (``has_close_elements``), else only where it looks like code: followed
    by ``(``, in a backtick code span or on a ``>>>`` doctest line. Parameters are renamed
    only in code spans, doctest lines and signature lines (a line calling or declaring
    ``signature_name``). Quoted text on code lines is left alone (``>>> f('a')``).
    """
    code = _spans(_CODE_SPAN, text)
    doctest = _spans(_DOCTEST, text)
    call = re.compile(rf"(?<![\w$]){re.escape(signature_name)}\s*\(") if signature_name else None
    signature = [] if call is None else [
        (m.start(), m.end()) for m in re.finditer(r"^.*$", text, re.MULTILINE)
        if call.search(m.group())]
    codeish = code + doctest + signature
    quoted = [s for s in _spans(_QUOTED, text) if _inside(s[0], codeish)]
    out: list[tuple[int, int, str]] = []
    if entry is not None:
        old, new = entry
        for m in whole_word(old).finditer(text):
            if _inside(m.start(), quoted):
                continue
            if (identifier_like(old) or _inside(m.start(), code + doctest)
                    or re.match(r"\s*\(", text[m.end():])):
                out.append((m.start(), m.end(), new))
    for old, new in params.items():
        for m in whole_word(old).finditer(text):
            if _inside(m.start(), codeish) and not _inside(m.start(), quoted):
                out.append((m.start(), m.end(), new))
    return out


def rename_prose(text: str, entry: tuple[str, str] | None, params: dict[str, str],
                 signature_name: str) -> str:
    """``text`` with :func:`prose_edits` applied."""
    out, position = [], 0
    for start, end, new in sorted(prose_edits(text, entry, params, signature_name)):
        out += [text[position:start], new]
        position = end
    return "".join(out) + text[position:]


# ------------------------------------------------------------------ code


@dataclass
class Binding:
    """A name bound over byte ranges (another binding than the one renamed shadows it)."""

    name: str
    ranges: list[tuple[int, int]]
    owner: int | None = None  # id of the function whose parameter it is


@dataclass
class Analysis:
    """What the rename query found in one source text."""

    tree: ts.Tree
    functions: dict[int, ts.Node] = field(default_factory=dict)
    names: dict[int, ts.Node] = field(default_factory=dict)  # function id -> name node
    blocks: set[int] = field(default_factory=set)
    bindings: list[Binding] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)
    keyword: set[int] = field(default_factory=set)
    method: set[int] = field(default_factory=set)
    prose: list[ts.Node] = field(default_factory=list)
    shorthand: list[ts.Node] = field(default_factory=list)
    formats: list[ts.Node] = field(default_factory=list)


_STOP_FIELDS = frozenset({"type", "right", "value", "default", "size", "parameters",
                          "arguments", "object", "function", "operand"})
_STOP_TYPES = frozenset({"attribute", "subscript", "call", "member_expression",
                         "field_expression", "subscript_expression", "scoped_identifier",
                         "selector_expression", "index_expression", "parameter_list"})


def bound_identifiers(node: ts.Node) -> list[ts.Node]:
    """The identifiers a pattern or declarator binds (not its types, defaults, indexes)."""
    if node.type == "identifier":
        return [node]
    if node.type in _STOP_TYPES:
        return []
    out: list[ts.Node] = []
    for i, child in enumerate(node.children):
        if node.field_name_for_child(i) not in _STOP_FIELDS:
            out += bound_identifiers(child)
    return out


def _ancestor(node: ts.Node, ids: Iterable[int] | dict[int, Any]) -> ts.Node | None:
    parent = node.parent
    while parent is not None:
        if parent.id in ids:
            return parent
        parent = parent.parent
    return None


def analyse(grammar_name: str, source: str) -> Analysis:
    """Run the grammar's rename query over ``source``."""
    tree = parse(grammar_name, source)
    result = Analysis(tree)
    query = load_query(PACKAGE, grammar_name, "rename")
    found = matches(query, tree.root_node)
    for m in found:
        for fn in m.get("function", []):
            result.functions[fn.id] = fn
            if "function.name" in m:
                result.names[fn.id] = m["function.name"][0]
        result.blocks.update(n.id for n in m.get("block", []))
    scopes = {**result.functions, **{b: None for b in result.blocks}}

    def add(name_nodes: Iterable[ts.Node], ranges: list[tuple[int, int]],
            owner: int | None = None) -> None:
        for ident in name_nodes:
            result.bindings.append(Binding(_text(ident), [*ranges, (ident.start_byte,
                                                                   ident.end_byte)], owner))

    for m in found:
        for node in m.get("parameter", []):
            owner = _ancestor(node, result.functions)
            if owner is not None:
                add(bound_identifiers(node), [(owner.start_byte, owner.end_byte)], owner.id)
        for node in m.get("local.function", []):
            owner = _ancestor(node, result.functions)
            if owner is not None:  # assigning a parameter (Python, JS `var`) rebinds it
                params = {b.name for b in result.bindings if b.owner == owner.id}
                add([n for n in bound_identifiers(node) if _text(n) not in params],
                    [(owner.start_byte, owner.end_byte)])
        for node in m.get("local.scope", []):
            scope = _ancestor(node, scopes)
            if scope is not None:
                add(bound_identifiers(node), [(scope.start_byte, scope.end_byte)])
        for node in m.get("local.after", []):
            statement = m["local.statement"][0]
            block = _ancestor(statement, result.blocks) or _ancestor(statement,
                                                                     result.functions)
            if block is None:
                continue
            bound = bound_identifiers(node)
            body_of = block.parent
            if grammar_name == "go" and statement.type == "short_var_declaration" \
                    and body_of is not None and body_of.id in result.functions:
                params = {b.name for b in result.bindings if b.owner == body_of.id}
                bound = [n for n in bound if _text(n) not in params]  # `:=` assigns them
            add(bound, [(statement.end_byte, block.end_byte)])
        for capture, nodes in m.items():
            target = {"skip": result.skip, "keyword": result.keyword,
                      "method": result.method}.get(capture)
            if target is not None:
                target.update(n.id for n in nodes)
        result.prose += m.get("prose", [])
        result.shorthand += m.get("shorthand", [])
        result.formats += m.get("format", [])
    for fn_id, name_node in result.names.items():  # a nested named function binds locally
        scope = _ancestor(result.functions[fn_id], scopes)
        if scope is not None:
            add([name_node], [(scope.start_byte, scope.end_byte)])
    result.prose = _unique(result.prose)
    return result


def _unique(nodes: list[ts.Node]) -> list[ts.Node]:
    seen: dict[int, ts.Node] = {}
    for n in nodes:
        seen.setdefault(n.id, n)
    return sorted(seen.values(), key=lambda n: n.start_byte)


def _text(node: ts.Node) -> str:
    return (node.text or b"").decode("utf-8")


def _identifiers(node: ts.Node) -> Iterator[ts.Node]:
    cursor = [node]
    while cursor:
        n = cursor.pop()
        if n.type == "identifier":
            yield n
        cursor.extend(reversed(n.children))


def _shadowed(node: ts.Node, name: str, bindings: list[Binding],
              exempt_owner: int | None = None) -> bool:
    """Whether a binding of ``name`` (other than the parameters of ``exempt_owner``)
    covers ``node``."""
    return any(b.name == name and (exempt_owner is None or b.owner != exempt_owner)
               and any(a <= node.start_byte < e for a, e in b.ranges) for b in bindings)


def top_level_definitions(analysis: Analysis, name: str) -> list[ts.Node]:
    """Functions called ``name`` that are not nested in another function."""
    return [analysis.functions[i] for i, n in analysis.names.items()
            if _text(n) == name and _ancestor(analysis.functions[i],
                                               analysis.functions) is None]


def unrenamable(grammar_name: str, source: str) -> set[str]:
    """Names that a plain rename would break here: ``{name}`` shorthands (a key and a
    variable at once) and names captured by Rust format strings (``"{name}"``)."""
    analysis = analyse(grammar_name, source)
    out = {_text(n) for n in analysis.shorthand}
    for node in analysis.formats:
        out |= set(re.findall(r"\{([A-Za-z_]\w*)(?=[}:])", _text(node)))
    for node in _identifiers(analysis.tree.root_node):  # f"{name=}" prints the name
        if node.parent is not None and node.parent.type == "interpolation" and "=" in [
                c.type for c in node.parent.children]:
            out.add(_text(node))
    return out


def _java_receiver_ok(call: ts.Node, class_name: str, instances: set[str]) -> bool:
    """A Java call ``obj.m(...)`` reaches the entry method's class."""
    obj = call.child_by_field_name("object")
    if obj is None or obj.type == "this":
        return True
    if obj.type == "object_creation_expression":
        type_node = obj.child_by_field_name("type")
        return type_node is not None and _text(type_node) == class_name
    return obj.type == "identifier" and (_text(obj) in instances or _text(obj) == class_name)


def _java_instances(root: ts.Node, class_name: str) -> set[str]:
    """Variables declared with the entry method's class as their type."""
    out, stack = set(), [root]
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.type in ("local_variable_declaration", "field_declaration"):
            type_node = n.child_by_field_name("type")
            if type_node is not None and _text(type_node) == class_name:
                for d in n.children_by_field_name("declarator"):
                    name = d.child_by_field_name("name")
                    if name is not None:
                        out.add(_text(name))
    return out


@dataclass
class Renaming:
    """A mapping to apply: the entry point (old, new) or None, and parameters."""

    entry_old: str
    entry_new: str | None
    params: dict[str, str]

    @property
    def entry(self) -> tuple[str, str] | None:
        return None if self.entry_new is None else (self.entry_old, self.entry_new)


def code_edits(grammar_name: str, source: str, renaming: Renaming, *,
               rename_params: bool, class_name: str = "") -> list[Edit]:
    """Byte edits renaming ``source``'s references to the entry point (and, when
    ``rename_params``, to the entry point's parameters), and prose in its comments."""
    analysis = analyse(grammar_name, source)
    old = renaming.entry_old
    java = grammar_name == "java"
    defs = top_level_definitions(analysis, old)
    target = defs[-1] if defs else None
    params = renaming.params if rename_params and target is not None else {}
    instances = _java_instances(analysis.tree.root_node, class_name) if java else set()
    def_names = {analysis.names[d.id].id for d in defs}
    edits: list[Edit] = []
    renamed_entry: set[int] = set()
    for node in _identifiers(analysis.tree.root_node):
        text = _text(node)
        if renaming.entry_new is not None and text == old and node.id not in analysis.skip:
            if java:
                parent = node.parent
                ok = node.id in def_names or (
                    node.id in analysis.method and parent is not None
                    and _java_receiver_ok(parent, class_name, instances)) or (
                    parent is not None and parent.type == "method_reference"
                    and parent.named_children[-1].id == node.id)
            else:
                ok = node.id not in analysis.keyword and not _in_token_path(node) and (
                    node.id in def_names or not _shadowed(node, old, analysis.bindings))
            if ok:
                edits.append(Edit(node.start_byte, node.end_byte, renaming.entry_new))
                renamed_entry.add(node.id)
                continue
        if text in params and target is not None and node.id not in analysis.skip \
                and node.id not in analysis.method and node.id not in analysis.keyword \
                and target.start_byte <= node.start_byte < target.end_byte \
                and not _in_token_path(node) \
                and not _shadowed(node, text, analysis.bindings, exempt_owner=target.id):
            edits.append(Edit(node.start_byte, node.end_byte, params[text]))
    # keyword arguments of calls to the entry point, in the solution and in the tests:
    # f(numbers=...)
    for node in _identifiers(analysis.tree.root_node):
        if node.id in analysis.keyword and _text(node) in renaming.params:
            call = node.parent.parent.parent if node.parent and node.parent.parent else None
            function = call.child_by_field_name("function") if call is not None else None
            if function is not None and (function.id in renamed_entry or (
                    renaming.entry_new is None and _text(function) == old
                    and not _shadowed(function, old, analysis.bindings))):
                edits.append(Edit(node.start_byte, node.end_byte,
                                  renaming.params[_text(node)]))
    prose_params = renaming.params if rename_params else {}
    for node in analysis.prose:
        text = _text(node)
        for start, end, new in prose_edits(text, renaming.entry, prose_params, old):
            edits.append(Edit(node.start_byte + len(text[:start].encode()),
                              node.start_byte + len(text[:end].encode()), new))
    return edits


def _in_token_path(node: ts.Node) -> bool:
    """Inside a Rust macro's tokens: ``x.name``, ``a::name`` or ``name!`` is no variable."""
    parent = node.parent
    if parent is None or parent.type != "token_tree":
        return False
    before, after = node.prev_sibling, node.next_sibling
    return (before is not None and before.type in (".", "::")) or (
        after is not None and after.type in ("!", "::"))


# ------------------------------------------------------------------ problems


class RenameError(Exception):
    """A renaming that cannot be applied safely (the variant is dropped)."""


def apply_renaming(problem: Problem, renaming: Renaming) -> Problem:
    """``problem`` with ``renaming`` applied to every field that names it."""
    grammar_name = GRAMMARS[problem.language]
    source = problem.solution
    edits = code_edits(grammar_name, source, renaming, rename_params=True,
                       class_name=_class_of_entry(grammar_name, source, renaming.entry_old))
    if not edits:
        raise RenameError("nothing to rename in the solution")
    solution = apply_edits(source, edits)
    missing = set(renaming.params.values()) - words_of(solution)
    if missing:
        raise RenameError(f"parameters not renamed: {sorted(missing)}")
    prompt = _renamed_prompt(problem.prompt, source, edits, renaming)
    tests = problem.tests
    if isinstance(tests, CodeTests):
        class_name = _class_of_entry(grammar_name, source, renaming.entry_old)
        test_edits = code_edits(grammar_name, tests.code, renaming, rename_params=False,
                                class_name=class_name)
        _check_parses(grammar_name, tests.code, apply_edits(tests.code, test_edits))
        tests = CodeTests(code=apply_edits(tests.code, test_edits))
    _check_parses(grammar_name, source, solution)
    signature = Signature(
        params=[Param(name=renaming.params.get(p.name, p.name), type=p.type)
                for p in problem.signature.params],
        returns=problem.signature.returns)
    return msgspec.structs.replace(
        problem, prompt=prompt, solution=solution, tests=tests, signature=signature,
        entry_point=renaming.entry_new or problem.entry_point)


def _class_of_entry(grammar_name: str, source: str, entry: str) -> str:
    """Java: the class declaring the entry method (its instances call it)."""
    if grammar_name != "java":
        return ""
    for fn in top_level_definitions(analyse(grammar_name, source), entry):
        parent = fn.parent
        while parent is not None and parent.type != "class_declaration":
            parent = parent.parent
        if parent is not None and parent.child_by_field_name("name") is not None:
            return _text(parent.child_by_field_name("name"))  # type: ignore[arg-type]
    return "Solution"


def _check_parses(grammar_name: str, before: str, after: str) -> None:
    if has_errors(parse(grammar_name, after)) and not has_errors(parse(grammar_name, before)):
        raise RenameError("the renamed code does not parse")


def _renamed_prompt(prompt: str, solution: str, edits: list[Edit], renaming: Renaming) -> str:
    """The prompt cut from the renamed solution when it is part of it, else renamed as
    prose."""
    at = solution.find(prompt) if prompt.strip() else -1
    if at < 0:
        return rename_prose(prompt, renaming.entry, renaming.params, renaming.entry_old)
    start = len(solution[:at].encode())
    end = start + len(prompt.encode())
    inside = []
    for e in edits:
        if e.start < end and e.end > start:
            if e.start < start or e.end > end:
                raise RenameError("an identifier straddles the end of the prompt")
            inside.append(Edit(e.start - start, e.end - start, e.new))
    return apply_edits(prompt, inside)


def problem_texts(problem: Problem) -> list[str]:
    """Every text of ``problem`` a rename may touch."""
    texts = [problem.prompt, problem.solution, problem.entry_point,
             *(p.name for p in problem.signature.params)]
    if isinstance(problem.tests, CodeTests):
        texts.append(problem.tests.code)
    return texts


def invert(problem: Problem, details: dict[str, Any]) -> Problem:
    """Undo a rename recorded in ``details``: every whole-word occurrence of a new name
    becomes the old one again (new names were fresh, so this is exact)."""
    back: dict[str, str] = {}
    entry = details.get("entry_point")
    if entry:
        back[entry["new"]] = entry["old"]
    back.update({new: old for old, new in details.get("params", {}).items()})
    if not back:
        return problem
    pattern = re.compile(r"(?<![\w$])(" + "|".join(map(re.escape, back)) + r")(?![\w$])")

    def sub(text: str) -> str:
        return pattern.sub(lambda m: back[m.group(1)], text)

    tests = problem.tests
    if isinstance(tests, CodeTests):
        tests = CodeTests(code=sub(tests.code))
    return msgspec.structs.replace(
        problem, prompt=sub(problem.prompt), solution=sub(problem.solution), tests=tests,
        entry_point=back.get(problem.entry_point, problem.entry_point),
        signature=Signature(params=[Param(name=back.get(p.name, p.name), type=p.type)
                                    for p in problem.signature.params],
                            returns=problem.signature.returns))


def entry_parameters(problem: Problem) -> list[str]:
    """The entry point's parameter names as the solution declares them."""
    grammar_name = GRAMMARS[problem.language]
    analysis = analyse(grammar_name, problem.solution)
    defs = top_level_definitions(analysis, problem.entry_point)
    if not defs:
        return []
    names = [b.name for b in analysis.bindings if b.owner == defs[-1].id]
    return list(dict.fromkeys(n for n in names if n not in ("self", "_")))


class Rename(Mutator):
    """Renames the entry point and/or its parameters consistently everywhere."""

    name: ClassVar[str] = "rename"
    version: ClassVar[str] = "1"
    summary: ClassVar[str] = ("Rename the entry point and its parameters consistently across"
                              " prompt, signature, solution and tests (scope-aware).")
    languages: ClassVar[frozenset[str] | None] = frozenset(GRAMMARS)
    Params: ClassVar[type[msgspec.Struct]] = RenameParams

    def mutate(self, problem: Problem, params: Any, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        reason = self.skip_reason(problem)
        if reason is None and not problem.entry_point:
            reason = "no entry point to rename (io problem)"
        if reason is None and not problem.solution.strip():
            reason = "no solution to carry the rename along"
        grammar_name = GRAMMARS.get(problem.language, "")
        if reason is None and not top_level_definitions(
                analyse(grammar_name, problem.solution), problem.entry_point):
            reason = f"the solution does not define {problem.entry_point!r}"
        if reason is not None:
            yield Skipped(reason)
            return
        blocked = unrenamable(grammar_name, problem.solution)
        if isinstance(problem.tests, CodeTests):
            blocked |= unrenamable(grammar_name, problem.tests.code)
        entry = problem.entry_point
        want_entry = params.what in ("entry", "both") and entry not in blocked
        param_names = [p for p in entry_parameters(problem) if p not in blocked and p != entry]
        if params.what == "entry":
            param_names = []
        if params.what == "params":
            want_entry = False
        if not want_entry and not param_names:
            yield Skipped(f"nothing to rename with what={params.what}")
            return
        taken = words_of(*problem_texts(problem))
        seen: set[tuple[str | None, tuple[tuple[str, str], ...]]] = set()
        made = 0
        for _ in range(params.count * 8):
            if made >= params.count:
                break
            renaming = self._draw(entry, param_names, want_entry, params.style, rng, taken,
                                  LANGUAGE_CASE.get(problem.language, "snake"))
            if renaming is None:
                continue
            key = (renaming.entry_new, tuple(sorted(renaming.params.items())))
            if key in seen:
                continue
            seen.add(key)
            try:
                variant = apply_renaming(problem, renaming)
            except (RenameError, ValueError):
                continue
            details: dict[str, Any] = {}
            if renaming.entry_new is not None:
                details["entry_point"] = {"old": entry, "new": renaming.entry_new}
            if renaming.params:
                details["params"] = dict(renaming.params)
            made += 1
            yield Variant(variant, label=_label(renaming), details=details)
        if made == 0:
            yield Skipped("no safe renaming found")

    @staticmethod
    def _draw(entry: str, param_names: list[str], want_entry: bool, style: str,
              rng: random.Random, taken: set[str], default_case: str) -> Renaming | None:
        """Fresh names for the entry point and parameters, or None after many tries."""
        used = set(taken)

        def pick(old: str, is_entry: bool) -> str | None:
            for attempt in range(12):
                name = propose_name(old, style, rng, entry=is_entry,
                                    default_case=default_case)
                if attempt >= 6:  # widen: one more word
                    name = join_words([name, rng.choice(NOUNS)],
                                      case_of(name, default_case))
                if fresh(name, used):
                    used.add(name)
                    return name
            return None

        new_entry = pick(entry, True) if want_entry else None
        if want_entry and new_entry is None:
            return None
        mapping = {}
        for p in param_names:
            new = pick(p, False)
            if new is None:
                return None
            mapping[p] = new
        return Renaming(entry, new_entry, mapping)


def _label(renaming: Renaming) -> str:
    parts = [f"{renaming.entry_old}->{renaming.entry_new}"] if renaming.entry_new else []
    parts += [f"{o}->{n}" for o, n in renaming.params.items()]
    return ",".join(parts)


@codeaug.hookimpl
def register_mutators(register: Any) -> None:
    """Make ``codeaug expand --mutator rename`` available."""
    register(Rename())
