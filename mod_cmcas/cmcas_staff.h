/* A CMCAS staff member of the back-office, as the module knows them (cmcas_staff). */
#ifndef cmcas_staff_h
#define cmcas_staff_h

typedef struct {
    const char *login;          /* r->user, set by Apache's authentication */
    const char *cmcas_code;     /* the only CMCAS whose data they see and change */
    const char *name;           /* shown in the back-office and in the audit log */
} cmcas_staff_t;

#endif
