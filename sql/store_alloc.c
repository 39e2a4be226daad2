/* Allocations and consumers: the implementation of store_alloc.h. */
#include "db.h"
#include "store_alloc.h"
#include "../common/util/arena.h"
#include "../common/util/buf.h"
#include <stdlib.h>
#include <string.h>

/* Steps a one-row query: 1 row, 0 none, -ST_* error (statement left on
 * the row so the caller can read it; callers reset). */
static int
step_row(struct store *s, struct dbstmt *st)
{
	int rc = db_step(st);
	if (rc == DB_ROW)
		return 1;
	if (rc == DB_DONE)
		return 0;
	return -st_rc(s, rc);
}

/* Reads the allocation listing rows of a prepared, bound statement. */
static int
read_alloc_rows(struct store *s, struct arena *a, struct dbstmt *st,
                struct alloc_row **out, int *n)
{
	int cap = 16, cnt = 0, rc;
	struct alloc_row *rows = arena_alloc(a, sizeof(*rows) * (size_t)cap);
	if (rows == NULL)
		goto oom;
	while ((rc = db_step(st)) == DB_ROW) {
		struct alloc_row *r = st_push(a, (void **)&rows, &cnt, &cap, sizeof(*rows));
		if (r == NULL)
			goto oom;
		r->id = db_col_int(st, 0);
		r->rp_id = db_col_int(st, 1);
		r->rp_uuid = st_col_text(a, st, 2);
		r->rp_generation = db_col_int(st, 3);
		r->rc_id = db_col_int(st, 4);
		r->used = db_col_int(st, 5);
		r->consumer_generation = db_col_int(st, 6);
		r->consumer_type_id = db_col_int(st, 7);
		r->project = st_col_text(a, st, 8);
		r->user = st_col_text(a, st, 9);
		r->created_at = st_col_text(a, st, 10);
		r->updated_at = st_col_text(a, st, 11);
		r->consumer_uuid = st_col_text(a, st, 12);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return st_rc(s, rc);
	*out = rows;
	*n = cnt;
	return ST_OK;
oom:
	db_reset(st);
	return ST_ERROR;
}

int
st_alloc_by_consumer(struct store *s, struct arena *a, const char *consumer_uuid,
                     struct alloc_row **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_BY_CONSUMER);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, consumer_uuid);
	return read_alloc_rows(s, a, st, out, n);
}

int
st_alloc_by_rp(struct store *s, struct arena *a, long long rp_id,
               struct alloc_row **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_BY_RP);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	return read_alloc_rows(s, a, st, out, n);
}

int
st_alloc_delete_consumer(struct store *s, struct arena *a, const char *consumer_uuid,
                         struct alloc_gone **out, int *n, int *cap)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_DELETE_CONSUMER);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, consumer_uuid);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct alloc_gone *g = st_push(a, (void **)out, n, cap, sizeof(**out));
		if (g == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		*g = (struct alloc_gone){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2)};
	}
	db_reset(st);
	return rc == DB_DONE ? ST_OK : st_rc(s, rc);
}

int
st_alloc_delete_seen(struct store *s, const char *consumer_uuid, long long *n)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_DELETE_SEEN);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, consumer_uuid);
	int r = st_exec(s, st);
	*n = r == ST_OK ? db_changes(s) : 0;
	return r;
}

int
st_alloc_rp(struct store *s, const char *uuid, long long *id, long long *generation)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_RP);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int r = step_row(s, st);
	if (r == 1) {
		*id = db_col_int(st, 0);
		*generation = db_col_int(st, 1);
	}
	db_reset(st);
	return r == 1 ? ST_OK : r == 0 ? ST_NOTFOUND : -r;
}

int
st_alloc_insert(struct store *s, const struct alloc_new *rows, int n)
{
	static const enum stmt_id by_count[] = {S_ALLOC_INSERT1, S_ALLOC_INSERT2, S_ALLOC_INSERT3,
	                                        S_ALLOC_INSERT4};
	enum { MOST = sizeof(by_count) / sizeof(by_count[0]) };
	char now[64];
	store_now(now);
	for (int at = 0; at < n; at += MOST) {
		int k = n - at < MOST ? n - at : MOST;
		struct dbstmt *st = st_prep(s, by_count[k - 1]);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, now);
		for (int j = 0; j < k; j++) {
			const struct alloc_new *r = &rows[at + j];
			db_bind_int(st, 2 + 4 * j, r->rp_id);
			st_bind_text(st, 3 + 4 * j, r->consumer_uuid);
			db_bind_int(st, 4 + 4 * j, r->rc_id);
			db_bind_int(st, 5 + 4 * j, r->used);
		}
		int rc = st_exec(s, st);
		if (rc != ST_OK)
			return rc;
	}
	return ST_OK;
}

/* Whether the database keeps the allocation totals: the table and all
 * three triggers (a database placement-sync has not seen may lack them,
 * and then capacity checks sum the allocations). */
static int
has_alloc_totals(struct store *s)
{
	struct dbstmt *st = st_prep(s, S_HAS_ALLOC_TOTALS);
	if (st == NULL)
		return 0;
	int yes = db_step(st) == DB_ROW && db_col_int(st, 0) == 4;
	db_reset(st);
	return yes;
}

int
st_alloc_rp_inventories(struct store *s, struct arena *a, long long rp_id,
                        struct alloc_inv_used **out, int *n)
{
	*out = NULL;
	*n = 0;
	if (s->alloc_totals < 0)
		s->alloc_totals = has_alloc_totals(s);
	struct dbstmt *st = st_prep(s, s->alloc_totals ? S_ALLOC_RP_INVENTORIES_TOTALS
	                                               : S_ALLOC_RP_INVENTORIES);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	int cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct alloc_inv_used *r = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (r == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		r->inv.rc_id = db_col_int(st, 0);
		r->inv.total = db_col_int(st, 1);
		r->inv.reserved = db_col_int(st, 2);
		r->inv.min_unit = db_col_int(st, 3);
		r->inv.max_unit = db_col_int(st, 4);
		r->inv.step_size = db_col_int(st, 5);
		r->inv.allocation_ratio = db_col_double(st, 6);
		r->used = db_col_int(st, 7);
	}
	db_reset(st);
	return rc == DB_DONE ? ST_OK : st_rc(s, rc);
}

int
st_alloc_class_in_use(struct store *s, long long rp_id, long long rc_id)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_CLASS_IN_USE);
	if (st == NULL)
		return -ST_ERROR;
	db_bind_int(st, 1, rp_id);
	db_bind_int(st, 2, rc_id);
	int r = step_row(s, st);
	db_reset(st);
	return r;
}

/* --- consumers --- */

int
st_consumer_get(struct store *s, struct arena *a, const char *uuid, struct consumer_row *out)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_CONSUMER_GET);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int r = step_row(s, st);
	if (r == 1) {
		out->id = db_col_int(st, 0);
		out->generation = db_col_int(st, 1);
		out->type_id = db_col_int(st, 2);
		out->project_id = db_col_int(st, 3);
		out->user_id = db_col_int(st, 4);
		out->project = st_col_text(a, st, 5);
		out->user = st_col_text(a, st, 6);
	}
	db_reset(st);
	return r == 1 ? ST_OK : r == 0 ? ST_NOTFOUND : -r;
}

int
st_consumer_create(struct store *s, const char *uuid, long long project_id,
                   long long user_id, long long type_id, long long generation, long long *id)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_ALLOC_CONSUMER_INSERT);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	st_bind_text(st, 1, uuid);
	db_bind_int(st, 2, project_id);
	db_bind_int(st, 3, user_id);
	st_bind_id(st, 4, type_id);
	st_bind_text(st, 5, now);
	db_bind_int(st, 6, generation);
	int r = st_exec(s, st);
	if (r == ST_OK)
		*id = db_last_id(s);
	return r;
}

int
st_consumer_update(struct store *s, long long id, long long project_id,
                   long long user_id, long long type_id)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_ALLOC_CONSUMER_UPDATE);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, project_id);
	db_bind_int(st, 3, user_id);
	st_bind_id(st, 4, type_id);
	st_bind_text(st, 5, now);
	return st_exec(s, st);
}

int
st_consumer_bump(struct store *s, long long id, long long expected)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_ALLOC_CONSUMER_BUMP);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, expected);
	st_bind_text(st, 3, now);
	int r = st_exec(s, st);
	if (r != ST_OK)
		return r;
	return db_changes(s) == 1 ? ST_OK : ST_CONFLICT;
}

int
st_consumer_delete_if_unused(struct store *s, const char *uuid)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_CONSUMER_DELETE_UNUSED);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	return st_exec(s, st);
}

/* Get-or-create of a (id, text) row: select_id finds it, insert_id makes
 * it with created_at now. */
static int
ensure_row(struct store *s, enum stmt_id select_id, enum stmt_id insert_id,
           const char *key, long long *id)
{
	struct dbstmt *st = st_prep(s, select_id);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, key);
	int r = step_row(s, st);
	if (r == 1)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (r < 0)
		return -r;
	if (r == 1)
		return ST_OK;
	char now[64];
	store_now(now);
	st = st_prep(s, insert_id);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, key);
	st_bind_text(st, 2, now);
	r = st_exec(s, st);
	if (r == ST_OK)
		*id = db_last_id(s);
	return r;
}

int
st_project_user_ensure(struct store *s, const char *project, const char *user,
                       long long *project_id, long long *user_id)
{
	/* both looked up at once: they are nearly always there */
	struct dbstmt *st = st_prep(s, S_ALLOC_PROJECT_USER_IDS);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, project);
	st_bind_text(st, 2, user);
	int r = step_row(s, st);
	int have_project = 0, have_user = 0;
	if (r == 1) {
		if ((have_project = !db_col_is_null(st, 0)))
			*project_id = db_col_int(st, 0);
		if ((have_user = !db_col_is_null(st, 1)))
			*user_id = db_col_int(st, 1);
	}
	db_reset(st);
	if (r < 0)
		return -r;
	r = ST_OK;
	if (!have_project)
		r = ensure_row(s, S_ALLOC_PROJECT_ID, S_ALLOC_PROJECT_INSERT, project, project_id);
	if (r == ST_OK && !have_user)
		r = ensure_row(s, S_ALLOC_USER_ID, S_ALLOC_USER_INSERT, user, user_id);
	return r;
}

int
st_consumer_type_ensure(struct store *s, const char *name, long long *id)
{
	return ensure_row(s, S_ALLOC_CTYPE_ID, S_ALLOC_CTYPE_INSERT, name, id);
}

int
st_consumer_type_name(struct store *s, struct arena *a, long long id, const char **name)
{
	struct dbstmt *st = st_prep(s, S_ALLOC_CTYPE_NAME);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, id);
	int r = step_row(s, st);
	if (r == 1)
		*name = st_col_text(a, st, 0);
	db_reset(st);
	return r == 1 ? ST_OK : r == 0 ? ST_NOTFOUND : -r;
}
