/* The e-mails sent to members: one RFC 5322 message (multipart/alternative, French
 * text/plain and text/html in UTF-8, quoted-printable) composed from plain values read
 * at delivery time. Every value is cleaned of control characters and every address
 * checked, so nothing a member or a staff typed can add a header; the HTML part escapes
 * everything. Lines end with LF, as a local sendmail command expects. No httpd types. */
#ifndef cmcas_mail_h
#define cmcas_mail_h

#include <apr_pools.h>
#include <apr_time.h>

/* What one message says, and to whom. */
typedef struct {
    const char *kind;               /* one of cmcas_outbox_store.h's kinds */
    const char *event_key;          /* the stable Message-ID is derived from it */
    apr_time_t date;                /* the Date header */
    const char *from_name;          /* the member's CMCAS: CMCASName */
    const char *from_email;         /* its CMCASEmail */
    const char *to_email;           /* the household's address */
    const char *to_name;            /* « Gael CLASSEN », or NULL */
    const char *portal_url;         /* CMCASPortalURL: the absolute base of the member's
                                     * own portal, every link starts with it */
    apr_int64_t registration_id;    /* 0 when none */
    const char *activity_title;     /* NULL when unknown */
    const char *activity_start;     /* ISO dates, or NULL */
    const char *activity_end;
    const char *order_reference;    /* NULL when no order */
    apr_int64_t order_total;        /* cents */
    const char *order_hold_until;   /* ISO 8601 UTC stamp: when an unpaid order ends */
    const char *desk_name;          /* the CMCAS paid at its desk (the organiser) */
    const char *desk_street;        /* its CMCASAddress, NULL when not given */
    const char *desk_postcode;
    const char *desk_city;
    const char *desk_phone;
    const char *detail;             /* the pay-by date, the waiting position, the draw
                                     * date, the reason of a cancellation by the CMCAS
                                     * (see cmcas_outbox_store.h) */
} cmcas_mail_t;

/* Why `kind` with `detail` cannot make a message (unknown kind, a date that is not ISO,
 * a position that is not a number), in English; NULL when it can. */
const char *cmcas_mail_check(apr_pool_t *p, const char *kind, const char *detail);

/* The whole message in *pmsg. APR_EINVAL with *perr (English) when a value cannot be
 * used: a bad address (From or To), a portal URL that is not absolute, a bad detail. */
apr_status_t cmcas_mail_compose(const char **pmsg, apr_pool_t *p, const cmcas_mail_t *m,
                                const char **perr);

/* The pieces, for the tests. */
/* 1 when `s` is a plain address (local@domain, printable ASCII, nothing that could end a
 * header or start another address). */
int cmcas_mail_address_ok(const char *s);
/* `s` with every control character (CR and LF included) turned into a space. */
const char *cmcas_mail_clean(apr_pool_t *p, const char *s);
/* Quoted-printable of UTF-8 text with LF line ends (RFC 2045: lines of at most 76). */
const char *cmcas_mail_qp(apr_pool_t *p, const char *s);
/* A header value of UTF-8 text as encoded words (RFC 2047, B), folded; ASCII text as is. */
const char *cmcas_mail_encode_header(apr_pool_t *p, const char *s);
/* "<hex.cmcas@domain>": the same event always gets the same id. */
const char *cmcas_mail_message_id(apr_pool_t *p, const char *event_key, const char *domain);

#endif
