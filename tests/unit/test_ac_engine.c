/* The allocation-candidates solver (common/ac/ac_engine.c) on small worlds
 * built in memory: each row of the table is one world and one request,
 * with the number of candidates the reference gives for it. */
#include "harness.h"
#include "../../common/ac/ac_engine.h"
#include <string.h>

/* the table rows leave trailing fields to their zero defaults */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

enum { VCPU = 0, MEM = 1, DISK = 2, VF = 5 };

/* A provider of a test world: id, root, parent, inventories (class,
 * total), sharing anchors. */
struct tp {
	long long id, root, parent;
	int inv[4][2];
	int sharing;
	long long anchors[4];
};

struct tgroup {
	const char *suffix;
	int rc[3];
	long long amt[3];
	long long in_tree;
};

struct tcase {
	int line;
	struct tp p[12];
	struct tgroup g[6];
	int isolate, exclude_nested;
	int same[4];              /* group indices of one same_subtree, -1 ends */
	long cap;
	int breadth;
	long want;                /* candidates */
	int want_trees;           /* distinct anchor trees among them (0: skip) */
};

static const struct tcase cases[] = {
	/* flat: two computes */
	{__LINE__, {{1, 1, 0, {{VCPU, 4}}}, {2, 2, 0, {{VCPU, 1}}}},
	 {{"", {VCPU}, {2}}}, 0, 0, {-1}, -1, 0, 1, 0},
	{__LINE__, {{1, 1, 0, {{VCPU, 4}}}, {2, 2, 0, {{VCPU, 4}}}},
	 {{"", {VCPU}, {2}}}, 0, 0, {-1}, -1, 0, 2, 2},
	/* amounts add up across groups on one provider */
	{__LINE__, {{1, 1, 0, {{VCPU, 4}}}},
	 {{"", {VCPU}, {3}}, {"1", {VCPU}, {2}}}, 0, 0, {-1}, -1, 0, 0, 0},
	{__LINE__, {{1, 1, 0, {{VCPU, 5}}}},
	 {{"", {VCPU}, {3}}, {"1", {VCPU}, {2}}}, 0, 0, {-1}, -1, 0, 1, 0},
	/* a compute with three one-VF children, one VF per group */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 1, {{VF, 1}}}},
	 {{"", {VCPU}, {1}}, {"1", {VF}, {1}}, {"2", {VF}, {1}}, {"3", {VF}, {1}}}, 0, 0, {-1}, -1, 0, 6, 1},
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 1, {{VF, 1}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}, {"3", {VF}, {1}}, {"4", {VF}, {1}}}, 0, 0, {-1}, -1, 0, 0, 0},
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 1, {{VF, 1}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 0, 0, {-1}, 4, 0, 4, 1},
	/* two VFs each: without isolate a child may serve two groups */
	{__LINE__, {{1, 1, 0, {{VF, 2}}}, {2, 2, 0, {{VF, 2}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 0, 0, {-1}, -1, 0, 2, 2},
	{__LINE__, {{1, 1, 0, {{VCPU, 1}}}, {2, 1, 1, {{VF, 2}}}, {3, 1, 1, {{VF, 2}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 0, 0, {-1}, -1, 0, 4, 1},
	{__LINE__, {{1, 1, 0, {{VCPU, 1}}}, {2, 1, 1, {{VF, 2}}}, {3, 1, 1, {{VF, 2}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 1, 0, {-1}, -1, 0, 2, 1},
	/* the unsuffixed group spreads over the tree: VCPU and VF anywhere */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}},
	 {{"", {VCPU, VF}, {1, 1}}}, 0, 0, {-1}, -1, 0, 2, 1},
	/* ... but not below 1.29 (one provider per tree) */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}},
	 {{"", {VCPU, VF}, {1, 1}}}, 0, 1, {-1}, -1, 0, 0, 0},
	/* sharing disk: one candidate per compute, and the sharing provider
	 * alone once however many trees it serves */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 2, 0, {{VCPU, 8}}}, {3, 3, 0, {{DISK, 100}}, 1, {1, 2, 3}}},
	 {{"", {VCPU, DISK}, {1, 10}}}, 0, 0, {-1}, -1, 0, 2, 2},
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 2, 0, {{VCPU, 8}}}, {3, 3, 0, {{DISK, 100}}, 1, {1, 2, 3}}},
	 {{"", {DISK}, {10}}}, 0, 0, {-1}, -1, 0, 1, 0},
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 2, 0, {{VCPU, 8}}}, {3, 3, 0, {{DISK, 100}}, 1, {1, 2, 3}}},
	 {{"1", {VCPU}, {1}}, {"2", {DISK}, {10}}}, 0, 0, {-1}, -1, 0, 2, 2},
	/* same_subtree: root 1 -> 2 -> 4 and 1 -> 3 */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{MEM, 8}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 2, {{VF, 1}}}},
	 {{"_A", {MEM}, {1}}, {"_B", {VF}, {1}}}, 0, 0, {0, 1, -1}, -1, 0, 1, 1},
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 1, 1, {{MEM, 8}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 2, {{VF, 1}}}},
	 {{"_A", {MEM}, {1}}, {"_B", {VF}, {1}}}, 0, 0, {-1}, -1, 0, 2, 1},
	/* in_tree */
	{__LINE__, {{1, 1, 0, {{VCPU, 8}}}, {2, 2, 0, {{VCPU, 8}}}},
	 {{"", {VCPU}, {1}, 2}}, 0, 0, {-1}, -1, 0, 1, 1},
	/* the cap, depth-first (one tree) and breadth-first (both trees) */
	{__LINE__, {{1, 1, 0, {{VCPU, 1}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 1, {{VF, 1}}},
	            {5, 5, 0, {{VCPU, 1}}}, {6, 5, 5, {{VF, 1}}}, {7, 5, 5, {{VF, 1}}}, {8, 5, 5, {{VF, 1}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 0, 0, {-1}, 4, 0, 4, 1},
	{__LINE__, {{1, 1, 0, {{VCPU, 1}}}, {2, 1, 1, {{VF, 1}}}, {3, 1, 1, {{VF, 1}}}, {4, 1, 1, {{VF, 1}}},
	            {5, 5, 0, {{VCPU, 1}}}, {6, 5, 5, {{VF, 1}}}, {7, 5, 5, {{VF, 1}}}, {8, 5, 5, {{VF, 1}}}},
	 {{"1", {VF}, {1}}, {"2", {VF}, {1}}}, 0, 0, {-1}, 4, 1, 4, 2},
};

static const struct tcase *cur;

/* The anchor loader of the test worlds. */
static int
load_anchors(void *arg, long long rp_id, const long long **roots, int *n)
{
	struct arena *a = arg;
	for (int i = 0; i < 12 && cur->p[i].id; i++) {
		if (cur->p[i].id != rp_id)
			continue;
		int k = 0;
		while (k < 4 && cur->p[i].anchors[k])
			k++;
		long long *r = arena_alloc(a, sizeof(long long) * (size_t)(k + 1));
		if (r == NULL)
			return -1;
		memcpy(r, cur->p[i].anchors, sizeof(long long) * (size_t)k);
		*roots = r;
		*n = k;
		return 0;
	}
	*n = 0;
	return 0;
}

/* The explainer's counts on one small world: what each step of a
 * granular group and of the unsuffixed group leaves. */
static void
explain_counts(void)
{
	struct arena a = {0};
	struct ac_explain x = {0};
	struct ac_options opt = {0};
	opt.explain = &x;
	struct ac_engine *e = ac_new(&a, &opt);
	/* 1: VCPU 4, MEM 8; 2: VCPU 1; 3: MEM 2 (all roots) */
	int i1 = ac_add_provider(e, 1, 1, 0, "1"), i2 = ac_add_provider(e, 2, 2, 0, "2"),
	    i3 = ac_add_provider(e, 3, 3, 0, "3");
	ac_add_inventory(e, i1, VCPU, 4, 0, 1, 4, 1, 1.0, 0);
	ac_add_inventory(e, i1, MEM, 8, 0, 1, 8, 1, 1.0, 0);
	ac_add_inventory(e, i2, VCPU, 1, 0, 1, 1, 1, 1.0, 0);
	ac_add_inventory(e, i3, MEM, 2, 0, 1, 2, 1, 1.0, 0);
	int rc_g[2] = {VCPU, MEM};
	long long amt_g[2] = {2, 4};
	struct ac_group g = {"1", 1, 2, rc_g, amt_g};
	CHECK_INT(__LINE__, "granular options", ac_add_group(e, &g), 1);
	int rc_u[1] = {MEM};
	long long amt_u[1] = {2};
	struct ac_group u = {"", 0, 1, rc_u, amt_u};
	CHECK(__LINE__, ac_add_group(e, &u) >= 0, "unsuffixed group");
	static const struct { enum ac_step step; int group; long count; } want[] = {
		{AC_STEP_HAS_CLASS, 0, 2}, {AC_STEP_ROOM, 0, 1},      /* VCPU:2 */
		{AC_STEP_HAS_CLASS, 0, 1}, {AC_STEP_ROOM, 0, 1},      /* then MEM:4 */
		{AC_STEP_GROUP, 0, 1},
		{AC_STEP_HAS_CLASS, 1, 2}, {AC_STEP_ROOM, 1, 2},      /* MEM:2 */
		{AC_STEP_TREES, 1, 2},
	};
	CHECK_INT(__LINE__, "steps", x.n, NROWS(want));
	for (int i = 0; i < x.n && i < NROWS(want); i++) {
		CHECK_INT(__LINE__, "step kind", x.v[i].step, want[i].step);
		CHECK_INT(__LINE__, "step group", x.v[i].group, want[i].group);
		CHECK_INT(__LINE__, "step count", x.v[i].count, want[i].count);
	}
	arena_free(&a);
}

void
test_ac_engine(void)
{
	explain_counts();
	/* every world twice: explaining must not change the answer */
	for (int t = 0; t < 2 * NROWS(cases); t++) {
		const struct tcase *tc = &cases[t / 2];
		struct arena a = {0};
		struct ac_explain x = {0};
		cur = tc;
		long long sharing_ids[12];
		int nsharing = 0;
		for (int i = 0; i < 12 && tc->p[i].id; i++)
			if (tc->p[i].sharing)
				sharing_ids[nsharing++] = tc->p[i].id;
		struct ac_idset sharing = {sharing_ids, NULL, nsharing};
		struct ac_options opt = {0};
		opt.isolate = tc->isolate;
		opt.exclude_nested = tc->exclude_nested;
		opt.sharing = &sharing;
		opt.load_anchors = load_anchors;
		opt.load_arg = &a;
		opt.explain = t % 2 ? &x : NULL;
		struct ac_engine *e = ac_new(&a, &opt);
		CHECK(tc->line, e != NULL, "ac_new");
		for (int i = 0; i < 12 && tc->p[i].id; i++) {
			const struct tp *p = &tc->p[i];
			int ix = ac_add_provider(e, p->id, p->root, p->parent, "u");
			for (int k = 0; k < 4 && p->inv[k][1]; k++)
				ac_add_inventory(e, ix, p->inv[k][0], p->inv[k][1], 0, 1, p->inv[k][1], 1, 1.0, 0);
		}
		int ng = 0;
		for (int g = 0; g < 6 && tc->g[g].suffix; g++, ng++) {
			struct ac_group grp = {0};
			int n = 0;
			while (n < 3 && tc->g[g].amt[n])
				n++;
			grp.suffix = tc->g[g].suffix;
			grp.granular = tc->g[g].suffix[0] != '\0';
			grp.nres = n;
			grp.rc = tc->g[g].rc;
			grp.amount = tc->g[g].amt;
			grp.in_tree_root = tc->g[g].in_tree;
			CHECK(tc->line, ac_add_group(e, &grp) >= 0, "ac_add_group");
		}
		int same[4], nsame = 0;
		while (nsame < 4 && tc->same[nsame] >= 0)
			same[nsame] = tc->same[nsame], nsame++;
		if (nsame > 0)
			ac_add_same_subtree(e, same, nsame);
		struct ac_result *res;
		long n;
		CHECK(tc->line, ac_solve(e, tc->cap, tc->breadth, &res, &n) == 0, "ac_solve");
		CHECK_INT(tc->line, t % 2 ? "candidates (explaining)" : "candidates", n, tc->want);
		CHECK(tc->line, !x.failed, "explain complete");
		if (tc->want_trees) {
			long long trees[16];
			int nt = 0;
			for (long i = 0; i < n; i++) {
				long long root = ac_provider_root(e, res[i].alloc[0].rp);
				int seen = 0;
				for (int k = 0; k < nt; k++)
					seen |= trees[k] == root;
				if (!seen && nt < 16)
					trees[nt++] = root;
			}
			CHECK_INT(tc->line, "trees", nt, tc->want_trees);
		}
		/* every candidate maps each group to providers */
		for (long i = 0; i < n; i++)
			for (int g = 0; g < ng; g++)
				CHECK(tc->line, res[i].map_off[g + 1] > res[i].map_off[g], "group %d mapped", g);
		arena_free(&a);
	}
}
