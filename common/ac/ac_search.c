/* GET /allocation_candidates: the reads and the search; see ac_search.h. */
#include "ac_search.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Reading what the solver needs */


/* The order of keys[0..n) (ascending, ties in their order) into perm, by
 * radix: ids are small, and answers have thousands of them.  0, -1 on
 * OOM. */
int
search_radix_order(struct arena *a, const long long *keys, int n, int *perm)
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
int
search_sort_unique(struct arena *a, long long *v, int n)
{
	int sorted = 1;
	for (int i = 1; i < n && sorted; i++)
		sorted = v[i - 1] <= v[i];
	if (!sorted) {
		int *perm = arena_alloc_raw(a, sizeof(int) * (size_t)(n + 1));
		long long *copy = arena_alloc_raw(a, sizeof(long long) * (size_t)(n + 1));
		if (perm == NULL || copy == NULL || search_radix_order(a, v, n, perm) < 0)
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
			return fail_oom(c);
		blob = ac_cache_put(se->k, kind, id, uuid, mine, size);
		if (blob == NULL)
			blob = mine;
	}
	idset_view(blob, out);
	return 0;
}

/* Providers having trait name (TraitNotFound as the reference's 400). */
int
search_trait_set(struct search *se, const char *name, struct ac_idset *out)
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
			return fail_oom(c);
		acc = u;
	}
	*out = acc;
	return 0;
}

/* The engine's anchor loader. */
int
search_load_anchors(void *arg, long long rp_id, const long long **roots, int *n)
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
int
search_load_has_trees(struct search *se)
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
int
search_load_rc_table(struct search *se)
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
			return fail_oom(c);
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

const char *
search_rc_name(const struct search *se, int id)
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
int
search_class_loaded(const struct search *se, long long rc)
{
	for (int i = 0; i < se->nloaded; i++)
		if (se->loaded[i] == rc)
			return 1;
	return 0;
}

/* Whether some provider has an inventory of a class the engine does not
 * hold in full. */
int
search_other_classes(struct search *se, int *out)
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
		*out = !search_class_loaded(se, v[i]);
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
int
search_anchor_filter(struct search *se, struct ac_options *opt)
{
	struct ctx *c = se->c;
	struct acreq *r = se->r;
	if (r->nroot_req == 0 && r->nroot_forb == 0)
		return 0;
	struct ac_idset *req = arena_alloc(c->a, sizeof(*req) * (size_t)(r->nroot_req + 1));
	struct ac_idset *forb = arena_alloc(c->a, sizeof(*forb));
	if (req == NULL || forb == NULL)
		return fail_oom(c);
	for (int i = 0; i < r->nroot_req; i++)
		if (search_trait_set(se, r->root_req[i], &req[i]) < 0)
			return -1;
	memset(forb, 0, sizeof(*forb));
	for (int i = 0; i < r->nroot_forb; i++) {
		struct ac_idset one, u;
		if (search_trait_set(se, r->root_forb[i], &one) < 0)
			return -1;
		if (idset_union(c->a, forb, &one, &u) < 0)
			return fail_oom(c);
		*forb = u;
	}
	opt->anchor_filter = 1;
	opt->anchor_req = req;
	opt->nanchor_req = r->nroot_req;
	opt->anchor_forb = forb;
	/* Does any root qualify?  If not the reference answers "nothing"
	 * before looking at the groups. */
	long any = 0;
	if (r->nroot_req > 0) {
		/* (the explainer counts them all) */
		for (int i = 0; i < req[0].n && (!any || se->explain); i++) {
			long long id = req[0].ids[i];
			if (req[0].roots[i] != id)
				continue;
			int ok = !ac_idset_has(forb, id);
			for (int k = 1; k < r->nroot_req && ok; k++)
				ok = ac_idset_has(&req[k], id);
			any += ok;
		}
	} else {
		long long roots;
		int rc = st_ac_count_roots(se->s, &roots);
		if (rc != ST_OK)
			return fail_store(c, rc);
		long long forb_roots = 0;
		for (int i = 0; i < forb->n; i++)
			forb_roots += forb->roots[i] == forb->ids[i];
		any = roots - forb_roots;
	}
	se->anchor_roots = any;
	if (any <= 0)
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

/* The providers having any of the traits names[] (NULL-terminated). */
static int
traits_union(struct search *se, const char *const *names, struct ac_idset *out)
{
	memset(out, 0, sizeof(*out));
	for (const char *const *t = names; *t; t++) {
		struct ac_idset one, u;
		if (search_trait_set(se, *t, &one) < 0)
			return -1;
		if (idset_union(se->c->a, out, &one, &u) < 0)
			return fail_oom(se->c);
		*out = u;
	}
	return 0;
}

/* The group's resource classes as ids into *rcs (a 400 for an unknown
 * one), into g. */
static int
group_classes(struct search *se, const struct rgroup *rg, struct ac_group *g, int **rcs)
{
	struct ctx *c = se->c;
	*rcs = arena_alloc(c->a, sizeof(int) * (size_t)(rg->nres + 1));
	if (*rcs == NULL)
		return fail_oom(c);
	for (int k = 0; k < rg->nres; k++) {
		(*rcs)[k] = rc_by_name(se, rg->rc_name[k]);
		if ((*rcs)[k] < 0)
			return fail(c, 400, ERR_UNDEFINED,
			            "Invalid resource class in resources parameter: No such resource class %s.",
			            rg->rc_name[k]);
	}
	g->nres = rg->nres;
	g->rc = *rcs;
	g->amount = rg->amount;
	return 0;
}

/* member_of, required and forbidden traits and in_tree into g, in the
 * reference's order; se->empty when one of them leaves nothing. */
static int
group_filters(struct search *se, const struct rgroup *rg, struct ac_group *g)
{
	struct ctx *c = se->c;
	if (rg->aggs.nany > 0) {
		struct ac_idset *m = arena_alloc(c->a, sizeof(*m));
		if (m == NULL)
			return fail_oom(c);
		for (int i = 0; i < rg->aggs.nany; i++) {
			struct ac_idset one, x;
			if (aggs_set(se, rg->aggs.any[i].v, rg->aggs.any[i].n, &one) < 0)
				return -1;
			if (i == 0)
				x = one;
			else if (idset_inter(c->a, m, &one, &x) < 0)
				return fail_oom(c);
			*m = x;
		}
		g->member_of = m;
		if (m->n == 0) {
			se->empty = 1;
			if (!se->explain)
				return 0;
		}
	}
	if (rg->tr.nany > 0) {
		struct ac_idset *req = arena_alloc(c->a, sizeof(*req) * (size_t)rg->tr.nany);
		if (req == NULL)
			return fail_oom(c);
		for (int j = 0; j < rg->tr.nany; j++)
			if (traits_union(se, rg->tr.any[j].v, &req[j]) < 0)
				return -1;
		g->req = req;
		g->nreq = rg->tr.nany;
	}
	if (rg->tr.forbidden.n > 0) {
		struct ac_idset *f = arena_alloc(c->a, sizeof(*f));
		if (f == NULL || traits_union(se, rg->tr.forbidden.v, f) < 0)
			return f == NULL ? fail_oom(c) : -1;
		g->forbidden = f;
	}
	if (rg->in_tree) {
		long long id, root;
		int rc = st_ac_rp_by_uuid(se->s, rg->in_tree, &id, &root);
		if (rc == ST_NOTFOUND) {
			se->empty = 1;
			if (!se->explain)
				return 0;
			root = -1;   /* no provider's root */
		} else if (rc != ST_OK) {
			return fail_store(c, rc);
		}
		g->in_tree_root = root;
	}
	return 0;
}

/* Notes that the engine holds every inventory of class rc. */
static int
note_loaded(struct search *se, long long rc)
{
	long long *l = arena_alloc(se->c->a, sizeof(long long) * (size_t)(se->nloaded + 1));
	if (l == NULL)
		return fail_oom(se->c);
	if (se->nloaded)
		memcpy(l, se->loaded, sizeof(long long) * (size_t)se->nloaded);
	l[se->nloaded++] = rc;
	se->loaded = l;
	return 0;
}

/* Feeds the engine the inventories of the group's classes it does not
 * hold yet (up to the prefix's cutoff, see search_flat_prefix); se->empty
 * when no provider has room for one of the classes (where the reference
 * stops). */
static int
feed_classes(struct search *se, const struct rgroup *rg, const struct ac_group *g, const int *rcs)
{
	struct ctx *c = se->c;
	const struct st_ac_inv **invs = arena_alloc(c->a, sizeof(*invs) * (size_t)(rg->nres + 1));
	int *ninvs = arena_alloc(c->a, sizeof(int) * (size_t)(rg->nres + 1));
	int most = 0, all = 0;
	if (invs == NULL || ninvs == NULL)
		return fail_oom(c);
	for (int k = 0; k < rg->nres; k++) {
		ninvs[k] = -1;   /* held already */
		if (search_class_loaded(se, rcs[k]))
			continue;
		if (class_inventories(se, rcs[k], se->explain ? 0 : g->in_tree_root, &invs[k], &ninvs[k]) < 0)
			return -1;
		most = ninvs[k] > most ? ninvs[k] : most;
		all += ninvs[k];
	}
	long long cutoff = LLONG_MAX;
	if (se->prefix > 0) {
		/* one group, its classes read here for the first time */
		cutoff = prefix_cutoff(se, rg, invs, ninvs);
		se->partial = cutoff != LLONG_MAX;
		if (se->partial) {
			most = (int)se->prefix * 2;
			all = most * rg->nres;
		}
	}
	if (ac_reserve(se->e, ac_nproviders(se->e) + most, all) < 0)
		return fail_oom(c);
	for (int k = 0; k < rg->nres; k++) {
		for (int i = 0; i < ninvs[k] && invs[k][i].rp_id <= cutoff; i++) {
			const struct st_ac_inv *v = &invs[k][i];
			int ix = ac_add_provider(se->e, v->rp_id, v->root_id, v->parent_id, NULL);
			if (ix < 0 || ac_add_inventory(se->e, ix, v->rc_id, v->total, v->reserved, v->min_unit,
			                               v->max_unit, v->step_size, v->ratio, v->used) < 0)
				return fail_oom(c);
		}
		if (ninvs[k] >= 0 && (g->in_tree_root == 0 || se->explain) && note_loaded(se, rcs[k]) < 0)
			return -1;
		if (ac_count_fits(se->e, rcs[k], rg->amount[k], g->in_tree_root) == 0) {
			se->empty = 1;
			if (!se->explain)
				return 0;
		}
	}
	return 0;
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
	int *rcs;
	if (group_classes(se, rg, &g, &rcs) < 0)
		return -1;
	se->rcs_of[gi] = rcs;
	if (group_filters(se, rg, &g) < 0)
		return -1;
	if (se->empty && !se->explain)
		return 0;
	if (feed_classes(se, rg, &g, rcs) < 0)
		return -1;
	if (se->empty && !se->explain)
		return 0;
	if (rg->aggs.forbidden.n > 0) {
		struct ac_idset *b = arena_alloc(c->a, sizeof(*b));
		if (b == NULL)
			return fail_oom(c);
		if (aggs_set(se, rg->aggs.forbidden.v, rg->aggs.forbidden.n, b) < 0)
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


/* A provider of a tree, as the cache keeps a tree (ACK_TREE: the nodes
 * sorted by id). */
struct tree_node {
	long long id, parent_id;
};


static int
node_by_root(const void *x, const void *y)
{
	const struct st_ac_node *a = x, *b = y;
	if (a->root_id != b->root_id)
		return (a->root_id > b->root_id) - (a->root_id < b->root_id);
	return (a->id > b->id) - (a->id < b->id);
}

/* Every provider of the trees of roots[0..n) (sorted, distinct): the
 * cached trees, and the others read (and cached, with their uuids).
 * uuid is filled for the nodes just read only. */
int
search_tree_nodes(struct search *se, const long long *roots, int nroots,
           struct st_ac_node **out, int *nout)
{
	struct ctx *c = se->c;
	const struct tree_node **trees = arena_alloc(c->a, sizeof(*trees) * (size_t)(nroots + 1));
	int *ntree = arena_alloc(c->a, sizeof(int) * (size_t)(nroots + 1));
	long long *missing = arena_alloc(c->a, sizeof(long long) * (size_t)(nroots + 1));
	if (trees == NULL || ntree == NULL || missing == NULL)
		return fail_oom(c);
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
			return fail_oom(c);
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
		return fail_oom(c);
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

/* How many providers to feed the engine (see struct search), or 0 for
 * all.  When every tree is one provider, no provider shares, and one
 * group asks, each provider is a candidate or not on its own, and the
 * candidates come in provider id order: the first cap of them are among
 * the first providers with room, so the engine needs only those (a
 * margin more, for the ones the trait and aggregate filters drop; when
 * too few pass, search_and_answer feeds it everything).  In the
 * scheduler's loop this makes a query's cost follow its limit rather
 * than the number of providers. */
long
search_flat_prefix(const struct search *se, long cap, int randomize)
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
int
search_solve(struct search *se, const struct ac_options *opt, long cap, int breadth,
      struct ac_result **res, long *nall)
{
	struct ctx *c = se->c;
	struct acreq *r = se->r;
	*nall = 0;
	se->e = ac_new(c->a, opt);
	se->rcs_of = arena_alloc(c->a, sizeof(int *) * (size_t)(r->ng + 1));
	if (se->e == NULL || se->rcs_of == NULL)
		return fail_oom(c);
	for (int gi = 0; gi < r->ng && (!se->empty || se->explain); gi++)
		if (add_group(se, gi) < 0)
			return -1;
	if (se->empty)
		return 0;
	for (int i = 0; i < r->nsame; i++) {
		int *idx = arena_alloc(c->a, sizeof(int) * (size_t)(r->nsame_each[i] + 1));
		int n = 0;
		if (idx == NULL)
			return fail_oom(c);
		for (int k = 0; k < r->nsame_each[i]; k++) {
			int gi = ac_find_group(r, r->same[i][k]);
			if (gi >= 0)
				idx[n++] = gi;
		}
		if (ac_add_same_subtree(se->e, idx, n) < 0)
			return fail_oom(c);
	}
	if (ac_needs_trees(se->e)) {
		/* ancestry of every provider in play */
		int np = ac_nproviders(se->e);
		long long *roots = arena_alloc(c->a, sizeof(long long) * (size_t)(np + 1));
		if (roots == NULL)
			return fail_oom(c);
		for (int i = 0; i < np; i++)
			roots[i] = ac_provider_root(se->e, i);
		int nr = search_sort_unique(c->a, roots, np);
		if (nr < 0)
			return fail_oom(c);
		struct st_ac_node *nodes;
		int nn;
		if (search_tree_nodes(se, roots, nr, &nodes, &nn) < 0)
			return -1;
		for (int i = 0; i < nn; i++)
			if (ac_add_provider(se->e, nodes[i].id, nodes[i].root_id, nodes[i].parent_id, NULL) < 0)
				return fail_oom(c);
	}
	if (ac_solve(se->e, cap, breadth, res, nall) < 0)
		return fail_oom(c);
	return 0;
}