/* UTF-8 checks, and the accent- and case-insensitive folding of Latin text to ASCII (the
 * bank forms' address fields). */
#ifndef cmcas_text_h
#define cmcas_text_h

#include <apr_pools.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or NUL), else 0. */
int cmcas_text_utf8_valid(const char *s, apr_size_t len);

/* 1 when s[0..len) is valid UTF-8 made only of characters XML 1.0 allows (no C0
 * controls but tab and newlines, no U+FFFE/U+FFFF). */
int cmcas_text_xml_valid(const char *s, apr_size_t len);

/* A malloc'ed copy of s where every byte sequence that is not UTF-8, or not an XML
 * character, is replaced by U+FFFD; NULL when out of memory. For libxml2 callers. */
char *cmcas_text_xml_clean(const char *s);

/* Lower-cases ASCII and folds Latin accented letters and ligatures to ASCII
 * ("Théâtre Œuvre" -> "theatre oeuvre"). Bytes that are not UTF-8 become '?'. */
char *cmcas_text_fold(apr_pool_t *p, const char *s);

#endif
