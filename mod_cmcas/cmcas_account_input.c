#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_account_input.h"
#include "cmcas_text.h"

/* A pool copy of `in` without leading and trailing blanks. */
static char *cmcas_account_input_trim(const char *in, apr_pool_t *p)
{
    apr_size_t n;

    while (*in == ' ' || *in == '\t') {
        in++;
    }
    n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t')) {
        n--;
    }
    return apr_pstrmemdup(p, in, n);
}

/* Characters (UTF-8 code points) of a valid UTF-8 string. */
static apr_size_t cmcas_account_input_chars(const char *s)
{
    apr_size_t n = 0;

    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

/* Whether s holds a control character (C0, DEL or C1 U+0080..U+009F). */
static int cmcas_account_input_has_control(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    for (; *u; u++) {
        if (*u < 0x20 || *u == 0x7F || (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)) {
            return 1;
        }
    }
    return 0;
}

const char *cmcas_account_input_line(const char *in, apr_size_t max, int optional,
                                     const char *what, apr_pool_t *p, const char **pout)
{
    char *s;

    *pout = NULL;
    if (!in) {
        in = "";
    }
    if (!cmcas_text_utf8_valid(in, strlen(in)) || cmcas_account_input_has_control(in)) {
        return apr_pstrcat(p, what, " contient des caractères non autorisés.", NULL);
    }
    s = cmcas_account_input_trim(in, p);
    if (!*s && !optional) {
        return apr_pstrcat(p, what, " est obligatoire.", NULL);
    }
    if (cmcas_account_input_chars(s) > max) {
        return apr_psprintf(p, "%s ne doit pas dépasser %" APR_SIZE_T_FMT " caractères.",
                            what, max);
    }
    *pout = s;
    return NULL;
}

/* An e-mail local part's characters (RFC 5322 atext, and dots between them). */
static int cmcas_account_input_atext(char c)
{
    return apr_isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

const char *cmcas_account_input_email(const char *in, apr_pool_t *p, const char **pout)
{
    static const char *bad = "L'adresse e-mail n'est pas valide (exemple : "
                             "prenom.nom@exemple.fr).";
    const char *s, *at, *c, *label;
    apr_size_t n;

    *pout = NULL;
    if (!in || !cmcas_text_utf8_valid(in, strlen(in))
        || cmcas_account_input_has_control(in)) {
        return bad;
    }
    s = cmcas_account_input_trim(in, p);
    if (!*s) {
        return "L'adresse e-mail est obligatoire : les messages du portail y sont envoyés.";
    }
    n = strlen(s);
    if (n > CMCAS_ACCOUNT_INPUT_EMAIL_MAX) {
        return "L'adresse e-mail est trop longue (254 caractères au plus).";
    }
    at = strchr(s, '@');
    if (!at || strchr(at + 1, '@') || at == s || at - s > 64) {
        return bad;
    }
    /* Local part: atext separated by single dots. */
    for (c = s; c < at; c++) {
        if (*c == '.') {
            if (c == s || c + 1 == at || c[1] == '.') {
                return bad;
            }
        }
        else if (!cmcas_account_input_atext(*c)) {
            return bad;
        }
    }
    /* Domain: at least two labels of letters, digits and inner hyphens, up to 63. */
    label = at + 1;
    if (!strchr(label, '.')) {
        return bad;
    }
    for (c = label;; c++) {
        if (*c == '.' || !*c) {
            if (c == label || c - label > 63 || *label == '-' || c[-1] == '-') {
                return bad;
            }
            if (!*c) {
                break;
            }
            label = c + 1;
        }
        else if (!apr_isalnum(*c) && *c != '-') {
            return bad;
        }
    }
    /* The last label, a top-level domain, is not all digits (no bare IP address). */
    for (c = label; *c && apr_isdigit(*c); c++) {
    }
    if (!*c) {
        return bad;
    }
    *pout = s;
    return NULL;
}

const char *cmcas_account_input_phone(const char *in, apr_pool_t *p, const char **pout)
{
    static const char *bad = "Le numéro de téléphone n'est pas valide (exemple : "
                             "06 12 34 56 78 ou +33 6 12 34 56 78).";
    char digits[24];
    apr_size_t n = 0;
    const char *c;
    int plus = 0;

    *pout = NULL;
    if (!in) {
        in = "";
    }
    if (strlen(in) > 40) {
        return bad;
    }
    for (c = in; *c; c++) {
        if (*c == ' ' || *c == '.' || *c == '-' || *c == '\t') {
            continue;
        }
        if (*c == '+' && !plus && n == 0) {
            plus = 1;
        }
        else if (*c == '(' && c[1] == '0' && c[2] == ')' && plus && n == 2
                 && !strncmp(digits, "33", 2)) {
            c += 2;                     /* « +33 (0)6 … » */
        }
        else if (apr_isdigit(*c) && n < sizeof(digits) - 1) {
            digits[n++] = *c;
        }
        else {
            return bad;
        }
    }
    digits[n] = '\0';
    if (!n && !plus) {
        *pout = "";
        return NULL;
    }
    /* To the French national form, ten digits from 0. */
    if (plus && n == 11 && !strncmp(digits, "33", 2)) {
        memmove(digits + 1, digits + 2, 10);
        digits[0] = '0';
        n = 10;
        plus = 0;
    }
    else if (!plus && n == 13 && !strncmp(digits, "0033", 4)) {
        memmove(digits + 1, digits + 4, 10);
        n = 10;
    }
    if (!plus && n == 10 && digits[0] == '0' && digits[1] != '0') {
        *pout = apr_psprintf(p, "%.2s %.2s %.2s %.2s %.2s", digits, digits + 2,
                             digits + 4, digits + 6, digits + 8);
        return NULL;
    }
    /* Another country's number: + and its 8 to 15 digits (E.164). */
    if (plus && n >= 8 && n <= 15 && digits[0] != '0' && strncmp(digits, "33", 2)) {
        *pout = apr_pstrcat(p, "+", digits, NULL);
        return NULL;
    }
    return bad;
}

int cmcas_account_input_is_france(const char *country)
{
    return country && !strcasecmp(country, "France");
}

const char *cmcas_account_input_postcode(const char *in, const char *country,
                                         apr_pool_t *p, const char **pout)
{
    const char *s, *c;
    apr_size_t n;

    *pout = NULL;
    if (!in || cmcas_account_input_has_control(in)) {
        return "Le code postal n'est pas valide.";
    }
    s = cmcas_account_input_trim(in, p);
    n = strlen(s);
    if (!n) {
        return "Le code postal est obligatoire.";
    }
    if (cmcas_account_input_is_france(country)) {
        for (c = s; *c && apr_isdigit(*c); c++) {
        }
        if (n != 5 || *c) {
            return "Le code postal doit compter 5 chiffres (exemple : 18000).";
        }
    }
    else {
        for (c = s; *c && (apr_isalnum(*c) || *c == ' ' || *c == '-'); c++) {
        }
        if (n > 10 || *c) {
            return "Le code postal doit compter 1 à 10 lettres, chiffres, espaces ou "
                   "tirets.";
        }
    }
    *pout = s;
    return NULL;
}

/* A single field, or NULL with *perror set when the form repeats it or it is longer
 * than `max` characters (the checkers' own message then is better: no limit here). */
static const char *cmcas_account_input_field(cmcas_form_t *form, const char *name,
                                             const char **perror)
{
    const char *v;

    form->err = NULL;
    v = cmcas_form_single(form, name, 4096);
    if (!v && form->err) {
        *perror = form->err;
        form->err = NULL;
    }
    return v ? v : "";
}

int cmcas_account_input_contact(cmcas_account_input_contact_t *c, apr_pool_t *p,
                                cmcas_form_t *form)
{
    const char *email, *phone, *out;

    memset(c, 0, sizeof(*c));
    c->email = email = cmcas_account_input_field(form, "email", &c->email_error);
    c->phone = phone = cmcas_account_input_field(form, "telephone", &c->phone_error);
    if (!c->email_error && !(c->email_error = cmcas_account_input_email(email, p, &out))) {
        c->email = out;
    }
    if (!c->phone_error && !(c->phone_error = cmcas_account_input_phone(phone, p, &out))) {
        c->phone = out;
    }
    if (c->email_error || c->phone_error) {
        c->email = email;           /* echoed as typed */
        c->phone = phone;
        return (c->email_error != NULL) + (c->phone_error != NULL);
    }
    return 0;
}

int cmcas_account_input_address(cmcas_account_input_address_t *a, apr_pool_t *p,
                                cmcas_form_t *form)
{
    const char *raw[5], *out, *e2 = NULL;
    int n;

    memset(a, 0, sizeof(*a));
    raw[0] = cmcas_account_input_field(form, "rue1", &a->street_error);
    raw[1] = cmcas_account_input_field(form, "rue2", &e2);
    raw[2] = cmcas_account_input_field(form, "code_postal", &a->postcode_error);
    raw[3] = cmcas_account_input_field(form, "ville", &a->city_error);
    raw[4] = cmcas_account_input_field(form, "pays", &a->country_error);
    a->street1 = raw[0];
    a->street2 = raw[1];
    a->postcode = raw[2];
    a->city = raw[3];
    a->country = raw[4];
    if (!a->street_error) {
        a->street_error = e2;
    }
    if (!a->country_error) {
        /* The form comes filled with « France »; emptied, it is France still. */
        if (!(a->country_error = cmcas_account_input_line(raw[4],
                                     CMCAS_ACCOUNT_INPUT_COUNTRY_MAX, 1, "Le pays", p,
                                     &out))) {
            a->country = *out ? out : "France";
            if (cmcas_account_input_is_france(a->country)) {
                a->country = "France";
            }
        }
    }
    if (!a->street_error
        && !(a->street_error = cmcas_account_input_line(raw[0],
                                   CMCAS_ACCOUNT_INPUT_STREET_MAX, 0, "L'adresse", p,
                                   &out))) {
        a->street1 = out;
        if (!(a->street_error = cmcas_account_input_line(raw[1],
                                    CMCAS_ACCOUNT_INPUT_STREET_MAX, 1,
                                    "Le complément d'adresse", p, &out))) {
            a->street2 = out;
        }
    }
    if (!a->postcode_error
        && !(a->postcode_error = cmcas_account_input_postcode(raw[2],
                                     a->country_error ? "" : a->country, p, &out))) {
        a->postcode = out;
    }
    if (!a->city_error
        && !(a->city_error = cmcas_account_input_line(raw[3], CMCAS_ACCOUNT_INPUT_CITY_MAX,
                                                      0, "La ville", p, &out))) {
        a->city = out;
    }
    n = (a->street_error != NULL) + (a->postcode_error != NULL) + (a->city_error != NULL)
        + (a->country_error != NULL);
    if (n) {
        a->street1 = raw[0];
        a->street2 = raw[1];
        a->postcode = raw[2];
        a->city = raw[3];
        a->country = raw[4];
    }
    return n;
}

const char *cmcas_account_input_street(const cmcas_account_input_address_t *a,
                                       apr_pool_t *p)
{
    if (!a->street2 || !*a->street2) {
        return a->street1;
    }
    return apr_pstrcat(p, a->street1, "\n", a->street2, NULL);
}
