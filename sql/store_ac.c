/* Allocation-candidate reads. */
#include "db.h"
#include "store_ac.h"
#include "../common/arena.h"
#include "../common/buf.h"
#include <stdlib.h>
#include <string.h>

/* Makes room for one more element in an arena array; NULL on OOM. */
static void *
push(struct arena *a, void **arr, int *n, int *cap, size_t size)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 32;
		void *bigger = arena_alloc(a, (size_t)ncap * size);
		if (bigger == NULL)
			return NULL;
		if (*n)
			memcpy(bigger, *arr, (size_t)*n * size);
		*arr = bigger;
		*cap = ncap;
	}
	return (char *)*arr + (size_t)(*n)++ * size;
}

/* Finishes a row loop: maps the last step's code and resets. */
static int
done(struct store *s, struct dbstmt *st, int rc)
{
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

/* Steps a one-row, one-integer statement. */
static int
one_int(struct store *s, struct dbstmt *st, long long *out)
{
	if (st == NULL)
		return ST_ERROR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_col_int(st, 0);
		db_reset(st);
		return ST_OK;
	}
	int r = done(s, st, rc);
	return r == ST_OK ? ST_NOTFOUND : r;
}

int
st_ac_has_trees(struct store *s, int *out)
{
	long long v = 0;
	int r = one_int(s, st_prep(s, S_AC_HAS_TREES), &v);
	*out = v != 0;
	return r;
}

int
st_ac_count_roots(struct store *s, long long *out)
{
	*out = 0;
	return one_int(s, st_prep(s, S_AC_COUNT_ROOTS), out);
}

int
st_ac_rc_id(struct store *s, const char *name, int *id)
{
	struct dbstmt *st = st_prep(s, S_AC_RC_ID);
	long long v = 0;
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int r = one_int(s, st, &v);
	*id = (int)v;
	return r;
}

int
st_ac_rc_names(struct store *s, struct arena *a, struct st_ac_rc **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_RC_NAMES);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_rc *r = push(a, (void **)out, n, &cap, sizeof(**out));
		if (r == NULL)
			return done(s, st, DB_NOMEM);
		r->id = (int)db_col_int(st, 0);
		r->name = st_col_text(a, st, 1);
	}
	return done(s, st, rc);
}

int
st_ac_trait_id(struct store *s, const char *name, long long *id)
{
	struct dbstmt *st = st_prep(s, S_AC_TRAIT_ID);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	return one_int(s, st, id);
}

int
st_ac_inventories(struct store *s, struct arena *a, int rc_id, long long tree_root_id,
                  int trees, struct st_ac_inv **out, int *n)
{
	struct dbstmt *st = st_prep(s, trees ? S_AC_INVENTORIES : S_AC_INVENTORIES_FLAT);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rc_id);
	db_bind_int(st, 2, tree_root_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_inv *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->rp_id = db_col_int(st, 0);
		v->root_id = db_col_int(st, 1);
		v->parent_id = db_col_int(st, 2);   /* NULL reads as 0 */
		v->uuid = NULL;
		v->rc_id = rc_id;
		v->total = db_col_int(st, 3);
		v->reserved = db_col_int(st, 4);
		v->min_unit = db_col_int(st, 5);
		v->max_unit = db_col_int(st, 6);
		v->step_size = db_col_int(st, 7);
		v->ratio = db_col_double(st, 8);
		v->used = db_col_int(st, 9);
	}
	return done(s, st, rc);
}

/* Reads (id, root id) rows. */
static int
member_rows(struct store *s, struct arena *a, struct dbstmt *st,
            struct st_ac_member **out, int *n)
{
	int cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_member *m = push(a, (void **)out, n, &cap, sizeof(**out));
		if (m == NULL)
			return done(s, st, DB_NOMEM);
		m->id = db_col_int(st, 0);
		m->root_id = db_col_int(st, 1);
	}
	return done(s, st, rc);
}

int
st_ac_trait_members(struct store *s, struct arena *a, long long trait_id,
                    struct st_ac_member **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_TRAIT_MEMBERS);
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, trait_id);
	return member_rows(s, a, st, out, n);
}

int
st_ac_agg_members(struct store *s, struct arena *a, const char *agg_uuid,
                  struct st_ac_member **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_AGG_MEMBERS);
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, agg_uuid);
	return member_rows(s, a, st, out, n);
}

int
st_ac_rp_by_uuid(struct store *s, const char *uuid, long long *id, long long *root_id)
{
	struct dbstmt *st = st_prep(s, S_AC_RP_BY_UUID);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*root_id = db_col_int(st, 1);
		db_reset(st);
		return ST_OK;
	}
	int r = done(s, st, rc);
	return r == ST_OK ? ST_NOTFOUND : r;
}

int
st_ac_sharing_anchors(struct store *s, struct arena *a, long long rp_id,
                      long long **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_SHARING_ANCHORS);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		long long *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		*v = db_col_int(st, 0);
	}
	return done(s, st, rc);
}

/* Binds ids as a JSON array to ?idx (text kept in the arena). */
static int
bind_ids(struct arena *a, struct dbstmt *st, int idx, const long long *ids, int n)
{
	struct buf b = {0};
	buf_putc(&b, '[');
	for (int i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", ids[i]);
	buf_putc(&b, ']');
	char *text = b.oom ? NULL : arena_strndup(a, b.p, b.len);
	buf_free(&b);
	if (text == NULL)
		return -1;
	db_bind_textn(st, idx, text, -1);
	return 0;
}

int
st_ac_tree_nodes(struct store *s, struct arena *a, const long long *roots, int nroots,
                 struct st_ac_node **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_TREE_NODES);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, 1, roots, nroots) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_node *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->id = db_col_int(st, 0);
		v->uuid = st_col_text(a, st, 1);
		v->parent_id = db_col_int(st, 2);
		v->root_id = db_col_int(st, 3);
	}
	return done(s, st, rc);
}

int
st_ac_tree_inventories(struct store *s, struct arena *a, const long long *roots,
                       int nroots, const long long *skip, int nskip,
                       struct st_ac_inv **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_TREE_INVENTORIES);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, 1, roots, nroots) < 0 || bind_ids(a, st, 2, skip, nskip) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_inv *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		memset(v, 0, sizeof(*v));
		v->rp_id = db_col_int(st, 0);
		v->root_id = db_col_int(st, 1);
		v->rc_id = (int)db_col_int(st, 2);
		v->total = db_col_int(st, 3);
		v->reserved = db_col_int(st, 4);
		v->max_unit = db_col_int(st, 5);
		v->ratio = db_col_double(st, 6);
		v->used = db_col_int(st, 7);
	}
	return done(s, st, rc);
}

int
st_ac_tree_traits(struct store *s, struct arena *a, const long long *roots, int nroots,
                  struct st_ac_trait **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_TREE_TRAITS);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, 1, roots, nroots) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_trait *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->rp_id = db_col_int(st, 0);
		v->trait_id = db_col_int(st, 1);
		v->name = st_col_text(a, st, 2);
	}
	return done(s, st, rc);
}

int
st_ac_nodes_by_id(struct store *s, struct arena *a, const long long *ids, int nids,
                  struct st_ac_node **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_AC_NODES_BY_ID);
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, 1, ids, nids) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_node *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		memset(v, 0, sizeof(*v));
		v->id = db_col_int(st, 0);
		v->uuid = st_col_text(a, st, 1);
	}
	return done(s, st, rc);
}

int
st_ac_classes(struct store *s, struct arena *a, long long **out, int *n)
{
	long long prev = -1;
	int cap = 0;
	*out = NULL;
	*n = 0;
	for (;;) {
		struct dbstmt *st = st_prep(s, S_AC_NEXT_CLASS);
		if (st == NULL)
			return ST_ERROR;
		db_bind_int(st, 1, prev);
		int rc = db_step(st);
		if (rc != DB_ROW)
			return done(s, st, rc);
		if (db_col_is_null(st, 0)) {
			db_reset(st);
			return ST_OK;
		}
		prev = db_col_int(st, 0);
		db_reset(st);
		long long *v = push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return ST_ERROR;
		*v = prev;
	}
}
