/* Data access for allocations, consumers (with their projects, users and
 * consumer types) and the reshaper's inventory replacement
 * (store_alloc.c).  allocations.consumer_id holds the consumer's uuid
 * string, as in the reference's schema.  Writers run inside the caller's
 * write transaction (store_begin(s, 1)). */
#ifndef PLACEMENT_STORE_ALLOC_H
#define PLACEMENT_STORE_ALLOC_H
#include "store.h"

/* One allocation row with what the listings show beside it. */
struct alloc_row {
	long long id;
	long long rp_id;
	const char *rp_uuid;          /* by consumer only, else NULL */
	long long rp_generation;      /* by consumer only */
	long long rc_id;
	long long used;
	const char *consumer_uuid;
	long long consumer_generation;
	long long consumer_type_id;   /* 0: none */
	const char *project;          /* external ids */
	const char *user;
	const char *created_at;       /* may be NULL */
	const char *updated_at;       /* may be NULL */
};

/* The allocations of a consumer (uuid compared as given), oldest first:
 * ST_OK with *out (arena array) and *n (0 when none). */
int st_alloc_by_consumer(struct store *s, struct arena *a, const char *consumer_uuid,
                         struct alloc_row **out, int *n);
/* The allocations against provider rp_id, oldest first. */
int st_alloc_by_rp(struct store *s, struct arena *a, long long rp_id,
                   struct alloc_row **out, int *n);

/* An allocation a write removed. */
struct alloc_gone {
	long long rp_id, rc_id, used;
};
/* Deletes every allocation of the consumer, appending what went to the
 * arena array *out of *n (room for *cap; start with NULL, 0, 0). */
int st_alloc_delete_consumer(struct store *s, struct arena *a, const char *consumer_uuid,
                             struct alloc_gone **out, int *n, int *cap);
/* The same when its allocations are seen (its consumer, project and user
 * rows there, as st_alloc_by_consumer reads them); *n: how many went. */
int st_alloc_delete_seen(struct store *s, const char *consumer_uuid, long long *n);
/* The id and generation of the provider uuid, locked for the rest of a
 * write transaction on MariaDB: ST_OK or ST_NOTFOUND. */
int st_alloc_rp(struct store *s, const char *uuid, long long *id, long long *generation);
/* An allocation to insert. */
struct alloc_new {
	long long rp_id;
	const char *consumer_uuid;
	long long rc_id, used;
};
/* Inserts rows[0..n) in that order, four to a statement (created_at now). */
int st_alloc_insert(struct store *s, const struct alloc_new *rows, int n);

/* One inventory record. */
struct alloc_inv {
	long long rc_id;
	long long total, reserved, min_unit, max_unit, step_size;
	double allocation_ratio;
};
/* An inventory and the sum of its allocations. */
struct alloc_inv_used {
	struct alloc_inv inv;
	long long used;
};
/* Every inventory of provider rp_id with the sum of its allocations, in
 * no particular order (arena array): ST_OK or an error. */
int st_alloc_rp_inventories(struct store *s, struct arena *a, long long rp_id,
                            struct alloc_inv_used **out, int *n);
/* 1 if provider rp_id has allocations of class rc_id, 0 if not, -ST_*. */
int st_alloc_class_in_use(struct store *s, long long rp_id, long long rc_id);


/* A consumer row with its project and user external ids. */
struct consumer_row {
	long long id;
	long long generation;
	long long type_id;            /* 0: none */
	long long project_id, user_id;
	const char *project, *user;
};
/* Looks a consumer up by uuid (as given): ST_OK or ST_NOTFOUND. */
int st_consumer_get(struct store *s, struct arena *a, const char *uuid, struct consumer_row *out);
/* Creates a consumer at the generation (type_id 0: none): ST_OK with *id. */
int st_consumer_create(struct store *s, const char *uuid, long long project_id,
                       long long user_id, long long type_id, long long generation,
                       long long *id);
/* Rewrites project, user and type of consumer id (generation unchanged). */
int st_consumer_update(struct store *s, long long id, long long project_id,
                       long long user_id, long long type_id);
/* Bumps the generation of consumer id if it still is expected:
 * ST_OK, ST_CONFLICT, or an error. */
int st_consumer_bump(struct store *s, long long id, long long expected);
/* Deletes the consumer row unless it still has allocations. */
int st_consumer_delete_if_unused(struct store *s, const char *uuid);

/* Get-or-create by external id / name: ST_OK with the ids. */
int st_project_user_ensure(struct store *s, const char *project, const char *user,
                           long long *project_id, long long *user_id);
int st_consumer_type_ensure(struct store *s, const char *name, long long *id);
/* The name of consumer type id: ST_OK or ST_NOTFOUND. */
int st_consumer_type_name(struct store *s, struct arena *a, long long id, const char **name);
#endif
