#include "validate.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
jv_fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(c->a, fmt, ap);
	va_end(ap);
	return fail(c, 400, ERR_UNDEFINED, "JSON does not validate: %s", msg ? msg : "");
}

/* A string as Python's repr() shows it: single quotes unless it holds a
 * single quote and no double quote; backslash escapes for the quote,
 * backslash and ASCII control characters. */
static void
repr_str(struct buf *b, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	buf_putc(b, q);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == (unsigned char)q || ch == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, *s);
		} else if (ch == '\n') {
			buf_puts(b, "\\n");
		} else if (ch == '\r') {
			buf_puts(b, "\\r");
		} else if (ch == '\t') {
			buf_puts(b, "\\t");
		} else if (ch < 0x20 || ch == 0x7f) {
			buf_printf(b, "\\x%02x", ch);
		} else {
			buf_putc(b, *s);
		}
	}
	buf_putc(b, q);
}

static void
repr(struct buf *b, struct json_object *v, int depth)
{
	if (depth > 16) {
		buf_puts(b, "...");
		return;
	}
	switch (json_object_get_type(v)) {
	case json_type_null: buf_puts(b, "None"); break;
	case json_type_boolean: buf_puts(b, json_object_get_boolean(v) ? "True" : "False"); break;
	case json_type_int: buf_puts(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)); break;
	case json_type_double: buf_json_double(b, json_object_get_double(v)); break;
	case json_type_string:
		repr_str(b, json_object_get_string(v));
		break;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		buf_putc(b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_puts(b, ", ");
			repr(b, json_object_array_get_idx(v, i), depth + 1);
		}
		buf_putc(b, ']');
		break;
	}
	case json_type_object: {
		int first = 1;
		buf_putc(b, '{');
		json_object_object_foreach(v, k, val) {
			if (!first)
				buf_puts(b, ", ");
			first = 0;
			repr_str(b, k);
			buf_puts(b, ": ");
			repr(b, val, depth + 1);
		}
		buf_putc(b, '}');
		break;
	}
	}
}

const char *
jv_repr(struct ctx *c, struct json_object *v)
{
	struct buf b = {0};
	repr(&b, v, 0);
	char *s = arena_strdup(c->a, b.p ? b.p : "");
	buf_free(&b);
	return s ? s : "";
}

static const char *
type_name(struct json_object *v)
{
	(void)v;
	return "";
}

int
jv_object(struct ctx *c, struct json_object *obj)
{
	(void)type_name;
	if (!json_object_is_type(obj, json_type_object))
		return jv_fail(c, "%s is not of type 'object'", jv_repr(c, obj));
	return 0;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int
jv_no_extra(struct ctx *c, struct json_object *obj, const char *const *allowed)
{
	struct buf b = {0};
	const char **extra;
	int n = 0;
	/* jsonschema names the unexpected keys sorted. */
	extra = arena_alloc(c->a, sizeof(*extra) * (size_t)(json_object_object_length(obj) + 1));
	if (extra == NULL)
		return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
	json_object_object_foreach(obj, k, v) {
		(void)v;
		if (in_list(allowed, k))
			continue;
		int i = n++;
		while (i > 0 && strcmp(extra[i - 1], k) > 0) {
			extra[i] = extra[i - 1];
			i--;
		}
		extra[i] = k;
	}
	if (n == 0)
		return 0;
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s'%s'", i ? ", " : "", extra[i]);
	char *list = arena_strdup(c->a, b.p ? b.p : "");
	buf_free(&b);
	return jv_fail(c, "Additional properties are not allowed (%s %s unexpected)",
	               list ? list : "", n == 1 ? "was" : "were");
}

int
jv_required(struct ctx *c, struct json_object *obj, const char *const *required)
{
	for (; required && *required; required++)
		if (!json_object_object_get_ex(obj, *required, NULL))
			return jv_fail(c, "'%s' is a required property", *required);
	return 0;
}

/* Characters, not bytes: jsonschema's maxLength counts code points. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int
jv_string(struct ctx *c, struct json_object *obj, const char *key,
          size_t maxlen, int nullable, const char **out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (v == NULL && nullable) {
		*out = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return jv_fail(c, "%s is not of type 'string'%s", jv_repr(c, v),
		               nullable ? ", 'null'" : "");
	const char *s = json_object_get_string(v);
	if (maxlen && utf8_chars(s) > maxlen)
		return jv_fail(c, "%s is too long", jv_repr(c, v));
	*out = s;
	return 0;
}

int
jv_int(struct ctx *c, struct json_object *obj, const char *key,
       long long min, long long max, long long *out)
{
	struct json_object *v;
	long long n;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (json_object_is_type(v, json_type_double)) {
		/* jsonschema counts a float with no fraction (1.0) as an integer. */
		double d = json_object_get_double(v);
		if (!isfinite(d) || floor(d) != d)
			return jv_fail(c, "%s is not of type 'integer'", jv_repr(c, v));
		if (d > (double)max)
			return jv_fail(c, "%s is greater than the maximum of %lld", jv_repr(c, v), max);
		if (d < (double)min)
			return jv_fail(c, "%s is less than the minimum of %lld", jv_repr(c, v), min);
		*out = (long long)d;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return jv_fail(c, "%s is not of type 'integer'", jv_repr(c, v));
	errno = 0;
	n = json_object_get_int64(v);
	/* json-c saturates out-of-range integers; its text shows the truth. */
	const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%lld", n);
	int saturated = strcmp(tmp, text) != 0;
	if ((saturated && n > 0) || n > max)
		return jv_fail(c, "%s is greater than the maximum of %lld", text, max);
	if (saturated || n < min)
		return jv_fail(c, "%s is less than the minimum of %lld", text, min);
	*out = n;
	return 0;
}

int
jv_number(struct ctx *c, struct json_object *obj, const char *key,
          double min, double max, double *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
		return jv_fail(c, "%s is not of type 'number'", jv_repr(c, v));
	double d = json_object_get_double(v);
	if (!isfinite(d) || d > max) {
		struct buf b = {0};
		buf_json_double(&b, max);
		const char *m = arena_strdup(c->a, b.p);
		buf_free(&b);
		return jv_fail(c, "%s is greater than the maximum of %s", jv_repr(c, v), m ? m : "");
	}
	if (d < min) {
		struct buf b = {0};
		buf_json_double(&b, min);
		const char *m = arena_strdup(c->a, b.p);
		buf_free(&b);
		return jv_fail(c, "%s is less than the minimum of %s", jv_repr(c, v), m ? m : "");
	}
	*out = d;
	return 0;
}

int
jv_uuid(struct ctx *c, struct json_object *obj, const char *key,
        int nullable, char out[37], int *is_null)
{
	struct json_object *v;
	if (is_null)
		*is_null = 0;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (v == NULL && nullable) {
		if (is_null)
			*is_null = 1;
		return 0;
	}
	/* The one nullable uuid of the reference (parent_provider_uuid) is an
	 * anyOf of a uuid string and null. */
	if (!json_object_is_type(v, json_type_string) && nullable)
		return jv_fail(c, "%s is not valid under any of the given schemas", jv_repr(c, v));
	if (!json_object_is_type(v, json_type_string))
		return jv_fail(c, "%s is not of type 'string'", jv_repr(c, v));
	if (uuid_normalize(json_object_get_string(v), out) < 0)
		return jv_fail(c, "%s is not a 'uuid'", jv_repr(c, v));
	return 0;
}

static int
cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A copy of v with object keys in sorted order (new reference). */
static struct json_object *
sorted_copy(struct json_object *v, int depth)
{
	if (depth > 32)
		return json_object_get(v);
	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; arr && i < n; i++)
			json_object_array_add(arr, sorted_copy(json_object_array_get_idx(v, i), depth + 1));
		return arr;
	}
	if (!json_object_is_type(v, json_type_object))
		return json_object_get(v);
	int n = json_object_object_length(v), i = 0;
	const char **keys = malloc(sizeof(*keys) * (size_t)(n ? n : 1));
	struct json_object *obj = json_object_new_object();
	if (keys == NULL || obj == NULL) {
		free(keys);
		json_object_put(obj);
		return json_object_get(v);
	}
	json_object_object_foreach(v, k, val) {
		(void)val;
		keys[i++] = k;
	}
	qsort(keys, (size_t)n, sizeof(*keys), cmp_key);
	for (i = 0; i < n; i++) {
		struct json_object *val = NULL;
		json_object_object_get_ex(v, keys[i], &val);
		json_object_object_add(obj, keys[i], sorted_copy(val, depth + 1));
	}
	free(keys);
	return obj;
}

const char *
jv_repr_sorted(struct ctx *c, struct json_object *v)
{
	struct json_object *s = sorted_copy(v, 0);
	const char *r = jv_repr(c, s);
	json_object_put(s);
	return r;
}
