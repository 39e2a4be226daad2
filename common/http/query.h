/* Query-string parsing (application/x-www-form-urlencoded). */
#ifndef PLACEMENT_QUERY_H
#define PLACEMENT_QUERY_H
#include "app.h"

/* Splits c->req->query into c->q (decoded, in order).  Returns 0, or -1
 * with 400 recorded (invalid UTF-8, too many parameters). */
int query_parse(struct ctx *c);
/* Percent-decodes s[0..n) into the arena; with plus_space (query
 * strings) '+' becomes a space and '%' escapes are read as leniently as
 * the reference's webob reads them.  Returns NULL on allocation failure. */
char *url_decode(struct arena *a, const char *s, size_t n, int plus_space);
/* 1 if s is valid UTF-8 without NUL (a C string cannot hold one anyway). */
int utf8_valid(const char *s);
#define QUERY_MAX_PARAMS 256
#endif
