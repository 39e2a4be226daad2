/* JSON body validation with the reference's wording.  Each check returns
 * 0 when the value is acceptable, or -1 with a 400 recorded whose detail
 * reads "JSON does not validate: <jsonschema-style message>". */
#ifndef PLACEMENT_VALIDATE_H
#define PLACEMENT_VALIDATE_H
#include <json-c/json.h>
#include "app.h"

/* Records 400 "JSON does not validate: <fmt>" and returns -1. */
int jv_fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The value as Python would print it ('abc', 1, True, None, [...]). */
const char *jv_repr(struct ctx *c, struct json_object *v);
/* The same with object keys sorted, as jsonschema shows a whole instance. */
const char *jv_repr_sorted(struct ctx *c, struct json_object *v);

/* obj must be a JSON object. */
int jv_object(struct ctx *c, struct json_object *obj);
/* Fails on keys not in allowed[] (NULL-terminated). */
int jv_no_extra(struct ctx *c, struct json_object *obj, const char *const *allowed);
/* Fails when a key of required[] is missing. */
int jv_required(struct ctx *c, struct json_object *obj, const char *const *required);

/* Field getters: *out untouched when the key is absent (not an error
 * unless the caller used jv_required).  nullable: JSON null allowed, and
 * then *out is NULL / *is_null set. */
int jv_string(struct ctx *c, struct json_object *obj, const char *key,
              size_t maxlen, int nullable, const char **out);
int jv_int(struct ctx *c, struct json_object *obj, const char *key,
           long long min, long long max, long long *out);
int jv_number(struct ctx *c, struct json_object *obj, const char *key,
              double min, double max, double *out);
int jv_uuid(struct ctx *c, struct json_object *obj, const char *key,
            int nullable, char out[37], int *is_null);
#endif
