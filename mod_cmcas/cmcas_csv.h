/* CSV for spreadsheets (the organisers' exports): UTF-8 with a byte order mark, fields
 * separated by « ; » and lines ended by CRLF, which French Excel opens as columns with
 * its accents right (a comma file without a BOM opens as one column of mojibake). A
 * field with « ; », a quote or a line break is quoted, quotes doubled (RFC 4180). A
 * field that a spreadsheet would take for a formula (first character =, +, -, @, tab or
 * CR: OWASP's « CSV injection » rule) gets a leading « ' », so that a member's text never
 * runs as a formula on a staff member's machine. No httpd types. */
#ifndef cmcas_csv_h
#define cmcas_csv_h

#include <apr_pools.h>
#include <apr_tables.h>

#define CMCAS_CSV_BOM "\xEF\xBB\xBF"

typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *parts;      /* const char *, joined by cmcas_csv_text */
    int fields;                     /* fields written on the current line */
} cmcas_csv_t;

/* A new file, its BOM written. */
cmcas_csv_t *cmcas_csv_new(apr_pool_t *p);
/* Adds a field to the current line (NULL: an empty field). */
void cmcas_csv_field(cmcas_csv_t *csv, const char *value);
void cmcas_csv_int(cmcas_csv_t *csv, apr_int64_t value);
/* Ends the current line (CRLF). */
void cmcas_csv_end_line(cmcas_csv_t *csv);
/* The whole file and its length. */
const char *cmcas_csv_text(const cmcas_csv_t *csv, apr_size_t *plen);

/* One field as written: neutralised, then quoted when it must be. */
const char *cmcas_csv_quote(apr_pool_t *p, const char *value);

#endif
