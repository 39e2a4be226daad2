/* Inventories. */
#include "db.h"
#include "store_inventory.h"
#include "../common/util/arena.h"
#include <string.h>

/* Fills one record from a row of S_INV_LIST / S_INV_GET. */
static void
inv_row(struct arena *a, struct dbstmt *st, struct inventory *out)
{
	out->rc_id = db_col_int(st, 0);
	out->rc_name = st_col_text(a, st, 1);
	out->total = db_col_int(st, 2);
	out->reserved = db_col_int(st, 3);
	out->min_unit = db_col_int(st, 4);
	out->max_unit = db_col_int(st, 5);
	out->step_size = db_col_int(st, 6);
	out->allocation_ratio = db_col_double(st, 7);
	out->created_at = st_col_text(a, st, 8);
	out->updated_at = st_col_text(a, st, 9);
}

int
st_inv_list(struct store *s, struct arena *a, long long rp_id,
            struct inventory **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_INV_LIST);
	struct inventory *v = NULL;
	int cnt = 0, cap = 0, rc;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct inventory *row = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (row == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		inv_row(a, st, row);
	}
	int r = st_rc(s, rc);
	db_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_inv_get(struct store *s, struct arena *a, long long rp_id, const char *rc_name,
           struct inventory *out)
{
	struct dbstmt *st = st_prep(s, S_INV_GET);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	st_bind_text(st, 2, rc_name);
	int rc = db_step(st);
	int r = rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == DB_ROW)
		inv_row(a, st, out);
	db_reset(st);
	return r;
}

/* Binds ?1..?9 of S_INV_ADD / S_INV_UPDATE (same layout). */
static void
bind_inv(struct dbstmt *st, long long rp_id, const struct inventory *inv, const char *now)
{
	db_bind_int(st, 1, rp_id);
	db_bind_int(st, 2, inv->rc_id);
	db_bind_int(st, 3, inv->total);
	db_bind_int(st, 4, inv->reserved);
	db_bind_int(st, 5, inv->min_unit);
	db_bind_int(st, 6, inv->max_unit);
	db_bind_int(st, 7, inv->step_size);
	db_bind_double(st, 8, inv->allocation_ratio);
	st_bind_text(st, 9, now);
}

int
st_inv_add(struct store *s, long long rp_id, const struct inventory *inv)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_INV_ADD);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	bind_inv(st, rp_id, inv, now);
	return st_exec(s, st);
}

int
st_inv_update(struct store *s, long long rp_id, const struct inventory *inv)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_INV_UPDATE);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	bind_inv(st, rp_id, inv, now);
	return st_exec_changed(s, st);
}

int
st_inv_delete(struct store *s, long long rp_id, long long rc_id)
{
	struct dbstmt *st = st_prep(s, S_INV_DELETE);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	db_bind_int(st, 2, rc_id);
	return st_exec_changed(s, st);
}

static int
has_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int
st_inv_allocated(struct store *s, struct arena *a, long long rp_id,
                 const long long *rc_ids, int n, long long **used, int *nused)
{
	struct dbstmt *st = st_prep(s, S_INV_ALLOCATED);
	long long *v = NULL;
	int cnt = 0, cap = 0, rc;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_col_int(st, 0);
		if (!has_id(rc_ids, n, id))
			continue;
		long long *slot = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (slot == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		*slot = id;
	}
	int r = st_rc(s, rc);
	db_reset(st);
	*used = v;
	*nused = cnt;
	return r;
}

/* The class ids the provider has inventory of. */
static int
current_classes(struct store *s, struct arena *a, long long rp_id, long long **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_INV_CLASSES);
	long long *v = NULL;
	int cnt = 0, cap = 0, rc;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		long long *slot = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (slot == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		*slot = db_col_int(st, 0);
	}
	int r = st_rc(s, rc);
	db_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_inv_set(struct store *s, struct arena *a, long long rp_id,
           const struct inventory *invs, int n, long long **inuse, int *ninuse)
{
	long long *cur, *gone;
	int ncur, ngone = 0, r;

	*inuse = NULL;
	*ninuse = 0;
	if ((r = current_classes(s, a, rp_id, &cur, &ncur)) != ST_OK)
		return r;
	gone = arena_alloc(a, sizeof(*gone) * (size_t)(ncur + 1));
	if (gone == NULL)
		return ST_ERROR;
	for (int i = 0; i < ncur; i++) {
		int keep = 0;
		for (int j = 0; j < n && !keep; j++)
			keep = invs[j].rc_id == cur[i];
		if (!keep)
			gone[ngone++] = cur[i];
	}
	if (ngone > 0) {
		r = st_inv_allocated(s, a, rp_id, gone, ngone, inuse, ninuse);
		if (r != ST_OK)
			return r;
		if (*ninuse > 0)
			return ST_CONFLICT;
		for (int i = 0; i < ngone; i++)
			if ((r = st_inv_delete(s, rp_id, gone[i])) != ST_OK)
				return r;
	}
	for (int j = 0; j < n; j++) {
		r = has_id(cur, ncur, invs[j].rc_id) ? st_inv_update(s, rp_id, &invs[j])
		                                      : st_inv_add(s, rp_id, &invs[j]);
		if (r != ST_OK)
			return r;
	}
	return ST_OK;
}
