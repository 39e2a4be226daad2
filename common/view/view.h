/* The read-only HTML view of capacity, mounted by the web server at
 * /placement-view/ (it marks those requests with PLACEMENT_APP=view, a
 * variable no client can set): providers as trees with usage bars, a
 * provider's page, totals per resource class, search, and the explainer
 * of allocation candidates (common/ac/ac_explain.c).  Nothing of the API
 * changes.  The same identity as the API (the web server's), and the
 * API's read rules: each page names the policy rule it needs. */
#ifndef PLACEMENT_VIEW_H
#define PLACEMENT_VIEW_H
#include "../http/app.h"

/* Answers c's request (c->req->path below the view's mount point) with a
 * page, the stylesheet, or an HTML error page.  identified: whether the
 * request carries an identity (else 401).  Always fills c->resp. */
void view_handle(struct ctx *c, int identified);
#endif
