"""The ``humaneval-x`` format: HumanEval-X (THUDM/CodeGeeX) JSONL into problem records.

HumanEval-X has one file per language, ``humaneval_<lang>.jsonl[.gz]`` with ``lang`` one
of ``python``, ``cpp``, ``java``, ``js``, ``go``, ``rust``; each line holds ``task_id``
(``CPP/0``), ``prompt``, ``declaration``, ``canonical_solution``, ``test`` and
``example_test`` (Go also ``import``, ``docstring`` and ``test_setup``). ``read`` takes a
directory (every such file in it, in that language order) or one file (the language
comes from the file name, else from each task_id's prefix).

Every record keeps the original harness's judging as ``code`` tests. The strings are
the ones the language plugins expect (docs/dev/language-plugin-brief.md):

* python, cpp, java, js: ``solution = prompt + canonical_solution``, ``code = test``
  (the Python tests already end with ``check(entry_point)``).
* go: ``solution = "package main\\n\\n" + import + prompt-without-import +
  canonical_solution``; ``code`` = ``test_setup`` without its ``package`` line (its
  import block: ``testing``, testify's ``assert``, sometimes more) ``+ test``. The Go
  plugin hoists the code's imports into the solution's import block.
* rust: ``solution = "fn main(){}\\n" + declaration + canonical_solution``,
  ``code = test``.

``entry_point`` is the function the declaration opens (its last function), read per
language; when the test never calls it (Rust/10, whose canonical solution closes a
helper and then defines ``make_palindrome``; Rust/32, whose test is commented out), the
last function of declaration + canonical solution that the test calls, else the last one
defined. The signature comes from :mod:`codeaug.pysignature` for Python; for the other
languages the declaration's types map to neutral ones where the meaning is plain
(:func:`neutral_type`) and to ``any`` otherwise. ``meta.humaneval_x`` keeps the
declaration and the example test for translation (Rust's ``example_test`` is the string
``"None"`` upstream; it is stored as ``""``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import codeaug
from codeaug.errors import InputError, RecordError
from codeaug.formats import Format
from codeaug.pysignature import SignatureError, signature_from_python
from codeaug.record import CodeTests, Param, Problem, Signature, json_type_name, open_text_lines

#: File-name keys in reading order, with the record language each stands for.
LANGUAGES: dict[str, str] = {
    "python": "python", "cpp": "cpp", "java": "java", "js": "javascript", "go": "go",
    "rust": "rust",
}
#: task_id prefix -> file-name key.
PREFIXES: dict[str, str] = {
    "Python": "python", "CPP": "cpp", "Java": "java", "JavaScript": "js", "Go": "go",
    "Rust": "rust",
}
FIELDS = ("task_id", "prompt", "declaration", "canonical_solution", "test")
GO_FIELDS = ("import", "test_setup")
_FILE_NAME = re.compile(r"^humaneval_(?P<lang>[a-z]+)\.jsonl(?:\.gz)?$")


class HumanEvalXFormat(Format):
    """Reads HumanEval-X; one bad line is a :class:`RecordError`, not a stop."""

    name: ClassVar[str] = "humaneval-x"
    description: ClassVar[str] = (
        "HumanEval-X (python, cpp, java, js, go, rust): a directory of"
        " humaneval_<lang>.jsonl[.gz] files, or one of them"
    )

    def read(self, source: Path) -> Iterator[Problem | RecordError]:
        """Yield one record per non-blank line; an unreadable source raises ``InputError``."""
        source = Path(source)
        if source.is_dir():
            for lang, path in _language_files(source):
                yield from _read_file(path, lang)
        else:
            yield from _read_file(source, _language_of_name(source.name))


def _language_files(folder: Path) -> list[tuple[str, Path]]:
    files = []
    for lang in LANGUAGES:
        found = [p for p in (folder / f"humaneval_{lang}.jsonl",
                             folder / f"humaneval_{lang}.jsonl.gz") if p.is_file()]
        if len(found) > 1:
            raise InputError(f"{folder}: both {found[0].name} and {found[1].name} exist;"
                             " keep one")
        files += [(lang, p) for p in found]
    if not files:
        raise InputError(f"{folder}: no humaneval_<lang>.jsonl[.gz] file"
                         f" (lang: {', '.join(LANGUAGES)})")
    return files


def _language_of_name(name: str) -> str | None:
    match = _FILE_NAME.match(name)
    if match is None:
        return None
    lang = match.group("lang")
    lang = "js" if lang == "javascript" else lang
    return lang if lang in LANGUAGES else None


def _read_file(source: Path, lang: str | None) -> Iterator[Problem | RecordError]:
    path = str(source)
    seen: dict[str, int] = {}
    for number, raw in open_text_lines(source):
        if not raw.strip():
            continue
        try:
            problem = _convert(raw, lang, source.name, path, number)
        except RecordError as err:
            yield err
            continue
        first = seen.setdefault(problem.id, number)
        if first != number:
            yield RecordError(path, number, "task_id",
                              f"duplicate task_id {problem.id!r} (first at line {first})")
            continue
        yield problem


def _convert(raw: bytes, file_lang: str | None, file_name: str, path: str,
             line: int) -> Problem:
    def error(field: str | None, message: str) -> RecordError:
        return RecordError(path, line, field, message)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(None, f"invalid UTF-8 at byte {exc.start}") from None
    try:
        item: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(None, f"invalid JSON: {exc}") from None
    if not isinstance(item, dict):
        raise error(None, f"expected a JSON object, got {type(item).__name__}")
    v = {field: _string(item, field, error) for field in FIELDS}
    task_id = v["task_id"]
    if not task_id.strip():
        raise error("task_id", "must not be empty")
    prefix = task_id.split("/", 1)[0]
    id_lang = PREFIXES.get(prefix)
    lang = file_lang or id_lang
    if lang is None:
        raise error("task_id", f"cannot tell the language: prefix {prefix!r} is not one of"
                               f" {', '.join(PREFIXES)} and the file name is not"
                               " humaneval_<lang>.jsonl[.gz]")
    if id_lang is not None and id_lang != lang:
        raise error("task_id", f"a {prefix} task in a {lang} file")
    example = item.get("example_test", "")
    if example is None or example == "None":
        example = ""
    if not isinstance(example, str):
        raise error("example_test", f"expected a string, got {json_type_name(example)}")
    if lang == "go":
        v.update({field: _string(item, field, error) for field in GO_FIELDS})
    solution, code = assemble(lang, v, error)
    entry, signature = _entry_and_signature(lang, v, error)
    try:
        return Problem(
            id=task_id,
            language=LANGUAGES[lang],
            prompt=v["prompt"],
            tests=CodeTests(code=code),
            entry_point=entry,
            signature=signature,
            solution=solution,
            constraints=[],
            meta={"source": {"format": "humaneval-x", "file": file_name, "line": line,
                             "task_id": task_id, "language": LANGUAGES[lang]},
                  # The same task in every language: `codeaug import --merge` groups on it.
                  "task": f"HumanEval/{task_id.split('/', 1)[-1]}",
                  "humaneval_x": {"declaration": v["declaration"], "example_test": example}},
        )
    except ValueError as exc:  # Problem.__post_init__ validation
        raise error(None, str(exc)) from None


def _string(item: dict[str, Any], field: str,
            error: Callable[[str | None, str], RecordError]) -> str:
    if field not in item:
        raise error(field, "missing required field")
    value = item[field]
    if not isinstance(value, str):
        raise error(field, f"expected a string, got {json_type_name(value)}")
    return value


_PACKAGE_LINE = re.compile(r"^[ \t]*package[ \t]+\w+[ \t]*(?:\n|$)", re.MULTILINE)


def assemble(lang: str, v: dict[str, str],
             error: Callable[[str | None, str], RecordError]) -> tuple[str, str]:
    """``(solution, tests.code)`` for one raw item of language ``lang`` (a file-name key)."""
    prompt, canonical, test = v["prompt"], v["canonical_solution"], v["test"]
    if lang == "rust":
        return "fn main(){}\n" + v["declaration"] + canonical, test
    if lang != "go":
        return prompt + canonical, test
    imports = v["import"]
    body = prompt.replace(imports, "", 1) if imports else prompt
    if imports and not imports.endswith("\n") and not body.startswith("\n"):
        imports += "\n"
    setup = v["test_setup"]
    package = _PACKAGE_LINE.search(setup)
    if package is None or setup[: package.start()].strip():
        raise error("test_setup", "does not start with a `package` line")
    test_imports = setup[package.end():].lstrip("\n")
    if not test_imports.lstrip().startswith("import"):
        raise error("test_setup", "has no import block after its `package` line")
    if not test_imports.endswith("\n"):
        test_imports += "\n"
    return "package main\n\n" + imports + body + canonical, test_imports + test


# ------------------------------------------------------------------ entry points


@dataclass(frozen=True)
class _Def:
    name: str
    params: str  # the text between the parentheses
    returns: str  # the return type as written ("" when the language has none)


_CPP_DEF = re.compile(
    r"^[ \t]*(?P<ret>[A-Za-z_][\w:<>,\s\*&]*?)[ \t\*&]+(?P<name>[A-Za-z_]\w*)[ \t]*"
    r"\((?P<params>[^()]*)\)[ \t]*(?:const[ \t]*)?\{", re.MULTILINE)
_JAVA_DEF = re.compile(
    r"^[ \t]*(?:(?:public|private|protected|static|final|synchronized)[ \t]+)*"
    r"(?:<[^>]*>[ \t]+)?(?P<ret>[A-Za-z_][\w<>\[\],.? \t]*?)[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*"
    r"\((?P<params>[^()]*)\)[ \t]*(?:throws[ \t]+[\w., \t]+)?\{", re.MULTILINE)
_JS_DEF = re.compile(
    r"\b(?:(?:const|let|var)[ \t]+(?P<name>[A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:async[ \t]*)?"
    r"(?:function[ \t]*)?\((?P<params>[^()]*)\)"
    r"|function[ \t]+(?P<fname>[A-Za-z_$][\w$]*)[ \t]*\((?P<fparams>[^()]*)\))")
_GO_DEF = re.compile(
    r"^func[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*\((?P<params>[^()]*)\)(?P<ret>[^\n]*)\{[ \t]*$",
    re.MULTILINE)
_RUST_DEF = re.compile(
    r"\bfn[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*(?:<[^>]*>)?[ \t]*"
    r"\((?P<params>[^()]*(?:\([^()]*\)[^()]*)*)\)[ \t]*(?:->(?P<ret>[^{;]*))?\{")
_PY_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*\(", re.MULTILINE)
_KEYWORDS = frozenset({"if", "for", "while", "switch", "return", "catch", "else", "new",
                       "sizeof", "do"})
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)


def find_defs(lang: str, source: str) -> list[_Def]:
    """The function definitions in ``source`` of language ``lang``, in source order."""
    defs: list[_Def] = []
    if lang == "python":
        return [_Def(m.group("name"), "", "") for m in _PY_DEF.finditer(source)]
    if lang == "js":
        for m in _JS_DEF.finditer(source):
            name = m.group("name") or m.group("fname")
            params = m.group("params") if m.group("name") else m.group("fparams")
            defs.append(_Def(name, params, ""))
        return defs
    pattern = {"cpp": _CPP_DEF, "java": _JAVA_DEF, "go": _GO_DEF, "rust": _RUST_DEF}[lang]
    for m in pattern.finditer(source):
        if m.group("name") in _KEYWORDS:
            continue
        ret = (m.group("ret") or "").strip()
        if lang in ("cpp", "java"):
            ret = re.sub(r"^(?:(?:static|inline|virtual|public|private|protected|final)\s+)+",
                         "", ret)
            if not ret or ret.split()[-1] in _KEYWORDS or ret in ("else", "return"):
                continue
        defs.append(_Def(m.group("name"), m.group("params"), ret))
    return defs


def _called(name: str, test: str) -> bool:
    return re.search(rf"(?<![\w$]){re.escape(name)}[ \t]*\(", test) is not None


def _entry_and_signature(lang: str, v: dict[str, str],
                         error: Callable[[str | None, str], RecordError]
                         ) -> tuple[str, Signature]:
    declared = find_defs(lang, v["declaration"])
    if not declared:
        raise error("declaration", "declares no function")
    if lang == "python":
        entry = declared[-1].name
        try:
            return entry, signature_from_python(v["prompt"], entry)
        except SignatureError as exc:
            raise error("prompt", str(exc)) from None
    test = _COMMENTS.sub("", v["test"])
    chosen = declared[-1]
    if not _called(chosen.name, test):
        defined = declared + find_defs(lang, v["canonical_solution"])
        called = [d for d in defined if _called(d.name, test)]
        chosen = called[-1] if called else defined[-1]
    return chosen.name, _signature(lang, chosen)


# ------------------------------------------------------------------ signatures


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split at ``sep`` outside <>, (), [] and {}."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


_TRAILING_NAME = re.compile(r"^(?P<type>.*?[^\w\s]?)\s*(?P<name>[A-Za-z_$][\w$]*)$", re.DOTALL)


def _signature(lang: str, d: _Def) -> Signature:
    params: list[Param] = []
    if lang == "go":
        params = _go_params(d.params)
    else:
        for part in _split_top(d.params):
            part = part.split("=", 1)[0].strip()  # a default value (JS, C++)
            if lang == "js":
                name, type_ = part.lstrip("."), "any"
            elif lang == "rust":
                name, _, written = part.partition(":")
                name = re.sub(r"^\s*mut\s+", "", name).strip()
                type_ = neutral_type("rust", written)
            else:
                m = _TRAILING_NAME.match(part)
                if m is None or not m.group("type").strip():
                    name, type_ = part, "any"
                else:
                    name, type_ = m.group("name"), neutral_type(lang, m.group("type"))
            params.append(Param(name=name, type=type_))
    returns = "any" if lang == "js" else neutral_type(lang, d.returns, returning=True)
    return Signature(params=params, returns=returns)


def _go_params(text: str) -> list[Param]:
    """Go groups names before a shared type: ``x, y int, s string``."""
    out: list[Param] = []
    pending: list[str] = []
    for part in _split_top(text):
        name, _, written = part.partition(" ")
        if written.strip():
            type_ = neutral_type("go", written)
            out += [Param(name=n, type=type_) for n in pending]
            out.append(Param(name=name, type=type_))
            pending = []
        else:
            pending.append(name)
    out += [Param(name=n, type="any") for n in pending]
    return out


_SCALARS: dict[str, dict[str, str]] = {
    "cpp": {"int": "int", "long": "int", "long long": "int", "long int": "int",
            "long long int": "int", "float": "float", "double": "float", "string": "str",
            "std::string": "str", "bool": "bool", "void": "none"},
    "java": {"int": "int", "long": "int", "Integer": "int", "Long": "int",
             "float": "float", "double": "float", "Float": "float", "Double": "float",
             "String": "str", "boolean": "bool", "Boolean": "bool", "void": "none"},
    "go": {"int": "int", "int64": "int", "float64": "float", "float32": "float",
           "string": "str", "bool": "bool"},
    "rust": {"i32": "int", "i64": "int", "isize": "int", "f32": "float", "f64": "float",
             "String": "str", "str": "str", "bool": "bool", "()": "none"},
}
_LISTS = {"cpp": ("vector", "std::vector"), "java": ("List", "ArrayList"),
          "rust": ("Vec",), "go": ()}
_OPTIONALS = {"java": ("Optional",), "rust": ("Option",), "cpp": (), "go": ()}
_GENERIC = re.compile(r"^(?P<origin>[\w:]+)\s*<(?P<args>.*)>$", re.DOTALL)


def neutral_type(lang: str, written: str, *, returning: bool = False) -> str:
    """The neutral type of a type as written in ``lang`` (``cpp``, ``java``, ``go``,
    ``rust``); ``any`` when the meaning is not plain.

    Maps integers (C++ ``int``/``long long``, Java ``int``/``long``/``Integer``, Go
    ``int``/``int64``, Rust ``i32``/``i64``) to ``int``; floating point to ``float``;
    strings (``string``, ``String``, ``&str``) to ``str``; booleans to ``bool``; growable
    sequences (``vector<T>``, ``List<T>``, ``[]T``, ``Vec<T>``) to ``list[T]``; Java
    ``Optional<T>``/Rust ``Option<T>`` to ``optional[T]``; Rust tuples to ``tuple[...]``.
    Unsigned and narrow integers, characters, maps, fixed-size arrays, ``Object``,
    ``interface{}``, ``boost::any`` and the like stay ``any``. ``returning`` maps an
    empty Go/Rust return type (no result) to ``none``.
    """
    text = " ".join(written.split())
    if lang == "cpp":
        text = re.sub(r"\bconst\b", "", text).replace("&", "").strip()
    elif lang == "rust":
        text = re.sub(r"^&\s*(?:'\w+\s*)?(?:mut\s+)?", "", text).strip()
    elif lang == "java":
        text = re.sub(r"\bfinal\b", "", text).strip()
    if not text:
        return "none" if returning and lang in ("go", "rust") else "any"
    scalar = _SCALARS[lang].get(text)
    if scalar is not None:
        return scalar
    if lang == "go":
        if text.startswith("[]"):
            return f"list[{neutral_type(lang, text[2:])}]"
        return "any"
    if lang == "rust" and text.startswith("(") and text.endswith(")"):
        items = _split_top(text[1:-1])
        if not items:
            return "none"
        return f"tuple[{','.join(neutral_type(lang, i) for i in items)}]"
    if lang == "java" and text.endswith("[]"):
        return f"list[{neutral_type(lang, text[:-2])}]"
    generic = _GENERIC.match(text)
    if generic is None:
        return "any"
    origin, args = generic.group("origin"), _split_top(generic.group("args"))
    if len(args) != 1:
        return "any"
    if origin in _LISTS[lang]:
        return f"list[{neutral_type(lang, args[0])}]"
    if origin in _OPTIONALS[lang]:
        inner = neutral_type(lang, args[0])
        return "any" if inner == "any" else f"optional[{inner}]"
    return "any"


@codeaug.hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    """Make ``codeaug import humaneval-x`` available."""
    register(HumanEvalXFormat())
