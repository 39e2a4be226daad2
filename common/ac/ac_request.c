/* GET /allocation_candidates: checking and parsing the query string;
 * see ac_request.h. */
#include "ac_request.h"
#include "../http/jschema.h"
#include "../util/pytext.h"
#include "../util/pyjson.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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




static int
str_in(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
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

int
ac_find_group(const struct acreq *r, const char *suffix)
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
			            py_repr_str(c->a, v));
	}
	r->group_policy = q_get(c, "group_policy");
	int nroot = q_count(c, "root_required");
	if (nroot > 1)
		return fail(c, 400, ERR_QUERY_DUPLICATE, "Query parameter 'root_required' may be specified only once.");
	if (nroot == 1) {
		struct name_filter e = {0};
		if (filter_traits_value(c, q_get(c, "root_required"), 1, 0, &e) < 0)
			return -1;
		for (int i = 0; i < e.nany; i++)
			if (add_name(c->a, &r->root_req, &r->nroot_req, e.any[i].v[0]) < 0)
				return fail_oom(c);
		r->root_forb = e.forbidden.v;
		r->nroot_forb = e.forbidden.n;
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
			return fail_oom(c);
		for (int i = 0; i < c->nq; i++) {
			if (strcmp(c->q[i].key, "same_subtree") != 0)
				continue;
			int n;
			const char **parts = py_split(c->a, c->q[i].value, ',', &n);
			if (parts == NULL)
				return fail_oom(c);
			const char **set = NULL;
			int nset = 0;
			for (int k = 0; k < n; k++) {
				char *s = py_strip(c->a, parts[k]);
				if (s == NULL || add_name(c->a, &set, &nset, s) < 0)
					return fail_oom(c);
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
			return fail_oom(c);
	for (int i = 0; i < r->nsame; i++)
		for (int k = 0; k < r->nsame_each[i]; k++)
			if (add_name(c->a, &subtree, &nsub, r->same[i][k]) < 0)
				return fail_oom(c);
	if (nresless == r->ng)
		return fail(c, 400, ERR_QUERY_MISSING,
		            "There must be at least one resources or resources[$S] parameter.");
	const char **bad = NULL;
	int nbad = 0;
	for (int i = 0; i < nresless; i++)
		if (!str_in(subtree, nsub, resourceless[i]) &&
		    add_name(c->a, &bad, &nbad, resourceless[i]) < 0)
			return fail_oom(c);
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
		if (ac_find_group(r, subtree[i]) < 0 && add_name(c->a, &bad, &nbad, subtree[i]) < 0)
			return fail_oom(c);
	if (nbad) {
		const char **all = arena_alloc(c->a, sizeof(char *) * (size_t)(r->ng + 1));
		if (all == NULL)
			return fail_oom(c);
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
		if (r->g[i].nres == 0 && (r->g[i].aggs.nany > 0 || r->g[i].aggs.forbidden.n > 0))
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
		const struct name_filter *e = &r->g[i].tr;
		for (int j = 0; j < e->nany; j++) {
			int all = 1, n = 0;
			for (const char **t = e->any[j].v; *t; t++, n++)
				all &= str_in(e->forbidden.v, e->forbidden.n, *t);
			if (!all || n == 0)
				continue;
			/* sorted names of the clause */
			const char **sorted = arena_alloc(c->a, sizeof(char *) * (size_t)n);
			if (sorted == NULL)
				return fail_oom(c);
			memcpy(sorted, e->any[j].v, sizeof(char *) * (size_t)n);
			if (n > 1)
				qsort(sorted, (size_t)n, sizeof(char *), py_cmp_str);
			struct buf b = {0};
			buf_printf(&b, "required%s: (", r->g[i].suffix);
			for (int k = 0; k < n; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", sorted[k]);
			buf_putc(&b, ')');
			char *s = b.oom ? NULL : arena_strndup(c->a, b.p, b.len);
			buf_free(&b);
			if (s == NULL || add_name(c->a, &conf, &nconf, s) < 0)
				return fail_oom(c);
		}
	}
	if (nconf) {
		if (nconf > 1)
			qsort(conf, (size_t)nconf, sizeof(char *), py_cmp_str);
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
		return fail_oom(c);
	for (int i = 0; i < c->nq; i++) {
		int kind;
		const char *suffix;
		if (!group_key(c, c->q[i].key, &kind, &suffix))
			continue;
		/* Before 1.33 only numbers are suffixes; the schema already
		 * refused anything else. */
		int gi = ac_find_group(r, suffix);
		if (gi < 0) {
			gi = r->ng++;
			memset(&r->g[gi], 0, sizeof(r->g[gi]));
			r->g[gi].suffix = suffix;
		}
		struct rgroup *g = &r->g[gi];
		const char *val = c->q[i].value;
		switch (kind) {
		case 0:
			if (filter_resources(c, val, &g->rc_name, &g->amount, &g->nres) < 0)
				return -1;
			break;
		case 1:
			if (filter_required(c, arena_printf(c->a, "required%s", suffix), &g->tr) < 0)
				return -1;
			break;
		case 2:
			if (filter_member_of(c, suffix, &g->aggs) < 0)
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

int
ac_parse_request(struct ctx *c, struct acreq *r)
{
	memset(r, 0, sizeof(*r));
	if (check_schema(c) < 0 || parse_request_wide(c, r) < 0 || parse_groups(c, r) < 0)
		return -1;
	if (r->group_policy == NULL || r->group_policy[0] == '\0') {
		int granular = 0;
		for (int i = 0; i < r->ng; i++)
			granular += r->g[i].suffix[0] != '\0';
		if (granular > 1)
			return fail(c, 400, ERR_UNDEFINED,
			            "The \"group_policy\" parameter is required when specifying more than one "
			            "\"resources{N}\" parameter.");
	}
	return 0;
}
