"""C (gcc 12, ``-std=gnu17``): runs candidates in the ``gcc`` sandbox image (shared with
C++). One compile per candidate (step ``compile``), then one run for ``calls`` and
``code`` tests, one run per case for ``io`` tests.

What C can express in a ``calls`` signature, and the calling convention:

====================  =====================================================
neutral type           C
====================  =====================================================
``int``                ``int64_t``
``float``              ``double``
``bool``               ``bool`` (``<stdbool.h>``)
``str``                ``const char*`` (NUL-terminated UTF-8; a string holding
                       NUL cannot be passed and is UnsupportedTypeError). The
                       harness passes a mutable ``char[]`` copy.
``list[T]``, T scalar  a pointer and a length: a parameter ``xs`` becomes two,
                       ``T* xs, size_t xs_len`` (``const char** xs`` for
                       ``list[str]``; the harness owns a mutable copy, so ``T*``
                       and ``const T*`` both compile).
returns ``list[T]``    the pointer, with the length written through one extra
                       last parameter: ``int64_t* f(int64_t* xs, size_t xs_len,
                       size_t* out_len)``. The harness never frees it. NULL with
                       ``*out_len == 0`` is the empty list.
returns ``none``       ``void``
====================  =====================================================

Anything else (nested lists, ``set``, ``dict``, ``tuple``, ``optional``, ``any``) raises
:class:`~codeaug.errors.UnsupportedTypeError`. A string return of NULL is reported as
``null`` (so it fails against any expected string).

Every program is linked with ``templates/c/codeaug_rt.c`` and ``-Wl,--wrap=malloc``
(calloc, realloc): an allocation that fails prints ``codeaug: out of memory`` and
aborts, which is judged ``memory_limit``, instead of a later NULL dereference judged as
a crash. The calls harness includes ``codeaug_json.h`` (``<stdint.h>``, ``<stdbool.h>``,
``<stdio.h>``, ``<stdlib.h>``, ``<string.h>``, ``<math.h>``, ``<inttypes.h>``) before
the solution. A C ``code`` test is the solution followed by the test program (a ``main``
that ``assert``s); a failed assert is ``failed`` with the asserted expression.
"""

from __future__ import annotations

from importlib.resources import files
from string import Template
from typing import Any

from codeaug_plugins.cpp_language import (
    c_string_literal,
    code_program,
    compile_limits,
    cpp_double,
    cpp_int,
    judge_native,
    run_steps,
)

import codeaug
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits, Step
from codeaug.images import ImageSpec
from codeaug.judging import COMPILE_STEP
from codeaug.language import Language
from codeaug.record import CallsTests, CodeTests, Problem, shown
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Verdict

_TEMPLATES = files("codeaug_plugins").joinpath("templates/c")
JSON_HEADER = _TEMPLATES.joinpath("codeaug_json.h").read_text()
RUNTIME = _TEMPLATES.joinpath("codeaug_rt.c").read_text()
HARNESS = Template(_TEMPLATES.joinpath("harness.c").read_text())

CFLAGS = ("-std=gnu17", "-O2", "-pipe")
LIBS = ("-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc", "-Wl,--as-needed", "-lm",
        "-lcrypto")
C_OUT_OF_MEMORY = ("codeaug: out of memory",)

_SCALARS = {"int": "int64_t", "float": "double", "bool": "bool", "str": "const char*"}
# How the harness prints a returned scalar / array of scalars.
_PRINT = {"int": "codeaug_print_int", "float": "codeaug_print_double",
          "bool": "codeaug_print_bool", "str": "codeaug_print_str"}


class C(Language):
    name = "c"
    extension = ".c"
    image = ImageSpec("gcc")
    version = "1"
    tree_sitter = "c"
    default_limits = Limits(wall_seconds=10, cpu_seconds=10)

    # ------------------------------------------------------------------ rendering

    def render_type(self, t: TypeExpr) -> str:
        """``list[int]`` -> ``int64_t*`` (the pointer of the pointer + length pair)."""
        if t.name in _SCALARS:
            return _SCALARS[t.name]
        if t.name == "none":
            return "void"
        if t.name == "list" and t.args[0].name in _SCALARS:
            return _SCALARS[t.args[0].name] + "*"
        why = {"any": "C has no dynamically typed value",
               "list": "only lists of int, float, bool and str (as pointer + length)"}
        raise UnsupportedTypeError(self.name, str(t),
                                   why.get(t.name, f"C has no {t.name} (only scalars, "
                                                   "strings and arrays of scalars)"))

    def render_param(self, name: str, t: TypeExpr) -> str:
        """The parameter(s) of ``name: t``: ``int64_t* xs, size_t xs_len`` for a list."""
        rendered = self.render_type(t)
        if t.name == "list":
            return f"{rendered} {name}, size_t {name}_len"
        return f"{rendered} {name}"

    def render_signature(self, entry_point: str, params: list[tuple[str, TypeExpr]],
                         returns: TypeExpr) -> str:
        """The C prototype of a neutral signature, by the calling convention above."""
        rendered = [self.render_param(n, t) for n, t in params]
        if returns.name == "list":
            rendered.append("size_t* out_len")
        return f"{self.render_type(returns)} {entry_point}({', '.join(rendered) or 'void'})"

    def render_value(self, value: Any, t: TypeExpr) -> str:
        """A scalar literal, or for a list a compound literal ``(int64_t[]){1LL, 2LL}``
        (its length is passed separately)."""
        self.render_type(t)
        name = t.name
        if value is None:
            raise UnsupportedTypeError(self.name, str(t), "C has no null of this type")
        if name == "int":
            return cpp_int(value, self.name, t)
        if name == "float":
            return cpp_double(value, self.name, t, infinity="INFINITY", nan="NAN")
        if name == "bool":
            if not isinstance(value, bool):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a bool")
            return "true" if value else "false"
        if name == "str":
            if not isinstance(value, str):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a str")
            if "\0" in value:
                raise UnsupportedTypeError(self.name, str(t), "a C string cannot hold NUL")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UnsupportedTypeError(self.name, str(t), "not UTF-8") from None
            return c_string_literal(value)
        if name == "list":
            if not isinstance(value, list | tuple):
                raise UnsupportedTypeError(self.name, str(t), f"{shown(value)} is not a list")
            element = _SCALARS[t.args[0].name]
            if not value:  # no zero-length arrays in C: a one-element one, length 0
                return f"({element}[1]){{0}}"
            items = ", ".join(self.render_value(v, t.args[0]) for v in value)
            return f"({element}[]){{{items}}}"
        raise UnsupportedTypeError(self.name, str(t), "no values of this type")

    # ------------------------------------------------------------------------ jobs

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        if isinstance(tests, CallsTests):
            files_ = {"main.c": self.calls_program(problem), "codeaug_json.h": JSON_HEADER}
        elif isinstance(tests, CodeTests):
            files_ = {"main.c": code_program(problem)}
        else:
            files_ = {"main.c": problem.solution}
        files_["codeaug_rt.c"] = RUNTIME
        argv = ["gcc", *CFLAGS, "main.c", "codeaug_rt.c", "-o", "main", *LIBS]
        compile_ = Step(COMPILE_STEP, argv, stop_job_on_failure=True,
                        limits=compile_limits(limits))
        return Job(job_id, files_, [compile_, *run_steps(problem, limits, ["./main"])])

    def calls_program(self, problem: Problem) -> str:
        """The solution plus a ``main`` that calls the entry point once per case."""
        tests = problem.tests
        assert isinstance(tests, CallsTests)
        types = [parse_type(p.type) for p in problem.signature.params]
        returns = parse_type(problem.signature.returns)
        return_type = self.render_type(returns)
        blocks = []
        for index, case in enumerate(tests.cases):
            if len(case.args) != len(types):
                raise UnsupportedTypeError(
                    self.name, problem.signature.returns,
                    f"case {index} has {len(case.args)} arguments for {len(types)} parameters")
            lines = [f"    {{  /* case {index} */"]
            args = []
            for i, (value, t) in enumerate(zip(case.args, types, strict=True)):
                literal = self.render_value(value, t)
                if t.name == "str":  # a mutable copy: the callee may write into it
                    lines.append(f"        char a{i}[] = {literal};")
                    args.append(f"a{i}")
                elif t.name == "list":
                    lines.append(f"        {self.render_type(t)} a{i} = {literal};")
                    args += [f"a{i}", f"(size_t){len(value)}"]
                else:
                    lines.append(f"        {self.render_type(t)} a{i} = {literal};")
                    args.append(f"a{i}")
            if returns.name == "list":
                lines.append("        size_t out_len = 0;")
                args.append("&out_len")
            call = f"{problem.entry_point}({', '.join(args)})"
            if returns.name == "none":
                lines += [f"        {call};", f"        codeaug_case_ok({index});",
                          '        fputs("null", stdout);']
            else:
                lines.append(f"        {_const(return_type)} result = {call};")
                lines.append(f"        codeaug_case_ok({index});")
                if returns.name == "list":
                    printer = _PRINT[returns.args[0].name] + "_array"
                    lines.append(f"        {printer}(result, out_len);")
                else:
                    lines.append(f"        {_PRINT[returns.name]}(result);")
            lines += ["        codeaug_end_case();", "    }"]
            blocks.append("\n".join(lines))
        return HARNESS.substitute(solution=problem.solution, cases="\n".join(blocks))

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        return judge_native(problem, result, C_OUT_OF_MEMORY, "main.c")


def _const(rendered: str) -> str:
    """The harness's variable for a result: ``const`` elements, so that a function
    returning ``T*`` or ``const T*`` both assign without a warning."""
    if rendered == "const char**":
        return "const char* const*"
    if rendered.endswith("*") and not rendered.startswith("const"):
        return "const " + rendered
    return rendered


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(C())
