/* The statement interface of the data-access files (sql/<area>.c).  Each
 * backend (sql/sqlite_db.c, sql/mysql_db.c) implements it; the area files
 * hold the logic once and name their SQL by statement id, so a backend
 * differs only in its connection, its statement texts and its types.
 * Internal to sql/: handlers in common/ see store.h and store_*.h only. */
#ifndef PLACEMENT_DB_H
#define PLACEMENT_DB_H
#include <stddef.h>
#include "store.h"
#include "statements.h"
#include "fault.h"

struct arena;

/* What db_step and the backends' calls answer. */
enum db_code {
	DB_OK = 0,
	DB_ROW = 100,        /* a row is ready to read */
	DB_DONE = 101,       /* no (more) rows; a write has finished */
	DB_BUSY = 102,       /* locked past the timeout: retry later (503) */
	DB_CONSTRAINT = 103, /* a unique or foreign key refused the write */
	DB_NOMEM = 104,
	DB_ERROR = 105,      /* anything else; the message is in errmsg */
	DB_DEADLOCK = 106,   /* the server rolled the transaction back (deadlock,
	                      * Galera certification): the whole request may be
	                      * retried */
	DB_UNAVAILABLE = 107,/* the database cannot do it now (disk full, I/O
	                      * error, no answer in time, a node not ready):
	                      * 503 */
};

enum db_kind { DB_SQLITE = 1, DB_MYSQL = 2 };

/* A backend's statement calls (see the db_* wrappers below for their
 * contracts).  Statements are the backend's own objects behind void *. */
struct dbstmt;
struct db_ops {
	/* Prepares statement id; the backend's object or NULL (errmsg set). */
	void *(*prepare)(struct store *s, enum stmt_id id);
	void (*finalize)(struct dbstmt *st);
	void (*bind_int)(struct dbstmt *st, int i, long long v);
	void (*bind_double)(struct dbstmt *st, int i, double v);
	void (*bind_null)(struct dbstmt *st, int i);
	void (*bind_textn)(struct dbstmt *st, int i, const char *v, int n);
	int (*step)(struct dbstmt *st);
	long long (*col_int)(struct dbstmt *st, int i);
	double (*col_double)(struct dbstmt *st, int i);
	const char *(*col_text)(struct dbstmt *st, int i);
	size_t (*col_bytes)(struct dbstmt *st, int i);
	int (*col_is_null)(struct dbstmt *st, int i);
	void (*reset)(struct dbstmt *st);
	void (*rearm)(struct dbstmt *st);        /* reset and clear the bindings */
	long long (*changes)(struct store *s);
	long long (*last_id)(struct store *s);
	/* Optional: queues this connection behind the service's other writers
	 * (on=1, before the write transaction begins; ST_OK or ST_BUSY past
	 * the timeout) and lets the next one go (on=0, after it ends). */
	int (*writer_lock)(struct store *s, int on);
	/* Optional: called after a write transaction has committed and the
	 * queue has let the next writer go; returns once the commit is on
	 * stable storage (ST_OK, or ST_ERROR when that failed).  Syncing
	 * outside the queue lets the writers behind share one flush. */
	int (*make_durable)(struct store *s);
	/* Closes the connection (statements are finalized already). */
	void (*close)(struct store *s);
	/* See store_data_version; NULL when the backend cannot tell. */
	unsigned long long (*data_version)(struct store *s);
	/* Optional: 1 when the database file was removed or replaced since
	 * the connection opened it (see store_file_moved). */
	int (*file_moved)(struct store *s);
};

/* A prepared statement: its connection and the backend's object. */
struct dbstmt {
	struct store *s;
	void *impl;
};

struct sqlite3;
struct my_conn;

/* One connection.  The backend-neutral part (statement cache, nesting
 * depth, message) is used by sql/store.c; the rest belongs to its backend. */
struct store {
	enum db_kind kind;
	const struct db_ops *ops;
	struct dbstmt stmt[STMT_COUNT];    /* impl prepared on first use, kept */
	int tx_depth;
	int tx_failed;
	/* A statement of the open transaction failed in a way that ended the
	 * transaction or may have (db_code; 0: none).  Until the rollback,
	 * the backend refuses every statement with it and store_commit rolls
	 * back instead: nothing can run outside the transaction the request
	 * began, whatever a caller did with the first error. */
	int tx_doomed;
	int fail_code;                 /* ST_* of the first failure since the transaction began */
	int prep_code;                 /* db_code of the last failed prepare */
	int request_ended;             /* store_abandon ran: the next statement starts a request */
	int reopen;                    /* the connection is unusable: reopen (store_file_moved) */
	char errmsg[256];
	struct fault_plan fault;       /* test builds (fault.h) */
	/* sqlite */
	struct sqlite3 *lite;
	int busy_timeout_ms;
	long long busy_since_us;       /* start of the current wait for a lock */
	int lock_fd;                   /* the database file, for the writers' queue */
	int writer_locked;
	int tx_write;                  /* the open transaction is a write one */
	unsigned long long lite_serial;  /* which connection of the process (data versions) */
	const char *lite_wal;          /* the -wal file's path (sqlite's string); NULL: */
	                               /* sqlite syncs its own commits, or none are synced */
	unsigned long long lite_wal_ino;  /* the -wal file last made durable */
	int alloc_totals;              /* the allocation totals are kept (schema-totals.sql); -1: not known yet */
	int change_log;                /* sqlite: the change log is kept (schema-changes.sql);
	                                * MariaDB: the change counters (schema-mysql-changes.sql);
	                                * -1: not known yet */
	long long change_log_schema;   /* sqlite: the schema version it was looked up at;
	                                * MariaDB: when (monotonic seconds) */
	/* mysql */
	struct my_conn *my;
};

/* The statement, prepared once per connection and reset (bindings
 * cleared) for reuse; NULL on error (message in s->errmsg, db_code in
 * s->prep_code). */
struct dbstmt *st_prep(struct store *s, enum stmt_id id);
/* Parameters are numbered from 1 as ?N in the statement texts. */
static inline void db_bind_int(struct dbstmt *st, int i, long long v) { st->s->ops->bind_int(st, i, v); }
static inline void db_bind_double(struct dbstmt *st, int i, double v) { st->s->ops->bind_double(st, i, v); }
static inline void db_bind_null(struct dbstmt *st, int i) { st->s->ops->bind_null(st, i); }
/* Text of n bytes (n < 0: NUL-terminated), which must stay valid until
 * the statement is reset.  NULL binds SQL NULL. */
static inline void db_bind_textn(struct dbstmt *st, int i, const char *v, int n) { st->s->ops->bind_textn(st, i, v, n); }
/* Runs the statement or moves to its next row: DB_ROW, DB_DONE or an
 * error code (message in the store's errmsg). */
static inline int db_step(struct dbstmt *st) { return st->s->ops->step(st); }
/* Columns of the current row, numbered from 0. */
static inline long long db_col_int(struct dbstmt *st, int i) { return st->s->ops->col_int(st, i); }
static inline double db_col_double(struct dbstmt *st, int i) { return st->s->ops->col_double(st, i); }
/* NULL when SQL NULL; valid until the next step or reset. */
static inline const char *db_col_text(struct dbstmt *st, int i) { return st->s->ops->col_text(st, i); }
static inline size_t db_col_bytes(struct dbstmt *st, int i) { return st->s->ops->col_bytes(st, i); }
static inline int db_col_is_null(struct dbstmt *st, int i) { return st->s->ops->col_is_null(st, i); }
/* Ends the current run of the statement (keeps it prepared). */
static inline void db_reset(struct dbstmt *st) { st->s->ops->reset(st); }
/* Rows matched by the last write; the id made by the last insert. */
static inline long long db_changes(struct store *s) { return s->ops->changes(s); }
static inline long long db_last_id(struct store *s) { return s->ops->last_id(s); }

/* Helpers over the above (sql/store.c). */
/* Maps a db_code to ST_*, logging real errors. */
int st_rc(struct store *s, int db_code);
/* Steps a statement that returns no rows; ST_OK or an error. */
int st_exec(struct store *s, struct dbstmt *st);
/* Runs a statement whose only parameter is ?1 = id and that yields one
 * integer: 1 if it is non-zero, 0 if zero, or -ST_* on error. */
int st_flag_by_id(struct store *s, enum stmt_id id, long long row_id);
/* Runs a write whose only parameter is ?1 = id: ST_NOTFOUND when it
 * touched no row. */
int st_write_by_id(struct store *s, enum stmt_id id, long long row_id);
/* Steps a write already bound: ST_NOTFOUND when it touched no row. */
int st_exec_changed(struct store *s, struct dbstmt *st);
/* Binds NUL-terminated text (NULL binds NULL). */
void st_bind_text(struct dbstmt *st, int i, const char *v);
/* Binds an id, NULL for 0 (no provider, no consumer type). */
void st_bind_id(struct dbstmt *st, int i, long long id);
/* Column text copied into the arena (NULL when SQL NULL). */
char *st_col_text(struct arena *a, struct dbstmt *st, int i);
/* Makes room for one more element of size bytes in an arena array of *n
 * (room for *cap): the new element, or NULL on OOM. */
void *st_push(struct arena *a, void **arr, int *n, int *cap, size_t size);
/* Steps a prepared one-row, one-integer statement (NULL: ST_ERROR):
 * ST_OK with *out, ST_NOTFOUND without a row, or an error. */
int st_one_int(struct store *s, struct dbstmt *st, long long *out);

/* Backends: open a connection from the configuration (kind chosen by
 * store_open from the connection URL).  NULL with a message on failure. */
struct store *sqlite_open(const struct config *cfg, char *err, size_t errlen);
struct store *mysql_open(const struct config *cfg, char *err, size_t errlen);
#endif
