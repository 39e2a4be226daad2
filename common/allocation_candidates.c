/* GET /allocation_candidates (1.10+): query parsing and validation with
 * the reference's messages, the reads the solver needs, and the answer.
 * The search itself is ac_engine.c. */
#include "app.h"
#include "jschema.h"
#include "routes.h"
#include "ac_cache.h"
#include "ac_refresh.h"
#include "ac_engine.h"
#include "pytext.h"
#include "../sql/store_ac.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Records the answer to running out of request memory. */
static int
oom(struct ctx *c)
{
	return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* ------------------------------------------------------------------ */
/* Python-style text helpers (the reference's messages quote values the
 * way Python prints them). */

/* repr() of s as an arena string. */
static const char *
repr_str(struct ctx *c, const char *s)
{
	return py_repr_str(c->a, s);
}

/* ------------------------------------------------------------------ */
/* The query schema of each microversion */

/* Python's re.match('^x$') lets one trailing newline through. */
static size_t
key_len_for_match(const char *k)
{
	size_t n = strlen(k);
	return (n > 0 && k[n - 1] == '\n') ? n - 1 : n;
}

/* If key is a group key (resources/required/member_of/in_tree with an
 * optional suffix valid at mv), sets *kind (0..3) and *suffix; 1, else 0.
 * in_tree counts only from 1.31 (with_in_tree). */
static int
group_key(struct ctx *c, const char *key, int *kind, const char **suffix)
{
	static const char *const prefixes[] = {"resources", "required", "member_of", "in_tree"};
	size_t n = key_len_for_match(key);
	for (int i = 0; i < 4; i++) {
		size_t pl = strlen(prefixes[i]);
		if (n < pl || strncmp(key, prefixes[i], pl) != 0)
			continue;
		const char *s = key + pl;
		size_t sl = n - pl;
		int ok = 1;
		if (sl > 0) {
			if (c->mv >= 33) {
				ok = sl <= 64;
				for (size_t j = 0; j < sl && ok; j++)
					ok = isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-';
			} else {
				ok = s[0] >= '1' && s[0] <= '9';
				for (size_t j = 1; j < sl && ok; j++)
					ok = isdigit((unsigned char)s[j]);
			}
		}
		if (!ok)
			continue;
		*kind = i;
		*suffix = arena_strndup(c->a, s, sl);
		return 1;
	}
	return 0;
}

/* The reference's query schemas (data for jschema), newest first: before
 * 1.25 named keys; from 1.25 numbered (1.33: named) request groups as
 * patternProperties, which its schema lists after the others. */
#define ACQ_RESOURCES "\"resources\": {\"type\": \"string\"}"
#define ACQ_LIMIT "\"limit\": {\"type\": [\"integer\", \"string\"], " \
	"\"pattern\": \"^[1-9][0-9]*$\", \"minimum\": 1, \"minLength\": 1}"
#define ACQ_REQUIRED "\"required\": {\"type\": [\"string\"]}"
#define ACQ_MEMBER_OF "\"member_of\": {\"type\": [\"string\"]}"
#define ACQ_GROUP_POLICY "\"group_policy\": {\"type\": \"string\", \"enum\": [\"none\", \"isolate\"]}"
#define ACQ_ROOT_REQUIRED "\"root_required\": {\"type\": [\"string\"]}"
#define ACQ_SAME_SUBTREE "\"same_subtree\": {\"type\": [\"string\"]}"
#define ACQ_NAMED(props) "{\"type\": \"object\", \"properties\": {" props "}, " \
	"\"required\": [\"resources\"], \"additionalProperties\": false}"
#define ACQ_GROUPS(props, pats) "{\"type\": \"object\", \"properties\": {" props "}, " \
	"\"additionalProperties\": false, \"patternProperties\": {" pats "}}"
#define ACQ_GROUP(name, suffix) "\"^" name "(" suffix ")?$\": {\"type\": \"string\"}"
#define ACQ_PATS(suffix) ACQ_GROUP("resources", suffix) ", " ACQ_GROUP("required", suffix) \
	", " ACQ_GROUP("member_of", suffix)
#define ACQ_NUMBERED "[1-9][0-9]*"
#define ACQ_NAMED_GROUP "[a-zA-Z0-9_-]{1,64}"

static const struct ac_query_schema {
	int mv;                   /* from this microversion */
	const char *schema;
} ac_query_schemas[] = {
	{36, ACQ_GROUPS(ACQ_LIMIT ", " ACQ_GROUP_POLICY ", " ACQ_ROOT_REQUIRED ", " ACQ_SAME_SUBTREE,
	                ACQ_PATS(ACQ_NAMED_GROUP) ", " ACQ_GROUP("in_tree", ACQ_NAMED_GROUP))},
	{35, ACQ_GROUPS(ACQ_LIMIT ", " ACQ_GROUP_POLICY ", " ACQ_ROOT_REQUIRED,
	                ACQ_PATS(ACQ_NAMED_GROUP) ", " ACQ_GROUP("in_tree", ACQ_NAMED_GROUP))},
	{33, ACQ_GROUPS(ACQ_LIMIT ", " ACQ_GROUP_POLICY,
	                ACQ_PATS(ACQ_NAMED_GROUP) ", " ACQ_GROUP("in_tree", ACQ_NAMED_GROUP))},
	{31, ACQ_GROUPS(ACQ_LIMIT ", " ACQ_GROUP_POLICY,
	                ACQ_PATS(ACQ_NUMBERED) ", " ACQ_GROUP("in_tree", ACQ_NUMBERED))},
	{25, ACQ_GROUPS(ACQ_LIMIT ", " ACQ_GROUP_POLICY, ACQ_PATS(ACQ_NUMBERED))},
	{21, ACQ_NAMED(ACQ_RESOURCES ", " ACQ_LIMIT ", " ACQ_REQUIRED ", " ACQ_MEMBER_OF)},
	{17, ACQ_NAMED(ACQ_RESOURCES ", " ACQ_LIMIT ", " ACQ_REQUIRED)},
	{16, ACQ_NAMED(ACQ_RESOURCES ", " ACQ_LIMIT)},
	{0, ACQ_NAMED(ACQ_RESOURCES)},
};

/* Validates the query against the microversion's schema. */
static int
check_schema(struct ctx *c)
{
	size_t i = 0;
	while (ac_query_schemas[i].mv > c->mv)
		i++;
	return js_validate_query(c, ac_query_schemas[i].schema);
}

/* ------------------------------------------------------------------ */
/* Request groups */

struct traitexpr {            /* parsed required traits */
	const char ***any;        /* nany clauses, each NULL-terminated (any-of) */
	int nany;
	const char **forbidden;   /* NULL-terminated, distinct */
	int nforbidden;
};

struct rgroup {
	const char *suffix;
	int nres;
	const char **rc_name;
	long long *amount;
	struct traitexpr tr;
	const char ***member_of;  /* clauses of aggregate uuids (any-of) */
	int nmember;
	const char **forbidden_aggs;
	int nforbidden_aggs;
	const char *in_tree;      /* stripped uuid text, or NULL */
	int has_resources_key;
};

struct acreq {
	struct rgroup *g;
	int ng;
	long long limit;          /* 0: none; < 0: all but the last -limit */
	const char *group_policy; /* NULL: not given */
	const char **root_req;    /* root_required, required part */
	int nroot_req;
	const char **root_forb;
	int nroot_forb;
	const char ***same;       /* same_subtree sets of suffixes */
	int *nsame_each;
	int nsame;
};

static int
str_in(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Splits s at sep into an arena array (Python str.split(sep)). */
static char **
split(struct arena *a, const char *s, char sep, int *n)
{
	int cnt = 1;
	for (const char *p = s; *p; p++)
		cnt += *p == sep;
	char **out = arena_alloc(a, sizeof(char *) * (size_t)(cnt + 1));
	if (out == NULL)
		return NULL;
	int k = 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == sep || *p == '\0') {
			out[k++] = arena_strndup(a, start, (size_t)(p - start));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	*n = k;
	return out;
}

/* normalize_resources_qs_param. */
static int
parse_resources(struct ctx *c, struct rgroup *g, const char *val)
{
	const char *form = "Badly formed resources parameter. Expected resources query string "
	                   "parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ";
	char *stripped = py_strip(c->a, val);
	if (stripped == NULL || stripped[0] == '\0')
		return fail(c, 400, ERR_UNDEFINED, "%sempty string.", form);
	int n;
	char **parts = split(c->a, val, ',', &n);
	if (parts == NULL)
		return oom(c);
	g->rc_name = arena_alloc(c->a, sizeof(char *) * (size_t)n);
	g->amount = arena_alloc(c->a, sizeof(long long) * (size_t)n);
	if (g->rc_name == NULL || g->amount == NULL)
		return oom(c);
	g->nres = 0;
	for (int i = 0; i < n; i++) {
		const char *rt = parts[i];
		const char *colon = strchr(rt, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL)
			return fail(c, 400, ERR_UNDEFINED, "%s%s.", form, rt);
		char *name = arena_strndup(c->a, rt, (size_t)(colon - rt));
		const char *amount = colon + 1;
		long long v;
		const char *canon;
		if (py_int(c->a, amount, strlen(amount), &v, &canon) < 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Requested resource %s expected positive integer amount. Got: %s.",
			            name, amount);
		if (v < 1)
			return fail(c, 400, ERR_UNDEFINED,
			            "Requested resource %s requires amount >= 1. Got: %s.", name, canon);
		int j;
		for (j = 0; j < g->nres; j++)
			if (strcmp(g->rc_name[j], name) == 0)
				break;
		if (j == g->nres) {
			g->rc_name[j] = name;
			g->nres++;
		}
		g->amount[j] = v;
	}
	return 0;
}

/* Appends a clause (NULL-terminated list) to e->any. */
static int
add_clause(struct arena *a, struct traitexpr *e, const char **clause)
{
	const char ***n = arena_alloc(a, sizeof(*n) * (size_t)(e->nany + 1));
	if (n == NULL)
		return -1;
	if (e->nany)
		memcpy(n, e->any, sizeof(*n) * (size_t)e->nany);
	n[e->nany++] = clause;
	e->any = n;
	return 0;
}

static int
add_name(struct arena *a, const char ***list, int *n, const char *name)
{
	if (str_in(*list, *n, name))
		return 0;
	const char **l = arena_alloc(a, sizeof(char *) * (size_t)(*n + 2));
	if (l == NULL)
		return -1;
	if (*n)
		memcpy(l, *list, sizeof(char *) * (size_t)*n);
	l[(*n)++] = name;
	l[*n] = NULL;
	*list = l;
	return 0;
}

/* normalize_traits_qs_param: one value of required*. */
static int
parse_traits_value(struct ctx *c, const char *val, int allow_forbidden, int allow_any,
                   struct traitexpr *e)
{
	int n;
	if (strncmp(val, "in:", 3) == 0) {
		if (!allow_any)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' "
			            "only supported since microversion 1.39. Got: %s", val);
		char **parts = split(c->a, val + 3, ',', &n);
		if (parts == NULL)
			return oom(c);
		const char **clause = NULL;
		int nclause = 0, bang = 0;
		for (int i = 0; i < n; i++) {
			char *t = py_strip(c->a, parts[i]);
			if (t == NULL || t[0] == '\0')
				return fail(c, 400, ERR_UNDEFINED,
				            "Invalid query string parameters: Expected 'required' parameter value "
				            "of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: %s", val);
			bang |= t[0] == '!';
			if (add_name(c->a, &clause, &nclause, t) < 0)
				return oom(c);
		}
		if (bang)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' "
			            "does not support forbidden traits. Got: %s", val);
		return add_clause(c->a, e, clause) < 0 ? oom(c) : 0;
	}
	char **parts = split(c->a, val, ',', &n);
	if (parts == NULL)
		return oom(c);
	int any_forbidden = 0, empty = 0;
	for (int i = 0; i < n; i++) {
		parts[i] = py_strip(c->a, parts[i]);
		if (parts[i] == NULL)
			return oom(c);
		const char *t = parts[i];
		if (t[0] == '\0')
			empty = 1;
		if (t[0] == '!') {
			any_forbidden = 1;
			while (*t == '!')
				t++;
			if (*t == '\0')
				empty = 1;
		}
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
	for (int i = 0; i < n; i++) {
		const char *t = parts[i];
		if (t[0] == '!') {
			while (*t == '!')
				t++;
			if (add_name(c->a, &e->forbidden, &e->nforbidden, t) < 0)
				return oom(c);
		} else {
			const char **clause = arena_alloc(c->a, sizeof(char *) * 2);
			if (clause == NULL)
				return oom(c);
			clause[0] = t;
			clause[1] = NULL;
			if (add_clause(c->a, e, clause) < 0)
				return oom(c);
		}
	}
	return 0;
}

/* normalize_traits_qs_params: every value of key (only the last before 1.39). */
static int
parse_required(struct ctx *c, const char *key, struct traitexpr *e)
{
	memset(e, 0, sizeof(*e));
	int allow_forbidden = c->mv >= 22, allow_any = c->mv >= 39;
	int last = -1;
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].key, key) == 0)
			last = i;
	for (int i = 0; i < c->nq; i++) {
		if (strcmp(c->q[i].key, key) != 0 || (!allow_any && i != last))
			continue;
		if (parse_traits_value(c, c->q[i].value, allow_forbidden, allow_any, e) < 0)
			return -1;
	}
	return 0;
}

/* normalize_member_of_qs_params. */
static int
parse_member_of(struct ctx *c, const char *suffix, struct rgroup *g)
{
	char *key = arena_printf(c->a, "member_of%s", suffix);
	g->member_of = NULL;
	g->nmember = 0;
	g->forbidden_aggs = NULL;
	g->nforbidden_aggs = 0;
	if (c->mv < 24 && q_count(c, key) > 1)
		return fail(c, 400, ERR_UNDEFINED, "Multiple member_of%s parameters are not supported", suffix);
	for (int i = 0; i < c->nq; i++) {
		if (strcmp(c->q[i].key, key) != 0)
			continue;
		const char *v = c->q[i].value;
		int forbidden = 0;
		const char *list = v;
		if (strchr(v, ',') && strncmp(v, "in:", 3) != 0 && strncmp(v, "!in:", 4) != 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' "
			            "keyword using the valid microversion. Got: %s", v);
		if (strncmp(v, "!in:", 4) == 0) {
			forbidden = 1;
			list = v + 4;
		} else if (v[0] == '!') {
			forbidden = 1;
			list = v + 1;
		} else if (strncmp(v, "in:", 3) == 0) {
			list = v + 3;
		}
		int n;
		char **uuids;
		if (list == v + 1 || list == v) {
			uuids = arena_alloc(c->a, sizeof(char *));
			if (uuids)
				uuids[0] = arena_strdup(c->a, list);
			n = 1;
		} else {
			uuids = split(c->a, list, ',', &n);
		}
		if (uuids == NULL)
			return oom(c);
		const char **clause = NULL;
		int nclause = 0;
		for (int k = 0; k < n; k++) {
			if (!is_uuid(uuids[k]))
				return fail(c, 400, ERR_UNDEFINED,
				            "Invalid query string parameters: Expected 'member_of' parameter to "
				            "contain valid UUID(s). Got: %s", uuids[k]);
			if (add_name(c->a, &clause, &nclause, uuids[k]) < 0)
				return oom(c);
		}
		if (forbidden) {
			if (c->mv < 32)
				return fail(c, 400, ERR_UNDEFINED,
				            "Forbidden member_of%s parameters are not supported in the specified microversion",
				            suffix);
			for (int k = 0; k < nclause; k++)
				if (add_name(c->a, &g->forbidden_aggs, &g->nforbidden_aggs, clause[k]) < 0)
					return oom(c);
		} else {
			const char ***m = arena_alloc(c->a, sizeof(*m) * (size_t)(g->nmember + 1));
			if (m == NULL)
				return oom(c);
			if (g->nmember)
				memcpy(m, g->member_of, sizeof(*m) * (size_t)g->nmember);
			m[g->nmember++] = clause;
			g->member_of = m;
		}
	}
	return 0;
}

/* Python's repr of a list of strings. */
static void
py_list(struct buf *b, const char *const *items, int n)
{
	buf_putc(b, '[');
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		py_repr(b, items[i], strlen(items[i]));
	}
	buf_putc(b, ']');
}

static int
find_group(const struct acreq *r, const char *suffix)
{
	for (int i = 0; i < r->ng; i++)
		if (strcmp(r->g[i].suffix, suffix) == 0)
			return i;
	return -1;
}

/* RequestWideParams.from_request. */
static int
parse_request_wide(struct ctx *c, struct acreq *r)
{
	/* The schema checked the last limit; the first is used (as int()):
	 * 0 means none, a negative n drops the last -n candidates. */
	const char *v = q_get(c, "limit");
	if (v != NULL) {
		const char *canon;
		if (py_int(c->a, v, strlen(v), &r->limit, &canon) < 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid query string parameters: %s does not match '^[1-9][0-9]*$'",
			            repr_str(c, v));
	}
	r->group_policy = q_get(c, "group_policy");
	int nroot = q_count(c, "root_required");
	if (nroot > 1)
		return fail(c, 400, ERR_QUERY_DUPLICATE, "Query parameter 'root_required' may be specified only once.");
	if (nroot == 1) {
		struct traitexpr e = {0};
		if (parse_traits_value(c, q_get(c, "root_required"), 1, 0, &e) < 0)
			return -1;
		for (int i = 0; i < e.nany; i++)
			if (add_name(c->a, &r->root_req, &r->nroot_req, e.any[i][0]) < 0)
				return oom(c);
		r->root_forb = e.forbidden;
		r->nroot_forb = e.nforbidden;
		struct buf conf = {0};
		int nconf = 0;
		for (int i = 0; i < r->nroot_forb; i++) {
			if (!str_in(r->root_req, r->nroot_req, r->root_forb[i]))
				continue;
			if (nconf++)
				buf_puts(&conf, ", ");
			buf_puts(&conf, r->root_forb[i]);
		}
		if (nconf) {
			fail(c, 400, ERR_QUERY_BAD_VALUE,
			     "Conflicting required and forbidden traits found in root_required: %s", conf.p);
			buf_free(&conf);
			return -1;
		}
	}
	int nsame = q_count(c, "same_subtree");
	if (nsame > 0) {
		r->same = arena_alloc(c->a, sizeof(*r->same) * (size_t)nsame);
		r->nsame_each = arena_alloc(c->a, sizeof(int) * (size_t)nsame);
		if (r->same == NULL || r->nsame_each == NULL)
			return oom(c);
		for (int i = 0; i < c->nq; i++) {
			if (strcmp(c->q[i].key, "same_subtree") != 0)
				continue;
			int n;
			char **parts = split(c->a, c->q[i].value, ',', &n);
			if (parts == NULL)
				return oom(c);
			const char **set = NULL;
			int nset = 0;
			for (int k = 0; k < n; k++) {
				char *s = py_strip(c->a, parts[k]);
				if (s == NULL || add_name(c->a, &set, &nset, s) < 0)
					return oom(c);
			}
			if (str_in(set, nset, ""))
				return fail(c, 400, ERR_QUERY_BAD_VALUE,
				            "Empty string (unsuffixed group) can not be specified in `same_subtree` ");
			r->same[r->nsame] = set;
			r->nsame_each[r->nsame] = nset;
			r->nsame++;
		}
	}
	return 0;
}

/* From 1.36: resourceless groups must be in a same_subtree, and
 * same_subtree must name real groups. */
static int
check_subtree_groups(struct ctx *c, const struct acreq *r)
{
	const char **resourceless = NULL, **subtree = NULL;
	int nresless = 0, nsub = 0;
	for (int i = 0; i < r->ng; i++)
		if (r->g[i].nres == 0 && add_name(c->a, &resourceless, &nresless, r->g[i].suffix) < 0)
			return oom(c);
	for (int i = 0; i < r->nsame; i++)
		for (int k = 0; k < r->nsame_each[i]; k++)
			if (add_name(c->a, &subtree, &nsub, r->same[i][k]) < 0)
				return oom(c);
	if (nresless == r->ng)
		return fail(c, 400, ERR_QUERY_MISSING,
		            "There must be at least one resources or resources[$S] parameter.");
	const char **bad = NULL;
	int nbad = 0;
	for (int i = 0; i < nresless; i++)
		if (!str_in(subtree, nsub, resourceless[i]) &&
		    add_name(c->a, &bad, &nbad, resourceless[i]) < 0)
			return oom(c);
	if (nbad) {
		struct buf b = {0};
		py_list(&b, bad, nbad);
		fail(c, 400, ERR_QUERY_BAD_VALUE,
		     "Resourceless suffixed group request should be specified in `same_subtree` "
		     "query param: bad group(s) - %s.", b.p);
		buf_free(&b);
		return -1;
	}
	for (int i = 0; i < nsub; i++)
		if (find_group(r, subtree[i]) < 0 && add_name(c->a, &bad, &nbad, subtree[i]) < 0)
			return oom(c);
	if (nbad) {
		const char **all = arena_alloc(c->a, sizeof(char *) * (size_t)(r->ng + 1));
		if (all == NULL)
			return oom(c);
		for (int i = 0; i < r->ng; i++)
			all[i] = r->g[i].suffix;
		struct buf b1 = {0}, b2 = {0};
		py_list(&b1, bad, nbad);
		py_list(&b2, all, r->ng);
		fail(c, 400, ERR_QUERY_BAD_VALUE,
		     "Real suffixes should be specified in `same_subtree`: %s not found in %s.", b1.p, b2.p);
		buf_free(&b1);
		buf_free(&b2);
		return -1;
	}
	return 0;
}

/* Before 1.36: every group needs resources (traits or member_of alone
 * are "orphans"). */
static int
check_orphans(struct ctx *c, const struct acreq *r)
{
	struct buf b = {0};
	int n = 0;
	for (int i = 0; i < r->ng; i++) {
		if (r->g[i].tr.nany > 0 && r->g[i].nres == 0)
			buf_printf(&b, "%srequired%s", n++ ? ", " : "", r->g[i].suffix);
	}
	if (n) {
		fail(c, 400, ERR_UNDEFINED,
		     "All traits parameters must be associated with resources.  Found the following "
		     "orphaned traits keys: %s", b.p);
		buf_free(&b);
		return -1;
	}
	for (int i = 0; i < r->ng; i++) {
		if (r->g[i].nres == 0 && (r->g[i].nmember > 0 || r->g[i].nforbidden_aggs > 0))
			buf_printf(&b, "%smember_of%s", n++ ? ", " : "", r->g[i].suffix);
	}
	if (n) {
		fail(c, 400, ERR_UNDEFINED,
		     "All member_of parameters must be associated with resources. Found the following "
		     "orphaned member_of keys: %s", b.p);
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	for (int i = 0; i < r->ng; i++)
		if (r->g[i].nres == 0)
			return fail(c, 400, ERR_UNDEFINED, "All request groups must specify resources.");
	if (r->ng == 0)
		return fail(c, 400, ERR_UNDEFINED,
		            "At least one request group (`resources` or `resources{$S}`) is required.");
	return 0;
}

/* From 1.22: a required clause whose every trait is also forbidden. */
static int
check_conflicts(struct ctx *c, const struct acreq *r)
{
	const char **conf = NULL;
	int nconf = 0;
	for (int i = 0; i < r->ng; i++) {
		const struct traitexpr *e = &r->g[i].tr;
		for (int j = 0; j < e->nany; j++) {
			int all = 1, n = 0;
			for (const char **t = e->any[j]; *t; t++, n++)
				all &= str_in(e->forbidden, e->nforbidden, *t);
			if (!all || n == 0)
				continue;
			/* sorted names of the clause */
			const char **sorted = arena_alloc(c->a, sizeof(char *) * (size_t)n);
			if (sorted == NULL)
				return oom(c);
			memcpy(sorted, e->any[j], sizeof(char *) * (size_t)n);
			if (n > 1)
				qsort(sorted, (size_t)n, sizeof(char *), name_cmp);
			struct buf b = {0};
			buf_printf(&b, "required%s: (", r->g[i].suffix);
			for (int k = 0; k < n; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", sorted[k]);
			buf_putc(&b, ')');
			char *s = b.oom ? NULL : arena_strndup(c->a, b.p, b.len);
			buf_free(&b);
			if (s == NULL || add_name(c->a, &conf, &nconf, s) < 0)
				return oom(c);
		}
	}
	if (nconf) {
		if (nconf > 1)
			qsort(conf, (size_t)nconf, sizeof(char *), name_cmp);
		struct buf b = {0};
		for (int k = 0; k < nconf; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", conf[k]);
		fail(c, 400, ERR_UNDEFINED,
		     "Conflicting required and forbidden traits found in the following traits keys: %s", b.p);
		buf_free(&b);
		return -1;
	}
	return 0;
}

/* RequestGroup.dict_from_request. */
static int
parse_groups(struct ctx *c, struct acreq *r)
{
	r->g = arena_alloc(c->a, sizeof(*r->g) * (size_t)(c->nq + 1));
	if (r->g == NULL)
		return oom(c);
	for (int i = 0; i < c->nq; i++) {
		int kind;
		const char *suffix;
		if (!group_key(c, c->q[i].key, &kind, &suffix))
			continue;
		/* Before 1.33 only numbers are suffixes; the schema already
		 * refused anything else. */
		int gi = find_group(r, suffix);
		if (gi < 0) {
			gi = r->ng++;
			memset(&r->g[gi], 0, sizeof(r->g[gi]));
			r->g[gi].suffix = suffix;
		}
		struct rgroup *g = &r->g[gi];
		const char *val = c->q[i].value;
		switch (kind) {
		case 0:
			if (parse_resources(c, g, val) < 0)
				return -1;
			break;
		case 1:
			if (parse_required(c, arena_printf(c->a, "required%s", suffix), &g->tr) < 0)
				return -1;
			break;
		case 2:
			if (parse_member_of(c, suffix, g) < 0)
				return -1;
			break;
		case 3: {
			char *s = py_strip(c->a, val);
			if (s == NULL || !is_uuid(s))
				return fail(c, 400, ERR_UNDEFINED,
				            "Invalid query string parameters: Expected 'in_tree' parameter to be a "
				            "format of uuid. Got: %s", val);
			g->in_tree = s;
			break;
		}
		}
	}

	if (c->mv >= 36 ? check_subtree_groups(c, r) < 0 : check_orphans(c, r) < 0)
		return -1;
	if (c->mv >= 22 && check_conflicts(c, r) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading what the solver needs */

/* Everything one search reads, owned by the request arena or, for what
 * came from it, by the process's read cache (valid for this request). */
struct search {
	struct ctx *c;
	struct store *s;
	struct ac_cache *k;       /* NULL: no cache, read everything */
	struct acreq *r;
	struct ac_engine *e;
	int has_trees;
	int empty;                /* the reference's "no provider found": 200 with nothing */
	struct ac_idset sharing;
	int **rcs_of;             /* per group, its resolved class ids */
	long long *loaded;        /* classes whose every inventory the engine holds */
	int nloaded;
	const int *rc_off;        /* per class id: where its name is in rc_names; -1 none */
	const char *rc_names;
	int nrc;                  /* class ids are 0 .. nrc-1 */
	/* > 0: feed the engine only the providers up to the prefix-th one
	 * with room for every class (see flat_prefix); partial: some were
	 * left out */
	long prefix;
	int partial;
};

/* The order of keys[0..n) (ascending, ties in their order) into perm, by
 * radix: ids are small, and answers have thousands of them.  0, -1 on
 * OOM. */
static int
radix_order(struct arena *a, const long long *keys, int n, int *perm)
{
	long long min = 0;
	unsigned long long span = 0;
	for (int i = 0; i < n; i++)
		if (keys[i] < min)
			min = keys[i];
	for (int i = 0; i < n; i++) {
		perm[i] = i;
		if ((unsigned long long)keys[i] - (unsigned long long)min > span)
			span = (unsigned long long)keys[i] - (unsigned long long)min;
	}
	int *tmp = arena_alloc_raw(a, sizeof(int) * (size_t)(n + 1));
	if (tmp == NULL)
		return -1;
	int *src = perm, *dst = tmp;
	for (int shift = 0; shift < 64 && (span >> shift) != 0; shift += 8) {
		int count[257];
		memset(count, 0, sizeof(count));
		for (int i = 0; i < n; i++)
			count[(((unsigned long long)keys[src[i]] - (unsigned long long)min) >> shift & 255) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (int i = 0; i < n; i++)
			dst[count[((unsigned long long)keys[src[i]] - (unsigned long long)min) >> shift & 255]++] = src[i];
		int *t = src;
		src = dst;
		dst = t;
	}
	if (src != perm)
		memcpy(perm, src, sizeof(int) * (size_t)n);
	return 0;
}

/* Sorts v[0..n) ascending and drops repeats; the new count, -1 on OOM. */
static int
sort_unique(struct arena *a, long long *v, int n)
{
	int sorted = 1;
	for (int i = 1; i < n && sorted; i++)
		sorted = v[i - 1] <= v[i];
	if (!sorted) {
		int *perm = arena_alloc_raw(a, sizeof(int) * (size_t)(n + 1));
		long long *copy = arena_alloc_raw(a, sizeof(long long) * (size_t)(n + 1));
		if (perm == NULL || copy == NULL || radix_order(a, v, n, perm) < 0)
			return -1;
		memcpy(copy, v, sizeof(long long) * (size_t)n);
		for (int i = 0; i < n; i++)
			v[i] = copy[perm[i]];
	}
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* An idset kept as one flat block (as the cache holds it): n, then n
 * ids, then n roots. */
static void
idset_view(const long long *blob, struct ac_idset *out)
{
	out->n = (int)blob[0];
	out->ids = blob + 1;
	out->roots = blob + 1 + blob[0];
}

/* The flat idset of member rows sorted by id (duplicates dropped), with
 * its size in *size; NULL on OOM. */
static long long *
idset_blob(struct arena *a, const struct st_ac_member *m, int n, size_t *size)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += i == 0 || m[i].id != m[i - 1].id;
	long long *blob = arena_alloc(a, sizeof(long long) * (size_t)(2 * k + 1));
	if (blob == NULL)
		return NULL;
	long long *ids = blob + 1, *roots = blob + 1 + k;
	int j = 0;
	for (int i = 0; i < n; i++)
		if (i == 0 || m[i].id != m[i - 1].id) {
			ids[j] = m[i].id;
			roots[j] = m[i].root_id;
			j++;
		}
	blob[0] = k;
	*size = sizeof(long long) * (size_t)(2 * k + 1);
	return blob;
}

/* Union of sorted idsets a and b. */
static int
idset_union(struct arena *ar, const struct ac_idset *a, const struct ac_idset *b, struct ac_idset *out)
{
	long long *ids = arena_alloc(ar, sizeof(long long) * (size_t)(a->n + b->n + 1));
	long long *roots = arena_alloc(ar, sizeof(long long) * (size_t)(a->n + b->n + 1));
	if (ids == NULL || roots == NULL)
		return -1;
	int i = 0, j = 0, k = 0;
	while (i < a->n || j < b->n) {
		if (j >= b->n || (i < a->n && a->ids[i] < b->ids[j])) {
			ids[k] = a->ids[i];
			roots[k++] = a->roots[i++];
		} else if (i >= a->n || b->ids[j] < a->ids[i]) {
			ids[k] = b->ids[j];
			roots[k++] = b->roots[j++];
		} else {
			ids[k] = a->ids[i];
			roots[k++] = a->roots[i++];
			j++;
		}
	}
	out->ids = ids;
	out->roots = roots;
	out->n = k;
	return 0;
}

/* Intersection of sorted idsets a and b. */
static int
idset_inter(struct arena *ar, const struct ac_idset *a, const struct ac_idset *b, struct ac_idset *out)
{
	int cap = a->n < b->n ? a->n : b->n;
	long long *ids = arena_alloc(ar, sizeof(long long) * (size_t)(cap + 1));
	long long *roots = arena_alloc(ar, sizeof(long long) * (size_t)(cap + 1));
	if (ids == NULL || roots == NULL)
		return -1;
	int i = 0, j = 0, k = 0;
	while (i < a->n && j < b->n) {
		if (a->ids[i] < b->ids[j])
			i++;
		else if (b->ids[j] < a->ids[i])
			j++;
		else {
			ids[k] = a->ids[i];
			roots[k++] = a->roots[i];
			i++;
			j++;
		}
	}
	out->ids = ids;
	out->roots = roots;
	out->n = k;
	return 0;
}

/* The members of a trait (kind ACK_TRAIT_MEMBERS, id) or of an aggregate
 * (ACK_AGG_MEMBERS, uuid), from the cache or read. */
static int
members_set(struct search *se, int kind, long long id, const char *uuid, struct ac_idset *out)
{
	struct ctx *c = se->c;
	const long long *blob = ac_cache_get(se->k, kind, id, uuid, NULL);
	if (blob == NULL) {
		struct st_ac_member *m;
		int n;
		int rc = kind == ACK_TRAIT_MEMBERS ? st_ac_trait_members(se->s, c->a, id, &m, &n)
		                                   : st_ac_agg_members(se->s, c->a, uuid, &m, &n);
		if (rc != ST_OK)
			return fail_store(c, rc);
		size_t size;
		long long *mine = idset_blob(c->a, m, n, &size);
		if (mine == NULL)
			return oom(c);
		blob = ac_cache_put(se->k, kind, id, uuid, mine, size);
		if (blob == NULL)
			blob = mine;
	}
	idset_view(blob, out);
	return 0;
}

/* Providers having trait name (TraitNotFound as the reference's 400). */
static int
trait_set(struct search *se, const char *name, struct ac_idset *out)
{
	struct ctx *c = se->c;
	long long id;
	const long long *known = ac_cache_get(se->k, ACK_TRAIT_ID, 0, name, NULL);
	if (known != NULL) {
		id = *known;
	} else {
		int rc = st_ac_trait_id(se->s, name, &id);
		if (rc == ST_NOTFOUND)
			id = -1;
		else if (rc != ST_OK)
			return fail_store(c, rc);
		ac_cache_put(se->k, ACK_TRAIT_ID, 0, name, &id, sizeof(id));
	}
	if (id < 0)
		return fail(c, 400, ERR_UNDEFINED, "No such trait(s): %s.", name);
	return members_set(se, ACK_TRAIT_MEMBERS, id, NULL, out);
}

/* Providers in any of the aggregates (uuids as given). */
static int
aggs_set(struct search *se, const char *const *uuids, int n, struct ac_idset *out)
{
	struct ctx *c = se->c;
	struct ac_idset acc = {0};
	for (int i = 0; i < n; i++) {
		struct ac_idset one, u;
		if (members_set(se, ACK_AGG_MEMBERS, 0, uuids[i], &one) < 0)
			return -1;
		if (i == 0) {
			acc = one;
			continue;
		}
		if (idset_union(c->a, &acc, &one, &u) < 0)
			return oom(c);
		acc = u;
	}
	*out = acc;
	return 0;
}

/* The engine's anchor loader. */
static int
load_anchors(void *arg, long long rp_id, const long long **roots, int *n)
{
	struct search *se = arg;
	size_t size;
	const long long *v = ac_cache_get(se->k, ACK_ANCHORS, rp_id, NULL, &size);
	if (v == NULL) {
		long long *mine;
		int nr;
		if (st_ac_sharing_anchors(se->s, se->c->a, rp_id, &mine, &nr) != ST_OK)
			return -1;
		size = sizeof(long long) * (size_t)nr;
		v = ac_cache_put(se->k, ACK_ANCHORS, rp_id, NULL, mine, size);
		if (v == NULL)
			v = mine;
	}
	*roots = v;
	*n = (int)(size / sizeof(long long));
	return 0;
}

/* Whether any provider has a parent. */
static int
load_has_trees(struct search *se)
{
	const int *v = ac_cache_get(se->k, ACK_HAS_TREES, 0, NULL, NULL);
	if (v != NULL) {
		se->has_trees = *v;
		return 0;
	}
	int rc = st_ac_has_trees(se->s, &se->has_trees);
	if (rc != ST_OK)
		return fail_store(se->c, rc);
	ac_cache_put(se->k, ACK_HAS_TREES, 0, NULL, &se->has_trees, sizeof(int));
	return 0;
}

/* Every resource class, as one flat block: the number of ids n, n name
 * offsets (-1: no such id), then the NUL-terminated names. */
static int
load_rc_table(struct search *se)
{
	struct ctx *c = se->c;
	const int *t = ac_cache_get(se->k, ACK_RC_TABLE, 0, NULL, NULL);
	if (t == NULL) {
		struct st_ac_rc *rcs;
		int n, max = -1;
		int rc = st_ac_rc_names(se->s, c->a, &rcs, &n);
		if (rc != ST_OK)
			return fail_store(c, rc);
		size_t names = 0;
		for (int i = 0; i < n; i++) {
			if (rcs[i].id > max)
				max = rcs[i].id;
			names += strlen(rcs[i].name) + 1;
		}
		size_t size = sizeof(int) * (size_t)(max + 2) + names;
		int *mine = arena_alloc(c->a, size);
		if (mine == NULL)
			return oom(c);
		mine[0] = max + 1;
		for (int i = 0; i <= max; i++)
			mine[1 + i] = -1;
		char *text = (char *)(mine + 2 + max);
		int off = 0;
		for (int i = 0; i < n; i++) {
			if (rcs[i].id < 0)
				continue;
			size_t len = strlen(rcs[i].name);
			mine[1 + rcs[i].id] = off;
			memcpy(text + off, rcs[i].name, len + 1);
			off += (int)len + 1;
		}
		t = ac_cache_put(se->k, ACK_RC_TABLE, 0, NULL, mine, size);
		if (t == NULL)
			t = mine;
	}
	se->nrc = t[0];
	se->rc_off = t + 1;
	se->rc_names = (const char *)(t + 1 + t[0]);
	return 0;
}

static const char *
rc_name(const struct search *se, int id)
{
	if (id >= 0 && id < se->nrc && se->rc_off[id] >= 0)
		return se->rc_names + se->rc_off[id];
	return "";
}

/* Class id by name, or -1. */
static int
rc_by_name(const struct search *se, const char *name)
{
	for (int id = 0; id < se->nrc; id++)
		if (se->rc_off[id] >= 0 && strcmp(se->rc_names + se->rc_off[id], name) == 0)
			return id;
	return -1;
}

/* Whether the engine holds every inventory of class rc. */
static int
class_loaded(const struct search *se, long long rc)
{
	for (int i = 0; i < se->nloaded; i++)
		if (se->loaded[i] == rc)
			return 1;
	return 0;
}

/* Whether some provider has an inventory of a class the engine does not
 * hold in full. */
static int
other_classes(struct search *se, int *out)
{
	size_t size;
	const long long *v = ac_cache_get(se->k, ACK_CLASSES, 0, NULL, &size);
	if (v == NULL) {
		long long *mine;
		int n;
		int rc = st_ac_classes(se->s, se->c->a, &mine, &n);
		if (rc != ST_OK)
			return fail_store(se->c, rc);
		size = sizeof(long long) * (size_t)n;
		v = ac_cache_put(se->k, ACK_CLASSES, 0, NULL, mine, size);
		if (v == NULL)
			v = mine;
	}
	*out = 0;
	for (size_t i = 0; i < size / sizeof(long long) && !*out; i++)
		*out = !class_loaded(se, v[i]);
	return 0;
}

static int
inv_by_id(const void *x, const void *y)
{
	const struct st_ac_inv *a = x, *b = y;
	return (a->rp_id > b->rp_id) - (a->rp_id < b->rp_id);
}

/* Every inventory of class rc (in the tree of tree_root unless 0), by
 * provider id: the engine then meets providers, and builds its options,
 * in id order. */
static int
class_inventories(struct search *se, int rc_id, long long tree_root,
                  const struct st_ac_inv **out, int *n)
{
	struct ctx *c = se->c;
	size_t size;
	const struct st_ac_inv *v = NULL;
	if (tree_root == 0)
		v = ac_cache_get(se->k, ACK_CLASS_INV, rc_id, NULL, &size);
	if (v == NULL) {
		struct st_ac_inv *mine;
		int nr;
		int rc = st_ac_inventories(se->s, c->a, rc_id, tree_root, se->has_trees, &mine, &nr);
		if (rc != ST_OK)
			return fail_store(c, rc);
		int sorted = 1;
		for (int i = 1; i < nr && sorted; i++)
			sorted = mine[i - 1].rp_id <= mine[i].rp_id;
		if (!sorted)
			qsort(mine, (size_t)nr, sizeof(*mine), inv_by_id);
		size = sizeof(*mine) * (size_t)nr;
		if (tree_root == 0)
			v = ac_cache_put(se->k, ACK_CLASS_INV, rc_id, NULL, mine, size);
		if (v == NULL)
			v = mine;
	}
	*out = v;
	*n = (int)(size / sizeof(*v));
	return 0;
}

/* root_required: the sets and whether any root satisfies them. */
static int
setup_anchor_filter(struct search *se, struct ac_options *opt)
{
	struct ctx *c = se->c;
	struct acreq *r = se->r;
	if (r->nroot_req == 0 && r->nroot_forb == 0)
		return 0;
	struct ac_idset *req = arena_alloc(c->a, sizeof(*req) * (size_t)(r->nroot_req + 1));
	struct ac_idset *forb = arena_alloc(c->a, sizeof(*forb));
	if (req == NULL || forb == NULL)
		return oom(c);
	for (int i = 0; i < r->nroot_req; i++)
		if (trait_set(se, r->root_req[i], &req[i]) < 0)
			return -1;
	memset(forb, 0, sizeof(*forb));
	for (int i = 0; i < r->nroot_forb; i++) {
		struct ac_idset one, u;
		if (trait_set(se, r->root_forb[i], &one) < 0)
			return -1;
		if (idset_union(c->a, forb, &one, &u) < 0)
			return oom(c);
		*forb = u;
	}
	opt->anchor_filter = 1;
	opt->anchor_req = req;
	opt->nanchor_req = r->nroot_req;
	opt->anchor_forb = forb;
	/* Does any root qualify?  If not the reference answers "nothing"
	 * before looking at the groups. */
	int any = 0;
	if (r->nroot_req > 0) {
		for (int i = 0; i < req[0].n && !any; i++) {
			long long id = req[0].ids[i];
			if (req[0].roots[i] != id)
				continue;
			int ok = !ac_idset_has(forb, id);
			for (int k = 1; k < r->nroot_req && ok; k++)
				ok = ac_idset_has(&req[k], id);
			any = ok;
		}
	} else {
		long long roots;
		int rc = st_ac_count_roots(se->s, &roots);
		if (rc != ST_OK)
			return fail_store(c, rc);
		long long forb_roots = 0;
		for (int i = 0; i < forb->n; i++)
			forb_roots += forb->roots[i] == forb->ids[i];
		any = roots > forb_roots;
	}
	if (!any)
		se->empty = 1;
	return 0;
}

/* The id of the se->prefix-th provider (by id) that has an inventory of
 * every class of the group with room for its amount, or LLONG_MAX when
 * there are not that many (then nothing is left out).  invs[k] are the
 * class lists, each sorted by provider id. */
static long long
prefix_cutoff(struct search *se, const struct rgroup *rg, const struct st_ac_inv *const *invs,
              const int *ninvs)
{
	int pos[64] = {0};
	long found = 0;
	if (rg->nres > 64)
		return LLONG_MAX;
	for (int i = 0; i < ninvs[0]; i++) {
		const struct st_ac_inv *v = &invs[0][i];
		int ok = ac_amount_fits(v->total, v->reserved, v->min_unit, v->max_unit, v->step_size,
		                        v->ratio, v->used, rg->amount[0]);
		for (int k = 1; k < rg->nres && ok; k++) {
			while (pos[k] < ninvs[k] && invs[k][pos[k]].rp_id < v->rp_id)
				pos[k]++;
			const struct st_ac_inv *w = pos[k] < ninvs[k] ? &invs[k][pos[k]] : NULL;
			ok = w != NULL && w->rp_id == v->rp_id &&
			     ac_amount_fits(w->total, w->reserved, w->min_unit, w->max_unit, w->step_size,
			                    w->ratio, w->used, rg->amount[k]);
		}
		if (ok && ++found == se->prefix)
			return v->rp_id;
	}
	return LLONG_MAX;
}

/* RequestGroupSearchContext + the group's own candidates, in the
 * reference's order: classes, member_of, traits, in_tree, capacity. */
static int
add_group(struct search *se, int gi)
{
	struct ctx *c = se->c;
	struct rgroup *rg = &se->r->g[gi];
	struct ac_group g;
	memset(&g, 0, sizeof(g));
	g.suffix = rg->suffix;
	g.granular = rg->suffix[0] != '\0';
	g.nres = rg->nres;
	int *rcs = arena_alloc(c->a, sizeof(int) * (size_t)(rg->nres + 1));
	if (rcs == NULL)
		return oom(c);
	for (int k = 0; k < rg->nres; k++) {
		rcs[k] = rc_by_name(se, rg->rc_name[k]);
		if (rcs[k] < 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid resource class in resources parameter: No such resource class %s.",
			            rg->rc_name[k]);
	}
	g.rc = rcs;
	g.amount = rg->amount;
	se->rcs_of[gi] = rcs;

	if (rg->nmember > 0) {
		struct ac_idset *m = arena_alloc(c->a, sizeof(*m));
		if (m == NULL)
			return oom(c);
		for (int i = 0; i < rg->nmember; i++) {
			int n = 0;
			while (rg->member_of[i][n])
				n++;
			struct ac_idset one, x;
			if (aggs_set(se, rg->member_of[i], n, &one) < 0)
				return -1;
			if (i == 0)
				x = one;
			else if (idset_inter(c->a, m, &one, &x) < 0)
				return oom(c);
			*m = x;
		}
		if (m->n == 0) {
			se->empty = 1;
			return 0;
		}
		g.member_of = m;
	}
	if (rg->tr.nany > 0) {
		struct ac_idset *req = arena_alloc(c->a, sizeof(*req) * (size_t)rg->tr.nany);
		if (req == NULL)
			return oom(c);
		for (int j = 0; j < rg->tr.nany; j++) {
			memset(&req[j], 0, sizeof(req[j]));
			for (const char **t = rg->tr.any[j]; *t; t++) {
				struct ac_idset one, u;
				if (trait_set(se, *t, &one) < 0)
					return -1;
				if (idset_union(c->a, &req[j], &one, &u) < 0)
					return oom(c);
				req[j] = u;
			}
		}
		g.req = req;
		g.nreq = rg->tr.nany;
	}
	if (rg->tr.nforbidden > 0) {
		struct ac_idset *f = arena_alloc(c->a, sizeof(*f));
		if (f == NULL)
			return oom(c);
		memset(f, 0, sizeof(*f));
		for (int i = 0; i < rg->tr.nforbidden; i++) {
			struct ac_idset one, u;
			if (trait_set(se, rg->tr.forbidden[i], &one) < 0)
				return -1;
			if (idset_union(c->a, f, &one, &u) < 0)
				return oom(c);
			*f = u;
		}
		g.forbidden = f;
	}
	if (rg->in_tree) {
		long long id, root;
		int rc = st_ac_rp_by_uuid(se->s, rg->in_tree, &id, &root);
		if (rc == ST_NOTFOUND) {
			se->empty = 1;
			return 0;
		}
		if (rc != ST_OK)
			return fail_store(c, rc);
		g.in_tree_root = root;
	}
	/* the inventories of the classes not held yet, and room for them */
	const struct st_ac_inv **invs = arena_alloc(c->a, sizeof(*invs) * (size_t)(rg->nres + 1));
	int *ninvs = arena_alloc(c->a, sizeof(int) * (size_t)(rg->nres + 1));
	int most = 0, all = 0;
	if (invs == NULL || ninvs == NULL)
		return oom(c);
	for (int k = 0; k < rg->nres; k++) {
		ninvs[k] = -1;   /* held already */
		if (class_loaded(se, rcs[k]))
			continue;
		if (class_inventories(se, rcs[k], g.in_tree_root, &invs[k], &ninvs[k]) < 0)
			return -1;
		most = ninvs[k] > most ? ninvs[k] : most;
		all += ninvs[k];
	}
	long long cutoff = LLONG_MAX;
	if (se->prefix > 0) {
		/* flat_prefix: one group, its classes read here for the first time */
		cutoff = prefix_cutoff(se, rg, invs, ninvs);
		se->partial = cutoff != LLONG_MAX;
		if (se->partial) {
			most = (int)se->prefix * 2;
			all = most * rg->nres;
		}
	}
	if (ac_reserve(se->e, ac_nproviders(se->e) + most, all) < 0)
		return oom(c);
	for (int k = 0; k < rg->nres; k++) {
		if (ninvs[k] >= 0) {
			const struct st_ac_inv *inv = invs[k];
			int n = ninvs[k];
			for (int i = 0; i < n && inv[i].rp_id <= cutoff; i++) {
				const struct st_ac_inv *v = &inv[i];
				int ix = ac_add_provider(se->e, v->rp_id, v->root_id, v->parent_id, NULL);
				if (ix < 0 || ac_add_inventory(se->e, ix, v->rc_id, v->total, v->reserved, v->min_unit,
				                               v->max_unit, v->step_size, v->ratio, v->used) < 0)
					return oom(c);
			}
			if (g.in_tree_root == 0) {
				long long *l = arena_alloc(c->a, sizeof(long long) * (size_t)(se->nloaded + 1));
				if (l == NULL)
					return oom(c);
				if (se->nloaded)
					memcpy(l, se->loaded, sizeof(long long) * (size_t)se->nloaded);
				l[se->nloaded++] = rcs[k];
				se->loaded = l;
			}
		}
		/* the reference stops when no provider has room for a class */
		if (ac_count_fits(se->e, rcs[k], rg->amount[k], g.in_tree_root) == 0) {
			se->empty = 1;
			return 0;
		}
	}
	if (rg->nforbidden_aggs > 0) {
		struct ac_idset *b = arena_alloc(c->a, sizeof(*b));
		if (b == NULL)
			return oom(c);
		if (aggs_set(se, rg->forbidden_aggs, rg->nforbidden_aggs, b) < 0)
			return -1;
		g.bad_aggs = b;
	}
	long found = ac_add_group(se->e, &g);
	if (found < 0)
		return fail(c, 503, ERR_UNDEFINED, "Out of memory or database error.");
	if (found == 0)
		se->empty = 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The answer */

/* Appends a string literal. */
#define PUT_LIT(b, lit) buf_append((b), (lit), sizeof(lit) - 1)

/* Copies s[0..n) to w; returns the end. */
static inline char *
put(char *w, const char *s, size_t n)
{
	memcpy(w, s, n);
	return w + n;
}
#define put_lit(w, lit) put((w), (lit), sizeof(lit) - 1)

/* A provider of a tree, as the cache keeps a tree (ACK_TREE: the nodes
 * sorted by id). */
struct tree_node {
	long long id, parent_id;
};

/* One provider of the provider summaries. */
struct summary {
	long long id, root_id, parent_id;
	const char *uuid;         /* as a JSON string, quotes included */
	int uuid_len;
	int in_answer;            /* below 1.29 with trees: only these are shown */
	const char *text;         /* its rendered summary, when cached */
	size_t text_len;
	int first_inv, ninv;      /* rows read for rendering: inventories the engine lacks */
	int first_trait, ntraits; /* ... and traits */
};

/* What the answer is built from. */
struct answer {
	struct search *se;
	struct ac_result *res;
	long n;                   /* candidates answered */
	long nall;                /* candidates found (before limit) */
	char *used;               /* per engine provider: allocates in an answered one */
	char *used_any;           /* ... in any found one */
	long long *roots;         /* trees of those providers, sorted */
	int nroots;
	struct summary *sum;      /* every provider of those trees, by id */
	int nsum;
	const char **qu;          /* per engine provider: its uuid as a JSON string */
	int *qu_len;
	int cacheable;            /* summaries have the shape the cache keeps (1.29+) */
	struct st_ac_inv *more;   /* inventories of classes the engine lacks, by provider and class */
	int nmore;
	struct st_ac_trait *traits;   /* traits, by provider and trait id */
	int ntraits;
};

static int
inv_by_rp(const void *x, const void *y)
{
	const struct st_ac_inv *a = x, *b = y;
	if (a->rp_id != b->rp_id)
		return (a->rp_id > b->rp_id) - (a->rp_id < b->rp_id);
	return (a->rc_id > b->rc_id) - (a->rc_id < b->rc_id);
}

static int
trait_by_rp(const void *x, const void *y)
{
	const struct st_ac_trait *a = x, *b = y;
	if (a->rp_id != b->rp_id)
		return (a->rp_id > b->rp_id) - (a->rp_id < b->rp_id);
	return (a->trait_id > b->trait_id) - (a->trait_id < b->trait_id);
}

static int
node_by_root(const void *x, const void *y)
{
	const struct st_ac_node *a = x, *b = y;
	if (a->root_id != b->root_id)
		return (a->root_id > b->root_id) - (a->root_id < b->root_id);
	return (a->id > b->id) - (a->id < b->id);
}

/* The summary of provider id (sum sorted by id), or NULL. */
static struct summary *
summary_of(struct summary *sum, int n, long long id)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (sum[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < n && sum[lo].id == id) ? &sum[lo] : NULL;
}

/* s as a JSON string (quotes included) in the arena, its length in *len;
 * NULL on OOM. */
static char *
json_quoted(struct arena *a, const char *s, int *len)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF-_ ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ.:");
	if (s[n] == '\0') {
		/* nothing to escape (uuids, class names) */
		char *q = arena_alloc(a, n + 3);
		if (q == NULL)
			return NULL;
		q[0] = '"';
		memcpy(q + 1, s, n);
		q[n + 1] = '"';
		*len = (int)n + 2;
		return q;
	}
	struct buf b = {0};
	buf_json_string(&b, s);
	char *q = b.oom ? NULL : arena_strndup(a, b.p, b.len);
	*len = (int)b.len;
	buf_free(&b);
	return q;
}

/* Provider id's uuid as a JSON string: raw (just read) is quoted and
 * cached; else the cache's.  NULL when neither has it (or OOM). */
static const char *
uuid_of(struct search *se, long long id, const char *raw, int *len)
{
	size_t size;
	if (raw == NULL) {
		const char *q = ac_cache_get(se->k, ACK_UUID, id, NULL, &size);
		if (q != NULL)
			*len = (int)size - 1;
		return q;
	}
	char *mine = json_quoted(se->c->a, raw, len);
	if (mine == NULL)
		return NULL;
	const char *q = ac_cache_put(se->k, ACK_UUID, id, NULL, mine, (size_t)*len + 1);
	return q ? q : mine;
}

/* Every provider of the trees of roots[0..n) (sorted, distinct): the
 * cached trees, and the others read (and cached, with their uuids).
 * uuid is filled for the nodes just read only. */
static int
tree_nodes(struct search *se, const long long *roots, int nroots,
           struct st_ac_node **out, int *nout)
{
	struct ctx *c = se->c;
	const struct tree_node **trees = arena_alloc(c->a, sizeof(*trees) * (size_t)(nroots + 1));
	int *ntree = arena_alloc(c->a, sizeof(int) * (size_t)(nroots + 1));
	long long *missing = arena_alloc(c->a, sizeof(long long) * (size_t)(nroots + 1));
	if (trees == NULL || ntree == NULL || missing == NULL)
		return oom(c);
	int nmiss = 0;
	long total = 0;
	for (int i = 0; i < nroots; i++) {
		size_t size = 0;
		trees[i] = ac_cache_get(se->k, ACK_TREE, roots[i], NULL, &size);
		ntree[i] = (int)(size / sizeof(struct tree_node));
		if (trees[i] == NULL)
			missing[nmiss++] = roots[i];
		total += ntree[i];
	}
	struct st_ac_node *fresh = NULL;
	int nfresh = 0, rc;
	if (nmiss > 0) {
		if ((rc = st_ac_tree_nodes(se->s, c->a, missing, nmiss, &fresh, &nfresh)) != ST_OK)
			return fail_store(c, rc);
		if (nfresh > 1)
			qsort(fresh, (size_t)nfresh, sizeof(*fresh), node_by_root);
		struct tree_node *one = arena_alloc(c->a, sizeof(*one) * (size_t)(nfresh + 1));
		if (one == NULL)
			return oom(c);
		for (int i = 0; i < nfresh;) {
			int j = i;
			for (; j < nfresh && fresh[j].root_id == fresh[i].root_id; j++) {
				one[j - i].id = fresh[j].id;
				one[j - i].parent_id = fresh[j].parent_id;
			}
			ac_cache_put(se->k, ACK_TREE, fresh[i].root_id, NULL, one,
			             sizeof(*one) * (size_t)(j - i));
			i = j;
		}
	}
	struct st_ac_node *nodes = arena_alloc(c->a, sizeof(*nodes) * (size_t)(total + nfresh + 1));
	if (nodes == NULL)
		return oom(c);
	int n = 0;
	for (int i = 0; i < nroots; i++)
		for (int k = 0; trees[i] && k < ntree[i]; k++) {
			nodes[n].id = trees[i][k].id;
			nodes[n].parent_id = trees[i][k].parent_id;
			nodes[n].root_id = roots[i];
			nodes[n].uuid = NULL;
			n++;
		}
	for (int i = 0; i < nfresh; i++)
		nodes[n++] = fresh[i];
	*out = nodes;
	*nout = n;
	return 0;
}

/* The providers that allocate and the roots of their trees. */
static int
answer_trees(struct answer *an)
{
	struct ctx *c = an->se->c;
	struct ac_engine *e = an->se->e;
	int np = ac_nproviders(e);
	an->used = arena_alloc(c->a, (size_t)np + 1);
	an->used_any = arena_alloc(c->a, (size_t)np + 1);
	an->roots = arena_alloc(c->a, sizeof(long long) * (size_t)(np + 1));
	an->qu = arena_alloc(c->a, sizeof(char *) * (size_t)(np + 1));
	an->qu_len = arena_alloc(c->a, sizeof(int) * (size_t)(np + 1));
	if (an->used == NULL || an->used_any == NULL || an->roots == NULL || an->qu == NULL ||
	    an->qu_len == NULL)
		return oom(c);
	for (long i = 0; i < an->nall; i++)
		for (int k = 0; k < an->res[i].nalloc; k++) {
			an->used_any[an->res[i].alloc[k].rp] = 1;
			if (i < an->n)
				an->used[an->res[i].alloc[k].rp] = 1;
		}
	int n = 0;
	for (int ix = 0; ix < np; ix++)
		if (an->used[ix])
			an->roots[n++] = ac_provider_root(e, ix);
	if ((an->nroots = sort_unique(c->a, an->roots, n)) < 0)
		return oom(c);
	return 0;
}

/* One summary per provider of those trees, each with its uuid, and the
 * uuid of every provider the answered candidates name. */
static int
answer_summaries(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct ac_engine *e = se->e;
	struct st_ac_node *nodes = NULL;
	int nnodes = 0, rc;
	if (se->has_trees) {
		if (an->nroots > 0 && tree_nodes(se, an->roots, an->nroots, &nodes, &nnodes) < 0)
			return -1;
	} else if (an->nroots > 0) {
		/* no trees anywhere: each allocating provider is its own tree */
		nodes = arena_alloc(c->a, sizeof(*nodes) * (size_t)an->nroots);
		if (nodes == NULL)
			return oom(c);
		for (int i = 0; i < an->nroots; i++) {
			nodes[i].id = nodes[i].root_id = an->roots[i];
			nodes[i].parent_id = 0;
			nodes[i].uuid = NULL;
		}
		nnodes = an->nroots;
	}
	struct summary *sum = arena_alloc(c->a, sizeof(*sum) * (size_t)(nnodes + 1));
	long long *missing = arena_alloc(c->a, sizeof(long long) * (size_t)(nnodes + ac_nproviders(e) + 1));
	if (sum == NULL || missing == NULL)
		return oom(c);
	int nmiss = 0, sorted = 1;
	for (int i = 0; i < nnodes; i++)
		sorted &= i == 0 || nodes[i - 1].id < nodes[i].id;
	if (!sorted) {
		/* by id: each tree's nodes come sorted, but trees interleave */
		long long *keys = arena_alloc_raw(c->a, sizeof(long long) * (size_t)(nnodes + 1));
		int *perm = arena_alloc_raw(c->a, sizeof(int) * (size_t)(nnodes + 1));
		struct st_ac_node *by_id = arena_alloc_raw(c->a, sizeof(*by_id) * (size_t)(nnodes + 1));
		if (keys == NULL || perm == NULL || by_id == NULL)
			return oom(c);
		for (int i = 0; i < nnodes; i++)
			keys[i] = nodes[i].id;
		if (radix_order(c->a, keys, nnodes, perm) < 0)
			return oom(c);
		for (int i = 0; i < nnodes; i++)
			by_id[i] = nodes[perm[i]];
		nodes = by_id;
	}
	for (int i = 0; i < nnodes; i++) {
		struct summary *s = &sum[i];
		s->id = nodes[i].id;
		s->root_id = nodes[i].root_id;
		s->parent_id = nodes[i].parent_id;
		s->uuid = uuid_of(se, s->id, nodes[i].uuid, &s->uuid_len);
		if (s->uuid == NULL)
			missing[nmiss++] = s->id;
	}
	for (int i = 0; i < nnodes; i++) {
		int ix = ac_find(e, sum[i].id);
		if (ix < 0)
			continue;
		sum[i].in_answer = an->used_any[ix];
		an->qu[ix] = sum[i].uuid ? sum[i].uuid : "\"\"";   /* "": asked for below */
		an->qu_len[ix] = sum[i].uuid ? sum[i].uuid_len : 2;
	}
	/* providers named only in mappings (resourceless groups) */
	int ng = se->r->ng;
	for (long i = 0; i < an->n; i++)
		for (int k = 0; k < an->res[i].map_off[ng]; k++) {
			int ix = an->res[i].map_rp[k];
			if (an->qu[ix] != NULL)
				continue;
			an->qu[ix] = uuid_of(se, ac_provider_id(e, ix), NULL, &an->qu_len[ix]);
			if (an->qu[ix] == NULL) {
				missing[nmiss++] = ac_provider_id(e, ix);
				an->qu[ix] = "\"\"";   /* marks it asked for */
				an->qu_len[ix] = 2;
			}
		}
	if (nmiss > 0) {
		struct st_ac_node *found;
		int nf;
		if ((rc = st_ac_nodes_by_id(se->s, c->a, missing, nmiss, &found, &nf)) != ST_OK)
			return fail_store(c, rc);
		for (int i = 0; i < nf; i++) {
			int len;
			const char *q = uuid_of(se, found[i].id, found[i].uuid, &len);
			if (q == NULL)
				return oom(c);
			struct summary *s = summary_of(sum, nnodes, found[i].id);
			if (s != NULL) {
				s->uuid = q;
				s->uuid_len = len;
			}
			int ix = ac_find(e, found[i].id);
			if (ix >= 0) {
				an->qu[ix] = q;
				an->qu_len[ix] = len;
			}
		}
	}
	for (int i = 0; i < nnodes; i++)
		if (sum[i].uuid == NULL) {
			/* gone meanwhile: cannot happen inside one transaction */
			sum[i].uuid = "\"\"";
			sum[i].uuid_len = 2;
		}
	an->sum = sum;
	an->nsum = nnodes;
	return 0;
}

/* Whether summary s is shown (below 1.29 with trees only providers that
 * allocate in some candidate are). */
static int
shown(const struct answer *an, const struct summary *s)
{
	return !(an->se->c->mv < 29 && an->se->has_trees) || s->in_answer;
}

/* The traits of providers ids[0..n) (rows in no particular order): from
 * the cache, which keeps each provider's (ACK_RP_TRAITS: a count, then
 * trait id and NUL-ended name of each, by trait id), or read and kept.
 * They stay across commits that touch only usage: a summary that a claim
 * made old is rendered again without reading them. */
static int
provider_traits(struct search *se, const long long *ids, int n, struct st_ac_trait **out,
                int *nout)
{
	struct ctx *c = se->c;
	long long *miss = arena_alloc(c->a, sizeof(*miss) * (size_t)(n + 1));
	const char **blob = arena_alloc(c->a, sizeof(*blob) * (size_t)(n + 1));
	if (miss == NULL || blob == NULL)
		return oom(c);
	int nmiss = 0, total = 0;
	for (int i = 0; i < n; i++) {
		size_t size = 0;
		blob[i] = ac_cache_get(se->k, ACK_RP_TRAITS, ids[i], NULL, &size);
		if (blob[i] == NULL || size < sizeof(long long)) {
			blob[i] = NULL;
			miss[nmiss++] = ids[i];
		} else {
			long long k;
			memcpy(&k, blob[i], sizeof(k));
			total += (int)k;
		}
	}
	struct st_ac_trait *fresh = NULL;
	int nfresh = 0;
	if (nmiss > 0) {
		int rc = st_ac_traits_of(se->s, c->a, miss, nmiss, &fresh, &nfresh);
		if (rc != ST_OK)
			return fail_store(c, rc);
		if (nfresh > 1)
			qsort(fresh, (size_t)nfresh, sizeof(*fresh), trait_by_rp);
		/* keep each missed provider's, none included */
		struct buf b = {0};
		int f = 0;
		for (int m = 0; m < nmiss && se->k != NULL; m++) {
			while (f < nfresh && fresh[f].rp_id < miss[m])
				f++;
			int first = f;
			long long k = 0;
			while (f < nfresh && fresh[f].rp_id == miss[m])
				f++, k++;
			buf_reset(&b);
			buf_append(&b, (const char *)&k, sizeof(k));
			for (int t = first; t < f; t++) {
				buf_append(&b, (const char *)&fresh[t].trait_id, sizeof(fresh[t].trait_id));
				buf_append(&b, fresh[t].name, strlen(fresh[t].name) + 1);
			}
			if (!b.oom)
				ac_cache_put(se->k, ACK_RP_TRAITS, miss[m], NULL, b.p, b.len);
		}
		buf_free(&b);
	}
	struct st_ac_trait *rows = arena_alloc(c->a, sizeof(*rows) * (size_t)(total + nfresh + 1));
	if (rows == NULL)
		return oom(c);
	int nrows = 0;
	for (int i = 0; i < n; i++) {
		if (blob[i] == NULL)
			continue;
		long long k;
		const char *p = blob[i];
		memcpy(&k, p, sizeof(k));
		p += sizeof(k);
		for (long long t = 0; t < k; t++) {
			struct st_ac_trait *r = &rows[nrows++];
			r->rp_id = ids[i];
			memcpy(&r->trait_id, p, sizeof(r->trait_id));
			p += sizeof(r->trait_id);
			r->name = p;
			p += strlen(p) + 1;
		}
	}
	for (int f = 0; f < nfresh; f++)
		rows[nrows++] = fresh[f];
	*out = rows;
	*nout = nrows;
	return 0;
}

/* The cached summaries, and what rendering the others needs: their
 * inventories of the classes the engine lacks (only when some exist and
 * the microversion shows them) and their traits. */
static int
answer_rows(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	int rc;
	an->cacheable = c->mv >= 29;
	/* the providers whose summaries are to be rendered, by id */
	long long *ids = arena_alloc(c->a, sizeof(long long) * (size_t)(an->nsum + 1));
	if (ids == NULL)
		return oom(c);
	int nids = 0;
	for (int i = 0; i < an->nsum; i++) {
		struct summary *s = &an->sum[i];
		s->first_inv = s->first_trait = -1;
		if (!shown(an, s))
			continue;
		if (an->cacheable)
			s->text = ac_cache_get(se->k, ACK_SUMMARY, s->id, NULL, &s->text_len);
		if (s->text == NULL)
			ids[nids++] = s->id;
	}
	if (nids == 0)
		return 0;
	int need_more = 0;
	if (c->mv >= 27 && other_classes(se, &need_more) < 0)
		return -1;
	for (int gi = 0; gi < se->r->ng && !need_more; gi++)
		for (int k = 0; se->rcs_of[gi] && k < se->r->g[gi].nres; k++)
			need_more |= !class_loaded(se, se->rcs_of[gi][k]);
	if (need_more) {
		if ((rc = st_ac_inventories_of(se->s, c->a, ids, nids, se->loaded, se->nloaded,
		                               &an->more, &an->nmore)) != ST_OK)
			return fail_store(c, rc);
		int sorted = 1;
		for (int i = 1; i < an->nmore && sorted; i++)
			sorted = inv_by_rp(&an->more[i - 1], &an->more[i]) <= 0;
		if (!sorted)
			qsort(an->more, (size_t)an->nmore, sizeof(*an->more), inv_by_rp);
		for (int i = 0; i < an->nmore; i++) {
			struct summary *s = summary_of(an->sum, an->nsum, an->more[i].rp_id);
			if (s == NULL)
				continue;
			if (s->first_inv < 0)
				s->first_inv = i;
			s->ninv++;
		}
	}
	if (c->mv >= 17) {
		if (provider_traits(se, ids, nids, &an->traits, &an->ntraits) < 0)
			return -1;
		int sorted = 1;
		for (int i = 1; i < an->ntraits && sorted; i++)
			sorted = trait_by_rp(&an->traits[i - 1], &an->traits[i]) <= 0;
		if (!sorted)
			qsort(an->traits, (size_t)an->ntraits, sizeof(*an->traits), trait_by_rp);
		for (int i = 0; i < an->ntraits; i++) {
			struct summary *s = summary_of(an->sum, an->nsum, an->traits[i].rp_id);
			if (s == NULL)
				continue;
			if (s->first_trait < 0)
				s->first_trait = i;
			s->ntraits++;
		}
	}
	return 0;
}

/* "allocation_requests": a list of allocations before 1.12, a dict by
 * provider after, with mappings from 1.34. */
static int
write_requests(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct buf *b = c->w.b;
	int ng = se->r->ng;
	/* keys written again and again: the classes asked for, the groups */
	const char **rck = arena_alloc(c->a, sizeof(char *) * (size_t)(se->nrc + 1));
	int *rck_len = arena_alloc(c->a, sizeof(int) * (size_t)(se->nrc + 1));
	const char **gk = arena_alloc(c->a, sizeof(char *) * (size_t)(ng + 1));
	int *gk_len = arena_alloc(c->a, sizeof(int) * (size_t)(ng + 1));
	if (rck == NULL || rck_len == NULL || gk == NULL || gk_len == NULL)
		return oom(c);
	for (int gi = 0; gi < ng; gi++) {
		for (int k = 0; se->rcs_of[gi] && k < se->r->g[gi].nres; k++) {
			int rc = se->rcs_of[gi][k];
			if (rc >= 0 && rc < se->nrc && rck[rc] == NULL &&
			    (rck[rc] = json_quoted(c->a, rc_name(se, rc), &rck_len[rc])) == NULL)
				return oom(c);
		}
		if ((gk[gi] = json_quoted(c->a, se->r->g[gi].suffix, &gk_len[gi])) == NULL)
			return oom(c);
	}
	int dict = c->mv >= 12, maps = c->mv >= 34;
	jw_key(&c->w, "allocation_requests");
	buf_putc(b, '[');
	for (long i = 0; i < an->n; i++) {
		const struct ac_result *r = &an->res[i];
		/* room for the whole request at once, then plain copies */
		size_t room = 64;
		for (int k = 0; k < r->nalloc; k++) {
			int rc = r->alloc[k].rc;
			if (rc < 0 || rc >= se->nrc)
				return fail(c, 500, ERR_UNDEFINED, "Unknown resource class.");
			if (rck[rc] == NULL && (rck[rc] = json_quoted(c->a, rc_name(se, rc), &rck_len[rc])) == NULL)
				return oom(c);
			room += (size_t)an->qu_len[r->alloc[k].rp] + (size_t)rck_len[rc] + 80;
		}
		for (int gi = 0; maps && gi < ng; gi++) {
			room += (size_t)gk_len[gi] + 4;
			for (int k = r->map_off[gi]; k < r->map_off[gi + 1]; k++)
				room += (size_t)an->qu_len[r->map_rp[k]] + 1;
		}
		char *w0 = buf_room(b, room), *w = w0;
		if (w == NULL)
			return oom(c);
		if (i)
			*w++ = ',';
		w = put_lit(w, "{\"allocations\":");
		*w++ = dict ? '{' : '[';
		for (int k = 0; k < r->nalloc; k++) {
			int rp = r->alloc[k].rp, seen = 0;
			for (int j = 0; j < k && !seen; j++)
				seen = r->alloc[j].rp == rp;
			if (seen)
				continue;
			if (w[-1] != '{' && w[-1] != '[')
				*w++ = ',';
			if (dict) {
				w = put(w, an->qu[rp], (size_t)an->qu_len[rp]);
				w = put_lit(w, ":{\"resources\":{");
			} else {
				w = put_lit(w, "{\"resource_provider\":{\"uuid\":");
				w = put(w, an->qu[rp], (size_t)an->qu_len[rp]);
				w = put_lit(w, "},\"resources\":{");
			}
			for (int j = k; j < r->nalloc; j++) {
				if (r->alloc[j].rp != rp)
					continue;
				int rc = r->alloc[j].rc;
				if (w[-1] != '{')
					*w++ = ',';
				w = put(w, rck[rc], (size_t)rck_len[rc]);
				*w++ = ':';
				w += fmt_int(w, r->alloc[j].amount);
			}
			w = put_lit(w, "}}");
		}
		*w++ = dict ? '}' : ']';
		if (maps) {
			w = put_lit(w, ",\"mappings\":{");
			for (int gi = 0; gi < ng; gi++) {
				if (gi)
					*w++ = ',';
				w = put(w, gk[gi], (size_t)gk_len[gi]);
				*w++ = ':';
				*w++ = '[';
				for (int k = r->map_off[gi]; k < r->map_off[gi + 1]; k++) {
					if (k > r->map_off[gi])
						*w++ = ',';
					w = put(w, an->qu[r->map_rp[k]], (size_t)an->qu_len[r->map_rp[k]]);
				}
				*w++ = ']';
			}
			*w++ = '}';
		}
		*w++ = '}';
		buf_advance(b, (size_t)(w - w0));
	}
	buf_putc(b, ']');
	return 0;
}

/* One inventory shown in a summary. */
struct shown_inv {
	int rc;
	long long capacity, used;
};

/* Appends summary s ("uuid":{...}): all its classes from 1.27 (else the
 * requested ones), traits from 1.17, parent and root from 1.29. */
static int
render_summary(struct answer *an, const struct summary *s, const char *requested, struct buf *b)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct ac_engine *e = se->e;
	struct ac_inv_info v;
	int ix = ac_find(e, s->id), cap = s->ninv, n = 0;
	for (int k = 0; ix >= 0 && ac_provider_inventory(e, ix, k, &v); k++)
		cap++;
	struct shown_inv *inv = arena_alloc(c->a, sizeof(*inv) * (size_t)(cap + 1));
	if (inv == NULL)
		return oom(c);
	for (int k = 0; ix >= 0 && ac_provider_inventory(e, ix, k, &v); k++) {
		if (!class_loaded(se, v.rc))
			continue;
		inv[n].rc = v.rc;
		inv[n].capacity = (long long)((double)(v.total - v.reserved) * v.ratio);
		inv[n].used = v.used;
		n++;
	}
	for (int k = 0; k < s->ninv; k++) {
		const struct st_ac_inv *m = &an->more[s->first_inv + k];
		inv[n].rc = m->rc_id;
		inv[n].capacity = (long long)((double)(m->total - m->reserved) * m->ratio);
		inv[n].used = m->used;
		n++;
	}
	for (int i = 1; i < n; i++)          /* by class id, as the reference lists them */
		for (int j = i; j > 0 && inv[j - 1].rc > inv[j].rc; j--) {
			struct shown_inv t = inv[j];
			inv[j] = inv[j - 1];
			inv[j - 1] = t;
		}
	buf_append(b, s->uuid, (size_t)s->uuid_len);
	PUT_LIT(b, ":{\"resources\":{");
	int first = 1;
	for (int i = 0; i < n; i++) {
		int rc = inv[i].rc;
		if (c->mv < 27 && !(rc >= 0 && rc < se->nrc && requested[rc]))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		buf_json_string(b, rc_name(se, rc));
		PUT_LIT(b, ":{\"capacity\":");
		buf_put_int(b, inv[i].capacity);
		PUT_LIT(b, ",\"used\":");
		buf_put_int(b, inv[i].used);
		buf_putc(b, '}');
	}
	buf_putc(b, '}');
	if (c->mv >= 17) {
		PUT_LIT(b, ",\"traits\":[");
		for (int k = 0; k < s->ntraits; k++) {
			if (k)
				buf_putc(b, ',');
			buf_json_string(b, an->traits[s->first_trait + k].name);
		}
		buf_putc(b, ']');
	}
	if (c->mv >= 29) {
		const struct summary *p = s->parent_id ? summary_of(an->sum, an->nsum, s->parent_id) : NULL;
		const struct summary *r = summary_of(an->sum, an->nsum, s->root_id);
		if (r == NULL)
			r = s;
		PUT_LIT(b, ",\"parent_provider_uuid\":");
		if (p != NULL)
			buf_append(b, p->uuid, (size_t)p->uuid_len);
		else
			PUT_LIT(b, "null");
		PUT_LIT(b, ",\"root_provider_uuid\":");
		buf_append(b, r->uuid, (size_t)r->uuid_len);
	}
	buf_putc(b, '}');
	return 0;
}

/* "provider_summaries": every provider of the trees used (below 1.29,
 * with trees about, only the providers that allocate in some candidate,
 * limited or not: the reference filters before it limits). */
static int
write_summaries(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct buf *b = c->w.b;
	char *requested = arena_alloc(c->a, (size_t)se->nrc + 1);
	if (requested == NULL)
		return oom(c);
	for (int gi = 0; gi < se->r->ng; gi++)
		for (int k = 0; se->rcs_of[gi] && k < se->r->g[gi].nres; k++)
			if (se->rcs_of[gi][k] >= 0 && se->rcs_of[gi][k] < se->nrc)
				requested[se->rcs_of[gi][k]] = 1;
	jw_key(&c->w, "provider_summaries");
	buf_putc(b, '{');
	int first = 1;
	for (int i = 0; i < an->nsum; i++) {
		const struct summary *s = &an->sum[i];
		if (!shown(an, s))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		if (s->text != NULL) {
			buf_append(b, s->text, s->text_len);
			continue;
		}
		size_t start = b->len;
		if (render_summary(an, s, requested, b) < 0)
			return -1;
		if (an->cacheable && !b->oom)
			ac_cache_put(se->k, ACK_SUMMARY, s->id, NULL, b->p + start, b->len - start);
	}
	buf_putc(b, '}');
	return 0;
}

/* Writes the answer: the first n of the nall candidates found. */
static int
write_answer(struct search *se, struct ac_result *res, long n, long nall)
{
	struct answer an;
	memset(&an, 0, sizeof(an));
	an.se = se;
	an.res = res;
	an.n = n;
	an.nall = nall;
	if (answer_trees(&an) < 0 || answer_summaries(&an) < 0 || answer_rows(&an) < 0)
		return -1;
	reply_json(se->c, 200);
	jw_obj(&se->c->w, NULL);
	if (write_requests(&an) < 0 || write_summaries(&an) < 0)
		return -1;
	jw_obj_end(&se->c->w);
	return 0;
}

/* An empty answer (no candidates). */
static int
write_empty(struct ctx *c)
{
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_arr(&c->w, "allocation_requests");
	jw_arr_end(&c->w);
	jw_obj(&c->w, "provider_summaries");
	jw_obj_end(&c->w);
	jw_obj_end(&c->w);
	return 0;
}

/* Picks `limit` of the n candidates at random and shuffles them (the
 * reference's randomize_allocation_candidates). */
static void
shuffle(struct ac_result *res, long n, long keep)
{
	static int seeded;
	if (!seeded) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
		seeded = 1;
	}
	for (long i = 0; i < keep && i < n - 1; i++) {
		long j = i + (long)(random() % (n - i));
		struct ac_result t = res[i];
		res[i] = res[j];
		res[j] = t;
	}
}

/* How many providers to feed the engine (see struct search), or 0 for
 * all.  When every tree is one provider, no provider shares, and one
 * group asks, each provider is a candidate or not on its own, and the
 * candidates come in provider id order: the first cap of them are among
 * the first providers with room, so the engine needs only those (a
 * margin more, for the ones the trait and aggregate filters drop; when
 * too few pass, search_and_answer feeds it everything).  In the
 * scheduler's loop this makes a query's cost follow its limit rather
 * than the number of providers. */
static long
flat_prefix(const struct search *se, long cap, int randomize)
{
	const struct acreq *r = se->r;
	if (cap <= 0 || randomize || se->has_trees || se->sharing.n > 0 || r->ng != 1 ||
	    r->g[0].suffix[0] != '\0' || r->g[0].nres == 0 || r->g[0].in_tree || r->nsame > 0 ||
	    cap > LONG_MAX / 2)
		return 0;
	return cap + cap / 8 + 1;
}

/* Builds the engine for the request's groups, fed as se->prefix says,
 * and finds at most cap candidates into *res / *nall; se->empty when
 * the reference would answer nothing early.  0, or -1 after an error. */
static int
solve(struct search *se, const struct ac_options *opt, long cap, int breadth,
      struct ac_result **res, long *nall)
{
	struct ctx *c = se->c;
	struct acreq *r = se->r;
	*nall = 0;
	se->e = ac_new(c->a, opt);
	se->rcs_of = arena_alloc(c->a, sizeof(int *) * (size_t)(r->ng + 1));
	if (se->e == NULL || se->rcs_of == NULL)
		return oom(c);
	for (int gi = 0; gi < r->ng && !se->empty; gi++)
		if (add_group(se, gi) < 0)
			return -1;
	if (se->empty)
		return 0;
	for (int i = 0; i < r->nsame; i++) {
		int *idx = arena_alloc(c->a, sizeof(int) * (size_t)(r->nsame_each[i] + 1));
		int n = 0;
		if (idx == NULL)
			return oom(c);
		for (int k = 0; k < r->nsame_each[i]; k++) {
			int gi = find_group(r, r->same[i][k]);
			if (gi >= 0)
				idx[n++] = gi;
		}
		if (ac_add_same_subtree(se->e, idx, n) < 0)
			return oom(c);
	}
	if (ac_needs_trees(se->e)) {
		/* ancestry of every provider in play */
		int np = ac_nproviders(se->e);
		long long *roots = arena_alloc(c->a, sizeof(long long) * (size_t)(np + 1));
		if (roots == NULL)
			return oom(c);
		for (int i = 0; i < np; i++)
			roots[i] = ac_provider_root(se->e, i);
		int nr = sort_unique(c->a, roots, np);
		if (nr < 0)
			return oom(c);
		struct st_ac_node *nodes;
		int nn;
		if (tree_nodes(se, roots, nr, &nodes, &nn) < 0)
			return -1;
		for (int i = 0; i < nn; i++)
			if (ac_add_provider(se->e, nodes[i].id, nodes[i].root_id, nodes[i].parent_id, NULL) < 0)
				return oom(c);
	}
	if (ac_solve(se->e, cap, breadth, res, nall) < 0)
		return oom(c);
	return 0;
}

static int
search_and_answer(struct ctx *c, struct acreq *r)
{
	struct search se;
	memset(&se, 0, sizeof(se));
	se.c = c;
	se.s = c->db;
	se.r = r;
	int rc = store_begin(c->db, 0);
	if (rc != ST_OK)
		return fail_store(c, rc);
	se.k = c->app ? c->app->ac_cache : NULL;
	if (ac_refresh(c, se.k) < 0)
		return -1;
	/* The same query (microversion and query string, byte for byte) on
	 * the same database version has the same answer, unless answers are
	 * random: a repeated one is copied from the cache. */
	const char *memo_key = se.k != NULL && !c->cfg->randomize_allocation_candidates
	                       ? c->req->query : NULL;
	if (memo_key != NULL) {
		size_t len;
		const char *hit = ac_cache_get(se.k, ACK_ANSWER, c->mv, memo_key, &len);
		if (hit != NULL) {
			reply_json(c, 200);
			buf_append(&c->resp->body, hit, len);
			if (c->resp->body.oom)
				return oom(c);
			store_commit(c->db);
			return 0;
		}
	}
	if (load_has_trees(&se) < 0 || load_rc_table(&se) < 0)
		return -1;

	struct ac_options opt;
	memset(&opt, 0, sizeof(opt));
	opt.isolate = r->group_policy && strcmp(r->group_policy, "isolate") == 0;
	opt.exclude_nested = c->mv < 29 && se.has_trees;
	opt.load_anchors = load_anchors;
	opt.load_arg = &se;
	if (setup_anchor_filter(&se, &opt) < 0)
		return -1;
	if (se.empty) {
		store_commit(c->db);
		return write_empty(c);
	}
	struct ac_idset sharing = {0};
	if (trait_set(&se, "MISC_SHARES_VIA_AGGREGATE", &sharing) < 0) {
		/* a database without the standard traits: no sharing */
		c->err.status = 0;
		memset(&sharing, 0, sizeof(sharing));
	}
	se.sharing = sharing;
	opt.sharing = &se.sharing;

	/* Below 1.29 with trees the summaries depend on every candidate,
	 * so the limit cannot stop the search early there. */
	long cap = c->cfg->max_allocation_candidates >= 0 ? c->cfg->max_allocation_candidates : -1;
	int randomize = c->cfg->randomize_allocation_candidates;
	int whole = c->mv < 29 && se.has_trees;
	if (r->limit > 0 && !randomize && !whole && (cap < 0 || r->limit < cap))
		cap = r->limit > LONG_MAX ? LONG_MAX : (long)r->limit;
	int breadth = strcmp(c->cfg->allocation_candidates_generation_strategy, "breadth-first") == 0;
	struct ac_result *res;
	long nall, n;
	se.prefix = flat_prefix(&se, cap, randomize);
	if (solve(&se, &opt, cap, breadth, &res, &nall) < 0)
		return -1;
	if (se.partial && (se.empty || nall < cap)) {
		/* the providers left out may hold candidates: all of them */
		se.prefix = 0;
		se.partial = se.empty = 0;
		se.loaded = NULL;
		se.nloaded = 0;
		if (solve(&se, &opt, cap, breadth, &res, &nall) < 0)
			return -1;
	}
	if (se.empty) {
		store_commit(c->db);
		return write_empty(c);
	}
	n = nall;
	if (r->limit < 0) {
		/* the reference slices [:limit] */
		long drop = r->limit < -(long long)n ? n : (long)-r->limit;
		if (randomize)
			shuffle(res, n, n);
		n -= drop;
	} else if (randomize && n > 1) {
		long keep = (r->limit > 0 && r->limit < n) ? (long)r->limit : n;
		shuffle(res, n, keep);
		n = keep;
	} else if (r->limit > 0 && r->limit < n) {
		n = (long)r->limit;
	}
	if (write_answer(&se, res, n, nall) < 0)
		return -1;
	if (memo_key != NULL && !c->resp->body.oom)
		ac_cache_put(se.k, ACK_ANSWER, c->mv, memo_key, c->resp->body.p, c->resp->body.len);
	store_commit(c->db);
	return 0;
}

int
h_ac_list(struct ctx *c)
{
	if (authorize(c, "placement:allocation_candidates:list", NULL) < 0)
		return -1;
	if (check_schema(c) < 0)
		return -1;
	struct acreq r;
	memset(&r, 0, sizeof(r));
	if (parse_request_wide(c, &r) < 0)
		return -1;
	if (parse_groups(c, &r) < 0)
		return -1;
	if (r.group_policy == NULL || r.group_policy[0] == '\0') {
		int granular = 0;
		for (int i = 0; i < r.ng; i++)
			granular += r.g[i].suffix[0] != '\0';
		if (granular > 1)
			return fail(c, 400, ERR_UNDEFINED,
			            "The \"group_policy\" parameter is required when specifying more than one "
			            "\"resources{N}\" parameter.");
	}
	return search_and_answer(c, &r);
}
