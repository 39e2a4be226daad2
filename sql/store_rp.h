/* Data access for resource providers (store_rp.c).  Other areas reuse
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

/* Looks a provider up by uuid (compared as given; stored uuids are
 * dashed lower case): ST_OK with
 * *out filled (strings in the arena), ST_NOTFOUND, or an error. */
int st_rp_by_uuid(struct store *s, struct arena *a, const char *uuid, struct rp *out);

/* Bumps the generation of provider id if it still is expected_generation
 * (also touches updated_at): ST_OK, ST_CONFLICT when it moved on (or the
 * provider is gone), or an error.  Call inside a write transaction. */
int st_rp_bump_generation(struct store *s, long long id, long long expected_generation);

/* Creates a provider.  parent may be NULL (a new root).  ST_OK with *out
 * filled (no timestamps), ST_CONFLICT on a duplicate uuid or name
 * (*dup_field set to "uuid" or "name", uuid checked first), or an error.
 * Call inside a write transaction. */
int st_rp_create(struct store *s, struct arena *a, const char *uuid, const char *name,
                 const struct rp *parent, struct rp *out, const char **dup_field);

/* Renames / re-parents provider rp (generation unchanged, as the
 * reference; updated_at set when something changed) and moves its
 * descendants to the new root.  new_parent NULL: no parent.  rp is
 * updated in place.  ST_OK, ST_CONFLICT on a duplicate name, or an error.
 * Call inside a write transaction. */
int st_rp_update(struct store *s, struct arena *a, struct rp *rp, const char *name,
                 const struct rp *new_parent);

/* 1 if candidate is rp itself or one of its descendants, 0 if not,
 * -ST_ERROR on error. */
int st_rp_is_in_subtree(struct store *s, long long rp_id, long long candidate_id);

/* Whether provider id has children / allocations: 1 yes, 0 no,
 * -ST_ERROR on error. */
int st_rp_has_children(struct store *s, long long id);
int st_rp_has_allocations(struct store *s, long long id);

/* Deletes provider id with its inventories, traits and aggregate links. */
int st_rp_delete(struct store *s, long long id);

/* A counted list of strings. */
struct rp_strlist {
	const char **v;
	int n;
};

/* Filters of GET /resource_providers, applied in the reference's order
 * (which decides whether an unknown trait or class is reported at all).
 * Strings are compared as given.  Empty lists mean "no filter". */
struct rp_filter {
	const char *name;             /* NULL: any */
	const char *uuid;             /* NULL: any */
	const char *in_tree;          /* NULL: any; else a provider of the tree */
	struct rp_strlist *required_traits;   /* groups: any-of within, all groups */
	int nrequired;
	struct rp_strlist forbidden_traits;
	struct rp_strlist *member_of;         /* aggregate uuid groups, likewise */
	int nmember;
	struct rp_strlist forbidden_aggs;
	struct rp_strlist rc_names;           /* resources: class names ... */
	const long long *amounts;             /* ... and amounts, same order */
	/* Set when st_rp_list returns ST_NOTFOUND: */
	int missing_is_rc;            /* 1: a resource class, 0: a trait */
	const char *missing_name;
};

/* Receives one listed provider; its strings are valid only during the
 * call (copy what must outlive it). */
typedef void (*rp_row_fn)(void *arg, const struct rp *row);

/* Lists providers matching f, ordered by id, handing each to each():
 * ST_OK, ST_NOTFOUND for an unknown trait or resource class
 * (f->missing_* says which; nothing was listed), or an error. */
int st_rp_list(struct store *s, struct arena *a, struct rp_filter *f, rp_row_fn each, void *arg);
#endif
