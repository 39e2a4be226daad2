/* Resource classes.  Standard classes (id = line position in
 * data/standard-resource-classes.txt, placed by placement-sync) never
 * change, so name <-> id lookups for them are answered from the compiled
 * list; custom classes are looked up in the database each time, as other
 * processes may create, rename or delete them. */
#include "db.h"
#include "store_rc.h"
#include "std_data.h"
#include "../common/util/arena.h"
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
rc_row(struct arena *a, struct dbstmt *st, struct rc *out)
{
	out->id = db_col_int(st, 0);
	out->name = st_col_text(a, st, 1);
	out->created_at = st_col_text(a, st, 2);
	out->updated_at = st_col_text(a, st, 3);
}

int
st_rc_list(struct store *s, struct arena *a, struct rc **out, int *n)
{
	struct dbstmt *st = st_prep(s, S_RC_LIST);
	int cap = 64, cnt = 0, rc;
	struct rc *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
	if (st == NULL || v == NULL)
		return ST_ERROR;
	while ((rc = db_step(st)) == DB_ROW) {
		struct rc *row = st_push(a, (void **)&v, &cnt, &cap, sizeof(*v));
		if (row == NULL) {
			db_reset(st);
			return ST_ERROR;
		}
		rc_row(a, st, row);
	}
	int r = st_rc(s, rc);
	db_reset(st);
	*out = v;
	*n = cnt;
	return r;
}

int
st_rc_by_name(struct store *s, struct arena *a, const char *name, struct rc *out)
{
	struct dbstmt *st = st_prep(s, S_RC_BY_NAME);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int rc = db_step(st);
	int r = rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == DB_ROW)
		rc_row(a, st, out);
	db_reset(st);
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
	struct dbstmt *st = st_prep(s, S_RC_ID_BY_NAME);
	if (st == NULL)
		return ST_ERROR;
	st_bind_text(st, 1, name);
	int rc = db_step(st);
	int r = rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
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
	struct dbstmt *st = st_prep(s, S_RC_NAME_BY_ID);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	int r = rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOTFOUND : st_rc(s, rc);
	if (rc == DB_ROW)
		*name = st_col_text(a, st, 0);
	db_reset(st);
	return r;
}

int
st_rc_create(struct store *s, const char *name, long long *id)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_RC_CREATE);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	st_bind_text(st, 1, name);
	st_bind_text(st, 2, now);
	db_bind_int(st, 3, CUSTOM_CLASS_MIN_ID);
	int r = st_exec(s, st);
	if (r == ST_OK)
		*id = db_last_id(s);
	return r;
}

int
st_rc_rename(struct store *s, long long id, const char *name)
{
	char now[64];
	struct dbstmt *st = st_prep(s, S_RC_RENAME);
	if (st == NULL)
		return ST_ERROR;
	store_now(now);
	db_bind_int(st, 1, id);
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
