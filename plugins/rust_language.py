"""Rust: compiles candidates with rustc 1.63 in the ``rust`` sandbox image.

Every job is ONE ``rustc`` of one file, ``main.rs``, linked with rlibs of rand 0.4.6,
regex 1.7.1 and md5 0.7.0 that the image built once at build time
(``sandbox/rust/setup.sh``; the versions HumanEval-X's own harness pinned, in
``sandbox/rust/Cargo.lock``), then one run:

- ``code`` tests (HumanEval-X): ``solution`` + ``tests.code`` as one crate; with a
  ``#[test]`` in it, a libtest binary (``rustc --test``, run with ``--test-threads=1``,
  as ``cargo test`` would), otherwise a program whose exit status is the verdict;
- ``calls`` tests: the solution in a module of its own plus the harness of
  ``templates/rust/calls_harness.rs`` (a JSON printer and one call per case), one run;
- ``io`` tests: the solution as a program, run once per case.

Compiled as ``cargo test`` would (opt-level 0, overflow checks and debug assertions on),
with debug info stripped at link time (Debian's std rlibs carry it: 18.7 MB binaries
without, 1.2 MB with), lld as the linker, and the standard library linked dynamically
(``libstd``/``libtest`` .so from the image, found through an rpath). Measured in the
sandbox, compile wall time per job, median over 41 HumanEval-X programs: 422 ms plain,
325 ms stripped, 214 ms stripped + lld, 180 ms with the dynamic libstd too (the run:
4-5 ms either way); opt-level 1 costs about 25% more than opt-level 0.
"""

from __future__ import annotations

import math
import re
from importlib.resources import files
from typing import Any

import msgspec

import codeaug
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits, Step, StepResult
from codeaug.images import ImageSpec
from codeaug.judging import COMPILE_STEP, judge_job, last_line
from codeaug.language import Language, split_generic
from codeaug.record import CallsTests, CodeTests, IoTests, Problem, shown
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status, Verdict

_HARNESS = files("codeaug_plugins").joinpath("templates/rust/calls_harness.rs").read_text()
_CASES_MARKER = "/*@@codeaug-cases@@*/"

#: Where setup.sh put the prebuilt crates inside the image.
CRATES_DIR = "/opt/codeaug/rust"
#: Debian's libstd/libtest shared objects (libstd is also in the default library path).
RUSTLIB = "/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib"
#: The crates a program may name, and their versions (sandbox/rust/Cargo.lock).
CRATES = {"rand": "0.4.6", "regex": "1.7.1", "md5": "0.7.0"}
CRATES_NOTE = ("the sandbox links " + ", ".join(f"{k} {v}" for k, v in CRATES.items())
               + " (the versions HumanEval-X pinned); rand 0.4's API differs from rand 0.8's")

#: rustc options of every job (see the module docstring for what each one saves).
RUSTC_FLAGS = (
    "--edition", "2021",
    "-A", "warnings",
    "-C", "opt-level=0",
    "-C", "strip=debuginfo",
    "-C", "link-arg=-fuse-ld=lld",
    "-C", "prefer-dynamic",
    "-C", f"link-arg=-Wl,-rpath,{RUSTLIB}",
    "-L", f"dependency={CRATES_DIR}/deps",
    *(arg for name in CRATES for arg in ("--extern", f"{name}={CRATES_DIR}/lib{name}.rlib")),
)

#: The compile step gets its own budget, whatever the test program's limits are: rustc
#: needs more than a test run, and reserves address space (so no RLIMIT_AS: the
#: container's memory cgroup caps it).
COMPILE_WALL_SECONDS = 60.0
COMPILE_FILE_BYTES = 256 << 20

_TEST_ATTR = re.compile(r"#\[\s*test\s*\]")
_ASSERTION = re.compile(r"^assertion (failed|`left (==|!=) right` failed)")
# rustc < 1.73: thread 'name' panicked at 'message', file:line:col
_PANIC_OLD = re.compile(
    r"thread '(?P<thread>[^']*)' panicked at '(?P<msg>.*?)', (?P<file>[^\s:]+):(?P<line>\d+):\d+$",
    re.S | re.M)
# rustc >= 1.73: thread 'name' panicked at file:line:col:\nmessage
_PANIC_NEW = re.compile(
    r"thread '(?P<thread>[^']*)' panicked at (?P<file>[^\s:]+):(?P<line>\d+):\d+:\n"
    r"(?P<msg>.*?)(?=\nnote: |\n\n|\n----|\Z)", re.S)
_TEST_HEADER = re.compile(r"^---- (\S+) stdout ----$", re.M)
NO_TEST = "the test program ran no test"
_NO_TESTS = re.compile(r"^test result: ok\. 0 passed", re.M)
_RUST_OOM = re.compile(r"memory allocation of \d+ bytes failed")
# A program that calls into the crates (not just HumanEval-X's `use` lines), or a
# compiler message that names them.
_CRATE_USE = re.compile(r"\b(?:rand|regex|md5)::|\bRegex::|\bthread_rng\b|\.gen(?:_range)?\b")
_CRATE_MENTION = re.compile(r"\b(?:rand|regex|md5|Rng|Regex)\b")
_USE_LINE = re.compile(r"^\s*(?:pub\s+)?use\s[^;]*;", re.M)


class Rust(Language):
    name = "rust"
    aliases = ("rs",)
    extension = ".rs"
    image = ImageSpec("rust")
    version = "1"
    tree_sitter = "rust"
    default_limits = Limits(wall_seconds=10.0, cpu_seconds=10)

    # ------------------------------------------------------------------ types, values

    def render_type(self, t: TypeExpr) -> str:
        return _rust_type(self.name, t, qualified=False)

    def render_value(self, value: Any, t: TypeExpr) -> str:
        return _rust_value(self.name, value, t)

    # ----------------------------------------------------------------------- jobs

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        compile_limits = msgspec.structs.replace(
            limits,
            wall_seconds=max(limits.wall_seconds, COMPILE_WALL_SECONDS),
            cpu_seconds=max(limits.cpu_seconds, int(COMPILE_WALL_SECONDS)),
            address_space=0,
            file_bytes=max(limits.file_bytes, COMPILE_FILE_BYTES),
        )
        if isinstance(tests, CodeTests):
            program = code_program(problem)
            as_tests = bool(_TEST_ATTR.search(program))
            argv = ["./main", "--test-threads=1"] if as_tests else ["./main"]
            return Job(job_id, {"main.rs": program}, [
                _compile(compile_limits, test=as_tests),
                Step("test", argv, limits=limits),
            ])
        if isinstance(tests, CallsTests):
            program = self.calls_program(problem)
            return Job(job_id, {"main.rs": program}, [
                _compile(compile_limits, test=False),
                Step("calls", ["./main"], limits=limits),
            ])
        assert isinstance(tests, IoTests)
        steps = [_compile(compile_limits, test=False)]
        # A case that crashes or hits a limit is the verdict: skip the rest.
        steps += [Step(f"case {i}", ["./main"], stdin=case.stdin, stop_job_on_failure=True,
                       limits=limits)
                  for i, case in enumerate(tests.cases)]
        return Job(job_id, {"main.rs": problem.solution}, steps)

    def calls_program(self, problem: Problem) -> str:
        """The solution in a module of its own, with the harness as its child module."""
        tests = problem.tests
        assert isinstance(tests, CallsTests)
        types = [parse_type(p.type) for p in problem.signature.params]
        calls = []
        for index, case in enumerate(tests.cases):
            if len(case.args) != len(types):
                raise UnsupportedTypeError(
                    self.name, f"({', '.join(map(str, types))})",
                    f"case {index} has {len(case.args)} arguments for {len(types)} parameters")
            native = problem.meta.get("native_params")
            if isinstance(native, list) and len(native) == len(types):
                args = ", ".join(native_value(self.name, a, t, str(n))
                                 for a, t, n in zip(case.args, types, native, strict=True))
            else:
                args = ", ".join(self.render_value(a, t) for a, t in zip(case.args, types,
                                                                           strict=True))
            calls.append(
                f"    report({index}, std::panic::catch_unwind(std::panic::AssertUnwindSafe("
                f"|| super::{problem.entry_point}({args}))));")
        harness = _HARNESS.replace(_CASES_MARKER, "\n".join(calls).lstrip())
        return (
            "mod __codeaug_solution {\n"
            f"{problem.solution.rstrip()}\n\n"
            "pub mod __codeaug_harness {\n"
            f"{harness.rstrip()}\n"
            "}\n"
            "}\n\n"
            "fn main() {\n    __codeaug_solution::__codeaug_harness::run();\n}\n"
        )

    # ---------------------------------------------------------------------- verdicts

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        verdict = judge_job(problem, result, code_verdict=lambda step: _judge_code(step, problem),
                            out_of_memory=lambda step: bool(_RUST_OOM.search(step.stderr)))
        if verdict.status is Status.COMPILE_ERROR:
            compile_output = next((s.stderr for s in result.steps if s.name == COMPILE_STEP), "")
            verdict.reason = _compile_reason(compile_output) or verdict.reason
            if _CRATE_MENTION.search(compile_output) or _CRATE_USE.search(compile_output):
                verdict.reason += f" ({CRATES_NOTE})"
            return verdict
        if verdict.status is Status.ERROR and not isinstance(problem.tests, CodeTests):
            # A program's panic (io) or a harness that died: the panic, not the last line
            # (a note about RUST_BACKTRACE).
            panic = _first_panic(verdict.stderr)
            if panic is not None:
                verdict.reason = "panicked: " + _one_line(panic[1])
        if (verdict.status in (Status.FAILED, Status.ERROR) and _uses_crates(problem)
                and verdict.reason != NO_TEST):
            verdict.reason = f"{verdict.reason} ({CRATES_NOTE})"
        return verdict


def code_program(problem: Problem) -> str:
    """One crate: HumanEval-X's ``fn main(){}`` + declaration + solution, then the tests."""
    code = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
    return problem.solution.rstrip("\n") + "\n\n" + code


def _compile(limits: Limits, *, test: bool) -> Step:
    argv = ["rustc", *RUSTC_FLAGS, *(["--test"] if test else []), "main.rs", "-o", "main"]
    return Step(COMPILE_STEP, argv, stop_job_on_failure=True, limits=limits)


def _compile_reason(stderr: str) -> str:
    """rustc's first ``error[E...]: ...`` (or ``error: ...``) line, with where it is."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("error"):
            where = next((ln.strip()[3:].strip() for ln in lines[i + 1:i + 3]
                          if ln.strip().startswith("--> ")), "")
            return f"{line.strip()[:400]}" + (f" at {where}" if where else "")
    return ""


def _uses_crates(problem: Problem) -> bool:
    code = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
    return bool(_CRATE_USE.search(_USE_LINE.sub("", problem.solution + "\n" + code)))


# ------------------------------------------------------------------------ code tests


def _judge_code(step: StepResult, problem: Problem) -> Verdict:
    """A libtest binary or a plain program: exit 0 passes, an assertion panic fails."""
    output = step.stdout + "\n" + step.stderr
    if step.exit_code == 0:
        if _NO_TESTS.search(step.stdout):
            return Verdict(Status.ERROR, NO_TEST)
        return Verdict(Status.PASSED)
    panic = _first_panic(output)
    if panic is not None:
        thread, message, line = panic
        one_line = _one_line(message)
        # libtest names the failing test in a header; with --test-threads=1 the test
        # runs on the main thread, so the panic's thread name does not.
        header = _TEST_HEADER.search(step.stdout)
        test = header[1] if header else (thread if thread != "main" else None)
        source = _source_line(problem, line)
        failed_test = ": ".join(x for x in (test, source) if x) or None
        status = Status.FAILED if _ASSERTION.match(message) else Status.ERROR
        reason = one_line if status is Status.FAILED else f"panicked: {one_line}"
        return Verdict(status, reason, failed_test=failed_test)
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}: {last_line(step.stderr)}")
    return Verdict(Status.ERROR, last_line(step.stderr) or f"exit status {step.exit_code}")


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())[:1000]


def _first_panic(output: str) -> tuple[str, str, int | None] | None:
    found = [m for m in (_PANIC_OLD.search(output), _PANIC_NEW.search(output)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    line = int(match["line"]) if match["file"].endswith("main.rs") else None
    return match["thread"], match["msg"], line


def _source_line(problem: Problem, number: int | None) -> str | None:
    if number is None:
        return None
    program = code_program(problem).splitlines()
    if 0 < number <= len(program):
        return f"line {number}: {program[number - 1].strip()[:300]}"
    return f"line {number}"


# ----------------------------------------------------------------- types and values

#: The longest tuple the standard library (and the harness's JSON printer) supports.
MAX_TUPLE = 12
_SCALARS = {"int": "i64", "float": "f64", "str": "String", "bool": "bool", "none": "()"}


def _rust_type(language: str, t: TypeExpr, *, qualified: bool) -> str:
    name = t.name
    if name in _SCALARS:
        return _SCALARS[name]
    if name == "any":
        raise UnsupportedTypeError(language, str(t), "Rust has no dynamically typed value")
    inner = [_rust_type(language, a, qualified=qualified) for a in t.args]
    prefix = "std::collections::" if qualified else ""
    if name == "list":
        return f"Vec<{inner[0]}>"
    if name == "optional":
        return f"Option<{inner[0]}>"
    if name == "set":
        _require_hashable(language, t, t.args[0])
        return f"{prefix}HashSet<{inner[0]}>"
    if name == "dict":
        key = t.args[0]
        if key.name not in ("str", "int"):
            raise UnsupportedTypeError(language, str(t), "dict keys must be str or int")
        return f"{prefix}HashMap<{inner[0]}, {inner[1]}>"
    if name == "tuple":
        if len(inner) > MAX_TUPLE:
            raise UnsupportedTypeError(language, str(t), f"Rust tuples of more than {MAX_TUPLE}"
                                       " elements are not Debug, Eq or Hash")
        return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
    raise UnsupportedTypeError(language, str(t), "unknown type")


def _require_hashable(language: str, whole: TypeExpr, t: TypeExpr) -> None:
    """Set elements must be Hash + Eq: no f64 anywhere inside, no set or map."""
    if t.name == "float":
        raise UnsupportedTypeError(language, str(whole),
                                   "f64 is not Hash/Eq, so a set cannot hold floats")
    if t.name in ("set", "dict"):
        raise UnsupportedTypeError(language, str(whole),
                                   f"a HashSet cannot hold a {t.name} (it is not Hash)")
    for arg in t.args:
        _require_hashable(language, whole, arg)


def _rust_value(language: str, value: Any, t: TypeExpr) -> str:
    name = t.name

    def bad(why: str) -> UnsupportedTypeError:
        return UnsupportedTypeError(language, str(t), f"{why}: {shown(value, 60)}")

    if name == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("not an int")
        if not -(2 ** 63) <= value < 2 ** 63:
            raise bad("outside i64")
        return f"{value}i64"
    if name == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad("not a number")
        try:
            return _float_literal(float(value))
        except OverflowError:
            raise bad("overflows f64") from None
    if name == "str":
        if not isinstance(value, str):
            raise bad("not a string")
        return f"String::from({_string_literal(language, value, t)})"
    if name == "bool":
        if not isinstance(value, bool):
            raise bad("not a bool")
        return "true" if value else "false"
    if name == "none":
        if value is not None:
            raise bad("not null")
        return "()"
    if name == "optional":
        inner_type = _rust_type(language, t.args[0], qualified=True)
        if value is None:
            return f"Option::<{inner_type}>::None"
        return f"Some({_rust_value(language, value, t.args[0])})"
    if name in ("list", "set"):
        if not isinstance(value, list):
            raise bad("not a JSON array")
        items = [_rust_value(language, v, t.args[0]) for v in value]
        # Vec<T> -> Vec::<T>: a path in expression position needs the turbofish.
        path = _rust_type(language, t, qualified=True).replace("<", "::<", 1)
        if name == "list":
            return f"vec![{', '.join(items)}]" if items else f"{path}::new()"
        return f"{path}::from([{', '.join(items)}])" if items else f"{path}::new()"
    if name == "dict":
        if not isinstance(value, dict):
            raise bad("not a JSON object")
        key_type, item_type = t.args
        _rust_type(language, t, qualified=True)  # validates the key type
        pairs = [f"({_rust_value(language, _key(k, key_type, bad), key_type)}, "
                 f"{_rust_value(language, v, item_type)})" for k, v in value.items()]
        path = _rust_type(language, t, qualified=True).replace("<", "::<", 1)
        return f"{path}::from([{', '.join(pairs)}])" if pairs else f"{path}::new()"
    if name == "tuple":
        _rust_type(language, t, qualified=True)  # validates the length
        if not isinstance(value, list) or len(value) != len(t.args):
            raise bad(f"not a JSON array of {len(t.args)}")
        items = [_rust_value(language, v, a) for v, a in zip(value, t.args, strict=True)]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if name == "any":
        raise UnsupportedTypeError(language, str(t), "Rust has no dynamically typed value")
    raise UnsupportedTypeError(language, str(t), "unknown type")


_RUST_INTS = {f"{s}{b}": ((-(2 ** (b - 1)), 2 ** (b - 1) - 1) if s == "i" else (0, 2 ** b - 1))
              for s in "iu" for b in (8, 16, 32, 64, 128)}
_RUST_INTS.update(isize=_RUST_INTS["i64"], usize=_RUST_INTS["u64"])


def native_value(language: str, value: Any, t: TypeExpr, native: str) -> str:
    """``value`` as an expression of the Rust type ``native`` that a translated problem's
    declaration spells (``meta.native_params``: ``i32``, ``&str``, ``Vec<f32>``,
    ``&Vec<f64>`` ...), where the neutral type alone would say ``i64``/``String``/``f64``."""
    native = native.strip()
    if native.startswith("&"):
        rest = native[1:].strip()
        mut = rest.startswith("mut ")
        rest = rest.removeprefix("mut ").strip()
        if rest == "str" and t.name == "str":
            if not isinstance(value, str):
                raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a str")
            return _string_literal(language, value, t)
        if rest.startswith("[") and rest.endswith("]") and t.name == "list":
            rest = f"Vec<{rest[1:-1]}>"
        return ("&mut " if mut else "&") + native_value(language, value, t, rest)
    head, args = split_generic(native)
    if t.name == "int" and native in _RUST_INTS:
        low, high = _RUST_INTS[native]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a {native}")
        return f"{value}{native}"
    if t.name in ("int", "float") and native in ("f32", "f64"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a number")
        return _float_literal(float(value)).replace("f64", native)
    if t.name == "tuple" and len(set(t.args)) == 1 and head == "Vec":  # a pair as Vec<i32>
        t = TypeExpr("list", (t.args[0],))
    if t.name == "list" and head == "Vec" and len(args) == 1:
        if not isinstance(value, list):
            raise UnsupportedTypeError(language, str(t), "not a JSON array")
        if not value:
            return f"Vec::<{args[0]}>::new()"
        return "vec![" + ", ".join(native_value(language, v, t.args[0], args[0])
                                   for v in value) + "]"
    if t.name == "optional" and head == "Option" and len(args) == 1:
        if value is None:
            return f"Option::<{args[0]}>::None"
        return f"Some({native_value(language, value, t.args[0], args[0])})"
    if t.name == "str" and native == "char":
        if not isinstance(value, str) or len(value) != 1:
            raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not one char")
        return "'" + _string_literal(language, value, t)[1:-1].replace("'", "\\'") + "'"
    if native == _rust_type(language, t, qualified=False) or native == _rust_type(
            language, t, qualified=True):
        return _rust_value(language, value, t)
    raise UnsupportedTypeError(language, str(t), f"no literal of the declared type {native}")


def _key(text: Any, t: TypeExpr, bad: Any) -> Any:
    """A JSON object key (always a string) as the value of the dict's key type."""
    if t.name == "int":
        if isinstance(text, int) and not isinstance(text, bool):
            return text
        if not isinstance(text, str) or not re.fullmatch(r"-?\d{1,40}", text):
            raise bad("an int key that is not an integer of at most 40 digits")
        return int(text)
    if not isinstance(text, str):
        raise bad("a str key that is not a string")
    return text


def _float_literal(x: float) -> str:
    if math.isnan(x):
        return "f64::NAN"
    if math.isinf(x):
        return "f64::INFINITY" if x > 0 else "f64::NEG_INFINITY"
    # repr is the shortest text that reads back as exactly x; Rust parses it exactly too.
    return f"{x!r}f64"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def _string_literal(language: str, text: str, t: TypeExpr) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            raise UnsupportedTypeError(language, str(t),
                                       "a lone surrogate is not a Unicode scalar value")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Rust())
