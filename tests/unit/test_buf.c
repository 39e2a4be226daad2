/* The JSON writer: buf_json_double (Python's float repr, which the
 * reference's json.dumps prints), buf_json_string escaping, jw_* comma
 * and nesting handling, and the byte buffer under it. */
#include "harness.h"
#include "../../common/util/buf.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Expected text is repr(value) from Python 3. */
static const struct dbl_case {
	int line;
	double d;
	const char *out;
} dbl_cases[] = {
#define R(d, out) {__LINE__, d, out}
	R(0.0, "0.0"),
	R(-0.0, "-0.0"),
	R(1.0, "1.0"),
	R(-1.0, "-1.0"),
	R(16.0, "16.0"),
	R(10.0, "10.0"),
	R(100.0, "100.0"),
	R(1000000.0, "1000000.0"),
	R(1.5, "1.5"),
	R(-2.5, "-2.5"),
	R(0.1, "0.1"),
	R(0.2, "0.2"),
	R(0.30000000000000004, "0.30000000000000004"),
	R(1.0/3, "0.3333333333333333"),
	R(2.0/3, "0.6666666666666666"),
	R(1e15, "1000000000000000.0"),
	R(1e16, "1e+16"),
	R(1e17, "1e+17"),
	R(123456789012345678.0, "1.2345678901234568e+17"),
	R(9999999999999998.0, "9999999999999998.0"),
	R(1e-4, "0.0001"),
	R(1e-5, "1e-05"),
	R(0.00012345, "0.00012345"),
	R(1.7976931348623157e308, "1.7976931348623157e+308"),
	R(5e-324, "5e-324"),
	R(2.2250738585072014e-308, "2.2250738585072014e-308"),
	R(3.40282e+38, "3.40282e+38"),
	R(1e39, "1e+39"),
	R(9007199254740993.0, "9007199254740992.0"),
	R(1e22, "1e+22"),
	R(12345.6789, "12345.6789"),
	R(1e100, "1e+100"),
	R(123e-20, "1.23e-18"),
	R(0.001, "0.001"),
	R(1234567.0, "1234567.0"),
	R(0.5, "0.5"),
	R(0x1p53, "9007199254740992.0"),
	R(0x1p63, "9.223372036854776e+18"),
	R(255.0/256, "0.99609375"),
	R(4.35, "4.35"),
	R(1e-7, "1e-07"),
	R(1.1e-4, "0.00011"),
	/* JSON has no NaN or Infinity */
	R(NAN, "null"),
	R(INFINITY, "null"),
	R(-INFINITY, "null"),
#undef R
};

static const struct str_case {
	int line;
	const char *in;
	const char *out;
} str_cases[] = {
#define R(in, out) {__LINE__, in, out}
	R("", "\"\""),
	R("abc", "\"abc\""),
	R("a\"b", "\"a\\\"b\""),
	R("a\\b", "\"a\\\\b\""),
	R("/", "\"/\""),
	R("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""),
	R("\x01\x1f", "\"\\u0001\\u001f\""),
	R("\x7f", "\"\x7f\""),
	R("\xc3\xa9\xe2\x82\xac", "\"\xc3\xa9\xe2\x82\xac\""),
	R("</script>", "\"</script>\""),
	R("tab\tend\"", "\"tab\\tend\\\"\""),
#undef R
};

/* Writer programs: one op a character, run against a fresh buffer.
 * { } [ ] open/close (key "k" inside objects), s string "v", i int 1,
 * d double 0.5, t true, n null, z jw_str NULL. */
static const struct jw_case {
	int line;
	const char *ops;
	const char *out;
} jw_cases[] = {
#define R(ops, out) {__LINE__, ops, out}
	R("{}", "{}"),
	R("[]", "[]"),
	R("{s}", "{\"k\":\"v\"}"),
	R("{sidtnz}", "{\"k\":\"v\",\"k\":1,\"k\":0.5,\"k\":true,\"k\":null,\"k\":null}"),
	R("[sidtnz]", "[\"v\",1,0.5,true,null,null]"),
	R("[[][]{}]", "[[],[],{}]"),
	R("{[{s}{i}]s}", "{\"k\":[{\"k\":\"v\"},{\"k\":1}],\"k\":\"v\"}"),
	R("[[[i]]i]", "[[[1]],1]"),
#undef R
};

static void
run_ops(struct jw *w, const char *ops)
{
	/* which containers are objects, by depth */
	char kind[128];
	int depth = 0;
	for (const char *p = ops; *p; p++) {
		const char *key = depth > 0 && kind[depth - 1] == '{' ? "k" : NULL;
		switch (*p) {
		case '{': jw_obj(w, key); kind[depth++] = '{'; break;
		case '[': jw_arr(w, key); kind[depth++] = '['; break;
		case '}': jw_obj_end(w); depth--; break;
		case ']': jw_arr_end(w); depth--; break;
		case 's': jw_str(w, key, "v"); break;
		case 'i': jw_int(w, key, 1); break;
		case 'd': jw_double(w, key, 0.5); break;
		case 't': jw_bool(w, key, 1); break;
		case 'n': jw_null(w, key); break;
		case 'z': jw_str(w, key, NULL); break;
		}
	}
}

static void
test_writer_extremes(void)
{
	struct buf b = {0};
	struct jw w;
	/* keys are escaped like values; integers at their limits */
	jw_init(&w, &b);
	jw_obj(&w, NULL);
	jw_int(&w, "a\"b", LLONG_MIN);
	jw_int(&w, "max", LLONG_MAX);
	jw_bool(&w, "f", 0);
	jw_obj_end(&w);
	CHECK_STR(__LINE__, "extremes", b.p,
	          "{\"a\\\"b\":-9223372036854775808,\"max\":9223372036854775807,\"f\":false}");
	/* nesting past JW_MAXDEPTH stays balanced and does not overflow */
	buf_reset(&b);
	jw_init(&w, &b);
	for (int i = 0; i < JW_MAXDEPTH + 10; i++)
		jw_arr(&w, NULL);
	for (int i = 0; i < JW_MAXDEPTH + 10; i++)
		jw_arr_end(&w);
	CHECK_INT(__LINE__, "deep length", (long long)b.len, 2 * (JW_MAXDEPTH + 10));
	CHECK(__LINE__, b.p[0] == '[' && b.p[b.len - 1] == ']', "deep nesting shape");
	buf_free(&b);
}

/* fmt_int against printf at the edges of each digit count. */
static void
test_fmt_int(void)
{
	long long vals[] = {0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, 12345, -12345,
	                    99999999999LL, 100000000000LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
	for (int i = 0; i < NROWS(vals); i++) {
		char got[32], want[32];
		size_t n = fmt_int(got, vals[i]);
		got[n] = '\0';
		snprintf(want, sizeof(want), "%lld", vals[i]);
		CHECK_STR(__LINE__, "fmt_int", got, want);
	}
	for (long long v = 1; v < LLONG_MAX / 10; v = v * 10 + 7) {
		char got[32], want[32];
		got[fmt_int(got, -v)] = '\0';
		snprintf(want, sizeof(want), "%lld", -v);
		CHECK_STR(__LINE__, "fmt_int digits", got, want);
	}
}

static void
test_bytes(void)
{
	struct buf b = {0};
	/* buf_printf past its 256-byte stack buffer */
	char big[1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "<%s>", big);
	CHECK_INT(__LINE__, "printf length", (long long)b.len, 1001);
	CHECK(__LINE__, b.p[0] == '<' && b.p[1000] == '>' && b.p[1001] == '\0', "printf content");
	/* appends keep a terminating NUL; reset empties but keeps memory */
	buf_reset(&b);
	CHECK_INT(__LINE__, "reset length", (long long)b.len, 0);
	CHECK_STR(__LINE__, "reset text", b.p, "");
	buf_append(&b, "ab", 1);
	buf_putc(&b, 'c');
	buf_puts(&b, "de");
	CHECK_STR(__LINE__, "append", b.p, "acde");
	/* growth across many doublings */
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	CHECK_INT(__LINE__, "grown length", (long long)b.len, 100000);
	CHECK(__LINE__, b.p[99999] == (char)('a' + 99999 % 26) && b.p[100000] == '\0', "grown content");
	CHECK(__LINE__, !b.oom, "no oom");
	/* a huge buffer is released on reset (FastCGI processes live long) */
	char *chunk = calloc(1, 1 << 20);
	for (int i = 0; i < 9; i++)
		buf_append(&b, chunk, 1 << 20);
	free(chunk);
	CHECK(__LINE__, b.cap > (8u << 20), "grew past 8 MiB");
	buf_reset(&b);
	CHECK(__LINE__, b.p == NULL && b.cap == 0 && b.len == 0, "huge buffer released");
	buf_puts(&b, "again");
	CHECK_STR(__LINE__, "usable after release", b.p, "again");
	buf_free(&b);
	CHECK(__LINE__, b.p == NULL && b.len == 0, "freed");
}

/* buf_put_int: decimal like printf's %lld, including the extremes. */
static const struct int_case {
	int line;
	long long v;
	const char *out;
} int_cases[] = {
	{__LINE__, 0, "0"},
	{__LINE__, 7, "7"},
	{__LINE__, -7, "-7"},
	{__LINE__, 10, "10"},
	{__LINE__, 2147483647LL, "2147483647"},
	{__LINE__, 2147483648LL, "2147483648"},
	{__LINE__, LLONG_MAX, "9223372036854775807"},
	{__LINE__, LLONG_MIN, "-9223372036854775808"},
};

void
test_buf(void)
{
	for (int i = 0; i < NROWS(int_cases); i++) {
		struct buf b = {0};
		buf_puts(&b, "x");
		buf_put_int(&b, int_cases[i].v);
		CHECK_STR(int_cases[i].line, "buf_put_int", b.p + 1, int_cases[i].out);
		buf_free(&b);
	}
	for (int i = 0; i < NROWS(dbl_cases); i++) {
		struct buf b = {0};
		buf_json_double(&b, dbl_cases[i].d);
		CHECK_STR(dbl_cases[i].line, "buf_json_double", b.p, dbl_cases[i].out);
		buf_free(&b);
	}
	for (int i = 0; i < NROWS(str_cases); i++) {
		struct buf b = {0};
		buf_json_string(&b, str_cases[i].in);
		CHECK_STR(str_cases[i].line, "buf_json_string", b.p, str_cases[i].out);
		buf_free(&b);
	}
	for (int i = 0; i < NROWS(jw_cases); i++) {
		struct buf b = {0};
		struct jw w;
		jw_init(&w, &b);
		run_ops(&w, jw_cases[i].ops);
		CHECK_STR(jw_cases[i].line, jw_cases[i].ops, b.p, jw_cases[i].out);
		buf_free(&b);
	}
	test_writer_extremes();
	test_fmt_int();
	test_bytes();
}
