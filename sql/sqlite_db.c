/* The sqlite backend: the connection (WAL, durability, busy waits) and the
 * statement calls of db.h over sqlite3.  Texts come from statements.def. */
#include "db.h"
#include "../common/util/config.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Waits for the write lock in short, jittered naps.  sqlite's own handler
 * sleeps up to 100 ms at a time, which leaves the lock idle while writers
 * from other processes doze; short naps keep it busy.  Gives up (the
 * caller answers 503) after busy_timeout_ms. */
static int
on_busy(void *arg, int count)
{
	struct store *s = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long now_us = (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
	if (count == 0)
		s->busy_since_us = now_us;
	if (now_us - s->busy_since_us >= (long long)s->busy_timeout_ms * 1000)
		return 0;
	long nap = count < 6 ? 50L << count : 2000;   /* 50 us .. 2 ms */
	nap += (long)(((unsigned)now.tv_nsec / 1000u) % (unsigned long)(nap / 2 + 1));
	struct timespec ts = {0, nap * 1000L};
	nanosleep(&ts, NULL);
	return 1;
}

static int lite_class(int rc);

/* The db_code of a sqlite result, remembering the message of errors. */
static int
lite_code(sqlite3 *db, struct store *s, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_NOMEM:
		return DB_NOMEM;
	}
	snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(db));
	/* The file (or its file system) went read-only or failing: this
	 * connection's descriptors may stay so even when the path is fixed
	 * (a file system remounted after an error), so the next request
	 * opens the path again.  A full disk does not: space comes back. */
	int primary = rc & 0xff;
	if (primary == SQLITE_READONLY || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
		s->reopen = 1;
	return lite_class(rc);
}

/* The db_code of a sqlite error code. */
static int
lite_class(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_NOMEM:
		return DB_NOMEM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
		/* the disk, not the request: 503 */
		return DB_UNAVAILABLE;
	default:
		return DB_ERROR;
	}
}

#ifdef PLACEMENT_FAULTS
/* The sqlite code of an injected fault (fault.h), or 0 when fe is not one
 * of sqlite's.  sqlite may roll back the whole transaction on a full
 * disk or an I/O error; the injection does, the harder case. */
static int
inject(struct store *s, int fe)
{
	int rc = fe == FE_BUSY ? SQLITE_BUSY : fe == FE_FULL ? SQLITE_FULL : fe == FE_IOERR ? SQLITE_IOERR : 0;
	if (rc == 0)
		return 0;
	if (rc != SQLITE_BUSY && !sqlite3_get_autocommit(s->lite))
		sqlite3_exec(s->lite, "ROLLBACK", NULL, NULL, NULL);
	snprintf(s->errmsg, sizeof(s->errmsg), "%s (injected)", sqlite3_errstr(rc));
	return rc;
}
#endif

static void *
lite_prepare(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = NULL;
#ifdef PLACEMENT_FAULTS
	int frc = inject(s, fault_hit(s, FAULT_PREPARE));
	if (frc != 0) {
		s->prep_code = lite_class(frc);
		return NULL;
	}
#endif
	int rc = sqlite3_prepare_v3(s->lite, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->lite));
		s->prep_code = lite_class(rc);
		return NULL;
	}
	return st;
}

#define LITE(st) ((sqlite3_stmt *)(st)->impl)

static void lite_finalize(struct dbstmt *st) { sqlite3_finalize(LITE(st)); }
static void lite_bind_int(struct dbstmt *st, int i, long long v) { sqlite3_bind_int64(LITE(st), i, v); }
static void lite_bind_double(struct dbstmt *st, int i, double v) { sqlite3_bind_double(LITE(st), i, v); }
static void lite_bind_null(struct dbstmt *st, int i) { sqlite3_bind_null(LITE(st), i); }

static void
lite_bind_textn(struct dbstmt *st, int i, const char *v, int n)
{
	if (v == NULL)
		sqlite3_bind_null(LITE(st), i);
	else
		sqlite3_bind_text(LITE(st), i, v, n, SQLITE_STATIC);
}

/* Steps a statement.  Inside a transaction, a failure (but a refused
 * key, which the handler answers) dooms it, and so does finding that
 * sqlite rolled it back by itself (it may, on a full disk or an I/O
 * error): then nothing more runs until the rollback, so no statement
 * runs in autocommit outside the transaction the request began. */
static int
lite_step(struct dbstmt *st)
{
	struct store *s = st->s;
	sqlite3_stmt *h = LITE(st);
	enum stmt_id id = (enum stmt_id)(st - s->stmt);
	int first = !sqlite3_stmt_busy(h);
	int guarded = s->tx_depth > 0 && id != S_ROLLBACK && id != S_BEGIN_READ && id != S_BEGIN_WRITE;
	if (guarded && first) {
		if (s->tx_doomed)
			return s->tx_doomed;
		if (sqlite3_get_autocommit(s->lite)) {
			snprintf(s->errmsg, sizeof(s->errmsg), "sqlite ended the transaction");
			return s->tx_doomed = DB_UNAVAILABLE;
		}
	}
	int rc;
#ifdef PLACEMENT_FAULTS
	rc = inject(s, fault_hit(s, id == S_COMMIT ? FAULT_COMMIT : first ? FAULT_EXECUTE : FAULT_FETCH));
	if (rc == 0)
		rc = sqlite3_step(h);
#else
	rc = sqlite3_step(h);
#endif
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	int code = lite_code(s->lite, s, rc);
	if (guarded && code != DB_CONSTRAINT && s->tx_doomed == 0)
		s->tx_doomed = code;
	return code;
}

static long long lite_col_int(struct dbstmt *st, int i) { return sqlite3_column_int64(LITE(st), i); }
static double lite_col_double(struct dbstmt *st, int i) { return sqlite3_column_double(LITE(st), i); }
static const char *lite_col_text(struct dbstmt *st, int i) { return (const char *)sqlite3_column_text(LITE(st), i); }
static size_t lite_col_bytes(struct dbstmt *st, int i) { return (size_t)sqlite3_column_bytes(LITE(st), i); }
static int lite_col_is_null(struct dbstmt *st, int i) { return sqlite3_column_type(LITE(st), i) == SQLITE_NULL; }
static void lite_reset(struct dbstmt *st) { sqlite3_reset(LITE(st)); }

static void
lite_rearm(struct dbstmt *st)
{
	sqlite3_reset(LITE(st));
	sqlite3_clear_bindings(LITE(st));
}

/* The writers' queue: an open-file-description lock on one byte of the
 * database file beyond the bytes sqlite locks (0x40000000 + 0..511).
 * sqlite's busy handler can only poll; a writer waiting here is woken by
 * the kernel the moment the previous one commits, so the write lock never
 * sits idle while writers nap.  Writers of other programs still meet
 * sqlite's own lock and the busy handler. */
#define WRITER_QUEUE_BYTE 0x40000400LL

static void on_alarm(int sig) { (void)sig; }

static int
lite_writer_lock(struct store *s, int on)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = on ? F_WRLCK : F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = WRITER_QUEUE_BYTE;
	fl.l_len = 1;
	if (s->lock_fd < 0)
		return ST_OK;
	if (!on) {
		fcntl(s->lock_fd, F_OFD_SETLK, &fl);
		s->writer_locked = 0;
		return ST_OK;
	}
	if (fcntl(s->lock_fd, F_OFD_SETLK, &fl) == 0) {
		s->writer_locked = 1;
		return ST_OK;
	}
	if (errno != EAGAIN && errno != EACCES)
		return ST_OK;             /* no queue: sqlite's lock still holds */
	/* Wait in the kernel, woken every 50 ms by SIGALRM (installed without
	 * SA_RESTART) to give up after busy_timeout_ms. */
	static int installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		installed = 1;
	}
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct itimerval tick = {{0, 50000}, {0, 50000}}, off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &tick, NULL);
	int rc;
	for (;;) {
		rc = fcntl(s->lock_fd, F_OFD_SETLKW, &fl);
		if (rc == 0 || errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long waited_ms = (now.tv_sec - t0.tv_sec) * 1000LL + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (waited_ms >= s->busy_timeout_ms)
			break;
	}
	int wait_errno = errno;         /* before setitimer/snprintf touch it */
	setitimer(ITIMER_REAL, &off, NULL);
	if (rc != 0) {
		if (wait_errno != EINTR)
			return ST_OK;         /* no queue: sqlite's lock still holds */
		snprintf(s->errmsg, sizeof(s->errmsg), "waited %d ms for the write lock", s->busy_timeout_ms);
		return ST_BUSY;
	}
	s->writer_locked = 1;
	return ST_OK;
}

/* Group commit: with synchronous=full the connection runs at sqlite's
 * NORMAL, whose commit writes the WAL without flushing it, and the commit
 * is made durable here, after the writers' queue has let the next writer
 * in.  Writers that commit while one flush runs are carried by the next
 * one, instead of each flushing in turn with the write lock held.  The
 * answer is written only after this returns, so no acknowledged write can
 * be lost.  A -wal file that is gone was checkpointed into the (synced)
 * database by its last connection.  A -wal file new to this connection
 * gets its directory flushed too, so that the file itself survives. */
static int
lite_make_durable(struct store *s)
{
	if (s->lite_wal == NULL)
		return ST_OK;
	int fd = open(s->lite_wal, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return ST_OK;
		snprintf(s->errmsg, sizeof(s->errmsg), "cannot open the WAL to flush it: %s", strerror(errno));
		return ST_ERROR;
	}
	struct stat sb;
	int rc = fstat(fd, &sb);
	if (rc == 0)
		rc = fdatasync(fd);
	int sync_errno = errno;
	close(fd);
	if (rc == 0 && (unsigned long long)sb.st_ino != s->lite_wal_ino) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s", s->lite_wal);
		int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			rc = fsync(dfd);
			sync_errno = errno;
			close(dfd);
		}
		if (rc == 0)
			s->lite_wal_ino = (unsigned long long)sb.st_ino;
	}
	if (rc != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "flushing the WAL failed: %s", strerror(sync_errno));
		return ST_ERROR;
	}
	return ST_OK;
}

static long long lite_changes(struct store *s) { return sqlite3_changes(s->lite); }
static long long lite_last_id(struct store *s) { return sqlite3_last_insert_rowid(s->lite); }
/* sqlite keeps using an open file after it is unlinked or renamed over:
 * writes would go to a file nobody will read again. */
static int
lite_file_moved(struct store *s)
{
	int moved = 0;
	if (sqlite3_file_control(s->lite, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		return 0;
	return moved != 0;
}

static void
lite_close(struct store *s)
{
	if (s->reopen || lite_file_moved(s)) {
		/* Closing checkpoints and deletes the WAL by its name, which may
		 * now be another file's (or on a file system that failed):
		 * leave every file as it is. */
		int on = 1;
		sqlite3_db_config(s->lite, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		sqlite3_file_control(s->lite, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	}
	sqlite3_close(s->lite);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
}

/* The pager's data version (it moves with every commit, ours or another
 * connection's, as the snapshot is taken), tagged with the connection's
 * serial so that a reopened connection never repeats an old number. */
static unsigned long long
lite_data_version(struct store *s)
{
	/* BEGIN is deferred: the snapshot, and the version it has, come with
	 * the first read. */
	struct dbstmt *st = st_prep(s, S_SNAPSHOT);
	if (st == NULL)
		return 0;
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return 0;
	unsigned int v = 0;
	if (sqlite3_file_control(s->lite, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	return s->lite_serial << 32 | v;
}

static const struct db_ops lite_ops = {
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.bind_int = lite_bind_int,
	.bind_double = lite_bind_double,
	.bind_null = lite_bind_null,
	.bind_textn = lite_bind_textn,
	.step = lite_step,
	.col_int = lite_col_int,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_bytes = lite_col_bytes,
	.col_is_null = lite_col_is_null,
	.reset = lite_reset,
	.rearm = lite_rearm,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.writer_lock = lite_writer_lock,
	.make_durable = lite_make_durable,
	.close = lite_close,
	.data_version = lite_data_version,
	.file_moved = lite_file_moved,
};

/* Keeps the journal mode that PRAGMA journal_mode answers. */
static int
on_journal_mode(void *arg, int n, char **values, char **names)
{
	(void)names;
	if (n > 0 && values[0] != NULL)
		snprintf(arg, 16, "%s", values[0]);
	return 0;
}

struct store *
sqlite_open(const struct config *cfg, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->kind = DB_SQLITE;
	s->ops = &lite_ops;
	s->lock_fd = -1;
	if (cfg->db_path[0] == '\0') {
		snprintf(err, errlen, "no database configured ([placement_database] connection)");
		free(s);
		return NULL;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(cfg->db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", cfg->db_path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		free(s);
		return NULL;
	}
	static unsigned long long serial;
	s->lite = db;
	s->lite_serial = ++serial;
	s->busy_timeout_ms = cfg->db_busy_timeout_ms;
	s->lock_fd = open(cfg->db_path, O_RDWR | O_CLOEXEC);
	/* A CGI process is often the database's only connection: without
	 * these, each one would checkpoint, then delete the -wal file on
	 * close and make it again on the next request.  The WAL is still
	 * checkpointed as it grows (sqlite's auto-checkpoint at commit). */
	int on = 1;
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_busy_handler(db, on_busy, s);
	/* synchronous=full: sqlite's NORMAL plus lite_make_durable, but only
	 * in WAL mode (a rollback journal needs sqlite's own FULL). */
	char mode[16] = "";
	char *msg = NULL;
	rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", on_journal_mode, mode, &msg);
	int full = strcmp(cfg->db_sync, "normal") != 0;
	if (full && rc == SQLITE_OK && strcmp(mode, "wal") == 0)
		s->lite_wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
	char pragmas[128];
	snprintf(pragmas, sizeof(pragmas), "PRAGMA synchronous=%s; PRAGMA foreign_keys=OFF;",
	         full && s->lite_wal == NULL ? "FULL" : "NORMAL");
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", cfg->db_path, msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(db);
		free(s);
		return NULL;
	}
	s->alloc_totals = -1;          /* looked up by the first capacity check */
	s->change_log = -1;            /* looked up by the first cache refresh */
	return s;
}
