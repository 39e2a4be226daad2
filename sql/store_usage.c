/* Usages. */
#include "db.h"
#include "store_usage.h"
#include "../common/util/arena.h"
#include <string.h>

/* Appends a usage to a growing arena array; NULL on OOM. */
static struct usage *
push_usage(struct arena *a, struct usage *v, int *n, int *cap, const char *name, long long used)
{
	struct usage *u = st_push(a, (void **)&v, n, cap, sizeof(*v));
	if (u == NULL)
		return NULL;
	u->rc_name = name;
	u->used = used;
	return v;
}

/* Reads (name, amount) rows of a bound statement into *out. */
static int
read_usages(struct store *s, struct arena *a, struct dbstmt *st, struct usage **out, int *n)
{
	struct usage *v = NULL;
	int cnt = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		v = push_usage(a, v, &cnt, &cap, st_col_text(a, st, 0), db_col_int(st, 1));
		if (v == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
	}
	int r = st_rc(s, rc);
	db_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_usage_by_rp(struct store *s, struct arena *a, long long rp_id,
               struct usage **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_USAGE_RP);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	return read_usages(s, a, st, out, n);
}

/* Binds the shared ?1 project, ?2 user of the project statements. */
static void
bind_owner(struct dbstmt *st, const char *project, const char *user)
{
	st_bind_text(st, 1, project);
	st_bind_text(st, 2, user);
}

int
st_usage_totals(struct store *s, struct arena *a, const char *project,
                const char *user, int untyped_only, struct usage **out, int *n,
                long long *consumers)
{
	int r = store_begin(s, 0);
	if (r != ST_OK)
		return r;
	struct dbstmt *st = st_prep(s, S_USAGE_TOTAL);
	if (st == NULL) {
		store_rollback(s);
		return ST_ERROR;
	}
	bind_owner(st, project, user);
	db_bind_int(st, 3, untyped_only != 0);
	r = read_usages(s, a, st, out, n);
	if (r == ST_OK && consumers != NULL) {
		st = st_prep(s, S_USAGE_TOTAL_CONSUMERS);
		if (st == NULL) {
			r = ST_ERROR;
		} else {
			bind_owner(st, project, user);
			db_bind_int(st, 3, untyped_only != 0);
			int rc = db_step(st);
			*consumers = rc == DB_ROW ? db_col_int(st, 0) : 0;
			r = rc == DB_ROW ? ST_OK : st_rc(s, rc);
			db_reset(st);
		}
	}
	if (r == ST_OK)
		return store_commit(s);
	store_rollback(s);
	return r;
}

static int
same_name(const char *x, const char *y)
{
	return (x == NULL && y == NULL) || (x && y && strcmp(x, y) == 0);
}

/* The group for type name in v[0..*n), appended when new; NULL on OOM. */
static struct usage_group *
group_for(struct arena *a, struct usage_group **v, int *n, int *cap, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (same_name((*v)[i].consumer_type, name))
			return &(*v)[i];
	struct usage_group *g = st_push(a, (void **)v, n, cap, sizeof(**v));
	if (g == NULL)
		return NULL;
	memset(g, 0, sizeof(*g));
	g->consumer_type = name;
	return g;
}

/* Reads the per-type sums (flat, then split into groups with exact
 * arrays), then the per-type consumer counts. */
static int
read_groups(struct store *s, struct arena *a, const char *project, const char *user,
            const char *type_name, struct usage_group **out, int *n)
{
	struct usage_group *v = NULL;
	struct usage *rows = NULL;
	const char **types = NULL;
	int cnt = 0, cap = 0, nrows = 0, rowcap = 0, rc;
	struct dbstmt *st = st_prep(s, S_USAGE_BY_TYPE);
	if (st == NULL)
		return ST_ERROR;
	bind_owner(st, project, user);
	st_bind_text(st, 3, type_name);
	while ((rc = db_step(st)) == DB_ROW) {
		int had = rowcap;
		rows = push_usage(a, rows, &nrows, &rowcap, st_col_text(a, st, 1),
		                  db_col_int(st, 2));
		if (rows != NULL && rowcap != had) {
			const char **nt = arena_alloc(a, sizeof(*nt) * (size_t)rowcap);
			if (nt != NULL && nrows > 1)
				memcpy(nt, types, sizeof(*nt) * (size_t)(nrows - 1));
			types = nt;
		}
		if (rows == NULL || types == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		types[nrows - 1] = st_col_text(a, st, 0);
	}
	int r = st_rc(s, rc);
	db_reset(st);
	if (r != ST_OK)
		return r;
	for (int i = 0; i < nrows; i++) {
		struct usage_group *g = group_for(a, &v, &cnt, &cap, types[i]);
		if (g == NULL)
			return ST_ERROR;
		g->n++;
	}
	for (int i = 0; i < cnt; i++) {
		v[i].u = arena_alloc(a, sizeof(struct usage) * (size_t)v[i].n);
		if (v[i].u == NULL)
			return ST_ERROR;
		v[i].n = 0;
	}
	for (int i = 0; i < nrows; i++) {
		struct usage_group *g = group_for(a, &v, &cnt, &cap, types[i]);
		g->u[g->n++] = rows[i];
	}

	st = st_prep(s, S_USAGE_BY_TYPE_CONSUMERS);
	if (st == NULL)
		return ST_ERROR;
	bind_owner(st, project, user);
	st_bind_text(st, 3, type_name);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		for (int i = 0; i < cnt; i++)
			if (same_name(v[i].consumer_type, name))
				v[i].consumer_count = db_col_int(st, 1);
	}
	r = st_rc(s, rc);
	db_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_usage_by_type(struct store *s, struct arena *a, const char *project,
                 const char *user, const char *type_name,
                 struct usage_group **out, int *n)
{
	int r = store_begin(s, 0);
	if (r != ST_OK)
		return r;
	r = read_groups(s, a, project, user, type_name, out, n);
	if (r == ST_OK)
		return store_commit(s);
	store_rollback(s);
	return r;
}
