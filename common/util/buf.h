/* A growable byte buffer (heap, reused across requests) and a JSON writer
 * on top of it.  Allocation failure is sticky: buf->oom is set and later
 * appends are dropped; the app turns that into a 500-free 503 answer. */
#ifndef PLACEMENT_BUF_H
#define PLACEMENT_BUF_H
#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

/* Grows b for n more bytes and the NUL; -1 (and b->oom) when it cannot. */
int buf_grow(struct buf *b, size_t n);
/* Room for n more bytes: where to write them (then buf_advance), or NULL
 * when out of memory. */
static inline char *
buf_room(struct buf *b, size_t n)
{
	if ((b->len + n + 1 > b->cap || b->oom) && buf_grow(b, n) < 0)
		return NULL;
	return b->p + b->len;
}
/* Counts n bytes written at buf_room's pointer. */
static inline void
buf_advance(struct buf *b, size_t n)
{
	b->len += n;
	b->p[b->len] = '\0';
}
/* Writes v in decimal at out (room for 20 bytes); returns the length. */
size_t fmt_int(char *out, long long v);
void buf_put_int(struct buf *b, long long v);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or
 * 0 when it is not one (overlong, surrogate, beyond U+10FFFF, cut by the
 * string's NUL). */
size_t utf8_seq_len(const unsigned char *p);
/* Appends s as a JSON string literal, quotes included. */
void buf_json_string(struct buf *b, const char *s);
/* Appends d as the shortest decimal that reads back as d, always with a
 * fraction part or exponent (1.0, not 1), as Python's float repr does. */
void buf_json_double(struct buf *b, double d);

/* JSON writer: tracks commas.  Inside an object give a key; inside an
 * array pass NULL as key. */
#define JW_MAXDEPTH 64
struct jw {
	struct buf *b;
	int depth;
	unsigned char has_items[JW_MAXDEPTH];
};
void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w, const char *key);     /* opens { */
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w, const char *key);     /* opens [ */
void jw_arr_end(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *val); /* NULL: null */
void jw_int(struct jw *w, const char *key, long long val);
void jw_double(struct jw *w, const char *key, double val);
void jw_bool(struct jw *w, const char *key, int val);
void jw_null(struct jw *w, const char *key);
/* Writes the key (and comma); the caller appends a raw JSON value. */
void jw_key(struct jw *w, const char *key);
#endif
