#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_base64.h>
#include <openssl/evp.h>

#include "cmcas_mail.h"
#include "cmcas_date.h"
#include "cmcas_money.h"

/* ------------------------------------------------------------------------------- */
/* Encodings */

int cmcas_mail_address_ok(const char *s)
{
    const char *at, *c;

    if (!s || !*s || strlen(s) > 254 || !(at = strchr(s, '@')) || at == s || !at[1]
        || strchr(at + 1, '@')) {
        return 0;
    }
    for (c = s; *c; c++) {
        /* Printable ASCII without space, and nothing with a meaning in an address
         * header (a second address, a display name, a comment, a route). */
        if (*c <= ' ' || *c >= 127 || strchr("<>()[],;:\"\\", *c)) {
            return 0;
        }
    }
    return 1;
}

const char *cmcas_mail_clean(apr_pool_t *p, const char *s)
{
    char *out, *c;

    if (!s) {
        return NULL;
    }
    out = apr_pstrdup(p, s);
    for (c = out; *c; c++) {
        if ((unsigned char)*c < 32 || *c == 127) {
            *c = ' ';
        }
    }
    return out;
}

const char *cmcas_mail_qp(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len = strlen(s), i, col = 0, n = 0;
    char *out = apr_palloc(p, len * 3 + len / 25 * 2 + 8);

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char tok[3];
        apr_size_t tl = 1;
        int eol = i + 1 == len || s[i + 1] == '\n';

        if (c == '\n') {
            out[n++] = '\n';
            col = 0;
            continue;
        }
        tok[0] = (char)c;
        /* Encoded: '=', controls, 8-bit bytes, a space or tab ending a line (transports
         * drop them), and a line's leading '.' (SMTP) or "From " (mbox) start. */
        if (c == '=' || (c < 32 && c != '\t') || c > 126 || ((c == ' ' || c == '\t') && eol)
            || (col == 0 && (c == '.' || (c == 'F' && !strncmp(s + i, "From ", 5))))) {
            tok[0] = '=';
            tok[1] = hex[c >> 4];
            tok[2] = hex[c & 15];
            tl = 3;
        }
        /* A soft break keeps lines at 76 with the '=' (one more if a line goes on). */
        if (col + tl > (eol ? 76u : 75u)) {
            out[n++] = '=';
            out[n++] = '\n';
            col = 0;
        }
        memcpy(out + n, tok, tl);
        n += tl;
        col += tl;
    }
    out[n] = '\0';
    return out;
}

static int cmcas_mail_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 32 || (unsigned char)*s > 126) {
            return 0;
        }
    }
    return 1;
}

/* Encoded words of 64 characters (39 bytes of text each: a header line with its name
 * stays within 78), never cutting a UTF-8 character in two, folded on the next line. */
static const char *cmcas_mail_words(apr_pool_t *p, const char *s)
{
    const char *out = NULL;
    apr_size_t len = strlen(s), at = 0;

    while (at < len) {
        apr_size_t n = len - at > 39 ? 39 : len - at;
        char *b64;
        while (at + n < len && n > 1 && ((unsigned char)s[at + n] & 0xC0) == 0x80) {
            n--;
        }
        b64 = apr_palloc(p, (apr_size_t)apr_base64_encode_len((int)n));
        apr_base64_encode(b64, s + at, (int)n);
        out = apr_pstrcat(p, out ? out : "", out ? "\n " : "", "=?UTF-8?B?", b64, "?=",
                          NULL);
        at += n;
    }
    return out ? out : "";
}

const char *cmcas_mail_encode_header(apr_pool_t *p, const char *s)
{
    s = cmcas_mail_clean(p, s ? s : "");
    return cmcas_mail_ascii(s) && strlen(s) <= 900 ? s : cmcas_mail_words(p, s);
}

/* A display name: a quoted string when plain ASCII allows it, else encoded words. */
static const char *cmcas_mail_phrase(apr_pool_t *p, const char *name)
{
    name = cmcas_mail_clean(p, name);
    if (cmcas_mail_ascii(name) && !strpbrk(name, "\"\\") && strlen(name) <= 200) {
        return apr_pstrcat(p, "\"", name, "\"", NULL);
    }
    return cmcas_mail_words(p, name);
}

static const char *cmcas_mail_hash(apr_pool_t *p, const char *s, int nhex)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    char *out = apr_palloc(p, (apr_size_t)nhex + 1);

    EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL);
    for (i = 0; i < (unsigned)nhex / 2 && i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * i] = '\0';
    return out;
}

const char *cmcas_mail_message_id(apr_pool_t *p, const char *event_key, const char *domain)
{
    return apr_pstrcat(p, "<", cmcas_mail_hash(p, event_key, 32), ".cmcas@", domain, ">",
                       NULL);
}

/* RFC 5322's date, in UTC: "Tue, 03 Mar 2026 10:00:00 +0000". */
static const char *cmcas_mail_date(apr_pool_t *p, apr_time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                         "Aug", "Sep", "Oct", "Nov", "Dec"};
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                        tm.tm_min, tm.tm_sec);
}

static const char *cmcas_mail_html_escape(apr_pool_t *p, const char *s)
{
    apr_size_t n = 0;
    const char *c;
    char *out, *o;

    for (c = s; *c; c++) {
        n += *c == '&' ? 5 : (*c == '<' || *c == '>') ? 4 : (*c == '"' || *c == '\'') ? 6 : 1;
    }
    o = out = apr_palloc(p, n + 1);
    for (c = s; *c; c++) {
        const char *rep = *c == '&' ? "&amp;" : *c == '<' ? "&lt;" : *c == '>' ? "&gt;"
                        : *c == '"' ? "&quot;" : *c == '\'' ? "&#39;" : NULL;
        if (rep) {
            memcpy(o, rep, strlen(rep));
            o += strlen(rep);
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------------------------------- */
/* The text */

/* The two parts, written together paragraph by paragraph. */
typedef struct {
    apr_pool_t *pool;
    const char *text;
    const char *html;
} cmcas_mail_body_t;

static void cmcas_mail_para(cmcas_mail_body_t *b, const char *s)
{
    b->text = apr_pstrcat(b->pool, b->text, s, "\n\n", NULL);
    b->html = apr_pstrcat(b->pool, b->html, "<p>", cmcas_mail_html_escape(b->pool, s),
                          "</p>\n", NULL);
}

/* A paragraph ending with a link shown in full (a text reader sees where it goes). */
static void cmcas_mail_link(cmcas_mail_body_t *b, const char *intro, const char *url)
{
    const char *u = cmcas_mail_html_escape(b->pool, url);
    b->text = apr_pstrcat(b->pool, b->text, intro, "\n", url, "\n\n", NULL);
    b->html = apr_pstrcat(b->pool, b->html, "<p>", cmcas_mail_html_escape(b->pool, intro),
                          "<br>\n<a href=\"", u, "\">", u, "</a></p>\n", NULL);
}

static const char *const cmcas_mail_kinds[] = {
    "validated", "request", "order_desk", "payment_accepted", "payment_refused",
    "cancelled", "selected", "waiting", "promoted", "not_selected", "released",
    "refund_due", "refunded", NULL
};

const char *cmcas_mail_check(apr_pool_t *p, const char *kind, const char *detail)
{
    int i;

    for (i = 0; kind && cmcas_mail_kinds[i] && strcmp(kind, cmcas_mail_kinds[i]); i++) {
    }
    if (!kind || !cmcas_mail_kinds[i]) {
        return apr_psprintf(p, "unknown kind of message '%s'", kind ? kind : "(null)");
    }
    if (!strcmp(kind, "selected") || !strcmp(kind, "promoted") || !strcmp(kind, "request")) {
        cmcas_date_t d;
        if (!detail || APR_SUCCESS != cmcas_date_parse_iso(&d, detail)) {
            return apr_psprintf(p, "a message '%s' needs an ISO date (YYYY-MM-DD), not '%s'",
                                kind, detail ? detail : "(none)");
        }
    }
    if (!strcmp(kind, "waiting")
        && (!detail || !*detail || strspn(detail, "0123456789") != strlen(detail)
            || strlen(detail) > 6 || *detail == '0')) {
        return apr_psprintf(p, "a message 'waiting' needs a position (1, 2...), not '%s'",
                            detail ? detail : "(none)");
    }
    return NULL;
}

/* "le 10/06/2027" or "du 10/06/2027 au 12/06/2027"; "" when unknown. */
static const char *cmcas_mail_dates(apr_pool_t *p, const cmcas_mail_t *m)
{
    const char *s = m->activity_start ? cmcas_date_iso_to_fr(p, m->activity_start) : NULL;
    const char *e = m->activity_end ? cmcas_date_iso_to_fr(p, m->activity_end) : NULL;

    if (!s) {
        return "";
    }
    if (!e || !strcmp(s, e)) {
        return apr_pstrcat(p, " (le ", s, ")", NULL);
    }
    return apr_pstrcat(p, " (du ", s, " au ", e, ")", NULL);
}

/* "28/11/2026 à 11:14" (server's local time) from an ISO stamp. */
static const char *cmcas_mail_until(apr_pool_t *p, const char *stamp)
{
    const char *local = stamp ? cmcas_date_stamp_local(p, stamp) : NULL;
    const char *sp = local ? strchr(local, ' ') : NULL;

    if (!sp) {
        return NULL;
    }
    return apr_pstrcat(p, apr_pstrndup(p, local, (apr_size_t)(sp - local)), " à ", sp + 1,
                       NULL);
}

/* The subject and the paragraphs of each kind (every value already cleaned). */
static void cmcas_mail_kind(const char **psubject, cmcas_mail_body_t *b,
                            const cmcas_mail_t *m, const char *base)
{
    apr_pool_t *p = b->pool;
    const char *k = m->kind;
    const char *title = m->activity_title ? m->activity_title : "votre activité";
    const char *act = m->activity_title
        ? apr_pstrcat(p, "« ", m->activity_title, " »", cmcas_mail_dates(p, m), NULL)
        : "votre activité";
    const char *ref = m->order_reference ? m->order_reference : "";
    const char *total = cmcas_money_format(p, m->order_total);
    const char *mine = apr_pstrcat(p, base, "/mes-inscriptions", NULL);
    const char *reg = m->registration_id
        ? apr_psprintf(p, "%s/mes-inscriptions/%" APR_INT64_T_FMT, base, m->registration_id)
        : mine;
    const char *order = apr_pstrcat(p, base, "/mes-commandes/", ref, NULL);
    const char *until = cmcas_mail_until(p, m->order_hold_until);
    const char *day = m->detail ? cmcas_date_iso_to_fr(p, m->detail) : NULL;

    if (!strcmp(k, "validated")) {
        *psubject = apr_pstrcat(p, "Inscription validée : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Votre inscription à ", act, " est validée : "
                                       "vos places sont réservées.", NULL));
        cmcas_mail_link(b, "Pour la payer, choisissez « Procéder au paiement » sur votre "
                           "inscription :", reg);
    }
    else if (!strcmp(k, "request")) {
        *psubject = apr_pstrcat(p, "Demande d'inscription enregistrée : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Votre demande d'inscription à ", act,
                                       " est enregistrée.", NULL));
        cmcas_mail_para(b, apr_pstrcat(p, "Les places de cette activité sont attribuées à "
                                       "tour de rôle : le tirage aura lieu le ", day,
                                       ". Aucune place n'est réservée d'ici là ; vous "
                                       "recevrez alors un message qui vous dira si votre "
                                       "inscription est retenue.", NULL));
        cmcas_mail_link(b, "Votre demande :", reg);
    }
    else if (!strcmp(k, "order_desk")) {
        int adjustment = m->detail && *m->detail;
        const char *where = m->desk_street
            ? apr_pstrcat(p, ", ", m->desk_street, ", ", m->desk_postcode ? m->desk_postcode
                          : "", m->desk_postcode ? " " : "", m->desk_city ? m->desk_city : "",
                          NULL) : "";
        *psubject = apr_pstrcat(p, "Commande ", ref, " : paiement à l'accueil de la CMCAS",
                                NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Votre commande ", ref, " pour ", act, ", d'un "
                                       "montant de ", total, ", est à régler à l'accueil de "
                                       "la ", m->desk_name ? m->desk_name : "CMCAS", where,
                                       m->desk_phone ? " (tél. " : "",
                                       m->desk_phone ? m->desk_phone : "",
                                       m->desk_phone ? ")" : "",
                                       until && !adjustment ? ", jusqu'au " : "",
                                       until && !adjustment ? until : "", ".", NULL));
        /* With a detail: the difference of a paid registration changed by the CMCAS at
         * the member's request (the reason its staff gave); it holds no places. */
        if (adjustment) {
            cmcas_mail_para(b, apr_pstrcat(p, "Elle correspond à la modification de votre "
                                           "inscription faite par la CMCAS à votre "
                                           "demande : ", m->detail, ". Votre inscription "
                                           "reste payée et vos places réservées.", NULL));
        }
        else {
            cmcas_mail_para(b, "Vos places sont réservées jusque-là ; passé ce délai, la "
                               "commande est annulée et les places sont libérées.");
        }
        cmcas_mail_link(b, "Votre commande :", order);
    }
    else if (!strcmp(k, "payment_accepted")) {
        *psubject = apr_pstrcat(p, "Paiement accepté : commande ", ref, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Le paiement de votre commande ", ref, " (", total,
                                       ") pour ", act, " est accepté : votre inscription "
                                       "est confirmée.", NULL));
        cmcas_mail_link(b, "Votre commande et sa facture :", order);
    }
    else if (!strcmp(k, "payment_refused")) {
        *psubject = apr_pstrcat(p, "Paiement refusé : commande ", ref, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Le paiement de votre commande ", ref, " (", total,
                                       ") pour ", act, " a été refusé par la banque.",
                                       NULL));
        cmcas_mail_para(b, apr_pstrcat(p, "Vos places restent réservées",
                                       until ? " jusqu'au " : "", until ? until : "",
                                       " : vous pouvez réessayer le paiement depuis votre "
                                       "commande.", NULL));
        cmcas_mail_link(b, "Votre commande :", order);
    }
    else if (!strcmp(k, "cancelled")) {
        *psubject = apr_pstrcat(p, "Inscription annulée : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Votre inscription à ", act, " est annulée",
                                       m->order_reference ? ", avec la commande " : "", ref,
                                       ". Les places qu'elle réservait sont libérées.",
                                       NULL));
        /* Cancelled by the CMCAS: the detail is the reason its staff gave. */
        if (m->detail && *m->detail) {
            cmcas_mail_para(b, apr_pstrcat(p, "Cette annulation a été faite par la CMCAS, "
                                           "pour le motif suivant : ", m->detail, NULL));
            cmcas_mail_para(b, "Si vous l'aviez déjà payée, la CMCAS vous remboursera. "
                               "Pour toute question, contactez la CMCAS.");
        }
        cmcas_mail_link(b, "Vos inscriptions :", mine);
    }
    else if (!strcmp(k, "selected") || !strcmp(k, "promoted")) {
        int promoted = k[0] == 'p';
        *psubject = apr_pstrcat(p, promoted ? "Une place s'est libérée : "
                                            : "Inscription retenue : ", title, NULL);
        cmcas_mail_para(b, promoted
                        ? apr_pstrcat(p, "Des places se sont libérées : votre inscription à ",
                                      act, ", qui était sur liste d'attente, est maintenant "
                                      "retenue.", NULL)
                        : apr_pstrcat(p, "Bonne nouvelle : à l'issue du tirage, votre "
                                      "inscription à ", act, " est retenue.", NULL));
        cmcas_mail_para(b, apr_pstrcat(p, "Pour garder vos places, payez-la au plus tard le ",
                                       day, " : passé cette date, elles seront proposées "
                                       "aux inscrits de la liste d'attente.", NULL));
        cmcas_mail_link(b, "Payez depuis « Mes inscriptions » (« Procéder au paiement ») :",
                        mine);
    }
    else if (!strcmp(k, "waiting")) {
        *psubject = apr_pstrcat(p, "Liste d'attente : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "À l'issue du tirage, votre inscription à ", act,
                                       " est sur liste d'attente, en position ", m->detail,
                                       ".", NULL));
        cmcas_mail_para(b, "Si des places se libèrent, elles vous seront proposées dans cet "
                           "ordre et vous recevrez un message.");
        cmcas_mail_link(b, "Votre inscription :", reg);
    }
    else if (!strcmp(k, "not_selected")) {
        *psubject = apr_pstrcat(p, "Inscription non retenue : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "À l'issue du tirage, votre inscription à ", act,
                                       " n'a pas pu être retenue : à la date du tirage, "
                                       "elle ne remplissait plus les conditions "
                                       "d'inscription (âge, CMCAS, prestations). Pour toute "
                                       "question, contactez la CMCAS.", NULL));
        cmcas_mail_link(b, "Le détail du tirage figure sur votre inscription :", reg);
    }
    else if (!strcmp(k, "refund_due")) {
        /* The detail is the reason the CMCAS's staff gave for the change. */
        *psubject = apr_pstrcat(p, "Remboursement à venir : commande ", ref, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "La CMCAS a modifié votre inscription à ", act,
                                       " à votre demande",
                                       m->detail && *m->detail ? " (" : "",
                                       m->detail ? m->detail : "",
                                       m->detail && *m->detail ? ")" : "",
                                       " : son prix baisse de ", total, ". La CMCAS vous "
                                       "remboursera cette somme (commande ", ref, ") ; "
                                       "votre inscription reste payée.", NULL));
        cmcas_mail_link(b, "Votre commande et son avoir :", order);
    }
    else if (!strcmp(k, "refunded")) {
        /* The detail is how the CMCAS refunded (« chèque », « virement »...). */
        *psubject = apr_pstrcat(p, "Remboursement effectué : commande ", ref, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "La CMCAS vous a remboursé ", total, " pour ", act,
                                       " (commande ", ref, ")",
                                       m->detail && *m->detail ? ", par " : "",
                                       m->detail ? m->detail : "", ".", NULL));
        cmcas_mail_link(b, "Votre commande :", order);
    }
    else {      /* released */
        *psubject = apr_pstrcat(p, "Places libérées : ", title, NULL);
        cmcas_mail_para(b, apr_pstrcat(p, "Le délai de paiement de votre inscription à ", act,
                                       m->order_reference ? " (commande " : "", ref,
                                       m->order_reference ? ")" : "", " est dépassé : "
                                       "l'inscription est annulée et ses places sont "
                                       "libérées.", NULL));
        cmcas_mail_link(b, "Vos inscriptions :", mine);
    }
}

/* ------------------------------------------------------------------------------- */
/* The message */

/* Every text value of `in` cleaned of control characters. */
static void cmcas_mail_cleaned(cmcas_mail_t *m, apr_pool_t *p, const cmcas_mail_t *in)
{
    *m = *in;
    m->from_name = cmcas_mail_clean(p, in->from_name);
    m->to_name = cmcas_mail_clean(p, in->to_name);
    m->activity_title = cmcas_mail_clean(p, in->activity_title);
    m->order_reference = cmcas_mail_clean(p, in->order_reference);
    m->desk_name = cmcas_mail_clean(p, in->desk_name);
    m->desk_street = cmcas_mail_clean(p, in->desk_street);
    m->desk_postcode = cmcas_mail_clean(p, in->desk_postcode);
    m->desk_city = cmcas_mail_clean(p, in->desk_city);
    m->desk_phone = cmcas_mail_clean(p, in->desk_phone);
    m->detail = cmcas_mail_clean(p, in->detail);
}

/* An absolute http(s) URL with nothing that would end it in a text or an attribute. */
static int cmcas_mail_url_ok(const char *u)
{
    const char *c;

    if (!u || !((!strncmp(u, "https://", 8) && u[8]) || (!strncmp(u, "http://", 7) && u[7]))) {
        return 0;
    }
    for (c = u; *c; c++) {
        if (*c <= ' ' || *c >= 127 || strchr("<>\"'\\`", *c)) {
            return 0;
        }
    }
    return 1;
}

apr_status_t cmcas_mail_compose(const char **pmsg, apr_pool_t *p, const cmcas_mail_t *in,
                                const char **perr)
{
    cmcas_mail_t m;
    cmcas_mail_body_t b;
    const char *subject = "", *why, *base, *boundary, *hello, *sign;
    apr_size_t n;

    *pmsg = NULL;
    if ((why = cmcas_mail_check(p, in->kind, in->detail))) {
        *perr = why;
        return APR_EINVAL;
    }
    if (!cmcas_mail_address_ok(in->from_email) || !in->from_name) {
        *perr = apr_psprintf(p, "the sender's address '%s' is not usable (CMCASEmail)",
                             in->from_email ? in->from_email : "(none)");
        return APR_EINVAL;
    }
    if (!cmcas_mail_address_ok(in->to_email)) {
        *perr = apr_psprintf(p, "the household's address '%s' is not usable",
                             in->to_email ? cmcas_mail_clean(p, in->to_email) : "(none)");
        return APR_EINVAL;
    }
    if (!cmcas_mail_url_ok(in->portal_url)) {
        *perr = "the portal's URL is not an absolute http(s) URL (CMCASPortalURL)";
        return APR_EINVAL;
    }
    cmcas_mail_cleaned(&m, p, in);
    base = apr_pstrdup(p, m.portal_url);
    for (n = strlen(base); n > 8 && base[n - 1] == '/'; n--) {
        ((char *)base)[n - 1] = '\0';
    }
    b.pool = p;
    hello = m.to_name && *m.to_name ? apr_pstrcat(p, "Bonjour ", m.to_name, ",", NULL)
                                    : "Bonjour,";
    b.text = apr_pstrcat(p, hello, "\n\n", NULL);
    b.html = "";
    cmcas_mail_kind(&subject, &b, &m, base);
    sign = apr_pstrcat(p, base, "/", NULL);
    b.text = apr_pstrcat(p, b.text, "À bientôt,\n", m.from_name, "\n\n-- \n", m.from_name,
                         " : portail des activités\n", sign, "\n", NULL);
    /* The HTML head is written once the subject is known (its title). */
    b.html = apr_pstrcat(p, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<title>", cmcas_mail_html_escape(p, subject), "</title>\n</head>\n"
                         "<body>\n<p>", cmcas_mail_html_escape(p, hello), "</p>\n",
                         b.html,
                         "<p>À bientôt,<br>\n", cmcas_mail_html_escape(p, m.from_name),
                         "</p>\n<p><small>", cmcas_mail_html_escape(p, m.from_name),
                         " : portail des activités, <a href=\"",
                         cmcas_mail_html_escape(p, sign), "\">",
                         cmcas_mail_html_escape(p, sign), "</a></small></p>\n"
                         "</body>\n</html>\n", NULL);
    /* '=' never appears in quoted-printable text unencoded: the boundary cannot either. */
    boundary = apr_pstrcat(p, "=_cmcas_", cmcas_mail_hash(p, m.event_key ? m.event_key : "",
                                                          24), NULL);
    *pmsg = apr_pstrcat(p,
        "From: ", cmcas_mail_phrase(p, m.from_name), " <", m.from_email, ">\n",
        "To: ", m.to_name && *m.to_name ? cmcas_mail_phrase(p, m.to_name) : "",
        m.to_name && *m.to_name ? " <" : "", m.to_email, m.to_name && *m.to_name ? ">" : "",
        "\n",
        "Subject: ", cmcas_mail_encode_header(p, subject), "\n",
        "Date: ", cmcas_mail_date(p, m.date), "\n",
        "Message-ID: ", cmcas_mail_message_id(p, m.event_key ? m.event_key : "",
                                              strchr(m.from_email, '@') + 1), "\n",
        "MIME-Version: 1.0\n",
        "Content-Language: fr\n",
        "Auto-Submitted: auto-generated\n",
        "Content-Type: multipart/alternative;\n boundary=\"", boundary, "\"\n",
        "\n",
        "--", boundary, "\n",
        "Content-Type: text/plain; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n", cmcas_mail_qp(p, b.text), "\n",
        "--", boundary, "\n",
        "Content-Type: text/html; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n", cmcas_mail_qp(p, b.html), "\n",
        "--", boundary, "--\n", NULL);
    return APR_SUCCESS;
}
