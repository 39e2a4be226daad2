/* HTML for the view: escaping and the pieces every page is made of.
 * Every value that comes from the database or the request is written with
 * html_text (element text and quoted attribute values) or html_query
 * (a query-string value inside an href): nothing else writes such text. */
#ifndef PLACEMENT_HTML_H
#define PLACEMENT_HTML_H
#include "../util/buf.h"

/* s with & < > " ' escaped. */
void html_text(struct buf *b, const char *s);
/* s percent-encoded for a query-string value (then safe in an attribute). */
void html_query(struct buf *b, const char *s);

/* The page up to <main> (title escaped; base: the view's mount point,
 * for links and the stylesheet), and its end. */
void html_page_start(struct buf *b, const char *base, const char *title);
void html_page_end(struct buf *b);

/* A usage bar (inline SVG): used and reserved against capacity (after
 * the allocation ratio) plus reserved; the numbers beside it. */
void html_bar(struct buf *b, long long used, long long reserved, long long capacity);

/* <a href="BASE/providers/UUID">NAME</a> */
void html_provider_link(struct buf *b, const char *base, const char *uuid, const char *name);
#endif
