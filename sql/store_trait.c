/* Traits and provider-trait links. */
#include "db.h"
#include "store_trait.h"
#include "../common/util/arena.h"
#include <stdlib.h>
#include <string.h>

/* Appends one slot to an arena array of traits; NULL when out of memory. */
static struct trait *
trait_push(struct arena *a, struct trait **arr, int *n, int *cap)
{
	return st_push(a, (void **)arr, n, cap, sizeof(**arr));
}

/* Fills t from a row of (id, name, created_at, updated_at). */
static int
trait_row(struct arena *a, struct dbstmt *st, struct trait *t)
{
	t->id = db_col_int(st, 0);
	t->name = st_col_text(a, st, 1);
	if (t->name == NULL)
		return ST_ERROR;
	const char *created = db_col_text(st, 2);
	const char *updated = db_col_text(st, 3);
	t->created = created ? store_parse_time(created) : 0;
	t->modified = updated ? store_parse_time(updated) : t->created;
	return ST_OK;
}

/* Reads every row of a prepared, bound statement into an arena array. */
static int
trait_rows(struct store *s, struct arena *a, struct dbstmt *st,
           struct trait **out, int *n, int *cap)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct trait *t = trait_push(a, out, n, cap);
		if (t == NULL || trait_row(a, st, t) != ST_OK) {
			db_reset(st);
			return ST_ERROR;
		}
	}
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

static int
by_name(const void *x, const void *y)
{
	return strcmp(((const struct trait *)x)->name, ((const struct trait *)y)->name);
}

int
st_trait_list(struct store *s, struct arena *a, const struct trait_filter *f,
              struct trait **out, int *n)
{
	int cap = 0;
	*out = NULL;
	*n = 0;
	if (f->name_in == NULL) {
		struct dbstmt *st = st_prep(s, S_TRAIT_LIST);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, f->prefix);
		db_bind_int(st, 2, f->associated);
		return trait_rows(s, a, st, out, n, &cap);
	}
	/* One indexed lookup per name; the names are few. */
	for (int i = 0; i < f->n_in; i++) {
		int dup = 0;
		for (int j = 0; j < i && !dup; j++)
			dup = strcmp(f->name_in[i], f->name_in[j]) == 0;
		if (dup)
			continue;
		struct dbstmt *st = st_prep(s, S_TRAIT_BY_NAME);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, f->name_in[i]);
		db_bind_int(st, 2, f->associated);
		int r = trait_rows(s, a, st, out, n, &cap);
		if (r != ST_OK)
			return r;
	}
	if (*n > 1)
		qsort(*out, (size_t)*n, sizeof(**out), by_name);
	return ST_OK;
}

int
st_trait_by_name(struct store *s, struct arena *a, const char *name, struct trait *out)
{
	struct dbstmt *st = st_prep(s, S_TRAIT_BY_NAME);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	db_bind_int(st, 2, -1);
	int rc = db_step(st);
	int r;
	if (rc == DB_ROW)
		r = trait_row(a, st, out);
	else
		r = rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	db_reset(st);
	return r;
}

int
st_trait_create(struct store *s, struct arena *a, const char *name, struct trait *out)
{
	char now[64];
	store_now(now);
	struct dbstmt *st = st_prep(s, S_TRAIT_INSERT);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	st_bind_text(st, 2, now);
	int r = st_exec(s, st);
	if (r != ST_OK)
		return r;
	out->id = db_last_id(s);
	out->name = arena_strdup(a, name);
	out->created = out->modified = store_parse_time(now);
	return out->name ? ST_OK : ST_ERROR;
}

int
st_trait_in_use(struct store *s, long long id)
{
	return st_flag_by_id(s, S_TRAIT_IN_USE, id);
}

int
st_trait_delete(struct store *s, long long id)
{
	return st_write_by_id(s, S_TRAIT_DELETE, id);
}

int
st_rp_traits(struct store *s, struct arena *a, long long rp_id,
             struct trait **out, int *n)
{
	int cap = 0;
	*out = NULL;
	*n = 0;
	struct dbstmt *st = st_prep(s, S_RP_TRAITS);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	return trait_rows(s, a, st, out, n, &cap);
}

/* 1 if id is in ids[0..n). */
static int
has_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Adds (add=1) or removes one provider-trait link. */
static int
link_trait(struct store *s, long long rp_id, long long trait_id, const char *now, int add)
{
	struct dbstmt *st = st_prep(s, add ? S_RP_TRAIT_ADD : S_RP_TRAIT_REMOVE);
	if (st == NULL)
		return ST_ERROR;
	if (add) {
		st_bind_text(st, 1, now);
		db_bind_int(st, 2, trait_id);
		db_bind_int(st, 3, rp_id);
	} else {
		db_bind_int(st, 1, rp_id);
		db_bind_int(st, 2, trait_id);
	}
	return st_exec(s, st);
}

int
st_rp_traits_set(struct store *s, struct arena *a, long long rp_id,
                 const long long *ids, int n, int *changed)
{
	long long *have = NULL;
	int nhave = 0, cap = 0, rc, r;
	char now[64];

	*changed = 0;
	struct dbstmt *st = st_prep(s, S_RP_TRAIT_IDS);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		long long *slot = st_push(a, (void **)&have, &nhave, &cap, sizeof(*have));
		if (slot == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		*slot = db_col_int(st, 0);
	}
	r = st_rc(s, rc);
	db_reset(st);
	if (r != ST_OK)
		return r;

	store_now(now);
	for (int i = 0; i < nhave; i++) {
		if (has_id(ids, n, have[i]))
			continue;
		if ((r = link_trait(s, rp_id, have[i], now, 0)) != ST_OK)
			return r;
		*changed = 1;
	}
	for (int i = 0; i < n; i++) {
		if (has_id(have, nhave, ids[i]) || has_id(ids, i, ids[i]))
			continue;
		if ((r = link_trait(s, rp_id, ids[i], now, 1)) != ST_OK)
			return r;
		*changed = 1;
	}
	return ST_OK;
}
