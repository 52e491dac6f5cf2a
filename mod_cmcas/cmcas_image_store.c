#include <string.h>
#include <apr_strings.h>
#include <apr_base64.h>

#include "cmcas_image_store.h"

const cmcas_store_stmt_t cmcas_image_store_statements[] = {
    {"cmcas_image_add",
     "INSERT INTO cmcas_image (name, content_type, data, bytes, created_at)"
     " VALUES (%s, %s, %s, %d, %s) ON CONFLICT (name) DO NOTHING"},
    /* Only a picture some activity shows that the asker may see: published by
     * today, or of the staff's own CMCAS (a member passes no CMCAS). */
    {"cmcas_image_get",
     "SELECT content_type, data FROM cmcas_image WHERE name = %s"
     " AND EXISTS (SELECT 1 FROM activity a WHERE a.image = %s"
     " AND ((a.published_at IS NOT NULL AND a.published_at <= %s) OR a.cmcas_code = %s))"},
    /* A picture no activity shows any more (replaced): its bytes go. */
    {"cmcas_image_forget",
     "DELETE FROM cmcas_image WHERE name = %s"
     " AND NOT EXISTS (SELECT 1 FROM activity WHERE image = %s)"},
    {NULL, NULL}
};

apr_status_t cmcas_image_store_add(const cmcas_store_t *st, apr_pool_t *p,
                                   const cmcas_image_t *img, const unsigned char *data,
                                   apr_size_t len, const char *created_at,
                                   const char **perr)
{
    const char *args[5];
    char *b64 = apr_palloc(p, apr_base64_encode_len((int)len));

    apr_base64_encode_binary(b64, data, (int)len);
    args[0] = img->name;
    args[1] = img->content_type;
    args[2] = b64;
    args[3] = apr_psprintf(p, "%d", (int)len);
    args[4] = created_at;
    return cmcas_store_exec(NULL, st, p, "cmcas_image_add", perr, 5, args);
}

apr_status_t cmcas_image_store_get(const unsigned char **pdata, apr_size_t *plen,
                                   const char **pctype, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *name, const char *today,
                                   const char *cmcas_code, const char **perr)
{
    const char *args[4];
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    const char *ctype = NULL, *b64 = NULL;
    unsigned char *data;
    apr_status_t rv;

    *pdata = NULL;
    *plen = 0;
    *pctype = NULL;
    args[0] = name;
    args[1] = apr_pstrcat(p, "image/", name, NULL);
    args[2] = today;
    args[3] = cmcas_code ? cmcas_code : "";
    rv = cmcas_store_select(&cur, st, p, "cmcas_image_get", perr, 4, args);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!ctype) {
            ctype = cmcas_store_str(&cur, row, 0);
            b64 = cmcas_store_str(&cur, row, 1);
        }
    }
    if (!ctype || !b64) {
        return APR_NOTFOUND;
    }
    data = apr_palloc(p, apr_base64_decode_len(b64) + 1);
    *plen = (apr_size_t)apr_base64_decode_binary(data, b64);
    *pdata = data;
    *pctype = ctype;
    return APR_SUCCESS;
}

apr_status_t cmcas_image_store_forget(const cmcas_store_t *st, apr_pool_t *p,
                                      const char *path, const char **perr)
{
    const char *args[2];

    /* Only our own pictures ("image/<name>"); the others are files of the site. */
    if (!path || strncmp(path, "image/", 6)) {
        return APR_SUCCESS;
    }
    args[0] = path + 6;
    args[1] = path;
    return cmcas_store_exec(NULL, st, p, "cmcas_image_forget", perr, 2, args);
}
