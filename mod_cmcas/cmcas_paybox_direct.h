/* Paybox Direct (PPPS), server to server: asking the bank whether THIS merchant account
 * holds the transaction a notification names. The RSA signature of a notification only
 * proves that the bank signed it: the bank's public test platform signs with the
 * production key, and a payment to another merchant account of the same bank, with our
 * reference and amount, is signed alike. No httpd types.
 *
 * Two questions (Paybox Direct manual; Verifone's PrestaShop module 3.2, nexylan and
 * BenMorel's clients): 00017 « consultation » of a transaction number (NUMTRANS,
 * NUMAPPEL) answers its STATUS and AUTORISATION; 00011 « vérification de l'existence
 * d'une transaction » of a reference and an amount (REFERENCE, MONTANT, DEVISE) answers
 * the NUMTRANS/NUMAPPEL of the one this account holds. Neither answer echoes the
 * reference or the amount: 00017 binds the number to the account and the status, 00011
 * the reference and the amount to that number. Questions are authenticated by
 * HASH=SHA512 + HMAC (the back office's HMAC key, as Verifone's modules do) or, on older
 * contracts, by the account's CLE. Answers are "NAME=value&..." in ISO-8859-1. */
#ifndef cmcas_paybox_direct_h
#define cmcas_paybox_direct_h

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "cmcas_gateway.h"

#define CMCAS_PAYBOX_DIRECT_VERSION "00103"     /* Paybox Direct (00104: Direct Plus) */
#define CMCAS_PAYBOX_DIRECT_INQUIRY "00017"     /* status of a transaction number */
#define CMCAS_PAYBOX_DIRECT_EXISTS "00011"      /* the transaction of a reference, amount */

/* Bounds of an answer: real ones are ~300 bytes and ~15 variables. */
#define CMCAS_PAYBOX_DIRECT_MAX_ANSWER 4096
#define CMCAS_PAYBOX_DIRECT_MAX_PAIRS 64
#define CMCAS_PAYBOX_DIRECT_MAX_VALUE 512

/* The merchant account that asks (the payee's). */
typedef struct {
    const char *site, *rang, *identifiant;
    const char *hex_key;        /* HMAC-SHA-512 authentication (hex, back office key)... */
    const char *cle;            /* ...or the CLE, when hex_key is NULL */
    int production;             /* 1: XXXXXX (the test platform's authorisation) refused */
} cmcas_paybox_direct_account_t;

/* The transaction a verified notification names. */
typedef struct {
    const char *reference;      /* PBX_CMD */
    apr_int64_t amount;         /* cents, as notified (the first instalment) */
    const char *trans;          /* S: the transaction number (NUMTRANS) */
    const char *call;           /* T: the call number (NUMAPPEL), or NULL */
    const char *authorization;  /* A, or NULL */
} cmcas_paybox_direct_tx_t;

/* The x-www-form-urlencoded body of question `type` (CMCAS_PAYBOX_DIRECT_INQUIRY or
 * _EXISTS) numbered `numquestion` (1 to 2147483647, unique for the site over a day), at
 * `dateq` (JJMMAAAAHHMMSS). APR_EINVAL with *perr (never a secret) when a value cannot
 * be sent: a transaction or call number that is not 1 to 10 digits, an empty reference,
 * a bad key. */
apr_status_t cmcas_paybox_direct_question(const char **pbody, apr_pool_t *p,
                                          const cmcas_paybox_direct_account_t *acc,
                                          const char *type,
                                          const cmcas_paybox_direct_tx_t *tx,
                                          unsigned long numquestion, const char *dateq,
                                          const char **perr);

/* DATEQ of a time: JJMMAAAAHHMMSS, local time. */
const char *cmcas_paybox_direct_dateq(apr_pool_t *p, apr_time_t t);

/* A question number from a time and a random number: the second of the day times 10000
 * plus noise % 10000, plus 1 (1 to 864000000: under the bank's 2147483647). */
unsigned long cmcas_paybox_direct_numquestion(apr_time_t t, unsigned int noise);

/* Reads an answer body (len bytes, no NUL needed): *pans maps each NAME to its decoded
 * value ('+' a space, %XX a byte; raw ISO-8859-1 bytes kept). APR_EINVAL with *perr when
 * empty, larger than CMCAS_PAYBOX_DIRECT_MAX_ANSWER, or malformed (a pair without '=',
 * a bad name, a bad escape, a NUL, a name twice, too many pairs, a value too long). */
apr_status_t cmcas_paybox_direct_parse(apr_table_t **pans, apr_pool_t *p, const char *body,
                                       apr_size_t len, const char **perr);

/* What answer `ans` to question `type` numbered `numquestion` says of `tx` for `acc`:
 * CONFIRMED when it is consistent with an authorised or captured transaction of this
 * account; DENIED when the bank says otherwise (unknown to this account: CODEREPONSE
 * 00018; an answer for another account; another number; a status other than « Autorisé »
 * or « Capturé »; the test platform's authorisation XXXXXX on a production account, or
 * another authorisation than notified); UNAVAILABLE when the bank could not answer (any
 * other code, an answer to another question, a malformed answer). *pwhy: a short English
 * reason, for the log and the order's history. */
cmcas_gateway_check_t cmcas_paybox_direct_judge(apr_pool_t *p,
                                                const cmcas_paybox_direct_account_t *acc,
                                                const char *type,
                                                const cmcas_paybox_direct_tx_t *tx,
                                                unsigned long numquestion,
                                                const apr_table_t *ans, const char **pwhy);

#endif
