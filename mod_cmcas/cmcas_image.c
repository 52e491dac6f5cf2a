#include <string.h>
#include <apr_strings.h>
#include <openssl/sha.h>

#include "cmcas_image.h"

static unsigned long cmcas_image_be32(const unsigned char *b)
{
    return ((unsigned long)b[0] << 24) | ((unsigned long)b[1] << 16)
           | ((unsigned long)b[2] << 8) | b[3];
}

/* The signature, then IHDR first (13 bytes: sides, bit depth, colour type, methods),
 * and IEND last: the layout every PNG decoder requires. */
static int cmcas_image_png(cmcas_image_t *img, const unsigned char *d, apr_size_t len)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                           0xAE, 0x42, 0x60, 0x82};
    unsigned depth, colour;

    if (len < 8 + 25 + 12 || memcmp(d, sig, 8)) {
        return 0;
    }
    if (cmcas_image_be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4)) {
        return 0;
    }
    img->width = (unsigned)cmcas_image_be32(d + 16);
    img->height = (unsigned)cmcas_image_be32(d + 20);
    depth = d[24];
    colour = d[25];
    if ((depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
        || (colour != 0 && colour != 2 && colour != 3 && colour != 4 && colour != 6)
        || d[26] || d[27] || d[28] > 1) {
        return 0;
    }
    return !memcmp(d + len - 12, iend, 12);
}

/* SOI, then marker segments up to a frame header (SOFn) giving the sides. */
static int cmcas_image_jpeg(cmcas_image_t *img, const unsigned char *d, apr_size_t len)
{
    apr_size_t i = 2;

    if (len < 4 || d[0] != 0xFF || d[1] != 0xD8 || d[2] != 0xFF) {
        return 0;
    }
    while (i + 4 <= len) {
        unsigned marker, seg;
        if (d[i] != 0xFF) {
            return 0;
        }
        marker = d[i + 1];
        if (marker == 0xFF) {           /* fill bytes */
            i++;
            continue;
        }
        if (marker == 0xD8 || marker == 0xD9 || marker == 0xDA || marker == 0x01
            || (marker >= 0xD0 && marker <= 0xD7)) {
            return 0;                   /* no frame header before the data */
        }
        seg = ((unsigned)d[i + 2] << 8) | d[i + 3];
        if (seg < 2 || i + 2 + seg > len) {
            return 0;
        }
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
            && marker != 0xCC) {
            if (seg < 8) {
                return 0;
            }
            img->height = ((unsigned)d[i + 5] << 8) | d[i + 6];
            img->width = ((unsigned)d[i + 7] << 8) | d[i + 8];
            return 1;
        }
        i += 2 + seg;
    }
    return 0;
}

apr_status_t cmcas_image_check(cmcas_image_t *img, apr_pool_t *p, const unsigned char *data,
                               apr_size_t len, const char **pmessage)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    const char *ext;
    int i;

    memset(img, 0, sizeof(*img));
    if (!len) {
        *pmessage = "Le fichier est vide : choisissez une image JPEG ou PNG.";
        return APR_EINVAL;
    }
    if (len > CMCAS_IMAGE_MAX_BYTES) {
        *pmessage = "L'image dépasse 2 Mio : réduisez-la avant de l'envoyer.";
        return APR_EINVAL;
    }
    if (cmcas_image_png(img, data, len)) {
        img->content_type = "image/png";
        ext = "png";
    }
    else if (cmcas_image_jpeg(img, data, len)) {
        img->content_type = "image/jpeg";
        ext = "jpg";
    }
    else {
        *pmessage = "Ce fichier n'est pas une image JPEG ou PNG lisible.";
        return APR_EINVAL;
    }
    if (!img->width || !img->height || img->width > CMCAS_IMAGE_MAX_SIDE
        || img->height > CMCAS_IMAGE_MAX_SIDE) {
        *pmessage = "Les dimensions de cette image ne sont pas valides.";
        return APR_EINVAL;
    }
    SHA256(data, len, md);
    for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        apr_snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    img->name = apr_pstrcat(p, hex, ".", ext, NULL);
    return APR_SUCCESS;
}

const char *cmcas_image_name_type(const char *name)
{
    int i;

    for (i = 0; i < 2 * SHA256_DIGEST_LENGTH; i++) {
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) {
            return NULL;
        }
    }
    if (!strcmp(name + i, ".png")) {
        return "image/png";
    }
    if (!strcmp(name + i, ".jpg")) {
        return "image/jpeg";
    }
    return NULL;
}

const char *cmcas_image_path(apr_pool_t *p, const char *name)
{
    return apr_pstrcat(p, "image/", name, NULL);
}
