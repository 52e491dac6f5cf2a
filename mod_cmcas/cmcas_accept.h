/* Content negotiation between the HTML page and its XML data document. */
#ifndef cmcas_accept_h
#define cmcas_accept_h

/* 1 when the Accept header value gives application/xml (or text/xml) a higher
 * quality than text/html; a tie or a missing header means HTML. */
int cmcas_accept_prefers_xml(const char *accept);

#endif
