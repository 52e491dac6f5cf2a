#include <curl/curl.h>
#include <apr_strings.h>
#include <apr_general.h>
#include <apr_time.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_bank_check.h"
#include "cmcas_paybox_direct.h"

/* The bank gives up on a notification after 20 s: both questions must fit well within. */
#define MOD_CMCAS_BANK_CHECK_BUDGET apr_time_from_sec(10)
#define MOD_CMCAS_BANK_CHECK_CONNECT_MS 5000L

int mod_cmcas_bank_check_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                     apr_pool_t *ptemp, server_rec *s)
{
    static int done;

    (void)pconf;
    (void)plog;
    (void)ptemp;
    /* Not thread-safe everywhere: here, in the parent, before any worker thread. */
    if (!done) {
        CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (rc != CURLE_OK) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, CMCAS_LOGNO(82)
                         "libcurl cannot start: %s", curl_easy_strerror(rc));
            return !OK;
        }
        done = 1;
    }
    return OK;
}

/* The answer, bounded: a bank that sends more is not the bank. */
typedef struct {
    char *buf;
    apr_size_t len;
    int overflow;
} mod_cmcas_bank_check_sink_t;

static size_t mod_cmcas_bank_check_write(char *data, size_t size, size_t nmemb, void *userp)
{
    mod_cmcas_bank_check_sink_t *sink = userp;
    size_t n = size * nmemb;

    if (n > CMCAS_PAYBOX_DIRECT_MAX_ANSWER - sink->len) {
        sink->overflow = 1;
        return 0;
    }
    memcpy(sink->buf + sink->len, data, n);
    sink->len += n;
    return n;
}

/* POSTs `body` to `url` before `deadline`: APR_SUCCESS with the answer of an HTTP 200,
 * else *pwhy. */
static apr_status_t mod_cmcas_bank_check_post(request_rec *r, const char *url,
                                              const char *body, apr_time_t deadline,
                                              mod_cmcas_bank_check_sink_t *sink,
                                              const char **pwhy)
{
    char errbuf[CURL_ERROR_SIZE];
    struct curl_slist *headers = NULL;
    apr_interval_time_t left = deadline - apr_time_now();
    long ms = (long)apr_time_as_msec(left), status = 0;
    long connect_ms = ms < MOD_CMCAS_BANK_CHECK_CONNECT_MS ? ms
                                                           : MOD_CMCAS_BANK_CHECK_CONNECT_MS;
    CURLcode rc;
    CURL *h;

    sink->buf = apr_palloc(r->pool, CMCAS_PAYBOX_DIRECT_MAX_ANSWER + 1);
    sink->len = 0;
    sink->overflow = 0;
    if (ms < 500) {
        *pwhy = "Paybox Direct unreachable (no time left)";
        return APR_TIMEUP;
    }
    if (!(h = curl_easy_init())) {
        *pwhy = "Paybox Direct unreachable (libcurl cannot start)";
        return APR_ENOMEM;
    }
    errbuf[0] = '\0';
    headers = curl_slist_append(headers,
                                "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "mod_cmcas");
    /* Threads: no signals for timeouts. A redirect is an error, never followed. */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)CMCAS_PAYBOX_DIRECT_MAX_ANSWER);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, mod_cmcas_bank_check_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);

    if (sink->overflow || rc == CURLE_FILESIZE_EXCEEDED) {
        *pwhy = "Paybox Direct: the answer is too large";
        return APR_EINVAL;
    }
    if (rc != CURLE_OK) {
        *pwhy = apr_psprintf(r->pool, "Paybox Direct unreachable (%s)",
                             errbuf[0] ? errbuf : curl_easy_strerror(rc));
        return APR_EGENERAL;
    }
    if (status != 200) {
        *pwhy = apr_psprintf(r->pool, "Paybox Direct answered HTTP %ld", status);
        return APR_EGENERAL;
    }
    sink->buf[sink->len] = '\0';
    return APR_SUCCESS;
}

static const char *mod_cmcas_bank_check_name(cmcas_gateway_check_t check)
{
    switch (check) {
    case CMCAS_GATEWAY_CHECK_CONFIRMED: return "confirmed";
    case CMCAS_GATEWAY_CHECK_DENIED: return "denied";
    case CMCAS_GATEWAY_CHECK_UNAVAILABLE: return "unavailable";
    default: return "none";
    }
}

cmcas_gateway_check_t mod_cmcas_bank_check(request_rec *r,
                                           const mod_cmcas_config_cmcas_t *payee,
                                           const cmcas_gateway_result_t *res,
                                           const char **pwhy)
{
    /* The status of the notified number first (it says "not here" to a payment made to
     * another account), then whether the reference and amount are that number. */
    static const char *const questions[] = {CMCAS_PAYBOX_DIRECT_INQUIRY,
                                            CMCAS_PAYBOX_DIRECT_EXISTS};
    const mod_cmcas_config_payment_t *pay = &payee->payment;
    apr_time_t deadline = apr_time_now() + MOD_CMCAS_BANK_CHECK_BUDGET;
    cmcas_gateway_check_t check = CMCAS_GATEWAY_CHECK_CONFIRMED;
    cmcas_paybox_direct_account_t acc;
    cmcas_paybox_direct_tx_t tx;
    const char *why = NULL;
    size_t i;

    if (!pay->gateway || strcmp(pay->gateway, "paybox") || !pay->paybox_direct_url) {
        *pwhy = "no check with the bank (no CMCASPayboxDirect)";
        return CMCAS_GATEWAY_CHECK_NONE;
    }
    acc.site = pay->paybox_site;
    acc.rang = pay->paybox_rang;
    acc.identifiant = pay->paybox_identifiant;
    acc.hex_key = pay->paybox_direct_key;
    acc.cle = pay->paybox_direct_cle;
    acc.production = mod_cmcas_config_paybox_production(payee);
    tx.reference = res->reference;
    tx.amount = res->amount;
    tx.trans = res->transaction;
    tx.call = res->call;
    tx.authorization = res->authorization;

    for (i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
        mod_cmcas_bank_check_sink_t sink;
        unsigned int noise = 0;
        unsigned long numq;
        const char *body = NULL, *err = NULL;
        apr_table_t *ans = NULL;

        apr_generate_random_bytes((unsigned char *)&noise, sizeof(noise));
        numq = cmcas_paybox_direct_numquestion(apr_time_now(), noise);
        if (APR_SUCCESS != cmcas_paybox_direct_question(&body, r->pool, &acc, questions[i],
                                                        &tx, numq,
                                                        cmcas_paybox_direct_dateq(
                                                            r->pool, apr_time_now()),
                                                        &err)) {
            /* The notification's numbers are not the bank's format: nothing to confirm. */
            why = apr_psprintf(r->pool, "Paybox Direct: cannot ask the bank (%s)", err);
            check = CMCAS_GATEWAY_CHECK_DENIED;
        }
        else if (APR_SUCCESS != mod_cmcas_bank_check_post(r, pay->paybox_direct_url, body,
                                                          deadline, &sink, &why)) {
            check = CMCAS_GATEWAY_CHECK_UNAVAILABLE;
        }
        else if (APR_SUCCESS != cmcas_paybox_direct_parse(&ans, r->pool, sink.buf, sink.len,
                                                          &err)) {
            why = apr_psprintf(r->pool, "Paybox Direct: unreadable answer (%s)", err);
            check = CMCAS_GATEWAY_CHECK_UNAVAILABLE;
        }
        else {
            check = cmcas_paybox_direct_judge(r->pool, &acc, questions[i], &tx, numq, ans,
                                              &why);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(80)
                      "bank check for CMCAS %s, question %s: %s: %s", payee->site.code,
                      questions[i], mod_cmcas_bank_check_name(check), why);
        if (check != CMCAS_GATEWAY_CHECK_CONFIRMED) {
            break;
        }
    }
    *pwhy = why;
    return check;
}
