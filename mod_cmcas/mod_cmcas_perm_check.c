#include <apr_strings.h>
#include <apr_file_info.h>
#include <httpd.h>
#include <unixd.h>
#include <unistd.h>
#include <grp.h>
#include <sys/stat.h>

#include "mod_cmcas_perm_check.h"

const char *mod_cmcas_perm_check_key(apr_pool_t *p, const char *file, const char *path,
                                     int secret)
{
    struct stat st;

    if (!file || stat(file, &st) || !S_ISREG(st.st_mode)) {
        return apr_psprintf(p, "cannot read %s", path);
    }
    if (secret && (st.st_mode & S_IRWXO)) {
        return apr_psprintf(p, "%s is readable by every user (mode %04o): make it "
                            "readable by root only, or by root and the server's group "
                            "(chmod 600, or chown root:GROUP and chmod 640)", path,
                            (unsigned)(st.st_mode & 07777));
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        return apr_psprintf(p, "%s is writable by other users (mode %04o): anyone of "
                            "them could replace it (chmod go-w)", path,
                            (unsigned)(st.st_mode & 07777));
    }
    return NULL;
}

/* The user the children will run as: User/Group when started as root, else ourselves. */
static void mod_cmcas_perm_check_who(uid_t *uid, gid_t *gid, const char **name)
{
    if (geteuid() == 0 && ap_unixd_config.user_name) {
        *uid = ap_unixd_config.user_id;
        *gid = ap_unixd_config.group_id;
        *name = ap_unixd_config.user_name;
    }
    else {
        *uid = geteuid();
        *gid = getegid();
        *name = NULL;
    }
}

const char *mod_cmcas_perm_check_user_name(void)
{
    uid_t uid;
    gid_t gid;
    const char *name;

    mod_cmcas_perm_check_who(&uid, &gid, &name);
    return name ? name : "the user httpd runs as";
}

/* Whether the user is in group `g` (its Group, or another group of the user). */
static int mod_cmcas_perm_check_in_group(apr_pool_t *p, const char *name, gid_t gid,
                                         gid_t g)
{
    gid_t *groups;
    int n = 0, i;

    if (g == gid) {
        return 1;
    }
    /* The first call only says how many groups there are. */
    getgrouplist(name, gid, NULL, &n);
    if (n <= 0) {
        return 0;
    }
    groups = apr_palloc(p, sizeof(*groups) * (apr_size_t)n);
    if (getgrouplist(name, gid, groups, &n) < 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (groups[i] == g) {
            return 1;
        }
    }
    return 0;
}

int mod_cmcas_perm_check_user_may(apr_pool_t *p, const char *path, int want)
{
    struct stat st;
    uid_t uid;
    gid_t gid;
    const char *name;
    int bits;

    mod_cmcas_perm_check_who(&uid, &gid, &name);
    if (!name) {
        return access(path, (want & 4 ? R_OK : 0) | (want & 2 ? W_OK : 0)
                            | (want & 1 ? X_OK : 0)) == 0;
    }
    if (stat(path, &st)) {
        return 0;
    }
    if (uid == 0) {
        return !(want & 1) || (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
    }
    bits = st.st_uid == uid ? (st.st_mode >> 6) & 7
         : mod_cmcas_perm_check_in_group(p, name, gid, st.st_gid) ? (st.st_mode >> 3) & 7
         : st.st_mode & 7;
    return (bits & want) == want;
}
