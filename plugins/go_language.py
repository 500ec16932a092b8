"""Go (1.19, Debian bookworm's ``golang-go``): runs candidates in the ``go`` sandbox image.

One compile per candidate (step ``compile``), then one run for ``calls`` and ``code``
tests, one run per case for ``io`` tests.

- ``code`` tests (HumanEval-X): the record's ``solution`` is ``package main``, its
  import block and the functions; ``tests.code`` is an import block (``testing``,
  testify's ``assert``, sometimes more) and ``func TestX(t *testing.T)`` functions.
  :func:`assemble_test_file` makes ONE ``main_test.go`` of them: the code's import specs
  are hoisted into the solution's import declaration (deduplicated, since Go rejects a
  package imported twice), then the solution's body, then the test functions. As the
  original harness does (it drops the prompt's imports and re-adds the packages of its
  list that the program uses), an import of the solution that nothing uses is dropped,
  and a package of that list (:data:`HUMANEVAL_X_IMPORTS`) used without an import is
  added: HumanEval-X Go/17, 20, 27, 59 and 75 need it. Anything else the compiler
  rejects is a ``compile_error``.
  It then runs as ``go test`` would run it: a generated test main
  (``templates/go/testmain.go``) lists the ``Test*`` functions, and the test binary runs
  with ``-test.paniconexit0`` (``os.Exit(0)`` inside a test is a failure, as under
  ``go test``). ``go vet``, which ``go test`` also runs, is not run (it is a lint, not
  part of the language; it would cost seconds per job). A failing testify assertion (or
  ``t.Error``) is ``failed``, naming the test and its source line (the assertion's
  location as testify's ``Error Trace`` gives it); a panic is ``error``.
- ``calls`` tests: ``solution.go`` (the candidate; ``package main`` is added when it has
  no package clause, and a ``func main()`` of its own is renamed so the harness can have
  one) + ``codeaug_harness.go`` (templates/go/: a reflection-based JSON printer) +
  ``codeaug_main.go``: one call per case with the arguments as Go literals of the
  signature's types; a panic is that case's ``raised`` report. Expected values never
  enter the job.
- ``io`` tests: the solution is compiled as the program (``package main`` added when it
  has none) and run once per case.

Types: ``int`` -> ``int`` (64-bit), ``float`` -> ``float64``, ``str`` -> ``string``
(UTF-8), ``bool`` -> ``bool``, ``list[T]`` -> ``[]T``, ``set[T]`` -> ``map[T]struct{}`` (the
Go idiom for a set; T must be comparable with value semantics: a scalar or a tuple of
such), ``dict[K,V]`` -> ``map[K]V`` (K is ``str`` or ``int``), ``tuple[A,B]`` -> the
anonymous struct ``struct{ F0 A; F1 B }`` (Go has no tuples; unnamed struct types with
the same fields are identical, so a signature, a literal and the candidate can all spell
it without a shared declaration; multiple return values are not a tuple), and
``optional[T]`` -> ``*T`` (``nil`` for null). ``none`` (a function without results) is
accepted as the return type of a ``calls`` entry point only; ``any`` is not expressible.
The harness prints a nil slice as ``[]`` and a nil map as ``{}`` (``[]`` for a set).

Memory: a run step's ``address_space`` means heap for Go (:func:`run_limits` adds the
~0.7 GiB the runtime reserves and never backs), so a runaway allocation stops with
"fatal error: out of memory" (``memory_limit``) instead of thrashing the container's
memory cgroup until the wall clock runs out; ``address_space=0`` leaves only the cgroup.
Compile steps have no address-space limit.

Speed: ``go test``/``go build`` need a writable build cache, and the job's work dir
starts empty each time (the root file system is read-only, and Go refuses a read-only
GOCACHE). Measured on 2 idle cores, one testify test: cold ``go test -c`` 23 s; copying a
warm cache (49 MB) into the job 0.13-0.24 s, then ``go test -c`` still 0.9-1.1 s. Instead
the image precompiles the whole standard library, testify's ``assert``/``require`` and
their dependencies into plain archives with one ``importcfg`` (``sandbox/go/setup.sh``),
and the compile step runs ``compile`` and ``link`` (the go command's own back ends)
directly: ~35 ms compile + ~120 ms link (``-s -w``, archives without DWARF); a
HumanEval-X job's compile step takes 181 ms (median), its run 5 ms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib.resources import files
from string import Template
from typing import Any

import msgspec

import codeaug
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits, Step, StepResult
from codeaug.images import ImageSpec
from codeaug.judging import COMPILE_STEP, judge_job, last_line
from codeaug.language import Language
from codeaug.record import CallsTests, CodeTests, IoTests, Problem, shown
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status, Verdict

_TEMPLATES = files("codeaug_plugins").joinpath("templates/go")
HARNESS = _TEMPLATES.joinpath("codeaug_harness.go").read_text()
TESTMAIN = Template(_TEMPLATES.joinpath("testmain.go").read_text())

#: What sandbox/go/setup.sh installs in the image.
GO_DIR = "/opt/codeaug/go"
COMPILE = f"{GO_DIR}/tool/compile"
LINK = f"{GO_DIR}/tool/link"
IMPORTCFG = f"{GO_DIR}/importcfg"
#: The import path main_test.go is compiled as, so the test main can import it.
TEST_PACKAGE = "codeaug/job"
TEST_FILE = "main_test.go"

#: Compile and link: more time than a run (the linker reads the standard library's
#: archives), no address-space rlimit (Go reserves large address ranges; the
#: container's memory cgroup caps it).
COMPILE_LIMITS = Limits(wall_seconds=60, cpu_seconds=60, address_space=0,
                        output_bytes=1 << 20, file_bytes=256 << 20, open_files=256)
#: Address space the Go runtime reserves up front and never backs (page summaries,
#: arena index: about 0.7 GiB on amd64). A Go program under an ``RLIMIT_AS`` of N bytes
#: only gets N minus this for its heap, so run steps get the caller's limit plus this.
GO_RESERVED_ADDRESS_SPACE = 768 << 20
#: Go threads: the container has about one CPU; two Ps let the GC run beside the job.
GO_ENV = {"GOMAXPROCS": "2"}

#: What the Go runtime says when the heap cannot grow (the cgroup usually kills first).
OUT_OF_MEMORY = ("fatal error: runtime: out of memory", "fatal error: out of memory",
                 "runtime: out of memory")


def compile_limits(limits: Limits) -> Limits:
    """The compile step's limits: at least :data:`COMPILE_LIMITS`' time, never less
    than the run's."""
    return msgspec.structs.replace(
        COMPILE_LIMITS,
        wall_seconds=max(COMPILE_LIMITS.wall_seconds, limits.wall_seconds),
        cpu_seconds=max(COMPILE_LIMITS.cpu_seconds, limits.cpu_seconds),
    )


def run_limits(limits: Limits) -> Limits:
    """A run step's limits: ``address_space`` is heap the program may use (0: no
    rlimit, the container's memory cgroup alone caps it)."""
    if not limits.address_space:
        return limits
    return msgspec.structs.replace(
        limits, address_space=limits.address_space + GO_RESERVED_ADDRESS_SPACE)


def _program_script(sources: list[str]) -> str:
    """Compile ``sources`` as package main and link ``./main``."""
    return (f"{COMPILE} -p main -complete -importcfg {IMPORTCFG} -pack -o main.a "
            f"{' '.join(sources)} && {LINK} -s -w -importcfg {IMPORTCFG} -o main main.a")


#: Compile main_test.go as an importable package, the generated test main beside it,
#: and link the test binary (the importcfg adds the job's own package).
TEST_SCRIPT = (
    f'{{ cat {IMPORTCFG} && echo "packagefile {TEST_PACKAGE}=job.a"; }} > importcfg'
    f" && {COMPILE} -p {TEST_PACKAGE} -complete -importcfg importcfg -pack -o job.a {TEST_FILE}"
    f" && {COMPILE} -p main -complete -importcfg importcfg -pack -o testmain.a testmain.go"
    f" && {LINK} -s -w -importcfg importcfg -o main.test testmain.a"
)


class Go(Language):
    name = "go"
    aliases = ("golang",)
    extension = ".go"
    image = ImageSpec("go")
    version = "1"
    tree_sitter = "go"
    #: ``address_space`` is what the program's heap may use (see :func:`run_limits`):
    #: without a rlimit, a Go heap growing into the container's memory cgroup thrashes
    #: for many seconds before the kernel's OOM killer acts (measured: > 20 s), so a
    #: runaway allocation would be a ``timeout``; with it the runtime stops at once with
    #: "fatal error: out of memory" (``memory_limit``).
    default_limits = Limits(wall_seconds=10, cpu_seconds=10, address_space=1 << 30)

    # ------------------------------------------------------------------ rendering

    def render_type(self, t: TypeExpr) -> str:
        name = t.name
        if name in _SCALARS:
            return _SCALARS[name]
        if name == "none":
            raise UnsupportedTypeError(self.name, str(t),
                                       "none is only the result of a function without results")
        if name == "any":
            raise UnsupportedTypeError(self.name, str(t), "Go has no dynamically typed value")
        if name == "list":
            return "[]" + self.render_type(t.args[0])
        if name == "optional":
            return "*" + self.render_type(t.args[0])
        if name == "set":
            if not _comparable(t.args[0]):
                raise UnsupportedTypeError(
                    self.name, str(t), "set elements must be scalars or tuples of scalars")
            return f"map[{self.render_type(t.args[0])}]struct{{}}"
        if name == "dict":
            if t.args[0].name not in ("str", "int"):
                raise UnsupportedTypeError(self.name, str(t), "dict keys are str or int")
            return f"map[{self.render_type(t.args[0])}]{self.render_type(t.args[1])}"
        if name == "tuple":
            fields = "; ".join(f"F{i} {self.render_type(a)}" for i, a in enumerate(t.args))
            return f"struct{{ {fields} }}"
        raise UnsupportedTypeError(self.name, str(t), "unknown type")

    def render_value(self, value: Any, t: TypeExpr) -> str:
        rendered = self.render_type(t)  # raises for what Go cannot express
        name = t.name
        if name == "optional":
            if value is None:
                return f"({rendered})(nil)"
            inner = self.render_value(value, t.args[0])
            if t.args[0].name in ("list", "set", "dict", "tuple"):
                return "&" + inner  # the address of a composite literal
            return f"func() {rendered} {{ var v {rendered[1:]} = {inner}; return &v }}()"
        if value is None:
            raise UnsupportedTypeError(self.name, str(t), "null is only a value of optional")
        if name == "int":
            return go_int(value, t)
        if name == "float":
            return go_float(value, t)
        if name == "bool":
            if not isinstance(value, bool):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a bool")
            return "true" if value else "false"
        if name == "str":
            if not isinstance(value, str):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a str")
            return go_string(value, t)
        if name == "list":
            _check_array(value, t)
            items = ", ".join(self.render_value(v, t.args[0]) for v in value)
            return f"{rendered}{{{items}}}"
        if name == "set":
            _check_array(value, t)
            seen: list[Any] = []
            keys = []
            for v in value:
                key = _hashable(v)
                if key in seen:
                    continue  # a set holds each element once; a map literal must too
                seen.append(key)
                keys.append(f"{self.render_value(v, t.args[0])}: {{}}")
            return f"{rendered}{{{', '.join(keys)}}}"
        if name == "dict":
            if not isinstance(value, dict):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            key_t, item_t = t.args
            pairs = []
            used: set[Any] = set()
            for k, v in value.items():
                key = _key(k, key_t, t)
                if key in used:
                    raise UnsupportedTypeError(self.name, str(t), f"key {shown(k)} repeats a key")
                used.add(key)
                pairs.append(f"{self.render_value(key, key_t)}: {self.render_value(v, item_t)}")
            return f"{rendered}{{{', '.join(pairs)}}}"
        if name == "tuple":
            if not isinstance(value, list | tuple) or len(value) != len(t.args):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            items = ", ".join(self.render_value(v, a) for v, a in zip(value, t.args, strict=True))
            return f"{rendered}{{{items}}}"
        raise UnsupportedTypeError(self.name, str(t), "no values of this type")

    # ------------------------------------------------------------------------ jobs

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        compile_at = compile_limits(limits)
        limits = run_limits(limits)
        if isinstance(tests, CodeTests):
            source = assemble_test_file(problem.solution, tests.code)
            files_ = {TEST_FILE: source, "testmain.go": go_test_main(source)}
            script, argv = TEST_SCRIPT, ["./main.test", "-test.paniconexit0"]
            runs = [Step("test", argv, env=GO_ENV, limits=limits)]
        elif isinstance(tests, CallsTests):
            files_ = {"solution.go": calls_solution(
                problem.solution, humaneval_x="native_params" in problem.meta),
                      "codeaug_harness.go": HARNESS,
                      "codeaug_main.go": self.calls_main(problem)}
            script = _program_script(["solution.go", "codeaug_harness.go", "codeaug_main.go"])
            runs = [Step("calls", ["./main"], env=GO_ENV, limits=limits)]
        else:
            assert isinstance(tests, IoTests)
            files_ = {"main.go": with_package(problem.solution)}
            script = _program_script(["main.go"])
            runs = [Step(f"case {i}", ["./main"], stdin=case.stdin, env=GO_ENV,
                         stop_job_on_failure=True, limits=limits)
                    for i, case in enumerate(tests.cases)]
        compile_ = Step(COMPILE_STEP, ["sh", "-c", script], env=GO_ENV,
                        stop_job_on_failure=True, limits=compile_at)
        return Job(job_id, files_, [compile_, *runs])

    def calls_main(self, problem: Problem) -> str:
        """``codeaug_main.go``: ``main`` calls the entry point once per case."""
        tests = problem.tests
        assert isinstance(tests, CallsTests)
        types = [parse_type(p.type) for p in problem.signature.params]
        returns = parse_type(problem.signature.returns)
        if returns.name != "none":
            self.render_type(returns)  # raises if inexpressible
        lines = ["// Generated by codeaug: one call of the entry point per case.",
                 "package main", "", "func main() {"]
        for index, case in enumerate(tests.cases):
            if len(case.args) != len(types):
                raise UnsupportedTypeError(
                    self.name, problem.signature.returns,
                    f"case {index} has {len(case.args)} arguments for {len(types)} parameters")
            native = problem.meta.get("native_params")
            if isinstance(native, list) and len(native) == len(types):
                args = ", ".join(self.native_value(v, t, str(n))
                                 for v, t, n in zip(case.args, types, native, strict=True))
            else:
                args = ", ".join(self.render_value(v, t)
                                 for v, t in zip(case.args, types, strict=True))
            call = f"{problem.entry_point}({args})"
            body = f"{call}; return nil" if returns.name == "none" else f"return {call}"
            lines.append(f"\tcodeaugRun({index}, func() interface{{}} {{ {body} }})")
        lines += ["\tcodeaugDone()", "}", ""]
        return "\n".join(lines)

    def native_value(self, value: Any, t: TypeExpr, native: str) -> str:
        """``value`` as a literal of the Go type a translated problem's declaration spells
        (``meta.native_params``): the neutral literal, its type replaced where the
        declaration differs only there (``[2]int{1, 2}`` for a ``[]int``)."""
        native = native.strip()
        if (t.name == "tuple" and len(set(t.args)) == 1 and native.startswith("[")
                and isinstance(value, list)):  # HumanEval-X: a pair as [2]int
            t = TypeExpr("list", (t.args[0],))
        rendered = self.render_value(value, t)
        spelled = self.render_type(t)
        if native == spelled:
            return rendered
        if t.name == "int" and native in ("float64", "float32"):
            return f"{native}({go_float(value, TypeExpr('float'))})"
        if (t.name == "list" and re.fullmatch(r"\[\d+\]" + re.escape(spelled[2:]), native)
                and rendered.startswith(spelled + "{")):
            if isinstance(value, list) and f"[{len(value)}]" != native[:native.index("]") + 1]:
                raise UnsupportedTypeError(self.name, str(t),
                                           f"{len(value)} items for a {native}")
            return native + rendered[len(spelled):]
        raise UnsupportedTypeError(self.name, str(t), f"no literal of the declared type {native}")

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        def out_of_memory(step: StepResult) -> bool:
            return any(mark in step.stderr for mark in OUT_OF_MEMORY)

        return judge_job(problem, result, out_of_memory=out_of_memory,
                         code_verdict=lambda step: code_verdict(step, problem))


_SCALARS = {"int": "int", "float": "float64", "str": "string", "bool": "bool"}


def _comparable(t: TypeExpr) -> bool:
    """Types whose Go rendering compares by value (usable as a map key)."""
    if t.name in _SCALARS:
        return True
    return t.name == "tuple" and all(_comparable(a) for a in t.args)


def _check_array(value: Any, t: TypeExpr) -> None:
    if not isinstance(value, list | tuple):
        raise UnsupportedTypeError("go", str(t), f"{shown(value)} is not a {t}")


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, float) and value == 0:
        return 0.0  # -0.0 and 0.0 are one map key in Go
    return value


def _key(text: Any, key_t: TypeExpr, t: TypeExpr) -> Any:
    """A JSON object key as a value of the key type (``int`` keys come as strings)."""
    if key_t.name == "int":
        if isinstance(text, int) and not isinstance(text, bool):
            return text
        try:
            return int(str(text))
        except ValueError:
            raise UnsupportedTypeError("go", str(t), f"key {shown(text)} is not an int") from None
    return text


def go_int(value: Any, t: TypeExpr) -> str:
    """An ``int`` (64-bit) literal."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnsupportedTypeError("go", str(t), f"{shown(value)} is not an int")
    if not -(2**63) <= value < 2**63:
        raise UnsupportedTypeError("go", str(t), f"{shown(value)} does not fit in 64 bits")
    return str(value)


def go_float(value: Any, t: TypeExpr) -> str:
    """A ``float64`` expression that is exactly ``value``.

    Go constants are exact and have no negative zero, so -0.0, NaN and the infinities
    are computed at run time from a variable zero (no import needed); every other value
    is its shortest round-trip decimal, which Go rounds to exactly that double.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnsupportedTypeError("go", str(t), f"{shown(value)} is not a float")
    try:
        number = float(value)
    except OverflowError:
        raise UnsupportedTypeError("go", str(t), f"{shown(value)} overflows a float64") from None
    if math.isnan(number):
        return "func() float64 { var z float64; return z / z }()"
    if math.isinf(number):
        sign = "-" if number < 0 else ""
        return f"func() float64 {{ var z float64; return {sign}1 / z }}()"
    if number == 0 and math.copysign(1.0, number) < 0:
        return "func() float64 { var z float64; return -z }()"
    text = repr(number)  # 0.1, 1e+308, 5e-324, 2.0
    return text


_GO_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r",
               "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def go_string(text: str, t: TypeExpr | None = None) -> str:
    """A Go interpreted string literal of ``text`` (its UTF-8 bytes).

    Quotes, backslashes and control characters are escaped; so is every character
    that is not printable (NUL, U+FEFF and U+2028, which the Go compiler or readers
    reject or mangle raw); printable non-ASCII stays as raw UTF-8.
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            raise UnsupportedTypeError("go", str(t or "str"),
                                       "a lone surrogate is not UTF-8 text")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


# ------------------------------------------------------------------ Go source surgery

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)+\')'
    r"|(?P<comment>//[^\n]*|/\*.*?\*/)", re.DOTALL)
_PACKAGE = re.compile(r"package\s+(?P<name>\w+)[ \t]*;?")
_IMPORT_SPEC = re.compile(r'(?:(?P<name>[\w.]+)\s+)?(?P<path>"(?:[^"\\\n]|\\.)*"|`[^`]*`)[ \t]*;?')
_SPACE_OR_COMMENT = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


def strip_comments(source: str) -> str:
    """``source`` with comments blanked out (strings kept; line numbers kept)."""

    def blank(m: re.Match[str]) -> str:
        if m.group("comment") is None:
            return m.group(0)
        return re.sub(r"[^\n]", " ", m.group(0))

    return _TOKEN.sub(blank, source)


@dataclass
class GoHeader:
    """A Go file split at the end of its import declarations."""

    prefix: str  # comments and the package clause, as written ("" if none)
    package: str | None
    imports: list[tuple[str, str]]  # (name or "", path literal)
    body: str  # everything after the last import declaration


def split_header(source: str) -> GoHeader | None:
    """The package clause and import declarations at the top of ``source``; None when
    they are not plain enough to move safely (the file is then used as it is)."""
    pos = _SPACE_OR_COMMENT.match(source, 0).end()  # type: ignore[union-attr]
    package = None
    prefix = ""
    m = _PACKAGE.match(source, pos)
    if m is not None:
        package = m.group("name")
        prefix = source[:m.end()]
        pos = m.end()
    imports: list[tuple[str, str]] = []
    end = pos
    while True:
        pos = _SPACE_OR_COMMENT.match(source, end).end()  # type: ignore[union-attr]
        if not re.match(r"import\b", source[pos:]):
            break
        pos = _SPACE_OR_COMMENT.match(source, pos + len("import")).end()  # type: ignore
        if source.startswith("(", pos):
            pos += 1
            while True:
                pos = _SPACE_OR_COMMENT.match(source, pos).end()  # type: ignore[union-attr]
                if source.startswith(")", pos):
                    pos += 1
                    break
                spec = _IMPORT_SPEC.match(source, pos)
                if spec is None:
                    return None
                imports.append((spec.group("name") or "", spec.group("path")))
                pos = spec.end()
        else:
            spec = _IMPORT_SPEC.match(source, pos)
            if spec is None:
                return None
            imports.append((spec.group("name") or "", spec.group("path")))
            pos = spec.end()
        end = pos
        semicolon = re.compile(r"[ \t]*;").match(source, end)
        if semicolon:
            end = semicolon.end()
    if package is None and not imports:
        return GoHeader("", None, [], source)
    return GoHeader(prefix, package, imports, source[end:])


def _import_path(literal: str) -> str:
    return literal[1:-1]


#: The packages HumanEval-X's Go harness adds when the program uses them without
#: importing them (CodeGeeX ``IMPORT_HELPER["go"]``).
HUMANEVAL_X_IMPORTS = ("math", "strings", "fmt", "strconv", "time", "bytes", "regexp",
                       "sort", "math/rand", "crypto/md5")
_QUALIFIER = re.compile(r"(?<![\w.])(?P<name>[A-Za-z_]\w*)[ \t]*\.[ \t]*[A-Za-z_]")


def code_only(source: str) -> str:
    """``source`` with comments and the contents of string and rune literals blanked."""

    def blank(m: re.Match[str]) -> str:
        text = m.group(0)
        if m.group("comment") is not None:
            return re.sub(r"[^\n]", " ", text)
        return text[0] + re.sub(r"[^\n]", " ", text[1:-1]) + text[-1]

    return _TOKEN.sub(blank, source)


def _package_name(name: str, literal: str) -> str:
    """The name an import spec binds (the last path element unless renamed; a major
    version element such as ``v3`` names its parent)."""
    if name:
        return name
    parts = _import_path(literal).split("/")
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        return parts[-2]
    return parts[-1]


def assemble_test_file(solution: str, code: str) -> str:
    """``main_test.go`` of a ``code`` test, as HumanEval-X's Go harness builds it.

    The code's import specs are hoisted into the solution's import declaration
    (deduplicated: Go rejects a package imported twice). Like the original harness,
    which drops the prompt's imports and re-adds the packages of its list that the
    program uses, the solution's imports that nothing uses are dropped and the
    packages of :data:`HUMANEVAL_X_IMPORTS` that are used but not imported are added.
    """
    sol = split_header(solution)
    test = split_header(code)
    if sol is None or test is None or test.package is not None:
        return solution.rstrip("\n") + "\n\n" + code
    used = {m.group("name") for m in _QUALIFIER.finditer(code_only(sol.body + "\n" + test.body))}
    kept = [(n, p) for n, p in sol.imports
            if n in ("_", ".") or _package_name(n, p) in used]
    specs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for name, path in kept + test.imports:
        key = (name, _import_path(path))
        if key not in seen:
            seen.add(key)
            specs.append((name, path))
    paths = {_import_path(p) for _, p in specs}
    names = {_package_name(n, p) for n, p in specs}
    for package in HUMANEVAL_X_IMPORTS:
        short = package.rsplit("/", 1)[-1]
        if package not in paths and short not in names and short in used:
            specs.append(("", f'"{package}"'))
            names.add(short)
    prefix = sol.prefix if sol.package is not None else "package main"
    block = "import (\n" + "".join(
        f"    {name + ' ' if name else ''}{path}\n" for name, path in specs) + ")\n"
    body = sol.body.lstrip("\n")
    return f"{prefix}\n\n{block}\n{body.rstrip(chr(10))}\n\n{test.body.lstrip(chr(10))}"


_TEST_FUNC = re.compile(
    r"^func[ \t]+(?P<name>Test(?![a-z])\w*)[ \t]*\([ \t]*(?:\w+[ \t]+)?\*[ \t]*testing\.T[ \t]*\)",
    re.MULTILINE)
_TEST_MAIN = re.compile(
    r"^func[ \t]+TestMain[ \t]*\([ \t]*(?:\w+[ \t]+)?\*[ \t]*testing\.M[ \t]*\)", re.MULTILINE)


def go_test_names(source: str) -> list[str]:
    """The ``Test*`` functions ``go test`` would run, in source order."""
    return [m.group("name") for m in _TEST_FUNC.finditer(strip_comments(source))]


def go_test_main(source: str) -> str:
    """The test main ``go test`` generates for ``source``'s tests (and TestMain)."""
    tests = "\n".join(f'\t{{"{n}", _test.{n}}},' for n in go_test_names(source))
    if _TEST_MAIN.search(strip_comments(source)):
        run = ("\t_test.TestMain(m)\n"
               '\tos.Exit(int(reflect.ValueOf(m).Elem().FieldByName("exitCode").Int()))')
    else:
        run = "\tos.Exit(m.Run())"
    return TESTMAIN.substitute(tests=tests, run=run)


_PACKAGE_CLAUSE = re.compile(r"^[ \t]*package[ \t]+\w+", re.MULTILINE)
_CANDIDATE_MAIN = re.compile(r"^func([ \t]+)main([ \t]*\([ \t]*\))", re.MULTILINE)


def with_package(source: str) -> str:
    """``source`` with ``package main`` in front unless it has a package clause."""
    if _PACKAGE_CLAUSE.search(strip_comments(source)):
        return source
    return "package main\n\n" + source


def calls_solution(source: str, humaneval_x: bool = False) -> str:
    """The candidate as ``solution.go`` of a calls job: a package clause, and its own
    ``func main()`` (if any) renamed, since the harness provides the program's main.
    With ``humaneval_x`` (a problem translated onto HumanEval-X's declaration, whose
    canonical solutions rely on it) its imports are fixed as HumanEval-X's harness
    does (:func:`assemble_test_file`)."""
    if humaneval_x:
        source = assemble_test_file(with_package(source), "").rstrip("\n") + "\n"
    return _CANDIDATE_MAIN.sub(r"func\1codeaugCandidateMain\2", with_package(source))


# ------------------------------------------------------------------ code verdicts

_FAIL = re.compile(r"^--- FAIL: (?P<name>\S+)", re.MULTILINE)
_LOCATION = re.compile(rf"(?:^|[\s/]){re.escape(TEST_FILE)}:(?P<line>\d+)")
# testify: "<indent>\tError:      \tNot equal: " then lines whose label column is blank.
_TESTIFY_ERROR = re.compile(r"^[ \t]*Error:[ \t]*(?P<text>.*(?:\n[ ]*\t[ ]+\t.*)*)",
                            re.MULTILINE)
_PANIC = re.compile(r"^panic: (?P<text>.*)$", re.MULTILINE)


def code_verdict(step: StepResult, problem: Problem) -> Verdict:
    """A test binary's run: exit 0 with ``PASS`` passes; a failed check is ``failed``
    naming the test and the line; a panic or other crash is ``error``."""
    output = step.stdout + "\n" + step.stderr
    if step.exit_code == 0:
        if "testing: warning: no tests to run" in output:
            return Verdict(Status.ERROR, "the test code has no Test functions")
        if re.search(r"^PASS$", step.stdout, re.MULTILINE):
            return Verdict(Status.PASSED)
        return Verdict(Status.ERROR, "the test program exited before its tests ran")
    failed = _FAIL.search(output)
    name = failed.group("name") if failed else None
    panic = _PANIC.search(output)
    if panic is not None:
        return Verdict(Status.ERROR, f"panic: {panic.group('text').strip()}"[:500],
                       failed_test=name)
    if failed is not None and step.exit_code == 1:
        after = output[failed.end():]
        test = name or ""
        where = _LOCATION.search(after)
        if where is not None:
            test += f" at {_source_line(problem, int(where.group('line')))}"
        error = _TESTIFY_ERROR.search(after)
        if error is not None:
            reason = " ".join(error.group("text").split())
        else:
            detail = after.strip().splitlines()
            reason = detail[0].strip() if detail else "test failed"
        return Verdict(Status.FAILED, reason[:500], failed_test=test)
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}: {last_line(output)}")
    return Verdict(Status.ERROR, last_line(step.stderr) or last_line(step.stdout)
                   or f"exit status {step.exit_code}")


def _assembled(problem: Problem) -> str:
    code = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
    return assemble_test_file(problem.solution, code)


def _source_line(problem: Problem, number: int) -> str:
    lines = _assembled(problem).splitlines()
    if 0 < number <= len(lines):
        return f"{TEST_FILE}:{number}: {lines[number - 1].strip()}"
    return f"{TEST_FILE}:{number}"


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Go())
