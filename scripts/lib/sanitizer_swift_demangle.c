/* Preloaded by scripts/lib/with-sanitizers between the sanitizers' runtimes and the
 * module: a swift_demangle that demangles nothing (NULL: the name is shown as it is).
 *
 * Why: httpd is not instrumented, so AddressSanitizer starts at the process's first
 * malloc, and with the module preloaded that malloc came from libgpg-error's constructor,
 * inside bindtextdomain(), which holds glibc's gettext lock as a writer. ASan's start-up
 * looks up swift_demangle with dlsym() and clears the failure with dlerror(), which
 * formats its message through gettext: it took the same lock again and left it
 * unbalanced, and libpq's first connection (bindtextdomain again) waited for ever in
 * every worker. Found, dlsym() leaves no error for dlerror() to format. */
#include <stddef.h>
#include <stdint.h>

char *swift_demangle(const char *mangled, size_t mangled_len, char *out, size_t *out_len,
                     uint32_t flags);

char *swift_demangle(const char *mangled, size_t mangled_len, char *out, size_t *out_len,
                     uint32_t flags)
{
    (void)mangled;
    (void)mangled_len;
    (void)out;
    (void)out_len;
    (void)flags;
    return NULL;
}
