/* The allocation-candidates solver: pure C, no I/O.
 *
 * The caller describes the providers that matter (with their inventories
 * of the requested classes, tree and sharing facts) and the request groups
 * (with the provider sets their trait and aggregate filters select); the
 * engine finds, per anchor tree, every way to satisfy all groups at once.
 *
 * Semantics are the reference's (placement 8.0.0):
 *  - a granular (suffixed) group is satisfied by one provider; the
 *    unsuffixed group by any providers of the anchor's tree, one per
 *    resource class, or by sharing providers (MISC_SHARES_VIA_AGGREGATE)
 *    associated with the anchor through an aggregate;
 *  - a combination is kept when the summed amounts fit every provider's
 *    capacity and max_unit, when group_policy=isolate gives each granular
 *    group its own provider, and when each same_subtree set has one
 *    provider that is an ancestor-or-self of all the others;
 *  - equal candidates found under different anchors are reported once.
 *
 * Groups are combined depth-first with capacity checked as each group is
 * placed, so a prefix that over-allocates is abandoned at once and the
 * search stops as soon as the cap is reached.  Memory: the providers,
 * the per-group options and the answer. */
#ifndef PLACEMENT_AC_ENGINE_H
#define PLACEMENT_AC_ENGINE_H
#include "../util/arena.h"

/* A set of providers: ids sorted ascending, distinct, with their root
 * ids alongside (roots may be NULL when the caller has none to give). */
struct ac_idset {
	const long long *ids;
	const long long *roots;
	int n;
};
/* 1 if id is in s (s may be NULL: then 0). */
int ac_idset_has(const struct ac_idset *s, long long id);

/* One request group, as parsed from the query. */
struct ac_group {
	const char *suffix;            /* "" for the unsuffixed group */
	int granular;                  /* 1: all of it from one provider */
	int nres;
	const int *rc;                 /* resource class ids */
	const long long *amount;
	/* required traits: one set per any-of clause, the providers having
	 * at least one trait of that clause */
	int nreq;
	const struct ac_idset *req;
	const struct ac_idset *forbidden;   /* providers with a forbidden trait; NULL: none */
	const struct ac_idset *member_of;   /* providers in every member_of clause; NULL: no filter */
	const struct ac_idset *bad_aggs;    /* providers in a forbidden aggregate; NULL: none */
	long long in_tree_root;        /* 0: anywhere; else the root id of in_tree */
};

/* The explainer: when ac_options.explain is set, the engine records, for
 * each group it places, how many providers each of the group's filters
 * leaves, in this order (each step counts the providers that passed it
 * and every step before it in the same run of steps):
 *  - a granular group with resources: per class, AC_STEP_HAS_CLASS then
 *    AC_STEP_ROOM; then AC_STEP_IN_TREE, one AC_STEP_REQUIRED per clause,
 *    AC_STEP_FORBIDDEN, AC_STEP_MEMBER_OF, AC_STEP_NOT_IN_AGGS (only the
 *    filters the group has);
 *  - the unsuffixed group: per class, a run of AC_STEP_HAS_CLASS,
 *    AC_STEP_ROOM, AC_STEP_FORBIDDEN, AC_STEP_IN_TREE,
 *    AC_STEP_ROOT_REQUIRED, AC_STEP_MEMBER_OF (the provider or its root),
 *    AC_STEP_NOT_IN_AGGS (neither), then AC_STEP_SHARING: the sharing
 *    providers that can give the class to other trees;
 *    then AC_STEP_TREES: the anchor trees (a tree with the sharing
 *    providers it may use) where every class has room, and, with required
 *    traits, AC_STEP_REQUIRED (clause -1): those of them where a choice of
 *    providers meets every required clause;
 *  - a granular group: AC_STEP_GROUP, its options (providers, per anchor
 *    tree, that can take the whole group: what ac_add_group returns).
 * The counts are over the providers the engine holds: the caller feeds
 * every inventory of the requested classes when it explains. */
enum ac_step {
	AC_STEP_HAS_CLASS, AC_STEP_ROOM, AC_STEP_IN_TREE, AC_STEP_REQUIRED,
	AC_STEP_FORBIDDEN, AC_STEP_MEMBER_OF, AC_STEP_NOT_IN_AGGS,
	AC_STEP_ROOT_REQUIRED, AC_STEP_SHARING, AC_STEP_TREES, AC_STEP_GROUP
};
struct ac_step_count {
	int group;                     /* index in the order added */
	enum ac_step step;
	int rc;                        /* class of HAS_CLASS, ROOM and the unsuffixed runs; -1 */
	long long amount;              /* ROOM's amount */
	int clause;                    /* REQUIRED's clause index; -1: all of them */
	long count;
};
struct ac_explain {
	struct ac_step_count *v;
	int n, cap;
	int failed;                    /* out of memory: the steps are incomplete */
};

/* Request-wide settings, fixed before the first group is added. */
struct ac_options {
	int isolate;                   /* group_policy=isolate */
	int exclude_nested;            /* below 1.29 with trees: one provider per tree */
	/* root_required: the anchor root must be in every anchor_req set and
	 * in no anchor_forb set */
	int anchor_filter;
	int nanchor_req;
	const struct ac_idset *anchor_req;
	const struct ac_idset *anchor_forb;   /* may be NULL */
	const struct ac_idset *sharing;       /* providers with MISC_SHARES_VIA_AGGREGATE */
	/* Loads the anchor roots of sharing provider rp_id (roots of every
	 * tree sharing an aggregate with it), sorted.  Returns 0, or -1 on
	 * error (then the engine fails). */
	int (*load_anchors)(void *arg, long long rp_id, const long long **roots, int *n);
	void *load_arg;
	struct ac_explain *explain;    /* NULL: count nothing */
};

struct ac_engine;

/* A new engine in arena a; NULL when out of memory. */
struct ac_engine *ac_new(struct arena *a, const struct ac_options *opt);

/* Adds the provider (or finds it); parent_id 0 for a root.  uuid may be
 * NULL (filled in later with ac_set_uuid).  Returns its index, -1 on OOM. */
int ac_add_provider(struct ac_engine *e, long long id, long long root_id,
                    long long parent_id, const char *uuid);
/* Makes room for np providers in all and ninv more inventories (saves
 * regrowing when the caller knows).  Returns 0, -1 on OOM. */
int ac_reserve(struct ac_engine *e, int np, int ninv);
/* Records an inventory of provider index ix (once per class; later calls
 * for the same class are ignored).  Returns 0, -1 on OOM. */
int ac_add_inventory(struct ac_engine *e, int ix, int rc, long long total,
                     long long reserved, long long min_unit, long long max_unit,
                     long long step_size, double ratio, long long used);

/* Adds the next request group and works out where it can be placed.
 * Returns the number of (anchor, provider) options found (0: the whole
 * request has no candidate), or -1 on error (out of memory, or the
 * anchor loader failed). */
long ac_add_group(struct ac_engine *e, const struct ac_group *g);

/* same_subtree: the groups (indices in the order added) whose providers
 * must share a subtree.  Call after every group was added. */
int ac_add_same_subtree(struct ac_engine *e, const int *groups, int n);

/* One candidate. */
struct ac_alloc {
	int rp;                        /* provider index */
	int rc;
	long long amount;
};
struct ac_result {
	struct ac_alloc *alloc;
	int nalloc;
	/* mappings: providers of group g are map_rp[map_off[g] .. map_off[g+1]) */
	int *map_off;
	int *map_rp;
};

/* Finds the candidates, at most cap of them (cap < 0: all).  breadth_first:
 * take one candidate from each anchor tree in turn instead of exhausting
 * one tree before the next.  Returns 0 with *out / *n, or -1 on OOM. */
int ac_solve(struct ac_engine *e, long cap, int breadth_first,
             struct ac_result **out, long *n);

/* Number of providers (in tree_root's tree unless 0) whose inventory of
 * class rc can hold amount on its own. */
long ac_count_fits(const struct ac_engine *e, int rc, long long amount, long long tree_root);

/* The amount fits one inventory on its own: the reference's per-class
 * query (min_unit <= amount <= max_unit, a multiple of step_size, and
 * used + amount <= (total - reserved) * allocation_ratio).  The one rule,
 * for the engine and for callers that look before feeding it. */
int ac_amount_fits(long long total, long long reserved, long long min_unit, long long max_unit,
                   long long step, double ratio, long long used, long long amount);

/* The k-th recorded inventory of provider ix: 1 with *out filled, 0 when
 * there are no more. */
struct ac_inv_info {
	int rc;
	long long total, reserved, max_unit, used;
	double ratio;
};
int ac_provider_inventory(const struct ac_engine *e, int ix, int k, struct ac_inv_info *out);

/* Provider facts, by index. */
int ac_nproviders(const struct ac_engine *e);
long long ac_provider_id(const struct ac_engine *e, int ix);
long long ac_provider_root(const struct ac_engine *e, int ix);
const char *ac_provider_uuid(const struct ac_engine *e, int ix);
void ac_set_uuid(struct ac_engine *e, int ix, const char *uuid);
/* Index of provider id, or -1. */
int ac_find(const struct ac_engine *e, long long id);
/* The providers (ids) that same_subtree needs the ancestry of: the
 * caller adds their whole trees with ac_add_provider before ac_solve.
 * 1 when some same_subtree was given. */
int ac_needs_trees(const struct ac_engine *e);
#endif
