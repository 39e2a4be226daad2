/* The reference's text rules (see pytext.h). */
#include "pytext.h"
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

size_t
py_len(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

void
py_repr(struct buf *b, const char *s, size_t n)
{
	int has_sq = memchr(s, '\'', n) != NULL, has_dq = memchr(s, '"', n) != NULL;
	char q = (has_sq && !has_dq) ? '"' : '\'';
	buf_putc(b, q);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == (unsigned char)q || ch == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)ch);
		} else if (ch == '\n') {
			buf_puts(b, "\\n");
		} else if (ch == '\r') {
			buf_puts(b, "\\r");
		} else if (ch == '\t') {
			buf_puts(b, "\\t");
		} else if (ch < 0x20 || ch == 0x7f) {
			buf_printf(b, "\\x%02x", ch);
		} else if (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0xa0) {
			/* U+0080..U+00A0 are not printable */
			buf_printf(b, "\\x%02x", (unsigned char)s[i + 1]);
			i++;
		} else if (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xad) {
			buf_puts(b, "\\xad");
			i++;
		} else {
			buf_putc(b, (char)ch);
		}
	}
	buf_putc(b, q);
}

const char *
py_repr_str(struct arena *a, const char *s)
{
	struct buf b = {0};
	py_repr(&b, s, strlen(s));
	char *r = b.oom ? NULL : arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return r ? r : "''";
}

int
py_isspace(int ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r') || (ch >= 0x1c && ch <= 0x1f);
}

char *
py_strip(struct arena *a, const char *s)
{
	while (*s && py_isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && py_isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* The blanks int() takes around a number: fewer than str.strip()'s
 * (int("\x1c3") fails where "\x1c3".strip() gives "3"). */
static int
int_space(int ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

int
py_int(struct arena *a, const char *s, size_t n, long long *val, const char **canon)
{
	size_t i = 0;
	while (n > 0 && int_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && int_space((unsigned char)s[i]))
		i++;
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i >= n || !isdigit((unsigned char)s[i]))
		return -1;
	char *digits = a != NULL ? arena_alloc(a, n - i + 3) : NULL;
	if (a != NULL && digits == NULL)
		return -1;
	size_t nd = 0;            /* significant digits: after leading zeros */
	long long v = 0;
	char *w = digits ? digits + 1 : NULL;
	for (; i < n; i++) {
		if (s[i] == '_' && i + 1 < n && isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i - 1]))
			continue;
		if (!isdigit((unsigned char)s[i]))
			return -1;
		if (nd == 0 && s[i] == '0')
			continue;
		if (++nd <= 18)
			v = v * 10 + (s[i] - '0');
		if (w)
			*w++ = s[i];
	}
	*val = nd > 18 ? (neg ? LLONG_MIN : LLONG_MAX) : (neg ? -v : v);
	if (digits != NULL) {
		if (nd == 0)
			*w++ = '0';
		*w = '\0';
		if (neg && nd > 0)
			digits[0] = '-';
		*canon = neg && nd > 0 ? digits : digits + 1;
	}
	return 0;
}

const char **
py_split(struct arena *a, const char *s, char sep, int *n)
{
	int cnt = 1;
	for (const char *p = s; *p; p++)
		cnt += *p == sep;
	const char **out = arena_alloc(a, sizeof(char *) * (size_t)(cnt + 1));
	if (out == NULL)
		return NULL;
	int k = 0;
	for (const char *p = s;; p++) {
		const char *end = strchr(p, sep);
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		if ((out[k++] = arena_strndup(a, p, len)) == NULL)
			return NULL;
		if (end == NULL)
			break;
		p = end;
	}
	out[k] = NULL;
	*n = k;
	return out;
}

/* s without any occurrence of pat, in place (one left-to-right pass, as
 * str.replace(pat, '') scans). */
static void
remove_all(char *s, const char *pat)
{
	size_t plen = strlen(pat);
	char *w = s;
	for (const char *p = s; *p;) {
		if (strncmp(p, pat, plen) == 0)
			p += plen;
		else
			*w++ = *p++;
	}
	*w = '\0';
}

int
py_uuid_like(const char *s, char hex[33])
{
	char *t = s != NULL ? strdup(s) : NULL;
	if (t == NULL)
		return 0;
	remove_all(t, "urn:");
	remove_all(t, "uuid:");
	const char *b = t, *e = t + strlen(t);
	while (*b == '{' || *b == '}')
		b++;
	while (e > b && (e[-1] == '{' || e[-1] == '}'))
		e--;
	int n = 0, ok = 1;
	for (; b < e && ok; b++) {
		unsigned char ch = (unsigned char)*b;
		if (ch == '-')
			continue;
		ok = isxdigit(ch) && n < 32;
		if (ok && hex != NULL)
			hex[n] = (char)tolower(ch);
		n += ok;
	}
	free(t);
	if (hex != NULL)
		hex[ok ? n : 0] = '\0';
	return ok && n == 32;
}
