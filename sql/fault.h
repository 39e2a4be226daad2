/* Deterministic fault injection, for the test build only.
 *
 * Built with PLACEMENT_FAULTS (the sanitizer build that `make check`
 * runs; never the release binaries), a request that carries the header
 *
 *     X-Placement-Fault: STAGE:N:ERROR[:fresh]
 *
 * makes the N-th database call at STAGE of that request fail with ERROR,
 * as the database would have failed it (the backend also does to the
 * connection what the real failure does: a deadlock rolls the
 * transaction back on the server, a lost connection is really cut, a
 * failed result read leaves libmariadb's statement in the state a real
 * one leaves it).  The calls are counted over the whole request, retries
 * included, and the fault fires once.  "fresh" first forgets every
 * prepared statement, so that prepares happen (and can fail) again.
 * STAGE "none" only counts.  The answer carries
 *
 *     X-Placement-Fault: prepare=P execute=E store_result=S fetch=F commit=C fired=0|1
 *
 * STAGE: prepare, execute, store_result, fetch, commit.
 * ERROR: MariaDB deadlock (1213), lock_wait (1205), lost (2013),
 * not_ready (1047); sqlite busy, full, ioerr.
 *
 * In release builds fault_hit() is the constant 0 and none of this is
 * compiled. */
#ifndef PLACEMENT_FAULT_H
#define PLACEMENT_FAULT_H

enum fault_stage {
	FAULT_PREPARE,
	FAULT_EXECUTE,        /* a statement's first step (BEGIN too) */
	FAULT_STORE,          /* reading a statement's result (MariaDB) */
	FAULT_FETCH,          /* each further row */
	FAULT_COMMIT,
	FAULT_STAGES
};

/* The errors, by name; each backend injects those it knows. */
enum fault_error {
	FE_NONE,
	FE_DEADLOCK,          /* MariaDB 1213: the transaction is rolled back */
	FE_LOCK_WAIT,         /* MariaDB 1205: the statement is rolled back */
	FE_LOST,              /* MariaDB 2013: the connection is gone */
	FE_NOT_READY,         /* MariaDB 1047: a Galera node not in the primary component */
	FE_BUSY,              /* SQLITE_BUSY */
	FE_FULL,              /* SQLITE_FULL: sqlite may roll the transaction back */
	FE_IOERR,             /* SQLITE_IOERR: likewise */
};

/* One request's plan and counts (kept in struct store). */
struct fault_plan {
	int stage;            /* enum fault_stage, or -1: count only */
	int n;                /* fire at this call of stage (from 1) */
	int err;              /* enum fault_error */
	int fired;
	int calls[FAULT_STAGES];
};

#include <stddef.h>

struct store;

#ifdef PLACEMENT_FAULTS
/* Parses spec (the header's value; NULL: count only) into the store's
 * plan and resets the counts; with "fresh", finalizes every prepared
 * statement.  0, or -1 for a spec it cannot read (then counts only). */
int fault_arm(struct store *s, const char *spec);
/* Counts a call at stage; the error to inject now, or FE_NONE. */
int fault_hit(struct store *s, enum fault_stage stage);
/* The header value that reports the counts, written into out[n]. */
const char *fault_report(struct store *s, char *out, size_t n);
/* Parses spec into *p (unit tests); 0 or -1. */
int fault_parse(const char *spec, struct fault_plan *p, int *fresh);
#else
#define fault_hit(s, stage) ((void)(s), FE_NONE)
#endif
#endif
