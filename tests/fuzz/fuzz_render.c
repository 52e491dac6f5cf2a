/* libFuzzer harness: hostile strings through the pages' XML and the project's own
 * stylesheets (xslt/, compiled by cmcas_render_load, applied by cmcas_render_html as the
 * module does). The input's NUL-separated values, taken in turn, fill every text a member,
 * staff or the configuration may set on six pages: the activity's page (« activite »:
 * title, description, place, CMCAS, options, site and user), the catalogue (the same
 * activity listed, the search typed), the back-office's registrations (« gestion-
 * inscriptions »: names, observations, login, e-mail, phone of households), the member's
 * registration (« inscription »: persons, participants, observations, a message, the
 * guest form echoing what was typed) and its read-only view with its history
 * (« consultation »: who did what, a cancellation's reason), staff's « Modifier
 * l'inscription » of a paid one (« gestion-inscription-modifier »).
 *
 * Property: each page, parsed as HTML, has exactly the elements and attribute names of
 * the same page built from the same values with every character a letter (white space
 * kept, so that lines and blanks stay as they are): no typed text became an element, an
 * attribute (on*, href, style...) or a script; and the transformation never fails. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <sanitizer/lsan_interface.h>

#include "../../mod_cmcas/cmcas_doc.h"
#include "../../mod_cmcas/cmcas_render.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_catalog.h"
#include "../../mod_cmcas/cmcas_catalog_doc.h"
#include "../../mod_cmcas/cmcas_activity.h"
#include "../../mod_cmcas/cmcas_order.h"
#include "../../mod_cmcas/cmcas_registration_doc.h"
#include "../../mod_cmcas/cmcas_registration_amend.h"
#include "../../mod_cmcas/cmcas_registration_amend_doc.h"
#include "../../mod_cmcas/cmcas_staff_registration.h"
#include "../../mod_cmcas/cmcas_staff_registration_doc.h"
#include "fuzz_common.h"

#ifndef CMCAS_FUZZ_TOP
#define CMCAS_FUZZ_TOP "."
#endif

static apr_pool_t *fuzz_root;
static cmcas_render_t *fuzz_render;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *top = getenv("CMCAS_FUZZ_TOP"), *err = NULL;

    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&fuzz_root, NULL);
    xmlInitParser();
    /* The compiled stylesheets live as long as the process (as in httpd's children), in a
     * pool whose memory LeakSanitizer does not scan (APR maps it): not leaks. */
    __lsan_disable();
    if (APR_SUCCESS != cmcas_render_load(&fuzz_render, fuzz_root,
                                         apr_pstrcat(fuzz_root, top && *top ? top
                                                     : CMCAS_FUZZ_TOP, "/xslt", NULL),
                                         &err)) {
        fprintf(stderr, "fuzz_render: %s (set CMCAS_FUZZ_TOP)\n", err);
        abort();
    }
    __lsan_enable();
    xmlSetGenericErrorFunc(NULL, fuzz_quiet);
    return 0;
}

/* The values, taken in turn (again from the first when the input has fewer). */
typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *values;
    int next;
    int letters;            /* the plain twin */
} fuzz_values_t;

/* `s` as a page would show it (bad bytes U+FFFD), every character but white space an 'x'. */
static const char *fuzz_letters(apr_pool_t *p, const char *s)
{
    char *clean = cmcas_text_xml_clean(s), *out, *o;
    const unsigned char *c;

    fuzz_common_assert(clean != NULL);
    out = o = apr_palloc(p, strlen(clean) + 1);
    for (c = (const unsigned char *)clean; *c; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
            *o++ = (char)*c;
        }
        else if ((*c & 0xC0) != 0x80) {
            *o++ = 'x';
        }
    }
    *o = '\0';
    free(clean);
    return out;
}

static const char *fuzz_next(fuzz_values_t *v)
{
    const char *s;
    if (!v->values->nelts) {
        return "";
    }
    s = APR_ARRAY_IDX(v->values, v->next % v->values->nelts, const char *);
    v->next++;
    return v->letters ? fuzz_letters(v->pool, s) : s;
}

static void fuzz_site(xmlNodePtr root, fuzz_values_t *v)
{
    cmcas_doc_site_t site;

    cmcas_doc_attr(root, "base", "/portail");
    cmcas_doc_attr(root, "static-version", "1");
    site.code = "CMCAS18";
    site.name = fuzz_next(v);
    site.street = fuzz_next(v);
    site.postcode = fuzz_next(v);
    site.city = fuzz_next(v);
    site.phone = fuzz_next(v);
    site.email = fuzz_next(v);
    cmcas_doc_site(root, &site);
}

/* The signed-in staff member of the back-office's pages. */
static void fuzz_staff(xmlNodePtr root, fuzz_values_t *v)
{
    xmlNodePtr node = cmcas_doc_elem(root, "staff");

    cmcas_doc_attr(node, "login", "staff18");
    cmcas_doc_attr(node, "name", fuzz_next(v));
    cmcas_doc_attr(node, "cmcas", "CMCAS18");
    cmcas_doc_attr(node, "csrf", "1.abc");
}

static cmcas_activity_t *fuzz_activity(fuzz_values_t *v, apr_array_header_t **popts)
{
    apr_pool_t *p = v->pool;
    cmcas_activity_t *act = apr_pcalloc(p, sizeof(*act));
    cmcas_activity_option_t *o;
    int i;

    act->id = 42;
    act->cmcas_code = "CMCAS18";
    act->cmcas_name = fuzz_next(v);
    act->theme = "SPORT";
    act->title = fuzz_next(v);
    act->description = fuzz_next(v);
    act->place = fuzz_next(v);
    act->start_date = "2027-06-12";
    act->end_date = "2027-06-13";
    act->closing_date = "2027-06-01";
    act->published_at = "2026-11-20T10:00:00Z";
    act->capacity = 30;
    act->places_taken = 3;
    act->open_to_others = 1;
    act->mode = "tour_de_role";
    act->guests_allowed = 1;
    act->max_guests = 2;
    act->min_age = -1;
    act->max_age = -1;
    act->draw_seed = "00112233445566778899aabbccddeeff";
    act->draw_places = -1;
    *popts = apr_array_make(p, 2, sizeof(cmcas_activity_option_t));
    for (i = 0; i < 2; i++) {
        o = apr_array_push(*popts);
        memset(o, 0, sizeof(*o));
        o->id = i + 1;
        o->label = fuzz_next(v);
        o->price_beneficiary = 3000;
        o->participation_beneficiary = 1000;
        o->price_guest = 4000;
        o->min_age = -1;
        o->max_age = -1;
    }
    return act;
}

static void fuzz_catalog_ctx(cmcas_catalog_ctx_t *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->portal_code = "CMCAS18";
    ctx->today.y = 2026;
    ctx->today.m = 11;
    ctx->today.d = 28;
    ctx->new_days = 14;
    ctx->page_size = 12;
}

static xmlDocPtr fuzz_page_activity(fuzz_values_t *v)
{
    xmlNodePtr root;
    xmlDocPtr doc = cmcas_doc_new(v->pool, "activite", &root);
    apr_array_header_t *opts;
    cmcas_activity_t *act;
    cmcas_catalog_ctx_t ctx;

    fuzz_site(root, v);
    cmcas_doc_user(root, "gael.classen", fuzz_next(v));
    cmcas_doc_themes(root, "SPORT");
    act = fuzz_activity(v, &opts);
    fuzz_catalog_ctx(&ctx);
    cmcas_catalog_doc_detail(root, act, opts, &ctx, "/portail", v->pool);
    cmcas_catalog_doc_draw(root, act, 12, "/portail", v->pool);
    return doc;
}

static xmlDocPtr fuzz_page_catalog(fuzz_values_t *v)
{
    xmlNodePtr root;
    xmlDocPtr doc = cmcas_doc_new(v->pool, "catalogue", &root);
    apr_array_header_t *opts, *page = apr_array_make(v->pool, 2, sizeof(cmcas_activity_t));
    cmcas_catalog_ctx_t ctx;
    cmcas_catalog_query_t q;

    fuzz_site(root, v);
    cmcas_doc_user(root, "gael.classen", fuzz_next(v));
    cmcas_doc_themes(root, NULL);
    APR_ARRAY_PUSH(page, cmcas_activity_t) = *fuzz_activity(v, &opts);
    APR_ARRAY_PUSH(page, cmcas_activity_t) = *fuzz_activity(v, &opts);
    fuzz_catalog_ctx(&ctx);
    ctx.member_elsewhere = fuzz_next(v);
    memset(&q, 0, sizeof(q));
    q.q = fuzz_next(v);
    q.page = 1;
    fuzz_common_assert(APR_SUCCESS == cmcas_catalog_doc_list(root, &q, page, 2, &ctx, v->pool));
    return doc;
}

static cmcas_registration_participant_t *fuzz_participant(fuzz_values_t *v,
                                                          cmcas_registration_t *reg,
                                                          const char *kind)
{
    cmcas_registration_participant_t *pa = apr_array_push(reg->participants);

    memset(pa, 0, sizeof(*pa));
    pa->id = reg->participants->nelts;
    pa->person_id = strcmp(kind, "guest") ? 100 + pa->id : 0;
    pa->kind = kind;
    pa->first_name = fuzz_next(v);
    pa->last_name = fuzz_next(v);
    pa->birth_date = "1980-02-29";
    pa->photo_optout = pa->id % 2;
    pa->confirmed = 1;
    pa->options = apr_array_make(v->pool, 1, sizeof(apr_int64_t));
    APR_ARRAY_PUSH(pa->options, apr_int64_t) = 1;
    return pa;
}

static xmlDocPtr fuzz_page_staff(fuzz_values_t *v)
{
    apr_pool_t *p = v->pool;
    xmlNodePtr root;
    xmlDocPtr doc = cmcas_doc_new(p, "gestion-inscriptions", &root);
    apr_array_header_t *opts, *list = apr_array_make(p, 2, sizeof(cmcas_staff_registration_t));
    cmcas_activity_t *act;
    int i;

    fuzz_site(root, v);
    fuzz_staff(root, v);
    act = fuzz_activity(v, &opts);
    act->mode = "immediat";
    for (i = 0; i < 2; i++) {
        cmcas_staff_registration_t *s = apr_array_push(list);
        memset(s, 0, sizeof(*s));
        s->reg.id = 7 + i;
        s->reg.activity_id = act->id;
        s->reg.household_id = 3 + i;
        s->reg.status = i ? CMCAS_STATUS_REG_PAYEE : CMCAS_STATUS_REG_VALIDEE;
        s->reg.observations = fuzz_next(v);
        s->reg.created_at = "2026-11-21T09:00:00Z";
        s->reg.places_held = 2;
        s->reg.participants = apr_array_make(p, 2, sizeof(cmcas_registration_participant_t));
        fuzz_participant(v, &s->reg, "OD");
        fuzz_participant(v, &s->reg, "guest");
        s->login = fuzz_next(v);
        s->email = fuzz_next(v);
        s->phone = fuzz_next(v);
        s->od_first_name = fuzz_next(v);
        s->od_last_name = fuzz_next(v);
        s->orders = apr_array_make(p, 1, sizeof(cmcas_order_t));
    }
    cmcas_staff_registration_doc(root, p, act, opts, list, CMCAS_STAFF_REGISTRATION_ALL);
    return doc;
}

/* The member's registration: « inscription » (a draft, the guest form echoing what was
 * typed, a message) or « consultation » (validated, with its history). */
static xmlDocPtr fuzz_page_registration(fuzz_values_t *v, int consultation)
{
    apr_pool_t *p = v->pool;
    xmlNodePtr root, ins, gf;
    xmlDocPtr doc = cmcas_doc_new(p, consultation ? "consultation" : "inscription", &root);
    apr_array_header_t *opts, *persons = apr_array_make(p, 2, sizeof(cmcas_household_person_t));
    cmcas_registration_t *reg = cmcas_registration_new(p, 42, 3);
    cmcas_registration_doc_t d;
    cmcas_catalog_ctx_t ctx;
    cmcas_household_person_t *hp;
    int i;

    fuzz_site(root, v);
    cmcas_doc_user(root, "gael.classen", fuzz_next(v));
    cmcas_doc_themes(root, "SPORT");
    fuzz_catalog_ctx(&ctx);
    for (i = 0; i < 2; i++) {
        hp = apr_array_push(persons);
        hp->id = 101 + i;
        hp->role = i ? "AD" : "OD";
        hp->first_name = fuzz_next(v);
        hp->last_name = fuzz_next(v);
        hp->birth_date = "1985-07-14";
    }
    reg->id = consultation ? 7 : 0;
    reg->status = consultation ? CMCAS_STATUS_REG_VALIDEE : CMCAS_STATUS_REG_BROUILLON;
    reg->observations = fuzz_next(v);
    reg->created_at = "2026-11-21T09:00:00Z";
    fuzz_participant(v, reg, "OD");
    fuzz_participant(v, reg, "guest");
    APR_ARRAY_IDX(reg->participants, 0, cmcas_registration_participant_t).person_id = 101;
    memset(&d, 0, sizeof(d));
    d.act = fuzz_activity(v, &opts);
    ((cmcas_activity_t *)d.act)->mode = "immediat";
    d.options = opts;
    d.reg = reg;
    d.persons = persons;
    d.ctx = &ctx;
    d.base = "/portail";
    d.csrf = consultation ? NULL : "1.abc";
    d.renounce_csrf = consultation ? "1.abc" : NULL;
    d.window_months = 12;
    ins = cmcas_registration_doc_page(root, &d, p);
    if (consultation) {
        apr_array_header_t *events = apr_array_make(p, 2, sizeof(cmcas_store_event_t));
        for (i = 0; i < 2; i++) {
            cmcas_store_event_t *e = apr_array_push(events);
            e->at = "2026-11-21T09:00:00Z";
            e->actor = fuzz_next(v);
            e->status = i ? "annulee" : "validee";
            e->event = fuzz_next(v);
        }
        cmcas_registration_doc_history(ins, events, p);
    }
    else {
        cmcas_registration_doc_message(ins, "error", fuzz_next(v));
        gf = cmcas_doc_elem(ins, "guest-form");
        cmcas_doc_attr(gf, "nom", fuzz_next(v));
        cmcas_doc_attr(gf, "prenom", fuzz_next(v));
        cmcas_doc_attr(gf, "naissance", fuzz_next(v));
    }
    return doc;
}

static xmlDocPtr fuzz_page_inscription(fuzz_values_t *v)
{
    return fuzz_page_registration(v, 0);
}

static xmlDocPtr fuzz_page_consultation(fuzz_values_t *v)
{
    return fuzz_page_registration(v, 1);
}

/* Staff's « Modifier l'inscription » of a paid registration. */
static xmlDocPtr fuzz_page_amend(fuzz_values_t *v)
{
    apr_pool_t *p = v->pool;
    xmlNodePtr root;
    xmlDocPtr doc = cmcas_doc_new(p, "gestion-inscription-modifier", &root);
    cmcas_registration_amend_view_t view;
    cmcas_household_person_t *hp;
    int i;

    fuzz_site(root, v);
    fuzz_staff(root, v);
    memset(&view, 0, sizeof(view));
    view.act = fuzz_activity(v, &view.options);
    view.act->mode = "immediat";
    view.reg = cmcas_registration_new(p, 42, 3);
    view.reg->id = 7;
    view.reg->status = CMCAS_STATUS_REG_PAYEE;
    view.reg->observations = fuzz_next(v);
    view.reg->created_at = "2026-11-21T09:00:00Z";
    fuzz_participant(v, view.reg, "OD");
    fuzz_participant(v, view.reg, "guest");
    APR_ARRAY_IDX(view.reg->participants, 0, cmcas_registration_participant_t).person_id = 101;
    view.persons = apr_array_make(p, 2, sizeof(cmcas_household_person_t));
    for (i = 0; i < 2; i++) {
        hp = apr_array_push(view.persons);
        hp->id = 101 + i;
        hp->role = i ? "AD" : "OD";
        hp->first_name = fuzz_next(v);
        hp->last_name = fuzz_next(v);
        hp->birth_date = "1985-07-14";
    }
    view.total = 7000;
    cmcas_registration_amend_doc(root, &view, "/portail", NULL, 0, p);
    return doc;
}

/* Element and attribute names of an HTML tree, in document order. */
static void fuzz_shape(apr_array_header_t *out, xmlNodePtr node)
{
    for (; node; node = node->next) {
        xmlAttrPtr a;
        if (node->type != XML_ELEMENT_NODE) {
            continue;
        }
        APR_ARRAY_PUSH(out, const char *) = (const char *)node->name;
        for (a = node->properties; a; a = a->next) {
            APR_ARRAY_PUSH(out, const char *) = (const char *)a->name;
        }
        fuzz_shape(out, node->children);
        APR_ARRAY_PUSH(out, const char *) = "/";
    }
}

static const char *fuzz_html_shape(apr_pool_t *p, xmlDocPtr page)
{
    const char *html = NULL, *err = NULL;
    apr_size_t len = 0;
    htmlDocPtr parsed;
    apr_array_header_t *names = apr_array_make(p, 256, sizeof(const char *));
    const char *shape;

    fuzz_common_assert(APR_SUCCESS == cmcas_render_html(&html, &len, fuzz_render, page, p, &err));
    fuzz_common_assert(html && len > 0);
    parsed = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                            HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    fuzz_common_assert(parsed != NULL);
    fuzz_shape(names, xmlDocGetRootElement(parsed));
    shape = apr_array_pstrcat(p, names, ' ');
    xmlFreeDoc(parsed);
    return shape;
}

/* The plain twin's shape depends only on the page and its values made letters: it is
 * kept for the inputs that share them (most of libFuzzer's mutations change bytes, not
 * lengths or blanks), which saves one of the two transformations of those inputs. */
#define FUZZ_TWINS 512
static struct {
    char *key;
    char *shape;
} fuzz_twins[FUZZ_TWINS];

static const char *fuzz_twin_key(apr_pool_t *p, size_t page, const apr_array_header_t *values)
{
    apr_array_header_t *parts = apr_array_make(p, values->nelts + 1, sizeof(const char *));
    int k;

    APR_ARRAY_PUSH(parts, const char *) = apr_psprintf(p, "%d", (int)page);
    for (k = 0; k < values->nelts; k++) {
        APR_ARRAY_PUSH(parts, const char *) = fuzz_letters(p, APR_ARRAY_IDX(values, k,
                                                                            const char *));
    }
    return apr_array_pstrcat(p, parts, '\001');     /* not in a letters value */
}

static size_t fuzz_twin_slot(const char *key)
{
    size_t h = 5381;
    for (; *key; key++) {
        h = h * 33 + (unsigned char)*key;
    }
    return h % FUZZ_TWINS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xmlDocPtr (*const pages[])(fuzz_values_t *) = {
        fuzz_page_activity, fuzz_page_catalog, fuzz_page_staff, fuzz_page_inscription,
        fuzz_page_consultation, fuzz_page_amend
    };
    apr_pool_t *p;
    fuzz_values_t v;
    size_t at, i;

    if (!size) {
        return 0;
    }
    apr_pool_create(&p, fuzz_root);
    v.pool = p;
    v.values = apr_array_make(p, 8, sizeof(const char *));
    i = data[0] % (sizeof(pages) / sizeof(pages[0]));    /* one page per input: a
                                                          * transformation costs ms */
    at = 1;
    while (at < size) {
        const char *s = apr_pstrmemdup(p, (const char *)data + at, size - at);
        APR_ARRAY_PUSH(v.values, const char *) = s;
        at += strlen(s) + 1;
    }
    {
        const char *hostile, *plain, *key = fuzz_twin_key(p, i, v.values);
        size_t slot = fuzz_twin_slot(key);

        v.next = 0;
        v.letters = 0;
        hostile = fuzz_html_shape(p, pages[i](&v));
        if (fuzz_twins[slot].key && !strcmp(fuzz_twins[slot].key, key)) {
            plain = fuzz_twins[slot].shape;
        }
        else {
            v.next = 0;
            v.letters = 1;
            plain = fuzz_html_shape(p, pages[i](&v));
            free(fuzz_twins[slot].key);
            free(fuzz_twins[slot].shape);
            fuzz_twins[slot].key = strdup(key);
            fuzz_twins[slot].shape = strdup(plain);
        }
        if (strcmp(hostile, plain)) {
            fprintf(stderr, "fuzz_render: page %d differs:\n%s\n---\n%s\n", (int)i, hostile,
                    plain);
            __builtin_trap();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
