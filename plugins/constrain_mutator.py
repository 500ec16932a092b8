"""The built-in ``constrain`` mutator: the same problem, with one more rule for the solution.

A variant adds a constraint string (``no-loops``, ``max-lines:14``, ``imports-only:math|re``
... the checkers are in :mod:`codeaug_plugins.constraints_builtin`) to ``constraints`` and
its sentence to the prompt, so ``codeaug verify`` enforces it statically as well as the
tests. Without ``constraint=``, it picks (with the rng) among the constraints the reference
already satisfies, so the reference stays a valid solution; a forced constraint the
reference breaks gives a variant without solution (a solver must propose one).

Where the sentence goes depends on the prompt's shape:

* a prompt that is code (HumanEval's ``def f(...):\\n    \"\"\"...\"\"\"``, HumanEval-X's
  ``/* ... */`` + header, Go's ``// ...`` lines): inside the entry point's docstring
  (Python) or the last comment block, before its first example (``>>>``, ``Example:``) or
  at its end, on a line of its own with the block's indentation and comment prefix; the
  same edit is made in the solution when it contains that docstring or comment. A code
  prompt without a comment gets a comment line on top.
* any other prompt (plain text): a paragraph appended at the end.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, ClassVar

import msgspec
import tree_sitter as ts
from codeaug_plugins.constraints_builtin import (
    BUILTIN,
    LANGUAGES,
    BuiltinConstraint,
    grammar_of,
    query,
)

import codeaug
from codeaug import syntax
from codeaug.constraints import Constraint, split
from codeaug.mutator import Mutator, Skipped, Variant
from codeaug.record import Problem

BY_NAME = {c.name: c for c in BUILTIN}


class ConstrainParams(msgspec.Struct, forbid_unknown_fields=True):
    count: Annotated[int, msgspec.Meta(
        ge=1, description="variants per problem, each with a different constraint")] = 3
    constraint: Annotated[str, msgspec.Meta(
        description="force this constraint (" + ", ".join(BY_NAME) + "); empty: pick among"
                    " those the reference satisfies")] = ""
    argument: Annotated[str, msgspec.Meta(
        description="the forced constraint's argument (max-lines: N; imports-only: a|b);"
                    " empty: derived from the reference")] = ""

    def __post_init__(self) -> None:
        if self.constraint and self.constraint not in BY_NAME:
            raise ValueError(f"unknown constraint {self.constraint!r} (known: "
                             f"{', '.join(BY_NAME)})")
        if self.argument and not self.constraint:
            raise ValueError("`argument` needs `constraint`")
        if self.argument and not BY_NAME[self.constraint].takes_argument:
            raise ValueError(f"`{self.constraint}` takes no argument")


@dataclass(frozen=True)
class Pick:
    """A constraint chosen for a problem, with its argument."""

    checker: BuiltinConstraint
    argument: str | None

    @property
    def text(self) -> str:
        return self.checker.name + (f":{self.argument}" if self.argument else "")


class ConstrainMutator(Mutator):
    name = "constrain"
    version = "1"
    summary = ("add a rule the solution must follow (no loops, no recursion, no library "
               "sort, imports from a whitelist, at most N lines...), checked by verify")
    languages = LANGUAGES
    Params: ClassVar[type[msgspec.Struct]] = ConstrainParams

    def mutate(self, problem: Problem, params: ConstrainParams, rng: random.Random
               ) -> Iterator[Variant | Skipped]:
        if not problem.solution.strip():
            yield Skipped("no reference solution to check a constraint against")
            return
        present = {split(c)[0] for c in problem.constraints}
        if params.constraint:
            checker = BY_NAME[params.constraint]
            if checker.name in present:
                yield Skipped(f"already constrained by `{checker.name}`")
                return
            argument = params.argument or None
            if checker.takes_argument and argument is None:
                argument = checker.propose(problem, rng) or None
            try:
                broken = checker.violations(problem.solution, argument, problem)
            except ValueError as exc:
                yield Skipped(f"constraint `{checker.name}`: {exc}", record=True)
                return
            variant = build_variant(problem, Pick(checker, argument), keep_solution=not broken)
            if variant is None:
                yield Skipped("could not add the constraint to the prompt")
            else:
                if broken:
                    variant.details["reference_dropped"] = broken[:3]
                yield variant
            return
        picks = satisfied(problem, rng, present)
        if not picks:
            yield Skipped("the reference satisfies none of the built-in constraints")
            return
        made = 0
        for pick in rng.sample(picks, len(picks)):
            variant = build_variant(problem, pick, keep_solution=True)
            if variant is not None:
                yield variant
                made += 1
                if made == params.count:
                    return
        if made == 0:
            yield Skipped("could not add a constraint to the prompt")


def satisfied(problem: Problem, rng: random.Random, present: set[str]) -> list[Pick]:
    """The built-in constraints (with arguments) that ``problem.solution`` satisfies and
    that ``problem`` does not already have, in :data:`BUILTIN` order."""
    out = []
    for checker in BUILTIN:
        if checker.name in present or not checker.applies(problem):
            continue
        argument = checker.propose(problem, rng) if checker.takes_argument else None
        if not checker.violations(problem.solution, argument or None, problem):
            out.append(Pick(checker, argument or None))
    return out


def build_variant(problem: Problem, pick: Pick, *, keep_solution: bool) -> Variant | None:
    """The problem with ``pick`` in its constraints and prompt; None when the sentence
    cannot be placed in the prompt without breaking it."""
    sentence = pick.checker.describe(pick.argument, problem.language)
    placed = add_sentence(problem.prompt, problem.language, problem.entry_point, sentence)
    if placed is None:
        return None
    prompt, old, new, where = placed
    solution = ""
    if keep_solution:
        solution = carry_solution(problem, prompt, old, new, pick)
    variant = msgspec.structs.replace(
        problem, prompt=prompt, solution=solution,
        constraints=[*problem.constraints, pick.text])
    return Variant(variant, label=pick.text,
                   details={"constraint": pick.text, "placement": where})


def carry_solution(problem: Problem, prompt: str, old: str, new: str, pick: Pick) -> str:
    """The reference with the prompt's edit made in it too (when it contains the edited
    prompt, or the edited docstring/comment exactly once) -- if the result still parses
    and satisfies the constraint; else the reference unchanged."""
    solution = problem.solution
    if problem.prompt and solution.startswith(problem.prompt):
        candidate = prompt + solution[len(problem.prompt):]
    elif old and solution.count(old) == 1:
        candidate = solution.replace(old, new)
    else:
        return solution
    grammar = grammar_of(problem.language)
    if syntax.has_errors(syntax.parse(grammar, candidate)) and not syntax.has_errors(
            syntax.parse(grammar, solution)):
        return solution
    if pick.checker.violations(candidate, pick.argument, problem):
        return solution
    return candidate


# ---------------------------------------------------------------------------- prompts

#: A docstring or comment line that starts the examples: the sentence goes before it.
EXAMPLE_LINE = re.compile(r"(?i)^(>>>|for example\b|examples?\s*\d*\s*:|examples?\s*$|e\.g\.)")
LINE_PREFIX = re.compile(r"^[ \t]*(?://+[ \t]?|\*(?!/)[ \t]?|#[ \t]?)?")
COMMENT_TYPES = {"comment", "line_comment", "block_comment"}


def add_sentence(prompt: str, language: str, entry_point: str, sentence: str
                 ) -> tuple[str, str, str, str] | None:
    """``(new prompt, old fragment, new fragment, where)``: the sentence inside the
    prompt's docstring/comment (``where`` is ``"docstring"`` or ``"comment"``; the
    fragments are that text before and after), or as a comment line on top of a code
    prompt (``"top comment"``), or appended to a text prompt (``"appended"``), both with
    fragments ``""``. None when no placement keeps the prompt intact."""
    grammar = grammar_of(language)
    root = syntax.parse(grammar, prompt).root_node
    target = (python_docstring(root, entry_point) if grammar == "python"
              else last_comment_block(root, prompt, grammar))
    if target is not None:
        start, end = target
        data = prompt.encode("utf-8")
        old = data[start:end].decode("utf-8")
        indent = line_indent(prompt, start)
        new = insert_into_block(old, sentence, indent, grammar)
        if new is not None:
            result = (data[:start] + new.encode("utf-8") + data[end:]).decode("utf-8")
            if inside_comment(result, grammar, sentence):
                return result, old, new, "docstring" if grammar == "python" else "comment"
        return None
    if looks_like_code(prompt, entry_point):
        marker = "#" if grammar == "python" else "//"
        result = f"{marker} {sentence}\n{prompt}"
        return ((result, "", "", "top comment") if inside_comment(result, grammar, sentence)
                else None)
    body = prompt.rstrip()
    tail = "\n" if prompt.endswith("\n") else ""
    return (f"{body}\n\n{sentence}{tail}" if body else f"{sentence}{tail}"), "", "", "appended"


def python_docstring(root: ts.Node, entry_point: str) -> tuple[int, int] | None:
    """Byte range of the docstring of function ``entry_point``, or None."""
    if not entry_point:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None and syntax.text(name) == entry_point and body is not None:
                first = body.named_children[0] if body.named_children else None
                if (first is not None and first.type == "expression_statement"
                        and first.named_children and first.named_children[0].type == "string"):
                    string = first.named_children[0]
                    return string.start_byte, string.end_byte
                return None
        stack.extend(reversed(node.children))
    return None


def last_comment_block(root: ts.Node, prompt: str, grammar: str
                       ) -> tuple[int, int] | None:
    """Byte range of the prompt's last comment that starts its line; consecutive ``//``
    lines before it make one block with it."""
    data = prompt.encode("utf-8")
    comments = [n for n in syntax.captures(query(grammar, "comments"), root).get("comment", [])
                if n.type in COMMENT_TYPES and starts_line(data, n.start_byte)]
    if not comments:
        return None
    last = comments[-1]
    start = last.start_byte
    if syntax.text(last).startswith("//"):
        row = last.start_point.row
        for node in reversed(comments[:-1]):
            if node.end_point.row == row - 1 and syntax.text(node).startswith("//"):
                start, row = node.start_byte, node.start_point.row
            else:
                break
    return start, last.end_byte


def starts_line(data: bytes, offset: int) -> bool:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return not data[line_start:offset].strip()


def line_indent(text: str, byte_offset: int) -> str:
    """The whitespace before ``byte_offset`` on its line."""
    data = text.encode("utf-8")
    line_start = data.rfind(b"\n", 0, byte_offset) + 1
    before = data[line_start:byte_offset].decode("utf-8")
    return before if not before.strip() else ""


def insert_into_block(block: str, sentence: str, indent: str, grammar: str) -> str | None:
    """The docstring or comment ``block`` with ``sentence`` added: before its first
    example line, else at its end; on a line of its own when the block has several."""
    closing = block_closing(block, grammar)
    if closing is None:
        return None
    if (closing and closing in sentence) or "\\" in sentence:
        return None
    lines = block.split("\n")
    if len(lines) == 1:
        if not closing:  # one // line: the sentence is the next // line
            prefix = LINE_PREFIX.match(block).group()  # type: ignore[union-attr]
            return f"{block}\n{indent}{prefix}{sentence}"
        cut = len(block.rstrip()) - len(closing)
        head = block[:cut].rstrip()
        return f"{head} {sentence}{' ' if closing == '*/' else ''}{block[cut:]}"
    last = len(lines) - 1
    body_range = range(1, last + 1) if not closing else range(1, last)
    at = next((i for i in body_range if EXAMPLE_LINE.match(content(lines[i]))), None)
    if at is not None:
        prefix = LINE_PREFIX.match(lines[at]).group()  # type: ignore[union-attr]
        lines.insert(at, prefix + sentence)
        return "\n".join(lines)
    if not closing:
        prefix = LINE_PREFIX.match(lines[last]).group()  # type: ignore[union-attr]
        return block + "\n" + prefix + sentence
    text_lines = [i for i in range(1, last) if content(lines[i])]
    model = lines[text_lines[-1]] if text_lines else lines[last]
    prefix = LINE_PREFIX.match(model).group()  # type: ignore[union-attr]
    if content(lines[last][: len(lines[last]) - len(closing)]):
        # text and the closing delimiter share the last line: split them
        cut = len(lines[last].rstrip()) - len(closing)
        lines[last] = (lines[last][:cut].rstrip() + "\n" + prefix + sentence
                       + (" " if closing == "*/" else "") + closing)
        return "\n".join(lines)
    lines.insert(last, prefix + sentence)
    return "\n".join(lines)


def block_closing(block: str, grammar: str) -> str | None:
    """The closing delimiter of a docstring/comment (``""`` for a ``//`` comment), or None
    when the block is not one this module knows how to extend."""
    stripped = block.rstrip()
    if grammar == "python":
        for quote in ('"""', "'''"):
            if stripped.endswith(quote) and len(stripped) >= 6 and quote in stripped[:-3]:
                return quote
        return None
    if stripped.startswith("/*") and stripped.endswith("*/"):
        return "*/"
    if stripped.startswith("//"):
        return ""
    return None


def content(line: str) -> str:
    """A docstring/comment line without its indentation and comment prefix."""
    return line[LINE_PREFIX.match(line).end():].strip()  # type: ignore[union-attr]


def inside_comment(prompt: str, grammar: str, sentence: str) -> bool:
    """Whether ``sentence`` in ``prompt`` parses as part of a comment or a string (so the
    prompt still reads as the same code)."""
    data = prompt.encode("utf-8")
    at = data.find(sentence.encode("utf-8"))
    if at < 0:
        return False
    root = syntax.parse(grammar, prompt).root_node
    node: ts.Node | None = root.descendant_for_byte_range(
        at, at + len(sentence.encode("utf-8")))
    while node is not None:
        if node.type in COMMENT_TYPES or node.type == "string":
            return True
        node = node.parent
    return False


def looks_like_code(prompt: str, entry_point: str) -> bool:
    """A prompt ending in a function header that names the entry point (``...{`` or
    ``...:``) is code; anything else is text."""
    lines = [line for line in prompt.splitlines() if line.strip()]
    if not lines:
        return False
    last = lines[-1].rstrip()
    return last.endswith(("{", ":")) and "(" in last and (not entry_point or entry_point in last)


@codeaug.hookimpl
def register_mutators(register):  # type: ignore[no-untyped-def]
    register(ConstrainMutator())


@codeaug.hookimpl
def register_constraints(register):  # type: ignore[no-untyped-def]
    checker: Constraint
    for checker in BUILTIN:
        register(checker)
