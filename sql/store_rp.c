/* Resource providers: lookups, create/update/delete, and the
 * filtered list (filters become sorted id sets intersected in memory,
 * then one final fetch). */
#include "db.h"
#include "store_rp.h"
#include "../common/util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills out from a row of RP_COLS (see stmts_rp.def).  With a NULL
 * arena the strings point into the statement (valid until its next step). */
static void
read_rp(struct arena *a, struct dbstmt *st, struct rp *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->generation = db_col_int(st, 3);
	out->parent_id = db_col_int(st, 4);
	out->root_id = db_col_int(st, 5);
	const char **texts[] = {
		[1] = &out->uuid, [2] = &out->name, [6] = &out->parent_uuid,
		[7] = &out->root_uuid, [8] = &out->created_at, [9] = &out->updated_at,
	};
	for (int i = 1; i < 10; i++) {
		if (texts[i] == NULL)
			continue;
		*texts[i] = a ? st_col_text(a, st, i) : db_col_text(st, i);
	}
}

/* Steps a one-row query: 1 if it returned a row, 0 if not, -ST_* on error. */
static int
step_exists(struct store *s, struct dbstmt *st)
{
	if (st == NULL)
		return -ST_ERROR;
	int rc = db_step(st);
	int found = rc == DB_ROW;
	int r = found ? ST_OK : st_rc(s, rc);
	db_reset(st);
	return r != ST_OK ? -r : found;
}

int
st_rp_by_uuid(struct store *s, struct arena *a, const char *uuid, struct rp *out)
{
	struct dbstmt *st = st_prep(s, S_RP_BY_UUID);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int rc = db_step(st);
	int r;
	if (rc == DB_ROW) {
		read_rp(a, st, out);
		r = (out->uuid == NULL) ? ST_ERROR : ST_OK;
	} else {
		r = rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	}
	db_reset(st);
	return r;
}

int
st_rp_bump_generation(struct store *s, long long id, long long expected_generation)
{
	char now[64];
	store_now(now);
	struct dbstmt *st = st_prep(s, S_RP_BUMP_GENERATION);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, expected_generation);
	st_bind_text(st, 3, now);
	int r = st_exec(s, st);
	if (r != ST_OK)
		return r;
	return db_changes(s) == 1 ? ST_OK : ST_CONFLICT;
}

/* 1 if another provider (not except_id) has this name, 0 if not, -ST_*. */
static int
name_taken(struct store *s, const char *name, long long except_id)
{
	struct dbstmt *st = st_prep(s, S_RP_NAME_TAKEN);
	if (st == NULL)
		return -ST_ERROR;
	st_bind_text(st, 1, name);
	st_bind_id(st, 2, except_id);
	return step_exists(s, st);
}

int
st_rp_create(struct store *s, struct arena *a, const char *uuid, const char *name,
             const struct rp *parent, struct rp *out, const char **dup_field)
{
	char now[64];
	store_now(now);
	*dup_field = NULL;

	struct dbstmt *st = st_prep(s, S_RP_UUID_TAKEN);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, uuid);
	int taken = step_exists(s, st);
	if (taken < 0)
		return -taken;
	if (taken) {
		*dup_field = "uuid";
		return ST_CONFLICT;
	}
	taken = name_taken(s, name, 0);
	if (taken < 0)
		return -taken;
	if (taken) {
		*dup_field = "name";
		return ST_CONFLICT;
	}

	st = st_prep(s, S_RP_INSERT);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, now);
	st_bind_text(st, 2, uuid);
	st_bind_text(st, 3, name);
	st_bind_id(st, 4, parent ? parent->root_id : 0);
	st_bind_id(st, 5, parent ? parent->id : 0);
	int r = st_exec(s, st);
	if (r != ST_OK)
		return r;
	long long id = db_last_id(s);

	memset(out, 0, sizeof(*out));
	out->id = id;
	out->uuid = arena_strdup(a, uuid);
	out->name = arena_strdup(a, name);
	out->created_at = arena_strdup(a, now);
	if (parent != NULL) {
		out->parent_id = parent->id;
		out->parent_uuid = parent->uuid;
		out->root_id = parent->root_id;
		out->root_uuid = parent->root_uuid;
	} else {
		st = st_prep(s, S_RP_SET_OWN_ROOT);
		if (st == NULL)
			return ST_ERROR;
		db_bind_int(st, 1, id);
		st_bind_text(st, 2, now);
		r = st_exec(s, st);
		if (r != ST_OK)
			return r;
		out->root_id = id;
		out->root_uuid = out->uuid;
		out->updated_at = out->created_at;
	}
	if (out->uuid == NULL || out->name == NULL || out->created_at == NULL)
		return ST_ERROR;
	return ST_OK;
}

/* strcmp that treats NULL as a distinct value. */
static int
same_str(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

int
st_rp_update(struct store *s, struct arena *a, struct rp *rp, const char *name,
             const struct rp *new_parent)
{
	char now[64];
	store_now(now);
	long long parent_id = new_parent ? new_parent->id : 0;
	long long root_id = new_parent ? new_parent->root_id : rp->id;
	const char *root_uuid = new_parent ? new_parent->root_uuid : rp->uuid;
	int renamed = !same_str(name, rp->name);
	int moved = parent_id != rp->parent_id || root_id != rp->root_id;

	if (!renamed && !moved)
		return ST_OK;
	if (renamed) {
		int taken = name_taken(s, name, rp->id);
		if (taken < 0)
			return -taken;
		if (taken)
			return ST_CONFLICT;
	}
	struct dbstmt *st = st_prep(s, S_RP_UPDATE);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, rp->id);
	st_bind_text(st, 2, name);
	st_bind_id(st, 3, parent_id);
	db_bind_int(st, 4, root_id);
	st_bind_text(st, 5, now);
	int r = st_exec(s, st);
	if (r != ST_OK)
		return r;
	if (moved) {
		st = st_prep(s, S_RP_SET_SUBTREE_ROOT);
		if (st == NULL)
			return ST_ERROR;
		db_bind_int(st, 1, rp->id);
		db_bind_int(st, 2, root_id);
		st_bind_text(st, 3, now);
		r = st_exec(s, st);
		if (r != ST_OK)
			return r;
	}
	rp->name = name;
	rp->parent_id = parent_id;
	rp->parent_uuid = new_parent ? new_parent->uuid : NULL;
	rp->root_id = root_id;
	rp->root_uuid = root_uuid;
	rp->updated_at = arena_strdup(a, now);
	return ST_OK;
}

int
st_rp_is_in_subtree(struct store *s, long long rp_id, long long candidate_id)
{
	struct dbstmt *st = st_prep(s, S_RP_IS_ANCESTOR);
	if (st == NULL)
		return -ST_ERROR;
	db_bind_int(st, 1, rp_id);
	db_bind_int(st, 2, candidate_id);
	return step_exists(s, st);
}

int
st_rp_has_children(struct store *s, long long id)
{
	return st_flag_by_id(s, S_RP_HAS_CHILDREN, id);
}

int
st_rp_has_allocations(struct store *s, long long id)
{
	return st_flag_by_id(s, S_RP_HAS_ALLOCATIONS, id);
}

int
st_rp_delete(struct store *s, long long id)
{
	static const enum stmt_id steps[] = {
		S_RP_DELETE_INVENTORIES, S_RP_DELETE_AGGREGATE_LINKS,
		S_RP_DELETE_TRAIT_LINKS, S_RP_DELETE,
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct dbstmt *st = st_prep(s, steps[i]);
		if (st == NULL)
			return ST_ERROR;
		db_bind_int(st, 1, id);
		int r = st_exec(s, st);
		if (r != ST_OK)
			return r;
	}
	return db_changes(s) == 1 ? ST_OK : ST_NOTFOUND;
}

/* --- the filtered list --- */

/* A sorted set of provider ids; all=1 means "every provider". */
struct idset {
	long long *v;
	int n;
	int all;
};

static int
cmp_ll(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

/* Sorts and removes duplicates in place. */
static void
idset_normalize(struct idset *set)
{
	if (set->n < 2)
		return;
	qsort(set->v, (size_t)set->n, sizeof(long long), cmp_ll);
	int k = 1;
	for (int i = 1; i < set->n; i++)
		if (set->v[i] != set->v[k - 1])
			set->v[k++] = set->v[i];
	set->n = k;
}

/* Appends id to set, growing it in the arena.  -1 when out of memory. */
static int
idset_push(struct arena *a, struct idset *set, int *cap, long long id)
{
	long long *slot = st_push(a, (void **)&set->v, &set->n, cap, sizeof(*set->v));
	if (slot == NULL)
		return -1;
	*slot = id;
	return 0;
}

/* Adds the ids (column 0) a bound statement yields to set (unsorted). */
static int
idset_collect(struct store *s, struct arena *a, struct dbstmt *st, struct idset *set, int *cap)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (idset_push(a, set, cap, db_col_int(st, 0)) < 0) {
			db_reset(st);
			return ST_ERROR;
		}
	}
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

/* x := x AND y (y is a normalized, restricted set; x never shares its
 * storage).  -1 when out of memory. */
static int
idset_and(struct arena *a, struct idset *x, const struct idset *y)
{
	if (x->all) {
		x->all = 0;
		x->n = y->n;
		x->v = arena_alloc(a, sizeof(long long) * (size_t)(y->n + 1));
		if (x->v == NULL)
			return -1;
		if (y->n)
			memcpy(x->v, y->v, sizeof(long long) * (size_t)y->n);
		return 0;
	}
	int i = 0, j = 0, k = 0;
	while (i < x->n && j < y->n) {
		if (x->v[i] < y->v[j])
			i++;
		else if (x->v[i] > y->v[j])
			j++;
		else {
			x->v[k++] = x->v[i];
			i++;
			j++;
		}
	}
	x->n = k;
	return 0;
}

static int
idset_has(const struct idset *set, long long id)
{
	return bsearch(&id, set->v, (size_t)set->n, sizeof(long long), cmp_ll) != NULL;
}

/* Looks a name up with a "SELECT id ... WHERE name = ?1" statement:
 * ST_OK with *id, ST_NOTFOUND, or an error. */
static int
id_by_name(struct store *s, enum stmt_id sid, const char *name, long long *id)
{
	struct dbstmt *st = st_prep(s, sid);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int rc = db_step(st);
	int r;
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		r = ST_OK;
	} else {
		r = rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	}
	db_reset(st);
	return r;
}

/* The providers matching an all-of list of any-of groups of names,
 * where sid maps one name to provider ids and ids[g][i] (if non-NULL)
 * hold the names' ids to bind instead of the text.  Stops early when the
 * running intersection is empty. */
static int
match_groups(struct store *s, struct arena *a, enum stmt_id sid,
             const struct rp_strlist *groups, int ngroups, long long **ids,
             struct idset *out)
{
	out->all = 1;
	out->n = 0;
	for (int g = 0; g < ngroups; g++) {
		struct idset one = {0};
		int cap = 0;
		for (int i = 0; i < groups[g].n; i++) {
			struct dbstmt *st = st_prep(s, sid);
			if (st == NULL)
				return ST_ERROR;
			if (ids)
				db_bind_int(st, 1, ids[g][i]);
			else
				st_bind_text(st, 1, groups[g].v[i]);
			int r = idset_collect(s, a, st, &one, &cap);
			if (r != ST_OK)
				return r;
		}
		idset_normalize(&one);
		if (idset_and(a, out, &one) < 0)
			return ST_ERROR;
		if (out->n == 0)
			return ST_OK;
	}
	return ST_OK;
}

/* Resolves trait names to ids; ST_NOTFOUND names the first unknown. */
static int
trait_ids(struct store *s, struct arena *a, const struct rp_strlist *l,
          long long **out, struct rp_filter *f)
{
	*out = arena_alloc(a, sizeof(long long) * (size_t)(l->n + 1));
	if (*out == NULL)
		return ST_ERROR;
	for (int i = 0; i < l->n; i++) {
		int r = id_by_name(s, S_RP_TRAIT_ID, l->v[i], &(*out)[i]);
		if (r == ST_NOTFOUND) {
			f->missing_is_rc = 0;
			f->missing_name = l->v[i];
		}
		if (r != ST_OK)
			return r;
	}
	return ST_OK;
}

/* Hands each row to each(): every provider, or those in ids; skips
 * excluded ones. */
static int
fetch_rows(struct store *s, struct arena *a, const struct idset *ids,
           const struct idset *excluded, rp_row_fn each, void *arg)
{
	struct dbstmt *st;
	if (ids->all) {
		st = st_prep(s, S_RP_LIST_ALL);
		if (st == NULL)
			return ST_ERROR;
	} else {
		size_t len = (size_t)ids->n * 21 + 3, used = 0;
		char *json = arena_alloc(a, len);
		if (json == NULL)
			return ST_ERROR;
		json[used++] = '[';
		for (int i = 0; i < ids->n; i++)
			used += (size_t)snprintf(json + used, len - used, "%s%lld", i ? "," : "", ids->v[i]);
		json[used++] = ']';
		json[used] = '\0';
		st = st_prep(s, S_RP_LIST_IDS);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, json);
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct rp row;
		if (excluded->n && idset_has(excluded, db_col_int(st, 0)))
			continue;
		read_rp(NULL, st, &row);
		each(arg, &row);
	}
	int r = st_rc(s, rc);
	db_reset(st);
	return r;
}

/* cur &= the ids statement st returns. */
static int
and_rows(struct store *s, struct arena *a, struct idset *cur, struct dbstmt *st)
{
	struct idset one = {0};
	int cap = 0, r;
	if (st == NULL)
		return ST_ERROR;
	if ((r = idset_collect(s, a, st, &one, &cap)) != ST_OK)
		return r;
	idset_normalize(&one);
	return idset_and(a, cur, &one) < 0 ? ST_ERROR : ST_OK;
}

/* name, uuid and in_tree narrow cur; *none when nothing can match (a
 * tree that does not exist lists nothing, before any validation of the
 * later filters: the reference's order). */
static int
narrow_identity(struct store *s, struct arena *a, const struct rp_filter *f, struct idset *cur,
                int *none)
{
	int r;
	if (f->name != NULL) {
		struct dbstmt *st = st_prep(s, S_RP_IDS_BY_NAME);
		if (st != NULL)
			st_bind_text(st, 1, f->name);
		if ((r = and_rows(s, a, cur, st)) != ST_OK)
			return r;
	}
	struct rp one, tree;
	if (f->uuid != NULL) {
		if ((r = st_rp_by_uuid(s, a, f->uuid, &one)) != ST_OK)
			return (*none = r == ST_NOTFOUND) ? ST_OK : r;
		struct idset set = {.v = &one.id, .n = 1};
		if (idset_and(a, cur, &set) < 0)
			return ST_ERROR;
	}
	if (f->in_tree != NULL) {
		if ((r = st_rp_by_uuid(s, a, f->in_tree, &tree)) != ST_OK)
			return (*none = r == ST_NOTFOUND) ? ST_OK : r;
		struct dbstmt *st = st_prep(s, S_RP_IDS_BY_ROOT);
		if (st != NULL)
			db_bind_int(st, 1, tree.root_id);
		if ((r = and_rows(s, a, cur, st)) != ST_OK)
			return r;
	}
	return ST_OK;
}

/* Required traits and member_of narrow cur (*none when a group matches
 * nothing); forbidden traits and aggregates add to excluded. */
static int
narrow_traits_aggs(struct store *s, struct arena *a, struct rp_filter *f, struct idset *cur,
                   struct idset *excluded, int *excap, int *none)
{
	int r;
	struct idset match;
	if (f->nrequired > 0) {
		long long **ids = arena_alloc(a, sizeof(long long *) * (size_t)f->nrequired);
		if (ids == NULL)
			return ST_ERROR;
		for (int g = 0; g < f->nrequired; g++)
			if ((r = trait_ids(s, a, &f->required_traits[g], &ids[g], f)) != ST_OK)
				return r;
		r = match_groups(s, a, S_RP_IDS_WITH_TRAIT, f->required_traits, f->nrequired, ids, &match);
		if (r != ST_OK || (*none = match.n == 0))
			return r;
		if (idset_and(a, cur, &match) < 0)
			return ST_ERROR;
	}
	if (f->forbidden_traits.n > 0) {
		long long *ids;
		if ((r = trait_ids(s, a, &f->forbidden_traits, &ids, f)) != ST_OK)
			return r;
		for (int i = 0; i < f->forbidden_traits.n; i++) {
			struct dbstmt *st = st_prep(s, S_RP_IDS_WITH_TRAIT);
			if (st == NULL)
				return ST_ERROR;
			db_bind_int(st, 1, ids[i]);
			if ((r = idset_collect(s, a, st, excluded, excap)) != ST_OK)
				return r;
		}
	}
	if (f->nmember > 0) {
		r = match_groups(s, a, S_RP_IDS_IN_AGGREGATE, f->member_of, f->nmember, NULL, &match);
		if (r != ST_OK || (*none = match.n == 0))
			return r;
		if (idset_and(a, cur, &match) < 0)
			return ST_ERROR;
	}
	for (int i = 0; i < f->forbidden_aggs.n; i++) {
		struct dbstmt *st = st_prep(s, S_RP_IDS_IN_AGGREGATE);
		if (st == NULL)
			return ST_ERROR;
		st_bind_text(st, 1, f->forbidden_aggs.v[i]);
		if ((r = idset_collect(s, a, st, excluded, excap)) != ST_OK)
			return r;
	}
	return ST_OK;
}

/* resources narrow cur to the providers with room; every class is
 * resolved (and so validated) even once nothing is left. */
static int
narrow_capacity(struct store *s, struct arena *a, struct rp_filter *f, struct idset *cur)
{
	for (int i = 0; i < f->rc_names.n; i++) {
		long long rc_id;
		int r = id_by_name(s, S_RP_RC_ID, f->rc_names.v[i], &rc_id);
		if (r == ST_NOTFOUND) {
			f->missing_is_rc = 1;
			f->missing_name = f->rc_names.v[i];
		}
		if (r != ST_OK)
			return r;
		struct dbstmt *st = st_prep(s, S_RP_IDS_WITH_CAPACITY);
		if (st != NULL) {
			db_bind_int(st, 1, rc_id);
			db_bind_int(st, 2, f->amounts[i]);
		}
		if ((r = and_rows(s, a, cur, st)) != ST_OK)
			return r;
	}
	return ST_OK;
}

int
st_rp_list(struct store *s, struct arena *a, struct rp_filter *f, rp_row_fn each, void *arg)
{
	struct idset cur = {.all = 1};
	struct idset excluded = {0};
	int excap = 0, none = 0, r;
	if ((r = narrow_identity(s, a, f, &cur, &none)) != ST_OK || none)
		return r;
	if ((r = narrow_traits_aggs(s, a, f, &cur, &excluded, &excap, &none)) != ST_OK || none)
		return r;
	if ((r = narrow_capacity(s, a, f, &cur)) != ST_OK)
		return r;
	if (!cur.all && cur.n == 0)
		return ST_OK;
	idset_normalize(&excluded);
	return fetch_rows(s, a, &cur, &excluded, each, arg);
}
