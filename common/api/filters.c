/* The shared query filters; see filters.h. */
#include "filters.h"
#include "../util/pytext.h"
#include <string.h>

/* Python's split into a counted, NULL-terminated list; -1 when out of
 * memory. */
static int
split(struct arena *a, const char *s, char sep, struct rp_strlist *out)
{
	out->v = py_split(a, s, sep, &out->n);
	return out->v != NULL ? 0 : -1;
}

/* Appends name to a counted, NULL-terminated list unless it is there. */
static int
add_name(struct arena *a, struct rp_strlist *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 0;
	const char **v = arena_alloc(a, sizeof(char *) * (size_t)(l->n + 2));
	if (v == NULL)
		return -1;
	if (l->n)
		memcpy(v, l->v, sizeof(char *) * (size_t)l->n);
	v[l->n++] = name;
	v[l->n] = NULL;
	l->v = v;
	return 0;
}

/* Appends a clause to f. */
static int
add_clause(struct arena *a, struct name_filter *f, struct rp_strlist clause)
{
	struct rp_strlist *any = arena_alloc(a, sizeof(*any) * (size_t)(f->nany + 1));
	if (any == NULL)
		return -1;
	if (f->nany)
		memcpy(any, f->any, sizeof(*any) * (size_t)f->nany);
	any[f->nany++] = clause;
	f->any = any;
	return 0;
}

int
filter_member_of(struct ctx *c, const char *suffix, struct name_filter *out)
{
	memset(out, 0, sizeof(*out));
	const char *key = arena_printf(c->a, "member_of%s", suffix);
	if (key == NULL)
		return fail_oom(c);
	if (c->mv < 24 && q_count(c, key) > 1)
		return fail(c, 400, ERR_UNDEFINED, "Multiple member_of%s parameters are not supported", suffix);
	for (int i = 0; i < c->nq; i++) {
		if (strcmp(c->q[i].key, key) != 0)
			continue;
		const char *v = c->q[i].value, *list = v;
		int forbidden = 0;
		if (strchr(v, ',') && strncmp(v, "in:", 3) != 0 && strncmp(v, "!in:", 4) != 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' "
			            "keyword using the valid microversion. Got: %s", v);
		if (strncmp(v, "!in:", 4) == 0)
			forbidden = 1, list = v + 4;
		else if (v[0] == '!')
			forbidden = 1, list = v + 1;
		else if (strncmp(v, "in:", 3) == 0)
			list = v + 3;
		struct rp_strlist items, clause = {0};
		if (split(c->a, list, ',', &items) < 0)
			return fail_oom(c);
		for (int k = 0; k < items.n; k++) {
			if (!is_uuid(items.v[k]))
				return fail(c, 400, ERR_UNDEFINED,
				            "Invalid query string parameters: Expected 'member_of' parameter to "
				            "contain valid UUID(s). Got: %s", items.v[k]);
			if (add_name(c->a, &clause, items.v[k]) < 0)
				return fail_oom(c);
		}
		if (!forbidden) {
			if (add_clause(c->a, out, clause) < 0)
				return fail_oom(c);
			continue;
		}
		if (c->mv < 32)
			return fail(c, 400, ERR_UNDEFINED,
			            "Forbidden member_of%s parameters are not supported in the specified microversion",
			            suffix);
		for (int k = 0; k < clause.n; k++)
			if (add_name(c->a, &out->forbidden, clause.v[k]) < 0)
				return fail_oom(c);
	}
	return 0;
}

/* "in:A,B": one any-of clause. */
static int
traits_any_of(struct ctx *c, const char *val, struct name_filter *out)
{
	struct rp_strlist items, clause = {0};
	int bang = 0;
	if (split(c->a, val + 3, ',', &items) < 0)
		return fail_oom(c);
	for (int i = 0; i < items.n; i++) {
		char *t = py_strip(c->a, items.v[i]);
		if (t == NULL)
			return fail_oom(c);
		if (t[0] == '\0')
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid query string parameters: Expected 'required' parameter value "
			            "of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: %s", val);
		bang |= t[0] == '!';
		if (add_name(c->a, &clause, t) < 0)
			return fail_oom(c);
	}
	if (bang)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' "
		            "does not support forbidden traits. Got: %s", val);
	return add_clause(c->a, out, clause) < 0 ? fail_oom(c) : 0;
}

int
filter_traits_value(struct ctx *c, const char *val, int allow_forbidden, int allow_any,
                    struct name_filter *out)
{
	if (strncmp(val, "in:", 3) == 0) {
		if (!allow_any)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' "
			            "only supported since microversion 1.39. Got: %s", val);
		return traits_any_of(c, val, out);
	}
	struct rp_strlist items;
	if (split(c->a, val, ',', &items) < 0)
		return fail_oom(c);
	int any_forbidden = 0, empty = 0;
	for (int i = 0; i < items.n; i++) {
		const char *t = items.v[i] = py_strip(c->a, items.v[i]);
		if (t == NULL)
			return fail_oom(c);
		if (t[0] == '!') {
			/* any run of '!' is one negation (as the reference reads it) */
			any_forbidden = 1;
			while (*t == '!')
				t++;
		}
		empty |= t[0] == '\0';
	}
	if (empty)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid query string parameters: Expected 'required' parameter value of the "
		            "form: %s. Got an empty trait in: %s",
		            allow_forbidden ? "HW_CPU_X86_VMX,!CUSTOM_MAGIC" : "HW_CPU_X86_VMX,CUSTOM_MAGIC", val);
	if (any_forbidden && !allow_forbidden)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid query string parameters: Expected 'required' parameter value of the "
		            "form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: %s", val);
	for (int i = 0; i < items.n; i++) {
		const char *t = items.v[i];
		if (t[0] == '!') {
			while (*t == '!')
				t++;
			if (add_name(c->a, &out->forbidden, t) < 0)
				return fail_oom(c);
			continue;
		}
		struct rp_strlist clause = {0};
		if (add_name(c->a, &clause, t) < 0 || add_clause(c->a, out, clause) < 0)
			return fail_oom(c);
	}
	return 0;
}

int
filter_required(struct ctx *c, const char *key, struct name_filter *out)
{
	memset(out, 0, sizeof(*out));
	if (key == NULL)
		return fail_oom(c);
	int allow_forbidden = c->mv >= 22, allow_any = c->mv >= 39;
	int last = -1;
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].key, key) == 0)
			last = i;
	for (int i = 0; i < c->nq; i++) {
		if (strcmp(c->q[i].key, key) != 0 || (!allow_any && i != last))
			continue;
		if (filter_traits_value(c, c->q[i].value, allow_forbidden, allow_any, out) < 0)
			return -1;
	}
	return 0;
}

int
filter_resources(struct ctx *c, const char *val, const char ***names, long long **amounts, int *n)
{
	const char *form = "Badly formed resources parameter. Expected resources query string "
	                   "parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ";
	char *stripped = py_strip(c->a, val);
	if (stripped == NULL)
		return fail_oom(c);
	if (stripped[0] == '\0')
		return fail(c, 400, ERR_UNDEFINED, "%sempty string.", form);
	struct rp_strlist parts;
	if (split(c->a, val, ',', &parts) < 0)
		return fail_oom(c);
	const char **rc = arena_alloc(c->a, sizeof(char *) * (size_t)(parts.n + 1));
	long long *amount = arena_alloc(c->a, sizeof(long long) * (size_t)parts.n);
	if (rc == NULL || amount == NULL)
		return fail_oom(c);
	int nres = 0;
	for (int i = 0; i < parts.n; i++) {
		const char *rt = parts.v[i];
		const char *colon = strchr(rt, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL)
			return fail(c, 400, ERR_UNDEFINED, "%s%s.", form, rt);
		char *name = arena_strndup(c->a, rt, (size_t)(colon - rt));
		if (name == NULL)
			return fail_oom(c);
		const char *text = colon + 1;
		long long v;
		const char *canon;
		if (py_int(c->a, text, strlen(text), &v, &canon) < 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Requested resource %s expected positive integer amount. Got: %s.", name, text);
		if (v < 1)
			return fail(c, 400, ERR_UNDEFINED,
			            "Requested resource %s requires amount >= 1. Got: %s.", name, canon);
		/* a repeated class keeps its first place and its last amount */
		int j = 0;
		while (j < nres && strcmp(rc[j], name) != 0)
			j++;
		if (j == nres)
			rc[nres++] = name;
		amount[j] = v;
	}
	rc[nres] = NULL;
	*names = rc;
	*amounts = amount;
	*n = nres;
	return 0;
}
