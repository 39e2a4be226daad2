/* Data access for GET /allocation_candidates (store_ac.c): the few
 * indexed reads the solver needs.  Every call is a read; run them inside
 * one read transaction so the answer is consistent. */
#ifndef PLACEMENT_STORE_AC_H
#define PLACEMENT_STORE_AC_H
#include "store.h"

/* One inventory of one provider, with the provider's tree facts and the
 * class's current usage. */
struct st_ac_inv {
	long long rp_id, root_id, parent_id;   /* parent_id 0: a root */
	const char *uuid;
	int rc_id;
	long long total, reserved, min_unit, max_unit, step_size, used;
	double ratio;
};

/* qsort/bsearch order of inventory rows: by provider, then class. */
int st_ac_inv_cmp(const void *x, const void *y);

/* A provider with its root (members of a trait or an aggregate). */
struct st_ac_member {
	long long id, root_id;
};

/* A provider of a tree, for provider summaries and ancestry. */
struct st_ac_node {
	long long id, parent_id, root_id;   /* parent_id 0: none */
	const char *uuid;
};

/* A provider's trait. */
struct st_ac_trait {
	long long rp_id, trait_id;
	const char *name;
};

/* A resource class. */
struct st_ac_rc {
	int id;
	const char *name;
};

/* One row of the change log (schema-changes.sql): provider rp_id (0:
 * classes or traits) had what changed (ST_AC_CH_*) in commit order seq. */
enum {
	ST_AC_CH_INV = 1, ST_AC_CH_USAGE = 2, ST_AC_CH_TRAITS = 4, ST_AC_CH_AGGS = 8,
	ST_AC_CH_PROVIDER = 16, ST_AC_CH_GLOBAL = 32,
};
struct st_ac_change {
	long long seq, rp_id;
	int what;
};
/* Whether the database keeps the change log (the table and all its
 * triggers): 1 or 0 (also on error).  Looked up again whenever the
 * schema changed. */
int st_ac_has_change_log(struct store *s);
/* The newest position of the change log (0 when empty). */
int st_ac_changes_top(struct store *s, long long *seq);
/* The rows after position after, in order, at most max of them. */
int st_ac_changes(struct store *s, struct arena *a, long long after, int max,
                  struct st_ac_change **out, int *n);
/* Every inventory of the providers ids[nids], every field but uuid,
 * root_id and parent_id. */
int st_ac_inventories_full(struct store *s, struct arena *a, const long long *ids, int nids,
                           struct st_ac_inv **out, int *n);

/* A provider's change counters (schema-mysql-changes.sql: every write
 * that changes what candidates read of it moves changes, one to its
 * allocations moves usage as well, whoever writes). */
struct st_ac_gen {
	long long id, changes, usage;
};
/* Whether the cache is refreshed from change counters (MariaDB, no
 * change log): 1 when the database keeps them (every trigger there,
 * looked up per connection and again every 30 s), 0 otherwise. */
int st_ac_refresh_by_counters(struct store *s);
/* Classes and traits as a whole: their counts, highest ids and the last
 * class rename; making, renaming or deleting one changes some of them. */
struct st_ac_globals {
	long long v[4];
	char renamed[40];
};
int st_ac_globals(struct store *s, struct st_ac_globals *out);
/* MariaDB: every provider's change counters, by id, and st_ac_globals,
 * in one statement (the rename as a number in renamed). */
int st_ac_counters_globals(struct store *s, struct arena *a, struct st_ac_globals *g,
                           struct st_ac_gen **out, int *n);

/* Whether any provider has a parent (the deployment has trees). */
int st_ac_has_trees(struct store *s, int *out);
/* Number of root providers. */
int st_ac_count_roots(struct store *s, long long *out);
/* Every resource class (id, name). */
int st_ac_rc_names(struct store *s, struct arena *a, struct st_ac_rc **out, int *n);
/* Trait id by name: ST_OK or ST_NOTFOUND. */
int st_ac_trait_id(struct store *s, const char *name, long long *id);

/* Every inventory of class rc_id, limited to the tree of root
 * tree_root_id unless 0; trees 0 when no provider has a parent (the
 * cheaper read then).  uuid is not filled. */
int st_ac_inventories(struct store *s, struct arena *a, int rc_id, long long tree_root_id,
                      int trees, struct st_ac_inv **out, int *n);
/* Providers having trait trait_id, sorted by id. */
int st_ac_trait_members(struct store *s, struct arena *a, long long trait_id,
                        struct st_ac_member **out, int *n);
/* Providers in the aggregate of that uuid, sorted by id (none if unknown). */
int st_ac_agg_members(struct store *s, struct arena *a, const char *agg_uuid,
                      struct st_ac_member **out, int *n);
/* Provider by uuid: ST_OK with its id and root id, or ST_NOTFOUND. */
int st_ac_rp_by_uuid(struct store *s, const char *uuid, long long *id, long long *root_id);
/* Roots of every provider sharing an aggregate with rp_id, sorted. */
int st_ac_sharing_anchors(struct store *s, struct arena *a, long long rp_id,
                          long long **out, int *n);

/* Every provider of the trees of the given roots. */
int st_ac_tree_nodes(struct store *s, struct arena *a, const long long *roots, int nroots,
                     struct st_ac_node **out, int *n);
/* Every inventory of the providers ids[nids] except those of the classes
 * in skip[nskip]; only rp_id, rc_id, total, reserved, max_unit, ratio and
 * used are filled. */
int st_ac_inventories_of(struct store *s, struct arena *a, const long long *ids,
                         int nids, const long long *skip, int nskip,
                         struct st_ac_inv **out, int *n);
/* Every trait of the providers ids[nids]. */
int st_ac_traits_of(struct store *s, struct arena *a, const long long *ids, int nids,
                    struct st_ac_trait **out, int *n);
/* The classes some provider has an inventory of, ascending. */
int st_ac_classes(struct store *s, struct arena *a, long long **out, int *n);
/* Providers by id (id and uuid filled). */
int st_ac_nodes_by_id(struct store *s, struct arena *a, const long long *ids, int nids,
                      struct st_ac_node **out, int *n);
#endif
