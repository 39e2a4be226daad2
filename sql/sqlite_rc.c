/* Resource classes on sqlite.  Standard classes (id = line position in
 * data/standard-resource-classes.txt, placed by placement-sync) never
 * change, so name <-> id lookups for them are answered from the compiled
 * list; custom classes are looked up in the database each time, as other
 * processes may create, rename or delete them. */
#include "sqlite_store.h"
#include "store_rc.h"
#include "std_data.h"
#include "../common/arena.h"
#include <stdlib.h>
#include <string.h>

#define STD_MAX 1024

static const char *std_name[STD_MAX];
static int std_n = -1;

/* Splits the compiled class list once per process. */
static void
std_load(void)
{
	static char *copy;
	if (std_n >= 0)
		return;
	std_n = 0;
	copy = strdup(std_classes);
	if (copy == NULL)
		return;
	for (char *p = copy; *p && std_n < STD_MAX;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p)
			std_name[std_n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
}

int
st_rc_is_standard_id(long long id)
{
	return id >= 0 && id < CUSTOM_CLASS_MIN_ID;
}

/* Fills one struct rc from the current row of S_RC_LIST / S_RC_BY_NAME. */
static void
rc_row(struct arena *a, sqlite3_stmt *st, struct rc *out)
{
	out->id = sqlite3_column_int64(st, 0);
	out->name = st_col_text(a, st, 1);
	out->created_at = st_col_text(a, st, 2);
	out->updated_at = st_col_text(a, st, 3);
}

int
st_rc_list(struct store *s, struct arena *a, struct rc **out, int *n)
{
	sqlite3_stmt *st = st_prep(s, S_RC_LIST);
	int cap = 64, cnt = 0, rc;
	struct rc *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
	if (st == NULL || v == NULL)
		return ST_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			struct rc *nv = arena_alloc(a, sizeof(*v) * (size_t)cap * 2);
			if (nv == NULL) {
				sqlite3_reset(st);
				return ST_ERROR;
			}
			memcpy(nv, v, sizeof(*v) * (size_t)cnt);
			v = nv;
			cap *= 2;
		}
		rc_row(a, st, &v[cnt++]);
	}
	int r = st_rc(s, rc);
	sqlite3_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_rc_by_name(struct store *s, struct arena *a, const char *name, struct rc *out)
{
	sqlite3_stmt *st = st_prep(s, S_RC_BY_NAME);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == SQLITE_ROW)
		rc_row(a, st, out);
	sqlite3_reset(st);
	return r;
}

int
st_rc_id_by_name(struct store *s, const char *name, long long *id)
{
	std_load();
	for (int i = 0; i < std_n; i++) {
		if (strcmp(std_name[i], name) == 0) {
			*id = i;
			return ST_OK;
		}
	}
	sqlite3_stmt *st = st_prep(s, S_RC_ID_BY_NAME);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r;
}

int
st_rc_name_by_id(struct store *s, struct arena *a, long long id, const char **name)
{
	std_load();
	if (id >= 0 && id < std_n) {
		*name = std_name[id];
		return ST_OK;
	}
	sqlite3_stmt *st = st_prep(s, S_RC_NAME_BY_ID);
	if (st == NULL)
		return ST_ERROR;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == SQLITE_ROW)
		*name = st_col_text(a, st, 0);
	sqlite3_reset(st);
	return r;
}

int
st_rc_create(struct store *s, const char *name, long long *id)
{
	char now[64];
	sqlite3_stmt *st = st_prep(s, S_RC_CREATE);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	st_bind_text(st, 1, name);
	st_bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, CUSTOM_CLASS_MIN_ID);
	int r = st_exec(s, st);
	if (r == ST_OK)
		*id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
st_rc_rename(struct store *s, long long id, const char *name)
{
	char now[64];
	sqlite3_stmt *st = st_prep(s, S_RC_RENAME);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	sqlite3_bind_int64(st, 1, id);
	st_bind_text(st, 2, name);
	st_bind_text(st, 3, now);
	return st_exec_changed(s, st);
}

int
st_rc_in_use(struct store *s, long long id)
{
	return st_flag_by_id(s, S_RC_IN_USE, id);
}

int
st_rc_delete(struct store *s, long long id)
{
	return st_write_by_id(s, S_RC_DELETE, id);
}
