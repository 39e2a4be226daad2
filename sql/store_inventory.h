/* Data access for inventories (store_inventory.c).  Callers check and
 * bump the provider generation (store_rp.h) in the same transaction. */
#ifndef PLACEMENT_STORE_INVENTORY_H
#define PLACEMENT_STORE_INVENTORY_H
#include "store.h"

/* One inventory record of a provider. */
struct inventory {
	long long rc_id;
	const char *rc_name;
	long long total, reserved, min_unit, max_unit, step_size;
	double allocation_ratio;
	const char *created_at;       /* may be NULL */
	const char *updated_at;       /* may be NULL */
};

/* The provider's inventories in creation order: ST_OK, *out arena array. */
int st_inv_list(struct store *s, struct arena *a, long long rp_id,
                struct inventory **out, int *n);
/* The provider's inventory of the class named rc_name: ST_OK or ST_NOTFOUND. */
int st_inv_get(struct store *s, struct arena *a, long long rp_id, const char *rc_name,
               struct inventory *out);
/* Adds inv (rc_id set): ST_OK, ST_CONFLICT when the class is already there. */
int st_inv_add(struct store *s, long long rp_id, const struct inventory *inv);
/* Overwrites the provider's inventory of inv->rc_id: ST_OK or ST_NOTFOUND. */
int st_inv_update(struct store *s, long long rp_id, const struct inventory *inv);
/* Deletes the provider's inventory of rc_id: ST_OK or ST_NOTFOUND. */
int st_inv_delete(struct store *s, long long rp_id, long long rc_id);
/* The classes among rc_ids[0..n) that have allocations on the provider,
 * ascending, as an arena array in *used (*nused of them). */
int st_inv_allocated(struct store *s, struct arena *a, long long rp_id,
                     const long long *rc_ids, int n, long long **used, int *nused);
/* Makes the provider's inventory exactly invs[0..n) (rc_id set in each):
 * deletes, adds and updates as needed.  When a class to delete still has
 * allocations nothing is written and ST_CONFLICT is returned with those
 * classes in *inuse (may be NULL).  Write transaction; the caller bumps
 * the generation. */
int st_inv_set(struct store *s, struct arena *a, long long rp_id,
               const struct inventory *invs, int n, long long **inuse, int *ninuse);
#endif
