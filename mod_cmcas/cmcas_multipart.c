#include <string.h>
#include <apr_strings.h>
#include <gmime/gmime.h>

#include "cmcas_multipart.h"

void cmcas_multipart_init(void)
{
    g_mime_init();
}

int cmcas_multipart_is_form(const char *content_type)
{
    static const char type[] = "multipart/form-data";
    return content_type && !strncasecmp(content_type, type, sizeof(type) - 1)
           && (!content_type[sizeof(type) - 1] || content_type[sizeof(type) - 1] == ';'
               || content_type[sizeof(type) - 1] == ' ');
}

/* One part: a form-data field with a name, its bytes decoded. */
static const char *cmcas_multipart_field(cmcas_multipart_field_t *f, apr_pool_t *p,
                                         GMimeObject *obj)
{
    GMimeContentDisposition *disp;
    GMimeDataWrapper *content;
    GMimeStream *mem;
    GByteArray *bytes;
    const char *name, *filename;
    unsigned char *data;

    if (!GMIME_IS_PART(obj)) {
        return "Le formulaire contient une partie imbriquée.";
    }
    disp = g_mime_object_get_content_disposition(obj);
    if (!disp || strcmp(g_mime_content_disposition_get_disposition(disp), "form-data")
        || !(name = g_mime_content_disposition_get_parameter(disp, "name")) || !*name) {
        return "Une partie du formulaire n'est pas un champ (form-data).";
    }
    filename = g_mime_content_disposition_get_parameter(disp, "filename");
    f->name = apr_pstrdup(p, name);
    f->filename = filename ? apr_pstrdup(p, filename) : NULL;
    content = g_mime_part_get_content(GMIME_PART(obj));
    mem = g_mime_stream_mem_new();
    if (content && g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
        g_object_unref(mem);
        return "Une partie du formulaire est illisible.";
    }
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    data = apr_palloc(p, bytes->len + 1);
    if (bytes->len) {           /* an empty part's array has no data at all (NULL) */
        memcpy(data, bytes->data, bytes->len);
    }
    data[bytes->len] = '\0';
    f->data = data;
    f->len = bytes->len;
    g_object_unref(mem);
    return NULL;
}

apr_status_t cmcas_multipart_parse(apr_array_header_t **pfields, apr_pool_t *p,
                                   const char *content_type, const char *body,
                                   apr_size_t len, int max_fields, const char **perr)
{
    const char *head, *why = NULL;
    GMimeStream *stream;
    GMimeParser *parser;
    GMimeObject *top;
    GByteArray *buf;
    int i, n;

    *pfields = NULL;
    if (!cmcas_multipart_is_form(content_type) || strpbrk(content_type, "\r\n")) {
        *perr = "Le formulaire doit être envoyé en multipart/form-data.";
        return APR_EINVAL;
    }
    /* GMime parses a MIME entity: its header, then the body as received. */
    head = apr_pstrcat(p, "Content-Type: ", content_type, "\r\n\r\n", NULL);
    buf = g_byte_array_sized_new((guint)(strlen(head) + len));
    g_byte_array_append(buf, (const guint8 *)head, (guint)strlen(head));
    g_byte_array_append(buf, (const guint8 *)body, (guint)len);
    stream = g_mime_stream_mem_new_with_byte_array(buf);
    parser = g_mime_parser_new_with_stream(stream);
    top = g_mime_parser_construct_part(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!top || !GMIME_IS_MULTIPART(top)
        || (n = g_mime_multipart_get_count(GMIME_MULTIPART(top))) < 1) {
        if (top) {
            g_object_unref(top);
        }
        *perr = "Le formulaire envoyé est mal formé (multipart/form-data).";
        return APR_EINVAL;
    }
    if (n > max_fields) {
        g_object_unref(top);
        *perr = "Le formulaire contient trop de champs.";
        return APR_EINVAL;
    }
    *pfields = apr_array_make(p, n, sizeof(cmcas_multipart_field_t));
    for (i = 0; i < n && !why; i++) {
        cmcas_multipart_field_t *f = apr_array_push(*pfields);
        why = cmcas_multipart_field(f, p, g_mime_multipart_get_part(GMIME_MULTIPART(top), i));
        if (!why && cmcas_multipart_get(*pfields, f->name) != f) {
            why = "Un champ du formulaire est donné plusieurs fois.";
        }
    }
    g_object_unref(top);
    if (why) {
        *pfields = NULL;
        *perr = why;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

const cmcas_multipart_field_t *cmcas_multipart_get(const apr_array_header_t *fields,
                                                   const char *name)
{
    int i;

    for (i = 0; fields && i < fields->nelts; i++) {
        const cmcas_multipart_field_t *f =
            &APR_ARRAY_IDX(fields, i, cmcas_multipart_field_t);
        if (!strcmp(f->name, name)) {
            return f;
        }
    }
    return NULL;
}
