/* The backend-neutral part of the store: choosing a backend, the
 * statement cache, nested transactions, and the small helpers every
 * data-access file uses.  Backends live in sqlite_db.c and mysql_db.c. */
#include "db.h"
#include "../common/util/config.h"
#include "../common/util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

struct store *
store_open(const struct config *cfg, char *err, size_t errlen)
{
	switch (cfg->db_kind) {
	case CONF_DB_MYSQL:
		return mysql_open(cfg, err, errlen);
	case CONF_DB_SQLITE:
		return sqlite_open(cfg, err, errlen);
	default:
		/* a path set directly (tools, tests) is a sqlite file */
		if (cfg->db_path[0] != '\0')
			return sqlite_open(cfg, err, errlen);
		snprintf(err, errlen, "no database configured ([placement_database] connection)");
		return NULL;
	}
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT_COUNT; i++)
		if (s->stmt[i].impl != NULL)
			s->ops->finalize(&s->stmt[i]);
	s->ops->close(s);
	free(s);
}

int
store_file_moved(struct store *s)
{
	return s != NULL && s->tx_depth == 0 &&
	       (s->reopen || (s->ops->file_moved != NULL && s->ops->file_moved(s)));
}

unsigned long long
store_data_version(struct store *s)
{
	if (s == NULL || s->tx_depth == 0 || s->ops->data_version == NULL)
		return 0;
	return s->ops->data_version(s);
}

struct dbstmt *
st_prep(struct store *s, enum stmt_id id)
{
	struct dbstmt *st = &s->stmt[id];
	if (st->impl != NULL) {
		s->ops->rearm(st);
		return st;
	}
	st->s = s;
	s->prep_code = DB_ERROR;
	st->impl = s->ops->prepare(s, id);
	if (st->impl == NULL) {
		fprintf(stderr, "placement: prepare %d: %s\n", (int)id, s->errmsg);
		/* remembered for store_failure: the caller only says ST_ERROR */
		int code = s->prep_code;
		s->prep_code = DB_ERROR;
		if (code != DB_ERROR && code != DB_NOMEM)
			st_rc(s, code);
		else if (s->fail_code == 0)
			s->fail_code = ST_ERROR;
		return NULL;
	}
	return st;
}

/* The ST_* code of a db_code, without side effects. */
static int
st_code(int code)
{
	switch (code) {
	case DB_OK:
	case DB_DONE:
	case DB_ROW:
		return ST_OK;
	case DB_BUSY:
		return ST_BUSY;
	case DB_DEADLOCK:
		return ST_RETRY;
	case DB_CONSTRAINT:
		return ST_CONFLICT;
	case DB_UNAVAILABLE:
		return ST_UNAVAILABLE;
	default:
		return ST_ERROR;
	}
}

int
st_rc(struct store *s, int code)
{
	int r = st_code(code);
	if (code == DB_NOMEM)
		snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
	if (r == ST_ERROR || r == ST_UNAVAILABLE)
		fprintf(stderr, "placement: database %s: %s\n",
		        r == ST_ERROR ? "error" : "unavailable", s->errmsg);
	if (r != ST_OK && r != ST_CONFLICT && s->fail_code == 0)
		s->fail_code = r;
	return r;
}

int
store_failure(struct store *s)
{
	return s == NULL ? 0 : s->fail_code;
}

int
st_exec(struct store *s, struct dbstmt *st)
{
	if (st == NULL)
		return ST_ERROR;
	int r = st_rc(s, db_step(st));
	db_reset(st);
	return r;
}

int
st_exec_changed(struct store *s, struct dbstmt *st)
{
	int r = st_exec(s, st);
	if (r == ST_OK && db_changes(s) == 0)
		return ST_NOTFOUND;
	return r;
}

int
st_write_by_id(struct store *s, enum stmt_id id, long long row_id)
{
	struct dbstmt *st = st_prep(s, id);
	if (st == NULL)
		return ST_ERROR;
	db_bind_int(st, 1, row_id);
	return st_exec_changed(s, st);
}

int
st_flag_by_id(struct store *s, enum stmt_id id, long long row_id)
{
	struct dbstmt *st = st_prep(s, id);
	if (st == NULL)
		return -ST_ERROR;
	db_bind_int(st, 1, row_id);
	int rc = db_step(st);
	int r = rc == DB_ROW ? db_col_int(st, 0) != 0 : -st_rc(s, rc);
	db_reset(st);
	return r;
}

void
st_bind_id(struct dbstmt *st, int i, long long id)
{
	if (id == 0)
		db_bind_null(st, i);
	else
		db_bind_int(st, i, id);
}

void
st_bind_text(struct dbstmt *st, int i, const char *v)
{
	db_bind_textn(st, i, v, -1);
}

char *
st_col_text(struct arena *a, struct dbstmt *st, int i)
{
	const char *t = db_col_text(st, i);
	if (t == NULL)
		return NULL;
	return arena_strndup(a, t, db_col_bytes(st, i));
}

/* Lets the next writer of the service go, if this connection held the
 * queue. */
static void
writer_done(struct store *s)
{
	if (s->writer_locked && s->ops->writer_lock != NULL)
		s->ops->writer_lock(s, 0);
}

int
store_begin(struct store *s, int write)
{
	if (s->tx_depth++ > 0)
		return ST_OK;
	s->tx_failed = 0;
	s->tx_doomed = 0;
	s->fail_code = 0;
	s->tx_write = write;
	if (write && s->ops->writer_lock != NULL) {
		int r = s->ops->writer_lock(s, 1);
		if (r != ST_OK) {
			s->tx_depth = 0;
			return r;
		}
	}
	int r = st_exec(s, st_prep(s, write ? S_BEGIN_WRITE : S_BEGIN_READ));
	if (r != ST_OK) {
		s->tx_depth = 0;
		writer_done(s);
	}
	return r;
}

int
store_commit(struct store *s)
{
	if (s->tx_depth == 0)
		return ST_ERROR;
	if (--s->tx_depth > 0)
		return ST_OK;
	int r;
	if (s->tx_doomed || s->tx_failed) {
		/* A statement failed, or an inner part rolled back: never
		 * commit what is left. */
		r = s->tx_doomed ? st_rc(s, s->tx_doomed) : ST_ERROR;
		st_exec(s, st_prep(s, S_ROLLBACK));
	} else {
		r = st_exec(s, st_prep(s, S_COMMIT));
		if (r != ST_OK)
			st_exec(s, st_prep(s, S_ROLLBACK));
	}
	s->tx_doomed = 0;
	writer_done(s);
	if (r == ST_OK && s->tx_write && s->ops->make_durable != NULL)
		r = s->ops->make_durable(s);
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
	s->tx_doomed = 0;
	writer_done(s);
}

void
store_abandon(struct store *s)
{
	if (s->tx_depth > 0) {
		s->tx_depth = 0;
		st_exec(s, st_prep(s, S_ROLLBACK));
	}
	s->tx_doomed = 0;
	s->fail_code = 0;
	s->request_ended = 1;
	writer_done(s);
	/* Statements left mid-iteration would hold a read snapshot. */
	for (int i = 0; i < STMT_COUNT; i++)
		if (s->stmt[i].impl != NULL)
			s->ops->reset(&s->stmt[i]);
}

void
store_retry_pause(struct store *s, int attempt)
{
	(void)s;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* 1 ms doubling to 32 ms, and a random part as large */
	long base_us = 1000L << (attempt < 5 ? attempt : 5);
	long nap = base_us + (long)((unsigned long)now.tv_nsec / 1000u % (unsigned long)base_us);
	struct timespec ts = {nap / 1000000, (nap % 1000000) * 1000L};
	nanosleep(&ts, NULL);
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

/* Reads n digits at *p into *out; 0, or -1 if one is not a digit. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

time_t
store_parse_time(const char *s)
{
	/* "YYYY-MM-DD HH:MM:SS[.ffffff]", parsed by hand: it runs for every
	 * provider of every answer that sends Last-Modified. */
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = s;
	if (s == NULL || digits(&p, 4, &tm.tm_year) < 0 || *p++ != '-' ||
	    digits(&p, 2, &tm.tm_mon) < 0 || *p++ != '-' || digits(&p, 2, &tm.tm_mday) < 0 ||
	    (*p != ' ' && *p != 'T') || (p++, digits(&p, 2, &tm.tm_hour) < 0) || *p++ != ':' ||
	    digits(&p, 2, &tm.tm_min) < 0 || *p++ != ':' || digits(&p, 2, &tm.tm_sec) < 0)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

void *
st_push(struct arena *a, void **arr, int *n, int *cap, size_t size)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 32;
		void *bigger = arena_alloc(a, (size_t)ncap * size);
		if (bigger == NULL)
			return NULL;
		if (*n)
			memcpy(bigger, *arr, (size_t)*n * size);
		*arr = bigger;
		*cap = ncap;
	}
	return (char *)*arr + (size_t)(*n)++ * size;
}

int
st_one_int(struct store *s, struct dbstmt *st, long long *out)
{
	if (st == NULL)
		return ST_ERROR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_col_int(st, 0);
		db_reset(st);
		return ST_OK;
	}
	int r = st_rc(s, rc);
	db_reset(st);
	return r == ST_OK ? ST_NOTFOUND : r;
}
