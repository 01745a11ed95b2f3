#include "ccurl.h"
#include <pthread.h>

static pthread_once_t ccurl_once = PTHREAD_ONCE_INIT;
static CURLcode ccurl_init_result = CURLE_OK;

static void ccurl_do_init(void) { ccurl_init_result = curl_global_init(CURL_GLOBAL_ALL); }

CURLcode ccurl_global_init_once(void) {
    pthread_once(&ccurl_once, ccurl_do_init);
    return ccurl_init_result;
}

CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long value) { return curl_easy_setopt(h, opt, value); }
CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *value) { return curl_easy_setopt(h, opt, value); }
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *value) { return curl_easy_setopt(h, opt, value); }
CURLcode ccurl_setopt_off_t(CURL *h, CURLoption opt, curl_off_t value) { return curl_easy_setopt(h, opt, value); }
CURLcode ccurl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *list) { return curl_easy_setopt(h, opt, list); }
CURLcode ccurl_setopt_mime(CURL *h, CURLoption opt, curl_mime *mime) { return curl_easy_setopt(h, opt, mime); }
CURLcode ccurl_setopt_write_function(CURL *h, ccurl_data_callback fn) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fn); }
CURLcode ccurl_setopt_read_function(CURL *h, ccurl_data_callback fn) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, fn); }
CURLcode ccurl_setopt_header_function(CURL *h, ccurl_data_callback fn) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fn); }

CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO info, double *out) { return curl_easy_getinfo(h, info, out); }
CURLcode ccurl_getinfo_string(CURL *h, CURLINFO info, const char **out) { return curl_easy_getinfo(h, info, out); }

CURLcode ccurl_setopt_xferinfo_function(CURL *h, ccurl_xferinfo_callback fn) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fn);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

static pthread_once_t ccurl_share_once = PTHREAD_ONCE_INIT;
static CURLSH *ccurl_share = NULL;
static pthread_mutex_t ccurl_share_locks[CURL_LOCK_DATA_LAST];

static void ccurl_share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *userptr) {
    (void)h; (void)access; (void)userptr;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_lock(&ccurl_share_locks[data]);
}

static void ccurl_share_unlock(CURL *h, curl_lock_data data, void *userptr) {
    (void)h; (void)userptr;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_unlock(&ccurl_share_locks[data]);
}

static void ccurl_make_share(void) {
    ccurl_global_init_once();
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&ccurl_share_locks[i], NULL);
    CURLSH *sh = curl_share_init();
    if (!sh) return;
    curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, ccurl_share_lock);
    curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, ccurl_share_unlock);
    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    /* Not CURL_LOCK_DATA_CONNECT: sharing the connection pool between threads is a known
       libcurl bug; connections are reused by pooling easy handles instead (HTTPClient). */
    ccurl_share = sh;
}

CURLSH *ccurl_shared_handle(void) {
    pthread_once(&ccurl_share_once, ccurl_make_share);
    return ccurl_share;
}
