/* libFuzzer harness: an activity's picture as uploaded (cmcas_image_check), which must be
 * known by its content alone. Invariants checked (abort() when one breaks): a picture
 * accepted has the magic bytes of its declared type (PNG: signature, IHDR first and IEND
 * last; JPEG: SOI then a marker), sides of 1 to CMCAS_IMAGE_MAX_SIDE pixels, and the
 * name "<SHA-256 of the bytes in hex>.png|.jpg" that cmcas_image_name_type maps back to
 * that type; a refusal has a message. cmcas_image_name_type is also given the bytes as
 * a name: what it takes is exactly such a name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <openssl/sha.h>

#include "../../mod_cmcas/cmcas_image.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int ok)
{
    if (!ok) {
        abort();
    }
}

static void fuzz_accepted(const cmcas_image_t *img, const uint8_t *data, size_t size)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char md[SHA256_DIGEST_LENGTH];
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    const char *type;
    int i;

    fuzz_check(size > 0 && size <= CMCAS_IMAGE_MAX_BYTES);
    fuzz_check(img->width >= 1 && img->width <= CMCAS_IMAGE_MAX_SIDE);
    fuzz_check(img->height >= 1 && img->height <= CMCAS_IMAGE_MAX_SIDE);
    fuzz_check(img->content_type && img->name);
    if (!strcmp(img->content_type, "image/png")) {
        fuzz_check(size >= 8 + 25 + 12 && !memcmp(data, png, 8)
                   && !memcmp(data + 12, "IHDR", 4)
                   && !memcmp(data + size - 8, "IEND", 4));
        type = ".png";
    }
    else {
        fuzz_check(!strcmp(img->content_type, "image/jpeg"));
        fuzz_check(size >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF);
        type = ".jpg";
    }
    SHA256(data, size, md);
    for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    fuzz_check(strlen(img->name) == 2 * SHA256_DIGEST_LENGTH + 4
               && !memcmp(img->name, hex, 2 * SHA256_DIGEST_LENGTH)
               && !strcmp(img->name + 2 * SHA256_DIGEST_LENGTH, type));
    fuzz_check(cmcas_image_name_type(img->name)
               && !strcmp(cmcas_image_name_type(img->name), img->content_type));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_image_t img;
    const char *message = NULL, *name, *type;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    /* Bytes of their own allocation, so that ASan sees any read past them. */
    {
        uint8_t *copy = malloc(size ? size : 1);
        memcpy(copy, data, size);
        if (APR_SUCCESS == cmcas_image_check(&img, p, copy, size, &message)) {
            fuzz_accepted(&img, copy, size);
        }
        else {
            fuzz_check(message && *message && !img.name);
        }
        free(copy);
    }
    name = apr_pstrmemdup(p, (const char *)data, size);
    if ((type = cmcas_image_name_type(name))) {
        size_t i, n = strlen(name);
        fuzz_check(n == 2 * SHA256_DIGEST_LENGTH + 4);
        for (i = 0; i < 2 * SHA256_DIGEST_LENGTH; i++) {
            fuzz_check((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'));
        }
        fuzz_check(!strcmp(name + n - 4, !strcmp(type, "image/png") ? ".png" : ".jpg"));
    }
    apr_pool_destroy(p);
    return 0;
}
