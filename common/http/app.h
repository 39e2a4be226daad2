/* The core: app_handle() turns a request into a response.  Handlers get a
 * struct ctx with everything parsed and validated up front. */
#ifndef PLACEMENT_APP_H
#define PLACEMENT_APP_H
#include <time.h>
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/config.h"
#include "request.h"

struct store;
struct json_object;

/* Error codes of the API (JSON "code" from 1.23). */
#define ERR_UNDEFINED        "placement.undefined_code"
#define ERR_CONCURRENT       "placement.concurrent_update"
#define ERR_DUPLICATE_NAME   "placement.duplicate_name"
#define ERR_INVENTORY_INUSE  "placement.inventory.inuse"
#define ERR_RP_INUSE         "placement.resource_provider.inuse"
#define ERR_RP_DELETE_PARENT "placement.resource_provider.cannot_delete_parent"
#define ERR_RP_NOT_FOUND     "placement.resource_provider.not_found"
#define ERR_QUERY_DUPLICATE  "placement.query.duplicate_key"
#define ERR_QUERY_BAD_VALUE  "placement.query.bad_value"
#define ERR_QUERY_MISSING    "placement.query.missing_value"
/* This project's own: the database cannot take the request now (disk full
 * or read-only, I/O error, file gone, server unreachable); 503 with a
 * Retry-After.  The reference answers those with a 500. */
#define ERR_DB_UNAVAILABLE   "placement.database.unavailable"

struct identity {
	const char *user_id;
	const char *project_id;   /* NULL when system scoped */
	const char *roles;        /* comma-separated, lower-cased */
	int system_scope;         /* OpenStack-System-Scope: all */
};

struct qparam {
	const char *key;          /* percent-decoded */
	const char *value;        /* percent-decoded, '+' as space */
};

/* One error, mapped to HTTP in app.c (app_render_error). */
struct app_error {
	int status;               /* 0: none */
	const char *code;         /* ERR_* */
	const char *detail;       /* the message; explanation is added */
};

struct app;

struct ctx {
	struct app *app;
	struct arena *a;
	const struct request *req;
	struct response *resp;
	const struct config *cfg;
	struct store *db;
	int mv;                   /* microversion minor (1.mv) */
	const char *request_id;
	struct identity who;
	const char *arg[3];       /* path captures, in order */
	struct qparam *q;         /* query parameters, in order */
	int nq;
	struct jw w;              /* writes into resp->body */
	time_t last_modified;     /* 0: now */
	int omit_last_modified;   /* send Cache-Control but no Last-Modified */
	struct json_object *body_json;  /* released by app_request_done */
	struct app_error err;
};

typedef int (*handler_fn)(struct ctx *c);

/* Process-level state the front ends hand to the core. */
struct app {
	const struct config *cfg;
	struct store *db;         /* opened lazily by the front end if NULL */
	struct ac_cache *ac_cache;    /* NULL: none (one-shot CGI processes) */
	int cache_stale;          /* the store was reopened: ac_cache holds another file's */
	struct arena arena;
	struct ctx *last;         /* the request being finished */
	const char *log_extra;    /* appended to the access-log line */
	/* The HTML view (common/view/view.h: view_handle), for requests the
	 * web server marks as the view's; NULL: those get a 404. */
	void (*view)(struct ctx *c, int identified);
	/* Request ids come from this stream; the front end seeds it from the
	 * OS's randomness (host_random_seed) so processes never repeat. */
	unsigned long long rid_state;
};

/* Handles one request: fills resp (status, headers, body).  Everything
 * per-request lives in app->arena and is released by app_request_done().
 * Never fails: internal trouble becomes a JSON error response. */
void app_handle(struct app *app, const struct request *req, struct response *resp);
/* Releases per-request memory; call after the response is written. */
void app_request_done(struct app *app, struct response *resp);
/* The access-log line for a finished request (no newline). */
const char *app_log_line(struct app *app, const struct request *req,
                         const struct response *resp, long usec);

/* --- helpers for handlers --- */

/* Records an error and returns -1.  detail is printf-formatted. */
int fail(struct ctx *c, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Records the 503 of running out of request memory; returns -1. */
int fail_oom(struct ctx *c);
/* The process's store (opened on first use: one-shot CGI processes that
 * answer GET / never open it) as c->db: 0, or -1 with a 503 recorded. */
int app_open_store(struct ctx *c);
/* Maps a store return code (ST_*) to an error; returns -1. */
int fail_store(struct ctx *c, int rc);
/* mv at least 1.n */
static inline int mv_ge(const struct ctx *c, int n) { return c->mv >= n; }
/* Starts a JSON response with the given status; write with c->w. */
void reply_json(struct ctx *c, int status);
/* An empty response (204 and the like). */
void reply_empty(struct ctx *c, int status);
/* Adds a header with an arena copy of value. */
void reply_header(struct ctx *c, const char *name, const char *value);
/* Marks the newest modification time seen (Last-Modified from 1.15). */
void seen_modified(struct ctx *c, time_t t);
/* The mount-aware link prefix ("" or "/placement"). */
const char *link_base(const struct ctx *c);

/* Policy: authorizes the rule for the given target project (may be
 * NULL).  Returns 0, or -1 with 403 recorded. */
int authorize(struct ctx *c, const char *rule, const char *target_project);

/* JSON body: checks Content-Type and parses strictly (depth-limited, the
 * whole body).  Returns 0 with *out (owned by the request), or -1 with
 * the reference's 400/415 recorded. */
int read_json_body(struct ctx *c, struct json_object **out);

/* Query: the first value of key, or NULL. */
const char *q_get(const struct ctx *c, const char *key);
/* Query: the last value of key (webob's req.GET[key]), or NULL. */
const char *q_last(const struct ctx *c, const char *key);
/* Count of occurrences of key. */
int q_count(const struct ctx *c, const char *key);

/* Validators: return 1 if s is a well-formed value. */
int is_uuid(const char *s);              /* any dashed or undashed form */
/* Normalises a uuid to lower-case dashed form in out[37]; -1 if bad. */
int uuid_normalize(const char *s, char out[37]);
#endif
