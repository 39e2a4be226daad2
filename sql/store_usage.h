/* Data access for usages (store_usage.c). */
#ifndef PLACEMENT_STORE_USAGE_H
#define PLACEMENT_STORE_USAGE_H
#include "store.h"

/* Amount used of one resource class. */
struct usage {
	const char *rc_name;
	long long used;
};

/* Usage of one consumer type (name NULL: consumers without a type). */
struct usage_group {
	const char *consumer_type;
	long long consumer_count;
	struct usage *u;
	int n;
};

/* Per class the provider has inventory of: the sum allocated (0 if none). */
int st_usage_by_rp(struct store *s, struct arena *a, long long rp_id,
                   struct usage **out, int *n);
/* Sums allocated to consumers of project (and user, unless NULL); with
 * untyped_only, only consumers without a consumer type.  *consumers is
 * the number of distinct consumers counted (may be NULL). */
int st_usage_totals(struct store *s, struct arena *a, const char *project,
                    const char *user, int untyped_only, struct usage **out, int *n,
                    long long *consumers);
/* The same split by consumer type (only type_name when not NULL). */
int st_usage_by_type(struct store *s, struct arena *a, const char *project,
                     const char *user, const char *type_name,
                     struct usage_group **out, int *n);
#endif
