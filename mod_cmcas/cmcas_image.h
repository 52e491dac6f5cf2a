/* Activity pictures uploaded by staff: what the bytes are (PNG or JPEG, known by their
 * content and a sane header, never by a file name or a declared type), and the name
 * they are kept and served under (the SHA-256 of the bytes and the extension: the
 * uploaded name is never used). No httpd types. */
#ifndef cmcas_image_h
#define cmcas_image_h

#include <apr_pools.h>

/* The largest picture taken: 2 MiB. */
#define CMCAS_IMAGE_MAX_BYTES (2 * 1024 * 1024)
/* The largest side, in pixels. */
#define CMCAS_IMAGE_MAX_SIDE 20000

typedef struct {
    const char *content_type;   /* image/png | image/jpeg */
    const char *name;           /* "<64 hex>.png" | "<64 hex>.jpg" */
    unsigned width, height;
} cmcas_image_t;

/* Checks `len` bytes: APR_SUCCESS and *img for a PNG or JPEG with a sane header;
 * APR_EINVAL otherwise, with *pmessage (French). */
apr_status_t cmcas_image_check(cmcas_image_t *img, apr_pool_t *p, const unsigned char *data,
                               apr_size_t len, const char **pmessage);

/* The content type of a name cmcas_image_check gives ("<64 hex>.png|jpg"), or NULL
 * when `name` is not such a name. */
const char *cmcas_image_name_type(const char *name);

/* The URL path below a portal that serves the picture: "image/<name>". */
const char *cmcas_image_path(apr_pool_t *p, const char *name);

#endif
