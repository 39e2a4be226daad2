/* Python's repr() and pprint.pformat() of JSON values (the text rules
 * of the reference's messages for bodies and schemas; repr of a str and
 * the other scalar rules are pytext.h's). */
#ifndef PLACEMENT_PYJSON_H
#define PLACEMENT_PYJSON_H
#include "buf.h"
#include <json-c/json.h>

#define PY_REPR_MAX 16384   /* longest value shown: past it, "..." */
#define PY_REPR_DEPTH 48    /* deepest nesting shown: below it, "..." */

/* Appends repr(v), dict keys in their order or sorted (as pformat and
 * jsonschema's messages show them). */
void py_repr_json(struct buf *b, struct json_object *v, int sorted);
/* Appends pprint.pformat(v, width=72) (sorted keys, long values broken
 * over lines). */
void py_pformat_json(struct buf *out, struct json_object *v);
/* qsort's comparator for strings in Python's str order (code points). */
int py_cmp_str(const void *a, const void *b);
#endif
