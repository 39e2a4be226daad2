/* The request and response model shared by the front ends and the core.
 * Front ends fill struct request from CGI variables; the core fills
 * struct response; the front end writes it out. */
#ifndef PLACEMENT_REQUEST_H
#define PLACEMENT_REQUEST_H
#include <stddef.h>
#include "../util/buf.h"

struct request {
	const char *method;        /* REQUEST_METHOD */
	const char *script_name;   /* mount point ("" or "/placement") */
	const char *path;          /* path below the mount point, "/" at least */
	const char *query;         /* QUERY_STRING without '?', "" if none */
	const char *content_type;  /* NULL when absent */
	const char *body;          /* NUL-terminated copy of the body */
	size_t body_len;
	int body_too_large;        /* front end refused to read it: 413 */
	int body_length_required;  /* chunked with no length: 411 */
	/* Selected headers, NULL when absent. */
	const char *h_version;     /* OpenStack-API-Version */
	const char *h_accept;
	const char *h_token;       /* X-Auth-Token */
	const char *h_roles;       /* X-Roles */
	const char *h_project_id;  /* X-Project-Id */
	const char *h_system_scope;/* OpenStack-System-Scope */
	const char *h_origin;      /* Origin (CORS) */
	const char *h_acr_method;  /* Access-Control-Request-Method */
	const char *h_acr_headers; /* Access-Control-Request-Headers */
	const char *h_fault;       /* X-Placement-Fault (test builds: sql/fault.h) */
	int identity_conflict;     /* an identity header came twice */
	int view;                  /* PLACEMENT_APP=view: the HTML view (common/view),
	                            * set by the web server for its mount point */
	const char *origin_url;    /* "http://host:port" of this server as the client
	                            * named it (absolute Location headers), or NULL */
};

#define RESP_MAXHEADERS 24
struct header {
	const char *name;
	const char *value;
};

struct response {
	int status;
	struct header headers[RESP_MAXHEADERS];
	int nheaders;
	struct buf body;           /* reused across requests */
	const char *content_type;  /* NULL: no body expected */
};

/* Adds a header; name and value must outlive the response (arena or
 * static).  Extra headers past RESP_MAXHEADERS are dropped. */
void resp_header(struct response *r, const char *name, const char *value);
/* Returns the reason phrase for a status ("Not Found"). */
const char *http_reason(int status);
#endif
