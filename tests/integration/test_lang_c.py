"""C in the real sandbox (image ``gcc``): round trips over what C can express (scalars,
strings, arrays of scalars as pointer + length), hand-written problems of every test
kind, compile errors, wrong solutions, limits. HumanEval-X has no C."""

from __future__ import annotations

import functools

from codeaug_plugins.c_language import C
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codeaug.compare import values_equal
from codeaug.errors import UnsupportedTypeError
from codeaug.executor.pool import Executor
from codeaug.executor.protocol import Limits
from codeaug.images import ImageRef
from codeaug.testing import calls_problem, code_problem, io_problem, judge_in_pool, values_of
from codeaug.typesys import TypeExpr
from codeaug.verdict import Status

LANG = C()
LANGUAGE = LANG  # for the lang_image and lang_executor fixtures (conftest)
LIMITS = Limits(wall_seconds=5, cpu_seconds=5)
SCALARS = [TypeExpr(s) for s in ("int", "float", "bool", "str")]
C_TYPES = st.sampled_from(SCALARS + [TypeExpr("list", (s,)) for s in SCALARS])


run_all = functools.partial(judge_in_pool, LANG, limits=LIMITS)
calls = functools.partial(calls_problem, "c")
io = functools.partial(io_problem, "c")
code = functools.partial(code_problem, "c")


# ------------------------------------------------------------------ 1. round trips

PRELUDE = "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"


def identity_source(t: TypeExpr) -> str:
    params = [("x", t)]
    signature = LANG.render_signature("ident", params, t)
    if t.name == "list":
        return f"{PRELUDE}{signature} {{ *out_len = x_len; return x; }}\n"
    return f"{PRELUDE}{signature} {{ return x; }}\n"


def constant_source(t: TypeExpr, value: object) -> str:
    """Returns ``value`` whatever the argument."""
    signature = LANG.render_signature("ident", [("x", t)], t)
    if t.name == "list":
        assert isinstance(value, list)
        element = LANG.render_type(t.args[0])
        items = ", ".join(LANG.render_value(v, t.args[0]) for v in value) or "0"
        return (f"{PRELUDE}static {element} out[] = {{{items}}};\n"
                f"{signature} {{ *out_len = {len(value)}; return out; }}\n")
    return f"{PRELUDE}{signature} {{ return {LANG.render_value(value, t)}; }}\n"


@st.composite
def batches(draw: st.DrawFn) -> tuple[TypeExpr, list[object], object]:
    t = draw(C_TYPES)
    values = draw(st.lists(values_of(t), min_size=1, max_size=8))
    other = draw(values_of(t))
    try:
        for v in [*values, other]:
            LANG.render_value(v, t)
    except UnsupportedTypeError:  # a string holding NUL: not a C string
        assume(False)
    assume(not values_equal(other, values[0], t))
    return t, values, other


@settings(max_examples=16, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=batches())
def test_values_round_trip_through_the_harness(
    lang_executor: Executor, lang_image: ImageRef, batch: tuple[TypeExpr, list[object], object]
) -> None:
    t, values, other = batch
    identity = calls("rt/ident", identity_source(t), [("x", str(t))], str(t),
                     [([v], v) for v in values])
    constant = calls("rt/ident", constant_source(t, other), [("x", str(t))], str(t),
                     [([values[0]], values[0])])
    same, different = run_all(lang_executor, lang_image, [identity, constant])
    assert same.status is Status.PASSED, (same.reason, same.stderr[-2000:])
    assert different.status is Status.FAILED, (different.reason, different.stderr[-2000:])
    assert different.failed_test and different.failed_test.startswith("case 0: ident(")


# ---------------------------------------------------------- 2. hand-written problems

SUM = PRELUDE + """int64_t total(const int64_t* xs, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += xs[i];
    return s;
}
"""
UPPER = PRELUDE + """#include <ctype.h>
#include <stdlib.h>
#include <string.h>
char* upper(const char* s) {
    char* out = malloc(strlen(s) + 1);
    for (size_t i = 0; ; i++) { out[i] = (char)toupper((unsigned char)s[i]); if (!s[i]) break; }
    return out;
}
"""
EVENS = PRELUDE + """#include <stdlib.h>
double* halves(const int64_t* xs, size_t n, bool keep_odd, size_t* out_len) {
    double* out = malloc(sizeof(double) * (n ? n : 1));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (keep_odd || xs[i] % 2 == 0) out[k++] = xs[i] / 2.0;
    *out_len = k;
    return out;
}
"""


def test_hand_written_calls_problems(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        calls("hw/total", SUM, [("xs", "list[int]")], "int",
              [([[1, 2, 3]], 6), ([[]], 0), ([[-(2**62), -(2**62)]], -(2**63))]),
        calls("hw/upper", UPPER, [("s", "str")], "str",
              [(["abc"], "ABC"), ([""], ""), (['a"\\é'], 'A"\\é')]),
        calls("hw/halves", EVENS, [("xs", "list[int]"), ("keep_odd", "bool")], "list[float]",
              [([[1, 2, 3, 4], False], [1.0, 2.0]), ([[3], True], [1.5]), ([[], True], [])]),
        # Wrong: sums all but the last element.
        calls("hw/total", SUM.replace("i < n;", "i + 1 < n;"), [("xs", "list[int]")], "int",
              [([[]], 0), ([[5]], 5)]),
        # Crashes on the second case: the case is named.
        calls("hw/total",
              SUM.replace("s += xs[i];", "s += xs[i]; if (s == 7) *(volatile int*)0 = 1;"),
              [("xs", "list[int]")], "int", [([[1]], 1), ([[7]], 7)]),
    ]
    *passing, wrong, crash = run_all(lang_executor, lang_image, problems)
    assert [v.status for v in passing] == [Status.PASSED] * 3, [v.reason for v in passing]
    assert wrong.status is Status.FAILED and wrong.failed_test == "case 1: total([5])"
    assert wrong.reason == "expected 5, got 0"
    assert crash.status is Status.ERROR and crash.failed_test == "case 1: total([7])"


SUM_IO = ("#include <stdio.h>\nint main(void){long long n,s=0,x;scanf(\"%lld\",&n);"
          "while(n--){scanf(\"%lld\",&x);s+=x;}printf(\"%lld\\n\",s);return 0;}")


def test_io_problems(lang_executor: Executor, lang_image: ImageRef) -> None:
    problems = [
        io("hw/sum", SUM_IO, [("3\n1 2 3\n", "6\n"), ("0\n", "0\n")]),
        io("hw/echo", "#include <stdio.h>\nint main(void){int c;while((c=getchar())!=EOF)"
                      "putchar(c);return 0;}", [("héllo\nworld", "héllo\nworld"), ("", "")]),
        io("hw/lines", "#include <stdio.h>\nint main(void){char b[256];int n=0;"
                       "while(fgets(b,sizeof b,stdin))n++;printf(\"%d\\n\",n);return 0;}",
           [("a\nb\nc\n", "3\n")]),
        io("hw/sum_wrong", SUM_IO.replace("s+=x", "s-=x"), [("0\n", "0\n"), ("1\n5\n", "5\n")]),
    ]
    *passing, wrong = run_all(lang_executor, lang_image, problems)
    assert [v.status for v in passing] == [Status.PASSED] * 3, [v.reason for v in passing]
    assert wrong.status is Status.FAILED and wrong.failed_test == "case 1"


FACT = "#include <stdint.h>\nint64_t fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }\n"
FACT_TEST = ("#include <assert.h>\nint main(void) {\n    assert(fact(0) == 1);\n"
             "    assert(fact(5) == 120);\n    return 0;\n}\n")


def test_code_problems_and_every_failure_verdict(
    lang_executor: Executor, lang_image: ImageRef
) -> None:
    problems = [
        code("hw/fact", FACT, FACT_TEST),
        code("hw/strrev", "#include <string.h>\nvoid rev(char* s){size_t n=strlen(s);"
                          "for(size_t i=0;i<n/2;i++){char t=s[i];s[i]=s[n-1-i];s[n-1-i]=t;}}\n",
             "#include <assert.h>\nint main(void){char s[]=\"abc\";rev(s);"
             "assert(strcmp(s,\"cba\")==0);return 0;}"),
        code("hw/max", "int max3(int a,int b,int c){int m=a>b?a:b;return m>c?m:c;}\n",
             "#include <assert.h>\nint main(void){assert(max3(1,5,3)==5);"
             "assert(max3(-1,-5,-3)==-1);return 0;}"),
        code("hw/fact_wrong", FACT.replace("n <= 1 ? 1", "n <= 1 ? 0"), FACT_TEST),
        code("hw/syntax", "int f(void) { return 1 }\n", "int main(void) { return f(); }"),
        code("hw/loop", "void spin(void) { volatile long x = 0; for (;;) x++; }\n",
             "int main(void) { spin(); return 0; }"),
        code("hw/alloc", "#include <stdio.h>\n#include <stdlib.h>\n"
                         "char* hog(void) { volatile size_t n = (size_t)1 << 40;"
                         " char* p = malloc(n); p[0] = 1; return p; }\n",
             "int main(void) { printf(\"%p\\n\", (void*)hog()); return 0; }"),
        code("hw/segv", "int crash(int* p) { return *p; }\n",
             "int main(void) { return crash((int*)0); }"),
    ]
    # CPU time ends the loop; the wall clock has slack for a loaded machine.
    verdicts = run_all(lang_executor, lang_image, problems,
                       limits=Limits(wall_seconds=8, cpu_seconds=2))
    assert [v.status for v in verdicts] == [Status.PASSED] * 3 + [
        Status.FAILED, Status.COMPILE_ERROR, Status.TIMEOUT, Status.MEMORY_LIMIT,
        Status.ERROR], [(v.status, v.reason, v.stderr[-300:]) for v in verdicts]
    wrong, syntax = verdicts[3], verdicts[4]
    assert wrong.failed_test == "fact(0) == 1"
    assert syntax.reason.startswith("main.c:1:") and "error" in syntax.reason
    assert "SIGSEGV" in verdicts[7].reason
