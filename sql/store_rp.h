/* Data access for resource providers (sqlite_rp.c).  Other areas reuse
 * st_rp_by_uuid and st_rp_bump_generation; keep their signatures stable. */
#ifndef PLACEMENT_STORE_RP_H
#define PLACEMENT_STORE_RP_H
#include "store.h"

/* One resource provider row with its parent and root uuids resolved. */
struct rp {
	long long id;
	const char *uuid;
	const char *name;
	long long generation;
	long long parent_id;          /* 0: none */
	long long root_id;
	const char *parent_uuid;      /* NULL: no parent */
	const char *root_uuid;
	const char *created_at;       /* may be NULL */
	const char *updated_at;       /* may be NULL */
};

/* Looks a provider up by uuid (normalised, dashed lower case): ST_OK with
 * *out filled (strings in the arena), ST_NOTFOUND, or an error. */
int st_rp_by_uuid(struct store *s, struct arena *a, const char *uuid, struct rp *out);

/* Bumps the generation of provider id if it still is expected_generation
 * (also touches updated_at): ST_OK, ST_CONFLICT when it moved on (or the
 * provider is gone), or an error.  Call inside a write transaction. */
int st_rp_bump_generation(struct store *s, long long id, long long expected_generation);

/* Creates a provider.  parent may be NULL (a new root).  ST_OK with *out
 * filled, ST_CONFLICT on a duplicate name or uuid (*dup_field set to
 * "name" or "uuid"), or an error.  Call inside a write transaction. */
int st_rp_create(struct store *s, struct arena *a, const char *uuid, const char *name,
                 const struct rp *parent, struct rp *out, const char **dup_field);

/* Renames / re-parents provider rp (its generation is bumped, updated_at
 * set).  new_parent NULL: no parent (the provider becomes a root, and so
 * its subtree root changes).  ST_OK, ST_CONFLICT on a duplicate name, or
 * an error.  Call inside a write transaction. */
int st_rp_update(struct store *s, struct rp *rp, const char *name,
                 const struct rp *new_parent);

/* 1 if candidate is rp itself or one of its descendants, 0 if not, <0 error. */
int st_rp_is_in_subtree(struct store *s, long long rp_id, long long candidate_id);

/* Whether provider id has children / allocations: 1 yes, 0 no, <0 error. */
int st_rp_has_children(struct store *s, long long id);
int st_rp_has_allocations(struct store *s, long long id);

/* Deletes provider id with its inventories, traits and aggregate links. */
int st_rp_delete(struct store *s, long long id);

/* Filters of GET /resource_providers.  Empty lists mean "no filter". */
struct rp_resource_req {
	long long rc_id;
	long long amount;
};
struct rp_filter {
	const char *name;             /* NULL: any */
	const char *uuid;             /* NULL: any */
	long long in_tree_id;         /* 0: any; else the root id of that tree */
	/* member_of: each group is a list of aggregate uuids, any-of; all
	 * groups must match. forbidden: providers in any of these are out. */
	const char ***member_of;      /* nmember groups, each NULL-terminated */
	int nmember;
	const char **forbidden_aggs;  /* NULL-terminated or NULL */
	/* traits: groups of trait names, any-of within a group, all groups. */
	const char ***required_traits;
	int nrequired;
	const char **forbidden_traits;
	struct rp_resource_req *resources;
	int nresources;
};

/* Lists providers matching f: ST_OK with *out (arena array) and *n. */
int st_rp_list(struct store *s, struct arena *a, const struct rp_filter *f,
               struct rp **out, int *n);

/* Resolves a trait name to its id: ST_OK or ST_NOTFOUND. */
int st_rp_trait_id(struct store *s, const char *name, long long *id);
/* Resolves a resource class name to its id: ST_OK or ST_NOTFOUND. */
int st_rp_rc_id(struct store *s, const char *name, long long *id);
#endif
