/* A small JSON Schema validator for request bodies whose 400 messages must
 * read as the reference's (python-jsonschema 4.10, draft 2020-12,
 * best_match, str(ValidationError) with pprint at width 72):
 *
 *   JSON does not validate: <message>  Failed validating '<keyword>' in
 *   schema[...]:     <schema>  On instance[...]:     <value>
 *
 * (the reference's newlines show as spaces in its error bodies).
 * Schemas are JSON text (data, not code), parsed once per process and
 * kept, keyed by the text's address: pass static strings.  Keywords:
 * type, properties, patternProperties, additionalProperties, required,
 * minProperties, maxProperties, items, minItems, maxItems, uniqueItems, minimum,
 * maximum, minLength, maxLength, pattern (POSIX extended regex, searched
 * as Python's re.search), format ("uuid" as the reference registers it:
 * oslo's is_uuid_like), enum, anyOf (best_match descends into its
 * context as jsonschema's does).  Unknown keywords are ignored, as jsonschema
 * does.  Caches are per process and not thread-safe (the front ends serve
 * one request at a time per process). */
#ifndef PLACEMENT_JSCHEMA_H
#define PLACEMENT_JSCHEMA_H
#include <json-c/json.h>
#include "app.h"

/* Validates instance against the schema text.  Returns 0 when valid, or
 * -1 with the reference's 400 recorded (500 if the schema is broken). */
int js_validate(struct ctx *c, const char *schema_text, struct json_object *instance);

/* js_validate with flags.  JS_POSIX_END: a pattern's "$" matches only at
 * the very end, not also before a final newline as Python's does (for
 * names the reference would take and then fail on with a 500). */
#define JS_POSIX_END 1
/* JS_QUERY: the instance is a query string; the 400 reads "Invalid query
 * string parameters: <message>  Failed validating ...". */
#define JS_QUERY 2
int js_validate_flags(struct ctx *c, const char *schema_text, struct json_object *instance,
                      int flags);

/* Validates the request's query string as the reference does: the dict
 * webob's dict(req.GET) makes (every key once, its last value), against
 * the schema; 0 valid, or -1 with the reference's 400 recorded. */
int js_validate_query(struct ctx *c, const char *schema_text);

/* The value as Python's repr() prints the parsed JSON (insertion order). */
const char *js_repr(struct ctx *c, struct json_object *v);
/* The same with every object's keys sorted (as pprint prints a dict). */
const char *js_repr_sorted(struct ctx *c, struct json_object *v);
/* jsonschema's 'integer': a JSON integer or a number without fraction
 * (3.0).  1 when v is one, with *out set; *fits is 0 when it lies beyond
 * long long (so it equals no generation). */
int js_integer(struct json_object *v, long long *out, int *fits);
#endif
