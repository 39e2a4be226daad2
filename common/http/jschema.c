/* JSON Schema subset with python-jsonschema's error choice and wording.
 * See jschema.h.  The walk visits keywords in schema order, as jsonschema
 * iterates a schema dict, and keeps the most relevant error: the one
 * nearest the instance root, then one whose instance does not match its
 * schema's "type", the first such in visiting order (best_match). */
#include "jschema.h"
#include "../util/pytext.h"
#include "../util/pyjson.h"
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JS_MAXDEPTH 48

/* One step of a path: an object key or an array index. */
struct js_seg {
	const char *key;      /* NULL: index */
	size_t idx;
};

struct js_best {
	int found;
	int depth;            /* instance path length */
	int weak;             /* an anyOf error: others at its depth beat it */
	int mismatch;         /* instance does not match the schema's type */
	const char *keyword;
	const char *message;
	const char *schema_path;
	const char *inst_path;
	struct json_object *schema;
	struct json_object *inst;
	/* anyOf: the least relevant error of its subschemas, which best_match
	 * shows instead unless another error is exactly as little relevant */
	struct js_best *context;
	int context_tie;
};

struct js_run {
	struct ctx *c;
	struct js_seg spath[JS_MAXDEPTH * 2];
	int sdepth;
	struct js_seg ipath[JS_MAXDEPTH];
	int idepth;
	struct js_best best;
	int broken;           /* a regex did not compile */
	int worst;            /* keep the least relevant error (anyOf's context) */
	int tie;              /* worst: another error was as little relevant */
	int posix_end;        /* "$" only at the very end (JS_POSIX_END) */
};

static const char *
repr_in_arena(struct ctx *c, struct json_object *v, int sorted)
{
	struct buf b = {0};
	py_repr_json(&b, v, sorted);
	const char *s = arena_strdup(c->a, b.p ? b.p : "");
	buf_free(&b);
	return s ? s : "";
}

const char *
js_repr(struct ctx *c, struct json_object *v)
{
	return repr_in_arena(c, v, 0);
}

const char *
js_repr_sorted(struct ctx *c, struct json_object *v)
{
	return repr_in_arena(c, v, 1);
}

/* --- schema and regex caches (per process) --- */

struct schema_entry {
	const char *text;
	struct json_object *obj;
};
static struct schema_entry schema_cache[32];

/* The parsed schema for text (cached by address), or NULL if broken. */
static struct json_object *
schema_get(const char *text)
{
	for (size_t i = 0; i < sizeof(schema_cache) / sizeof(schema_cache[0]); i++) {
		if (schema_cache[i].text == text)
			return schema_cache[i].obj;
		if (schema_cache[i].text == NULL) {
			struct json_object *o = json_tokener_parse(text);
			if (o == NULL)
				return NULL;
			schema_cache[i].text = text;
			schema_cache[i].obj = o;
			return o;
		}
	}
	return json_tokener_parse(text);   /* cache full: leaks, never expected */
}

struct regex_entry {
	char *pattern;
	regex_t re;
	int ok;
};
static struct regex_entry regex_cache[32];

/* re.search(pattern, s): 1 match, 0 none, -1 pattern unusable. */
static int
regex_search(const char *pattern, const char *s)
{
	struct regex_entry *e = NULL;
	regex_t tmp;
	for (size_t i = 0; i < sizeof(regex_cache) / sizeof(regex_cache[0]); i++) {
		if (regex_cache[i].pattern == NULL) {
			e = &regex_cache[i];
			e->ok = regcomp(&e->re, pattern, REG_EXTENDED | REG_NOSUB) == 0;
			e->pattern = strdup(pattern);
			break;
		}
		if (strcmp(regex_cache[i].pattern, pattern) == 0) {
			e = &regex_cache[i];
			break;
		}
	}
	if (e == NULL) {
		if (regcomp(&tmp, pattern, REG_EXTENDED | REG_NOSUB) != 0)
			return -1;
		int m = regexec(&tmp, s, 0, NULL, 0) == 0;
		regfree(&tmp);
		return m;
	}
	if (!e->ok)
		return -1;
	return regexec(&e->re, s, 0, NULL, 0) == 0;
}

/* re.search(pattern, s) with Python's "$": it also matches just before a
 * final newline, which POSIX's does not (so "A\n" matches "^[A-Z]+$"
 * there, and the reference validates such a key as a class name).
 * 1 match, 0 none, -1 pattern unusable. */
static int
py_search(const struct js_run *r, const char *pattern, const char *s)
{
	int m = regex_search(pattern, s);
	size_t n = strlen(s);
	if (r->posix_end || m != 0 || n == 0 || s[n - 1] != '\n' || strchr(pattern, '$') == NULL)
		return m;
	char *cut = strndup(s, n - 1);
	if (cut == NULL)
		return -1;
	m = regex_search(pattern, cut);
	free(cut);
	return m;
}

/* JSON equality as jsonschema's uniqueItems sees it: 1 == 1.0, but
 * true is not 1; objects and arrays compare deeply. */
static int
json_equal(struct json_object *a, struct json_object *b)
{
	enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
	int na = ta == json_type_int || ta == json_type_double;
	int nb = tb == json_type_int || tb == json_type_double;
	if (na && nb) {
		if (ta == json_type_int && tb == json_type_int)
			return json_object_get_int64(a) == json_object_get_int64(b);
		return json_object_get_double(a) == json_object_get_double(b);
	}
	if (ta != tb)
		return 0;
	switch (ta) {
	case json_type_null:
		return 1;
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_string:
		return json_object_get_string_len(a) == json_object_get_string_len(b) &&
		       memcmp(json_object_get_string(a), json_object_get_string(b),
		              (size_t)json_object_get_string_len(a)) == 0;
	case json_type_array: {
		size_t n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!json_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
				return 0;
		return 1;
	}
	case json_type_object: {
		if (json_object_object_length(a) != json_object_object_length(b))
			return 0;
		json_object_object_foreach(a, k, va) {
			struct json_object *vb;
			if (!json_object_object_get_ex(b, k, &vb) || !json_equal(va, vb))
				return 0;
		}
		return 1;
	}
	default:
		return 0;
	}
}

/* uniqueItems: 1 if two items of the list are equal. */
static int
has_duplicates(struct json_object *list)
{
	size_t n = json_object_array_length(list);
	/* The usual case, a list of strings: sort and compare neighbours, so
	 * a long list costs n log n, not n squared. */
	const char **strs = n > 1 ? malloc(n * sizeof(*strs)) : NULL;
	size_t ns = 0;
	for (size_t i = 0; strs != NULL && i < n; i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		if (!json_object_is_type(v, json_type_string))
			break;
		strs[ns++] = json_object_get_string(v);
	}
	if (strs != NULL && ns == n) {
		int dup = 0;
		qsort(strs, n, sizeof(*strs), py_cmp_str);
		for (size_t i = 1; i < n && !dup; i++)
			dup = strcmp(strs[i - 1], strs[i]) == 0;
		free(strs);
		return dup;
	}
	free(strs);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (json_equal(json_object_array_get_idx(list, i), json_object_array_get_idx(list, j)))
				return 1;
	return 0;
}

/* --- type checks as jsonschema's draft 2020-12 type checker --- */

static int
is_integral_double(struct json_object *v)
{
	double d = json_object_get_double(v);
	return isfinite(d) && floor(d) == d;
}

static int
type_is(struct json_object *v, const char *type)
{
	enum json_type t = json_object_get_type(v);
	if (strcmp(type, "object") == 0)
		return t == json_type_object;
	if (strcmp(type, "array") == 0)
		return t == json_type_array;
	if (strcmp(type, "string") == 0)
		return t == json_type_string;
	if (strcmp(type, "integer") == 0)
		return t == json_type_int || (t == json_type_double && is_integral_double(v));
	if (strcmp(type, "number") == 0)
		return t == json_type_int || t == json_type_double;
	if (strcmp(type, "null") == 0)
		return t == json_type_null;
	if (strcmp(type, "boolean") == 0)
		return t == json_type_boolean;
	return 0;
}

/* Whether v matches the "type" keyword value (a name or a list). */
static int
type_matches(struct json_object *v, struct json_object *type)
{
	if (json_object_is_type(type, json_type_string))
		return type_is(v, json_object_get_string(type));
	if (json_object_is_type(type, json_type_array)) {
		size_t n = json_object_array_length(type);
		for (size_t i = 0; i < n; i++) {
			struct json_object *t = json_object_array_get_idx(type, i);
			if (json_object_is_type(t, json_type_string) && type_is(v, json_object_get_string(t)))
				return 1;
		}
	}
	return 0;
}

static double
num_value(struct json_object *v)
{
	if (json_object_is_type(v, json_type_int))
		return (double)json_object_get_int64(v);
	return json_object_get_double(v);
}

/* Python's len() of a JSON string (code points, NULs included). */
static size_t
str_len(struct json_object *v)
{
	return py_len(json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

/* --- the walk --- */

static const char *
format_path(struct ctx *c, const char *root, const struct js_seg *segs, int n)
{
	struct buf b = {0};
	buf_puts(&b, root);
	for (int i = 0; i < n; i++) {
		buf_putc(&b, '[');
		if (segs[i].key)
			py_repr(&b, segs[i].key, strlen(segs[i].key));
		else
			buf_printf(&b, "%zu", segs[i].idx);
		buf_putc(&b, ']');
	}
	const char *s = arena_strdup(c->a, b.p ? b.p : root);
	buf_free(&b);
	return s;
}

/* Whether an error of schema about inst would beat the best so far
 * (more relevant: nearer the root, then an instance of the wrong type). */
/* jsonschema's relevance of an error, compared with the best's: <0 less
 * relevant, 0 as relevant, >0 more (nearer the root; then not a weak
 * keyword (anyOf); then an instance of the wrong type). */
static int
js_relevance_cmp(int depth, int weak, int mismatch, const struct js_best *b)
{
	if (depth != b->depth)
		return depth < b->depth ? 1 : -1;
	if (weak != b->weak)
		return weak ? -1 : 1;
	return mismatch - b->mismatch;
}

static int
is_weak(const char *keyword)
{
	return strcmp(keyword, "anyOf") == 0;
}

/* Whether an error of schema about inst by keyword would replace the one
 * kept: best_match keeps the first of the most relevant; an anyOf's
 * context keeps the first of the least relevant. */
static int
js_would_keep(struct js_run *r, struct json_object *schema, struct json_object *inst,
              const char *keyword)
{
	struct json_object *type = NULL;
	int mismatch = !json_object_object_get_ex(schema, "type", &type) || !type_matches(inst, type);
	const struct js_best *b = &r->best;
	if (!b->found)
		return 1;
	int cmp = js_relevance_cmp(r->idepth, is_weak(keyword), mismatch, b);
	return r->worst ? cmp <= 0 : cmp > 0;
}

/* Offers an error; kept if more relevant than the best so far. */
static void
js_error(struct js_run *r, struct json_object *schema, struct json_object *inst,
         const char *keyword, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
js_error(struct js_run *r, struct json_object *schema, struct json_object *inst,
         const char *keyword, const char *fmt, ...)
{
	struct json_object *type = NULL;
	int mismatch = !json_object_object_get_ex(schema, "type", &type) || !type_matches(inst, type);
	struct js_best *b = &r->best;
	if (!js_would_keep(r, schema, inst, keyword))
		return;
	if (r->worst && b->found) {
		/* as little relevant as the one kept: it stays, but best_match
		 * then shows the anyOf error itself */
		if (js_relevance_cmp(r->idepth, is_weak(keyword), mismatch, b) == 0) {
			r->tie = 1;
			return;
		}
		r->tie = 0;
	}
	va_list ap;
	va_start(ap, fmt);
	b->message = arena_vprintf(r->c->a, fmt, ap);
	va_end(ap);
	b->found = 1;
	b->depth = r->idepth;
	b->weak = is_weak(keyword);
	b->mismatch = mismatch;
	b->context = NULL;
	b->keyword = keyword;
	b->schema_path = format_path(r->c, "schema", r->spath, r->sdepth);
	b->inst_path = format_path(r->c, "instance", r->ipath, r->idepth);
	b->schema = schema;
	b->inst = inst;
}

static void js_walk(struct js_run *r, struct json_object *schema, struct json_object *inst);

/* Validates inst against sub, one step deeper on both paths. */
static void
js_descend(struct js_run *r, struct json_object *sub, struct json_object *inst,
           const char *skey1, const char *skey2, const char *ikey, size_t iidx)
{
	if (r->idepth >= JS_MAXDEPTH || r->sdepth + 2 > JS_MAXDEPTH * 2)
		return;
	int sd = r->sdepth;
	r->spath[r->sdepth++] = (struct js_seg){skey1, 0};
	if (skey2)
		r->spath[r->sdepth++] = (struct js_seg){skey2, 0};
	r->ipath[r->idepth++] = (struct js_seg){ikey, iidx};
	js_walk(r, sub, inst);
	r->idepth--;
	r->sdepth = sd;
}

/* The keys of inst that neither "properties" nor "patternProperties" of
 * schema cover, in instance order (NULL-terminated, arena). */
static const char **
extra_keys(struct js_run *r, struct json_object *schema, struct json_object *inst, int *n)
{
	struct json_object *props = NULL, *pats = NULL;
	json_object_object_get_ex(schema, "properties", &props);
	json_object_object_get_ex(schema, "patternProperties", &pats);
	int len = json_object_object_length(inst);
	const char **out = arena_alloc(r->c->a, sizeof(*out) * (size_t)(len + 1));
	*n = 0;
	if (out == NULL)
		return NULL;
	json_object_object_foreach(inst, k, v) {
		(void)v;
		if (json_object_is_type(props, json_type_object) && json_object_object_get_ex(props, k, NULL))
			continue;
		int matched = 0;
		if (json_object_is_type(pats, json_type_object)) {
			json_object_object_foreach(pats, pat, sub) {
				(void)sub;
				int m = py_search(r, pat, k);
				if (m < 0)
					r->broken = 1;
				if (m > 0) {
					matched = 1;
					break;
				}
			}
		}
		if (!matched)
			out[(*n)++] = k;
	}
	out[*n] = NULL;
	return out;
}

static void
kw_additional(struct js_run *r, struct json_object *schema, struct json_object *ap,
              struct json_object *inst)
{
	int n;
	const char **extras = extra_keys(r, schema, inst, &n);
	if (extras == NULL || n == 0)
		return;
	if (json_object_is_type(ap, json_type_object)) {
		for (int i = 0; i < n; i++) {
			struct json_object *v = NULL;
			json_object_object_get_ex(inst, extras[i], &v);
			js_descend(r, ap, v, "additionalProperties", NULL, extras[i], 0);
		}
		return;
	}
	if (!json_object_is_type(ap, json_type_boolean) || json_object_get_boolean(ap) ||
	    !js_would_keep(r, schema, inst, "additionalProperties"))
		return;
	/* names and patterns sorted, as the reference words it */
	struct buf b = {0};
	struct json_object *pats = NULL;
	if (json_object_object_get_ex(schema, "patternProperties", &pats)) {
		qsort(extras, (size_t)n, sizeof(*extras), py_cmp_str);
		for (int i = 0; i < n; i++) {
			if (i)
				buf_puts(&b, ", ");
			py_repr(&b, extras[i], strlen(extras[i]));
		}
		buf_printf(&b, " %s not match any of the regexes: ", n == 1 ? "does" : "do");
		int np = json_object_object_length(pats), i = 0;
		const char **keys = arena_alloc(r->c->a, sizeof(*keys) * (size_t)(np + 1));
		if (keys != NULL) {
			json_object_object_foreach(pats, pk, pv) {
				(void)pv;
				keys[i++] = pk;
			}
			qsort(keys, (size_t)np, sizeof(*keys), py_cmp_str);
			for (i = 0; i < np; i++) {
				if (i)
					buf_puts(&b, ", ");
				py_repr(&b, keys[i], strlen(keys[i]));
			}
		}
	} else {
		qsort(extras, (size_t)n, sizeof(*extras), py_cmp_str);
		buf_puts(&b, "Additional properties are not allowed (");
		for (int i = 0; i < n; i++) {
			if (i)
				buf_puts(&b, ", ");
			py_repr(&b, extras[i], strlen(extras[i]));
		}
		buf_printf(&b, " %s unexpected)", n == 1 ? "was" : "were");
	}
	js_error(r, schema, inst, "additionalProperties", "%s", b.p ? b.p : "");
	buf_free(&b);
}

/* anyOf: valid when a subschema holds.  Otherwise one error, weak in
 * best_match's eyes, whose context is every error of every subschema
 * (paths relative to the anyOf: "schema[0]", "instance"); only the least
 * relevant of them is kept, as best_match descends to it. */
static void
kw_any_of(struct js_run *r, struct json_object *schema, struct json_object *subs,
          struct json_object *inst, int keep)
{
	if (!json_object_is_type(subs, json_type_array))
		return;
	size_t n = json_object_array_length(subs);
	struct js_run *sub = arena_alloc(r->c->a, sizeof(*sub));
	if (sub == NULL) {
		r->broken = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		memset(sub, 0, sizeof(*sub));
		sub->c = r->c;
		sub->posix_end = r->posix_end;
		js_walk(sub, json_object_array_get_idx(subs, i), inst);
		r->broken |= sub->broken;
		if (!sub->best.found)
			return;          /* this subschema holds */
	}
	if (!keep)
		return;
	memset(sub, 0, sizeof(*sub));
	sub->c = r->c;
	sub->posix_end = r->posix_end;
	sub->worst = 1;
	for (size_t i = 0; i < n; i++) {
		sub->spath[0] = (struct js_seg){NULL, i};
		sub->sdepth = 1;
		js_walk(sub, json_object_array_get_idx(subs, i), inst);
	}
	const char *before = r->best.message;
	js_error(r, schema, inst, "anyOf", "%s is not valid under any of the given schemas",
	         js_repr(r->c, inst));
	if (r->best.message == before || !sub->best.found)
		return;                  /* not kept */
	r->best.context = arena_alloc(r->c->a, sizeof(*r->best.context));
	if (r->best.context != NULL)
		*r->best.context = sub->best;
	r->best.context_tie = sub->tie;
}

/* The keywords of objects; 1 when kw is one of them. */
static int
kw_object(struct js_run *r, struct json_object *schema, const char *kw,
          struct json_object *val, struct json_object *inst, int keep)
{
	enum json_type it = json_object_get_type(inst);
	if (strcmp(kw, "properties") == 0) {
		if (it != json_type_object || !json_object_is_type(val, json_type_object))
			return 1;
		json_object_object_foreach(val, p, sub) {
			struct json_object *v = NULL;
			if (json_object_object_get_ex(inst, p, &v))
				js_descend(r, sub, v, "properties", p, p, 0);
		}
	} else if (strcmp(kw, "patternProperties") == 0) {
		if (it != json_type_object || !json_object_is_type(val, json_type_object))
			return 1;
		json_object_object_foreach(val, pat, sub) {
			json_object_object_foreach(inst, k, v) {
				int m = py_search(r, pat, k);
				if (m < 0)
					r->broken = 1;
				if (m > 0)
					js_descend(r, sub, v, "patternProperties", pat, k, 0);
			}
		}
	} else if (strcmp(kw, "additionalProperties") == 0) {
		if (it == json_type_object)
			kw_additional(r, schema, val, inst);
	} else if (strcmp(kw, "required") == 0) {
		if (!keep || it != json_type_object || !json_object_is_type(val, json_type_array))
			return 1;
		size_t n = json_object_array_length(val);
		for (size_t i = 0; i < n; i++) {
			const char *p = json_object_get_string(json_object_array_get_idx(val, i));
			if (p && !json_object_object_get_ex(inst, p, NULL)) {
				struct buf b = {0};
				py_repr(&b, p, strlen(p));
				js_error(r, schema, inst, kw, "%s is a required property", b.p);
				buf_free(&b);
			}
		}
	} else if (strcmp(kw, "minProperties") == 0) {
		if (keep && it == json_type_object && json_object_object_length(inst) < json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s does not have enough properties", js_repr(r->c, inst));
	} else if (strcmp(kw, "maxProperties") == 0) {
		if (keep && it == json_type_object && json_object_object_length(inst) > json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s has too many properties", js_repr(r->c, inst));
	} else {
		return 0;
	}
	return 1;
}

/* The keywords of arrays; 1 when kw is one of them. */
static int
kw_array(struct js_run *r, struct json_object *schema, const char *kw,
         struct json_object *val, struct json_object *inst, int keep)
{
	enum json_type it = json_object_get_type(inst);
	if (strcmp(kw, "items") == 0) {
		if (it != json_type_array || !json_object_is_type(val, json_type_object))
			return 1;
		size_t n = json_object_array_length(inst);
		for (size_t i = 0; i < n; i++)
			js_descend(r, val, json_object_array_get_idx(inst, i), "items", NULL, NULL, i);
	} else if (strcmp(kw, "uniqueItems") == 0) {
		if (keep && it == json_type_array && json_object_get_boolean(val) && has_duplicates(inst))
			js_error(r, schema, inst, kw, "%s has non-unique elements", js_repr(r->c, inst));
	} else if (strcmp(kw, "minItems") == 0) {
		if (keep && it == json_type_array && json_object_array_length(inst) < (size_t)json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s is too short", js_repr(r->c, inst));
	} else if (strcmp(kw, "maxItems") == 0) {
		if (keep && it == json_type_array && json_object_array_length(inst) > (size_t)json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s is too long", js_repr(r->c, inst));
	} else {
		return 0;
	}
	return 1;
}

/* The keywords of numbers and strings, and enum; 1 when kw is one of them. */
static int
kw_scalar(struct js_run *r, struct json_object *schema, const char *kw,
          struct json_object *val, struct json_object *inst, int keep)
{
	enum json_type it = json_object_get_type(inst);
	int is_num = it == json_type_int || it == json_type_double;
	if (strcmp(kw, "minimum") == 0) {
		if (keep && is_num && num_value(inst) < num_value(val))
			js_error(r, schema, inst, kw, "%s is less than the minimum of %s",
			         js_repr(r->c, inst), js_repr(r->c, val));
	} else if (strcmp(kw, "maximum") == 0) {
		if (keep && is_num && num_value(inst) > num_value(val))
			js_error(r, schema, inst, kw, "%s is greater than the maximum of %s",
			         js_repr(r->c, inst), js_repr(r->c, val));
	} else if (strcmp(kw, "minLength") == 0) {
		if (keep && it == json_type_string && str_len(inst) < (size_t)json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s is too short", js_repr(r->c, inst));
	} else if (strcmp(kw, "maxLength") == 0) {
		if (keep && it == json_type_string && str_len(inst) > (size_t)json_object_get_int(val))
			js_error(r, schema, inst, kw, "%s is too long", js_repr(r->c, inst));
	} else if (strcmp(kw, "pattern") == 0) {
		if (!keep || it != json_type_string)
			return 1;
		int m = py_search(r, json_object_get_string(val), json_object_get_string(inst));
		if (m < 0)
			r->broken = 1;
		if (m == 0)
			js_error(r, schema, inst, kw, "%s does not match %s",
			         js_repr(r->c, inst), js_repr(r->c, val));
	} else if (strcmp(kw, "format") == 0) {
		/* non-strings fail too, as is_uuid_like() refuses them */
		if (keep && strcmp(json_object_get_string(val), "uuid") == 0 &&
		    (it != json_type_string || !py_uuid_like(json_object_get_string(inst), NULL)))
			js_error(r, schema, inst, kw, "%s is not a %s", js_repr(r->c, inst), js_repr(r->c, val));
	} else if (strcmp(kw, "enum") == 0) {
		if (!keep || !json_object_is_type(val, json_type_array))
			return 1;
		size_t n = json_object_array_length(val);
		for (size_t i = 0; i < n; i++)
			if (json_object_equal(json_object_array_get_idx(val, i), inst))
				return 1;
		js_error(r, schema, inst, kw, "%s is not one of %s", js_repr(r->c, inst), js_repr(r->c, val));
	} else {
		return 0;
	}
	return 1;
}

/* One keyword of schema applied to inst (keywords this engine does not
 * know are ignored, as jsonschema ignores unknown ones). */
static void
js_keyword(struct js_run *r, struct json_object *schema, const char *kw,
           struct json_object *val, struct json_object *inst)
{
	/* Messages are built only for an error that would be kept: a big
	 * body full of errors must not cost a repr per error. */
	int keep = js_would_keep(r, schema, inst, kw);
	if (strcmp(kw, "type") == 0) {
		if (!keep || type_matches(inst, val))
			return;
		struct buf b = {0};
		if (json_object_is_type(val, json_type_array)) {
			size_t n = json_object_array_length(val);
			for (size_t i = 0; i < n; i++) {
				if (i)
					buf_puts(&b, ", ");
				py_repr_json(&b, json_object_array_get_idx(val, i), 0);
			}
		} else {
			py_repr_json(&b, val, 0);
		}
		js_error(r, schema, inst, kw, "%s is not of type %s", js_repr(r->c, inst), b.p ? b.p : "");
		buf_free(&b);
	} else if (strcmp(kw, "anyOf") == 0) {
		kw_any_of(r, schema, val, inst, keep);
	} else if (!kw_object(r, schema, kw, val, inst, keep) && !kw_array(r, schema, kw, val, inst, keep)) {
		kw_scalar(r, schema, kw, val, inst, keep);
	}
}

static void
js_walk(struct js_run *r, struct json_object *schema, struct json_object *inst)
{
	if (!json_object_is_type(schema, json_type_object))
		return;
	json_object_object_foreach(schema, kw, val)
		js_keyword(r, schema, kw, val, inst);
}

static const char *
pformat(struct ctx *c, struct json_object *v)
{
	struct buf b = {0};
	py_pformat_json(&b, v);
	const char *s = arena_strdup(c->a, b.p ? b.p : "");
	buf_free(&b);
	return s ? s : "";
}

int
js_validate(struct ctx *c, const char *schema_text, struct json_object *instance)
{
	return js_validate_flags(c, schema_text, instance, 0);
}

int
js_validate_query(struct ctx *c, const char *schema_text)
{
	/* dict(req.GET): each key once, where it first appears, with its
	 * last value */
	struct json_object *q = json_object_new_object();
	if (q == NULL)
		return fail_oom(c);
	for (int i = 0; i < c->nq; i++) {
		if (json_object_object_get_ex(q, c->q[i].key, NULL))
			continue;
		const char *v = q_last(c, c->q[i].key);
		json_object_object_add(q, c->q[i].key, json_object_new_string(v ? v : ""));
	}
	int rc = js_validate_flags(c, schema_text, q, JS_QUERY);
	json_object_put(q);
	return rc;
}

int
js_validate_flags(struct ctx *c, const char *schema_text, struct json_object *instance, int flags)
{
	struct json_object *schema = schema_get(schema_text);
	if (schema == NULL)
		return fail(c, 500, ERR_UNDEFINED, "Internal schema error.");
	struct js_run *r = arena_alloc(c->a, sizeof(*r));
	if (r == NULL)
		return fail_oom(c);
	r->c = c;
	r->posix_end = (flags & JS_POSIX_END) != 0;
	js_walk(r, schema, instance);
	if (r->broken)
		return fail(c, 500, ERR_UNDEFINED, "Internal schema error.");
	if (!r->best.found)
		return 0;
	/* str(ValidationError), its newlines shown as spaces as the
	 * reference's error page does. */
	struct js_best *b = &r->best;
	if (b->context != NULL && !b->context_tie)
		b = b->context;
	return fail(c, 400, ERR_UNDEFINED,
	            "%s: %s  Failed validating '%s' in %s:     %s  On %s:     %s",
	            flags & JS_QUERY ? "Invalid query string parameters" : "JSON does not validate",
	            b->message, b->keyword, b->schema_path, pformat(c, b->schema),
	            b->inst_path, pformat(c, b->inst));
}

int
js_integer(struct json_object *v, long long *out, int *fits)
{
	*fits = 1;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return 1;
	}
	if (!json_object_is_type(v, json_type_double))
		return 0;
	double d = json_object_get_double(v);
	if (d != d || d - d != 0)          /* NaN, infinities */
		return 0;
	if (d > -9.2e18 && d < 9.2e18) {
		*out = (long long)d;
		return (double)*out == d;
	}
	*fits = 0;
	return 1;
}
