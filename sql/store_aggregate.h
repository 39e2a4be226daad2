/* Data access for placement aggregates and provider-aggregate links
 * (store_aggregate.c). */
#ifndef PLACEMENT_STORE_AGGREGATE_H
#define PLACEMENT_STORE_AGGREGATE_H
#include "store.h"

/* The aggregate uuids of provider rp_id (arena array of strings, as
 * stored), ordered by aggregate id. */
int st_rp_aggregates(struct store *s, struct arena *a, long long rp_id,
                     const char ***out, int *n);

/* Makes the aggregates of provider rp_id exactly uuids[0..n) (distinct
 * strings, stored as given).  Aggregates never seen before are created
 * in placement_aggregates.  Does not touch the provider's generation.
 * Call inside a write transaction. */
int st_rp_aggregates_set(struct store *s, struct arena *a, long long rp_id,
                         const char *const *uuids, int n);
#endif
