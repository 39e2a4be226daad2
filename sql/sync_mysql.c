/* placement-sync on MariaDB/MySQL: creates the reference's schema in an
 * empty database (creating the database itself if it does not exist),
 * adopts one that the reference made (upgrading it from its schema
 * revision: revisions.c), and loads the standard resource
 * classes (id = position) and traits.  Idempotent; a database holding
 * other tables is refused and left untouched. */
#include "../common/util/config.h"
#include "db.h"
#include "mysql_db.h"
#include "revisions.h"
#include "std_data.h"
#include "sync.h"
#include <stdio.h>
#include <string.h>

/* Tables of the placement schema (sql/schema-mysql.sql). */
#define OUR_TABLES "'alembic_version','allocations','consumer_types','consumers'," \
	"'inventories','placement_aggregates','projects','resource_classes'," \
	"'resource_provider_aggregates','resource_providers','traits'," \
	"'resource_provider_traits','users','placement_provider_changes'"

/* The change counters' triggers (sql/schema-mysql-changes.sql), by the
 * part of their name after the prefix: placement_counter_ now,
 * placement_changes_ in the first layout. */
#define COUNTER_TRIGGERS(P) \
	"DROP TRIGGER IF EXISTS " P "inv_insert;" "DROP TRIGGER IF EXISTS " P "inv_update;" \
	"DROP TRIGGER IF EXISTS " P "inv_delete;" "DROP TRIGGER IF EXISTS " P "alloc_insert;" \
	"DROP TRIGGER IF EXISTS " P "alloc_update;" "DROP TRIGGER IF EXISTS " P "alloc_delete;" \
	"DROP TRIGGER IF EXISTS " P "trait_insert;" "DROP TRIGGER IF EXISTS " P "trait_delete;" \
	"DROP TRIGGER IF EXISTS " P "agg_insert;" "DROP TRIGGER IF EXISTS " P "agg_delete;" \
	"DROP TRIGGER IF EXISTS " P "rp_update;" "DROP TRIGGER IF EXISTS " P "rp_insert;" \
	"DROP TRIGGER IF EXISTS " P "rp_delete;"

/* Drops every change counter trigger, of either layout. */
static const char mysql_drop_changes_sql[] =
	COUNTER_TRIGGERS("placement_counter_") COUNTER_TRIGGERS("placement_changes_");

/* Runs a script's statements one by one (DDL commits by itself). */
static int
run_script(struct store *s, const char *script, const char *what)
{
	char stmt[4096];
	for (const char *p = script; *p;) {
		size_t n = mysql_statement_len(p);
		size_t k = 0;
		while (k < n && (p[k] == ' ' || p[k] == '\n' || p[k] == '\t'))
			k++;
		if (k < n) {
			if (n >= sizeof(stmt)) {
				fprintf(stderr, "placement-sync: schema statement too long\n");
				return -1;
			}
			memcpy(stmt, p, n);
			stmt[n] = '\0';
			if (mysql_exec_sql(s, stmt) != DB_DONE) {
				fprintf(stderr, "placement-sync: %s failed: %s\n", what, store_errmsg(s));
				return -1;
			}
		}
		p += n;
		if (*p == ';')
			p++;
	}
	return 0;
}

/* Inserts each line of list with the statement: classes get id = line
 * position, traits the next free id. */
static int
load_names(struct store *s, enum stmt_id id, const char *list, int with_id, const char *now)
{
	int pos = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			struct dbstmt *st = st_prep(s, id);
			if (st == NULL)
				return -1;
			int k = 1;
			if (with_id)
				db_bind_int(st, k++, pos);
			db_bind_textn(st, k++, p, (int)n);
			db_bind_textn(st, k, now, -1);
			if (st_exec(s, st) != ST_OK)
				return -1;
			pos++;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Checks that each standard class present holds its reference id. */
static int
check_class_ids(struct store *s, char *bad, size_t badlen)
{
	int pos = 0;
	for (const char *p = std_classes; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			struct dbstmt *st = st_prep(s, S_SYNC_CLASS_AT);
			if (st == NULL)
				return -1;
			db_bind_int(st, 1, pos);
			int rc = db_step(st);
			if (rc == DB_ROW) {
				const char *got = db_col_text(st, 0);
				if (got == NULL || db_col_bytes(st, 0) != n || strncmp(got, p, n) != 0) {
					snprintf(bad, badlen, "%.*s", (int)(n < 200 ? n : 200), p);
					db_reset(st);
					return -1;
				}
			} else if (rc != DB_DONE) {
				db_reset(st);
				snprintf(bad, badlen, "? (%s)", store_errmsg(s));
				return -1;
			}
			db_reset(st);
			pos++;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* The version row, or "" when there is none. */
static int
get_version(struct store *s, char *out, size_t outlen)
{
	out[0] = '\0';
	struct dbstmt *st = st_prep(s, S_SYNC_GET_VERSION);
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW && db_col_text(st, 0) != NULL)
		snprintf(out, outlen, "%s", db_col_text(st, 0));
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* struct rev_backend on a MariaDB/MySQL connection.  DDL commits by
 * itself here: each step's script may run again (IF [NOT] EXISTS), and
 * the revision is recorded after it. */
static long long
rev_count(void *ctx, enum stmt_id id)
{
	long long v;
	return st_one_int(ctx, st_prep(ctx, id), &v) == ST_OK ? v : -1;
}

static int
rev_script(void *ctx, const char *sql, const char *what)
{
	return run_script(ctx, sql, what);
}

/* Writes the version row: UPDATE when there is one, else INSERT. */
static int
rev_stamp(void *ctx, const char *rev)
{
	struct store *s = ctx;
	for (int i = 0; i < 2; i++) {
		struct dbstmt *st = st_prep(s, i == 0 ? S_SYNC_UPDATE_VERSION : S_SYNC_SET_VERSION);
		if (st == NULL)
			break;
		db_bind_textn(st, 1, rev, -1);
		if (st_exec(s, st) != ST_OK)
			break;
		if (db_changes(s) == 1)
			return 0;
	}
	fprintf(stderr, "placement-sync: recording schema revision %s failed: %s\n", rev,
	        store_errmsg(s));
	return -1;
}

/* The schema: created in an empty database, else brought from its
 * revision to SCHEMA_HEAD; 0, or -1 after saying why not. */
static int
upgrade_schema(struct store *s, const char *where, int quiet)
{
	char version[64];
	long long foreign = mysql_query_int(s, "SELECT COUNT(*) FROM information_schema.tables "
	                                       "WHERE table_schema = DATABASE() AND table_name NOT IN ("
	                                       OUR_TABLES ")");
	long long has_version = mysql_query_int(s, "SELECT COUNT(*) FROM information_schema.tables "
	                                           "WHERE table_schema = DATABASE() "
	                                           "AND table_name = 'alembic_version'");
	version[0] = '\0';
	if (foreign < 0 || has_version < 0) {
		fprintf(stderr, "placement-sync: cannot read %s: %s\n", where, store_errmsg(s));
		return -1;
	}
	if (has_version == 1 && get_version(s, version, sizeof(version)) < 0) {
		fprintf(stderr, "placement-sync: cannot read the schema version of %s: %s\n", where, store_errmsg(s));
		return -1;
	}
	if (version[0] == '\0') {
		/* Empty, or only our own tables from a run that stopped
		 * before the version row (written last): create what is
		 * missing.  Anything else is not ours to touch. */
		if (foreign > 0) {
			fprintf(stderr, "placement-sync: %s holds tables but is not a placement database; left untouched\n", where);
			return -1;
		}
		if (run_script(s, schema_mysql_sql, "creating the schema") < 0)
			return -1;
		if (rev_stamp(s, SCHEMA_HEAD) < 0)
			return -1;
		if (!quiet)
			printf("placement-sync: created the schema in %s\n", where);
	} else if (rev_index(version) < 0) {
		fprintf(stderr, "placement-sync: %s has schema revision '%s', not one this "
		        "placement-sync knows (up to " SCHEMA_HEAD "); left untouched\n", where, version);
		return -1;
	} else {
		struct rev_backend b = {s, 1, rev_count, rev_script, rev_stamp};
		char why[512];
		int steps = rev_upgrade(&b, version, why, sizeof(why));
		if (steps < 0) {
			if (why[0])
				fprintf(stderr, "placement-sync: %s: %s\n", where, why);
			fprintf(stderr, "placement-sync: %s left at schema revision %s\n", where, version);
			return -1;
		}
		if (steps > 0 && !quiet)
			printf("placement-sync: %s upgraded from schema revision %s to " SCHEMA_HEAD "\n",
			       where, version);
	}
	return 0;
}

/* The standard classes and traits, in one transaction; 0, or -1 after
 * saying why not. */
static int
load_ours(struct store *s, const char *where)
{
	char now[64];
	if (store_begin(s, 1) != ST_OK) {
		fprintf(stderr, "placement-sync: cannot start a transaction: %s\n", store_errmsg(s));
		return -1;
	}
	char bad[256] = "";
	if (check_class_ids(s, bad, sizeof(bad)) < 0) {
		fprintf(stderr, "placement-sync: %s: standard resource class %s has an unexpected id; left untouched\n",
		        where, bad[0] ? bad : "?");
		store_rollback(s);
		return -1;
	}
	store_now(now);
	if (load_names(s, S_SYNC_ADD_CLASS, std_classes, 1, now) < 0 ||
	    load_names(s, S_SYNC_ADD_TRAIT, std_traits, 0, now) < 0) {
		fprintf(stderr, "placement-sync: loading standard classes and traits failed: %s\n", store_errmsg(s));
		store_rollback(s);
		return -1;
	}
	if (store_commit(s) != ST_OK) {
		fprintf(stderr, "placement-sync: commit failed: %s\n", store_errmsg(s));
		return -1;
	}
	return 0;
}

/* The change counters: without them the responders keep no
 * allocation-candidates cache here (they check for every trigger),
 * which is slower but right; so a user who may not make triggers gets a
 * warning, not a failure.  Made once: replacing triggers is DDL, run by
 * every node of a cluster at once.  Not on Galera at all: there (MariaDB
 * 10.11, tests/galera) triggers failed now and then under load with "has
 * an error in its body", a 500 for the write that fired them; the
 * responders keep no allocation-candidates cache on Galera, and the
 * triggers an earlier placement-sync made are dropped. */
static void
change_counters(struct store *s, const char *where, int quiet)
{
	long long galera = mysql_query_int(s, "SELECT @@wsrep_on");
	long long have = mysql_query_int(s, "SELECT COUNT(*) FROM information_schema.triggers "
	                                    "WHERE trigger_schema = DATABASE() "
	                                    "AND trigger_name LIKE 'placement\\_counter\\_%'");
	long long old = mysql_query_int(s, "SELECT COUNT(*) FROM information_schema.triggers "
	                                   "WHERE trigger_schema = DATABASE() "
	                                   "AND trigger_name LIKE 'placement\\_changes\\_%'");
	long long table = mysql_query_int(s, "SELECT COUNT(*) FROM information_schema.columns "
	                                     "WHERE table_schema = DATABASE() "
	                                     "AND table_name = 'placement_provider_changes' "
	                                     "AND column_name = 'usage_changes'");
	if (galera == 1) {
		if (have > 0 || old > 0)
			run_script(s, mysql_drop_changes_sql, "dropping the change counters' triggers");
		if (!quiet)
			printf("placement-sync: %s is a Galera node: no change counters (the responders keep "
			       "no allocation-candidates cache on Galera)\n", where);
	} else if (have == 13 && old == 0 && table == 1)
		mysql_exec_sql(s, "INSERT IGNORE INTO placement_provider_changes (resource_provider_id, changes) "
		                  "VALUES (0, 0)");
	else if (run_script(s, schema_mysql_changes_sql, "making the change counters") < 0)
		fprintf(stderr, "placement-sync: warning: without the change counters and their triggers "
		        "the responders keep no allocation-candidates cache on %s (grant TRIGGER, and with "
		        "binary logging SUPER or log_bin_trust_function_creators, then run placement-sync "
		        "again)\n", where);
}

int
sync_mysql(const struct config *cfg, int quiet)
{
	char err[1024], where[4500];
	snprintf(where, sizeof(where), "database '%s' on %s", cfg->db_name,
	         cfg->db_socket[0] ? cfg->db_socket : cfg->db_host[0] ? cfg->db_host : "localhost");
	struct store *s = mysql_open_db(cfg, 1, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "placement-sync: %s\n", err);
		return 1;
	}
	int status = 1;
	if (upgrade_schema(s, where, quiet) == 0 && load_ours(s, where) == 0) {
		change_counters(s, where, quiet);
		if (!quiet)
			printf("placement-sync: %s is up to date\n", where);
		status = 0;
	}
	store_close(s);
	return status;
}
