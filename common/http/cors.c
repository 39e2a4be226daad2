/* CORS as oslo.middleware's CORS filter (with the reference's defaults
 * for the [cors] options it leaves empty).  The filter sits outside the
 * application, so it sees every answer, 401s and 405s included. */
#include "cors.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The reference's defaults (placement/wsgi.py sets them for [cors]). */
static const char default_allow_headers[] =
	"X-Auth-Token,X-Openstack-Request-Id,X-Identity-Status,X-Roles,"
	"X-Service-Catalog,X-User-Id,X-Tenant-Id,OpenStack-API-Version";
static const char default_expose_headers[] =
	"X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,"
	"OpenStack-API-Version";
static const char default_allow_methods[] = "GET,PUT,POST,DELETE,PATCH";
#define DEFAULT_MAX_AGE 3600L

/* Header names any preflight may ask for (the CORS "simple" headers). */
static const char simple_headers[] =
	"Accept,Accept-Language,Content-Type,Cache-Control,Content-Language,"
	"Expires,Last-Modified,Pragma";

/* Walks a comma-separated list: the next item, trimmed, in *item and *len;
 * returns the position after it, or NULL at the end. */
static const char *
next_item(const char *p, const char **item, size_t *len)
{
	if (p == NULL || *p == '\0')
		return NULL;
	size_t n = strcspn(p, ",");
	const char *s = p, *e = p + n;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*item = s;
	*len = (size_t)(e - s);
	return p[n] == ',' ? p + n + 1 : p + n;
}

/* 1 if the list holds the item (case-insensitively when nocase). */
static int
list_has(const char *list, const char *s, size_t slen, int nocase)
{
	const char *it;
	size_t len;
	for (const char *p = list; (p = next_item(p, &it, &len)) != NULL;) {
		if (len == slen && (nocase ? strncasecmp(it, s, len) : strncmp(it, s, len)) == 0)
			return 1;
	}
	return 0;
}

/* The list as oslo.config's ListOpt reads it, joined with ",". */
static char *
list_join(struct arena *a, const char *list)
{
	char *out = arena_alloc(a, strlen(list) + 1);
	size_t n = 0, len;
	const char *it;
	if (out == NULL)
		return NULL;
	for (const char *p = list; (p = next_item(p, &it, &len)) != NULL;) {
		if (len == 0)
			continue;
		if (n)
			out[n++] = ',';
		memcpy(out + n, it, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}

static const char *
or_default(const char *v, const char *def)
{
	return v[0] != '\0' ? v : def;
}

int
cors_enabled(const struct config *cfg)
{
	const char *it;
	size_t len;
	for (const char *p = cfg->cors_allowed_origin; (p = next_item(p, &it, &len)) != NULL;)
		if (len > 0)
			return 1;
	return 0;
}

/* The configured origin matching the request's Origin ("*" when only
 * the wildcard matches), or NULL when the origin is not allowed. */
static const char *
allowed_origin(const struct config *cfg, const char *origin)
{
	if (origin == NULL)
		return NULL;
	if (origin[0] != '\0' && list_has(cfg->cors_allowed_origin, origin, strlen(origin), 0))
		return origin;
	if (list_has(cfg->cors_allowed_origin, "*", 1, 0))
		return "*";
	return NULL;
}

/* Sets a header, replacing an existing one of the same name. */
static void
set_header(struct response *resp, const char *name, const char *value)
{
	for (int i = 0; i < resp->nheaders; i++) {
		if (strcasecmp(resp->headers[i].name, name) == 0) {
			resp->headers[i].value = value;
			return;
		}
	}
	resp_header(resp, name, value);
}

static void
add_vary_origin(struct response *resp, struct arena *a)
{
	for (int i = 0; i < resp->nheaders; i++) {
		if (strcasecmp(resp->headers[i].name, "Vary") == 0) {
			const char *v = arena_printf(a, "%s,Origin", resp->headers[i].value);
			if (v != NULL)
				resp->headers[i].value = v;
			return;
		}
	}
	resp_header(resp, "Vary", "Origin");
}

static long
max_age(const struct config *cfg)
{
	return cfg->cors_max_age < 0 ? DEFAULT_MAX_AGE : cfg->cors_max_age;
}

/* Preflight: W3C CORS section 6.2, as oslo.middleware words it. */
static void
preflight(const struct config *cfg, const struct request *req,
          struct response *resp, struct arena *a)
{
	if (resp->status < 200 || resp->status >= 300) {
		/* the application has no OPTIONS: answer an empty 200 */
		resp->status = 200;
		resp->nheaders = 0;
		resp->content_type = NULL;
		buf_reset(&resp->body);
	}
	const char *origin = allowed_origin(cfg, req->h_origin);
	const char *method = req->h_acr_method;
	if (origin == NULL || method == NULL)
		return;
	const char *methods = or_default(cfg->cors_allow_methods, default_allow_methods);
	if (!list_has(methods, method, strlen(method), 0))
		return;
	const char *allow = or_default(cfg->cors_allow_headers, default_allow_headers);
	const char *asked = req->h_acr_headers ? req->h_acr_headers : "";
	const char *it;
	size_t len;
	for (const char *p = asked; (p = next_item(p, &it, &len)) != NULL;) {
		if (len > 0 && !list_has(allow, it, len, 1) && !list_has(simple_headers, it, len, 1))
			return;
	}
	set_header(resp, "Vary", "Origin");
	resp_header(resp, "Access-Control-Allow-Origin", origin);
	if (cfg->cors_allow_credentials)
		resp_header(resp, "Access-Control-Allow-Credentials", "true");
	if (max_age(cfg) > 0)
		resp_header(resp, "Access-Control-Max-Age", arena_printf(a, "%ld", max_age(cfg)));
	resp_header(resp, "Access-Control-Allow-Methods", method);
	const char *joined = list_join(a, asked);
	if (joined != NULL && joined[0] != '\0')
		resp_header(resp, "Access-Control-Allow-Headers", joined);
}

void
cors_apply(const struct config *cfg, const struct request *req,
           struct response *resp, struct arena *a)
{
	if (!cors_enabled(cfg))
		return;
	if (req->method != NULL && strcmp(req->method, "OPTIONS") == 0) {
		preflight(cfg, req, resp, a);
		return;
	}
	const char *origin = allowed_origin(cfg, req->h_origin);
	if (origin == NULL)
		return;
	add_vary_origin(resp, a);
	resp_header(resp, "Access-Control-Allow-Origin", origin);
	if (cfg->cors_allow_credentials)
		resp_header(resp, "Access-Control-Allow-Credentials", "true");
	const char *expose = list_join(a, or_default(cfg->cors_expose_headers, default_expose_headers));
	if (expose != NULL && expose[0] != '\0')
		resp_header(resp, "Access-Control-Expose-Headers", expose);
}
