/* The view's dispatch: its routes as a table (path, policy rule, page),
 * the headers every answer carries, and the one HTML error page. */
#include "view.h"
#include "view_pages.h"
#include "html.h"
#include "../http/query.h"
#include <string.h>

/* What a page may do in the browser: styles and images from the view
 * itself, forms to the view; no script at all, no framing. */
#define VIEW_CSP "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " \
	"base-uri 'none'; frame-ancestors 'none'"

struct view_route {
	const char *path;         /* exact, or a prefix when it ends in '/' */
	const char *rule;         /* the API's read rule the page needs */
	int (*page)(struct ctx *c, const char *arg);   /* arg: the rest of a prefix */
};

static const struct view_route view_routes[] = {
	{"/", "placement:resource_providers:list", page_overview},
	{"/providers", "placement:resource_providers:list", page_providers},
	{"/providers/", "placement:resource_providers:show", page_provider},
	{"/explain", "placement:allocation_candidates:list", page_explain},
};

const char *
view_base(const struct ctx *c)
{
	return c->req->script_name ? c->req->script_name : "";
}

void
view_reply_html(struct ctx *c)
{
	c->resp->status = 200;
	c->resp->content_type = "text/html; charset=utf-8";
	c->resp->nheaders = 0;
	buf_reset(&c->resp->body);
	resp_header(c->resp, "Content-Security-Policy", VIEW_CSP);
	resp_header(c->resp, "X-Content-Type-Options", "nosniff");
	resp_header(c->resp, "Referrer-Policy", "no-referrer");
	resp_header(c->resp, "Cache-Control", "no-store");
}

/* The error page for c->err (or a 500 when a page failed without one). */
static void
error_page(struct ctx *c)
{
	int status = c->err.status ? c->err.status : 500;
	struct buf *b = &c->resp->body;
	view_reply_html(c);
	c->resp->status = status;
	html_page_start(b, view_base(c), http_reason(status));
	buf_puts(b, "<p class=\"error\">");
	html_text(b, c->err.detail ? c->err.detail : "Unexpected error.");
	buf_puts(b, "</p>\n");
	html_page_end(b);
}

/* The route of path and the argument after its prefix; NULL: none. */
static const struct view_route *
find_route(const char *path, const char **arg)
{
	for (size_t i = 0; i < sizeof(view_routes) / sizeof(view_routes[0]); i++) {
		const struct view_route *r = &view_routes[i];
		size_t n = strlen(r->path);
		if (strcmp(path, r->path) == 0) {
			*arg = "";
			return r;
		}
		if (n > 1 && r->path[n - 1] == '/' && strncmp(path, r->path, n) == 0 &&
		    path[n] != '\0' && strchr(path + n, '/') == NULL) {
			*arg = path + n;
			return r;
		}
	}
	return NULL;
}

void
view_handle(struct ctx *c, int identified)
{
	const char *path = c->req->path && c->req->path[0] ? c->req->path : "/";
	const char *arg = "";
	const struct view_route *r = NULL;
	view_reply_html(c);
	if (strcmp(path, "/style.css") == 0) {
		c->resp->content_type = "text/css";
		buf_puts(&c->resp->body, view_css);
		return;
	}
	int rc = -1;
	if (strcmp(c->req->method, "GET") != 0 && strcmp(c->req->method, "HEAD") != 0)
		fail(c, 405, NULL, "The view only reads: %s is not allowed.", c->req->method);
	else if ((r = find_route(path, &arg)) == NULL)
		fail(c, 404, NULL, "No such page.");
	else if (!identified)
		fail(c, 401, NULL, "The web server gave no identity (X-Auth-Token).");
	else if (authorize(c, r->rule, NULL) == 0 && query_parse(c) == 0 && app_open_store(c) == 0)
		rc = r->page(c, arg);
	if (rc < 0 || c->err.status)
		error_page(c);
	else if (c->resp->body.oom) {
		fail_oom(c);
		error_page(c);
	}
}
