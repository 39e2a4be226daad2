/* A growable byte buffer whose out-of-memory is sticky (checked once at
 * the end); see buf.h. */
#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

int
buf_grow(struct buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

size_t
fmt_int(char *out, long long v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24];
	char *q = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	while (u >= 100) {
		unsigned k = (unsigned)(u % 100) * 2;
		u /= 100;
		*--q = pairs[k + 1];
		*--q = pairs[k];
	}
	if (u >= 10) {
		*--q = pairs[u * 2 + 1];
		*--q = pairs[u * 2];
	} else {
		*--q = (char)('0' + u);
	}
	if (v < 0)
		*--q = '-';
	size_t n = (size_t)(tmp + sizeof(tmp) - q);
	memcpy(out, q, n);
	return n;
}

void
buf_put_int(struct buf *b, long long v)
{
	char *w = buf_room(b, 20);
	if (w != NULL)
		buf_advance(b, fmt_int(w, v));
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
	/* Do not keep a huge buffer for the life of a FastCGI process. */
	if (b->cap > (8u << 20)) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void
buf_append(struct buf *b, const char *s, size_t n)
{
	char *w = buf_room(b, n);
	if (w == NULL)
		return;
	memcpy(w, s, n);
	buf_advance(b, n);
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	char *w = buf_room(b, 1);
	if (w == NULL)
		return;
	*w = c;
	buf_advance(b, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		buf_append(b, small, (size_t)n);
		return;
	}
	if (buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

size_t
utf8_seq_len(const unsigned char *p)
{
	size_t n;
	unsigned int cp;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
buf_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	/* the usual case: nothing to escape, one copy */
	while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	if (*p == '\0') {
		size_t n = (size_t)(p - (const unsigned char *)s);
		char *w = buf_room(b, n + 2);
		if (w == NULL)
			return;
		w[0] = '"';
		memcpy(w + 1, s, n);
		w[n + 1] = '"';
		buf_advance(b, n + 2);
		return;
	}
	p = (const unsigned char *)s;
	buf_putc(b, '"');
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_append(b, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p >= 0x80) {
			/* Valid UTF-8 goes out as is; a stray byte of invalid
			 * input as \u00XX (its Latin-1 reading), so the JSON
			 * stays valid whatever the client sent. */
			size_t n = utf8_seq_len(p);
			if (n > 0) {
				buf_append(b, (const char *)p, n);
				p += n;
			} else {
				char esc[7];
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				buf_append(b, esc, 6);
				p++;
			}
			continue;
		}
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t n = 2;
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[*p >> 4]; esc[5] = hex[*p & 15];
			n = 6;
		}
		buf_append(b, esc, n);
		p++;
	}
	buf_putc(b, '"');
}

void
buf_json_double(struct buf *b, double d)
{
	char tmp[48];
	int digits;
	if (!isfinite(d)) {
		buf_puts(b, "null");
		return;
	}
	/* The fewest significant digits that read back as d ... */
	for (digits = 1; digits < 17; digits++) {
		snprintf(tmp, sizeof(tmp), "%.*e", digits - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", digits - 1, d);
	/* ... laid out as Python's repr: exponent form outside [1e-4, 1e16),
	 * else positional with at least one fraction digit. */
	int exp10 = atoi(strchr(tmp, 'e') + 1);
	if (exp10 < -4 || exp10 >= 16) {
		buf_puts(b, tmp);
		return;
	}
	int frac = digits - 1 - exp10;
	snprintf(tmp, sizeof(tmp), "%.*f", frac > 0 ? frac : 0, d);
	buf_puts(b, tmp);
	if (frac <= 0)
		buf_puts(b, ".0");
}

void
jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->has_items[0] = 0;
}

void
jw_key(struct jw *w, const char *key)
{
	if (w->has_items[w->depth])
		buf_putc(w->b, ',');
	w->has_items[w->depth] = 1;
	if (key != NULL) {
		buf_json_string(w->b, key);
		buf_putc(w->b, ':');
	}
}

static void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	buf_putc(w->b, c);
	if (w->depth + 1 < JW_MAXDEPTH)
		w->depth++;
	w->has_items[w->depth] = 0;
}

static void
jw_close(struct jw *w, char c)
{
	buf_putc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(struct jw *w, const char *key) { jw_open(w, key, '{'); }
void jw_obj_end(struct jw *w) { jw_close(w, '}'); }
void jw_arr(struct jw *w, const char *key) { jw_open(w, key, '['); }
void jw_arr_end(struct jw *w) { jw_close(w, ']'); }

void
jw_str(struct jw *w, const char *key, const char *val)
{
	jw_key(w, key);
	if (val == NULL)
		buf_puts(w->b, "null");
	else
		buf_json_string(w->b, val);
}

void
jw_int(struct jw *w, const char *key, long long val)
{
	jw_key(w, key);
	buf_put_int(w->b, val);
}

void
jw_double(struct jw *w, const char *key, double val)
{
	jw_key(w, key);
	buf_json_double(w->b, val);
}

void
jw_bool(struct jw *w, const char *key, int val)
{
	jw_key(w, key);
	buf_puts(w->b, val ? "true" : "false");
}

void
jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	buf_puts(w->b, "null");
}
