/* Query strings: url_decode, utf8_valid, query_parse, q_get/q_count (the
 * query schemas are jschema's: test_jschema.c).  Decoding follows the reference's webob (parse_qsl_text):
 * '+' is a blank, pairs split on '&' and ';', blank pairs skipped, a key
 * without '=' has an empty value, '%' escapes read with int(x, 16). */
#include "harness.h"
#include "../../common/http/app.h"
#include "../../common/http/query.h"
#include <stdio.h>
#include <string.h>

static const struct decode_case {
	int line;
	const char *in;
	int plus_space;
	const char *out;
} decode_cases[] = {
#define R(in, p, out) {__LINE__, in, p, out}
	R("", 1, ""),
	R("abc", 1, "abc"),
	R("a+b", 1, "a b"),
	R("a+b", 0, "a+b"),
	R("%41", 1, "A"),
	R("%4a%4A", 1, "JJ"),
	R("%2B", 1, "+"),
	R("%2b", 0, "+"),
	R("a%20b", 1, "a b"),
	R("%c3%a9", 1, "\xc3\xa9"),
	R("%e2%82%ac", 1, "\xe2\x82\xac"),
	R("%", 1, "%"),
	R("%%41", 1, "%A"),
	R("%41%", 1, "A%"),
	R("%zz", 1, "%zz"),
	R("%g1", 1, "%g1"),
	R("%1g", 1, "%1g"),
	R("%4z", 1, "%4z"),
	R("%-1", 1, "%-1"),
	/* webob: int(x, 16) takes a lone digit at the end, and blanks
	 * ('+' already is one) around a digit */
	R("%4", 1, "\x04"),
	R("a%4", 1, "a\x04"),
	R("%+1", 1, "\x01"),
	R("%1+", 1, "\x01"),
	R("%1+2", 1, "\x01" "2"),
	R("%+", 1, "% "),
	R("%++", 1, "%  "),
	/* not for paths (plus_space 0): two hex digits or nothing */
	R("%4", 0, "%4"),
	R("% 1", 0, "% 1"),
	R("%+1", 0, "%+1"),
	/* a decoded NUL cannot live in a C string: made invalid UTF-8 */
	R("%00", 1, "\xff"),
	R("a%00b", 1, "\xff"),
#undef R
};

static const struct utf8_case {
	int line;
	const char *in;
	int valid;
} utf8_cases[] = {
#define R(in, v) {__LINE__, in, v}
	R("", 1),
	R("abc", 1),
	R("\xc3\xa9", 1),                 /* é */
	R("\xe2\x82\xac", 1),             /* € */
	R("\xf0\x9d\x84\x9e", 1),         /* U+1D11E */
	R("\xef\xbf\xbf", 1),             /* U+FFFF */
	R("\xf4\x8f\xbf\xbf", 1),         /* U+10FFFF */
	R("\xff", 0),
	R("\x80", 0),
	R("\xc3", 0),                     /* cut short */
	R("a\xe2\x82", 0),
	R("\xc3\x28", 0),                 /* bad continuation */
	R("\xc0\x80", 0),                 /* overlong NUL */
	R("\xc1\xbf", 0),
	R("\xe0\x80\x80", 0),
	R("\xf0\x80\x80\x80", 0),
	R("\xed\xa0\x80", 0),             /* surrogate */
	R("\xed\xbf\xbf", 0),
	R("\xf4\x90\x80\x80", 0),         /* past U+10FFFF */
	R("\xf8\x88\x80\x80\x80", 0),     /* 5-byte form */
	R("\xfe", 0),
#undef R
};

/* query_parse: "k=v" pairs joined with '|', or the 400 detail. */
static const struct parse_case {
	int line;
	const char *query;
	int rc;
	const char *pairs;
	const char *detail;
} parse_cases[] = {
#define R(q, rc, p, d) {__LINE__, q, rc, p, d}
	R("", 0, "", NULL),
	R(NULL, 0, "", NULL),
	R("a=1", 0, "a=1", NULL),
	R("a=1&b=2", 0, "a=1|b=2", NULL),
	R("a=1;b=2", 0, "a=1|b=2", NULL),
	R("&&a", 0, "a=", NULL),
	R("a&", 0, "a=", NULL),
	R(";;", 0, "", NULL),
	R("=1", 0, "=1", NULL),
	R("a", 0, "a=", NULL),
	R("a=", 0, "a=", NULL),
	R("a==b", 0, "a==b", NULL),
	R("a=b=c", 0, "a=b=c", NULL),
	R("a+b=c+d", 0, "a b=c d", NULL),
	R("a%2Bb=1", 0, "a+b=1", NULL),
	R("x%41=1", 0, "xA=1", NULL),
	R("%4=1", 0, "\x04=1", NULL),
	R("name=a&name=b", 0, "name=a|name=b", NULL),
	R("resources=VCPU:1,MEMORY_MB:512", 0, "resources=VCPU:1,MEMORY_MB:512", NULL),
	R("member_of=in:a,b", 0, "member_of=in:a,b", NULL),
	R("%c3%a9=%e2%82%ac", 0, "\xc3\xa9=\xe2\x82\xac", NULL),
	R("a=%ff", -1, NULL,
	  "Invalid query string parameters: 'utf-8' codec can't decode the query string"),
	R("%c3=1", -1, NULL,
	  "Invalid query string parameters: 'utf-8' codec can't decode the query string"),
	R("a=%ed%a0%80", -1, NULL,
	  "Invalid query string parameters: 'utf-8' codec can't decode the query string"),
	R("a=x%00", -1, NULL,
	  "Invalid query string parameters: 'utf-8' codec can't decode the query string"),
#undef R
};

/* A context with just what query parsing needs. */
static void
setup(struct ctx *c, struct request *r, struct arena *a, const char *query)
{
	memset(c, 0, sizeof(*c));
	memset(r, 0, sizeof(*r));
	r->query = query;
	c->req = r;
	c->a = a;
}

static void
test_decode(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(decode_cases); i++) {
		const struct decode_case *t = &decode_cases[i];
		/* decode a heap copy, so reading past n would show under ASan */
		char *in = arena_strdup(&a, t->in);
		CHECK_STR(t->line, "url_decode", url_decode(&a, in, strlen(in), t->plus_space), t->out);
	}
	/* only s[0..n) is read */
	CHECK_STR(__LINE__, "url_decode prefix", url_decode(&a, "abc%41", 4, 1), "abc%");
	CHECK_STR(__LINE__, "url_decode prefix", url_decode(&a, "%414", 3, 1), "A");
	arena_free(&a);
	for (int i = 0; i < NROWS(utf8_cases); i++)
		CHECK_INT(utf8_cases[i].line, "utf8_valid", utf8_valid(utf8_cases[i].in), utf8_cases[i].valid);
}

static void
test_parse(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(parse_cases); i++) {
		const struct parse_case *t = &parse_cases[i];
		struct ctx c;
		struct request r;
		struct buf got = {0};
		setup(&c, &r, &a, t->query);
		int rc = query_parse(&c);
		CHECK_INT(t->line, "query_parse rc", rc, t->rc);
		if (rc == 0) {
			for (int k = 0; k < c.nq; k++)
				buf_printf(&got, "%s%s=%s", k ? "|" : "", c.q[k].key, c.q[k].value);
			CHECK_STR(t->line, "pairs", got.p ? got.p : "", t->pairs);
		} else {
			CHECK_INT(t->line, "status", c.err.status, 400);
			CHECK_STR(t->line, "detail", c.err.detail, t->detail);
		}
		buf_free(&got);
		arena_reset(&a);
	}
	arena_free(&a);
}

/* The parameter count limit: QUERY_MAX_PARAMS pass, one more is a 400. */
static void
test_limit(void)
{
	struct arena a = {0};
	static const int counts[] = {QUERY_MAX_PARAMS, QUERY_MAX_PARAMS + 1};
	for (int i = 0; i < 2; i++) {
		struct buf q = {0};
		struct ctx c;
		struct request r;
		for (int k = 0; k < counts[i]; k++)
			buf_printf(&q, "%sk%d=%d", k ? "&" : "", k, k);
		setup(&c, &r, &a, q.p);
		int rc = query_parse(&c);
		if (counts[i] <= QUERY_MAX_PARAMS) {
			CHECK_INT(__LINE__, "rc at the limit", rc, 0);
			CHECK_INT(__LINE__, "nq", c.nq, counts[i]);
		} else {
			CHECK_INT(__LINE__, "rc past the limit", rc, -1);
			CHECK_INT(__LINE__, "status", c.err.status, 400);
			CHECK_HAS(__LINE__, "detail", c.err.detail, "more than 256 parameters");
		}
		buf_free(&q);
		arena_reset(&a);
	}
	arena_free(&a);
}

static void
test_lookup(void)
{
	static const struct {
		int line;
		const char *key;
		const char *first;
		int count;
	} rows[] = {
		{__LINE__, "a", "1", 2},
		{__LINE__, "b", "", 1},
		{__LINE__, "c", "x y", 1},
		{__LINE__, "z", NULL, 0},
		{__LINE__, "", NULL, 0},
	};
	struct arena a = {0};
	struct ctx c;
	struct request r;
	setup(&c, &r, &a, "a=1&b&c=x+y&a=3");
	CHECK_INT(__LINE__, "parse", query_parse(&c), 0);
	for (int i = 0; i < NROWS(rows); i++) {
		CHECK_STR(rows[i].line, "q_get", q_get(&c, rows[i].key), rows[i].first);
		CHECK_INT(rows[i].line, "q_count", q_count(&c, rows[i].key), rows[i].count);
	}
	arena_free(&a);
}

void
test_query(void)
{
	test_decode();
	test_parse();
	test_limit();
	test_lookup();
}
