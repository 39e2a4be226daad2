/* Data access for the view (common/view): what the capacity pages show.
 * Reads only; call inside a read transaction.  Strings are in the arena. */
#ifndef PLACEMENT_STORE_VIEW_H
#define PLACEMENT_STORE_VIEW_H
#include "store.h"

struct view_counts {
	long long providers, roots, consumers;
};

/* One resource class over the cloud. */
struct view_total {
	const char *rc;
	long long providers;          /* with an inventory of it */
	long long total, reserved, used;
	long long capacity;           /* sum of int((total - reserved) * ratio) */
};

/* A provider as the lists show it. */
struct view_rp {
	long long id, root_id, parent_id;   /* parent_id 0: a root */
	const char *uuid, *name;
};

/* One inventory with what is allocated of it. */
struct view_inv {
	const char *rc;
	long long total, reserved, min_unit, max_unit, step, used;
	double ratio;
	long long capacity;           /* int((total - reserved) * ratio) */
};

/* One allocation against a provider, with its consumer. */
struct view_alloc {
	const char *consumer, *rc, *project, *user, *type;   /* may be NULL but consumer, rc */
	long long used;
};

/* A search of providers; NULL / 0 fields do not filter. */
struct view_find {
	const char *name_part;        /* a substring of the name (taken literally) */
	const char *uuid;
	const char *trait;
	const char *aggregate;        /* an aggregate uuid */
	int roots_only;
	long long after;              /* ids after this one */
	int limit;
};

int st_view_counts(struct store *s, struct view_counts *out);
/* Every class with inventory, by name. */
int st_view_totals(struct store *s, struct arena *a, struct view_total **out, int *n);
/* The providers f selects, by id, at most f->limit. */
int st_view_find(struct store *s, struct arena *a, const struct view_find *f,
                 struct view_rp **out, int *n);
/* Every provider of the tree rooted at root_id, by id. */
int st_view_tree(struct store *s, struct arena *a, long long root_id, struct view_rp **out, int *n);
/* Provider rp_id's inventories, by class name. */
int st_view_inventory(struct store *s, struct arena *a, long long rp_id, struct view_inv **out, int *n);
/* The providers with trait sharing_trait in an aggregate of rp_id. */
int st_view_sharing(struct store *s, struct arena *a, long long rp_id, const char *sharing_trait,
                    struct view_rp **out, int *n);
/* At most limit allocations against rp_id, by consumer then class. */
int st_view_allocations(struct store *s, struct arena *a, long long rp_id, int limit,
                        struct view_alloc **out, int *n);
#endif
