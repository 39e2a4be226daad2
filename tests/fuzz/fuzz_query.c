/* Query strings: query_parse through a fake ctx, then the lookups and
 * the schema check (js_validate_query) the handlers use; also url_decode
 * for paths.  Invariants:
 * a parse that succeeds yields valid UTF-8 keys and values, at most
 * QUERY_MAX_PARAMS of them, and a failure records a 4xx. */
#include "../../common/http/app.h"
#include "../../common/http/jschema.h"
#include "../../common/http/query.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A query schema with what the handlers' schemas use: typed properties,
 * a pattern, an enum, lengths, a uuid format and request-group
 * patternProperties. */
static const char schema[] =
	"{\"type\": \"object\", \"properties\": {"
	"\"name\": {\"type\": \"string\"}, \"uuid\": {\"type\": \"string\", \"format\": \"uuid\"},"
	" \"limit\": {\"type\": [\"integer\", \"string\"], \"pattern\": \"^[1-9][0-9]*$\", \"minLength\": 1},"
	" \"group_policy\": {\"type\": \"string\", \"enum\": [\"none\", \"isolate\"]},"
	" \"project_id\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 255}},"
	" \"additionalProperties\": false, \"patternProperties\": {"
	"\"^resources([a-zA-Z0-9_-]{1,64})?$\": {\"type\": \"string\"},"
	" \"^required([a-zA-Z0-9_-]{1,64})?$\": {\"type\": \"string\"}}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	struct ctx c;
	struct request r;
	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	char *q = arena_strndup(&a, (const char *)data, size);
	if (q == NULL)
		abort();
	r.query = q;
	c.req = &r;
	c.a = &a;
	int rc = query_parse(&c);
	if (rc < 0) {
		if (c.err.status < 400 || c.err.status > 499 || c.err.detail == NULL)
			abort();
	} else {
		if (c.nq < 0 || c.nq > QUERY_MAX_PARAMS)
			abort();
		for (int i = 0; i < c.nq; i++)
			if (!utf8_valid(c.q[i].key) || !utf8_valid(c.q[i].value))
				abort();
		if (c.nq > 0) {
			const char *v = q_get(&c, c.q[0].key);
			if (v == NULL || q_count(&c, c.q[0].key) < 1)
				abort();
		}
		c.err.status = 0;
		if (js_validate_query(&c, schema) < 0 && (c.err.status != 400 || c.err.detail == NULL))
			abort();
	}
	/* The same bytes as a path segment. */
	char *d = url_decode(&a, (const char *)data, size, 0);
	if (d == NULL || strlen(d) > size)
		abort();
	(void)utf8_valid(d);
	arena_reset(&a);
	return 0;
}
