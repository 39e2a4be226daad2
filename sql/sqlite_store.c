/* The sqlite backend: connection, statement cache, transactions. */
#include "sqlite_store.h"
#include "../common/config.h"
#include "../common/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct store *
store_open(const struct config *cfg, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (cfg->db_path[0] == '\0') {
		snprintf(err, errlen, "no database configured ([placement_database] connection)");
		free(s);
		return NULL;
	}
	int rc = sqlite3_open_v2(cfg->db_path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", cfg->db_path,
		         s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	s->busy_timeout_ms = cfg->db_busy_timeout_ms;
	sqlite3_busy_handler(s->db, on_busy, s);
	char pragmas[256];
	snprintf(pragmas, sizeof(pragmas),
	         "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=OFF;",
	         strcmp(cfg->db_sync, "normal") == 0 ? "NORMAL" : "FULL");
	char *msg = NULL;
	rc = sqlite3_exec(s->db, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", cfg->db_path, msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	return s;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
}

sqlite3_stmt *
st_prep(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];
	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
	if (rc != SQLITE_OK) {
		snprintf(s->errmsg, sizeof(s->errmsg), "prepare %d: %s", (int)id, sqlite3_errmsg(s->db));
		fprintf(stderr, "placement: %s\n", s->errmsg);
		return NULL;
	}
	return s->stmt[id];
}

int
st_rc(struct store *s, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return ST_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
		return ST_BUSY;
	case SQLITE_CONSTRAINT:
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
		return ST_CONFLICT;
	default:
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
		fprintf(stderr, "placement: database error: %s\n", s->errmsg);
		return ST_ERROR;
	}
}

int
st_exec(struct store *s, sqlite3_stmt *st)
{
	if (st == NULL)
		return ST_ERROR;
	int rc = sqlite3_step(st);
	int r = st_rc(s, rc);
	sqlite3_reset(st);
	return r;
}

int
st_exec_changed(struct store *s, sqlite3_stmt *st)
{
	int r = st_exec(s, st);
	if (r == ST_OK && sqlite3_changes(s->db) == 0)
		return ST_NOTFOUND;
	return r;
}

int
st_write_by_id(struct store *s, enum stmt_id id, long long row_id)
{
	sqlite3_stmt *st = st_prep(s, id);
	if (st == NULL)
		return ST_ERROR;
	sqlite3_bind_int64(st, 1, row_id);
	return st_exec_changed(s, st);
}

int
st_flag_by_id(struct store *s, enum stmt_id id, long long row_id)
{
	sqlite3_stmt *st = st_prep(s, id);
	if (st == NULL)
		return -ST_ERROR;
	sqlite3_bind_int64(st, 1, row_id);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) != 0 : -st_rc(s, rc);
	sqlite3_reset(st);
	return r;
}

void
st_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

char *
st_col_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (t == NULL)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int
store_begin(struct store *s, int write)
{
	if (s->tx_depth++ > 0)
		return ST_OK;
	s->tx_failed = 0;
	int r = st_exec(s, st_prep(s, write ? S_BEGIN_WRITE : S_BEGIN_READ));
	if (r != ST_OK)
		s->tx_depth = 0;
	return r;
}

int
store_commit(struct store *s)
{
	if (s->tx_depth == 0)
		return ST_ERROR;
	if (--s->tx_depth > 0)
		return ST_OK;
	int r = st_exec(s, st_prep(s, S_COMMIT));
	if (r != ST_OK) {
		st_exec(s, st_prep(s, S_ROLLBACK));
	}
	return r;
}

void
store_rollback(struct store *s)
{
	if (s->tx_depth == 0)
		return;
	if (--s->tx_depth > 0) {
		s->tx_failed = 1;
		return;
	}
	st_exec(s, st_prep(s, S_ROLLBACK));
}

void
store_abandon(struct store *s)
{
	if (s->tx_depth > 0) {
		s->tx_depth = 0;
		st_exec(s, st_prep(s, S_ROLLBACK));
	}
	/* Statements left mid-iteration would hold a read snapshot. */
	for (int i = 0; i < STMT_COUNT; i++)
		if (s->stmt[i] != NULL)
			sqlite3_reset(s->stmt[i]);
}

const char *
store_errmsg(struct store *s)
{
	return s->errmsg;
}

void
store_now(char out[64])
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
}

time_t
store_parse_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}
