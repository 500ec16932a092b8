/* codeaug's calls harness for C: prints what the candidate returned as JSON.
 * Written into every calls job beside main.c (see plugins/c_language.py); the report
 * format is documented in codeaug/calls.py. */
#ifndef CODEAUG_JSON_H
#define CODEAUG_JSON_H

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODEAUG_UNUSED __attribute__((unused))

static CODEAUG_UNUSED void codeaug_case_ok(int index) {
    fflush(stdout);
    printf("\n@@codeaug-case@@ %d ok ", index);
}

static CODEAUG_UNUSED void codeaug_end_case(void) {
    putchar('\n');
    fflush(stdout);
}

static CODEAUG_UNUSED void codeaug_done(void) {
    fflush(stdout);
    printf("\n@@codeaug-done@@\n");
    fflush(stdout);
}

static CODEAUG_UNUSED void codeaug_print_int(int64_t value) { printf("%" PRId64, value); }

static CODEAUG_UNUSED void codeaug_print_bool(bool value) {
    fputs(value ? "true" : "false", stdout);
}

static CODEAUG_UNUSED void codeaug_print_double(double value) {
    if (isnan(value)) fputs("NaN", stdout);
    else if (isinf(value)) fputs(value < 0 ? "-Infinity" : "Infinity", stdout);
    else {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", value);
        fputs(buf, stdout);
        if (strpbrk(buf, ".en") == NULL) fputs(".0", stdout); /* -0.0 stays -0.0, not 0 */
    }
}

static CODEAUG_UNUSED void codeaug_print_str(const char* s) {
    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
        unsigned char c = *p;
        switch (c) {
            case '"': fputs("\\\"", stdout); break;
            case '\\': fputs("\\\\", stdout); break;
            case '\n': fputs("\\n", stdout); break;
            case '\r': fputs("\\r", stdout); break;
            case '\t': fputs("\\t", stdout); break;
            default:
                if (c < 0x20 || c == 0x7f) printf("\\u%04x", c);
                else putchar(c); /* UTF-8 passes through */
        }
    }
    putchar('"');
}

/* Arrays: NULL with a length > 0 is reported as null; length 0 is [] either way. */
#define CODEAUG_ARRAY_PRINTER(NAME, T, PRINT)                                  \
    static CODEAUG_UNUSED void NAME(T values, size_t length) {                 \
        if (values == NULL && length > 0) {                                    \
            fputs("null", stdout);                                             \
            return;                                                            \
        }                                                                      \
        putchar('[');                                                          \
        for (size_t i = 0; i < length; i++) {                                  \
            if (i) putchar(',');                                               \
            PRINT(values[i]);                                                  \
        }                                                                      \
        putchar(']');                                                          \
    }

CODEAUG_ARRAY_PRINTER(codeaug_print_int_array, const int64_t*, codeaug_print_int)
CODEAUG_ARRAY_PRINTER(codeaug_print_double_array, const double*, codeaug_print_double)
CODEAUG_ARRAY_PRINTER(codeaug_print_bool_array, const bool*, codeaug_print_bool)
CODEAUG_ARRAY_PRINTER(codeaug_print_str_array, const char* const*, codeaug_print_str)

#endif
