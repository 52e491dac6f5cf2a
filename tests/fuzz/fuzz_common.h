/* What every libFuzzer harness of tests/fuzz/ needs: a property that fails is a trap (the
 * fuzzer keeps the input as a crash), and characters counted as the portal counts them. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>

static inline void fuzz_common_assert(int ok)
{
    if (!ok) {
        __builtin_trap();
    }
}

/* UTF-8 characters of `s` (continuation bytes not counted), as the limits count them. */
static inline size_t fuzz_common_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

#endif
