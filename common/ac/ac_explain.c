/* The explainer; see ac_explain.h. */
#include "ac_explain.h"
#include "ac_refresh.h"
#include "ac_search.h"
#include <string.h>

/* One search of r as the handler makes it, but explaining into x (NULL:
 * not) and with every inventory of the requested classes fed.  *found:
 * the candidates (at most cap; 0 when the reference stops early). */
static int
explain_run(struct ctx *c, struct acreq *r, int isolate, long cap, struct ac_explain *x,
            struct search *se, long *found)
{
	memset(se, 0, sizeof(*se));
	se->c = c;
	se->s = c->db;
	se->r = r;
	se->k = c->app ? c->app->ac_cache : NULL;
	se->explain = 1;
	se->anchor_roots = -1;
	*found = 0;
	if (search_load_has_trees(se) < 0 || search_load_rc_table(se) < 0)
		return -1;
	struct ac_options opt;
	memset(&opt, 0, sizeof(opt));
	opt.isolate = isolate;
	opt.exclude_nested = c->mv < 29 && se->has_trees;
	opt.load_anchors = search_load_anchors;
	opt.load_arg = se;
	opt.explain = x;
	if (search_anchor_filter(se, &opt) < 0)
		return -1;
	if (search_trait_set(se, "MISC_SHARES_VIA_AGGREGATE", &se->sharing) < 0) {
		c->err.status = 0;   /* a database without the standard traits */
		memset(&se->sharing, 0, sizeof(se->sharing));
	}
	opt.sharing = &se->sharing;
	struct ac_result *res;
	if (search_solve(se, &opt, cap, 0, &res, found) < 0)
		return -1;
	if (se->empty)
		*found = 0;
	return 0;
}

int
ac_explain_request(struct ctx *c, const struct acreq *req, long cap, struct ac_explanation *out)
{
	memset(out, 0, sizeof(*out));
	out->r = req;
	out->cap = cap;
	out->without_isolate = out->without_same_subtree = -1;
	if (ac_refresh(c, c->app ? c->app->ac_cache : NULL) < 0)
		return -1;
	struct acreq r = *req;
	int isolate = r.group_policy && strcmp(r.group_policy, "isolate") == 0;
	struct search se;
	if (explain_run(c, &r, isolate, cap, &out->x, &se, &out->found) < 0)
		return -1;
	if (out->x.failed)
		return fail_oom(c);
	out->anchor_roots = se.anchor_roots;
	out->rc_name = arena_alloc(c->a, sizeof(char *) * (size_t)(out->x.n + 1));
	if (out->rc_name == NULL)
		return fail_oom(c);
	for (int i = 0; i < out->x.n; i++)
		out->rc_name[i] = out->x.v[i].rc >= 0 ? search_rc_name(&se, out->x.v[i].rc) : NULL;
	struct search other;
	if (isolate && explain_run(c, &r, 0, cap, NULL, &other, &out->without_isolate) < 0)
		return -1;
	if (r.nsame > 0) {
		r.nsame = 0;
		if (explain_run(c, &r, isolate, cap, NULL, &other, &out->without_same_subtree) < 0)
			return -1;
	}
	return 0;
}

void
ac_explain_group_name(const struct ac_explanation *x, int gi, struct buf *out)
{
	const char *suffix = x->r->g[gi].suffix;
	if (suffix[0] == '\0') {
		buf_puts(out, "unsuffixed group");
		return;
	}
	buf_puts(out, "group ");
	buf_puts(out, suffix);
}

/* "A or B" for a clause of names. */
static void
put_names(const struct rp_strlist *l, const char *sep, struct buf *out)
{
	for (int i = 0; i < l->n; i++) {
		if (i > 0)
			buf_puts(out, sep);
		buf_puts(out, l->v[i]);
	}
}

void
ac_explain_step_what(const struct ac_explanation *x, int i, struct buf *out)
{
	const struct ac_step_count *s = &x->x.v[i];
	const struct rgroup *g = &x->r->g[s->group];
	const char *rc = x->rc_name[i] ? x->rc_name[i] : "?";
	switch (s->step) {
	case AC_STEP_HAS_CLASS:
		buf_puts(out, "providers with an inventory of ");
		buf_puts(out, rc);
		break;
	case AC_STEP_ROOM:
		buf_puts(out, "with room for ");
		buf_put_int(out, s->amount);
		buf_putc(out, ' ');
		buf_puts(out, rc);
		break;
	case AC_STEP_IN_TREE:
		buf_puts(out, "in the tree of ");
		buf_puts(out, g->in_tree ? g->in_tree : "?");
		break;
	case AC_STEP_REQUIRED:
		if (s->clause < 0) {
			buf_puts(out, "of those, trees where the providers chosen have the required traits");
			break;
		}
		buf_puts(out, "with trait ");
		if (s->clause < g->tr.nany)
			put_names(&g->tr.any[s->clause], " or ", out);
		break;
	case AC_STEP_FORBIDDEN:
		buf_puts(out, "without trait ");
		put_names(&g->tr.forbidden, ", ", out);
		break;
	case AC_STEP_MEMBER_OF:
		buf_puts(out, g->suffix[0] ? "in the aggregates asked (member_of)"
		                           : "in the aggregates asked (member_of), or their root");
		break;
	case AC_STEP_NOT_IN_AGGS:
		buf_puts(out, "outside the forbidden aggregates");
		break;
	case AC_STEP_ROOT_REQUIRED:
		buf_puts(out, "whose root meets root_required");
		break;
	case AC_STEP_SHARING:
		buf_puts(out, "sharing providers with room for ");
		buf_put_int(out, s->amount);
		buf_putc(out, ' ');
		buf_puts(out, rc);
		break;
	case AC_STEP_TREES:
		buf_puts(out, "trees (with the sharing providers they may use) with room for every class");
		break;
	case AC_STEP_GROUP:
		buf_puts(out, "providers that can take the whole group");
		break;
	}
}

void
ac_explain_step_text(const struct ac_explanation *x, int i, struct buf *out)
{
	ac_explain_group_name(x, x->x.v[i].group, out);
	buf_puts(out, ": ");
	ac_explain_step_what(x, i, out);
	buf_puts(out, ": ");
	buf_put_int(out, x->x.v[i].count);
}

/* One result line: prefix, text, the number (">= cap" when capped). */
static void
put_result(const struct ac_explanation *x, const char *prefix, const char *text, long n,
           struct buf *out)
{
	buf_puts(out, prefix);
	buf_puts(out, text);
	buf_puts(out, x->cap > 0 && n >= x->cap ? ": at least " : ": ");
	buf_put_int(out, n);
	buf_putc(out, '\n');
}

void
ac_explain_text(const struct ac_explanation *x, const char *prefix, struct buf *out)
{
	if (x->anchor_roots >= 0)
		put_result(x, prefix, "root providers meeting root_required", x->anchor_roots, out);
	for (int i = 0; i < x->x.n; i++) {
		buf_puts(out, prefix);
		ac_explain_step_text(x, i, out);
		buf_putc(out, '\n');
	}
	if (x->without_isolate >= 0)
		put_result(x, prefix, "candidates without group_policy=isolate", x->without_isolate, out);
	if (x->without_same_subtree >= 0)
		put_result(x, prefix, "candidates without same_subtree", x->without_same_subtree, out);
	put_result(x, prefix, "candidates", x->found, out);
}
