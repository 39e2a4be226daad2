/* The MariaDB backend: one connection (MariaDB Connector/C) and the
 * statement calls of db.h over server-side prepared statements.  Texts
 * come from statements.def, overridden by stmts_mysql.def where MariaDB
 * needs its own; values are always bound, never formatted into SQL.
 *
 * Concurrency.  sqlite runs one writer at a time, so a handler's reads
 * inside a write transaction stay true until it commits.  InnoDB runs
 * writers side by side.  Write transactions run at READ COMMITTED (each
 * statement sees the newest commits) and lock the provider or consumer
 * they are about to change when they first read it (MYLOCK texts,
 * SELECT ... FOR UPDATE), so writers of one provider take turns.  What
 * is read without such a lock is guarded by the generations: every write
 * that moves a provider's capacity or usage bumps its generation with
 * UPDATE ... WHERE generation = <as read>, and the generation is read
 * before the capacity and usage it guards, so a writer whose reads went
 * stale matches no row.  Such a lost race, a deadlock, a lock wait
 * timeout, a Galera certification failure, a duplicate key on an insert
 * that was checked first and a foreign key refusal (sqlite has them off;
 * the handlers check first) all become DB_DEADLOCK: the request is
 * rolled back and run again (common/http/app.c), as if it had come after
 * the winner.  Read transactions read one snapshot (REPEATABLE READ), as
 * sqlite's BEGIN does. */
#include "db.h"
#include "mysql_db.h"
#include "../common/util/config.h"
#include <mariadb/mysql.h>
#include <mariadb/errmsg.h>
#include <mariadb/mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

enum { MY_MUST_MATCH = 1, MY_DUP_RACE = 2 };

/* Texts, texts inside write transactions and flags by statement id
 * (NULL text: the sqlite one). */
static const char *const my_text[STMT_COUNT] = {
#define MYSTMT(id, sql) [id] = sql,
#define MYLOCK(id, sql)
#define MYFLAGS(id, f)
#include "stmts_mysql.def"
#undef MYSTMT
#undef MYLOCK
#undef MYFLAGS
};
static const char *const my_lock_text[STMT_COUNT] = {
#define MYSTMT(id, sql)
#define MYLOCK(id, sql) [id] = sql,
#define MYFLAGS(id, f)
#include "stmts_mysql.def"
#undef MYSTMT
#undef MYLOCK
#undef MYFLAGS
};
static const unsigned char my_flags[STMT_COUNT] = {
#define MYSTMT(id, sql)
#define MYLOCK(id, sql)
#define MYFLAGS(id, f) [id] = f,
#include "stmts_mysql.def"
#undef MYSTMT
#undef MYLOCK
#undef MYFLAGS
};

#define MAX_PARAMS 64

enum { TX_NONE, TX_READ, TX_WRITE };

struct my_conn {
	MYSQL *h;
	int gen;                  /* bumped by each (re)connect */
	int broken;               /* the server went away: reconnect */
	int in_tx;                /* TX_NONE, TX_READ or TX_WRITE on the server */
	long long changes, last_id;
	/* what to connect to */
	char host[256], user[256], password[256], db[256], socket[4096];
	unsigned port;
	int lock_wait_s;
	int read_timeout_s, write_timeout_s;
	int timeout_ms;           /* the shorter of the two */
	long long call_ms;        /* when the last call that waits began */
	int galera;               /* the server is a Galera node (wsrep_on) */
	int synced;               /* this request has waited for causality */
};

/* A bound value, by parameter number. */
enum { V_NULL, V_INT, V_DOUBLE, V_TEXT };
struct myval {
	int type;
	long long i;
	double d;
	const char *p;
	unsigned long len;
};

/* One MariaDB statement of a text (a text may hold several). */
struct mypart {
	char *sql;                /* with positional '?' */
	int nparams;
	unsigned char map[MAX_PARAMS];   /* ?N of each '?' */
	MYSQL_STMT *h;
	int gen;                  /* the connection's gen when prepared */
	MYSQL_BIND *bind;         /* nparams */
};

/* A result column: numbers in their binary form, the rest as text. */
enum { C_TEXT, C_INT, C_FLOAT, C_DOUBLE };
struct mycol {
	int kind;
	char *buf;                /* C_TEXT: the value, NUL-terminated */
	unsigned long cap;
	unsigned long len;
	my_bool is_null, err;
	long long i;
	float f;
	double d;
	char num[40];             /* a number as text, made when asked */
};

/* The MariaDB statements of one text. */
struct myvariant {
	int nparts;
	struct mypart *parts;
	int is_read;              /* one SELECT: safe to run again */
};

enum { ST_IDLE, ST_ROWS, ST_DONE };
struct mystmt {
	enum stmt_id id;
	unsigned flags;
	int direct;               /* BEGIN, COMMIT, ROLLBACK: plain queries */
	const char *text;
	/* [0] the text; [1] the text inside write transactions, if any
	 * (same columns) */
	struct myvariant var[2];
	struct myvariant *cur;    /* the variant of the current run */
	struct myval vals[MAX_PARAMS];
	int ncols;                /* of the last part; -1 until known */
	MYSQL_BIND *rbind;
	struct mycol *cols;
	int state;
};

/* The handle that holds the current run's rows. */
static MYSQL_STMT *
last_handle(struct mystmt *m)
{
	return m->cur->parts[m->cur->nparts - 1].h;
}

#define MY(st) ((struct mystmt *)(st)->impl)

/* --- text rewriting --- */

/* Skips a quoted run starting at p[0] (the quote); returns the index
 * just past its closing quote (or n). */
static size_t
skip_quoted(const char *p, size_t i, size_t n)
{
	char q = p[i++];
	while (i < n) {
		if (p[i] == '\\' && q != '`' && i + 1 < n) {
			i += 2;
		} else if (p[i] == q) {
			if (i + 1 < n && p[i + 1] == q)
				i += 2;          /* doubled quote */
			else
				return i + 1;
		} else {
			i++;
		}
	}
	return n;
}

/* Skips a "-- " comment at p + i; returns the index of its newline. */
static size_t
skip_comment(const char *p, size_t i, size_t n)
{
	while (i < n && p[i] != '\n')
		i++;
	return i;
}

static int
is_comment(const char *p, size_t i, size_t n)
{
	return i + 2 < n && p[i] == '-' && p[i + 1] == '-' && (p[i + 2] == ' ' || p[i + 2] == '\t' || p[i + 2] == '\n');
}

size_t
mysql_statement_len(const char *p)
{
	size_t n = strlen(p), i = 0;
	while (i < n) {
		if (p[i] == '\'' || p[i] == '"' || p[i] == '`')
			i = skip_quoted(p, i, n);
		else if (is_comment(p, i, n))
			i = skip_comment(p, i, n);
		else if (p[i] == ';')
			return i;
		else
			i++;
	}
	return n;
}

int
mysql_rewrite_params(const char *in, size_t n, char *out, size_t outlen,
                     unsigned char *map, int maxmap)
{
	size_t i = 0, j = 0;
	int k = 0;
	while (i < n) {
		if (in[i] == '\'' || in[i] == '"' || in[i] == '`' || is_comment(in, i, n)) {
			size_t e = is_comment(in, i, n) ? skip_comment(in, i, n) : skip_quoted(in, i, n);
			if (j + (e - i) >= outlen)
				return -1;
			memcpy(out + j, in + i, e - i);
			j += e - i;
			i = e;
			continue;
		}
		if (in[i] != '?') {
			if (j + 1 >= outlen)
				return -1;
			out[j++] = in[i++];
			continue;
		}
		i++;
		int num = 0, digits = 0;
		while (i < n && in[i] >= '0' && in[i] <= '9' && num <= 255) {
			num = num * 10 + (in[i++] - '0');
			digits++;
		}
		if (digits == 0 || num < 1 || num > 255 || k >= maxmap || j + 1 >= outlen)
			return -1;
		map[k++] = (unsigned char)num;
		out[j++] = '?';
	}
	if (j >= outlen)
		return -1;
	out[j] = '\0';
	return k;
}

/* --- errors --- */

enum { E_CONSTRAINT, E_RACE, E_LOST, E_BUSY, E_OTHER };

static int
classify(unsigned err)
{
	switch (err) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
	case ER_BAD_NULL_ERROR:
		return E_CONSTRAINT;
	case ER_LOCK_DEADLOCK:          /* also Galera's certification failure */
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_CHECKREAD:              /* innodb_snapshot_isolation */
	case ER_ROW_IS_REFERENCED:
	case ER_ROW_IS_REFERENCED_2:
	case ER_NO_REFERENCED_ROW:
	case ER_NO_REFERENCED_ROW_2:
	case ER_AUTOINC_READ_FAILED:    /* a deadlock on the auto-increment lock */
		return E_RACE;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case 4031:                      /* ER_CLIENT_INTERACTION_TIMEOUT */
		return E_LOST;
	case ER_CON_COUNT_ERROR:
	case ER_UNKNOWN_COM_ERROR:      /* Galera: node not ready */
		return E_BUSY;
	default:
		return E_OTHER;
	}
}

/* Where a call failed: running a statement (prepare, execute, a plain
 * query), one that begins with Galera's causality wait, reading its
 * result, or committing. */
enum { AT_RUN, AT_SYNC_WAIT, AT_RESULT, AT_COMMIT };

static long long
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Closes the connection, whatever state libmariadb holds it in: its
 * statement handles are detached (closing them later sends nothing), the
 * server rolls back what was open, and the next request connects anew. */
static void
drop_conn(struct store *s)
{
	struct my_conn *c = s->my;
	if (c->h != NULL)
		mysql_close(c->h);
	c->h = NULL;
	c->broken = 1;
}

/* The db_code of a failed call (MariaDB error err, message msg) on
 * statement m (NULL: a plain query), remembering the message.
 *
 * What is left afterwards:
 *  - a failure while reading a result (store_result, fetch, fetch_column,
 *    bind_result) may leave libmariadb's statement waiting for rows that
 *    never come (its next call would wait for ever): the connection is
 *    closed; so is a lost one;
 *  - a call that waited its whole timeout means a server too slow or
 *    away: 503 at once, since running the request again would wait again;
 *  - a connection lost inside a transaction took the transaction with it:
 *    the request runs again on a new connection (DB_DEADLOCK), except at
 *    COMMIT, whose outcome is then unknown (503);
 *  - the transaction itself is the caller's: my_step dooms it. */
static int
failed(struct store *s, struct mystmt *m, unsigned err, const char *msg, int at)
{
	struct my_conn *c = s->my;
	if (m != NULL)
		snprintf(s->errmsg, sizeof(s->errmsg), "MariaDB error %u (statement %d): %s", err, (int)m->id, msg);
	else
		snprintf(s->errmsg, sizeof(s->errmsg), "MariaDB error %u: %s", err, msg);
	int kind = classify(err), code;
	switch (kind) {
	case E_CONSTRAINT:
		/* A duplicate primary key cannot come from a request alone:
		 * ids are made by the server, or (custom classes) computed
		 * from a read that a concurrent insert made stale. */
		if (err == ER_DUP_ENTRY && ((m != NULL && (m->flags & MY_DUP_RACE)) ||
		                            strstr(msg, "for key 'PRIMARY'") != NULL))
			code = DB_DEADLOCK;
		else
			code = DB_CONSTRAINT;
		break;
	case E_RACE:
		/* A causality wait (wsrep_sync_wait) that ends in a lock wait
		 * timeout took no row lock: the node cannot catch up with its
		 * cluster (not in the primary component, or too far behind),
		 * and running the request again would meet the same. */
		if (at == AT_SYNC_WAIT && err == ER_LOCK_WAIT_TIMEOUT) {
			size_t n = strlen(s->errmsg);
			snprintf(s->errmsg + n, sizeof(s->errmsg) - n,
			         " (the causality wait: the node is not in step with its cluster)");
			code = DB_UNAVAILABLE;
		} else {
			code = DB_DEADLOCK;
		}
		break;
	case E_LOST:
		if (c->call_ms > 0 && now_ms() - c->call_ms >= c->timeout_ms - 100) {
			snprintf(s->errmsg + strlen(s->errmsg), sizeof(s->errmsg) - strlen(s->errmsg),
			         " (no answer in %d ms)", c->timeout_ms);
			code = DB_UNAVAILABLE;
		} else if (c->in_tx != TX_NONE && at != AT_COMMIT) {
			code = DB_DEADLOCK;
		} else {
			code = DB_UNAVAILABLE;
		}
		break;
	case E_BUSY:
		code = DB_UNAVAILABLE;
		break;
	default:
		code = DB_ERROR;
		break;
	}
	if (at == AT_RESULT || kind == E_LOST)
		drop_conn(s);
	return code;
}

/* --- fault injection (test builds, fault.h) --- */

#ifdef PLACEMENT_FAULTS
/* Fails the call at stage as the server would: h is the statement (NULL
 * for a plain query).  Returns 1 (the call's failure) when it injected
 * fault fe, or -1 when fe is not one of MariaDB's (the call goes on). */
static int
inject(struct store *s, MYSQL_STMT *h, int fe, enum fault_stage stage)
{
	unsigned err;
	const char *state, *msg;
	switch (fe) {
	case FE_DEADLOCK:
		err = ER_LOCK_DEADLOCK, state = "40001";
		msg = "Deadlock found when trying to get lock; try restarting transaction";
		break;
	case FE_LOCK_WAIT:
		err = ER_LOCK_WAIT_TIMEOUT, state = "HY000";
		msg = "Lock wait timeout exceeded; try restarting transaction";
		break;
	case FE_LOST:
		err = CR_SERVER_LOST, state = "HY000";
		msg = "Lost connection to server during query (injected)";
		break;
	case FE_NOT_READY:
		err = ER_UNKNOWN_COM_ERROR, state = "08S01";
		msg = "WSREP has not yet prepared node for application use";
		break;
	default:
		return -1;
	}
	MYSQL *conn = s->my->h;
	if (stage == FAULT_STORE && h != NULL) {
		/* The rows arrived, then the error: libmariadb drops what it
		 * read and leaves the statement waiting for a store or use
		 * (its next call reads rows that never come). */
		mysql_stmt_store_result(h);
		mysql_stmt_free_result(h);
	}
	if (fe == FE_DEADLOCK && conn != NULL)
		mysql_real_query(conn, "ROLLBACK", 8);   /* the server ends the transaction */
	if (fe == FE_LOST && conn != NULL)
		shutdown(mysql_get_socket(conn), SHUT_RDWR);
	if (h != NULL) {
		if (stage == FAULT_STORE)
			h->state = MYSQL_STMT_WAITING_USE_OR_STORE;
		h->last_errno = err;
		snprintf(h->last_error, sizeof(h->last_error), "%s", msg);
		snprintf(h->sqlstate, sizeof(h->sqlstate), "%s", state);
	} else if (conn != NULL) {
		conn->net.last_errno = err;
		snprintf(conn->net.last_error, sizeof(conn->net.last_error), "%s", msg);
		snprintf(conn->net.sqlstate, sizeof(conn->net.sqlstate), "%s", state);
	}
	return 1;
}
#define INJECT(s, h, stage) do { \
	int injected_ = inject(s, h, fault_hit(s, stage), stage); \
	if (injected_ >= 0) \
		return injected_; \
} while (0)
#else
#define INJECT(s, h, stage) ((void)0)
#endif

/* --- the calls that wait for the server (each a fault point) --- */

static int
x_prepare(struct store *s, MYSQL_STMT *h, const char *sql)
{
	INJECT(s, h, FAULT_PREPARE);
	s->my->call_ms = now_ms();
	return mysql_stmt_prepare(h, sql, strlen(sql));
}

static int
x_execute(struct store *s, MYSQL_STMT *h)
{
	INJECT(s, h, FAULT_EXECUTE);
	s->my->call_ms = now_ms();
	return mysql_stmt_execute(h);
}

static int
x_store_result(struct store *s, MYSQL_STMT *h)
{
	INJECT(s, h, FAULT_STORE);
	s->my->call_ms = now_ms();
	return mysql_stmt_store_result(h);
}

/* Rows are buffered by store_result: fetching waits for nothing. */
static int
x_fetch(struct store *s, MYSQL_STMT *h)
{
	INJECT(s, h, FAULT_FETCH);
	s->my->call_ms = 0;
	return mysql_stmt_fetch(h);
}

/* A plain query without rows: BEGIN (a fault point as execute), COMMIT
 * (as commit), ROLLBACK and the session's setup (none). */
static int
x_query(struct store *s, const char *sql, int stage)
{
#ifdef PLACEMENT_FAULTS
	if (stage >= 0)
		INJECT(s, NULL, (enum fault_stage)stage);
#else
	(void)stage;
#endif
	s->my->call_ms = now_ms();
	return mysql_real_query(s->my->h, sql, strlen(sql));
}

/* x_query of several statements split by ';' (one round trip): 0 when
 * every one succeeded; the server stops at the first that fails, whose
 * error mysql_errno tells. */
static int
x_query_all(struct store *s, const char *sql, int stage)
{
	MYSQL *h = s->my->h;
	if (x_query(s, sql, stage) != 0)
		return -1;
	for (;;) {
		MYSQL_RES *res = mysql_store_result(h);
		if (res != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(h) != 0)
			return -1;
		int more = mysql_next_result(h);
		if (more != 0)
			return more < 0 ? 0 : -1;
	}
}

/* Whether the server still holds the transaction this connection began.
 * A transaction it ended (rolled back by a deadlock or Galera, whose
 * error a caller may have lost) leaves the session in autocommit, where
 * every further statement would commit on its own. */
static int
tx_still_open(struct store *s)
{
	struct my_conn *c = s->my;
	unsigned status = 0;
	if (c->in_tx == TX_NONE || c->h == NULL)
		return 1;
	if (mariadb_get_infov(c->h, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0 ||
	    (status & SERVER_STATUS_IN_TRANS))
		return 1;
	snprintf(s->errmsg, sizeof(s->errmsg), "the server ended the transaction");
	return 0;
}

/* --- the connection --- */

static int
my_connect(struct store *s, char *err, size_t errlen)
{
	struct my_conn *c = s->my;
	MYSQL *h = mysql_init(NULL);
	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	unsigned timeout = 10;
	unsigned rtimeout = (unsigned)c->read_timeout_s, wtimeout = (unsigned)c->write_timeout_s;
	unsigned proto = c->socket[0] ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	my_bool off = 0;
	mysql_options(h, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(h, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* No call waits for ever: a server that stops answering mid-query
	 * (a Galera node cut off, a stuck lock) ends in a 503. */
	mysql_options(h, MYSQL_OPT_READ_TIMEOUT, &rtimeout);
	mysql_options(h, MYSQL_OPT_WRITE_TIMEOUT, &wtimeout);
	mysql_options(h, MYSQL_OPT_PROTOCOL, &proto);
	mysql_options(h, MYSQL_OPT_LOCAL_INFILE, &off);
	/* CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, as
	 * sqlite's changes() does, not only those whose values changed.
	 * CLIENT_MULTI_STATEMENTS: a write transaction's isolation level and
	 * its BEGIN go in one round trip (run_direct); no statement text is
	 * ever made from values, so it lets no client's text in. */
	if (mysql_real_connect(h, c->host[0] ? c->host : "localhost", c->user,
	                       c->password[0] ? c->password : NULL, c->db[0] ? c->db : NULL,
	                       c->port, c->socket[0] ? c->socket : NULL,
	                       CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == NULL) {
		char where[4200];
		if (c->socket[0])
			snprintf(where, sizeof(where), "%s", c->socket);
		else
			snprintf(where, sizeof(where), "%s:%u", c->host[0] ? c->host : "localhost",
			         c->port ? c->port : 3306);
		snprintf(err, errlen, "cannot connect to MariaDB at %s as '%s', database '%s': %s",
		         where, c->user, c->db, mysql_error(h));
		unsigned e = mysql_errno(h);
		mysql_close(h);
		return e == ER_BAD_DB_ERROR ? -2 : -1;
	}
	/* The reference's session (oslo.db's TRADITIONAL), standard classes'
	 * id 0 kept as given, UTC, and lock waits bounded like sqlite's busy
	 * timeout.  Snapshots for reads; write transactions change to READ
	 * COMMITTED as they begin (see the top). */
	char setup[256];
	snprintf(setup, sizeof(setup),
	         "SET SESSION sql_mode = 'TRADITIONAL,NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00', "
	         "innodb_lock_wait_timeout = %d", c->lock_wait_s);
	if (mysql_real_query(h, setup, strlen(setup)) != 0 ||
	    mysql_real_query(h, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", 55) != 0 ||
	    mysql_autocommit(h, 1) != 0) {
		snprintf(err, errlen, "cannot set up the MariaDB session: %s", mysql_error(h));
		mysql_close(h);
		return -1;
	}
	/* A Galera node applies the others' commits a moment after they
	 * are acknowledged; its transactions begin with a causality wait
	 * (wsrep_sync_wait for that statement only), so that a request sees
	 * every write acknowledged by any host before it began. */
	int galera = 0;
	if (mysql_real_query(h, "SELECT @@wsrep_on", 17) == 0) {
		MYSQL_RES *res = mysql_store_result(h);
		MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
		galera = row != NULL && row[0] != NULL && strcmp(row[0], "1") == 0;
		if (res != NULL)
			mysql_free_result(res);
	}
	if (c->h != NULL)
		mysql_close(c->h);
	c->h = h;
	c->gen++;
	c->broken = 0;
	c->in_tx = 0;
	c->galera = galera;
	c->synced = 0;
	return 0;
}

/* A usable connection: reconnects a lost one unless a transaction was
 * open on it (then the caller's request is run again). */
static int
ensure_conn(struct store *s)
{
	struct my_conn *c = s->my;
	if (c->h != NULL && !c->broken)
		return DB_OK;
	if (c->in_tx) {
		snprintf(s->errmsg, sizeof(s->errmsg), "the MariaDB connection was lost in a transaction");
		return DB_DEADLOCK;
	}
	char err[sizeof(s->errmsg)];
	if (my_connect(s, err, sizeof(err)) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", err);
		return DB_UNAVAILABLE;
	}
	return DB_OK;
}

/* --- statements --- */

static void
free_cols(struct mystmt *m)
{
	for (int i = 0; i < m->ncols; i++)
		free(m->cols[i].buf);
	free(m->cols);
	free(m->rbind);
	m->cols = NULL;
	m->rbind = NULL;
	m->ncols = -1;
}

static void
my_finalize(struct dbstmt *st)
{
	struct mystmt *m = MY(st);
	if (m == NULL)
		return;
	for (int v = 0; v < 2; v++) {
		for (int k = 0; k < m->var[v].nparts; k++) {
			if (m->var[v].parts[k].h != NULL)
				mysql_stmt_close(m->var[v].parts[k].h);
			free(m->var[v].parts[k].sql);
			free(m->var[v].parts[k].bind);
		}
		free(m->var[v].parts);
	}
	free_cols(m);
	free(m);
	st->impl = NULL;
}

/* Splits text into its statements and rewrites their parameters.
 * 0, or -1 with the message set. */
static int
parse_text(struct store *s, enum stmt_id id, const char *text, struct myvariant *v)
{
	v->is_read = strncasecmp(text, "SELECT", 6) == 0 || strncasecmp(text, "WITH", 4) == 0;
	for (const char *p = text; *p;) {
		size_t n = mysql_statement_len(p);
		struct mypart *np = realloc(v->parts, sizeof(*np) * (size_t)(v->nparts + 1));
		if (np == NULL)
			goto oom;
		v->parts = np;
		struct mypart *part = &v->parts[v->nparts];
		memset(part, 0, sizeof(*part));
		part->sql = malloc(n + 1);
		if (part->sql == NULL)
			goto oom;
		v->nparts++;
		part->nparams = mysql_rewrite_params(p, n, part->sql, n + 1, part->map, MAX_PARAMS);
		for (int k = 0; k < part->nparams; k++)
			if (part->map[k] > MAX_PARAMS)
				part->nparams = -1;     /* beyond vals[] */
		if (part->nparams < 0) {
			snprintf(s->errmsg, sizeof(s->errmsg), "bad parameters in statement %d", (int)id);
			return -1;
		}
		part->bind = calloc((size_t)part->nparams + 1, sizeof(MYSQL_BIND));
		if (part->bind == NULL)
			goto oom;
		p += n;
		if (*p == ';')
			p++;
	}
	if (v->nparts > 1)
		v->is_read = 0;
	return 0;
oom:
	snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
	return -1;
}

static void *
my_prepare(struct store *s, enum stmt_id id)
{
	struct mystmt *m = calloc(1, sizeof(*m));
	if (m == NULL) {
		snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
		return NULL;
	}
	m->id = id;
	m->flags = my_flags[id];
	m->ncols = -1;
	m->cur = &m->var[0];
	m->text = my_text[id] ? my_text[id] : stmt_sql[id];
	m->direct = id == S_BEGIN_READ || id == S_BEGIN_WRITE || id == S_COMMIT || id == S_ROLLBACK;
	if (m->direct)
		return m;
	if (parse_text(s, id, m->text, &m->var[0]) == 0 &&
	    (my_lock_text[id] == NULL || parse_text(s, id, my_lock_text[id], &m->var[1]) == 0))
		return m;
	struct dbstmt tmp = {s, m};
	my_finalize(&tmp);
	return NULL;
}

static void
set_val(struct dbstmt *st, int i, struct myval v)
{
	if (i >= 1 && i <= MAX_PARAMS)
		MY(st)->vals[i - 1] = v;
}

static void my_bind_int(struct dbstmt *st, int i, long long v) { set_val(st, i, (struct myval){V_INT, v, 0, NULL, 0}); }
static void my_bind_double(struct dbstmt *st, int i, double v) { set_val(st, i, (struct myval){V_DOUBLE, 0, v, NULL, 0}); }
static void my_bind_null(struct dbstmt *st, int i) { set_val(st, i, (struct myval){V_NULL, 0, 0, NULL, 0}); }

static void
my_bind_textn(struct dbstmt *st, int i, const char *v, int n)
{
	if (v == NULL)
		my_bind_null(st, i);
	else
		set_val(st, i, (struct myval){V_TEXT, 0, 0, v, n < 0 ? strlen(v) : (unsigned long)n});
}

/* Sets up the result columns from the prepared statement's metadata. */
static int
setup_cols(struct store *s, struct mystmt *m, MYSQL_STMT *h)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(h);
	free_cols(m);
	m->ncols = 0;
	if (meta == NULL)
		return DB_OK;
	unsigned n = mysql_num_fields(meta);
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
	m->cols = calloc(n, sizeof(*m->cols));
	m->rbind = calloc(n, sizeof(*m->rbind));
	if (m->cols == NULL || m->rbind == NULL) {
		mysql_free_result(meta);
		free(m->cols);
		free(m->rbind);
		m->cols = NULL;
		m->rbind = NULL;
		snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
		return DB_NOMEM;
	}
	m->ncols = (int)n;
	for (unsigned i = 0; i < n; i++) {
		struct mycol *c = &m->cols[i];
		MYSQL_BIND *b = &m->rbind[i];
		switch (f[i].type) {
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_LONGLONG:
		case MYSQL_TYPE_YEAR:
			c->kind = C_INT;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &c->i;
			b->is_unsigned = (f[i].flags & UNSIGNED_FLAG) != 0;
			break;
		case MYSQL_TYPE_FLOAT:
			c->kind = C_FLOAT;
			b->buffer_type = MYSQL_TYPE_FLOAT;
			b->buffer = &c->f;
			break;
		case MYSQL_TYPE_DOUBLE:
			c->kind = C_DOUBLE;
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &c->d;
			break;
		default:
			c->kind = C_TEXT;
			c->cap = 64;
			c->buf = malloc(c->cap);
			if (c->buf == NULL) {
				mysql_free_result(meta);
				snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
				return DB_NOMEM;
			}
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = c->buf;
			b->buffer_length = c->cap - 1;
			break;
		}
		b->length = &c->len;
		b->is_null = &c->is_null;
		b->error = &c->err;
	}
	mysql_free_result(meta);
	return DB_OK;
}

/* Prepares part k on the current connection if it is not yet. */
static int
prepare_part(struct store *s, struct mystmt *m, int k)
{
	struct mypart *p = &m->cur->parts[k];
	if (p->h != NULL && p->gen == s->my->gen)
		return DB_OK;
	if (p->h != NULL)
		mysql_stmt_close(p->h);   /* of a closed connection: sends nothing */
	p->h = mysql_stmt_init(s->my->h);
	if (p->h == NULL) {
		snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
		return DB_NOMEM;
	}
	if (x_prepare(s, p->h, p->sql) != 0) {
		int r = failed(s, m, mysql_stmt_errno(p->h), mysql_stmt_error(p->h), AT_RUN);
		/* no result is pending on a statement that did not prepare */
		mysql_stmt_close(p->h);
		p->h = NULL;
		return r;
	}
	p->gen = s->my->gen;
	if (mysql_stmt_param_count(p->h) != (unsigned long)p->nparams) {
		snprintf(s->errmsg, sizeof(s->errmsg), "statement %d: parameter count", (int)m->id);
		return DB_ERROR;
	}
	if (k == m->cur->nparts - 1 && m->ncols < 0)
		return setup_cols(s, m, p->h);
	return DB_OK;
}

/* Binds the values of part p's parameters. */
static void
bind_params(struct mystmt *m, struct mypart *p)
{
	for (int k = 0; k < p->nparams; k++) {
		struct myval *v = &m->vals[p->map[k] - 1];
		MYSQL_BIND *b = &p->bind[k];
		memset(b, 0, sizeof(*b));
		switch (v->type) {
		case V_INT:
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &v->i;
			break;
		case V_DOUBLE:
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &v->d;
			break;
		case V_TEXT:
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)v->p;
			b->buffer_length = v->len;
			b->length = &v->len;
			break;
		default:
			b->buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
}

/* Fetches the next row of a statement with rows.  Any failure here
 * closes the connection (see failed()). */
static int
fetch_row(struct store *s, struct mystmt *m)
{
	MYSQL_STMT *h = last_handle(m);
	int rc = x_fetch(s, h);
	if (rc == MYSQL_NO_DATA) {
		mysql_stmt_free_result(h);
		m->state = ST_DONE;
		return DB_DONE;
	}
	if (rc == 1) {
		m->state = ST_DONE;
		return failed(s, m, mysql_stmt_errno(h), mysql_stmt_error(h), AT_RESULT);
	}
	int rebind = 0;
	for (int i = 0; i < m->ncols; i++) {
		struct mycol *c = &m->cols[i];
		c->num[0] = '\0';
		if (c->kind != C_TEXT || c->is_null)
			continue;
		if (c->len >= c->cap) {
			/* MYSQL_DATA_TRUNCATED: a bigger buffer, then the rest */
			unsigned long cap = c->len + 1 > c->cap * 2 ? c->len + 1 : c->cap * 2;
			char *nb = realloc(c->buf, cap);
			if (nb == NULL) {
				mysql_stmt_free_result(h);   /* the rows are buffered: no I/O */
				m->state = ST_DONE;
				snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
				return DB_NOMEM;
			}
			c->buf = nb;
			c->cap = cap;
			m->rbind[i].buffer = nb;
			m->rbind[i].buffer_length = cap - 1;
			if (mysql_stmt_fetch_column(h, &m->rbind[i], (unsigned)i, 0) != 0) {
				m->state = ST_DONE;
				return failed(s, m, mysql_stmt_errno(h), mysql_stmt_error(h), AT_RESULT);
			}
			rebind = 1;
		}
		c->buf[c->len] = '\0';
	}
	if (rebind && mysql_stmt_bind_result(h, m->rbind) != 0) {
		m->state = ST_DONE;
		return failed(s, m, mysql_stmt_errno(h), mysql_stmt_error(h), AT_RESULT);
	}
	return DB_ROW;
}

/* Rolls back on the server if the connection is there; a ROLLBACK that
 * fails closes the connection, which rolls back as surely. */
static void
rollback_conn(struct store *s)
{
	struct my_conn *c = s->my;
	if (c->h != NULL && !c->broken && x_query(s, "ROLLBACK", -1) != 0)
		drop_conn(s);
	c->in_tx = TX_NONE;
}

/* BEGIN, COMMIT and ROLLBACK as plain queries.  A write transaction
 * reads committed rows (each statement sees the newest commits; the
 * rows it will change are locked as it reads them, see MYLOCK), a read
 * transaction one snapshot. */
static int
run_direct(struct store *s, struct mystmt *m)
{
	struct my_conn *c = s->my;
	if (m->id == S_ROLLBACK) {
		rollback_conn(s);
		return DB_DONE;
	}
	if (m->id == S_COMMIT) {
		if (c->in_tx == TX_NONE || c->h == NULL || c->broken) {
			snprintf(s->errmsg, sizeof(s->errmsg), "COMMIT without the transaction it was for");
			rollback_conn(s);
			return DB_DEADLOCK;
		}
		if (!tx_still_open(s)) {
			rollback_conn(s);
			return DB_DEADLOCK;
		}
		if (x_query(s, m->text, FAULT_COMMIT) != 0) {
			/* The caller rolls back what may be left. */
			return failed(s, m, mysql_errno(c->h), mysql_error(c->h), AT_COMMIT);
		}
		c->in_tx = TX_NONE;
		return DB_DONE;
	}
	int r = ensure_conn(s);
	if (r != DB_OK)
		return r;
	for (int attempt = 0;; attempt++) {
		/* a write transaction reads committed rows: its level is set
		 * in the same round trip */
		static const char *const begins[2][2] = {
			{"START TRANSACTION READ ONLY",
			 "SET STATEMENT wsrep_sync_wait = 1 FOR START TRANSACTION READ ONLY"},
			{"SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION",
			 "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; "
			 "SET STATEMENT wsrep_sync_wait = 1 FOR START TRANSACTION"}};
		const char *begin = begins[m->id == S_BEGIN_WRITE][c->galera && !c->synced];
		if (x_query_all(s, begin, FAULT_EXECUTE) == 0)
			break;
		unsigned e = mysql_errno(c->h);
		int code = failed(s, m, e, mysql_error(c->h), c->galera && !c->synced ? AT_SYNC_WAIT : AT_RUN);
		/* A connection that died while idle: BEGIN on a new one (or
		 * the server is away: 503). */
		if (classify(e) == E_LOST && attempt == 0 && code != DB_UNAVAILABLE) {
			if ((r = ensure_conn(s)) != DB_OK)
				return r;
			continue;
		}
		return code;
	}
	c->in_tx = m->id == S_BEGIN_READ ? TX_READ : TX_WRITE;
	c->synced = 1;
	return DB_DONE;
}

/* Galera: the causality wait of a request whose first statement runs
 * outside a transaction (a transaction's BEGIN carries its own). */
static int
causal_wait(struct store *s)
{
	struct my_conn *c = s->my;
	int r = ensure_conn(s);
	if (r != DB_OK)
		return r;
	if (!c->galera || c->synced) {
		c->synced = 1;
		return DB_OK;
	}
	static const char q[] = "SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1";
	if (x_query(s, q, -1) != 0)
		return failed(s, NULL, mysql_errno(c->h), mysql_error(c->h), AT_SYNC_WAIT);
	MYSQL_RES *res = mysql_store_result(c->h);
	if (res == NULL && mysql_errno(c->h) != 0)
		return failed(s, NULL, mysql_errno(c->h), mysql_error(c->h), AT_RESULT);
	mysql_free_result(res);
	c->synced = 1;
	return DB_OK;
}

/* Runs every part; the last one's rows or counts are the answer. */
static int
run(struct store *s, struct mystmt *m)
{
	struct my_conn *c = s->my;
	m->cur = c->in_tx == TX_WRITE && m->var[1].nparts > 0 ? &m->var[1] : &m->var[0];
	struct myvariant *v = m->cur;
	for (int attempt = 0;; attempt++) {
		int r = ensure_conn(s);
		if (r != DB_OK)
			return r;
		for (int k = 0; k < v->nparts; k++) {
			struct mypart *p = &v->parts[k];
			if ((r = prepare_part(s, m, k)) != DB_OK)
				break;
			bind_params(m, p);
			if (mysql_stmt_bind_param(p->h, p->bind) != 0) {
				r = failed(s, m, mysql_stmt_errno(p->h), mysql_stmt_error(p->h), AT_RUN);
				break;
			}
			if (x_execute(s, p->h) != 0) {
				r = failed(s, m, mysql_stmt_errno(p->h), mysql_stmt_error(p->h), AT_RUN);
				/* Closed, prepared again on next use: nothing of the
				 * failed run stays in libmariadb's statement.  (No
				 * result is pending after a refused execute.) */
				mysql_stmt_close(p->h);
				p->h = NULL;
				break;
			}
			int last = k == v->nparts - 1;
			if (mysql_stmt_field_count(p->h) > 0) {
				/* An earlier part's rows (a locking read) are read and
				 * dropped; the last part's are the answer. */
				/* DELETE ... RETURNING tells its columns only once
				 * it has run */
				if (last && m->ncols == 0 && (r = setup_cols(s, m, p->h)) != DB_OK)
					break;
				if (x_store_result(s, p->h) != 0 ||
				    (last && mysql_stmt_bind_result(p->h, m->rbind) != 0)) {
					r = failed(s, m, mysql_stmt_errno(p->h), mysql_stmt_error(p->h), AT_RESULT);
					break;
				}
				if (!tx_still_open(s)) {
					mysql_stmt_free_result(p->h);
					r = DB_DEADLOCK;
					break;
				}
				if (!last) {
					/* A locking read (MYLOCK) that found no row: the
					 * row is not there, and the read after it is not
					 * run (had a commit made it since, the insert that
					 * follows is refused as a lost race). */
					int none = v == &m->var[1] && mysql_stmt_num_rows(p->h) == 0;
					mysql_stmt_free_result(p->h);
					if (none) {
						m->state = ST_DONE;
						return DB_DONE;
					}
					continue;
				}
				m->state = ST_ROWS;
				return fetch_row(s, m);
			}
			if (!tx_still_open(s)) {
				r = DB_DEADLOCK;
				break;
			}
			if (!last)
				continue;
			c->changes = (long long)mysql_stmt_affected_rows(p->h);
			c->last_id = (long long)mysql_stmt_insert_id(p->h);
			m->state = ST_DONE;
			if ((m->flags & MY_MUST_MATCH) && c->changes == 0) {
				snprintf(s->errmsg, sizeof(s->errmsg),
				         "statement %d matched no row: a concurrent update", (int)m->id);
				return DB_DEADLOCK;
			}
			return DB_DONE;
		}
		/* A read outside a transaction whose idle connection died
		 * runs once more on a new one. */
		if (c->broken && attempt == 0 && c->in_tx == TX_NONE && v->is_read && r != DB_UNAVAILABLE)
			continue;
		return r;
	}
}

static int
is_error(int code)
{
	return code != DB_OK && code != DB_ROW && code != DB_DONE;
}

/* Every call of a statement comes here.  Inside a transaction, a failure
 * (other than a refused key, which InnoDB rolls back alone and the
 * handler answers) dooms it: the backend runs nothing more in it, and
 * store_commit rolls back, so that no statement ever runs in autocommit
 * after the server dropped the transaction, even when a caller lost the
 * error. */
static int
my_step(struct dbstmt *st)
{
	struct store *s = st->s;
	struct mystmt *m = MY(st);
	int in_tx = s->my->in_tx != TX_NONE;
	if (m->state == ST_DONE)
		return DB_DONE;
	if (s->request_ended) {
		/* a new request: on Galera, it waits for causality once */
		s->request_ended = 0;
		s->my->synced = 0;
	}
	if (!in_tx && !m->direct && m->state == ST_IDLE && !s->my->synced) {
		int r = causal_wait(s);
		if (r != DB_OK)
			return r;
	}
	if (in_tx && s->tx_doomed && m->id != S_ROLLBACK) {
		m->state = ST_DONE;
		return s->tx_doomed;
	}
	int r;
	if (m->state == ST_ROWS) {
		r = fetch_row(s, m);
	} else if (m->direct) {
		m->state = ST_DONE;
		r = run_direct(s, m);
	} else {
		r = run(s, m);
	}
	if (in_tx && is_error(r) && r != DB_CONSTRAINT && m->id != S_ROLLBACK && s->tx_doomed == 0)
		s->tx_doomed = r;
	return r;
}

/* The shortest text that reads back as the same float, as MariaDB's text
 * protocol shows a FLOAT (1.1, not 1.100000023841858). */
static void
float_text(char *out, size_t n, float f)
{
	for (int prec = 1; prec <= 9; prec++) {
		snprintf(out, n, "%.*g", prec, (double)f);
		if ((float)strtod(out, NULL) == f)
			return;
	}
}

static void
double_text(char *out, size_t n, double d)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

static const char *
my_col_text(struct dbstmt *st, int i)
{
	struct mystmt *m = MY(st);
	if (i < 0 || i >= m->ncols || m->cols[i].is_null)
		return NULL;
	struct mycol *c = &m->cols[i];
	if (c->kind == C_TEXT)
		return c->buf;
	if (c->num[0] == '\0') {
		if (c->kind == C_INT)
			snprintf(c->num, sizeof(c->num), "%lld", c->i);
		else if (c->kind == C_FLOAT)
			float_text(c->num, sizeof(c->num), c->f);
		else
			double_text(c->num, sizeof(c->num), c->d);
	}
	return c->num;
}

static long long
my_col_int(struct dbstmt *st, int i)
{
	struct mystmt *m = MY(st);
	if (i < 0 || i >= m->ncols || m->cols[i].is_null)
		return 0;
	struct mycol *c = &m->cols[i];
	switch (c->kind) {
	case C_INT: return c->i;
	case C_FLOAT: return (long long)c->f;
	case C_DOUBLE: return (long long)c->d;
	default: return strtoll(c->buf, NULL, 10);
	}
}

static double
my_col_double(struct dbstmt *st, int i)
{
	struct mystmt *m = MY(st);
	if (i < 0 || i >= m->ncols || m->cols[i].is_null)
		return 0;
	struct mycol *c = &m->cols[i];
	switch (c->kind) {
	case C_INT: return (double)c->i;
	case C_DOUBLE: return c->d;
	default: return strtod(my_col_text(st, i), NULL);
	}
}

static size_t
my_col_bytes(struct dbstmt *st, int i)
{
	struct mystmt *m = MY(st);
	if (i < 0 || i >= m->ncols || m->cols[i].is_null)
		return 0;
	if (m->cols[i].kind == C_TEXT)
		return m->cols[i].len;
	return strlen(my_col_text(st, i));
}

static int
my_col_is_null(struct dbstmt *st, int i)
{
	struct mystmt *m = MY(st);
	return i < 0 || i >= m->ncols || m->cols[i].is_null;
}

static void
my_reset(struct dbstmt *st)
{
	struct mystmt *m = MY(st);
	if (m->state == ST_ROWS)
		mysql_stmt_free_result(last_handle(m));
	m->state = ST_IDLE;
}

static void
my_rearm(struct dbstmt *st)
{
	my_reset(st);
	memset(MY(st)->vals, 0, sizeof(MY(st)->vals));
}

static long long my_changes(struct store *s) { return s->my->changes; }
static long long my_last_id(struct store *s) { return s->my->last_id; }

static void
my_close(struct store *s)
{
	if (s->my != NULL) {
		if (s->my->h != NULL)
			mysql_close(s->my->h);
		memset(s->my->password, 0, sizeof(s->my->password));
		free(s->my);
		s->my = NULL;
	}
}

static const struct db_ops my_ops = {
	.prepare = my_prepare,
	.finalize = my_finalize,
	.bind_int = my_bind_int,
	.bind_double = my_bind_double,
	.bind_null = my_bind_null,
	.bind_textn = my_bind_textn,
	.step = my_step,
	.col_int = my_col_int,
	.col_double = my_col_double,
	.col_text = my_col_text,
	.col_bytes = my_col_bytes,
	.col_is_null = my_col_is_null,
	.reset = my_reset,
	.rearm = my_rearm,
	.changes = my_changes,
	.last_id = my_last_id,
	.close = my_close,
};

/* Creates the database named in the configuration (its name quoted as an
 * identifier: it cannot be bound). */
static int
create_database(struct store *s, char *err, size_t errlen)
{
	struct my_conn *c = s->my;
	char db[sizeof(c->db)];
	snprintf(db, sizeof(db), "%s", c->db);
	c->db[0] = '\0';
	int r = my_connect(s, err, errlen);
	snprintf(c->db, sizeof(c->db), "%s", db);
	if (r != 0)
		return -1;
	char sql[2 * sizeof(db) + 96];
	size_t j = (size_t)snprintf(sql, sizeof(sql), "CREATE DATABASE IF NOT EXISTS `");
	for (const char *p = db; *p; p++) {
		if (*p == '`')
			sql[j++] = '`';
		sql[j++] = *p;
	}
	snprintf(sql + j, sizeof(sql) - j, "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
	if (mysql_real_query(c->h, sql, strlen(sql)) != 0 || mysql_select_db(c->h, db) != 0) {
		snprintf(err, errlen, "cannot create database %s: %s", db, mysql_error(c->h));
		return -1;
	}
	return 0;
}

struct store *
mysql_open_db(const struct config *cfg, int create_db, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	struct my_conn *c = calloc(1, sizeof(*c));
	if (s == NULL || c == NULL) {
		free(s);
		free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->kind = DB_MYSQL;
	s->change_log = -1;            /* the change counters, looked up by the first refresh */
	s->ops = &my_ops;
	s->my = c;
	snprintf(c->host, sizeof(c->host), "%s", cfg->db_host);
	snprintf(c->user, sizeof(c->user), "%s", cfg->db_user);
	snprintf(c->password, sizeof(c->password), "%s", cfg->db_password);
	snprintf(c->db, sizeof(c->db), "%s", cfg->db_name);
	snprintf(c->socket, sizeof(c->socket), "%s", cfg->db_socket);
	c->port = (unsigned)cfg->db_port;
	c->lock_wait_s = (cfg->db_busy_timeout_ms + 999) / 1000;
	if (c->lock_wait_s < 1)
		c->lock_wait_s = 1;
	c->read_timeout_s = cfg->db_read_timeout_s > 0 ? cfg->db_read_timeout_s : 60;
	c->write_timeout_s = cfg->db_write_timeout_s > 0 ? cfg->db_write_timeout_s : 60;
	c->timeout_ms = 1000 * (c->read_timeout_s < c->write_timeout_s ? c->read_timeout_s : c->write_timeout_s);
	int r = my_connect(s, err, errlen);
	if (r == -2 && create_db)
		r = create_database(s, err, errlen);
	if (r != 0) {
		my_close(s);
		free(s);
		return NULL;
	}
	return s;
}

struct store *
mysql_open(const struct config *cfg, char *err, size_t errlen)
{
	return mysql_open_db(cfg, 0, err, errlen);
}

/* The entry point of placement-mariadb.so (host/mariadb_plugin.c). */
struct store *placement_mariadb_open(const struct config *cfg, char *err, size_t errlen);
struct store *
placement_mariadb_open(const struct config *cfg, char *err, size_t errlen)
{
	return mysql_open_db(cfg, 0, err, errlen);
}

int
mysql_exec_sql(struct store *s, const char *sql)
{
	int r = ensure_conn(s);
	if (r != DB_OK)
		return r;
	if (mysql_real_query(s->my->h, sql, strlen(sql)) != 0)
		return failed(s, NULL, mysql_errno(s->my->h), mysql_error(s->my->h), AT_RUN);
	MYSQL_RES *res = mysql_store_result(s->my->h);
	if (res != NULL)
		mysql_free_result(res);
	return DB_DONE;
}

long long
mysql_query_int(struct store *s, const char *sql)
{
	if (ensure_conn(s) != DB_OK)
		return -1;
	if (mysql_real_query(s->my->h, sql, strlen(sql)) != 0) {
		failed(s, NULL, mysql_errno(s->my->h), mysql_error(s->my->h), AT_RUN);
		return -1;
	}
	MYSQL_RES *res = mysql_store_result(s->my->h);
	if (res == NULL)
		return -1;
	MYSQL_ROW row = mysql_fetch_row(res);
	long long v = row != NULL && row[0] != NULL ? strtoll(row[0], NULL, 10) : -1;
	mysql_free_result(res);
	return v;
}
