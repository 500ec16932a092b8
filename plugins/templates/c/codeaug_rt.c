/* Linked into every C program codeaug builds (with -Wl,--wrap=malloc,...): an
 * allocation that fails is the memory limit, so it is reported as such on stderr
 * ("codeaug: out of memory") and the program aborts, instead of going on with a
 * NULL pointer and crashing somewhere unrelated. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void* __real_malloc(size_t size);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);

static void codeaug_out_of_memory(const char* what, size_t size) {
    char message[96];
    int length = snprintf(message, sizeof message,
                          "codeaug: out of memory: %s(%zu) failed\n", what, size);
    if (length > 0) {
        ssize_t ignored = write(2, message, (size_t)length);
        (void)ignored;
    }
    abort();
}

void* __wrap_malloc(size_t size) {
    void* p = __real_malloc(size);
    if (p == NULL && size != 0) codeaug_out_of_memory("malloc", size);
    return p;
}

void* __wrap_calloc(size_t count, size_t size) {
    void* p = __real_calloc(count, size);
    if (p == NULL && count != 0 && size != 0) codeaug_out_of_memory("calloc", count * size);
    return p;
}

void* __wrap_realloc(void* ptr, size_t size) {
    void* p = __real_realloc(ptr, size);
    if (p == NULL && size != 0) codeaug_out_of_memory("realloc", size);
    return p;
}
