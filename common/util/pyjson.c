/* Python's repr() and pprint.pformat() of JSON values as json.loads
 * hands them to Python (dicts, lists, str, int, float, True/False/None):
 * the reference quotes request bodies and its schemas in its messages
 * this way; see pyjson.h. */
#include "pyjson.h"
#include "pytext.h"
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static void repr_value(struct buf *b, struct json_object *v, int sorted, int depth);

int
py_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
repr_object(struct buf *b, struct json_object *v, int sorted, int depth)
{
	int n = json_object_object_length(v), i = 0;
	const char **keys = malloc(sizeof(*keys) * (size_t)(n ? n : 1));
	if (keys == NULL) {
		buf_puts(b, "{...}");
		return;
	}
	json_object_object_foreach(v, k, val) {
		(void)val;
		keys[i++] = k;
	}
	if (sorted)
		qsort(keys, (size_t)n, sizeof(*keys), py_cmp_str);
	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		struct json_object *val = NULL;
		if (i)
			buf_puts(b, ", ");
		py_repr(b, keys[i], strlen(keys[i]));
		buf_puts(b, ": ");
		json_object_object_get_ex(v, keys[i], &val);
		repr_value(b, val, sorted, depth + 1);
		if (b->len > PY_REPR_MAX)
			break;
	}
	buf_putc(b, '}');
	free(keys);
}

static void
repr_value(struct buf *b, struct json_object *v, int sorted, int depth)
{
	if (depth > PY_REPR_DEPTH || b->len > PY_REPR_MAX) {
		buf_puts(b, "...");
		return;
	}
	switch (json_object_get_type(v)) {
	case json_type_null:
		buf_puts(b, "None");
		break;
	case json_type_boolean:
		buf_puts(b, json_object_get_boolean(v) ? "True" : "False");
		break;
	case json_type_int:
		/* json-c keeps 2^63..2^64-1 unsigned; int64 would saturate */
		if (json_object_get_int64(v) == INT64_MAX)
			buf_printf(b, "%llu", (unsigned long long)json_object_get_uint64(v));
		else
			buf_printf(b, "%lld", (long long)json_object_get_int64(v));
		break;
	case json_type_double: {
		/* Python's float repr: JSON's shortest form, and inf/nan by name
		 * (the reference's parser takes Infinity, NaN and 1e999) */
		double d = json_object_get_double(v);
		if (isnan(d))
			buf_puts(b, "nan");
		else if (isinf(d))
			buf_puts(b, d < 0 ? "-inf" : "inf");
		else
			buf_json_double(b, d);
		break;
	}
	case json_type_string:
		py_repr(b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		break;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		buf_putc(b, '[');
		for (size_t i = 0; i < n && b->len <= PY_REPR_MAX; i++) {
			if (i)
				buf_puts(b, ", ");
			repr_value(b, json_object_array_get_idx(v, i), sorted, depth + 1);
		}
		buf_putc(b, ']');
		break;
	}
	case json_type_object:
		repr_object(b, v, sorted, depth);
		break;
	}
}

void
py_repr_json(struct buf *b, struct json_object *v, int sorted)
{
	repr_value(b, v, sorted, 0);
}

/* --- pprint.pformat(value, width=72), its newlines shown as spaces --- */

#define PF_WIDTH 72

/* Python's len() of a UTF-8 string, as an int (widths). */
static int
pf_len(const char *s, size_t n)
{
	return (int)py_len(s, n);
}

/* A line break of the message as the reference's error page shows it:
 * one space, then the 4-space indent of str(ValidationError), then
 * pprint's own indent. */
static void
pf_newline(struct buf *out, int indent)
{
	buf_putc(out, ' ');
	for (int i = 0; i < 4 + indent; i++)
		buf_putc(out, ' ');
}

static void pf_format(struct buf *out, struct json_object *v, int indent, int allowance, int level);

static void
pf_dict(struct buf *out, struct json_object *v, int indent, int allowance, int level)
{
	int n = json_object_object_length(v), i = 0;
	const char **keys = malloc(sizeof(*keys) * (size_t)(n ? n : 1));
	if (keys == NULL)
		return;
	json_object_object_foreach(v, k, val) {
		(void)val;
		keys[i++] = k;
	}
	qsort(keys, (size_t)n, sizeof(*keys), py_cmp_str);
	buf_putc(out, '{');
	indent += 1;
	for (i = 0; i < n && out->len <= PY_REPR_MAX; i++) {
		struct json_object *val = NULL;
		struct buf krep = {0};
		int last = i == n - 1;
		py_repr(&krep, keys[i], strlen(keys[i]));
		buf_append(out, krep.p, krep.len);
		buf_puts(out, ": ");
		json_object_object_get_ex(v, keys[i], &val);
		pf_format(out, val, indent + pf_len(krep.p, krep.len) + 2, last ? allowance + 1 : 1, level);
		buf_free(&krep);
		if (!last) {
			buf_putc(out, ',');
			pf_newline(out, indent);
		}
	}
	buf_putc(out, '}');
	free(keys);
}

static void
pf_list(struct buf *out, struct json_object *v, int indent, int allowance, int level)
{
	size_t n = json_object_array_length(v);
	buf_putc(out, '[');
	indent += 1;
	for (size_t i = 0; i < n && out->len <= PY_REPR_MAX; i++) {
		if (i) {
			buf_putc(out, ',');
			pf_newline(out, indent);
		}
		pf_format(out, json_object_array_get_idx(v, i), indent, i == n - 1 ? allowance + 1 : 1, level);
	}
	buf_putc(out, ']');
}

/* Appends repr(s[0..n)) as one chunk to chunks (a buf of NUL-separated
 * reprs). */
static void
pf_chunk(struct buf *chunks, const char *s, size_t n, int *count)
{
	py_repr(chunks, s, n);
	buf_append(chunks, "", 1);   /* NUL separator */
	(*count)++;
}

/* The width of repr(s[0..n)). */
static int
pf_repr_width(const char *s, size_t n)
{
	struct buf b = {0};
	py_repr(&b, s, n);
	int w = pf_len(b.p, b.len);
	buf_free(&b);
	return w;
}

/* A long string split at whitespace into adjacent literals. */
static void
pf_str(struct buf *out, const char *s, size_t n, int indent, int allowance, int level)
{
	if (n == 0) {
		buf_puts(out, "''");
		return;
	}
	if (level == 1) {
		indent += 1;
		allowance += 1;
	}
	struct buf chunks = {0};
	int nchunks = 0;
	int max_width = PF_WIDTH - indent;
	const char *line = s, *end = s + n;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *lend = nl ? nl + 1 : end;
		int last_line = lend == end;
		int max_width1 = max_width - (last_line ? allowance : 0);
		if (pf_repr_width(line, (size_t)(lend - line)) <= max_width1) {
			pf_chunk(&chunks, line, (size_t)(lend - line), &nchunks);
		} else {
			/* parts: non-space run then space run, as re.findall(r'\S*\s*') */
			const char *cur = line, *p = line;
			int max_width2 = max_width;
			while (p < lend) {
				const char *q = p;
				while (q < lend && !isspace((unsigned char)*q))
					q++;
				while (q < lend && isspace((unsigned char)*q))
					q++;
				if (q >= lend && last_line)
					max_width2 -= allowance;
				if (pf_repr_width(cur, (size_t)(q - cur)) > max_width2) {
					if (p > cur)
						pf_chunk(&chunks, cur, (size_t)(p - cur), &nchunks);
					cur = p;
				}
				p = q;
			}
			if (p > cur)
				pf_chunk(&chunks, cur, (size_t)(p - cur), &nchunks);
		}
		line = lend;
	}
	if (nchunks <= 1) {
		/* one chunk means one line: Python writes its repr */
		py_repr(out, s, n);
		buf_free(&chunks);
		return;
	}
	if (level == 1)
		buf_putc(out, '(');
	const char *c = chunks.p;
	for (int i = 0; i < nchunks; i++) {
		if (i)
			pf_newline(out, indent);
		buf_puts(out, c);
		c += strlen(c) + 1;
	}
	if (level == 1)
		buf_putc(out, ')');
	buf_free(&chunks);
}

static void
pf_format(struct buf *out, struct json_object *v, int indent, int allowance, int level)
{
	struct buf rep = {0};
	repr_value(&rep, v, 1, 0);
	int max_width = PF_WIDTH - indent - allowance;
	if (pf_len(rep.p ? rep.p : "", rep.len) > max_width && out->len <= PY_REPR_MAX) {
		switch (json_object_get_type(v)) {
		case json_type_object:
			buf_free(&rep);
			pf_dict(out, v, indent, allowance, level + 1);
			return;
		case json_type_array:
			buf_free(&rep);
			pf_list(out, v, indent, allowance, level + 1);
			return;
		case json_type_string:
			buf_free(&rep);
			pf_str(out, json_object_get_string(v), (size_t)json_object_get_string_len(v),
			       indent, allowance, level + 1);
			return;
		default:
			break;
		}
	}
	buf_append(out, rep.p ? rep.p : "", rep.len);
	buf_free(&rep);
}

void
py_pformat_json(struct buf *out, struct json_object *v)
{
	pf_format(out, v, 0, 0, 0);
}
