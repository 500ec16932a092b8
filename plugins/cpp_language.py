"""C++ (g++ 12, ``-std=c++17``): runs candidates in the ``gcc`` sandbox image.

One compile per candidate (step ``compile``), then one run for ``calls`` and ``code``
tests, one run per case for ``io`` tests.

- ``code`` tests (HumanEval-X): ``main.cpp`` = solution + ``"\\n"`` + test, compiled with
  ``-include humaneval_x_prelude.h``: the headers HumanEval-X's harness prepends
  (``IMPORT_HELPER["cpp"]`` of CodeGeeX, ``<stdlib.h>`` ... ``<iostream>``), precompiled in
  the image. A failing ``assert`` (glibc: ``main: main.cpp:12: int main(): Assertion `x'
  failed.``, SIGABRT) is ``failed`` with the asserted expression as the failed test.
- ``calls`` tests: ``main.cpp`` = ``#include <bits/stdc++.h>`` + ``codeaug_json.hpp``
  (templates/cpp/) + the solution + a ``main`` that calls the entry point once per case
  with the arguments as literals of the signature's C++ types, each case in its own
  block, and prints the JSON report (:mod:`codeaug.calls`). Exceptions are reported per
  case; ``std::bad_alloc`` is not caught (it is ``memory_limit``). Every standard header
  is therefore visible to a ``calls`` solution, as on competitive-programming judges.
- ``io`` tests: the solution is compiled as it is.

Types: ``int`` -> ``long long``, ``float`` -> ``double``, ``str`` -> ``std::string``
(UTF-8 bytes), ``bool`` -> ``bool``, ``list`` -> ``std::vector``, ``set`` -> ``std::set``,
``dict`` -> ``std::map`` (``int`` keys are ``long long``), ``tuple`` -> ``std::tuple``,
``optional`` -> ``std::optional``, ``none`` -> ``void`` (a return type only). ``any`` is
not expressible.

Speed: the image precompiles ``<bits/stdc++.h>`` and the HumanEval-X prelude with exactly
:data:`CXXFLAGS` (``sandbox/gcc/setup.sh``); a source whose first include is
``<bits/stdc++.h>`` (the calls harness, most competitive-programming code) then loads the
PCH instead of parsing ~1 s of headers.
"""

from __future__ import annotations

import math
import re
import signal
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

_TEMPLATES = files("codeaug_plugins").joinpath("templates/cpp")
JSON_HEADER = _TEMPLATES.joinpath("codeaug_json.hpp").read_text()
HARNESS = Template(_TEMPLATES.joinpath("harness.cpp").read_text())

#: Where sandbox/gcc/setup.sh puts the precompiled headers inside the image.
PCH_DIR = "/opt/codeaug/gcc"
#: Flags of every C++ compile. The precompiled headers are built with exactly these
#: (sandbox/gcc/setup.sh; a unit test keeps the two in step): g++ ignores a PCH built
#: with other -std/-O flags, silently (-Winvalid-pch says so in the compile output).
CXXFLAGS = ("-std=c++17", "-O2")
#: Libraries a candidate may use without asking: libm, and OpenSSL's libcrypto
#: (HumanEval-X CPP/162 uses MD5). --as-needed: nothing is loaded unless referenced.
LIBS = ("-Wl,--as-needed", "-lm", "-lcrypto", "-lssl")

#: Headers HumanEval-X's harness (CodeGeeX IMPORT_HELPER["cpp"]) prepends to a program.
HUMANEVAL_X_PRELUDE = f"{PCH_DIR}/humaneval_x_prelude.h"

#: The compile step: more time than a test run (g++ at -O2), no address-space rlimit
#: (cc1plus maps the 100 MB PCH; the container's memory cgroup caps it instead).
COMPILE_LIMITS = Limits(wall_seconds=60, cpu_seconds=60, address_space=0,
                        output_bytes=1 << 20, file_bytes=256 << 20, open_files=256)

_ASSERTION = re.compile(r"^(?P<where>.*?:\d+: [^\n]*?)Assertion `(?P<expr>.*)' failed\.\s*$",
                        re.M)


def compile_limits(limits: Limits) -> Limits:
    """The compile step's limits: at least :data:`COMPILE_LIMITS`' time, never less
    than the run's."""
    return msgspec.structs.replace(
        COMPILE_LIMITS,
        wall_seconds=max(COMPILE_LIMITS.wall_seconds, limits.wall_seconds),
        cpu_seconds=max(COMPILE_LIMITS.cpu_seconds, limits.cpu_seconds),
    )


def run_steps(problem: Problem, limits: Limits, argv: list[str]) -> list[Step]:
    """One run for ``calls``/``code`` tests, one per case (stdin) for ``io`` tests."""
    tests = problem.tests
    if isinstance(tests, IoTests):
        return [Step(f"case {i}", argv, stdin=case.stdin, stop_job_on_failure=True,
                     limits=limits) for i, case in enumerate(tests.cases)]
    return [Step("calls" if isinstance(tests, CallsTests) else "test", argv, limits=limits)]


def judge_native(problem: Problem, result: JobResult, out_of_memory_marks: tuple[str, ...],
                 source: str) -> Verdict:
    """``judge_job`` for a natively compiled program (C and C++ share it)."""

    def out_of_memory(step: StepResult) -> bool:
        return any(mark in step.stderr for mark in out_of_memory_marks)

    # SIGXCPU is only ever sent at the CPU rlimit; the runner's own check compares the
    # rusage seconds with the limit and can miss by a tick.
    steps = [msgspec.structs.replace(s, killed_by="cpu")
             if s.signal == signal.SIGXCPU and not s.killed_by else s for s in result.steps]
    result = msgspec.structs.replace(result, steps=steps)
    return judge_job(problem, result, out_of_memory=out_of_memory,
                     code_verdict=lambda step: native_code_verdict(step, source))


def native_code_verdict(step: StepResult, source: str) -> Verdict:
    """A test program: exit 0 passes; a failed ``assert`` is ``failed`` naming it."""
    if step.exit_code == 0:
        return Verdict(Status.PASSED)
    found = _ASSERTION.search(step.stderr)
    if found:
        line = found.group(0).strip()
        if line.startswith(source.split(".")[0] + ": "):  # the program name glibc prints
            line = line.split(": ", 1)[1]
        return Verdict(Status.FAILED, line, failed_test=found.group("expr"))
    last = last_line(step.stderr)
    if step.signal is not None:
        name = _SIGNALS.get(step.signal, f"signal {step.signal}")
        return Verdict(Status.ERROR, f"killed by {name}" + (f": {last}" if last else ""))
    return Verdict(Status.ERROR, last or f"exit status {step.exit_code}")


_SIGNALS = {4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL",
            11: "SIGSEGV", 13: "SIGPIPE", 24: "SIGXCPU", 25: "SIGXFSZ"}


class Cpp(Language):
    name = "cpp"
    aliases = ("c++", "cxx")
    extension = ".cpp"
    image = ImageSpec("gcc")
    version = "1"
    tree_sitter = "cpp"
    default_limits = Limits(wall_seconds=10, cpu_seconds=10)

    # ------------------------------------------------------------------ rendering

    def render_type(self, t: TypeExpr) -> str:
        name = t.name
        if name in _SCALARS:
            return _SCALARS[name]
        if name == "none":
            return "void"
        if name == "any":
            raise UnsupportedTypeError(self.name, str(t), "C++ has no dynamically typed value")
        inner = [self.render_type(a) for a in t.args]
        if "void" in inner:
            raise UnsupportedTypeError(self.name, str(t), "none is a return type only")
        if name == "list":
            return f"std::vector<{inner[0]}>"
        if name == "set":
            return f"std::set<{inner[0]}>"
        if name == "optional":
            return f"std::optional<{inner[0]}>"
        if name == "tuple":
            return f"std::tuple<{', '.join(inner)}>"
        if name == "dict":
            if t.args[0].name not in ("str", "int"):
                raise UnsupportedTypeError(self.name, str(t), "dict keys are str or int")
            return f"std::map<{inner[0]}, {inner[1]}>"
        raise UnsupportedTypeError(self.name, str(t), "unknown type")

    def render_value(self, value: Any, t: TypeExpr) -> str:
        rendered = self.render_type(t)  # raises for what C++ cannot express
        name = t.name
        if name == "optional":
            if value is None:
                return f"{rendered}{{}}"
            return f"{rendered}{{{self.render_value(value, t.args[0])}}}"
        if value is None:
            raise UnsupportedTypeError(self.name, str(t), "null is only a value of optional")
        if name == "int":
            return cpp_int(value, self.name, t)
        if name == "float":
            return cpp_double(value, self.name, t)
        if name == "bool":
            if not isinstance(value, bool):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a bool")
            return "true" if value else "false"
        if name == "str":
            text = _check_str(value, self.name, t)
            literal = c_string_literal(text)
            if "\0" in text:
                return f"std::string({literal}, {len(text.encode('utf-8'))})"
            return f"std::string({literal})"
        if name in ("list", "set"):
            _check_list(value, self.name, t)
            items = ", ".join(self.render_value(v, t.args[0]) for v in value)
            return f"{rendered}{{{items}}}"
        if name == "tuple":
            if not isinstance(value, list | tuple) or len(value) != len(t.args):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            items = ", ".join(self.render_value(v, a) for v, a in zip(value, t.args, strict=True))
            return f"{rendered}{{{items}}}"
        if name == "dict":
            if not isinstance(value, dict):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            key_t, item_t = t.args
            pairs = ", ".join(
                f"{{{self.render_value(_key(k, key_t, self.name), key_t)}, "
                f"{self.render_value(v, item_t)}}}" for k, v in value.items())
            return f"{rendered}{{{pairs}}}"
        raise UnsupportedTypeError(self.name, str(t), "no values of this type")

    def braced_value(self, value: Any, t: TypeExpr) -> str:
        """``value`` as an initializer that converts to any C++ type of its shape
        (``{1LL, 2LL}`` initializes a ``vector<int>`` as well as a ``vector<long long>``):
        scalars as literals, containers as braced lists."""
        self.render_type(t)  # raises for what C++ cannot express
        name = t.name
        if name == "optional":
            return "std::nullopt" if value is None else self.braced_value(value, t.args[0])
        if name in ("list", "set"):
            _check_list(value, self.name, t)
            return "{" + ", ".join(self.braced_value(v, t.args[0]) for v in value) + "}"
        if name == "tuple":
            if not isinstance(value, list | tuple) or len(value) != len(t.args):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            return "{" + ", ".join(self.braced_value(v, a)
                                   for v, a in zip(value, t.args, strict=True)) + "}"
        if name == "dict":
            if not isinstance(value, dict):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a {t}")
            key_t, item_t = t.args
            return "{" + ", ".join(
                f"{{{self.braced_value(_key(k, key_t, self.name), key_t)}, "
                f"{self.braced_value(v, item_t)}}}" for k, v in value.items()) + "}"
        return self.render_value(value, t)

    # ------------------------------------------------------------------------ jobs

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        flags = [*CXXFLAGS, "-Winvalid-pch", "-pipe"]
        if isinstance(tests, CodeTests):
            files_ = {"main.cpp": code_program(problem)}
            flags += ["-include", HUMANEVAL_X_PRELUDE]
        elif isinstance(tests, CallsTests):
            files_ = {"main.cpp": self.calls_program(problem),
                      "codeaug_json.hpp": JSON_HEADER}
            flags += [f"-I{PCH_DIR}/pch"]
        else:
            files_ = {"main.cpp": problem.solution}
            flags += [f"-I{PCH_DIR}/pch"]
        compile_ = Step(COMPILE_STEP, ["g++", *flags, "main.cpp", "-o", "main", *LIBS],
                        stop_job_on_failure=True, limits=compile_limits(limits))
        return Job(job_id, files_, [compile_, *run_steps(problem, limits, ["./main"])])

    def calls_program(self, problem: Problem) -> str:
        """The solution plus a ``main`` that calls the entry point once per case."""
        tests = problem.tests
        assert isinstance(tests, CallsTests)
        types = [parse_type(p.type) for p in problem.signature.params]
        returns = parse_type(problem.signature.returns)
        self.render_type(returns)  # raises if inexpressible
        native = native_params(problem, len(types))
        functions, calls = [], []
        for index, case in enumerate(tests.cases):
            if len(case.args) != len(types):
                raise UnsupportedTypeError(
                    self.name, problem.signature.returns,
                    f"case {index} has {len(case.args)} arguments for {len(types)} parameters")
            lines = [f"[[gnu::noinline]] static std::string codeaug_case_{index}() {{"]
            names = []
            for i, (value, t) in enumerate(zip(case.args, types, strict=True)):
                # Named locals, not temporaries: a solution may take `vector<T>&`.
                if native is not None:
                    lines.append(f"    {native[i]} a{i} = {self.braced_value(value, t)};")
                else:
                    lines.append(f"    auto a{i} = {self.render_value(value, t)};")
                names.append(f"a{i}")
            call = f"{problem.entry_point}({', '.join(names)})"
            if returns.name == "none":
                lines += [f"    {call};", '    return "null";', "}"]
            else:
                lines += ["    std::string json;", f"    codeaug::write(json, {call});",
                          "    return json;", "}"]
            functions.append("\n".join(lines))
            calls.append(f"    codeaug::run_case({index}, codeaug_case_{index});")
        return HARNESS.substitute(solution=problem.solution, cases="\n".join(functions),
                                  calls="\n".join(calls))

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        return judge_native(problem, result, CPP_OUT_OF_MEMORY, "main.cpp")


#: What a C++ program says on stderr when an allocation fails.
CPP_OUT_OF_MEMORY = ("std::bad_alloc", "std::length_error", "codeaug: out of memory")

_SCALARS = {"int": "long long", "float": "double", "str": "std::string", "bool": "bool"}


def native_params(problem: Problem, count: int) -> list[str] | None:
    """The parameter types a translated problem's declaration spells
    (``meta.native_params``, set by the ``translate`` mutator for HumanEval-X seeds):
    the harness's locals get exactly those types, without ``const`` and ``&``."""
    native = problem.meta.get("native_params")
    if not isinstance(native, list) or len(native) != count:
        return None
    out = []
    for text in native:
        if not isinstance(text, str):
            return None
        text = re.sub(r"\bconst\b", " ", text).replace("&", " ")
        out.append(" ".join(text.split()))
    return out


def code_program(problem: Problem) -> str:
    """A ``code`` test program: the solution, then the test (HumanEval-X's layout)."""
    code = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
    return problem.solution + "\n" + code


def cpp_int(value: Any, language: str, t: TypeExpr) -> str:
    """A signed 64-bit literal (``-9223372036854775808`` is not one: it is ``-`` applied
    to a literal too big for ``long long``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not an int")
    if not -(2**63) <= value < 2**63:
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} does not fit in 64 bits")
    if value == -(2**63):
        return "(-9223372036854775807LL - 1)"
    return f"{value}LL"


def cpp_double(value: Any, language: str, t: TypeExpr, infinity: str =
               "std::numeric_limits<double>::infinity()", nan: str =
               "std::numeric_limits<double>::quiet_NaN()") -> str:
    """A double literal that reads back as exactly ``value`` (shortest round-trip repr)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a float")
    try:
        number = float(value)
    except OverflowError:
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} overflows a double") from None
    if math.isnan(number):
        return f"({nan})"
    if math.isinf(number):
        return f"({'-' if number < 0 else ''}{infinity})"
    text = repr(number)  # e.g. 0.1, -0.0, 1e+308, 5e-324: exact as a decimal literal
    if "." not in text and "e" not in text:
        text += ".0"
    return f"({text})" if text.startswith("-") else text


def c_string_literal(text: str) -> str:
    """A C/C++ string literal of ``text``'s UTF-8 bytes.

    Quotes, backslashes and control characters are escaped (octal, always three digits,
    so a following digit cannot join the escape); ``?`` is escaped so that no trigraph
    can form (C still has them); non-ASCII stays as raw UTF-8.
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\{code:03o}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_SIMPLE_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "?": "\\?"}


def _check_str(value: Any, language: str, t: TypeExpr) -> str:
    if not isinstance(value, str):
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a str")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsupportedTypeError(language, str(t), "a lone surrogate is not UTF-8") from None
    return value


def _check_list(value: Any, language: str, t: TypeExpr) -> None:
    if not isinstance(value, list | tuple):
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not a JSON array")


def _key(text: Any, t: TypeExpr, language: str) -> Any:
    """A JSON object key as a value of the dict's key type."""
    if t.name == "int":
        if isinstance(text, int) and not isinstance(text, bool):
            return text
        try:
            return int(str(text))
        except ValueError:
            raise UnsupportedTypeError(language, str(t),
                                       f"key {shown(text)} is not an int") from None
    return text


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Cpp())
