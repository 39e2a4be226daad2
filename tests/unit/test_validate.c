/* JSON body helpers (common/validate.c) and read_json_body.  Expected
 * messages are python-jsonschema's (4.x, as the reference runs it) for
 * the schema each row names, after "JSON does not validate: ". */
#include "harness.h"
#include "../../common/app.h"
#include "../../common/validate.h"
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum vkind { V_OBJECT, V_REQUIRED, V_NO_EXTRA, V_STRING, V_INT, V_NUMBER, V_UUID };

/* body is a JSON object holding "v" (the value under test) unless the
 * row checks the object itself.  list: comma-separated keys for
 * V_REQUIRED / V_NO_EXTRA.  out: the value read, as text. */
static const struct v_case {
	int line;
	enum vkind kind;
	const char *body;
	const char *list;
	long long imin, imax;     /* V_INT; V_STRING: imax = maxLength */
	int nullable;             /* V_STRING, V_UUID */
	const char *msg;          /* NULL: accepted */
	const char *out;
} v_cases[] = {
#define R(k, body, list, lo, hi, nul, msg, out) {__LINE__, k, body, list, lo, hi, nul, msg, out}
#define INT(body, msg, out) R(V_INT, body, NULL, 1, 2147483647, 0, msg, out)
#define NUM(body, msg, out) R(V_NUMBER, body, NULL, 0, 0, 0, msg, out)
#define STR(body, max, nul, msg, out) R(V_STRING, body, NULL, 0, max, nul, msg, out)
#define UUID(body, nul, msg, out) R(V_UUID, body, NULL, 0, 0, nul, msg, out)
	R(V_OBJECT, "{}", NULL, 0, 0, 0, NULL, NULL),
	R(V_OBJECT, "[]", NULL, 0, 0, 0, "[] is not of type 'object'", NULL),
	R(V_OBJECT, "\"x\"", NULL, 0, 0, 0, "'x' is not of type 'object'", NULL),
	R(V_OBJECT, "null", NULL, 0, 0, 0, "None is not of type 'object'", NULL),
	R(V_REQUIRED, "{\"total\": 1}", "total", 0, 0, 0, NULL, NULL),
	R(V_REQUIRED, "{}", "total", 0, 0, 0, "'total' is a required property", NULL),
	R(V_REQUIRED, "{\"b\": 1}", "a,b", 0, 0, 0, "'a' is a required property", NULL),
	R(V_REQUIRED, "{\"total\": null}", "total", 0, 0, 0, NULL, NULL),
	R(V_NO_EXTRA, "{\"total\": 1}", "total,reserved", 0, 0, 0, NULL, NULL),
	R(V_NO_EXTRA, "{\"total\": 1, \"bogus\": 1}", "total", 0, 0, 0,
	  "Additional properties are not allowed ('bogus' was unexpected)", NULL),
	R(V_NO_EXTRA, "{\"total\": 1, \"bogus\": 1, \"alpha\": 2}", "total", 0, 0, 0,
	  "Additional properties are not allowed ('alpha', 'bogus' were unexpected)", NULL),
	R(V_NO_EXTRA, "{\"zeta\": 1, \"beta\": 2, \"mid\": 3}", "", 0, 0, 0,
	  "Additional properties are not allowed ('beta', 'mid', 'zeta' were unexpected)", NULL),
	/* {"type": "integer", "minimum": 1, "maximum": 2147483647} */
	INT("{\"v\": 1}", NULL, "1"),
	INT("{\"v\": 2147483647}", NULL, "2147483647"),
	INT("{\"v\": 1.0}", NULL, "1"),
	INT("{\"v\": 1E2}", NULL, "100"),
	INT("{}", NULL, "untouched"),
	INT("{\"v\": 1.5}", "1.5 is not of type 'integer'", NULL),
	INT("{\"v\": \"1\"}", "'1' is not of type 'integer'", NULL),
	INT("{\"v\": true}", "True is not of type 'integer'", NULL),
	INT("{\"v\": null}", "None is not of type 'integer'", NULL),
	INT("{\"v\": []}", "[] is not of type 'integer'", NULL),
	INT("{\"v\": {}}", "{} is not of type 'integer'", NULL),
	INT("{\"v\": 0}", "0 is less than the minimum of 1", NULL),
	INT("{\"v\": -5}", "-5 is less than the minimum of 1", NULL),
	INT("{\"v\": 2147483648}", "2147483648 is greater than the maximum of 2147483647", NULL),
	INT("{\"v\": 2147483648.0}", "2147483648.0 is greater than the maximum of 2147483647", NULL),
	INT("{\"v\": 1e300}", "1e+300 is greater than the maximum of 2147483647", NULL),
	INT("{\"v\": 18446744073709551615}",
	    "18446744073709551615 is greater than the maximum of 2147483647", NULL),
	/* {"type": "number", "maximum": 3.40282e+38} (allocation_ratio) */
	NUM("{\"v\": 1}", NULL, "1.0"),
	NUM("{\"v\": 1.5}", NULL, "1.5"),
	NUM("{\"v\": -1e39}", NULL, "-1e+39"),
	NUM("{\"v\": 3.40282e+38}", NULL, "3.40282e+38"),
	NUM("{\"v\": \"x\"}", "'x' is not of type 'number'", NULL),
	NUM("{\"v\": true}", "True is not of type 'number'", NULL),
	NUM("{\"v\": null}", "None is not of type 'number'", NULL),
	NUM("{\"v\": 1e39}", "1e+39 is greater than the maximum of 3.40282e+38", NULL),
	/* {"type": "string", "maxLength": 5} and ["string", "null"] */
	STR("{\"v\": \"abc\"}", 5, 0, NULL, "abc"),
	STR("{\"v\": \"\"}", 5, 0, NULL, ""),
	STR("{}", 5, 0, NULL, "untouched"),
	STR("{\"v\": \"abcdef\"}", 5, 0, "'abcdef' is too long", NULL),
	STR("{\"v\": \"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}", 5, 0, NULL, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
	STR("{\"v\": \"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}", 5, 0,
	    "'\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9' is too long", NULL),
	STR("{\"v\": 1}", 5, 0, "1 is not of type 'string'", NULL),
	STR("{\"v\": null}", 5, 0, "None is not of type 'string'", NULL),
	STR("{\"v\": true}", 5, 0, "True is not of type 'string'", NULL),
	STR("{\"v\": [1]}", 5, 0, "[1] is not of type 'string'", NULL),
	STR("{\"v\": null}", 5, 1, NULL, "NULL"),
	STR("{\"v\": 1}", 5, 1, "1 is not of type 'string', 'null'", NULL),
	STR("{\"v\": \"abcdef\"}", 5, 1, "'abcdef' is too long", NULL),
	STR("{\"v\": \"abcdef\"}", 0, 0, NULL, "abcdef"),
	/* {"type": "string", "format": "uuid"}; nullable is the reference's
	 * anyOf [uuid string, null] (parent_provider_uuid) */
	UUID("{\"v\": \"7e1a2b3c00004000800000000000ABCD\"}", 0, NULL, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	UUID("{\"v\": \"abc\"}", 0, "'abc' is not a 'uuid'", NULL),
	UUID("{\"v\": 5}", 0, "5 is not of type 'string'", NULL),
	UUID("{\"v\": null}", 0, "None is not of type 'string'", NULL),
	UUID("{\"v\": null}", 1, NULL, "null"),
	UUID("{\"v\": 1}", 1, "1 is not valid under any of the given schemas", NULL),
	UUID("{\"v\": []}", 1, "[] is not valid under any of the given schemas", NULL),
	UUID("{\"v\": \"zz\"}", 1, "'zz' is not a 'uuid'", NULL),
	UUID("{}", 1, NULL, "untouched"),
#undef R
#undef INT
#undef NUM
#undef STR
#undef UUID
};

/* jv_repr: the value as Python's repr() prints the decoded JSON. */
static const struct repr_case {
	int line;
	const char *json;
	const char *repr;
} repr_cases[] = {
#define R(j, r) {__LINE__, j, r}
	R("{\"a\": [1, \"x\", null, true, 1.5, {\"k\": \"v\"}]}", "{'a': [1, 'x', None, True, 1.5, {'k': 'v'}]}"),
	R("\"it's\"", "\"it's\""),
	R("\"a\\\"b\"", "'a\"b'"),
	R("\"it's \\\"x\\\"\"", "'it\\'s \"x\"'"),
	R("\"a\\nb\\tc\\rd\"", "'a\\nb\\tc\\rd'"),
	R("\"\\u0001\\u007f\"", "'\\x01\\x7f'"),
	R("\"\\\\\"", "'\\\\'"),
	R("{\"it's\": 1}", "{\"it's\": 1}"),
	R("100.0", "100.0"),
	R("1e16", "1e+16"),
	R("-0.0", "-0.0"),
	R("10", "10"),
	R("false", "False"),
	R("[]", "[]"),
	R("{}", "{}"),
#undef R
};

/* read_json_body: Content-Type and strict parsing. */
static const struct body_case {
	int line;
	const char *ctype;
	const char *body;
	int status;               /* 0: accepted */
	const char *detail;       /* exact for 415, a prefix for 400 */
} body_cases[] = {
#define R(ct, b, st, d) {__LINE__, ct, b, st, d}
	R("application/json", "{}", 0, NULL),
	R("application/json", " [1, 2] \n", 0, NULL),
	R("application/json; charset=UTF-8", "{\"a\": 1}", 0, NULL),
	R("APPLICATION/JSON", "{}", 0, NULL),
	R(NULL, "", 415,
	  "The request media type None is not supported by this server. \n\n The media type None is not supported, use application/json"),
	R("", "{}", 415,
	  "The request media type None is not supported by this server. \n\n The media type None is not supported, use application/json"),
	R("text/plain", "{}", 415,
	  "The request media type text/plain is not supported by this server. \n\n The media type text/plain is not supported, use application/json"),
	R("application/jsonx", "{}", 415,
	  "The request media type application/jsonx is not supported by this server. \n\n The media type application/jsonx is not supported, use application/json"),
	R("application/json", "", 400, "Malformed JSON: Expecting value: line 1 column 1 (char 0)"),
	R("application/json", "{", 400, "Malformed JSON: "),
	R("application/json", "{} x", 400, "Malformed JSON: "),
	R("application/json", "{}{}", 400, "Malformed JSON: "),
	/* json-c's strict mode lets these through; Python's json does not */
	R("application/json", "{'a': 1}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
	R("application/json", "{\n 'a': 1}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 2 column 2 (char 3)"),
	R("application/json", "{\"a\": \"it's\", 'b': 2}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 15 (char 14)"),
	R("application/json", "[\"a\tb\"]", 400,
	  "Malformed JSON: Invalid control character at: line 1 column 4 (char 3)"),
	R("application/json", "{\"k\": \"x\ny\"}", 400,
	  "Malformed JSON: Invalid control character at: line 1 column 9 (char 8)"),
	R("application/json", "[\"\xff\"]", 400, "Malformed JSON: "),
	R("application/json", "[\"\xc3\"]", 400, "Malformed JSON: "),
	R("application/json", "{\"a\": \"it's \\\" \\\\ ok\"}", 0, NULL),
	R("application/json", "[\"\xc3\xa9\"]", 0, NULL),
	/* lone surrogates: json-c would store U+FFFD; pairs are characters */
	R("application/json", "[\"\\ud800\"]", 400, "Malformed JSON: Lone surrogate \\ud800 at: line 1 column 3 (char 2)"),
	R("application/json", "[\"ab\\udfff\"]", 400, "Malformed JSON: Lone surrogate \\udfff at: line 1 column 5 (char 4)"),
	R("application/json", "[\"\\uD83D\\u0041\"]", 400, "Malformed JSON: Lone surrogate \\ud83d at: line 1 column 3 (char 2)"),
	R("application/json", "[\"\\ud83d\\ude00\"]", 0, NULL),
	R("application/json", "[\"\\\\ud800\"]", 0, NULL),
	R("application/json", "[\"\\u00e9\"]", 0, NULL),
	R("application/json", "{\"a\": 1,}", 400, "Malformed JSON: "),
	R("application/json", "[1, 2,]", 400, "Malformed JSON: "),
	R("application/json", "nul", 400, "Malformed JSON: "),
	R("application/json",
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	  "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	  400, "Malformed JSON: "),
#undef R
};

/* Parses as read_json_body does (strict); NULL on error or for null. */
static struct json_object *
parse_strict(const char *text)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	json_tokener_free(tok);
	return o;
}

/* A context with just what validation needs. */
static void
setup(struct ctx *c, struct request *r, struct arena *a)
{
	memset(c, 0, sizeof(*c));
	memset(r, 0, sizeof(*r));
	c->req = r;
	c->a = a;
}

static void
split_list(char *names, const char **out, int max)
{
	int n = 0;
	for (char *tok = strtok(names, ","); tok && n < max - 1; tok = strtok(NULL, ","))
		out[n++] = tok;
	out[n] = NULL;
}

/* Runs one row's check; returns its rc and writes the value read. */
static int
run_case(struct ctx *c, const struct v_case *t, struct json_object *o, char *got, size_t n)
{
	char names[128];
	const char *list[8];
	snprintf(got, n, "untouched");
	switch (t->kind) {
	case V_OBJECT:
		return jv_object(c, o);
	case V_REQUIRED:
	case V_NO_EXTRA:
		snprintf(names, sizeof(names), "%s", t->list);
		split_list(names, list, 8);
		return t->kind == V_REQUIRED ? jv_required(c, o, list) : jv_no_extra(c, o, list);
	case V_STRING: {
		const char *s = "untouched";
		int rc = jv_string(c, o, "v", (size_t)t->imax, t->nullable, &s);
		snprintf(got, n, "%s", s ? s : "NULL");
		return rc;
	}
	case V_INT: {
		long long v = -424242;
		int rc = jv_int(c, o, "v", t->imin, t->imax, &v);
		if (v != -424242)
			snprintf(got, n, "%lld", v);
		return rc;
	}
	case V_NUMBER: {
		double d = -424242;
		int rc = jv_number(c, o, "v", -HUGE_VAL, 3.40282e+38, &d);
		if (d != -424242) {
			struct buf b = {0};
			buf_json_double(&b, d);
			snprintf(got, n, "%s", b.p);
			buf_free(&b);
		}
		return rc;
	}
	case V_UUID: {
		char u[37] = "untouched";
		int is_null = -1;
		int rc = jv_uuid(c, o, "v", t->nullable, u, &is_null);
		snprintf(got, n, "%s", is_null == 1 ? "null" : u);
		return rc;
	}
	}
	return -2;
}

static void
test_checks(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(v_cases); i++) {
		const struct v_case *t = &v_cases[i];
		struct ctx c;
		struct request r;
		char got[256];
		setup(&c, &r, &a);
		struct json_object *o = parse_strict(t->body);
		CHECK(t->line, o != NULL || strcmp(t->body, "null") == 0, "test body does not parse");
		int rc = run_case(&c, t, o, got, sizeof(got));
		CHECK_INT(t->line, "rc", rc, t->msg ? -1 : 0);
		if (t->msg) {
			char want[512];
			snprintf(want, sizeof(want), "JSON does not validate: %s", t->msg);
			CHECK_INT(t->line, "status", c.err.status, 400);
			CHECK_STR(t->line, "detail", c.err.detail, want);
		} else if (t->out) {
			CHECK_STR(t->line, "value", got, t->out);
		}
		json_object_put(o);
		arena_reset(&a);
	}
	for (int i = 0; i < NROWS(repr_cases); i++) {
		struct ctx c;
		struct request r;
		setup(&c, &r, &a);
		struct json_object *o = json_tokener_parse(repr_cases[i].json);
		CHECK_STR(repr_cases[i].line, "jv_repr", jv_repr(&c, o), repr_cases[i].repr);
		json_object_put(o);
		arena_reset(&a);
	}
	arena_free(&a);
}

static void
test_bodies(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(body_cases); i++) {
		const struct body_case *t = &body_cases[i];
		struct ctx c;
		struct request r;
		struct json_object *o = NULL;
		setup(&c, &r, &a);
		r.content_type = t->ctype;
		/* an exact-size heap copy: ASan sees any read past the body */
		char *body = arena_strdup(&a, t->body);
		r.body = body;
		r.body_len = strlen(body);
		int rc = read_json_body(&c, &o);
		CHECK_INT(t->line, "rc", rc, t->status ? -1 : 0);
		CHECK_INT(t->line, "status", c.err.status, t->status);
		if (t->status == 415)
			CHECK_STR(t->line, "detail", c.err.detail, t->detail);
		else if (t->status)
			CHECK(t->line, c.err.detail && strncmp(c.err.detail, t->detail, strlen(t->detail)) == 0,
			      "detail \"%s\" does not start with \"%s\"", c.err.detail, t->detail);
		else
			CHECK(t->line, o != NULL && o == c.body_json, "parsed body kept in the context");
		if (c.body_json)
			json_object_put(c.body_json);
		arena_reset(&a);
	}
	arena_free(&a);
}

void
test_validate(void)
{
	test_checks();
	test_bodies();
}
