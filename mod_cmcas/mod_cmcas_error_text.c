#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <mod_core.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_error_text.h"
#include "mod_cmcas_config.h"

/* The module's pages write their own errors; these are the ones Apache writes. Apache
 * sends a text ErrorDocument as it is, declared ISO-8859-1 (ap_send_error_response): the
 * texts are ASCII, accents as HTML entities. */
typedef struct {
    int status;
    const char *title;
    const char *text;
} mod_cmcas_error_text_t;

static const mod_cmcas_error_text_t mod_cmcas_error_texts[] = {
    {HTTP_BAD_REQUEST, "Requ&ecirc;te invalide",
     "Le navigateur a envoy&eacute; une requ&ecirc;te que le serveur ne peut pas lire "
     "(des en-t&ecirc;tes ou des cookies trop longs, par exemple)&nbsp;: repartez de la "
     "page d'accueil et recommencez."},
    {HTTP_UNAUTHORIZED, "Identification n&eacute;cessaire",
     "Cette page demande votre identifiant et votre mot de passe."},
    {HTTP_FORBIDDEN, "Acc&egrave;s refus&eacute;",
     "Cette page ne vous est pas accessible."},
    {HTTP_NOT_FOUND, "Page introuvable",
     "Cette page n'existe pas ou plus&nbsp;: v&eacute;rifiez l'adresse, ou retrouvez ce "
     "que vous cherchez depuis la page d'accueil."},
    {HTTP_METHOD_NOT_ALLOWED, "M&eacute;thode non autoris&eacute;e",
     "Cette adresse ne s'ouvre pas ainsi&nbsp;: passez par les liens et les boutons du "
     "site."},
    {HTTP_REQUEST_TIME_OUT, "D&eacute;lai d&eacute;pass&eacute;",
     "La requ&ecirc;te est arriv&eacute;e trop lentement&nbsp;: r&eacute;essayez."},
    {HTTP_REQUEST_ENTITY_TOO_LARGE, "Requ&ecirc;te trop volumineuse",
     "Ce qui a &eacute;t&eacute; envoy&eacute; est trop volumineux&nbsp;: raccourcissez-le "
     "et recommencez."},
    {HTTP_REQUEST_URI_TOO_LARGE, "Adresse trop longue",
     "L'adresse demand&eacute;e est trop longue&nbsp;: repartez de la page d'accueil."},
    {HTTP_INTERNAL_SERVER_ERROR, "Erreur du serveur",
     "Le serveur a rencontr&eacute; une erreur&nbsp;: r&eacute;essayez dans quelques "
     "minutes. Si le probl&egrave;me persiste, contactez votre CMCAS."},
    {HTTP_SERVICE_UNAVAILABLE, "Service indisponible",
     "Le service est momentan&eacute;ment indisponible&nbsp;: r&eacute;essayez dans "
     "quelques minutes. Si le probl&egrave;me persiste, contactez votre CMCAS."},
};

void mod_cmcas_error_text_insert(request_rec *r)
{
    const mod_cmcas_error_text_t *e = NULL;
    size_t i, n = sizeof(mod_cmcas_error_texts) / sizeof(*mod_cmcas_error_texts);

    if (!mod_cmcas_config_portal(r)) {
        return;
    }
    for (i = 0; !e && i < n; i++) {
        if (mod_cmcas_error_texts[i].status == r->status) {
            e = &mod_cmcas_error_texts[i];
        }
    }
    /* An ErrorDocument of the operator's wins. */
    if (!e || ap_response_code_string(r, ap_index_of_response(r->status))) {
        return;
    }
    ap_custom_response(r, r->status, mod_cmcas_error_text_page(r, e->title, e->text));
}

const char *mod_cmcas_error_text_page(request_rec *r, const char *title, const char *text)
{
    /* The base is the portal's path (configuration, HTML-safe); the rest is constant. */
    return apr_pstrcat(
        r->pool, "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"iso-8859-1\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>", title, "</title>"
        "<link rel=\"stylesheet\" href=\"/static/cmcas.css\"></head><body>"
        "<main id=\"contenu\" class=\"container\"><h1>", title, "</h1><p>", text,
        "</p><p><a class=\"button button-primary\" href=\"",
        ap_escape_html(r->pool, mod_cmcas_config_base(r)), "/\">Revenir &agrave; la page "
        "d'accueil</a></p></main></body></html>\n", NULL);
}
