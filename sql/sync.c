/* placement-sync: creates the placement schema in a sqlite file or a
 * MariaDB/MySQL database (sync_mysql.c), or adopts one made by the
 * reference (upgrading it from its schema revision: revisions.c), and
 * loads the standard resource classes and traits.
 * Idempotent; writes nothing when it refuses. */
#include "../common/util/buf.h"
#include "../common/util/config.h"
#include "ops.h"
#include "../host/host.h"
#include "revisions.h"
#include "statements.h"
#include "std_data.h"
#include "store.h"
#include "sync.h"
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static const char usage[] =
"usage: placement-sync [--db PATH] [--config FILE] [--quiet]\n"
"       placement-sync --policy-defaults [--config FILE]\n"
"\n"
"Creates or upgrades the placement database and loads the standard\n"
"resource classes and traits.  The database is the sqlite file --db PATH,\n"
"or [placement_database] connection in the configuration (--config FILE,\n"
"else $PLACEMENT_CONFIG, else " HOST_DEFAULT_CONFIG "): sqlite:////absolute/path\n"
"or mysql+pymysql://user:password@host[:port]/dbname[?unix_socket=/path]\n"
"(a MariaDB/MySQL database that does not exist yet is created).\n"
"\n"
"Safe to run again: an up-to-date database is left unchanged.  A database\n"
"made by the reference placement service is adopted: one at any of\n"
"upstream's schema revisions is upgraded to " SCHEMA_HEAD " (upstream\n"
"15.0.0's), its rows kept (refused, unchanged, while rows need\n"
"placement-manage db online_data_migrations; a newer revision is refused);\n"
"a sqlite one gains the allocation totals\n"
"(one table and its triggers, recounted on every run) and the change log\n"
"(one table and its triggers: what each commit touched, for the\n"
"responders' caches).\n"
"A file that is not a placement database is refused and left untouched.\n"
"--policy-defaults prints the default policy rules the configuration\n"
"chooses ([oslo_policy] defaults: 8.0.0, the default, or 15.0.0) as a\n"
"sample policy file, every rule commented out, and touches no database.\n"
"Exit status: 0 on success, 1 on error, 2 on bad usage.\n";

static int quiet;

static void
say(const char *fmt, const char *arg)
{
	if (!quiet) {
		printf(fmt, arg);
		putchar('\n');
	}
}

/* Returns the single integer of a one-row query, or -1. */
static long long
query_int(sqlite3 *db, enum stmt_id id)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, stmt_sql[id], -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* struct rev_backend on a sqlite connection, inside placement-sync's
 * transaction (sqlite's DDL is transactional: a failed step leaves the
 * database as it was). */
static long long
rev_count(void *ctx, enum stmt_id id)
{
	return query_int(ctx, id);
}

static int
rev_script(void *ctx, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(ctx, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "placement-sync: %s failed: %s\n", what, msg ? msg : "");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Writes the version row: UPDATE when there is one (an upgrade), else
 * INSERT (a new schema). */
static int
rev_stamp(void *ctx, const char *rev)
{
	sqlite3_stmt *st;
	for (int i = 0; i < 2; i++) {
		enum stmt_id id = i == 0 ? S_SYNC_UPDATE_VERSION : S_SYNC_SET_VERSION;
		if (sqlite3_prepare_v2(ctx, stmt_sql[id], -1, &st, NULL) != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, rev, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			break;
		if (sqlite3_changes(ctx) == 1)
			return 0;
	}
	fprintf(stderr, "placement-sync: recording schema revision %s failed: %s\n", rev,
	        sqlite3_errmsg(ctx));
	return -1;
}

/* Inserts each line of list (one name per line) with the statement:
 * classes get id = line position, traits get the next free id. */
static int
load_names(sqlite3 *db, enum stmt_id id, const char *list, int with_id, const char *now)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, stmt_sql[id], -1, &st, NULL) != SQLITE_OK)
		return -1;
	int pos = 0, rc = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			int k = 1;
			if (with_id)
				sqlite3_bind_int(st, k++, pos);
			sqlite3_bind_text(st, k++, p, (int)n, SQLITE_STATIC);
			sqlite3_bind_text(st, k, now, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = -1;
			sqlite3_reset(st);
			pos++;
		}
		p += n;
		if (*p)
			p++;
		if (rc)
			break;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Checks that each standard class holds its reference id. */
static int
check_class_ids(sqlite3 *db, const char **bad)
{
	sqlite3_stmt *st;
	int pos = 0, rc = 0;
	static char name[256];
	if (sqlite3_prepare_v2(db, stmt_sql[S_SYNC_CLASS_AT], -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (const char *p = std_classes; *p && rc == 0;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			sqlite3_bind_int(st, 1, pos);
			if (sqlite3_step(st) == SQLITE_ROW) {
				const char *got = (const char *)sqlite3_column_text(st, 0);
				if (got == NULL || strlen(got) != n || strncmp(got, p, n) != 0) {
					snprintf(name, sizeof(name), "%.*s", (int)(n < 200 ? n : 200), p);
					*bad = name;
					rc = -1;
				}
			}
			sqlite3_reset(st);
			pos++;
		}
		p += n;
		if (*p)
			p++;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Makes path (0640) when it does not exist (*created); 0, or 1 after
 * saying why not. */
static int
create_file(const char *path, int *created)
{
	struct stat sb;
	*created = 0;
	if (stat(path, &sb) == 0) {
		if (S_ISREG(sb.st_mode))
			return 0;
		fprintf(stderr, "placement-sync: %s is not a regular file\n", path);
		return 1;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "placement-sync: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* Readable by owner and group only, before sqlite touches it. */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0640);
	if (fd < 0) {
		fprintf(stderr, "placement-sync: cannot create %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	*created = 1;
	return 0;
}

/* The schema: created in an empty database (tables == 0), else brought
 * from its revision to SCHEMA_HEAD; 0, or -1 after saying why not. */
static int
upgrade_schema(sqlite3 *db, const char *path, long long tables)
{
	if (tables == 0) {
		char *msg = NULL;
		if (sqlite3_exec(db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "placement-sync: creating the schema failed: %s\n", msg ? msg : "");
			sqlite3_free(msg);
			return -1;
		}
		if (rev_stamp(db, SCHEMA_HEAD) < 0)
			return -1;
		say("placement-sync: created the schema in %s", path);
		return 0;
	}
	if (query_int(db, S_SYNC_HAS_VERSION_TABLE) != 1) {
		fprintf(stderr, "placement-sync: %s holds tables but is not a placement database; left untouched\n", path);
		return -1;
	}
	sqlite3_stmt *st;
	char version[64] = "";
	if (sqlite3_prepare_v2(db, stmt_sql[S_SYNC_GET_VERSION], -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(version, sizeof(version), "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	struct rev_backend b = {db, 0, rev_count, rev_script, rev_stamp};
	char why[512];
	if (rev_index(version) < 0) {
		fprintf(stderr, "placement-sync: %s has schema revision '%s', not one this "
		        "placement-sync knows (up to " SCHEMA_HEAD "); left untouched\n", path, version);
		return -1;
	}
	int steps = rev_upgrade(&b, version, why, sizeof(why));
	if (steps < 0) {
		if (why[0])
			fprintf(stderr, "placement-sync: %s: %s\n", path, why);
		fprintf(stderr, "placement-sync: %s left untouched at schema revision %s\n", path, version);
		return -1;
	}
	if (steps > 0 && !quiet)
		printf("placement-sync: %s upgraded from schema revision %s to " SCHEMA_HEAD "\n",
		       path, version);
	return 0;
}

/* Runs one of our schema scripts; 0, or -1 after saying what failed. */
static int
run_script(sqlite3 *db, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(stderr, "placement-sync: %s failed: %s\n", what, msg ? msg : "");
	sqlite3_free(msg);
	return -1;
}

/* The standard classes and traits, our allocation totals and change log;
 * 0, or -1 after saying why not. */
static int
load_ours(sqlite3 *db, const char *path)
{
	const char *bad = NULL;
	char now[64];
	if (check_class_ids(db, &bad) < 0) {
		fprintf(stderr, "placement-sync: %s: standard resource class %s has an unexpected id; left untouched\n",
		        path, bad ? bad : "?");
		return -1;
	}
	store_now(now);
	if (load_names(db, S_SYNC_ADD_CLASS, std_classes, 1, now) < 0 ||
	    load_names(db, S_SYNC_ADD_TRAIT, std_traits, 0, now) < 0) {
		fprintf(stderr, "placement-sync: loading standard classes and traits failed: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	if (run_script(db, schema_totals_sql, "making the allocation totals") < 0 ||
	    run_script(db, schema_changes_sql, "making the change log") < 0)
		return -1;
	return 0;
}

/* Creates or upgrades the sqlite database at path in one transaction;
 * a database it did not make, or cannot bring up to date, is left as it
 * was (a file it made is removed again).  0, or 1. */
static int
sync_db(const char *path)
{
	int created;
	if (create_file(path, &created) != 0)
		return 1;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "placement-sync: cannot open %s: %s\n", path,
		        db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		if (created)
			unlink(path);
		return 1;
	}
	sqlite3_busy_timeout(db, 30000);
	int status = 1;
	long long tables = query_int(db, S_SYNC_COUNT_TABLES);
	if (tables < 0) {
		fprintf(stderr, "placement-sync: %s is not a sqlite database (%s); left untouched\n",
		        path, sqlite3_errmsg(db));
	} else if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "placement-sync: cannot lock %s: %s\n", path, sqlite3_errmsg(db));
	} else if (upgrade_schema(db, path, tables) < 0 || load_ours(db, path) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	} else if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "placement-sync: commit failed: %s\n", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		/* WAL lets readers and the writer work at once; the mode persists. */
		sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		say("placement-sync: %s is up to date", path);
		status = 0;
	}
	sqlite3_close(db);
	if (status != 0 && created)
		unlink(path);
	return status;
}

/* --policy-defaults: the configuration's default policy as a sample
 * file.  Without --config a missing configuration means the defaults. */
static int
print_policy_defaults(const char *config)
{
	struct config cfg;
	char err[1024];
	if (config != NULL)
		setenv("PLACEMENT_CONFIG", config, 1);
	if (host_load_config(&cfg, environ, err, sizeof(err)) < 0) {
		if (config != NULL) {
			fprintf(stderr, "placement-sync: %s\n", err);
			return 1;
		}
		config_defaults(&cfg);
	}
	struct buf out = {0};
	host_policy_sample(&cfg, &out);
	int bad = out.oom || fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0;
	buf_free(&out);
	return bad ? 1 : 0;
}

/* Creates or upgrades the configuration's database. */
static int
sync_config(const struct config *cfg)
{
	if (cfg->db_kind == CONF_DB_MYSQL)
		return sync_mysql(cfg, quiet);
	if (cfg->db_path[0] == '\0') {
		fprintf(stderr, "placement-sync: no database: give --db PATH or set [placement_database] connection\n");
		return 1;
	}
	return sync_db(cfg->db_path);
}

int
main(int argc, char **argv)
{
	/* the same program under upstream's names */
	const char *me = strrchr(argv[0], '/');
	me = me ? me + 1 : argv[0];
	if (!strcmp(me, "placement-manage"))
		return manage_main(argc, argv, sync_config);
	if (!strcmp(me, "placement-status"))
		return status_main(argc, argv);

	const char *db_path = NULL, *config = NULL;
	int sample = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			db_path = argv[++i];
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--policy-defaults")) {
			sample = 1;
		} else {
			fprintf(stderr, "placement-sync: unknown argument '%s'\n%s", argv[i], usage);
			return 2;
		}
	}
	if (sample)
		return print_policy_defaults(config);
	if (db_path == NULL) {
		struct config cfg;
		char err[1024];
		if (config != NULL)
			setenv("PLACEMENT_CONFIG", config, 1);
		if (host_load_config(&cfg, environ, err, sizeof(err)) < 0) {
			fprintf(stderr, "placement-sync: %s\n", err);
			return 1;
		}
		if (cfg.ignored[0] && !quiet)
			fprintf(stderr, "placement-sync: options of upstream Placement that do nothing "
			        "here, ignored: %s\n", cfg.ignored);
		return sync_config(&cfg);
	}
	return sync_db(db_path);
}
