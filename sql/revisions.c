/* Upstream's schema history as data: each revision with the rows that
 * must be gone before it (a "block" revision refuses while the online
 * data migrations have work left, with upstream's message) and the
 * scripts that make it from the one before, per backend.  The first
 * revision is never run: placement-sync makes the head directly on an
 * empty database. */
#include "revisions.h"
#include "std_data.h"
#include <stdio.h>
#include <string.h>

struct revision {
	const char *id;
	enum stmt_id block;       /* counts the rows that forbid this step */
	const char *block_text;   /* NULL: no block */
	const char *sqlite_sql;   /* NULL: no schema change */
	const char *mysql_sql;
};

static const struct revision history[] = {
	{"b4ed3a175331", 0, NULL, NULL, NULL},  /* the initial schema */
	{"611cd6dffd7b", S_UPG_MISSING_ROOTS,
	 "There is at least one resource provider table record which is missing its root "
	 "provider id. Run the \"placement-manage db online_data_migrations\" command.",
	 NULL, NULL},
	{"b5c396305c25", S_UPG_MISSING_CONSUMERS,
	 "There is at least one allocation record which is missing a consumer record. Run "
	 "the \"placement-manage db online_data_migrations\" command.",
	 NULL, NULL},
	{"422ece571366", 0, NULL, upgrade_422ece571366_sql, upgrade_422ece571366_mysql_sql},
	{SCHEMA_HEAD, 0, NULL, upgrade_a082b8bb98d0_sql, upgrade_a082b8bb98d0_mysql_sql},
};
enum { N_REVISIONS = sizeof(history) / sizeof(history[0]) };

int
rev_index(const char *rev)
{
	for (int i = 0; i < N_REVISIONS; i++)
		if (!strcmp(history[i].id, rev))
			return i;
	return -1;
}

int
rev_upgrade(const struct rev_backend *b, const char *from, char *err, size_t n)
{
	err[0] = '\0';
	int at = rev_index(from);
	if (at < 0) {
		snprintf(err, n, "schema revision '%s' is not one this program knows", from);
		return -1;
	}
	for (int i = at + 1; i < N_REVISIONS; i++) {
		if (history[i].block_text == NULL)
			continue;
		long long rows = b->count(b->ctx, history[i].block);
		if (rows < 0)
			return -1;
		if (rows > 0) {
			snprintf(err, n, "%s", history[i].block_text);
			return -1;
		}
	}
	for (int i = at + 1; i < N_REVISIONS; i++) {
		const char *sql = b->mysql ? history[i].mysql_sql : history[i].sqlite_sql;
		char what[64];
		snprintf(what, sizeof(what), "upgrading to %s", history[i].id);
		if ((sql != NULL && b->script(b->ctx, sql, what) < 0) ||
		    b->stamp(b->ctx, history[i].id) < 0)
			return -1;
	}
	return N_REVISIONS - 1 - at;
}
