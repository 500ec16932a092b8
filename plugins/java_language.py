"""Java (OpenJDK 17): compiles with ``javac`` and runs with ``java`` in the ``java`` image.

Jobs:

- ``code`` tests (HumanEval-X): ``Main.java`` = the solution (``import ...; class
  Solution {...}``) + the test program (``public class Main {...}``), as the original
  harness assembled it; ``javac``, then ``java Main``. A thrown ``AssertionError`` is
  ``failed`` (``failed_test`` = the test's source line where it was thrown), any other
  uncaught throwable is ``error``.
- ``calls`` tests: the solution goes to ``Solution.java`` as is (it must declare a class
  ``Solution`` holding the entry point, static or not; a bare method without a class is
  wrapped in one, its ``import`` lines hoisted), and ``templates/java/CodeaugHarness.java``
  calls ``new Solution().<entry>(...)`` once per case with the arguments rendered as
  literals, in one JVM.
- ``io`` tests: the solution is the whole program; its file is named after its public
  class (``Main`` when it has none) and it runs once per case.

Types (``render_type``): ``int`` -> ``long`` (64-bit; ``Long`` inside generics), ``float``
-> ``double``/``Double``, ``str`` -> ``String``, ``bool`` -> ``boolean``/``Boolean``,
``list[T]`` -> ``List<T>`` (an ``ArrayList``), ``set[T]`` -> ``Set<T>`` (a
``LinkedHashSet``), ``dict[K,V]`` -> ``Map<K,V>`` (a ``LinkedHashMap``), ``optional[T]``
-> ``Optional<T>`` (as HumanEval-X does: ``Optional.empty()`` is JSON null; never a Java
null), ``tuple[A,B]`` -> ``Tuple2<A,B>``: a generic ``record Tuple2<T0, T1>(T0 v0, T1 v1)``
the harness declares for each arity the signature uses (so a solution must not declare
its own ``TupleN``), ``any`` -> ``Object`` (values rendered by their JSON shape), ``none``
(a return type only) -> ``void``. Collections are mutable, as the solutions of
HumanEval-X expect. An ``int`` outside 64 bits cannot be expressed.

Speed (see ``sandbox/java/setup.sh``): ``javac`` runs with a dynamic AppCDS archive of
its own classes built at image build, C1 only, the serial GC, no annotation processing;
``java`` with the serial GC and without perf data. A long-lived compile server does not
fit the runner protocol: every process of the job's uid is killed when a step ends.
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

_HARNESS = files("codeaug_plugins").joinpath("templates/java/CodeaugHarness.java").read_text()

#: Built by sandbox/java/setup.sh; a missing or stale archive is ignored by the JVM.
JAVAC_ARCHIVE = "/opt/codeaug/java/javac.jsa"
#: JVM options of javac (each is passed as -J<option>). setup.sh trains the archive with
#: the same ones.
JAVAC_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
             "-Xss16m", "-XX:MaxRAMPercentage=50", f"-XX:SharedArchiveFile={JAVAC_ARCHIVE}",
             "-Xshare:auto")
JAVAC_OPTIONS = ("-encoding", "UTF-8", "-proc:none", "-implicit:none", "-Xlint:none",
                 "-nowarn", "-Xmaxerrs", "20")
#: JVM options of the test program. -Xss also sizes the main thread (the launcher runs
#: main in a thread of that size): deep recursion works as in other languages. The heap
#: cap stays below the container's memory so that running out of it is a
#: java.lang.OutOfMemoryError (-> memory_limit) rather than a cgroup kill.
JAVA_OPTIONS = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1",
                "-XX:MaxRAMPercentage=70", "-Xss256m", "-Xshare:auto",
                "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
                "-Dsun.stderr.encoding=UTF-8")
#: The compile step gets at least this much, whatever the test's own limits.
COMPILE_SECONDS = 60.0

_PUBLIC_CLASS = re.compile(
    r"^\s*public\s+(?:(?:final|abstract|strictfp|sealed|non-sealed)\s+)*"
    r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)", re.M)
_ANY_CLASS = re.compile(r"^\s*(?:\w+\s+)*class\s+([A-Za-z_$][\w$]*)", re.M)
_SOLUTION_CLASS = re.compile(r"\b(?:class|record|interface|enum)\s+Solution\b")
_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?[\w.]+(?:\.\*)?\s*;\s*$")
_FRAME = re.compile(r"^\s*at\s+\S+\((\w+\.java):(\d+)\)", re.M)
_THREW = re.compile(r"^Exception in thread \"[^\"]*\" ([\w.$]+)(.*)$", re.M)


class Java(Language):
    name = "java"
    aliases = ("java17", "jdk")
    extension = ".java"
    image = ImageSpec("java")
    version = "1"
    tree_sitter = "java"
    # The JVM reserves large address ranges (heap, code cache, class space): RLIMIT_AS
    # breaks it, so memory is left to the container's cgroup (and the -Xmx cap above).
    # CPU time counts all threads (JIT, GC), hence more CPU than wall seconds.
    default_limits = Limits(wall_seconds=20.0, cpu_seconds=40, address_space=0,
                            processes=256)

    # ------------------------------------------------------------------ types, values

    def render_type(self, t: TypeExpr) -> str:
        return _type(t, boxed=False)

    def render_value(self, value: Any, t: TypeExpr) -> str:
        return _value(value, t)

    # ------------------------------------------------------------------------- jobs

    def build_job(self, problem: Problem, limits: Limits, job_id: str) -> Job:
        limits = _jvm_limits(limits)
        compile_limits = msgspec.structs.replace(
            limits, wall_seconds=max(limits.wall_seconds, COMPILE_SECONDS),
            cpu_seconds=max(limits.cpu_seconds, int(COMPILE_SECONDS) * 2))
        tests = problem.tests
        if isinstance(tests, CodeTests):
            program = problem.solution.rstrip("\n") + "\n\n" + tests.code
            return Job(job_id, {"Main.java": program}, [
                _compile(["Main.java"], compile_limits),
                Step("test", ["java", *JAVA_OPTIONS, "-cp", ".", "Main"], limits=limits),
            ])
        if isinstance(tests, CallsTests):
            files_ = {"Solution.java": solution_source(problem.solution),
                      "CodeaugHarness.java": harness_source(problem, self)}
            return Job(job_id, files_, [
                _compile(["Solution.java", "CodeaugHarness.java"], compile_limits),
                Step("calls", ["java", *JAVA_OPTIONS, "-cp", ".", "CodeaugHarness"],
                     limits=limits),
            ])
        assert isinstance(tests, IoTests)
        main = main_class(problem.solution)
        steps = [_compile([f"{main}.java"], compile_limits)]
        # A case that crashes or hits a limit is the verdict: skip the rest.
        steps += [Step(f"case {i}", ["java", *JAVA_OPTIONS, "-cp", ".", main],
                       stdin=case.stdin, stop_job_on_failure=True, limits=limits)
                  for i, case in enumerate(tests.cases)]
        return Job(job_id, {f"{main}.java": problem.solution}, steps)

    def judge(self, problem: Problem, result: JobResult) -> Verdict:
        return judge_job(problem, result,
                         code_verdict=lambda step: _judge_code(step, problem),
                         out_of_memory=_out_of_memory)


def _jvm_limits(limits: Limits) -> Limits:
    # RLIMIT_AS breaks the JVM whatever its value (it reserves the whole compressed class
    # space and code cache up front); JIT and GC threads need processes.
    return msgspec.structs.replace(limits, address_space=0,
                                   processes=max(limits.processes, 256))


def _compile(sources: list[str], limits: Limits) -> Step:
    argv = ["javac", *(f"-J{o}" for o in JAVAC_JVM), *JAVAC_OPTIONS, "-d", ".", *sources]
    return Step(COMPILE_STEP, argv, stop_job_on_failure=True, limits=limits)


def main_class(source: str) -> str:
    """The class an ``io`` program runs as: its public class, else ``Main``, else the
    first class it declares."""
    public = _PUBLIC_CLASS.search(source)
    if public:
        return public.group(1)
    names = _ANY_CLASS.findall(source)
    if "Main" in names or not names:
        return "Main"
    return str(names[0])


def solution_source(solution: str) -> str:
    """``Solution.java`` for a ``calls`` test: the solution as is when it declares
    ``Solution``, else its methods wrapped in ``class Solution`` (imports hoisted)."""
    if _SOLUTION_CLASS.search(solution):
        return solution
    lines = solution.splitlines()
    imports = [ln for ln in lines if _IMPORT.match(ln)]
    body = [ln for ln in lines if not _IMPORT.match(ln)]
    head = imports or ["import java.util.*;"]
    if imports and not any("java.util.*" in ln for ln in imports):
        head.append("import java.util.*;")
    return "\n".join([*head, "", "class Solution {", *body, "}", ""])


# ----------------------------------------------------------------------- the harness


def harness_source(problem: Problem, language: Java | None = None) -> str:
    """``CodeaugHarness.java`` for a ``calls`` problem (arguments as literals)."""
    tests = problem.tests
    assert isinstance(tests, CallsTests)
    params = [parse_type(p.type) for p in problem.signature.params]
    returns = parse_type(problem.signature.returns)
    arities: set[int] = set()
    for t in [*params, returns]:
        _tuple_arities(t, arities)
    native = problem.meta.get("native_params")
    if not (isinstance(native, list) and len(native) == len(params)
            and all(isinstance(n, str) for n in native)):
        native = None
    cases, dispatch = [], []
    for index, case in enumerate(tests.cases):
        types = params if len(params) == len(case.args) else [TypeExpr("any")] * len(case.args)
        try:
            if native is not None and len(case.args) == len(native):
                args = ", ".join(native_value(a, t, n) for a, t, n in
                                 zip(case.args, types, native, strict=True))
            else:
                args = ", ".join(_value(a, t) for a, t in zip(case.args, types, strict=True))
        except UnsupportedTypeError as exc:
            body = f"throw new IllegalArgumentException({_string(f'codeaug: {exc}')});"
        else:
            call = f"new Solution().{problem.entry_point}({args})"
            body = f"{call};\n        return null;" if returns.name == "none" \
                else f"return {call};"
        cases.append(f"    static Object case{index}() throws Throwable {{\n        {body}\n    }}")
        dispatch.append(f"            case {index}: return case{index}();")
    types_src = "\n".join(_tuple_record(n) for n in sorted(arities))
    return (_HARNESS.replace("@@TYPES@@", types_src)
            .replace("@@COUNT@@", str(len(tests.cases)))
            .replace("@@DISPATCH@@", "\n".join(dispatch))
            .replace("@@CASES@@", "\n\n".join(cases)))


def _tuple_record(n: int) -> str:
    params = ", ".join(f"T{i}" for i in range(n))
    fields = ", ".join(f"T{i} v{i}" for i in range(n))
    return f"record Tuple{n}<{params}>({fields}) {{}}"


def _tuple_arities(t: TypeExpr, out: set[int]) -> None:
    if t.name == "tuple":
        out.add(len(t.args))
    for a in t.args:
        _tuple_arities(a, out)


# ------------------------------------------------------------------- type rendering

_PRIMITIVE = {"int": "long", "float": "double", "str": "String", "bool": "boolean",
              "any": "Object"}
_BOXED = {"int": "Long", "float": "Double", "str": "String", "bool": "Boolean",
          "any": "Object"}
_LONG_MIN, _LONG_MAX = -(2 ** 63), 2 ** 63 - 1


def _type(t: TypeExpr, boxed: bool) -> str:
    name = t.name
    if name in _PRIMITIVE:
        return (_BOXED if boxed else _PRIMITIVE)[name]
    if name == "none":
        if boxed:
            raise UnsupportedTypeError("java", str(t), "none is only a return type (void)")
        return "void"
    if name == "list":
        return f"List<{_type(t.args[0], True)}>"
    if name == "set":
        return f"Set<{_type(t.args[0], True)}>"
    if name == "dict":
        return f"Map<{_type(t.args[0], True)}, {_type(t.args[1], True)}>"
    if name == "optional":
        return f"Optional<{_type(t.args[0], True)}>"
    if name == "tuple":
        return f"Tuple{len(t.args)}<{', '.join(_type(a, True) for a in t.args)}>"
    raise UnsupportedTypeError("java", str(t), "unknown type")


# ------------------------------------------------------------------ value rendering


def _bad(t: TypeExpr, why: str) -> UnsupportedTypeError:
    return UnsupportedTypeError("java", str(t), why)


def _value(value: Any, t: TypeExpr) -> str:
    name = t.name
    if name == "optional":
        inner = _type(t.args[0], True)
        if value is None:
            return f"Optional.<{inner}>empty()"
        return f"Optional.<{inner}>of({_value(value, t.args[0])})"
    if name == "any":
        return _any_value(value)
    if value is None:
        raise _bad(t, "null is only a value of optional[...] (Optional.empty())")
    if name == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(t, f"{shown(value)} is not an int")
        if not _LONG_MIN <= value <= _LONG_MAX:
            raise _bad(t, f"{shown(value)} does not fit in a 64-bit long")
        return f"{value}L"
    if name == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(t, f"{shown(value)} is not a float")
        try:
            return _double(float(value))
        except OverflowError:
            raise _bad(t, f"{shown(value)} overflows a double") from None
    if name == "str":
        if not isinstance(value, str):
            raise _bad(t, f"{shown(value)} is not a str")
        return _string(value)
    if name == "bool":
        if not isinstance(value, bool):
            raise _bad(t, f"{shown(value)} is not a bool")
        return "true" if value else "false"
    if name in ("list", "set"):
        if not isinstance(value, list):
            raise _bad(t, "expected a JSON array")
        item = _type(t.args[0], True)
        kind = "ArrayList" if name == "list" else "LinkedHashSet"
        if not value:
            return f"new {kind}<{item}>()"
        items = ", ".join(_value(v, t.args[0]) for v in value)
        return f"new {kind}<{item}>(Arrays.<{item}>asList({items}))"
    if name == "dict":
        if not isinstance(value, dict):
            raise _bad(t, "expected a JSON object")
        key_t, item_t = t.args
        k, v = _type(key_t, True), _type(item_t, True)
        entries: dict[str, str] = {}  # rendered key -> value: "1" and "01" are one key
        for key, item in value.items():
            entries[_value(_key(key, key_t), key_t)] = _value(item, item_t)
        if not entries:
            return f"new LinkedHashMap<{k}, {v}>()"
        puts = ", ".join(f"Map.<{k}, {v}>entry({a}, {b})" for a, b in entries.items())
        return f"new LinkedHashMap<{k}, {v}>(Map.<{k}, {v}>ofEntries({puts}))"
    if name == "tuple":
        if not isinstance(value, list) or len(value) != len(t.args):
            raise _bad(t, f"expected a JSON array of {len(t.args)} items")
        parts = ", ".join(_value(v, a) for v, a in zip(value, t.args, strict=True))
        return f"new {_type(t, True)}({parts})"
    raise _bad(t, "no value rendering")


_INTS = {"int": (-(2 ** 31), 2 ** 31 - 1, ""), "Integer": (-(2 ** 31), 2 ** 31 - 1, ""),
         "long": (_LONG_MIN, _LONG_MAX, "L"), "Long": (_LONG_MIN, _LONG_MAX, "L"),
         "short": (-(2 ** 15), 2 ** 15 - 1, ""), "byte": (-128, 127, "")}


def native_value(value: Any, t: TypeExpr, native: str) -> str:
    """``value`` as a literal of the Java type ``native`` that a translated problem's
    declaration spells (``meta.native_params``: ``int``, ``List<Integer>``, ``float``
    ...), where the neutral type alone would say ``long``/``List<Long>``/``double``."""
    head, args = split_generic(native)
    head = head.removeprefix("java.util.").removeprefix("final ").strip()
    if t.name == "optional" and head == "Optional" and len(args) == 1:
        if value is None:
            return f"Optional.<{args[0]}>empty()"
        return f"Optional.<{args[0]}>of({native_value(value, t.args[0], args[0])})"
    if t.name == "int" and head in _INTS:
        low, high, suffix = _INTS[head]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(t, f"{shown(value)} is not an int")
        if not low <= value <= high:
            raise _bad(t, f"{shown(value)} does not fit in a Java {head}")
        literal = f"{value}{suffix}"
        return f"(short) {literal}" if head == "short" else (
            f"(byte) {literal}" if head == "byte" else literal)
    if t.name in ("int", "float") and head in ("float", "Float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(t, f"{shown(value)} is not a float")
        x = float(value)
        return _double(x).replace("Double.", "Float.") + ("f" if math.isfinite(x) else "")
    if t.name in ("int", "float") and head in ("double", "Double"):
        return _value(value, TypeExpr("float"))
    if t.name == "tuple" and len(set(t.args)) == 1 and head in ("List", "ArrayList"):
        t = TypeExpr("list", (t.args[0],))  # HumanEval-X: a pair as List<Integer>
    if t.name in ("list", "set") and head in ("List", "ArrayList", "Set", "HashSet",
                                               "LinkedHashSet", "Collection") and len(args) == 1:
        if not isinstance(value, list):
            raise _bad(t, "expected a JSON array")
        kind = "ArrayList" if head in ("List", "ArrayList", "Collection") else (
            "HashSet" if head == "HashSet" else "LinkedHashSet")
        item = args[0]
        if not value:
            return f"new {kind}<{item}>()"
        items = ", ".join(native_value(v, t.args[0], item) for v in value)
        return f"new {kind}<{item}>(Arrays.<{item}>asList({items}))"
    if t.name == "list" and native.strip().endswith("[]"):
        if not isinstance(value, list):
            raise _bad(t, "expected a JSON array")
        item = native.strip()[:-2].strip()
        items = ", ".join(native_value(v, t.args[0], item) for v in value)
        return f"new {item}[]{{{items}}}"
    if _type(t, head[:1].isupper()) == native.strip():
        return _value(value, t)
    raise _bad(t, f"no literal of the declared type {native}")


def _key(text: Any, t: TypeExpr) -> Any:
    """A JSON object key (always a string) as a value of the dict's key type."""
    if not isinstance(text, str):
        return text
    try:
        if t.name == "int":
            return int(text)
        if t.name == "float":
            return float(text)
    except ValueError:
        raise _bad(t, f"dict key {shown(text)} is not a {t.name}") from None
    if t.name == "bool":
        return text in ("true", "True", "1")
    return text


def _any_value(value: Any) -> str:
    """A value of type ``any``: rendered by its JSON shape, as ``Object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "(Object) Boolean.valueOf(" + ("true" if value else "false") + ")"
    if isinstance(value, int):
        return f"(Object) Long.valueOf({_value(value, TypeExpr('int'))})"
    if isinstance(value, float):
        return f"(Object) Double.valueOf({_double(value)})"
    if isinstance(value, str):
        return f"(Object) {_string(value)}"
    if isinstance(value, list):
        if not value:
            return "(Object) new ArrayList<Object>()"
        items = ", ".join(_any_value(v) for v in value)
        return f"(Object) new ArrayList<Object>(Arrays.<Object>asList({items}))"
    if isinstance(value, dict):
        return _any_map(value)
    raise _bad(TypeExpr("any"), f"{type(value).__name__} is not a JSON value")


def _any_map(value: dict[str, Any]) -> str:
    # LinkedHashMap with null values allowed (Map.ofEntries forbids nulls).
    puts = "".join(f"put({_string(str(k))}, {_any_value(v)}); " for k, v in value.items())
    return f"(Object) new LinkedHashMap<String, Object>() {{{{ {puts}}}}}"


def _double(x: float) -> str:
    if math.isnan(x):
        return "Double.NaN"
    if math.isinf(x):
        return "Double.POSITIVE_INFINITY" if x > 0 else "Double.NEGATIVE_INFINITY"
    text = repr(x)  # shortest round-trip: "0.1", "1e+308", "5e-324", "-0.0"
    if "e" not in text and "." not in text:
        text += ".0"
    return text


def _string(s: str) -> str:
    """A Java string literal. Java turns \\uXXXX escapes into characters BEFORE lexing
    (a \\u000a would end the line), so control characters use 3-digit octal escapes and
    everything else non-ASCII stays raw UTF-8 (javac -encoding UTF-8)."""
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\{code:03o}")
        elif 0xD800 <= code <= 0xDFFF:
            raise _bad(TypeExpr("str"), "a lone surrogate is not UTF-8 text")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------------------- judging


def _out_of_memory(step: StepResult) -> bool:
    return step.exit_code != 0 and "java.lang.OutOfMemoryError" in step.stderr


def _judge_code(step: StepResult, problem: Problem) -> Verdict:
    if step.exit_code == 0:
        return Verdict(Status.PASSED)
    if step.signal is not None:
        return Verdict(Status.ERROR, f"killed by signal {step.signal}: {last_line(step.stderr)}")
    threw = _THREW.search(step.stderr)
    if threw is None:
        return Verdict(Status.ERROR, last_line(step.stderr) or f"exit status {step.exit_code}")
    reason = (threw.group(1) + threw.group(2)).strip()
    if threw.group(1) == "java.lang.AssertionError":
        return Verdict(Status.FAILED, reason,
                       failed_test=_failing_line(step.stderr[threw.end():], problem))
    return Verdict(Status.ERROR, reason)


def _failing_line(trace: str, problem: Problem) -> str | None:
    """``Main.java:23: throw new AssertionError();``: the innermost frame in Main.java."""
    frames = [(f, int(n)) for f, n in _FRAME.findall(trace) if f == "Main.java"]
    if not frames:
        return None
    _, number = frames[0]
    code = problem.tests.code if isinstance(problem.tests, CodeTests) else ""
    program = (problem.solution.rstrip("\n") + "\n\n" + code).splitlines()
    text = program[number - 1].strip() if 0 < number <= len(program) else ""
    return f"Main.java:{number}: {text}" if text else f"Main.java:{number}"


@codeaug.hookimpl
def register_languages(register):  # type: ignore[no-untyped-def]
    register(Java())
