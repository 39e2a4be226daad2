/* Upstream's schema revisions (alembic), oldest first, and the one walk
 * that brings a database at any of them to the head; placement-sync runs
 * it on sqlite (sync.c) and MariaDB/MySQL (sync_mysql.c) through the
 * three calls of struct rev_backend. */
#ifndef PLACEMENT_REVISIONS_H
#define PLACEMENT_REVISIONS_H
#include "statements.h"
#include <stddef.h>

/* The revision placement-sync makes and upgrades to (upstream 15.0.0's). */
#define SCHEMA_HEAD "a082b8bb98d0"

struct rev_backend {
	void *ctx;
	int mysql;  /* which script of a step runs: MariaDB's, else sqlite's */
	/* The one integer statement id answers, or -1 on an error. */
	long long (*count)(void *ctx, enum stmt_id id);
	/* Runs a script of statements; 0, or -1 after a message. */
	int (*script)(void *ctx, const char *sql, const char *what);
	/* Records rev as the database's revision; 0, or -1 after a message. */
	int (*stamp)(void *ctx, const char *rev);
};

/* Position of rev in the history, or -1 for a revision not known here
 * (newer than the head, or not upstream's). */
int rev_index(const char *rev);

/* Brings a database at revision from (known: rev_index >= 0) to the head.
 * First every block of the revisions ahead (rows that need the online
 * data migrations) is checked, and nothing is changed while one holds:
 * -1 with upstream's message in err.  Then each step runs and its
 * revision is recorded, so that a run that stopped half way (MariaDB's
 * DDL commits by itself) is finished by the next.  Returns the number of
 * steps run (0 at the head), or -1 (err says why, or the backend printed
 * it and err is ""). */
int rev_upgrade(const struct rev_backend *b, const char *from, char *err, size_t n);
#endif
