/* Data access for traits and provider-trait links (store_trait.c). */
#ifndef PLACEMENT_STORE_TRAIT_H
#define PLACEMENT_STORE_TRAIT_H
#include "store.h"

/* One row of the traits table. */
struct trait {
	long long id;
	const char *name;
	time_t created;        /* created_at; 0 when NULL */
	time_t modified;       /* updated_at, else created_at; 0 when both NULL */
};

/* Filters of GET /traits.  name_in and prefix exclude each other. */
struct trait_filter {
	const char *const *name_in;   /* n_in names, or NULL: any name */
	int n_in;
	const char *prefix;           /* NULL: any; else a LIKE 'prefix%' match */
	int associated;               /* -1 any, 0 used by no provider, 1 used by one */
};

/* Lists traits matching f: ST_OK with *out (arena array) and *n.  Ordered
 * by name when f->name_in is given, else by id (as the reference's
 * queries come out on sqlite). */
int st_trait_list(struct store *s, struct arena *a, const struct trait_filter *f,
                  struct trait **out, int *n);

/* Looks a trait up by exact name: ST_OK, ST_NOTFOUND, or an error. */
int st_trait_by_name(struct store *s, struct arena *a, const char *name, struct trait *out);

/* Inserts a trait (created_at now): ST_OK with *out filled, ST_CONFLICT
 * when the name exists, or an error.  Call inside a write transaction. */
int st_trait_create(struct store *s, struct arena *a, const char *name, struct trait *out);

/* 1 if any provider has trait id, 0 if none, <0 (negated ST_*) on error. */
int st_trait_in_use(struct store *s, long long id);

/* Deletes trait id: ST_OK, ST_NOTFOUND, or an error. */
int st_trait_delete(struct store *s, long long id);

/* The traits of provider rp_id, ordered by id. */
int st_rp_traits(struct store *s, struct arena *a, long long rp_id,
                 struct trait **out, int *n);

/* Makes the traits of provider rp_id exactly ids[0..n) (duplicates
 * allowed).  *changed is set to 1 when a link was added or removed.
 * Does not touch the provider's generation.  Call inside a write
 * transaction. */
int st_rp_traits_set(struct store *s, struct arena *a, long long rp_id,
                     const long long *ids, int n, int *changed);
#endif
