/* The reference's text rules (common/util/pytext.c), against rows taken from
 * Python 3.11's own behaviour: repr() and len() of str, int() in base 10,
 * str.strip(). */
#include "harness.h"
#include "../../common/util/pytext.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const struct repr_case {
	int line;
	const char *s;
	size_t n;           /* bytes */
	const char *repr;   /* repr(s) */
	size_t len;         /* len(s) */
} repr_cases[] = {
	{__LINE__, "", 0, "''", 0},
	{__LINE__, "a", 1, "'a'", 1},
	{__LINE__, "it's", 4, "\"it's\"", 4},
	{__LINE__, "say \"hi\"", 8, "'say \"hi\"'", 8},
	{__LINE__, "both ' and \"", 12, "'both \\' and \"'", 12},
	{__LINE__, "back\\slash", 10, "'back\\\\slash'", 10},
	{__LINE__, "line\x0a" "break\x0d" "\x09", 12, "'line\\nbreak\\r\\t'", 12},
	{__LINE__, "\x00" "\x01" "\x1f" "\x7f", 4, "'\\x00\\x01\\x1f\\x7f'", 4},
	{__LINE__, "\xc2\x80" "\xc2\x85" "\xc2\x9f" "\xc2\xa0" "\xc2\xa1", 10,
	 "'\\x80\\x85\\x9f\\xa0\xc2\xa1'", 5},
	{__LINE__, "soft\xc2\xad" "hyphen", 12, "'soft\\xadhyphen'", 11},
	{__LINE__, "\xc3\xa9", 2, "'\xc3\xa9'", 1},
	{__LINE__, "\xe6\x97\xa5\xe6\x9c\xac", 6, "'\xe6\x97\xa5\xe6\x9c\xac'", 2},
	{__LINE__, "x\x1c" "y", 3, "'x\\x1cy'", 3},
};

static const struct int_case {
	int line;
	const char *s;
	int ok;             /* int(s) succeeds */
	const char *val;    /* the value kept (saturated beyond 18 digits) */
	const char *canon;  /* str(int(s)) */
} int_cases[] = {
	{__LINE__, "0", 1, "0", "0"},
	{__LINE__, "007", 1, "7", "7"},
	{__LINE__, "-0", 1, "0", "0"},
	{__LINE__, "+5", 1, "5", "5"},
	{__LINE__, " 12 ", 1, "12", "12"},
	{__LINE__, "1_000", 1, "1000", "1000"},
	{__LINE__, "1__0", 0, NULL, NULL},
	{__LINE__, "_1", 0, NULL, NULL},
	{__LINE__, "1_", 0, NULL, NULL},
	{__LINE__, "+_1", 0, NULL, NULL},
	{__LINE__, "12a", 0, NULL, NULL},
	{__LINE__, "", 0, NULL, NULL},
	{__LINE__, " ", 0, NULL, NULL},
	{__LINE__, "-", 0, NULL, NULL},
	{__LINE__, "99999999999999999999", 1, "9223372036854775807", "99999999999999999999"},
	{__LINE__, "-99999999999999999999", 1, "-9223372036854775808", "-99999999999999999999"},
	{__LINE__, "\x1c" "3\x1f", 0, NULL, NULL},
	{__LINE__, "\x09" "-42\x0a", 1, "-42", "-42"},
	{__LINE__, "0_0", 1, "0", "0"},
	{__LINE__, "123456789012345678", 1, "123456789012345678", "123456789012345678"},
	{__LINE__, "1234567890123456789", 1, "9223372036854775807", "1234567890123456789"},
};

static const struct strip_case {
	int line;
	const char *s, *want;
} strip_cases[] = {
	{__LINE__, "  a b \x09", "a b"},
	{__LINE__, "\x1c\x1d" "x\x1e\x1f", "x"},
	{__LINE__, "", ""},
	{__LINE__, "   ", ""},
};

/* Python's s.split(','): the items joined by '|' (as Python prints them
 * joined), and their number. */
static const struct split_case {
	int line;
	const char *s, *want;
	int n;
} split_cases[] = {
	{__LINE__, "a,b", "a|b", 2},
	{__LINE__, "", "", 1},
	{__LINE__, ",", "|", 2},
	{__LINE__, "a,,b,", "a||b|", 4},
	{__LINE__, " a , b", " a | b", 2},
	{__LINE__, "in:X", "in:X", 1},
};

void
test_pytext(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(repr_cases); i++) {
		const struct repr_case *c = &repr_cases[i];
		struct buf b = {0};
		py_repr(&b, c->s, c->n);
		buf_putc(&b, '\0');
		CHECK_STR(c->line, "py_repr", b.oom ? NULL : b.p, c->repr);
		buf_free(&b);
		CHECK_INT(c->line, "py_len", (long long)py_len(c->s, c->n), (long long)c->len);
		if (strlen(c->s) == c->n)
			CHECK_STR(c->line, "py_repr_str", py_repr_str(&a, c->s), c->repr);
	}
	for (int i = 0; i < NROWS(int_cases); i++) {
		const struct int_case *c = &int_cases[i];
		long long v = 12345;
		const char *canon = NULL;
		int rc = py_int(&a, c->s, strlen(c->s), &v, &canon);
		CHECK_INT(c->line, "py_int accepts", rc == 0, c->ok);
		if (rc != 0 || !c->ok)
			continue;
		char got[32];
		snprintf(got, sizeof(got), "%lld", v);
		CHECK_STR(c->line, "py_int value", got, c->val);
		CHECK_STR(c->line, "py_int canon", canon, c->canon);
		long long v2 = 0;
		CHECK_INT(c->line, "py_int without an arena", py_int(NULL, c->s, strlen(c->s), &v2, NULL), 0);
		CHECK_INT(c->line, "py_int value without an arena", v2, v);
	}
	for (int i = 0; i < NROWS(strip_cases); i++)
		CHECK_STR(strip_cases[i].line, "py_strip", py_strip(&a, strip_cases[i].s), strip_cases[i].want);
	for (int i = 0; i < NROWS(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		int n = -1;
		const char **v = py_split(&a, c->s, ',', &n);
		char got[64] = "";
		for (int k = 0; v != NULL && k < n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "|" : "", v[k]);
		CHECK_STR(c->line, "py_split", got, c->want);
		CHECK_INT(c->line, "py_split count", n, c->n);
		CHECK(c->line, v != NULL && v[n] == NULL, "py_split: NULL-terminated");
	}
	arena_free(&a);
}
