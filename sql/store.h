/* The data-access interface.  Handlers in common/ call only this and the
 * per-resource headers beside it (store_*.h), implemented by sql/store_*.c
 * over a backend (db.h).  Every SQL text lives in statements.def and the
 * stmts_*.def files it includes (one per resource; MariaDB's own texts in
 * stmts_mysql.def). */
#ifndef PLACEMENT_STORE_H
#define PLACEMENT_STORE_H
#include <stddef.h>
#include <time.h>

struct config;
struct store;
struct arena;

enum st_rc {
	ST_OK = 0,
	ST_NOTFOUND = 1,     /* the row asked for does not exist */
	ST_CONFLICT = 2,     /* a unique key or generation check failed */
	ST_BUSY = 3,         /* the database stayed locked past the timeout */
	ST_ERROR = 4,        /* anything else (logged) */
	ST_RETRY = 5,        /* the database rolled the transaction back
	                      * (deadlock, certification): run it again */
	ST_UNAVAILABLE = 6,  /* the database cannot do it now (disk full, I/O
	                      * error, no answer in time): 503 */
};

/* Whether s should be closed and its database opened again: the file
 * was removed, or replaced by another file, since s opened it, or it
 * failed in a way that may stick to the connection (read-only, I/O
 * error).  sqlite; 0 for MariaDB.  The caller closes s and opens the path
 * again. */
int store_file_moved(struct store *s);

/* Opens the database named by cfg->db_path (must exist and hold the
 * schema).  NULL with a message in err on failure. */
struct store *store_open(const struct config *cfg, char *err, size_t errlen);
void store_close(struct store *s);

/* Transactions.  write=1 takes the write lock at once (BEGIN IMMEDIATE)
 * so generation checks and capacity checks see a stable database.
 * Nested calls are counted; only the outermost commits. */
int store_begin(struct store *s, int write);
int store_commit(struct store *s);
void store_rollback(struct store *s);
/* Rolls back whatever transaction is still open (end of a request). */
void store_abandon(struct store *s);
/* Waits a short, growing, jittered time before a request that failed
 * with ST_RETRY runs again (attempt counts from 0), so that the writers
 * that collided do not collide again at once. */
void store_retry_pause(struct store *s, int attempt);
/* A number that changes whenever the committed content of the database
 * changes (by this connection or any other, in any process), describing
 * what the current transaction sees; call it inside one.  0 when the
 * backend cannot tell (or on error): then nothing may be cached. */
unsigned long long store_data_version(struct store *s);
/* The ST_* code of the first database failure since the current
 * transaction began (0: none): what a generic ST_ERROR of a caller that
 * lost the code really was. */
int store_failure(struct store *s);
/* The last error message of the backend, for logs. */
const char *store_errmsg(struct store *s);

/* Timestamps as stored ("YYYY-MM-DD HH:MM:SS.ffffff", UTC). */
void store_now(char out[64]);
time_t store_parse_time(const char *s);
#endif
