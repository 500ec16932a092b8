"""JavaScript: runs candidates with node 18 (Debian) in the ``node`` sandbox image.

- ``code`` tests run as HumanEval-X assembles them: the solution, then the test program,
  in one ``main.js``. The tests use ``console.assert``, which prints "Assertion failed"
  and does not throw, so a pass is exit 0 with empty stdout and stderr.
- ``calls`` tests: ``main.js`` is the solution followed by one generated line per job
  that calls ``templates/javascript/harness.js`` (copied in as ``codeaug_harness.js``)
  with one thunk per case, its arguments rendered as literals.
- ``io`` tests run ``main.js`` once per case.

JavaScript has no compile step: every run preloads ``/opt/codeaug/definition/preload.js``
(``sandbox/node/``), which parses the main script first and reports a SyntaxError with a
marker; :meth:`JavaScript.judge` turns that into ``compile_error`` (one node start per
job instead of a ``node --check`` step before the run).

Values: numbers are doubles, so ``int`` is a ``number`` restricted to the safe range
(|n| <= 2**53 - 1; other ints raise :class:`UnsupportedTypeError`); ``float`` is a
``number``; ``list`` and ``tuple`` are arrays; ``set`` is a ``Set``; ``dict`` is a
``Map`` (keys keep their type: ``dict[int, V]`` keys are numbers, not the strings a
plain object would make of them; the harness also accepts a plain object returned);
``optional`` is ``null`` or the value; ``any`` is the JSON value itself (objects as
plain objects).
"""

from __future__ import annotations

import json
import math
import re
from importlib.resources import files
from typing import Any

import codeaug
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.protocol import Job, JobResult, Limits, Step, StepResult
from codeaug.images import ImageSpec
from codeaug.judging import COMPILE_STEP, judge_job, last_line
from codeaug.language import Language
from codeaug.record import CallsTests, CodeTests, IoTests, Problem, shown
from codeaug.typesys import TypeExpr, parse_type
from codeaug.verdict import Status, Verdict

HARNESS = files("codeaug_plugins").joinpath("templates/javascript/harness.js").read_text()
HARNESS_FILE = "codeaug_harness.js"

DEFINITION = "/opt/codeaug/definition"
PRELOAD = f"{DEFINITION}/preload.js"
NODE_ENV = {"NODE_PATH": "/opt/codeaug/node-path"}  # js-md5 (an adapter, see sandbox/node)
SYNTAX_MARKER = "@@codeaug-syntax-error@@"
ASSERT_MARKER = "@@codeaug-assert@@"

#: Integers a double holds exactly; beyond them a JS number would silently round.
MAX_SAFE_INT = 2**53 - 1

_ENTRY = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
_ERROR_LINE = re.compile(r"^(?:[A-Z]\w*(?:Error|Exception)|Error|Uncaught\b)[^\n]*$")
_OOM = ("JavaScript heap out of memory", "Array buffer allocation failed",
        "Reached heap limit")


class JavaScript(Language):
    name = "javascript"
    aliases = ("js", "node")
    extension = ".js"
    image = ImageSpec("node")
    version = "1"
    tree_sitter = "javascript"
    # V8 reserves large address ranges: the container's memory cgroup caps instead.
    default_limits = Limits(wall_seconds=10.0, cpu_seconds=10, address_space=0)

    # ------------------------------------------------------------------ rendering

    def render_type(self, t: TypeExpr) -> str:
        """The TypeScript spelling, which JSDoc (``@param {number[]} xs``) also reads."""
        return ts_type(self.name, t)

    def render_value(self, value: Any, t: TypeExpr) -> str:
        return js_value(self.name, value, t, typed=False)

    # ------------------------------------------------------------------ jobs

    def main_file(self) -> str:
        return "main.js"

    def program(self, problem: Problem) -> str:
        """The source the job runs (or compiles): solution + tests or harness call."""
        tests = problem.tests
        if isinstance(tests, CodeTests):
            return problem.solution.rstrip("\n") + "\n\n" + tests.code
        if isinstance(tests, CallsTests):
            return problem.solution.rstrip("\n") + "\n\n" + self.harness_call(problem) + "\n"
        return problem.solution

    def harness_call(self, problem: Problem) -> str:
        """``require("./codeaug_harness.js").run(type, [() => f(...), ...]);``"""
        tests = problem.tests
        assert isinstance(tests, CallsTests)
        params = [parse_type(p.type) for p in problem.signature.params]
        returns = parse_type(problem.signature.returns)
        thunks = []
        for case in tests.cases:
            types = params if len(params) == len(case.args) else [TypeExpr("any")] * len(
                case.args)
            args = ", ".join(self.render_value(a, t) for a, t in zip(case.args, types,
                                                                      strict=True))
            thunks.append(f"  () => {entry_call(problem.entry_point)}({args}),")
        return (f"require(\"./{HARNESS_FILE}\").run({json.dumps(type_tree(returns))}, [\n"
                + "\n".join(thunks) + "\n]);")

    def compile_steps(self, limits: Limits) -> list[Step]:
        return []

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        tests = problem.tests
        files_ = {self.main_file(): self.program(problem)}
        steps = self.compile_steps(limits)
        argv = ["node", "--require", PRELOAD, "main.js"]
        if isinstance(tests, CodeTests):
            env = {**NODE_ENV, "CODEAUG_ASSERT_LOCATION": "1"}
            steps.append(Step("test", argv, env=env, limits=limits))
        elif isinstance(tests, CallsTests):
            files_[HARNESS_FILE] = HARNESS
            steps.append(Step("calls", argv, env=dict(NODE_ENV), limits=limits))
        else:
            assert isinstance(tests, IoTests)
            # A case that crashes or hits a limit is the verdict: skip the rest.
            steps += [Step(f"case {i}", argv, stdin=case.stdin, env=dict(NODE_ENV),
                           stop_job_on_failure=True, limits=limits)
                      for i, case in enumerate(tests.cases)]
        return Job(job_id, files_, steps)

    # ------------------------------------------------------------------ verdicts

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        return judge_job(problem, syntax_as_compile_error(result),
                         code_verdict=lambda step: judge_code(step, self.program(problem)),
                         out_of_memory=out_of_memory)


# ---------------------------------------------------------------------- verdict helpers


def syntax_as_compile_error(result: JobResult) -> JobResult:
    """A run the preload stopped for a SyntaxError becomes a failed ``compile`` step."""
    steps = list(result.steps)
    for i, step in enumerate(steps):
        if step.name == COMPILE_STEP:
            continue
        if step.stderr.startswith(SYNTAX_MARKER) and step.exit_code == 97:
            message = step.stderr[len(SYNTAX_MARKER):].strip()
            steps[i] = StepResult(name=COMPILE_STEP, exit_code=1, stderr=f"error: {message}",
                                  wall_seconds=step.wall_seconds,
                                  cpu_seconds=step.cpu_seconds, max_rss_kb=step.max_rss_kb)
            del steps[i + 1:]
        break  # only the first run can be stopped by the preload before the job ran
    return JobResult(id=result.id, steps=steps, dirty=result.dirty,
                     runner_error=result.runner_error)


def out_of_memory(step: StepResult) -> bool:
    """V8's own out-of-memory death (``FATAL ERROR: ... JavaScript heap out of memory``)."""
    tail = step.stderr[-4000:]
    return any(marker in tail for marker in _OOM)


def error_line(stderr: str) -> str:
    """The thrown error from node's report of an uncaught exception.

    Node prints the source line, a caret, a blank line, then ``TypeError: ...`` and the
    stack, and ends with ``Node.js v18...``: the last line says nothing.
    """
    lines = [ln.rstrip() for ln in stderr.splitlines()]
    for line in lines:
        if _ERROR_LINE.match(line.strip()) and not line.startswith(" "):
            return line.strip()[:500]
    useful = [ln for ln in lines if ln.strip() and not ln.startswith("Node.js v")
              and not ln.startswith("(Use `node --trace-")]
    for i, line in enumerate(useful):
        if set(line.strip()) == {"^"} and i + 1 < len(useful):
            return useful[i + 1].strip()[:500]  # `throw "text"`: the value follows the caret
    return (useful[-1].strip() if useful else last_line(stderr))[:500]


def judge_code(step: StepResult, program: str | None) -> Verdict:
    """HumanEval-X's rule: exit 0 and nothing printed on stdout or stderr.

    ``program`` is the source node ran (None when it ran JavaScript compiled from it:
    then the preload's copy of the failing line is used).
    """
    failed_assert = "Assertion failed" in step.stderr or "Assertion failed" in step.stdout
    if failed_assert:
        where = re.search(rf"^{re.escape(ASSERT_MARKER)} (\d+) ?(.*)$", step.stderr, re.M)
        test = None
        if where:
            test = (assertion_text(program, int(where.group(1))) if program is not None
                    else None) or where.group(2) or None
        message = next((ln.strip() for ln in (step.stderr + "\n" + step.stdout).splitlines()
                        if "Assertion failed" in ln), "Assertion failed")
        return Verdict(Status.FAILED, message[:500], failed_test=test)
    if step.exit_code == 0:
        if step.stdout.strip() or step.stderr.strip():
            printed = last_line(step.stderr) or last_line(step.stdout)
            return Verdict(Status.FAILED, f"exit 0 but the test printed: {printed[:300]}")
        return Verdict(Status.PASSED)
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}: {error_line(step.stderr)}")
    message = error_line(step.stderr) or f"exit status {step.exit_code}"
    if message.startswith("AssertionError"):
        return Verdict(Status.FAILED, message, failed_test=thrown_at(step.stderr, program))
    return Verdict(Status.ERROR, message)


def assertion_text(program: str, number: int) -> str | None:
    """The assertion starting on line ``number``, joined onto one line (up to 300 chars)."""
    lines = program.split("\n")
    if not 0 < number <= len(lines):
        return None
    text = lines[number - 1].strip()
    depth = text.count("(") - text.count(")")
    for extra in lines[number:number + 10]:
        if depth <= 0:
            break
        text += " " + extra.strip()
        depth += extra.count("(") - extra.count(")")
    return text[:300]


def thrown_at(stderr: str, program: str | None) -> str | None:
    """The source line of the innermost stack frame in main.js."""
    match = re.search(r"main\.js:(\d+):\d+\)?$", stderr, re.M)
    if match is None:
        return None
    if program is None:
        return f"main.js line {match.group(1)}"
    return assertion_text(program, int(match.group(1)))


# ---------------------------------------------------------------------- types and values


def type_tree(t: TypeExpr) -> list[object]:
    """``["list", [["int", []]]]``: what the harness's printer is told about a type."""
    return [t.name, [type_tree(a) for a in t.args]]


def entry_call(entry_point: str) -> str:
    """The callee of a case; an entry point that is no JS name fails every case."""
    if _ENTRY.match(entry_point):
        return entry_point
    message = json.dumps(f"entry point {entry_point!r} is not a JavaScript name")
    return f"(() => {{ throw new Error({message}); }})"


_TS_SCALARS = {"int": "number", "float": "number", "str": "string", "bool": "boolean",
               "none": "null", "any": "any"}


def ts_type(language: str, t: TypeExpr) -> str:
    """TypeScript type syntax for a neutral type (``(number | null)[]``, ``Map<string, T>``)."""
    if not t.args:
        if t.name not in _TS_SCALARS:
            raise UnsupportedTypeError(language, str(t), "unknown type")
        return _TS_SCALARS[t.name]
    inner = [ts_type(language, a) for a in t.args]
    if t.name == "list":
        item = inner[0]
        return f"({item})[]" if " | " in item or item.endswith(")") else f"{item}[]"
    if t.name == "set":
        return f"Set<{inner[0]}>"
    if t.name == "dict":
        if t.args[0].name not in ("str", "int"):
            raise UnsupportedTypeError(language, str(t), "dict keys must be str or int")
        return f"Map<{inner[0]}, {inner[1]}>"
    if t.name == "tuple":
        return "[" + ", ".join(inner) + "]"
    if t.name == "optional":
        return f"{inner[0]} | null"
    raise UnsupportedTypeError(language, str(t), "unknown type")


def js_value(language: str, value: Any, t: TypeExpr, *, typed: bool) -> str:
    """A JavaScript expression for ``value`` of neutral type ``t``.

    ``typed`` (TypeScript) adds type arguments to ``new Set``/``new Map`` so that empty
    containers get the declared element types.
    """
    name = t.name

    def fail(why: str) -> UnsupportedTypeError:
        return UnsupportedTypeError(language, str(t), why)

    if name == "any":
        return _any_value(language, value)
    if value is None:
        if name in ("optional", "none"):
            return "null"
        raise fail("null is not a value of it")
    if name == "optional":
        return js_value(language, value, t.args[0], typed=typed)
    if name == "none":
        raise fail(f"{shown(value)} is not null")
    if name == "bool":
        if not isinstance(value, bool):
            raise fail(f"{shown(value)} is not a bool")
        return "true" if value else "false"
    if name == "int":
        return _int_literal(language, value, t)
    if name == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"{shown(value)} is not a number")
        try:
            number = float(value)
        except OverflowError:
            raise fail(f"{shown(value)} overflows a double") from None
        if isinstance(value, int) and number != value:
            raise fail(f"{shown(value)} is not exactly a double")
        return float_literal(number)
    if name == "str":
        if not isinstance(value, str):
            raise fail(f"{shown(value)} is not a string")
        return string_literal(value)
    if name in ("list", "set", "tuple"):
        if not isinstance(value, list):
            raise fail(f"{shown(value)} is not an array")
        if name == "tuple":
            if len(value) != len(t.args):
                raise fail(f"{len(value)} values for a tuple of {len(t.args)}")
            items = [js_value(language, v, a, typed=typed)
                     for v, a in zip(value, t.args, strict=True)]
        else:
            items = [js_value(language, v, t.args[0], typed=typed) for v in value]
        array = "[" + ", ".join(items) + "]"
        if name != "set":
            return array
        generic = f"<{ts_type(language, t.args[0])}>" if typed else ""
        return f"new Set{generic}({array})"
    if name == "dict":
        key, item = t.args
        if key.name not in ("str", "int"):
            raise fail("dict keys must be str or int")
        if not isinstance(value, dict):
            raise fail(f"{shown(value)} is not an object")
        pairs = []
        for k, v in value.items():
            key_text = (_int_literal(language, _int_key(language, k, t), key)
                        if key.name == "int" else js_value(language, str(k), key, typed=typed))
            pairs.append(f"[{key_text}, {js_value(language, v, item, typed=typed)}]")
        generic = (f"<{ts_type(language, key)}, {ts_type(language, item)}>" if typed else "")
        return f"new Map{generic}([" + ", ".join(pairs) + "])"
    raise fail("unknown type")


def _int_key(language: str, key: Any, t: TypeExpr) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        raise UnsupportedTypeError(language, str(t), f"key {shown(key)} is not an int") from None


def _int_literal(language: str, value: Any, t: TypeExpr) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnsupportedTypeError(language, str(t), f"{shown(value)} is not an int")
    if abs(value) > MAX_SAFE_INT:
        raise UnsupportedTypeError(
            language, str(t), f"{shown(value)} is outside the safe integer range of a JS number "
            f"(|n| <= 2**53 - 1)")
    return str(value)


def _any_value(language: str, value: Any) -> str:
    """A JSON value as the plain JavaScript value ``JSON.parse`` would give."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _int_literal(language, value, TypeExpr("any"))
    if isinstance(value, float):
        return float_literal(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, list):
        return "[" + ", ".join(_any_value(language, v) for v in value) + "]"
    if isinstance(value, dict):
        # Computed keys: a literal "__proto__" key would set the prototype instead.
        return "{" + ", ".join(f"[{string_literal(str(k))}]: {_any_value(language, v)}"
                               for k, v in value.items()) + "}"
    raise UnsupportedTypeError(language, "any", f"{type(value).__name__} is not a JSON value")


def float_literal(x: float) -> str:
    """The shortest literal that reads back as the same double (``-0.0``, ``5e-324``)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)  # Python's repr is the shortest round-trip text, valid JS too


def string_literal(s: str) -> str:
    """A double-quoted JS string literal; non-ASCII stays raw (files are UTF-8)."""
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f", "\v": "\\v", "\0": "\\u0000"}


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(JavaScript())
