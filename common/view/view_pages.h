/* The view's pages (view_capacity.c, view_explain.c), dispatched by
 * view.c.  A page writes HTML into c->resp->body between
 * html_page_start and html_page_end and returns 0, or returns -1 with
 * c->err set (view.c renders the error page). */
#ifndef PLACEMENT_VIEW_PAGES_H
#define PLACEMENT_VIEW_PAGES_H
#include "../http/app.h"
#include "../util/buf.h"

/* The view's mount point ("/placement-view"), for links. */
const char *view_base(const struct ctx *c);
/* Starts an HTML answer: status 200, the view's headers, an empty body
 * (a page that ran an API handler first calls it again). */
void view_reply_html(struct ctx *c);

int page_overview(struct ctx *c, const char *arg);
int page_providers(struct ctx *c, const char *arg);
int page_provider(struct ctx *c, const char *uuid);
int page_explain(struct ctx *c, const char *arg);

extern const char view_css[];
#endif
