/* Allocation-candidate reads. */
#include "db.h"
#include "store_ac.h"
#include "../common/util/arena.h"
#include "../common/util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Finishes a row loop: maps the last step's code and resets. */
static int
done(struct store *s, struct dbstmt *st, int rc)
{
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

int
st_ac_has_trees(struct store *s, int *out)
{
	long long v = 0;
	int r = st_one_int(s, st_prep(s, S_AC_HAS_TREES), &v);
	*out = v != 0;
	return r;
}

int
st_ac_count_roots(struct store *s, long long *out)
{
	*out = 0;
	return st_one_int(s, st_prep(s, S_AC_COUNT_ROOTS), out);
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
		struct st_ac_rc *r = st_push(a, (void **)out, n, &cap, sizeof(**out));
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
	return st_one_int(s, st, id);
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
		struct st_ac_inv *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
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
		struct st_ac_member *m = st_push(a, (void **)out, n, &cap, sizeof(**out));
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
		long long *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
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
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_put_int(&b, ids[i]);
	}
	buf_putc(&b, ']');
	char *text = b.oom ? NULL : arena_strndup(a, b.p, b.len);
	buf_free(&b);
	if (text == NULL)
		return -1;
	db_bind_textn(st, idx, text, -1);
	return 0;
}

/* Whether ids[0..n) are sorted and dense enough to be read as the one
 * range ids[0]..ids[n-1] (rows of ids not in the set skipped): a range
 * scan costs about half as much per row as a JSON list. */
static int
dense(const long long *ids, int n)
{
	if (n < 2)
		return 0;
	for (int i = 1; i < n; i++)
		if (ids[i - 1] >= ids[i])
			return 0;
	return ids[n - 1] - ids[0] < 2LL * n;
}

/* Whether sorted ids[0..n) holds id. */
static int
in_set(const long long *ids, int n, long long id)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id;
}

/* Prepares statement id (its _RANGE twin when ids are dense) with the set
 * bound; *range says which.  NULL on error (the statement reset). */
static struct dbstmt *
prep_set(struct store *s, struct arena *a, enum stmt_id id, enum stmt_id range_id,
         const long long *ids, int n, int *range)
{
	*range = dense(ids, n);
	struct dbstmt *st = st_prep(s, *range ? range_id : id);
	if (st == NULL)
		return NULL;
	if (*range) {
		db_bind_int(st, 1, ids[0]);
		db_bind_int(st, 2, ids[n - 1]);
	} else if (bind_ids(a, st, 1, ids, n) < 0) {
		db_reset(st);
		return NULL;
	}
	return st;
}

int
st_ac_tree_nodes(struct store *s, struct arena *a, const long long *roots, int nroots,
                 struct st_ac_node **out, int *n)
{
	int cap = 0, rc, range;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = prep_set(s, a, S_AC_TREE_NODES, S_AC_TREE_NODES_RANGE, roots, nroots, &range);
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		long long root = db_col_int(st, 3);
		if (range && !in_set(roots, nroots, root))
			continue;
		struct st_ac_node *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->id = db_col_int(st, 0);
		v->uuid = st_col_text(a, st, 1);
		v->parent_id = db_col_int(st, 2);
		v->root_id = root;
	}
	return done(s, st, rc);
}

int
st_ac_inventories_of(struct store *s, struct arena *a, const long long *ids,
                     int nids, const long long *skip, int nskip,
                     struct st_ac_inv **out, int *n)
{
	int cap = 0, rc, range;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = prep_set(s, a, S_AC_INVENTORIES_OF, S_AC_INVENTORIES_OF_RANGE, ids, nids, &range);
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, range ? 3 : 2, skip, nskip) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_col_int(st, 0);
		if (range && !in_set(ids, nids, id))
			continue;
		struct st_ac_inv *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		memset(v, 0, sizeof(*v));
		v->rp_id = id;
		v->rc_id = (int)db_col_int(st, 1);
		v->total = db_col_int(st, 2);
		v->reserved = db_col_int(st, 3);
		v->max_unit = db_col_int(st, 4);
		v->ratio = db_col_double(st, 5);
		v->used = db_col_int(st, 6);
	}
	return done(s, st, rc);
}

int
st_ac_traits_of(struct store *s, struct arena *a, const long long *ids, int nids,
                struct st_ac_trait **out, int *n)
{
	int cap = 0, rc, range;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = prep_set(s, a, S_AC_TRAITS_OF, S_AC_TRAITS_OF_RANGE, ids, nids, &range);
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_col_int(st, 0);
		if (range && !in_set(ids, nids, id))
			continue;
		struct st_ac_trait *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->rp_id = id;
		v->trait_id = db_col_int(st, 1);
		v->name = st_col_text(a, st, 2);
	}
	return done(s, st, rc);
}

int
st_ac_nodes_by_id(struct store *s, struct arena *a, const long long *ids, int nids,
                  struct st_ac_node **out, int *n)
{
	int cap = 0, rc, range;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = prep_set(s, a, S_AC_NODES_BY_ID, S_AC_NODES_BY_ID_RANGE, ids, nids, &range);
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_col_int(st, 0);
		if (range && !in_set(ids, nids, id))
			continue;
		struct st_ac_node *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		memset(v, 0, sizeof(*v));
		v->id = id;
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
		long long *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return ST_ERROR;
		*v = prev;
	}
}

int
st_ac_has_change_log(struct store *s)
{
	if (s->kind != DB_SQLITE)
		return 0;
	/* Looked up again when the schema changed: a log whose triggers an
	 * operator dropped must stop being trusted at once. */
	long long schema = -1;
	if (st_one_int(s, st_prep(s, S_AC_SCHEMA_VERSION), &schema) != ST_OK)
		return 0;
	if (s->change_log < 0 || schema != s->change_log_schema) {
		long long count = 0;
		if (st_one_int(s, st_prep(s, S_HAS_CHANGE_LOG), &count) != ST_OK)
			return 0;
		s->change_log = count == 15;
		s->change_log_schema = schema;
	}
	return s->change_log;
}

int
st_ac_changes_top(struct store *s, long long *seq)
{
	*seq = 0;
	return st_one_int(s, st_prep(s, S_AC_CHANGES_TOP), seq);
}

int
st_ac_changes(struct store *s, struct arena *a, long long after, int max,
              struct st_ac_change **out, int *n)
{
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_AC_CHANGES);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, max);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_change *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->seq = db_col_int(st, 0);
		v->rp_id = db_col_int(st, 1);
		v->what = (int)db_col_int(st, 2);
	}
	return done(s, st, rc);
}

int
st_ac_inventories_full(struct store *s, struct arena *a, const long long *ids, int nids,
                       struct st_ac_inv **out, int *n)
{
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_AC_INVENTORIES_FULL);
	if (st == NULL)
		return ST_ERROR;
	if (bind_ids(a, st, 1, ids, nids) < 0)
		return done(s, st, DB_NOMEM);
	while ((rc = db_step(st)) == DB_ROW) {
		struct st_ac_inv *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		memset(v, 0, sizeof(*v));
		v->rp_id = db_col_int(st, 0);
		v->rc_id = (int)db_col_int(st, 1);
		v->total = db_col_int(st, 2);
		v->reserved = db_col_int(st, 3);
		v->min_unit = db_col_int(st, 4);
		v->max_unit = db_col_int(st, 5);
		v->step_size = db_col_int(st, 6);
		v->ratio = db_col_double(st, 7);
		v->used = db_col_int(st, 8);
	}
	return done(s, st, rc);
}

int
st_ac_refresh_by_counters(struct store *s)
{
	if (s->kind != DB_MYSQL)
		return 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->change_log < 0 || now.tv_sec - s->change_log_schema >= 30) {
		long long count = 0;
		if (st_one_int(s, st_prep(s, S_AC_HAS_COUNTERS), &count) != ST_OK)
			return 0;
		s->change_log = count == 1013;   /* see S_AC_HAS_COUNTERS */
		s->change_log_schema = now.tv_sec;
	}
	return s->change_log;
}

static int
gen_by_id(const void *x, const void *y)
{
	const struct st_ac_gen *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

int
st_ac_counters_globals(struct store *s, struct arena *a, struct st_ac_globals *g,
                       struct st_ac_gen **out, int *n)
{
	int cap = 0, rc, rows = 0;
	*out = NULL;
	*n = 0;
	memset(g, 0, sizeof(*g));
	struct dbstmt *st = st_prep(s, S_AC_GENERATIONS_GLOBALS);
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_col_int(st, 0);
		if (id < 0) {
			/* -3 classes, -2 traits, -1 the last rename */
			if (id == -3 || id == -2) {
				g->v[(id + 3) * 2] = db_col_int(st, 1);
				g->v[(id + 3) * 2 + 1] = db_col_int(st, 2);
			} else {
				snprintf(g->renamed, sizeof(g->renamed), "%lld", db_col_int(st, 1));
			}
			rows++;
			continue;
		}
		struct st_ac_gen *v = st_push(a, (void **)out, n, &cap, sizeof(**out));
		if (v == NULL)
			return done(s, st, DB_NOMEM);
		v->id = id;
		v->changes = db_col_int(st, 1);
		v->usage = db_col_int(st, 2);
	}
	if (rc == DB_DONE && rows != 3)
		rc = DB_ERROR;
	rc = done(s, st, rc);
	int sorted = 1;
	for (int i = 1; i < *n && sorted; i++)
		sorted = (*out)[i - 1].id < (*out)[i].id;
	if (rc == ST_OK && !sorted)
		qsort(*out, (size_t)*n, sizeof(**out), gen_by_id);
	return rc;
}

int
st_ac_globals(struct store *s, struct st_ac_globals *out)
{
	memset(out, 0, sizeof(*out));
	struct dbstmt *st = st_prep(s, S_AC_GLOBALS);
	if (st == NULL)
		return ST_ERROR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		for (int i = 0; i < 4; i++)
			out->v[i] = db_col_int(st, i);
		const char *t = db_col_text(st, 4);
		snprintf(out->renamed, sizeof(out->renamed), "%s", t ? t : "");
		db_reset(st);
		return ST_OK;
	}
	return done(s, st, rc);
}

int
st_ac_inv_cmp(const void *x, const void *y)
{
	const struct st_ac_inv *a = x, *b = y;
	if (a->rp_id != b->rp_id)
		return (a->rp_id > b->rp_id) - (a->rp_id < b->rp_id);
	return (a->rc_id > b->rc_id) - (a->rc_id < b->rc_id);
}
