/* Unit tests of the core's parsers and validators, table-driven: each
 * test_<area>() walks a const table of {input, expected} rows. */
#include "harness.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int t_passed, t_failed;

int
t_check(int ok, const char *file, int line, const char *fmt, ...)
{
	if (ok) {
		t_passed++;
		return 1;
	}
	va_list ap;
	t_failed++;
	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 0;
}

/* Prints s as a C string literal, so blanks and control bytes show. */
static void
put_escaped(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

int
t_str(const char *file, int line, const char *what, const char *got, const char *want)
{
	int ok = (got == NULL && want == NULL) ||
	         (got != NULL && want != NULL && strcmp(got, want) == 0);
	if (ok) {
		t_passed++;
		return 1;
	}
	t_failed++;
	fprintf(stderr, "%s:%d: FAIL: %s\n   got:  ", file, line, what);
	put_escaped(stderr, got);
	fputs("\n   want: ", stderr);
	put_escaped(stderr, want);
	fputc('\n', stderr);
	return 0;
}

int
t_int(const char *file, int line, const char *what, long long got, long long want)
{
	return t_check(got == want, file, line, "%s: got %lld, want %lld", what, got, want);
}

int
t_has(const char *file, int line, const char *what, const char *hay, const char *needle)
{
	if (hay != NULL && strstr(hay, needle) != NULL) {
		t_passed++;
		return 1;
	}
	t_failed++;
	fprintf(stderr, "%s:%d: FAIL: %s\n   in:      ", file, line, what);
	put_escaped(stderr, hay);
	fputs("\n   missing: ", stderr);
	put_escaped(stderr, needle);
	fputc('\n', stderr);
	return 0;
}

int
main(void)
{
	static void (*const areas[])(void) = {
		test_microversion, test_query, test_uuid, test_config,
		test_buf, test_arena, test_jschema, test_app, test_ac_engine, test_store, test_dburl, test_ac_cache, test_fault, test_html,
		test_revisions, test_pytext, test_filters,
	};
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		areas[i]();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}
