/* Placement aggregates and provider-aggregate links. */
#include "db.h"
#include "store_aggregate.h"
#include "../common/util/arena.h"
#include <string.h>

/* The existing links of provider rp_id: ids and uuids, arena arrays. */
static int
rp_agg_rows(struct store *s, struct arena *a, long long rp_id,
            long long **ids, const char ***uuids, int *n)
{
	int cap = 0, rc;
	*ids = NULL;
	*uuids = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_RP_AGGS);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 16;
			long long *bi = arena_alloc(a, (size_t)ncap * sizeof(*bi));
			const char **bu = arena_alloc(a, (size_t)(ncap + 1) * sizeof(*bu));
			if (bi == NULL || bu == NULL) {
				db_reset(st);
				return ST_ERROR;
			}
			if (*n) {
				memcpy(bi, *ids, (size_t)*n * sizeof(*bi));
				memcpy(bu, *uuids, (size_t)*n * sizeof(*bu));
			}
			*ids = bi;
			*uuids = bu;
			cap = ncap;
		}
		(*ids)[*n] = db_col_int(st, 0);
		(*uuids)[*n] = st_col_text(a, st, 1);
		if ((*uuids)[*n] == NULL)
			(*uuids)[*n] = "";
		(*n)++;
	}
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

int
st_rp_aggregates(struct store *s, struct arena *a, long long rp_id,
                 const char ***out, int *n)
{
	long long *ids;
	return rp_agg_rows(s, a, rp_id, &ids, out, n);
}

/* The id of aggregate uuid, created when new. */
static int
ensure_aggregate(struct store *s, const char *uuid, const char *now, long long *id)
{
	struct dbstmt *st = st_prep(s, S_AGG_BY_UUID);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		db_reset(st);
		return ST_OK;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return st_rc(s, rc);
	st = st_prep(s, S_AGG_INSERT);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, now);
	st_bind_text(st, 2, uuid);
	int r = st_exec(s, st);
	if (r == ST_OK)
		*id = db_last_id(s);
	return r;
}

int
st_rp_aggregates_set(struct store *s, struct arena *a, long long rp_id,
                     const char *const *uuids, int n)
{
	long long *have_ids;
	const char **have;
	int nhave, r;
	char now[64];

	if ((r = rp_agg_rows(s, a, rp_id, &have_ids, &have, &nhave)) != ST_OK)
		return r;
	store_now(now);
	for (int i = 0; i < nhave; i++) {
		int keep = 0;
		for (int j = 0; j < n && !keep; j++)
			keep = strcmp(have[i], uuids[j]) == 0;
		if (keep)
			continue;
		struct dbstmt *st = st_prep(s, S_RP_AGG_REMOVE);
		if (st == NULL)
			return ST_ERROR;
		db_bind_int(st, 1, rp_id);
		db_bind_int(st, 2, have_ids[i]);
		if ((r = st_exec(s, st)) != ST_OK)
			return r;
	}
	for (int j = 0; j < n; j++) {
		int linked = 0;
		for (int i = 0; i < nhave && !linked; i++)
			linked = strcmp(have[i], uuids[j]) == 0;
		if (linked)
			continue;
		long long agg_id = 0;
		if ((r = ensure_aggregate(s, uuids[j], now, &agg_id)) != ST_OK)
			return r;
		struct dbstmt *st = st_prep(s, S_RP_AGG_ADD);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, now);
		db_bind_int(st, 2, rp_id);
		db_bind_int(st, 3, agg_id);
		if ((r = st_exec(s, st)) != ST_OK)
			return r;
	}
	return ST_OK;
}
