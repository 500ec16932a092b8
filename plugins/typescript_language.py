"""TypeScript: type-checked and compiled by tsc 4.8 (Debian), run by node 18 in the
``node`` sandbox image.

Every job has a ``compile`` step that type-checks ``main.ts`` and writes ``main.js``: a
type error is a ``compile_error``, like a syntax error. The compiler starts from a V8
startup snapshot built into the image (``sandbox/node/tsc-snapshot.js``), which holds
the loaded compiler and the parsed standard library and ``@types/node``: about 0.3 s of
CPU per compile instead of about 2 s for ``tsc main.ts``. Options are tsc --init's
(``strict``, ``esModuleInterop``, ``skipLibCheck``) with target ES2022, CommonJS
modules, ``lib.es2022`` and the node types (``console``, ``require``, ``process``).

The program is assembled and run as for JavaScript (see
:mod:`codeaug_plugins.javascript_language`): ``code`` tests are solution + test code,
``calls`` tests the solution + a call into the shared harness, whose case thunks are
type-checked against the candidate's signature; ``io`` tests run once per case. Values:
``number`` (ints in the safe range), ``string``, ``boolean``, ``T[]``, ``Set<T>``,
``Map<K, V>``, tuples ``[A, B]``, ``T | null``; ``new Set``/``new Map`` literals carry
their type arguments so that empty ones type-check.
"""

from __future__ import annotations

from typing import Any

from codeaug_plugins.javascript_language import (
    JavaScript,
    js_value,
    judge_code,
    out_of_memory,
    syntax_as_compile_error,
    ts_type,
)

import codeaug
from codeaug.executor.protocol import JobResult, Limits, Step
from codeaug.judging import COMPILE_STEP, judge_job
from codeaug.record import Problem
from codeaug.typesys import TypeExpr
from codeaug.verdict import Verdict

TSC = ["node", "--snapshot-blob", "/opt/codeaug/tsc.blob", "main.ts"]


class TypeScript(JavaScript):
    name = "typescript"
    aliases = ("ts",)
    extension = ".ts"
    version = "1"
    tree_sitter = "typescript"
    # The compile step (~0.3 s CPU, more on a busy machine) shares these limits.
    default_limits = Limits(wall_seconds=20.0, cpu_seconds=20, address_space=0)

    def render_type(self, t: TypeExpr) -> str:
        return ts_type(self.name, t)

    def render_value(self, value: Any, t: TypeExpr) -> str:
        return js_value(self.name, value, t, typed=True)

    def main_file(self) -> str:
        return "main.ts"

    def compile_steps(self, limits: Limits) -> list[Step]:
        return [Step(COMPILE_STEP, TSC, stop_job_on_failure=True, limits=limits)]

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        # The run is compiled JavaScript: a failing assertion is named by its JS line.
        return judge_job(problem, syntax_as_compile_error(result),
                         code_verdict=lambda step: judge_code(step, None),
                         out_of_memory=out_of_memory)


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(TypeScript())
