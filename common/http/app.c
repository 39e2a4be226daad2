/* The request pipeline: request id, auth, microversion, routing, Accept
 * and Content-Type checks, query parsing, the handler, and the one place
 * where errors become HTTP responses. */
#include "app.h"
#include "routes.h"
#include "microversion.h"
#include "query.h"
#include "policy.h"
#include "cors.h"
#include "../../sql/store.h"
#include "../../sql/fault.h"
#include "../util/pytext.h"
#include <json-c/json.h>
#include <uuid/uuid.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define JSON_MAX_DEPTH 64

void
resp_header(struct response *r, const char *name, const char *value)
{
	if (r->nheaders < RESP_MAXHEADERS) {
		r->headers[r->nheaders].name = name;
		r->headers[r->nheaders].value = value;
		r->nheaders++;
	}
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Request Entity Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Unknown";
	}
}

/* The first paragraph of an error's detail, as the reference words it. */
static const char *
explanation(int status)
{
	switch (status) {
	case 400: return "The server could not comply with the request since it is either malformed or otherwise incorrect.";
	case 401: return "This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.";
	case 403: return "Access was denied to this resource.";
	case 404: return "The resource could not be found.";
	case 409: return "There was a conflict when trying to complete your request.";
	case 411: return "Content-Length header required.";
	case 413: return "The request is larger than the server is willing or able to process.";
	case 500: return "The server has either erred or is incapable of performing the requested operation.";
	case 503: return "The server is currently unavailable. Please try again at a later time.";
	default:  return "";
	}
}

int
fail(struct ctx *c, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->err.status = status;
	c->err.code = code ? code : ERR_UNDEFINED;
	c->err.detail = arena_vprintf(c->a, fmt, ap);
	va_end(ap);
	return -1;
}

/* The detail of a store failure that may succeed when run again
 * (ST_RETRY); dispatch() knows it by this address. */
static const char retry_detail[] =
	"Another thread concurrently updated the data. Please retry your update";

int
fail_oom(struct ctx *c)
{
	return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
}

int
fail_store(struct ctx *c, int rc)
{
	/* A caller that lost the database's own code (a failed prepare, a
	 * row loop that ended on an error) says ST_ERROR: answer what the
	 * database really said. */
	if (rc == ST_ERROR) {
		int first = store_failure(c->db);
		if (first == ST_RETRY || first == ST_BUSY || first == ST_UNAVAILABLE)
			rc = first;
	}
	switch (rc) {
	case ST_RETRY:
		c->err.status = 409;
		c->err.code = ERR_CONCURRENT;
		c->err.detail = retry_detail;
		return -1;
	case ST_BUSY:
		reply_header(c, "Retry-After", "1");
		return fail(c, 503, ERR_UNDEFINED,
		            "The database is busy; retry the request.");
	case ST_UNAVAILABLE:
		reply_header(c, "Retry-After", "5");
		return fail(c, 503, ERR_DB_UNAVAILABLE,
		            "The database is not available; retry the request.");
	case ST_NOTFOUND:
		return fail(c, 404, ERR_UNDEFINED, "Not found.");
	case ST_CONFLICT:
		return fail(c, 409, ERR_CONCURRENT, "Conflicting update; retry the request.");
	default:
		return fail(c, 500, ERR_UNDEFINED, "Database error.");
	}
}

void
reply_json(struct ctx *c, int status)
{
	c->resp->status = status;
	c->resp->content_type = "application/json";
	buf_reset(&c->resp->body);
	jw_init(&c->w, &c->resp->body);
}

void
reply_empty(struct ctx *c, int status)
{
	c->resp->status = status;
	c->resp->content_type = NULL;
	buf_reset(&c->resp->body);
}

void
reply_header(struct ctx *c, const char *name, const char *value)
{
	resp_header(c->resp, name, arena_strdup(c->a, value));
}

void
seen_modified(struct ctx *c, time_t t)
{
	if (t > c->last_modified)
		c->last_modified = t;
}

const char *
link_base(const struct ctx *c)
{
	return c->req->script_name ? c->req->script_name : "";
}

int
is_uuid(const char *s)
{
	return py_uuid_like(s, NULL);
}

/* The reference's uuid forms (pytext.c's py_uuid_like) in the dashed
 * lower-case form. */
int
uuid_normalize(const char *s, char out[37])
{
	char hex[33];
	if (!py_uuid_like(s, hex))
		return -1;
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

/* --- Accept and Content-Type --- */

/* q-value of the best media range in accept that matches type/subtype;
 * -1 when none matches. */
static double
accept_q(const char *accept, const char *type)
{
	size_t tlen = strcspn(type, "/");
	double best = -1;
	int best_spec = -1;
	const char *p = accept;
	while (*p) {
		size_t seg = strcspn(p, ",");
		size_t i = 0;
		while (i < seg && isspace((unsigned char)p[i]))
			i++;
		const char *m = p + i;
		size_t rest = seg - i;
		size_t mlen = strcspn(m, ";,");
		if (mlen > rest)
			mlen = rest;
		const char *params = m + mlen;
		size_t plen = rest - mlen;
		while (mlen > 0 && isspace((unsigned char)m[mlen - 1]))
			mlen--;
		double q = 1.0;
		for (size_t k = 0; k + 2 < plen + 1 && k < plen; k++) {
			if (params[k] == ';') {
				size_t j = k + 1;
				while (j < plen && isspace((unsigned char)params[j]))
					j++;
				if (j + 1 < plen && (params[j] == 'q' || params[j] == 'Q') && params[j + 1] == '=')
					q = strtod(params + j + 2, NULL);
			}
		}
		int spec = -1;
		if (mlen == 3 && memcmp(m, "*/*", 3) == 0)
			spec = 0;
		else if (mlen == tlen + 2 && strncasecmp(m, type, tlen) == 0 && m[tlen] == '/' && m[tlen + 1] == '*')
			spec = 1;
		else if (mlen == strlen(type) && strncasecmp(m, type, mlen) == 0)
			spec = 2;
		if (spec > best_spec) {
			best_spec = spec;
			best = q;
		}
		p += seg;
		if (*p)
			p++;
	}
	return best_spec < 0 ? -1 : best;
}

static int
accepts_json(const char *accept)
{
	if (accept == NULL || accept[0] == '\0')
		return 1;
	return accept_q(accept, "application/json") > 0;
}

/* The media type of error bodies: as the reference's error formatter
 * picks between text/html and application/json, else text/plain. */
static const char *
error_media(const char *accept)
{
	if (accept == NULL || accept[0] == '\0' || strcmp(accept, "*/*") == 0)
		return "application/json";
	double h = accept_q(accept, "text/html");
	double j = accept_q(accept, "application/json");
	if (h <= 0 && j <= 0)
		return "text/plain";
	/* webob lists text/html first, so it wins a tie. */
	return h > 0 && h >= j ? "text/html" : "application/json";
}

/* The media type part of a Content-Type value, lower-cased. */
static char *
media_type(struct arena *a, const char *ct)
{
	size_t n = strcspn(ct, ";");
	while (n > 0 && isspace((unsigned char)ct[n - 1]))
		n--;
	char *m = arena_strndup(a, ct, n);
	for (char *p = m; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return m;
}

/* The value of the 4 hex digits at s (s has at least 4 bytes), or -1. */
static int
hex4(const char *s)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char h = s[k];
		int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
			: h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* What json-c's strict mode lets through but Python's json.loads (the
 * reference) refuses: object keys in single quotes and control
 * characters inside strings.  Also \u escapes of lone surrogates, which
 * json-c turns into U+FFFD and the reference cannot store (a 500 there):
 * refused as malformed.  NULL, or the reason worded as Python's. */
static const char *
json_lax(struct arena *a, const char *s, size_t n)
{
	int in_str = 0;
	size_t line = 1, start = 0;     /* start: index of the line's first byte */
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (in_str && ch == '\\') {
			int u = i + 5 < n && s[i + 1] == 'u' ? hex4(s + i + 2) : -1;
			if (u >= 0xdc00 && u <= 0xdfff)
				return arena_printf(a, "Lone surrogate \\u%04x at: line %zu column %zu (char %zu)",
				                    (unsigned)u, line, i - start + 1, i);
			if (u >= 0xd800 && u <= 0xdbff) {
				int lo = i + 11 < n && s[i + 6] == '\\' && s[i + 7] == 'u' ? hex4(s + i + 8) : -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return arena_printf(a, "Lone surrogate \\u%04x at: line %zu column %zu (char %zu)",
					                    (unsigned)u, line, i - start + 1, i);
				i += 6;   /* the pair's low half */
			}
			i++;
		} else if (in_str && ch < 0x20) {
			return arena_printf(a, "Invalid control character at: line %zu column %zu (char %zu)",
			                    line, i - start + 1, i);
		} else if (ch == '"') {
			in_str = !in_str;
		} else if (!in_str && ch == '\'') {
			return arena_printf(a, "Expecting property name enclosed in double quotes: "
			                    "line %zu column %zu (char %zu)", line, i - start + 1, i);
		} else if (ch == '\n') {
			line++;
			start = i + 1;
		}
	}
	return NULL;
}

/* The 415 of a body that does not say it is JSON; 0 when it does. */
static int
check_json_type(struct ctx *c)
{
	const char *ct = c->req->content_type;
	char *mt = (ct && *ct) ? media_type(c->a, ct) : NULL;
	if (mt != NULL && strcmp(mt, "application/json") == 0)
		return 0;
	const char *shown = mt ? mt : "None";
	c->err.status = 415;
	c->err.code = ERR_UNDEFINED;
	c->err.detail = arena_printf(c->a,
		"The request media type %s is not supported by this server. \n\n The media type %s is not supported, use application/json",
		shown, shown);
	return -1;
}

int
read_json_body(struct ctx *c, struct json_object **out)
{
	const struct request *r = c->req;
	if (check_json_type(c) < 0)
		return -1;
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (tok == NULL)
		return fail_oom(c);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *obj = NULL;
	if (r->body_len > 0)
		obj = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* A number or true/false filling the whole body is complete only
		 * once json-c sees the end: tell it with a NUL.  Anything else
		 * unfinished stays "unexpected end of data". */
		struct json_object *end = json_tokener_parse_ex(tok, "", 1);
		if (json_tokener_get_error(tok) == json_tokener_success) {
			obj = end;
			jerr = json_tokener_success;
			used = r->body_len;
		} else if (end != NULL) {
			json_object_put(end);
		}
	}
	/* A literal null parses to NULL with success: the validators report it. */
	int bad = r->body_len == 0 || jerr != json_tokener_success;
	const char *lax = NULL;
	if (!bad) {
		/* only whitespace may follow the value */
		for (size_t i = used; i < r->body_len; i++)
			if (!isspace((unsigned char)r->body[i]))
				bad = 1;
	}
	if (!bad && (lax = json_lax(c->a, r->body, r->body_len)) != NULL)
		bad = 1;
	if (bad) {
		const char *why = r->body_len == 0 ? "Expecting value: line 1 column 1 (char 0)"
			: lax != NULL ? lax
			: jerr == json_tokener_error_depth ? "nesting too deep"
			: jerr == json_tokener_continue ? "unexpected end of data"
			: jerr != json_tokener_success ? json_tokener_error_desc(jerr)
			: "Extra data";
		json_tokener_free(tok);
		if (obj)
			json_object_put(obj);
		return fail(c, 400, ERR_UNDEFINED, "Malformed JSON: %s", why);
	}
	json_tokener_free(tok);
	if (c->body_json)
		json_object_put(c->body_json);
	c->body_json = obj;
	*out = obj;
	return 0;
}

/* --- identity (noauth2) --- */

static int
setup_identity(struct ctx *c)
{
	const struct request *r = c->req;
	const char *tok = r->h_token;
	/* An empty token is a token (user ""), as in the reference. */
	if (tok == NULL)
		return -1;
	const char *colon = strchr(tok, ':');
	if (colon) {
		c->who.user_id = arena_strndup(c->a, tok, (size_t)(colon - tok));
		c->who.project_id = arena_strdup(c->a, colon + 1);
	} else {
		c->who.user_id = arena_strdup(c->a, tok);
		c->who.project_id = c->who.user_id;
	}
	if (r->h_roles != NULL) {
		char *roles = arena_strdup(c->a, r->h_roles);
		for (char *p = roles; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		c->who.roles = roles;
	} else {
		c->who.roles = strcmp(c->who.user_id, "admin") == 0 ? "admin" : "";
	}
	if (r->h_system_scope && strcasecmp(r->h_system_scope, "all") == 0) {
		c->who.system_scope = 1;
		c->who.project_id = NULL;
	}
	if (r->h_project_id != NULL && r->h_project_id[0] != '\0')
		c->who.project_id = arena_strdup(c->a, r->h_project_id);
	return 0;
}

/* --- routing --- */

/* Matches path against a pattern; fills args.  1 on match. */
static int
match_route(struct arena *a, const char *pattern, const char *path, const char **args)
{
	int nargs = 0;
	const char *p = pattern, *s = path;
	if (strcmp(pattern, "/") == 0)
		return strcmp(path, "/") == 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (pl == 1 && p[0] == '*') {
			if (sl == 0 || nargs >= 3)
				return 0;
			if (args)
				args[nargs] = arena_strndup(a, s, sl);
			nargs++;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return 0;
		}
		p += pl;
		s += sl;
	}
	return *p == '\0' && *s == '\0';
}

/* --- error rendering: the one place errors become HTTP --- */

/* Appends n bytes of s HTML-escaped, quotes included, as webob does. */
static void
put_html(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#x27;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* The detail as webob puts it in a plain or JSON error body: newlines
 * become spaces and carriage returns go, then "<br...>" becomes a newline
 * and "<!--", "-->" and every other "<...>" go (so a name like "<b>x"
 * echoed in a message reads "x", as the reference answers). */
static const char *
strip_tags(struct arena *a, const char *detail)
{
	if (strpbrk(detail, "\n\r<>") == NULL)
		return detail;
	size_t n = strlen(detail);
	char *out = arena_alloc(a, n + 1), *o = out;
	if (out == NULL)
		return detail;
	for (const char *p = detail; *p; p++) {
		if (*p == '\r')
			continue;
		if (strncmp(p, "<!--", 4) == 0) {
			p += 3;
			continue;
		}
		if (strncmp(p, "-->", 3) == 0) {
			p += 2;
			continue;
		}
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (end != NULL) {
				/* "<br" in any case, whatever follows, up to the first '>' */
				int br = strncasecmp(p + 1, "br", 2) == 0;
				if (br)
					*o++ = '\n';
				p = end;
				continue;
			}
		}
		*o++ = *p == '\n' ? ' ' : *p;
	}
	*o = '\0';
	return out;
}

/* The body of webob's HTML error page.  Most errors are an explanation
 * and the detail: "<explanation><br /><br />\n<detail>\n\n".  405, 406
 * and 415 hold both parts in their detail, split by "\n\n " (the JSON
 * form), and their HTML breaks the first part where JSON has a blank. */
static void
html_error_body(struct buf *b, struct arena *a, int status, const char *detail)
{
	if (status != 405 && status != 406 && status != 415) {
		const char *ex = explanation(status);
		put_html(b, ex, strlen(ex));
		buf_puts(b, "<br /><br />\n");
		put_html(b, detail, strlen(detail));
		buf_puts(b, "\n\n");
		return;
	}
	const char *sep = strstr(detail, "\n\n ");
	size_t n = sep ? (size_t)(sep - detail) : strlen(detail);
	char *head = arena_strndup(a, detail, n);
	if (head == NULL)
		return;
	char *brk = strstr(head, "browser (");
	if (status == 406 && brk != NULL)
		brk[7] = '\n';
	if (status == 415 && n > 0 && head[n - 1] == ' ')
		head[n - 1] = '\n';
	put_html(b, head, n);
	buf_puts(b, "<br /><br />\n");
	if (sep != NULL)
		put_html(b, sep + 3, strlen(sep + 3));
}

/* The reference's 401 (webob's own page): JSON has its own shape. */
static void
json_401(struct buf *b)
{
	struct jw w;
	jw_init(&w, b);
	jw_obj(&w, NULL);
	jw_str(&w, "message", "This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.<br /><br />\n\n\n");
	jw_str(&w, "code", "401 Unauthorized");
	jw_str(&w, "title", "Unauthorized");
	jw_obj_end(&w);
}

static void
render_error(struct ctx *c, const char *accept)
{
	struct response *resp = c->resp;
	int status = c->err.status;
	const char *title = http_reason(status);
	const char *detail = c->err.detail ? c->err.detail : "";
	char *body;

	/* Some errors carry their whole text already (405, 406, 415). */
	if (status == 405 || status == 406 || status == 415)
		body = (char *)detail;
	else
		body = arena_printf(c->a, "%s\n\n %s  ", explanation(status), strip_tags(c->a, detail));
	if (body == NULL)
		body = (char *)"";

	resp->status = status;
	buf_reset(&resp->body);
	const char *media = error_media(accept);
	if (strcmp(media, "application/json") == 0 && status == 401) {
		resp->content_type = "application/json";
		json_401(&resp->body);
	} else if (strcmp(media, "application/json") == 0) {
		struct jw w;
		resp->content_type = "application/json";
		jw_init(&w, &resp->body);
		jw_obj(&w, NULL);
		jw_arr(&w, "errors");
		jw_obj(&w, NULL);
		jw_int(&w, "status", status);
		jw_str(&w, "title", title);
		jw_str(&w, "detail", body);
		if (c->mv >= 23)
			jw_str(&w, "code", c->err.code ? c->err.code : ERR_UNDEFINED);
		jw_str(&w, "request_id", c->request_id);
		if (status == 406 && c->err.code == NULL) {
			jw_str(&w, "max_version", "1.39");
			jw_str(&w, "min_version", "1.0");
		}
		jw_obj_end(&w);
		jw_arr_end(&w);
		jw_obj_end(&w);
	} else if (strcmp(media, "text/html") == 0) {
		resp->content_type = "text/html; charset=UTF-8";
		buf_printf(&resp->body,
		           "<html>\n <head>\n  <title>%d %s</title>\n </head>\n <body>\n  <h1>%d %s</h1>\n  ",
		           status, title, status, title);
		html_error_body(&resp->body, c->a, status, detail);
		buf_puts(&resp->body, "\n </body>\n</html>");
	} else {
		resp->content_type = "text/plain; charset=UTF-8";
		buf_printf(&resp->body, "%d %s\n\n%s", status, title, body);
	}
}

/* 401 before anything else is looked at: no microversion, no code. */
static void
render_401(struct ctx *c)
{
	c->err.status = 401;
	c->err.code = NULL;
	c->err.detail = "";
	render_error(c, c->req->h_accept);
}

static const char *
http_date(struct arena *a, time_t t)
{
	struct tm tm;
	char tmp[64];
	gmtime_r(&t, &tm);
	strftime(tmp, sizeof(tmp), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return arena_strdup(a, tmp);
}

/* splitmix64: fast, and distinct outputs for distinct states. */
static unsigned long long
next_random(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* "req-" and a random (version 4) UUID.  Ids only need to be unique, so a
 * seeded stream does; libuuid reseeds a PRNG on every call. */
static const char *
new_request_id(struct app *app)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char u[16];
	unsigned long long r0 = next_random(&app->rid_state);
	unsigned long long r1 = next_random(&app->rid_state);
	for (int i = 0; i < 8; i++) {
		u[i] = (unsigned char)(r0 >> (8 * i));
		u[8 + i] = (unsigned char)(r1 >> (8 * i));
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	char *s = arena_alloc(&app->arena, 41);
	if (s == NULL)
		return "req-00000000-0000-0000-0000-000000000000";
	memcpy(s, "req-", 4);
	char *o = s + 4;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[u[i] >> 4];
		*o++ = hex[u[i] & 15];
	}
	*o = '\0';
	return s;
}

/* The checks of the request as a whole, before routing: body limits,
 * the microversion (then *version_headers: its headers apply), a body
 * without a Content-Type.  0, or -1 with c->err set. */
static int
check_request(struct ctx *c, int *version_headers)
{
	const struct request *r = c->req;
	char bad[512];

	*version_headers = 0;
	if (r->body_too_large)
		return fail(c, 413, ERR_UNDEFINED,
		            "Request body too large (limit %ld bytes).", c->cfg->max_body_bytes);
	if (r->body_length_required)
		return fail(c, 411, ERR_UNDEFINED, "A request body needs a Content-Length.");

	enum mv_result mvr = mv_parse(r->h_version, &c->mv, bad, sizeof(bad));
	if (mvr == MV_INVALID)
		return fail(c, 400, NULL, "Invalid microversion: invalid version string: %s", bad);
	if (mvr == MV_UNACCEPTABLE) {
		/* The reference replaces a missing, empty or any Accept first. */
		const char *acc = r->h_accept && r->h_accept[0] && strcmp(r->h_accept, "*/*")
			? r->h_accept : "application/json";
		c->err.status = 406;
		c->err.code = NULL;
		c->err.detail = arena_printf(c->a,
			"The resource could not be generated that was acceptable to your browser (content of type %s. \n\n Invalid microversion: Unacceptable version header: %s",
			acc, bad);
		return -1;
	}
	*version_headers = 1;
	/* The reference checks this before routing. */
	if (r->body_len > 0 && (r->content_type == NULL || r->content_type[0] == '\0'))
		return fail(c, 400, ERR_UNDEFINED, "content-type header required when content-length > 0");
	return 0;
}

/* The 405 of a known path: every method it has in the Allow header. */
static int
fail_method(struct ctx *c, const char *path)
{
	struct buf allow = {0};
	for (int i = 0; i < nroutes; i++) {
		if (!match_route(c->a, routes[i].pattern, path, NULL))
			continue;
		if (allow.len)
			buf_puts(&allow, ", ");
		buf_puts(&allow, routes[i].method);
	}
	reply_header(c, "Allow", allow.p ? allow.p : "");
	buf_free(&allow);
	c->err.status = 405;
	c->err.code = ERR_UNDEFINED;
	c->err.detail = arena_printf(c->a,
		"The method %s is not allowed for this resource. \n\n The method specified is not allowed for this resource.",
		c->req->method);
	return -1;
}

/* The route of the request, its path segments in c->arg, and what the
 * route's flags ask before the body or the policy: 404, 405, 406.  NULL
 * with c->err set when there is none. */
static const struct route *
find_route(struct ctx *c)
{
	const struct request *r = c->req;
	const char *path = r->path && r->path[0] ? r->path : "/";
	const struct route *rt = NULL;
	const char *args[3] = {NULL, NULL, NULL};
	int path_known = 0;
	for (int i = 0; i < nroutes && rt == NULL; i++) {
		if (!match_route(c->a, routes[i].pattern, path, NULL))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, r->method) == 0) {
			rt = &routes[i];
			match_route(c->a, routes[i].pattern, path, args);
		}
	}
	if (!path_known) {
		fail(c, 404, ERR_UNDEFINED, "%s", "");
		return NULL;
	}
	if (rt == NULL) {
		fail_method(c, path);
		return NULL;
	}
	if (c->mv < rt->min_mv && (rt->flags & RF_405_BELOW)) {
		c->err.status = 405;
		c->err.code = ERR_UNDEFINED;
		c->err.detail = arena_printf(c->a,
			"The method %s is not allowed for this resource. \n\n ", r->method);
		return NULL;
	}
	if (c->mv < rt->min_mv) {
		fail(c, 404, ERR_UNDEFINED, "%s", "");
		return NULL;
	}
	memcpy(c->arg, args, sizeof(args));
	if ((rt->flags & RF_JSON_OUT) && !accepts_json(r->h_accept)) {
		c->err.status = 406;
		c->err.code = ERR_UNDEFINED;
		c->err.detail = arena_printf(c->a,
			"The resource could not be generated that was acceptable to your browser (content of type %s. \n\n Only application/json is provided",
			r->h_accept);
		return NULL;
	}
	return rt;
}

/* Runs the handler.  One whose transaction lost a race (a deadlock, a
 * Galera certification failure, a generation that moved under a
 * snapshot) runs again from the start on fresh reads, as the reference
 * retries; after [placement] allocation_conflict_retry_count attempts the
 * 409 stands. */
static int
run_handler(struct ctx *c, const struct route *rt)
{
	for (int attempt = 0;; attempt++) {
		int rc = rt->handler(c);
		if (rc == 0 || c->err.detail != retry_detail ||
		    attempt >= c->cfg->allocation_conflict_retry_count)
			return rc;
		store_abandon(c->db);
		store_retry_pause(c->db, attempt);
		c->err = (struct app_error){0};
		c->resp->status = 500;
		c->resp->nheaders = 0;
		c->resp->content_type = NULL;
		buf_reset(&c->resp->body);
		c->last_modified = 0;
		c->omit_last_modified = 0;
		c->app->log_extra = arena_printf(c->a, "retried=%d (%s)", attempt + 1, store_errmsg(c->db));
	}
}

int
app_open_store(struct ctx *c)
{
	if (c->app->db != NULL && store_file_moved(c->app->db)) {
		/* removed or replaced under us: what is at the path now, if
		 * anything, is the database */
		store_close(c->app->db);
		c->app->db = NULL;
		c->app->cache_stale = 1;
		c->app->log_extra = "the database file was removed, replaced or failing: reopened";
	}
	if (c->app->db == NULL) {
		char err[512];
		c->app->db = store_open(c->cfg, err, sizeof(err));
		if (c->app->db == NULL) {
			c->app->log_extra = arena_strdup(c->a, err);
			reply_header(c, "Retry-After", "5");
			return fail(c, 503, ERR_DB_UNAVAILABLE, "The database is not available.");
		}
	}
	c->db = c->app->db;
	return 0;
}

/* Fills c from the request and runs the handler; returns 0, or -1 with
 * c->err set.  *version_headers says whether microversion headers apply. */
static int
dispatch(struct ctx *c, int *version_headers)
{
	if (check_request(c, version_headers) < 0)
		return -1;
	const struct route *rt = find_route(c);
	if (rt == NULL || query_parse(c) < 0)
		return -1;
	if (rt->handler != h_root && app_open_store(c) < 0)
		return -1;
	c->db = c->app->db;
#ifdef PLACEMENT_FAULTS
	if (c->db != NULL)            /* every request: a plan never outlives its own */
		fault_arm(c->db, c->req->h_fault);
#endif
	/* The route's flags and rule, in the reference's order: a body of
	 * the wrong type before the policy, a malformed one when the
	 * handler reads it (read_json_body), where the reference does. */
	int takes_json = (rt->flags & RF_JSON_BODY) || ((rt->flags & RF_JSON_BODY_TO_1_6) && c->mv <= 6);
	if (takes_json && check_json_type(c) < 0)
		return -1;
	if (rt->policy != NULL && authorize(c, rt->policy, NULL) < 0)
		return -1;
	return run_handler(c, rt);
}

void
app_handle(struct app *app, const struct request *req, struct response *resp)
{
	struct ctx *c = arena_alloc(&app->arena, sizeof(*c));
	int version_headers = 0;

	resp->status = 500;
	resp->nheaders = 0;
	resp->content_type = NULL;
	buf_reset(&resp->body);
	if (c == NULL) {
		resp->status = 503;
		return;
	}
	c->app = app;
	c->a = &app->arena;
	c->req = req;
	c->resp = resp;
	c->cfg = app->cfg;
	c->db = app->db;
	c->request_id = new_request_id(app);

	const char *path = req->path && req->path[0] ? req->path : "/";
	int rc;
	if (req->view && app->view != NULL) {
		/* the view answers for itself, HTML errors included */
		int identified = setup_identity(c) == 0;
		c->err.status = 0;
		app->view(c, identified);
	} else if (req->view) {
		fail(c, 404, ERR_UNDEFINED, "No view here.");
		render_error(c, req->h_accept);
	} else if (strcmp(path, "/") != 0 && setup_identity(c) < 0) {
		render_401(c);
	} else {
		if (strcmp(path, "/") == 0)
			setup_identity(c);
		rc = dispatch(c, &version_headers);
		if (rc < 0 || c->err.status) {
			if (c->err.status == 0)
				fail(c, 500, ERR_UNDEFINED, "Unexpected error.");
			render_error(c, req->h_accept);
		} else if (resp->body.oom) {
			fail(c, 503, ERR_UNDEFINED, "Out of memory building the response.");
			render_error(c, req->h_accept);
		} else if (c->mv >= 15 && (resp->status == 200 || resp->status == 201) &&
		           resp->content_type != NULL) {
			if (!c->omit_last_modified)
				resp_header(resp, "Last-Modified",
				            http_date(c->a, c->last_modified ? c->last_modified : time(NULL)));
			resp_header(resp, "Cache-Control", "no-cache");
		}
	}
	/* Location is absolute, as the reference sends it; handlers give
	 * the path below the mount point's host. */
	for (int i = 0; i < resp->nheaders; i++) {
		if (strcasecmp(resp->headers[i].name, "Location") == 0 &&
		    resp->headers[i].value[0] == '/' && req->origin_url != NULL)
			resp->headers[i].value = arena_cat(c->a, req->origin_url, resp->headers[i].value);
	}
	if (version_headers) {
		char mv[16] = "placement 1.";
		char *d = mv + 12;
		if (c->mv >= 10)
			*d++ = (char)('0' + c->mv / 10 % 10);
		*d++ = (char)('0' + c->mv % 10);
		*d = '\0';
		resp_header(resp, "openstack-api-version", arena_strdup(c->a, mv));
		if (resp->status != 404)
			resp_header(resp, "vary", "openstack-api-version");
	}
	/* CORS wraps the whole pipeline, as the reference's CORS filter sits
	 * outside auth and routing; off unless [cors] allowed_origin is set. */
	cors_apply(c->cfg, req, resp, c->a);
	resp_header(resp, "x-openstack-request-id", c->request_id);
	/* A handler that failed inside a transaction leaves it to us. */
	if (app->db)
		store_abandon(app->db);
#ifdef PLACEMENT_FAULTS
	if (c->db != NULL && req->h_fault != NULL) {
		char report[160];
		resp_header(resp, "x-placement-fault",
		            arena_strdup(c->a, fault_report(c->db, report, sizeof(report))));
	}
#endif
	app->last = c;
}

void
app_request_done(struct app *app, struct response *resp)
{
	if (app->last && app->last->body_json)
		json_object_put(app->last->body_json);
	app->last = NULL;
	resp->nheaders = 0;
	buf_reset(&resp->body);
	arena_reset(&app->arena);
}

const char *
app_log_line(struct app *app, const struct request *req,
             const struct response *resp, long usec)
{
	/* Built by hand: printf would cost more than some whole requests. */
	struct buf line = {0};
	buf_puts(&line, "placement ");
	buf_puts(&line, app->last ? app->last->request_id : "-");
	buf_putc(&line, ' ');
	buf_puts(&line, req->method ? req->method : "-");
	buf_putc(&line, ' ');
	buf_puts(&line, req->script_name ? req->script_name : "");
	buf_puts(&line, req->path ? req->path : "/");
	if (req->query && req->query[0]) {
		buf_putc(&line, '?');
		buf_puts(&line, req->query);
	}
	buf_putc(&line, ' ');
	buf_put_int(&line, resp->status);
	buf_putc(&line, ' ');
	buf_put_int(&line, usec);
	buf_puts(&line, "us");
	size_t request_part = line.len;
	if (app->log_extra) {
		buf_putc(&line, ' ');
		buf_puts(&line, app->log_extra);
	}
	char *out = line.oom ? NULL : arena_strndup(&app->arena, line.p, line.len);
	buf_free(&line);
	if (out == NULL)
		return "placement - out of memory";
	/* One line per request, whatever the client put in the URL; only the
	 * core's own notes (the explainer's lines) may add lines. */
	for (size_t i = 0; out[i]; i++)
		if (((unsigned char)out[i] < 0x20 && (out[i] != '\n' || i < request_part)) ||
		    out[i] == 0x7f)
			out[i] = '?';
	app->log_extra = NULL;
	return out;
}

int
authorize(struct ctx *c, const char *rule, const char *target_project)
{
	if (policy_allows(c->cfg, &c->who, rule, target_project))
		return 0;
	return fail(c, 403, ERR_UNDEFINED, "Policy does not allow %s to be performed.", rule);
}
