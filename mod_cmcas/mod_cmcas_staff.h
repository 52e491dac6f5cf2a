/* The back-office of CMCAS staff, under the portal's /gestion: who the staff member is,
 * the routing of its pages, the dashboard and the audit log. Apache authenticates staff
 * (the configuration's <Location /gestion>); the module then lets only a login of
 * cmcas_staff in, and shows and changes only the data of that login's CMCAS: anything
 * else answers 404, as if it did not exist. */
#ifndef mod_cmcas_staff_h
#define mod_cmcas_staff_h

#include "mod_cmcas_request.h"

/* The pages under /gestion; `path` is the rest ("", "/", "/journal"...). */
int mod_cmcas_staff_handler(mod_cmcas_request_t *rq, const char *path);

/* Sets rq->staff from r->user (taking the database connection); sends the 404 page
 * (DONE) when r->user is not a staff login of a CMCAS this server declares. */
int mod_cmcas_staff_identify(mod_cmcas_request_t *rq);

/* A new back-office page: <page name="..."> with the staff member's CMCAS as the site,
 * and <staff login name cmcas csrf> (the token of the page's forms). */
xmlDocPtr mod_cmcas_staff_page(mod_cmcas_request_t *rq, const char *name,
                               xmlNodePtr *proot);

/* The 404 of a staff page (logged at info with the reason). */
int mod_cmcas_staff_not_found(mod_cmcas_request_t *rq, const char *why);

#endif
