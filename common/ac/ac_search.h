/* GET /allocation_candidates: what a search reads and how the engine is
 * fed.  The rows come from the process's read cache (ac_cache.h), kept
 * current by ac_refresh.c, or from the store when it lacks them; the
 * engine (ac_engine.c) gets one group at a time, filtered in the
 * reference's order, and finds the candidates. */
#ifndef PLACEMENT_AC_SEARCH_H
#define PLACEMENT_AC_SEARCH_H
#include "ac_request.h"
#include "ac_cache.h"
#include "ac_engine.h"
#include "../../sql/store_ac.h"

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
	/* explaining (ac_explain.c): feed every inventory of the requested
	 * classes, and go on through every group after the reference would
	 * have stopped (se->empty still says it would have) */
	int explain;
	long anchor_roots;        /* roots meeting root_required (when asked) */
};

/* The order of keys[0..n) (ascending, ties in their order) into perm, by
 * radix: ids are small, and answers have thousands of them.  0, -1 on
 * OOM. */
int search_radix_order(struct arena *a, const long long *keys, int n, int *perm);

/* Sorts v[0..n) ascending and drops repeats; the new count, -1 on OOM. */
int search_sort_unique(struct arena *a, long long *v, int n);

/* Providers having trait name (TraitNotFound as the reference's 400). */
int search_trait_set(struct search *se, const char *name, struct ac_idset *out);

/* The engine's anchor loader. */
int search_load_anchors(void *arg, long long rp_id, const long long **roots, int *n);

/* Whether any provider has a parent. */
int search_load_has_trees(struct search *se);

/* Every resource class, as one flat block: the number of ids n, n name
 * offsets (-1: no such id), then the NUL-terminated names. */
int search_load_rc_table(struct search *se);

const char * search_rc_name(const struct search *se, int id);

/* Whether the engine holds every inventory of class rc. */
int search_class_loaded(const struct search *se, long long rc);

/* Whether some provider has an inventory of a class the engine does not
 * hold in full. */
int search_other_classes(struct search *se, int *out);

/* root_required: the sets and whether any root satisfies them. */
int search_anchor_filter(struct search *se, struct ac_options *opt);

/* Every provider of the trees of roots[0..n) (sorted, distinct): the
 * cached trees, and the others read (and cached, with their uuids).
 * uuid is filled for the nodes just read only. */
int search_tree_nodes(struct search *se, const long long *roots, int nroots, struct st_ac_node **out, int *nout);

/* How many providers to feed the engine (see struct search), or 0 for
 * all.  When every tree is one provider, no provider shares, and one
 * group asks, each provider is a candidate or not on its own, and the
 * candidates come in provider id order: the first cap of them are among
 * the first providers with room, so the engine needs only those (a
 * margin more, for the ones the trait and aggregate filters drop; when
 * too few pass, search_and_answer feeds it everything).  In the
 * scheduler's loop this makes a query's cost follow its limit rather
 * than the number of providers. */
long search_flat_prefix(const struct search *se, long cap, int randomize);

/* Builds the engine for the request's groups, fed as se->prefix says,
 * and finds at most cap candidates into *res / *nall; se->empty when
 * the reference would answer nothing early.  0, or -1 after an error. */
int search_solve(struct search *se, const struct ac_options *opt, long cap, int breadth, struct ac_result **res, long *nall);
#endif
