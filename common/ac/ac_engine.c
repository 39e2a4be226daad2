/* The allocation-candidates solver; see ac_engine.h for the contract. */
#include "ac_engine.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One inventory of one provider (only the requested classes). */
struct inv {
	int rc;
	int next;                 /* next inventory of the same provider; -1 */
	long long total, reserved, min_unit, max_unit, step, used;
	double ratio;
	long long capi;           /* int((total - reserved) * ratio), as the reference */
	long long placed;         /* solver: amount of the combination being built */
	int mark;                 /* solver scratch */
};

struct prov {
	long long id, root_id, parent_id;
	const char *uuid;
	int first_inv;            /* -1: none */
	int sharing;
	int anchors_loaded;
	const long long *anchors; /* sharing providers: roots sharing an aggregate */
	int nanchors;
	int tree;                 /* solver: dense index of root_id */
	int parent;               /* solver: index of the parent; -1 */
	int gran_cnt;             /* solver: granular groups placed on it */
	int mark;                 /* solver scratch */
};

/* One way to fill a level: provider rp under anchor tree `anchor`. */
struct entry {
	long long anchor;
	int rp;
};

/* A step of the search: the whole of a granular group, or one class of
 * the unsuffixed group. */
struct level {
	int group;
	int nrc;
	const int *rc;
	const long long *amt;
	struct entry *ent;        /* sorted by (anchor, rp) */
	int nent;
	int last_of_group;
	int *same_done;           /* same_subtree sets complete at this level */
	int nsame_done;
};

struct group {
	const char *suffix;
	int granular;
	int nreq;
	struct ac_idset *req;
	uint64_t *mask;           /* per provider index < nmask: bit j when in req[j] */
	int nmask;
	int first_level, nlevels;
};

struct sameset {
	int *groups;
	int n;
};

struct ac_engine {
	struct arena *a;
	struct ac_options opt;
	struct prov *p;
	int np, capp;
	struct inv *inv;
	int ninv, capinv;
	int *hash;                /* provider id -> index + 1, open addressing */
	int hcap;
	struct level *lv;
	int nlv, caplv;
	struct group *g;
	int ng, capg;
	struct sameset *ss;
	int nss, capss;
	int failed;
	/* solver state */
	int *tree_user, *tree_cnt;
	int *chosen;              /* provider chosen at each level */
	int *scratch;             /* same_subtree: providers of one set */
};

/* --- small helpers --- */

/* Grows an arena array to hold at least need elements; 0 or -1. */
static int
grow(struct arena *a, void **arr, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return 0;
	/* doubling for one more; a reservation (ac_reserve) gets what it asks */
	int ncap = *cap ? *cap * 2 : 16;
	if (ncap < need)
		ncap = need;
	/* not zeroed: every user fills the elements it takes */
	void *n = arena_alloc_raw(a, (size_t)ncap * size);
	if (n == NULL)
		return -1;
	if (*arr && *cap)
		memcpy(n, *arr, (size_t)*cap * size);
	*arr = n;
	*cap = ncap;
	return 0;
}

int
ac_idset_has(const struct ac_idset *s, long long id)
{
	if (s == NULL)
		return 0;
	int lo = 0, hi = s->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->ids[lo] == id;
}

/* Root id of id in s (the set carries roots), or 0. */
static long long
idset_root(const struct ac_idset *s, long long id)
{
	int lo = 0, hi = s->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < s->n && s->ids[lo] == id && s->roots) ? s->roots[lo] : 0;
}

static unsigned
hash_id(long long id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	return (unsigned)(x >> 32);
}

int
ac_find(const struct ac_engine *e, long long id)
{
	if (e->hcap == 0)
		return -1;
	unsigned m = (unsigned)e->hcap - 1;
	for (unsigned h = hash_id(id) & m;; h = (h + 1) & m) {
		int v = e->hash[h];
		if (v == 0)
			return -1;
		if (e->p[v - 1].id == id)
			return v - 1;
	}
}

static int
hash_rebuild(struct ac_engine *e, int cap)
{
	int *h = arena_alloc(e->a, sizeof(int) * (size_t)cap);
	if (h == NULL)
		return -1;
	unsigned m = (unsigned)cap - 1;
	for (int i = 0; i < e->np; i++) {
		unsigned k = hash_id(e->p[i].id) & m;
		while (h[k])
			k = (k + 1) & m;
		h[k] = i + 1;
	}
	e->hash = h;
	e->hcap = cap;
	return 0;
}

struct ac_engine *
ac_new(struct arena *a, const struct ac_options *opt)
{
	struct ac_engine *e = arena_alloc(a, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->a = a;
	e->opt = *opt;
	return e;
}

int
ac_add_provider(struct ac_engine *e, long long id, long long root_id,
                long long parent_id, const char *uuid)
{
	int ix = ac_find(e, id);
	if (ix >= 0) {
		struct prov *p = &e->p[ix];
		if (p->uuid == NULL && uuid)
			p->uuid = uuid;
		if (p->parent_id == 0 && parent_id)
			p->parent_id = parent_id;
		return ix;
	}
	if (grow(e->a, (void **)&e->p, &e->capp, e->np + 1, sizeof(*e->p)) < 0)
		return -1;
	if ((e->np + 1) * 2 > e->hcap &&
	    hash_rebuild(e, e->hcap ? e->hcap * 2 : 64) < 0)
		return -1;
	ix = e->np++;
	struct prov *p = &e->p[ix];
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->root_id = root_id ? root_id : id;
	p->parent_id = parent_id;
	p->uuid = uuid;
	p->first_inv = -1;
	p->parent = -1;
	p->sharing = ac_idset_has(e->opt.sharing, id);
	unsigned m = (unsigned)e->hcap - 1;
	unsigned k = hash_id(id) & m;
	while (e->hash[k])
		k = (k + 1) & m;
	e->hash[k] = ix + 1;
	return ix;
}

int
ac_reserve(struct ac_engine *e, int np, int ninv)
{
	if (grow(e->a, (void **)&e->p, &e->capp, np, sizeof(*e->p)) < 0 ||
	    grow(e->a, (void **)&e->inv, &e->capinv, e->ninv + ninv, sizeof(*e->inv)) < 0)
		return -1;
	int cap = e->hcap ? e->hcap : 64;
	while ((np + 1) * 2 > cap)
		cap *= 2;
	return cap > e->hcap ? hash_rebuild(e, cap) : 0;
}

static struct inv *
find_inv(struct ac_engine *e, const struct prov *p, int rc)
{
	for (int i = p->first_inv; i >= 0; i = e->inv[i].next)
		if (e->inv[i].rc == rc)
			return &e->inv[i];
	return NULL;
}

int
ac_add_inventory(struct ac_engine *e, int ix, int rc, long long total,
                 long long reserved, long long min_unit, long long max_unit,
                 long long step_size, double ratio, long long used)
{
	struct prov *p = &e->p[ix];
	if (find_inv(e, p, rc))
		return 0;
	if (grow(e->a, (void **)&e->inv, &e->capinv, e->ninv + 1, sizeof(*e->inv)) < 0)
		return -1;
	p = &e->p[ix];
	struct inv *v = &e->inv[e->ninv];
	memset(v, 0, sizeof(*v));
	v->rc = rc;
	v->total = total;
	v->reserved = reserved;
	v->min_unit = min_unit;
	v->max_unit = max_unit;
	v->step = step_size;
	v->ratio = ratio;
	v->used = used;
	v->capi = (long long)((double)(total - reserved) * ratio);
	v->next = p->first_inv;
	p->first_inv = e->ninv++;
	return 0;
}

int ac_nproviders(const struct ac_engine *e) { return e->np; }
long long ac_provider_id(const struct ac_engine *e, int ix) { return e->p[ix].id; }
long long ac_provider_root(const struct ac_engine *e, int ix) { return e->p[ix].root_id; }
const char *ac_provider_uuid(const struct ac_engine *e, int ix) { return e->p[ix].uuid; }
void ac_set_uuid(struct ac_engine *e, int ix, const char *uuid) { e->p[ix].uuid = uuid; }
int ac_needs_trees(const struct ac_engine *e) { return e->nss > 0; }

int
ac_amount_fits(long long total, long long reserved, long long min_unit, long long max_unit,
               long long step, double ratio, long long used, long long amt)
{
	if (step <= 0)
		return 0;
	return min_unit <= amt && amt <= max_unit && amt % step == 0 &&
	       (double)(used + amt) <= (double)(total - reserved) * ratio;
}

static int
fits(const struct inv *v, long long amt)
{
	return v != NULL && ac_amount_fits(v->total, v->reserved, v->min_unit, v->max_unit, v->step,
	                                   v->ratio, v->used, amt);
}

long
ac_count_fits(const struct ac_engine *e, int rc, long long amount, long long tree_root)
{
	long n = 0;
	for (int ix = 0; ix < e->np; ix++) {
		const struct prov *p = &e->p[ix];
		if (tree_root && p->root_id != tree_root)
			continue;
		for (int i = p->first_inv; i >= 0; i = e->inv[i].next)
			if (e->inv[i].rc == rc && fits(&e->inv[i], amount))
				n++;
	}
	return n;
}

int
ac_provider_inventory(const struct ac_engine *e, int ix, int k, struct ac_inv_info *out)
{
	int i = e->p[ix].first_inv;
	while (i >= 0 && k-- > 0)
		i = e->inv[i].next;
	if (i < 0)
		return 0;
	const struct inv *v = &e->inv[i];
	out->rc = v->rc;
	out->total = v->total;
	out->reserved = v->reserved;
	out->max_unit = v->max_unit;
	out->used = v->used;
	out->ratio = v->ratio;
	return 1;
}

/* root_required: whether anchor root id may anchor a candidate. */
static int
anchor_ok(const struct ac_engine *e, long long root)
{
	if (!e->opt.anchor_filter)
		return 1;
	for (int i = 0; i < e->opt.nanchor_req; i++)
		if (!ac_idset_has(&e->opt.anchor_req[i], root))
			return 0;
	return !ac_idset_has(e->opt.anchor_forb, root);
}

/* The anchors of sharing provider ix, loaded on first use. */
static int
anchors_of(struct ac_engine *e, int ix)
{
	struct prov *p = &e->p[ix];
	if (p->anchors_loaded)
		return 0;
	const long long *roots = NULL;
	int n = 0;
	if (e->opt.load_anchors == NULL)
		return 0;
	if (e->opt.load_anchors(e->opt.load_arg, p->id, &roots, &n) < 0)
		return -1;
	p = &e->p[ix];
	p->anchors = roots;
	p->nanchors = n;
	p->anchors_loaded = 1;
	return 0;
}

/* A growable list of entries being collected for one level. */
struct elist {
	struct entry *e;
	int n, cap;
};

static int
elist_add(struct arena *a, struct elist *l, long long anchor, int rp)
{
	if (grow(a, (void **)&l->e, &l->cap, l->n + 1, sizeof(*l->e)) < 0)
		return -1;
	l->e[l->n].anchor = anchor;
	l->e[l->n].rp = rp;
	l->n++;
	return 0;
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->anchor != b->anchor)
		return a->anchor < b->anchor ? -1 : 1;
	return (a->rp > b->rp) - (a->rp < b->rp);
}

/* Sorts and dedupes l into a new level of group gi. */
static int
add_level(struct ac_engine *e, int gi, struct elist *l, int nrc, const int *rc,
          const long long *amt)
{
	if (grow(e->a, (void **)&e->lv, &e->caplv, e->nlv + 1, sizeof(*e->lv)) < 0)
		return -1;
	/* providers are often added in anchor order already */
	int sorted = 1;
	for (int i = 1; i < l->n && sorted; i++)
		sorted = entry_cmp(&l->e[i - 1], &l->e[i]) < 0;
	int n = l->n;
	if (!sorted) {
		qsort(l->e, (size_t)l->n, sizeof(*l->e), entry_cmp);
		n = 0;
		for (int i = 0; i < l->n; i++)
			if (n == 0 || entry_cmp(&l->e[n - 1], &l->e[i]) != 0)
				l->e[n++] = l->e[i];
	}
	struct level *lv = &e->lv[e->nlv++];
	memset(lv, 0, sizeof(*lv));
	lv->group = gi;
	lv->nrc = nrc;
	lv->rc = rc;
	lv->amt = amt;
	lv->ent = l->e;
	lv->nent = n;
	return 0;
}

/* Adds the (anchor, provider) options of a one-provider group's provider
 * ix: its own tree, and the trees it shares with when it is sharing. */
static int
single_entries(struct ac_engine *e, struct elist *l, int ix)
{
	long long root = e->p[ix].root_id;
	if (anchor_ok(e, root) && elist_add(e->a, l, root, ix) < 0)
		return -1;
	if (!e->p[ix].sharing)
		return 0;
	if (anchors_of(e, ix) < 0)
		return -1;
	const struct prov *p = &e->p[ix];
	for (int k = 0; k < p->nanchors; k++) {
		long long anc = p->anchors[k];
		if (anc != root && anchor_ok(e, anc) && elist_add(e->a, l, anc, ix) < 0)
			return -1;
	}
	return 0;
}

/* A provider passes a one-provider group's trait and aggregate filters. */
static int
single_filters_ok(const struct ac_group *g, long long id)
{
	for (int j = 0; j < g->nreq; j++)
		if (!ac_idset_has(&g->req[j], id))
			return 0;
	if (ac_idset_has(g->forbidden, id))
		return 0;
	if (g->member_of && !ac_idset_has(g->member_of, id))
		return 0;
	return !ac_idset_has(g->bad_aggs, id);
}

/* Granular group with resources: one provider holds all of it. */
static int
granular_level(struct ac_engine *e, int gi, const struct ac_group *g, struct elist *l)
{
	int np = e->np;   /* single_entries never adds providers */
	for (int ix = 0; ix < np; ix++) {
		const struct prov *p = &e->p[ix];
		if (g->in_tree_root && p->root_id != g->in_tree_root)
			continue;
		int ok = 1;
		for (int k = 0; k < g->nres && ok; k++)
			ok = fits(find_inv(e, p, g->rc[k]), g->amount[k]);
		if (!ok || !single_filters_ok(g, p->id))
			continue;
		if (single_entries(e, l, ix) < 0)
			return -1;
	}
	return add_level(e, gi, l, g->nres, g->rc, g->amount);
}

/* Granular group without resources (1.36): the providers its traits and
 * aggregates select; with neither, none (as the reference). */
static int
resourceless_level(struct ac_engine *e, int gi, const struct ac_group *g, struct elist *l)
{
	const struct ac_idset *base = g->nreq > 0 ? &g->req[0] : g->member_of;
	if (base != NULL) {
		for (int i = 0; i < base->n; i++) {
			long long id = base->ids[i];
			if (!single_filters_ok(g, id))
				continue;
			int ix = ac_find(e, id);
			if (ix < 0) {
				long long root = idset_root(base, id);
				ix = ac_add_provider(e, id, root, 0, NULL);
				if (ix < 0)
					return -1;
			}
			if (single_entries(e, l, ix) < 0)
				return -1;
		}
	}
	return add_level(e, gi, l, 0, NULL, NULL);
}

/* Membership in s of the first n providers (by index), for filters
 * checked again and again: *out NULL when s is.  One hash probe per
 * member, or one search per provider when the set is much larger.
 * 0, or -1 on OOM. */
static int
member_marks(struct ac_engine *e, const struct ac_idset *s, int n, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	char *m = arena_alloc(e->a, (size_t)n + 1);
	if (m == NULL)
		return -1;
	if ((long)s->n <= 4L * n) {
		for (int i = 0; i < s->n; i++) {
			int ix = ac_find(e, s->ids[i]);
			if (ix >= 0 && ix < n)
				m[ix] = 1;
		}
	} else {
		for (int ix = 0; ix < n; ix++)
			m[ix] = (char)ac_idset_has(s, e->p[ix].id);
	}
	*out = m;
	return 0;
}

/* Whether provider ix (< n) is in s, by its marks m (member_marks). */
static int
marked(const char *m, int ix)
{
	return m != NULL && m[ix];
}

/* Whether the root of provider ix (< n) is in s (marks m over the first
 * n providers). */
static int
root_marked(const struct ac_engine *e, const struct ac_idset *s, const char *m, int n, int ix)
{
	const struct prov *p = &e->p[ix];
	if (m == NULL)
		return 0;
	if (p->root_id == p->id)
		return m[ix];
	int r = ac_find(e, p->root_id);
	return r >= 0 && r < n ? m[r] : ac_idset_has(s, p->root_id);
}

/* The unsuffixed group: one level per class; a class may come from any
 * provider of the anchor's tree or from a sharing provider of it. */
static int
unsuffixed_levels(struct ac_engine *e, int gi, const struct ac_group *g)
{
	int np = e->np;   /* levels never add providers */
	char *forb, *mem, *bad;
	if (member_marks(e, g->forbidden, np, &forb) < 0 || member_marks(e, g->member_of, np, &mem) < 0 ||
	    member_marks(e, g->bad_aggs, np, &bad) < 0)
		return -1;
	for (int k = 0; k < g->nres; k++) {
		struct elist l = {0};
		for (int ix = 0; ix < np; ix++) {
			const struct prov *p = &e->p[ix];
			if (!fits(find_inv(e, p, g->rc[k]), g->amount[k]))
				continue;
			/* forbidden traits exclude the provider from any combination */
			if (marked(forb, ix))
				continue;
			long long root = p->root_id;
			if ((!g->in_tree_root || root == g->in_tree_root) && anchor_ok(e, root) &&
			    (!mem || mem[ix] || root_marked(e, g->member_of, mem, np, ix)) &&
			    !marked(bad, ix) && !root_marked(e, g->bad_aggs, bad, np, ix) &&
			    elist_add(e->a, &l, root, ix) < 0)
				return -1;
			if (g->in_tree_root || !p->sharing)
				continue;
			if (mem && !mem[ix])
				continue;
			if (marked(bad, ix))
				continue;
			if (anchors_of(e, ix) < 0)
				return -1;
			p = &e->p[ix];
			/* Every anchor, deliberately.  The reference keeps only one
			 * tree's copy when the whole group lands on sharing
			 * providers (its set of candidates ignores the anchor;
			 * which copy survives follows CPython's hash order of
			 * internal ids), losing valid candidates when granular
			 * groups come too.  tests/ac-diff tells that loss apart. */
			for (int j = 0; j < p->nanchors; j++) {
				long long anc = p->anchors[j];
				if (anchor_ok(e, anc) && !ac_idset_has(g->bad_aggs, anc) &&
				    elist_add(e->a, &l, anc, ix) < 0)
					return -1;
			}
		}
		if (add_level(e, gi, &l, 1, &g->rc[k], &g->amount[k]) < 0)
			return -1;
	}
	return 0;
}

/* Range of entries of anchor in level lv: [*lo, *hi), for anchors asked
 * in ascending order: *cur (0 at first) only moves forward. */
static void
anchor_seek(const struct level *lv, long long anchor, int *cur, int *lo, int *hi)
{
	int a = *cur;
	while (a < lv->nent && lv->ent[a].anchor < anchor)
		a++;
	*cur = *lo = a;
	while (a < lv->nent && lv->ent[a].anchor == anchor)
		a++;
	*hi = a;
}

/* Whether provider ix is in required clause j of group g. */
static int
in_req(const struct ac_engine *e, const struct group *g, int ix, int j)
{
	if (ix < g->nmask)
		return (int)(g->mask[ix] >> j) & 1;
	return ac_idset_has(&g->req[j], e->p[ix].id);
}

/* Precomputes in_req for the providers known now (clauses 0..63). */
static int
req_masks(struct ac_engine *e, struct group *g)
{
	int np = e->np;
	if (g->nreq == 0 || g->nreq > 64 || np == 0)
		return 0;
	uint64_t *m = arena_alloc(e->a, sizeof(uint64_t) * (size_t)np);
	if (m == NULL)
		return -1;
	for (int j = 0; j < g->nreq; j++) {
		char *marks;
		if (member_marks(e, &g->req[j], np, &marks) < 0)
			return -1;
		for (int ix = 0; ix < np; ix++)
			m[ix] |= (uint64_t)(marks[ix] != 0) << j;
	}
	g->mask = m;
	g->nmask = np;
	return 0;
}

/* Whether some choice of one option per level k.. (ranges lo/hi) makes
 * the chosen providers cover every required-trait clause of g; cover[j]
 * counts the chosen providers in clause j.  *budget bounds the work: when
 * it runs out the answer is "yes". */
static int
traits_reachable(const struct ac_engine *e, const struct group *g, int first, int n,
                 int k, const int *lo, const int *hi, int *cover, long *budget)
{
	if (k == n) {
		for (int j = 0; j < g->nreq; j++)
			if (cover[j] == 0)
				return 0;
		return 1;
	}
	const struct level *lv = &e->lv[first + k];
	for (int i = lo[k]; i < hi[k]; i++) {
		if (--*budget < 0)
			return 1;
		int rp = lv->ent[i].rp;
		for (int j = 0; j < g->nreq; j++)
			cover[j] += in_req(e, g, rp, j);
		int ok = traits_reachable(e, g, first, n, k + 1, lo, hi, cover, budget);
		for (int j = 0; j < g->nreq; j++)
			cover[j] -= in_req(e, g, rp, j);
		if (ok)
			return 1;
	}
	return 0;
}

/* traits_reachable's answer when it is plain: 0 when all the options
 * together miss a clause, 1 when there is one choice and it covers them
 * all; -1 when a search is needed. */
static int
traits_quick(const struct ac_engine *e, const struct group *g, int first, int n,
             const int *lo, const int *hi)
{
	if (g->nreq > 64)
		return -1;
	uint64_t full = g->nreq == 64 ? ~0ULL : (1ULL << g->nreq) - 1, any = 0;
	int single = 1;
	for (int k = 0; k < n; k++) {
		const struct level *lv = &e->lv[first + k];
		single &= hi[k] - lo[k] == 1;
		for (int i = lo[k]; i < hi[k]; i++) {
			int rp = lv->ent[i].rp;
			for (int j = 0; j < g->nreq; j++)
				any |= (uint64_t)in_req(e, g, rp, j) << j;
		}
	}
	if (any != full)
		return 0;
	return single ? 1 : -1;
}

/* Number of options of the unsuffixed group's levels [first, first+n)
 * under anchors that have every class and a choice with the required
 * traits: 0 exactly when the reference finds nothing for the group (and
 * so stops before looking at the next groups). */
static long
unsuffixed_count(struct ac_engine *e, const struct group *g, int first, int n, long *anchors)
{
	long count = 0;
	*anchors = 0;
	int *lo = arena_alloc(e->a, sizeof(int) * (size_t)(3 * n + g->nreq + 1));
	if (lo == NULL)
		return -1;
	int *hi = lo + n, *cur = lo + 2 * n, *cover = lo + 3 * n;
	long budget = 100000;
	const struct level *l0 = &e->lv[first];
	for (int i = 0; i < l0->nent;) {
		long long anc = l0->ent[i].anchor;
		int j = i;
		while (j < l0->nent && l0->ent[j].anchor == anc)
			j++;
		int all = 1;
		long opts = 0;
		for (int k = 0; k < n && all; k++) {
			anchor_seek(&e->lv[first + k], anc, &cur[k], &lo[k], &hi[k]);
			all = hi[k] > lo[k];
			opts += hi[k] - lo[k];
		}
		if (all && g->nreq > 0)
			all = traits_quick(e, g, first, n, lo, hi);
		if (all < 0) {
			memset(cover, 0, sizeof(int) * (size_t)g->nreq);
			all = traits_reachable(e, g, first, n, 0, lo, hi, cover, &budget);
		}
		if (all) {
			count += opts;
			++*anchors;
		}
		i = j;
	}
	return count;
}


/* --- the explainer (ac_options.explain; see ac_engine.h) --- */

static void
explain_add(struct ac_engine *e, int gi, enum ac_step step, int rc, long long amount,
            int clause, long count)
{
	struct ac_explain *x = e->opt.explain;
	if (x->failed || grow(e->a, (void **)&x->v, &x->cap, x->n + 1, sizeof(*x->v)) < 0) {
		x->failed = 1;
		return;
	}
	x->v[x->n++] = (struct ac_step_count){gi, step, rc, amount, clause, count};
}

/* How many of a one-provider group's steps provider ix passes, in the
 * order of ac_engine.h. */
static int
single_stage(struct ac_engine *e, const struct ac_group *g, int ix)
{
	const struct prov *p = &e->p[ix];
	int s = 0;
	for (int k = 0; k < g->nres; k++) {
		const struct inv *v = find_inv(e, p, g->rc[k]);
		if (v == NULL)
			return s;
		s++;
		if (!fits(v, g->amount[k]))
			return s;
		s++;
	}
	int pass[5] = {
		p->root_id == g->in_tree_root, 1, !ac_idset_has(g->forbidden, p->id),
		ac_idset_has(g->member_of, p->id), !ac_idset_has(g->bad_aggs, p->id),
	};
	int asked[5] = {g->in_tree_root != 0, 0, g->forbidden != NULL, g->member_of != NULL,
	                g->bad_aggs != NULL};
	for (int t = 0; t < 5; t++) {
		if (t == 1) {   /* the required clauses, in order */
			for (int j = 0; j < g->nreq; j++, s++)
				if (!ac_idset_has(&g->req[j], p->id))
					return s;
			continue;
		}
		if (asked[t] && !pass[t])
			return s;
		s += asked[t];
	}
	return s;
}

static void
explain_single(struct ac_engine *e, int gi, const struct ac_group *g)
{
	int nst = 2 * g->nres + (g->in_tree_root != 0) + g->nreq + (g->forbidden != NULL) +
	          (g->member_of != NULL) + (g->bad_aggs != NULL);
	long *cnt = arena_alloc(e->a, sizeof(long) * (size_t)(nst + 1));
	if (cnt == NULL) {
		e->opt.explain->failed = 1;
		return;
	}
	memset(cnt, 0, sizeof(long) * (size_t)(nst + 1));
	for (int ix = 0; ix < e->np; ix++)
		for (int t = single_stage(e, g, ix); t > 0; t--)
			cnt[t - 1]++;
	int t = 0;
	for (int k = 0; k < g->nres; k++) {
		explain_add(e, gi, AC_STEP_HAS_CLASS, g->rc[k], 0, 0, cnt[t++]);
		explain_add(e, gi, AC_STEP_ROOM, g->rc[k], g->amount[k], 0, cnt[t++]);
	}
	if (g->in_tree_root)
		explain_add(e, gi, AC_STEP_IN_TREE, -1, 0, 0, cnt[t++]);
	for (int j = 0; j < g->nreq; j++)
		explain_add(e, gi, AC_STEP_REQUIRED, -1, 0, j, cnt[t++]);
	if (g->forbidden)
		explain_add(e, gi, AC_STEP_FORBIDDEN, -1, 0, 0, cnt[t++]);
	if (g->member_of)
		explain_add(e, gi, AC_STEP_MEMBER_OF, -1, 0, 0, cnt[t++]);
	if (g->bad_aggs)
		explain_add(e, gi, AC_STEP_NOT_IN_AGGS, -1, 0, 0, cnt[t++]);
}

/* Whether provider id or its root is in s. */
static int
self_or_root_in(const struct ac_idset *s, const struct prov *p)
{
	return ac_idset_has(s, p->id) || ac_idset_has(s, p->root_id);
}

/* The unsuffixed group's runs of steps, one per class, and its sharing
 * providers (ac_engine.h). */
static void
explain_unsuffixed(struct ac_engine *e, int gi, const struct ac_group *g)
{
	for (int k = 0; k < g->nres; k++) {
		long cnt[7] = {0}, sharing = 0;
		for (int ix = 0; ix < e->np; ix++) {
			const struct prov *p = &e->p[ix];
			const struct inv *v = find_inv(e, p, g->rc[k]);
			int pass[7] = {
				v != NULL,
				fits(v, g->amount[k]),
				!ac_idset_has(g->forbidden, p->id),
				!g->in_tree_root || p->root_id == g->in_tree_root,
				anchor_ok(e, p->root_id),
				!g->member_of || self_or_root_in(g->member_of, p),
				!g->bad_aggs || !self_or_root_in(g->bad_aggs, p),
			};
			for (int t = 0; t < 7 && pass[t]; t++)
				cnt[t]++;
			if (p->sharing && pass[1] && pass[2] && !g->in_tree_root &&
			    (!g->member_of || ac_idset_has(g->member_of, p->id)) &&
			    !ac_idset_has(g->bad_aggs, p->id))
				sharing++;
		}
		static const enum ac_step steps[7] = {
			AC_STEP_HAS_CLASS, AC_STEP_ROOM, AC_STEP_FORBIDDEN, AC_STEP_IN_TREE,
			AC_STEP_ROOT_REQUIRED, AC_STEP_MEMBER_OF, AC_STEP_NOT_IN_AGGS
		};
		for (int t = 0; t < 7; t++) {
			int has = t < 2 || (t == 2 && g->forbidden) || (t == 3 && g->in_tree_root) ||
			          (t == 4 && e->opt.anchor_filter) || (t == 5 && g->member_of) ||
			          (t == 6 && g->bad_aggs);
			if (has)
				explain_add(e, gi, steps[t], g->rc[k], t == 1 ? g->amount[k] : 0, 0, cnt[t]);
		}
		if (e->opt.sharing && e->opt.sharing->n > 0)
			explain_add(e, gi, AC_STEP_SHARING, g->rc[k], g->amount[k], 0, sharing);
	}
}

/* ac_add_group without the explainer's last step. */
static long
add_group(struct ac_engine *e, const struct ac_group *g)
{
	if (grow(e->a, (void **)&e->g, &e->capg, e->ng + 1, sizeof(*e->g)) < 0)
		return -1;
	int gi = e->ng++;
	struct group *gr = &e->g[gi];
	memset(gr, 0, sizeof(*gr));
	gr->suffix = g->suffix;
	gr->granular = g->granular;
	gr->first_level = e->nlv;
	if (g->nreq > 0) {
		gr->req = arena_alloc(e->a, sizeof(*gr->req) * (size_t)g->nreq);
		if (gr->req == NULL)
			return -1;
		memcpy(gr->req, g->req, sizeof(*gr->req) * (size_t)g->nreq);
		gr->nreq = g->nreq;
	}
	struct elist l = {0};
	int rc;
	if (!g->granular && g->nres > 0)
		rc = unsuffixed_levels(e, gi, g);
	else if (g->nres > 0)
		rc = granular_level(e, gi, g, &l);
	else
		rc = resourceless_level(e, gi, g, &l);
	if (rc < 0)
		return -1;
	gr = &e->g[gi];
	gr->nlevels = e->nlv - gr->first_level;
	if (gr->nlevels == 0)
		return 0;
	e->lv[e->nlv - 1].last_of_group = 1;
	if (req_masks(e, gr) < 0)
		return -1;
	long anchors;
	if (!g->granular)
		return unsuffixed_count(e, gr, gr->first_level, gr->nlevels, &anchors);
	return e->lv[gr->first_level].nent;
}

/* The unsuffixed group's anchor trees with every class, without and
 * then with its required traits (after add_group placed it). */
static void
explain_trees(struct ac_engine *e, int gi)
{
	struct group *gr = &e->g[gi];
	if (gr->nlevels == 0) {
		explain_add(e, gi, AC_STEP_TREES, -1, 0, 0, 0);
		return;
	}
	struct group plain = *gr;
	plain.nreq = 0;
	long trees, with_traits;
	if (unsuffixed_count(e, &plain, gr->first_level, gr->nlevels, &trees) < 0 ||
	    (gr->nreq > 0 && unsuffixed_count(e, gr, gr->first_level, gr->nlevels, &with_traits) < 0)) {
		e->opt.explain->failed = 1;
		return;
	}
	explain_add(e, gi, AC_STEP_TREES, -1, 0, 0, trees);
	if (gr->nreq > 0)
		explain_add(e, gi, AC_STEP_REQUIRED, -1, 0, -1, with_traits);
}

long
ac_add_group(struct ac_engine *e, const struct ac_group *g)
{
	if (e->opt.explain == NULL)
		return add_group(e, g);
	if (!g->granular && g->nres > 0)
		explain_unsuffixed(e, e->ng, g);
	else if (g->nres > 0)
		explain_single(e, e->ng, g);
	int gi = e->ng;
	long n = add_group(e, g);
	if (n >= 0 && !g->granular && g->nres > 0)
		explain_trees(e, gi);
	else if (n >= 0)
		explain_add(e, gi, AC_STEP_GROUP, -1, 0, 0, n);
	return n;
}

int
ac_add_same_subtree(struct ac_engine *e, const int *groups, int n)
{
	if (grow(e->a, (void **)&e->ss, &e->capss, e->nss + 1, sizeof(*e->ss)) < 0)
		return -1;
	struct sameset *s = &e->ss[e->nss++];
	s->groups = arena_alloc(e->a, sizeof(int) * (size_t)(n > 0 ? n : 1));
	if (s->groups == NULL)
		return -1;
	memcpy(s->groups, groups, sizeof(int) * (size_t)n);
	s->n = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The search */

struct iter {
	long long anchor;
	int *lo, *hi, *pos;
	int depth;                /* levels placed */
	int state;                /* 0 fresh, 1 running, 2 exhausted */
};

/* 1 if provider index r is s or one of s's ancestors. */
static int
is_ancestor_or_self(const struct ac_engine *e, int r, int s)
{
	for (int guard = 0; s >= 0 && guard < 1000000; guard++) {
		if (s == r)
			return 1;
		s = e->p[s].parent;
	}
	return 0;
}

/* same_subtree: one of the providers is an ancestor-or-self of all. */
static int
same_subtree_ok(struct ac_engine *e, const struct sameset *s)
{
	int *rps = e->scratch;
	int n = 0;
	for (int i = 0; i < s->n; i++) {
		const struct group *g = &e->g[s->groups[i]];
		for (int k = 0; k < g->nlevels; k++) {
			int rp = e->chosen[g->first_level + k];
			int dup = 0;
			for (int j = 0; j < n; j++)
				dup |= rps[j] == rp;
			if (!dup)
				rps[n++] = rp;
		}
	}
	if (n <= 1)
		return 1;
	for (int i = 0; i < n; i++) {
		int all = 1;
		for (int j = 0; j < n && all; j++)
			all = is_ancestor_or_self(e, rps[i], rps[j]);
		if (all)
			return 1;
	}
	return 0;
}

/* The unsuffixed group's providers collectively have its required traits. */
static int
traits_ok(struct ac_engine *e, const struct group *g)
{
	for (int j = 0; j < g->nreq; j++) {
		int any = 0;
		for (int k = 0; k < g->nlevels && !any; k++)
			any = in_req(e, g, e->chosen[g->first_level + k], j);
		if (!any)
			return 0;
	}
	return 1;
}

/* Places the current option of level d; 1 when it fits with the levels
 * before it (state updated), 0 when not (state untouched). */
static int
place(struct ac_engine *e, struct iter *it, int d)
{
	const struct level *lv = &e->lv[d];
	int rp = lv->ent[it->pos[d]].rp;
	struct prov *p = &e->p[rp];
	const struct group *g = &e->g[lv->group];
	int k;
	if (e->opt.isolate && g->granular && p->gran_cnt > 0)
		return 0;
	for (k = 0; k < lv->nrc; k++) {
		struct inv *v = find_inv(e, p, lv->rc[k]);
		long long t = v->placed + lv->amt[k];
		if (t + v->used > v->capi || t > v->max_unit)
			break;
		v->placed = t;
	}
	if (k < lv->nrc)
		goto undo_inv;
	if (e->opt.exclude_nested && lv->nrc > 0) {
		int t = p->tree;
		if (e->tree_cnt[t] > 0 && e->tree_user[t] != rp)
			goto undo_inv;
		e->tree_user[t] = rp;
		e->tree_cnt[t]++;
	}
	e->chosen[d] = rp;
	if (lv->last_of_group && !g->granular && g->nreq > 0 && !traits_ok(e, g))
		goto undo_tree;
	for (int i = 0; i < lv->nsame_done; i++)
		if (!same_subtree_ok(e, &e->ss[lv->same_done[i]]))
			goto undo_tree;
	if (g->granular)
		p->gran_cnt++;
	return 1;
undo_tree:
	if (e->opt.exclude_nested && lv->nrc > 0)
		e->tree_cnt[p->tree]--;
undo_inv:
	while (k-- > 0)
		find_inv(e, p, lv->rc[k])->placed -= lv->amt[k];
	return 0;
}

/* Undoes the placement of level d. */
static void
unplace(struct ac_engine *e, struct iter *it, int d)
{
	const struct level *lv = &e->lv[d];
	int rp = lv->ent[it->pos[d]].rp;
	struct prov *p = &e->p[rp];
	for (int k = 0; k < lv->nrc; k++)
		find_inv(e, p, lv->rc[k])->placed -= lv->amt[k];
	if (e->opt.exclude_nested && lv->nrc > 0)
		e->tree_cnt[p->tree]--;
	if (e->g[lv->group].granular)
		p->gran_cnt--;
}

/* Moves it to its next complete combination: 1 found (all levels placed),
 * 0 exhausted (nothing placed). */
static int
advance(struct ac_engine *e, struct iter *it)
{
	int L = e->nlv;
	int d;
	if (it->state == 2)
		return 0;
	if (it->state == 0) {
		it->state = 1;
		it->depth = 0;
		it->pos[0] = it->lo[0];
	} else {
		d = L - 1;
		unplace(e, it, d);
		it->depth = d;
		it->pos[d]++;
	}
	for (;;) {
		d = it->depth;
		while (it->pos[d] < it->hi[d] && !place(e, it, d))
			it->pos[d]++;
		if (it->pos[d] < it->hi[d]) {
			it->depth = d + 1;
			if (d + 1 == L)
				return 1;
			it->pos[d + 1] = it->lo[d + 1];
			continue;
		}
		if (d == 0) {
			it->state = 2;
			it->depth = 0;
			return 0;
		}
		d--;
		unplace(e, it, d);
		it->depth = d;
		it->pos[d]++;
	}
}

/* Takes the placed levels of it off the shared state (breadth-first). */
static void
suspend(struct ac_engine *e, struct iter *it)
{
	for (int d = it->depth - 1; d >= 0; d--)
		unplace(e, it, d);
}

/* Puts them back. */
static void
resume(struct ac_engine *e, struct iter *it)
{
	for (int d = 0; d < it->depth; d++)
		place(e, it, d);
}

/* Whether anchor's options can cover the total demand of each class and
 * give each granular group its own provider under isolate: a cheap bound
 * that spares hopeless trees (more groups than children) the search. */
static int
anchor_feasible(struct ac_engine *e, const struct iter *it)
{
	/* a handful of combinations: the search itself is cheaper */
	long combos = 1;
	for (int d = 0; d < e->nlv && combos <= 16; d++)
		combos *= it->hi[d] - it->lo[d];
	if (combos <= 16)
		return 1;
	int ok = 1;
	/* demand per class: inv->mark counts each (provider, class) once */
	for (int d = 0; d < e->nlv && ok; d++) {
		const struct level *lv = &e->lv[d];
		for (int k = 0; k < lv->nrc && ok; k++) {
			int rc = lv->rc[k];
			long long demand = 0, supply = 0;
			int seen_before = 0;
			for (int d2 = 0; d2 < d; d2++)
				for (int k2 = 0; k2 < e->lv[d2].nrc; k2++)
					seen_before |= e->lv[d2].rc[k2] == rc;
			if (seen_before)
				continue;
			for (int d2 = d; d2 < e->nlv; d2++) {
				const struct level *l2 = &e->lv[d2];
				for (int k2 = 0; k2 < l2->nrc; k2++) {
					if (l2->rc[k2] != rc)
						continue;
					demand += l2->amt[k2];
					for (int i = it->lo[d2]; i < it->hi[d2]; i++) {
						struct inv *v = find_inv(e, &e->p[l2->ent[i].rp], rc);
						if (v->mark)
							continue;
						v->mark = 1;
						long long free = v->capi - v->used;
						if (free > v->max_unit)
							free = v->max_unit;
						if (free > 0)
							supply += free;
					}
				}
			}
			for (int d2 = d; d2 < e->nlv; d2++) {
				const struct level *l2 = &e->lv[d2];
				for (int k2 = 0; k2 < l2->nrc; k2++)
					if (l2->rc[k2] == rc)
						for (int i = it->lo[d2]; i < it->hi[d2]; i++)
							find_inv(e, &e->p[l2->ent[i].rp], rc)->mark = 0;
			}
			ok = demand <= supply;
		}
	}
	if (ok && e->opt.isolate) {
		int ngran = 0, distinct = 0;
		for (int d = 0; d < e->nlv; d++) {
			if (!e->g[e->lv[d].group].granular)
				continue;
			ngran++;
			for (int i = it->lo[d]; i < it->hi[d]; i++) {
				struct prov *p = &e->p[e->lv[d].ent[i].rp];
				if (!p->mark) {
					p->mark = 1;
					distinct++;
				}
			}
		}
		for (int d = 0; d < e->nlv; d++)
			if (e->g[e->lv[d].group].granular)
				for (int i = it->lo[d]; i < it->hi[d]; i++)
					e->p[e->lv[d].ent[i].rp].mark = 0;
		ok = distinct >= ngran;
	}
	return ok;
}

/* --- results and de-duplication --- */

struct rset {                 /* keys of candidates that other anchors may repeat */
	const long long **keys;   /* key[0] = length */
	int cap, n;
};

static uint64_t
key_hash(const long long *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (long long i = 0; i <= k[0]; i++) {
		h ^= (uint64_t)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Adds key; 1 if new, 0 if already there, -1 on OOM. */
static int
rset_add(struct arena *a, struct rset *s, const long long *key)
{
	if ((s->n + 1) * 2 > s->cap) {
		int ncap = s->cap ? s->cap * 2 : 64;
		const long long **nk = arena_alloc(a, sizeof(*nk) * (size_t)ncap);
		if (nk == NULL)
			return -1;
		for (int i = 0; i < s->cap; i++) {
			if (s->keys[i] == NULL)
				continue;
			uint64_t h = key_hash(s->keys[i]) & (uint64_t)(ncap - 1);
			while (nk[h])
				h = (h + 1) & (uint64_t)(ncap - 1);
			nk[h] = s->keys[i];
		}
		s->keys = nk;
		s->cap = ncap;
	}
	uint64_t h = key_hash(key) & (uint64_t)(s->cap - 1);
	while (s->keys[h]) {
		const long long *k = s->keys[h];
		if (k[0] == key[0] && memcmp(k, key, sizeof(long long) * (size_t)(k[0] + 1)) == 0)
			return 0;
		h = (h + 1) & (uint64_t)(s->cap - 1);
	}
	s->keys[h] = key;
	s->n++;
	return 1;
}

static int
alloc_cmp(const void *x, const void *y)
{
	const struct ac_alloc *a = x, *b = y;
	if (a->rp != b->rp)
		return (a->rp > b->rp) - (a->rp < b->rp);
	return (a->rc > b->rc) - (a->rc < b->rc);
}

static int
int_cmp(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* Builds the result of the combination currently placed.  Returns 1 when
 * stored, 0 when another anchor already gave the same one, -1 on OOM. */
static int
emit(struct ac_engine *e, struct rset *seen, struct ac_result *r)
{
	int maxalloc = 0;
	for (int d = 0; d < e->nlv; d++)
		maxalloc += e->lv[d].nrc;
	/* one block: allocations, then the mapping offsets and providers */
	r->alloc = arena_alloc_raw(e->a, sizeof(*r->alloc) * (size_t)maxalloc +
	                                 sizeof(int) * (size_t)(e->ng + 1 + e->nlv + 1));
	if (r->alloc == NULL)
		return -1;
	r->map_off = (int *)(r->alloc + maxalloc);
	r->map_rp = r->map_off + e->ng + 1;
	int n = 0;
	for (int d = 0; d < e->nlv; d++) {
		const struct level *lv = &e->lv[d];
		struct prov *p = &e->p[e->chosen[d]];
		for (int k = 0; k < lv->nrc; k++) {
			struct inv *v = find_inv(e, p, lv->rc[k]);
			if (v->mark)
				continue;
			v->mark = 1;
			r->alloc[n].rp = e->chosen[d];
			r->alloc[n].rc = lv->rc[k];
			r->alloc[n].amount = v->placed;
			n++;
		}
	}
	r->nalloc = n;
	for (int i = 0; i < n; i++)
		find_inv(e, &e->p[r->alloc[i].rp], r->alloc[i].rc)->mark = 0;
	int m = 0, all_sharing = 1;
	for (int gi = 0; gi < e->ng; gi++) {
		const struct group *g = &e->g[gi];
		r->map_off[gi] = m;
		for (int k = 0; k < g->nlevels; k++) {
			int rp = e->chosen[g->first_level + k];
			int dup = 0;
			for (int j = r->map_off[gi]; j < m && !dup; j++)
				dup = r->map_rp[j] == rp;
			if (!dup)
				r->map_rp[m++] = rp;
			all_sharing &= e->p[rp].sharing;
		}
	}
	r->map_off[e->ng] = m;
	if (!all_sharing)
		return 1;
	/* Only candidates made of sharing providers can come up again under
	 * another anchor: remember those. */
	if (n > 1)
		qsort(r->alloc, (size_t)n, sizeof(*r->alloc), alloc_cmp);
	for (int gi = 0; gi < e->ng; gi++)
		qsort(r->map_rp + r->map_off[gi], (size_t)(r->map_off[gi + 1] - r->map_off[gi]),
		      sizeof(int), int_cmp);
	long long len = 3LL * n + 1 + e->ng + 1 + m;
	long long *key = arena_alloc(e->a, sizeof(long long) * (size_t)(len + 1));
	if (key == NULL)
		return -1;
	long long *q = key + 1;
	for (int i = 0; i < n; i++) {
		*q++ = r->alloc[i].rp;
		*q++ = r->alloc[i].rc;
		*q++ = r->alloc[i].amount;
	}
	*q++ = -1;
	for (int gi = 0; gi <= e->ng; gi++)
		*q++ = r->map_off[gi];
	for (int j = 0; j < m; j++)
		*q++ = r->map_rp[j];
	key[0] = q - key - 1;
	return rset_add(e->a, seen, key);
}

/* Dense tree indices and parent indices for the search. */
static int
prepare(struct ac_engine *e)
{
	/* every tree is known by its root's index: add missing roots */
	int np0 = e->np;
	for (int i = 0; i < np0; i++)
		if (ac_find(e, e->p[i].root_id) < 0 &&
		    ac_add_provider(e, e->p[i].root_id, e->p[i].root_id, 0, NULL) < 0)
			return -1;
	e->tree_user = arena_alloc(e->a, sizeof(int) * (size_t)(e->np + 1));
	e->tree_cnt = arena_alloc(e->a, sizeof(int) * (size_t)(e->np + 1));
	e->chosen = arena_alloc(e->a, sizeof(int) * (size_t)(e->nlv + 1));
	if (e->tree_user == NULL || e->tree_cnt == NULL || e->chosen == NULL)
		return -1;
	for (int i = 0; i < e->np; i++) {
		struct prov *p = &e->p[i];
		p->tree = ac_find(e, p->root_id);
		p->parent = p->parent_id ? ac_find(e, p->parent_id) : -1;
		p->gran_cnt = 0;
		p->mark = 0;
	}
	for (int i = 0; i < e->ninv; i++) {
		e->inv[i].placed = 0;
		e->inv[i].mark = 0;
	}
	/* same_subtree sets are checked at the level that completes them */
	e->scratch = arena_alloc(e->a, sizeof(int) * (size_t)(e->nlv + 1));
	if (e->scratch == NULL)
		return -1;
	for (int d = 0; d < e->nlv; d++) {
		e->lv[d].nsame_done = 0;
		e->lv[d].same_done = NULL;
	}
	for (int s = 0; s < e->nss; s++) {
		int last = -1;
		for (int i = 0; i < e->ss[s].n; i++) {
			const struct group *g = &e->g[e->ss[s].groups[i]];
			int l = g->first_level + g->nlevels - 1;
			if (l > last)
				last = l;
		}
		if (last < 0)
			continue;
		struct level *lv = &e->lv[last];
		int *nd = arena_alloc(e->a, sizeof(int) * (size_t)(lv->nsame_done + 1));
		if (nd == NULL)
			return -1;
		if (lv->nsame_done)
			memcpy(nd, lv->same_done, sizeof(int) * (size_t)lv->nsame_done);
		nd[lv->nsame_done++] = s;
		lv->same_done = nd;
	}
	return 0;
}

/* Sets up the iterator of anchor (anchors in ascending order: cur[d]
 * is where level d's search starts); 0 when some level has no option
 * there. */
static int
iter_init(struct ac_engine *e, struct iter *it, long long anchor, int *mem, int *cur)
{
	it->anchor = anchor;
	it->lo = mem;
	it->hi = mem + e->nlv;
	it->pos = mem + 2 * e->nlv;
	it->depth = 0;
	it->state = 0;
	for (int d = 0; d < e->nlv; d++) {
		anchor_seek(&e->lv[d], anchor, &cur[d], &it->lo[d], &it->hi[d]);
		if (it->hi[d] == it->lo[d])
			return 0;
	}
	return anchor_feasible(e, it);
}

int
ac_solve(struct ac_engine *e, long cap, int breadth_first,
         struct ac_result **out, long *nout)
{
	*out = NULL;
	*nout = 0;
	if (e->nlv == 0 || e->ng == 0)
		return 0;
	if (prepare(e) < 0)
		return -1;
	struct ac_result *res = NULL;
	int rcap = 0;
	long n = 0;
	struct rset seen = {0};
	const struct level *l0 = &e->lv[0];
	int *mem = NULL;
	int *cur = arena_alloc(e->a, sizeof(int) * (size_t)e->nlv);
	struct iter *its = NULL;
	int nits = 0, capits = 0;
	if (cur == NULL)
		return -1;

	/* Anchors come from the first level, in id order. */
	for (int i = 0; i < l0->nent;) {
		long long anc = l0->ent[i].anchor;
		while (i < l0->nent && l0->ent[i].anchor == anc)
			i++;
		if (mem == NULL || breadth_first) {
			mem = arena_alloc(e->a, sizeof(int) * 3 * (size_t)e->nlv);
			if (mem == NULL)
				return -1;
		}
		struct iter one, *it = &one;
		if (!iter_init(e, it, anc, mem, cur))
			continue;
		if (breadth_first) {
			if (grow(e->a, (void **)&its, &capits, nits + 1, sizeof(*its)) < 0)
				return -1;
			its[nits++] = one;
			continue;
		}
		while ((cap < 0 || n < cap) && advance(e, it)) {
			if (grow(e->a, (void **)&res, &rcap, (int)n + 1, sizeof(*res)) < 0)
				return -1;
			int r = emit(e, &seen, &res[n]);
			if (r < 0)
				return -1;
			n += r;
		}
		suspend(e, it);
		if (cap >= 0 && n >= cap)
			break;
	}
	/* Breadth-first: one candidate from each anchor tree in turn. */
	while (nits > 0 && (cap < 0 || n < cap)) {
		int live = 0;
		for (int i = 0; i < nits && (cap < 0 || n < cap); i++) {
			struct iter *it = &its[i];
			resume(e, it);
			int found = advance(e, it);
			if (found) {
				if (grow(e->a, (void **)&res, &rcap, (int)n + 1, sizeof(*res)) < 0)
					return -1;
				int r = emit(e, &seen, &res[n]);
				if (r < 0)
					return -1;
				n += r;
				suspend(e, it);
				its[live++] = *it;
			}
		}
		if (cap >= 0 && n >= cap)
			break;
		nits = live;
	}
	*out = res;
	*nout = n;
	return 0;
}
