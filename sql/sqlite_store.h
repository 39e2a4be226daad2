/* Internals of the sqlite backend, shared by its sqlite_*.c files only. */
#ifndef PLACEMENT_SQLITE_STORE_H
#define PLACEMENT_SQLITE_STORE_H
#include <sqlite3.h>
#include "store.h"
#include "statements.h"

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT_COUNT];   /* prepared on first use, kept */
	int tx_depth;
	int tx_failed;
	int busy_timeout_ms;
	long long busy_since_us;       /* start of the current wait for a lock */
	char errmsg[256];
};

/* The statement, prepared once and reset for reuse; NULL on error. */
sqlite3_stmt *st_prep(struct store *s, enum stmt_id id);
/* Maps a sqlite result code to ST_*, remembering the message. */
int st_rc(struct store *s, int sqlite_rc);
/* Steps a statement that returns no rows; ST_OK or an error. */
int st_exec(struct store *s, sqlite3_stmt *st);
/* Runs a statement whose only parameter is ?1 = id and that yields one
 * integer: 1 if it is non-zero, 0 if zero, or -ST_* on error. */
int st_flag_by_id(struct store *s, enum stmt_id id, long long row_id);
/* Runs a write whose only parameter is ?1 = id: ST_NOTFOUND when it
 * touched no row. */
int st_write_by_id(struct store *s, enum stmt_id id, long long row_id);
/* Steps a write already bound: ST_NOTFOUND when it touched no row. */
int st_exec_changed(struct store *s, sqlite3_stmt *st);
/* Binds text (NULL binds NULL). */
void st_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Column text copied into the arena ("" never NULL unless SQL NULL). */
char *st_col_text(struct arena *a, sqlite3_stmt *st, int i);
#endif
