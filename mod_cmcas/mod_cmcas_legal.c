#include <apr_strings.h>
#include <apr_lib.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_legal.h"
#include "cmcas_doc.h"
#include "cmcas_draw.h"
#include "cmcas_legal.h"

int mod_cmcas_legal_path(const char *path)
{
    return !strcmp(path, "/conditions-utilisation") || !strcmp(path, "/cgv")
           || !strncmp(path, "/cgv/", 5);
}

/* A CMCAS code as the <CMCAS> blocks name them: letters, digits, '-' and '_'. */
static int mod_cmcas_legal_code_ok(const char *code)
{
    apr_size_t n = 0;

    for (; code[n]; n++) {
        if (!apr_isalnum(code[n]) && code[n] != '-' && code[n] != '_') {
            return 0;
        }
    }
    return n > 0 && n <= 32;
}

int mod_cmcas_legal_page(mod_cmcas_request_t *rq, const char *path)
{
    request_rec *r = rq->r;
    const mod_cmcas_config_cmcas_t *c = rq->portal;
    cmcas_draw_change_rules_t rules;
    xmlNodePtr root, node, draw;
    xmlDocPtr doc;
    const char *text;
    int cgv = strcmp(path, "/conditions-utilisation") != 0;

    /* The CGV of another CMCAS: the one an activity of it is paid to. */
    if (!strncmp(path, "/cgv/", 5)) {
        c = mod_cmcas_legal_code_ok(path + 5) ? mod_cmcas_config_cmcas(path + 5) : NULL;
        if (!c) {
            return mod_cmcas_request_not_found(rq, "CGV of a CMCAS not declared");
        }
    }
    text = cgv ? c->cgv_text : c->terms_text;
    if (!text) {
        return mod_cmcas_request_not_found(rq, cgv ? "no CMCASCGVFile for this CMCAS"
                                                   : "no CMCASTermsFile for this CMCAS");
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_request_page(rq, "conditions", NULL, &root);
    node = cmcas_doc_elem(root, "conditions");
    cmcas_doc_attr(node, "type", cgv ? "cgv" : "utilisation");
    cmcas_doc_attr(node, "cmcas", c->site.code);
    cmcas_doc_text(node, "cmcas-name", c->site.name);
    if (!cgv && c->cgv_text) {
        cmcas_doc_attr(node, "cgv", "1");           /* the terms link the CGV */
    }
    cmcas_legal_doc(cmcas_doc_elem(node, "texte"), text, r->pool);
    if (cgv) {
        /* The « tour de rôle » rule of this CMCAS, as its activities' pages state it. */
        mod_cmcas_config_draw_rules(c->site.code, &rules);
        draw = cmcas_doc_text(node, "tour-de-role",
                              cmcas_draw_rule_fr(r->pool, rules.window_months));
        cmcas_doc_attr_int(draw, "window-months", rules.window_months);
        cmcas_doc_attr_int(draw, "pay-days", rules.pay_days);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}
