#ifndef OPSBOT_CCURL_H
#define OPSBOT_CCURL_H
#include <curl/curl.h>
#include <sys/types.h>

/// Typed wrappers around libcurl's variadic functions, which Swift cannot call.
/// Each passes the exact C type libcurl reads from the va_list (a real `long`, an off_t, a pointer).

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

/// curl_global_init(CURL_GLOBAL_ALL) exactly once per process (thread-safe).
CURLcode ccurl_global_init_once(void);

CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *value);
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *value);
CURLcode ccurl_setopt_off_t(CURL *h, CURLoption opt, curl_off_t value);
CURLcode ccurl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *list);
CURLcode ccurl_setopt_mime(CURL *h, CURLoption opt, curl_mime *mime);
CURLcode ccurl_setopt_write_function(CURL *h, ccurl_data_callback fn);
CURLcode ccurl_setopt_read_function(CURL *h, ccurl_data_callback fn);
CURLcode ccurl_setopt_header_function(CURL *h, ccurl_data_callback fn);

typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
/// Progress callback (also called about once a second while idle): returning non-zero aborts the transfer.
CURLcode ccurl_setopt_xferinfo_function(CURL *h, ccurl_xferinfo_callback fn);

/// A process-wide share handle (DNS cache, TLS sessions) with its own mutexes, so that easy
/// handles on different threads resolve once and resume TLS sessions.
CURLSH *ccurl_shared_handle(void);

CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO info, double *out);
CURLcode ccurl_getinfo_string(CURL *h, CURLINFO info, const char **out);

#endif
