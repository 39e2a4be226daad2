/* The query string: split into decoded key/value pairs (ctx->q) the way
 * the reference's WebOb does, and the lookups handlers use; see query.h. */
#include "query.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

/* The byte of the '%' escape at s[i]: two hex digits; for query strings
 * (plus_space) read as webob does, with Python's int(x, 16) of the (up
 * to) two characters that follow, so blanks around one digit are allowed
 * ('+' is a blank there) and a lone digit at the end counts.  *used gets
 * the characters after '%' that the escape takes; -1 when it is no escape
 * (the '%' stays as it is). */
static int
pct_value(const char *s, size_t i, size_t n, int plus_space, size_t *used)
{
	char t[2];
	size_t k = 0, a = 0;
	int v = 0;
	while (k < 2 && i + 1 + k < n) {
		char ch = s[i + 1 + k];
		t[k++] = ch == '+' && plus_space ? ' ' : ch;
	}
	*used = k;
	if (!plus_space && k < 2)
		return -1;
	while (plus_space && a < k && isspace((unsigned char)t[a]))
		a++;
	while (plus_space && k > a && isspace((unsigned char)t[k - 1]))
		k--;
	if (a == k)
		return -1;
	for (; a < k; a++) {
		int h = hexval((unsigned char)t[a]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

char *
url_decode(struct arena *a, const char *s, size_t n, int plus_space)
{
	char *out = arena_alloc(a, n + 1);
	size_t j = 0, used;
	int v;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && (v = pct_value(s, i, n, plus_space, &used)) >= 0) {
			out[j++] = (char)v;
			i += used;
		} else if (s[i] == '+' && plus_space) {
			out[j++] = ' ';
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	/* A decoded NUL would cut the string: treat it as invalid below. */
	if (memchr(out, '\0', j) != NULL && strlen(out) != j)
		return arena_strdup(a, "\xff");
	return out;
}

int
utf8_valid(const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s;) {
		size_t n = *s < 0x80 ? 1 : utf8_seq_len(s);
		if (n == 0)
			return 0;
		s += n;
	}
	return 1;
}

int
query_parse(struct ctx *c)
{
	const char *q = c->req->query;
	int count = 0;
	c->q = NULL;
	c->nq = 0;
	if (q == NULL || *q == '\0')
		return 0;
	for (const char *p = q; *p; p++)
		if (*p == '&' || *p == ';')
			count++;
	count++;
	if (count > QUERY_MAX_PARAMS)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid query string parameters: more than %d parameters", QUERY_MAX_PARAMS);
	c->q = arena_alloc(c->a, sizeof(*c->q) * (size_t)count);
	if (c->q == NULL)
		return fail_oom(c);
	const char *p = q;
	while (*p) {
		size_t n = strcspn(p, "&;");
		if (n > 0) {
			const char *eq = memchr(p, '=', n);
			size_t kl = eq ? (size_t)(eq - p) : n;
			/* Blank values are kept, as the reference's parser does. */
			{
				char *k = url_decode(c->a, p, kl, 1);
				char *v = eq ? url_decode(c->a, eq + 1, n - kl - 1, 1)
				             : arena_strdup(c->a, "");
				if (k == NULL || v == NULL)
					return fail_oom(c);
				if (!utf8_valid(k) || !utf8_valid(v))
					return fail(c, 400, ERR_UNDEFINED,
					            "Invalid query string parameters: 'utf-8' codec can't decode the query string");
				c->q[c->nq].key = k;
				c->q[c->nq].value = v;
				c->nq++;
			}
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

const char *
q_get(const struct ctx *c, const char *key)
{
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].key, key) == 0)
			return c->q[i].value;
	return NULL;
}

const char *
q_last(const struct ctx *c, const char *key)
{
	const char *v = NULL;
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].key, key) == 0)
			v = c->q[i].value;
	return v;
}

int
q_count(const struct ctx *c, const char *key)
{
	int n = 0;
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].key, key) == 0)
			n++;
	return n;
}
