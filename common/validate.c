#include "validate.h"
#include "jschema.h"
#include "pytext.h"
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

const char *
jv_repr(struct ctx *c, struct json_object *v)
{
	return js_repr(c, v);
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
	if (maxlen && py_len(s, (size_t)json_object_get_string_len(v)) > maxlen)
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

const char *
jv_repr_sorted(struct ctx *c, struct json_object *v)
{
	return js_repr_sorted(c, v);
}
