/* The member's pages: routing of a portal request to the page that answers it. */
#ifndef mod_cmcas_pages_h
#define mod_cmcas_pages_h

#include <httpd.h>

/* The content handler (SetHandler cmcas). */
int mod_cmcas_pages_handler(request_rec *r);

#endif
