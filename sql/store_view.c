/* The view's reads; see store_view.h.  Statements in stmts_view.def. */
#include "db.h"
#include "store_view.h"
#include "../common/util/arena.h"
#include <string.h>

/* The reference's capacity of one inventory. */
static long long
capacity(long long total, long long reserved, double ratio)
{
	return (long long)((double)(total - reserved) * ratio);
}

/* Ends a read loop: the store's code for the last step, statement reset. */
static int
done(struct store *s, struct dbstmt *st, int rc)
{
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

int
st_view_counts(struct store *s, struct view_counts *out)
{
	memset(out, 0, sizeof(*out));
	struct dbstmt *st = st_prep(s, S_VIEW_COUNTS);
	if (st == NULL)
		return ST_ERROR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->providers = db_col_int(st, 0);
		out->roots = db_col_int(st, 1);
		rc = db_step(st);
	}
	int r = done(s, st, rc);
	if (r == ST_OK)
		r = st_one_int(s, st_prep(s, S_VIEW_CONSUMERS), &out->consumers);
	return r;
}

int
st_view_totals(struct store *s, struct arena *a, struct view_total **out, int *n)
{
	struct view_total *v = NULL;
	int cnt = 0, cap = 0, rc;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_VIEW_CLASS_INV);
	if (st == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		if (cnt == 0 || strcmp(v[cnt - 1].rc, name) != 0) {
			struct view_total *t = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
			if (t == NULL || (t->rc = st_col_text(a, st, 0)) == NULL) {
				db_reset(st);
				return ST_ERROR;
			}
		}
		struct view_total *t = &v[cnt - 1];
		long long total = db_col_int(st, 1), reserved = db_col_int(st, 2);
		t->providers++;
		t->total += total;
		t->reserved += reserved;
		t->capacity += capacity(total, reserved, db_col_double(st, 3));
	}
	int r = done(s, st, rc);
	if (r != ST_OK)
		return r;
	/* both by name: one merge */
	st = st_prep(s, S_VIEW_CLASS_USED);
	if (st == NULL)
		return ST_ERROR;
	int k = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		while (k < cnt && strcmp(v[k].rc, name) < 0)
			k++;
		if (k < cnt && strcmp(v[k].rc, name) == 0)
			v[k].used = db_col_int(st, 1);
	}
	*out = v;
	*n = cnt;
	return done(s, st, rc);
}

/* Reads rows of (id, uuid, name, root, parent) into a growing array. */
static int
read_rps(struct store *s, struct arena *a, struct dbstmt *st, struct view_rp **out, int *n)
{
	struct view_rp *v = NULL;
	int cnt = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct view_rp *p = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (p == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		p->id = db_col_int(st, 0);
		p->uuid = st_col_text(a, st, 1);
		p->name = st_col_text(a, st, 2);
		p->root_id = db_col_int(st, 3);
		p->parent_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
		if (p->uuid == NULL || p->name == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
	}
	*out = v;
	*n = cnt;
	return done(s, st, rc);
}

/* "%part%" for LIKE with '!' as the escape character. */
static char *
like_pattern(struct arena *a, const char *part)
{
	size_t n = strlen(part);
	char *p = arena_alloc(a, 2 * n + 3), *d = p;
	if (p == NULL)
		return NULL;
	*d++ = '%';
	for (const char *c = part; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '!')
			*d++ = '!';
		*d++ = *c;
	}
	*d++ = '%';
	*d = '\0';
	return p;
}

int
st_view_find(struct store *s, struct arena *a, const struct view_find *f,
             struct view_rp **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_VIEW_FIND);
	if (st == NULL)
		return ST_ERROR;
	const char *like = NULL;
	if (f->name_part != NULL && (like = like_pattern(a, f->name_part)) == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, f->after);
	st_bind_text(st, 2, like);
	st_bind_text(st, 3, f->uuid);
	st_bind_text(st, 4, f->trait);
	st_bind_text(st, 5, f->aggregate);
	db_bind_int(st, 6, f->roots_only ? 1 : 0);
	db_bind_int(st, 7, f->limit);
	return read_rps(s, a, st, out, n);
}

int
st_view_tree(struct store *s, struct arena *a, long long root_id, struct view_rp **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_VIEW_TREE);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, root_id);
	return read_rps(s, a, st, out, n);
}

int
st_view_sharing(struct store *s, struct arena *a, long long rp_id, const char *sharing_trait,
                struct view_rp **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_VIEW_SHARING);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	st_bind_text(st, 2, sharing_trait);
	return read_rps(s, a, st, out, n);
}

int
st_view_inventory(struct store *s, struct arena *a, long long rp_id, struct view_inv **out, int *n)
{
	struct view_inv *v = NULL;
	int cnt = 0, cap = 0, rc;
	struct dbstmt *st = st_prep(s, S_VIEW_INVENTORY);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct view_inv *i = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (i == NULL || (i->rc = st_col_text(a, st, 0)) == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		i->total = db_col_int(st, 1);
		i->reserved = db_col_int(st, 2);
		i->ratio = db_col_double(st, 3);
		i->min_unit = db_col_int(st, 4);
		i->max_unit = db_col_int(st, 5);
		i->step = db_col_int(st, 6);
		i->used = db_col_int(st, 7);
		i->capacity = capacity(i->total, i->reserved, i->ratio);
	}
	*out = v;
	*n = cnt;
	return done(s, st, rc);
}

int
st_view_allocations(struct store *s, struct arena *a, long long rp_id, int limit,
                    struct view_alloc **out, int *n)
{
	struct view_alloc *v = NULL;
	int cnt = 0, cap = 0, rc;
	struct dbstmt *st = st_prep(s, S_VIEW_ALLOCATIONS);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	db_bind_int(st, 2, limit);
	while ((rc = db_step(st)) == DB_ROW) {
		struct view_alloc *al = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (al == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		al->consumer = st_col_text(a, st, 0);
		al->rc = st_col_text(a, st, 1);
		al->used = db_col_int(st, 2);
		al->project = st_col_text(a, st, 3);
		al->user = st_col_text(a, st, 4);
		al->type = st_col_text(a, st, 5);
		if (al->consumer == NULL || al->rc == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
	}
	*out = v;
	*n = cnt;
	return done(s, st, rc);
}
