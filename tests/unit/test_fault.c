/* The test build's fault plans (sql/fault.h): the X-Placement-Fault
 * header's grammar, and counting that fires once, at the N-th call of
 * the chosen stage only. */
#include "harness.h"
#include "../../sql/db.h"
#include <string.h>

static const struct {
	int line;
	const char *spec;
	int rc, stage, n, err, fresh;
} cases[] = {
	{__LINE__, NULL, 0, -1, 0, FE_NONE, 0},
	{__LINE__, "none", 0, -1, 0, FE_NONE, 0},
	{__LINE__, "execute:3:deadlock", 0, FAULT_EXECUTE, 3, FE_DEADLOCK, 0},
	{__LINE__, "prepare:1:not_ready:fresh", 0, FAULT_PREPARE, 1, FE_NOT_READY, 1},
	{__LINE__, "store_result:12:lost", 0, FAULT_STORE, 12, FE_LOST, 0},
	{__LINE__, "fetch:2:lock_wait", 0, FAULT_FETCH, 2, FE_LOCK_WAIT, 0},
	{__LINE__, "commit:1:full", 0, FAULT_COMMIT, 1, FE_FULL, 0},
	{__LINE__, "execute:1:ioerr", 0, FAULT_EXECUTE, 1, FE_IOERR, 0},
	{__LINE__, "execute:1:busy", 0, FAULT_EXECUTE, 1, FE_BUSY, 0},
	{__LINE__, "execute:0:busy", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "execute:x:busy", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "execute:1:boom", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "begin:1:busy", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "execute:1:busy:stale", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "execute::busy", -1, -1, 0, FE_NONE, 0},
	{__LINE__, "", -1, -1, 0, FE_NONE, 0},
};

void
test_fault(void)
{
	for (int i = 0; i < NROWS(cases); i++) {
		struct fault_plan p;
		int fresh = -1;
		int rc = fault_parse(cases[i].spec, &p, &fresh);
		CHECK_INT(cases[i].line, "rc", rc, cases[i].rc);
		CHECK_INT(cases[i].line, "stage", p.stage, cases[i].stage);
		if (rc == 0) {
			CHECK_INT(cases[i].line, "n", p.n, cases[i].n);
			CHECK_INT(cases[i].line, "err", p.err, cases[i].err);
			CHECK_INT(cases[i].line, "fresh", fresh, cases[i].fresh);
		}
	}
	/* Fires once, at the third execute, whatever the other stages do. */
	struct store s;
	memset(&s, 0, sizeof(s));
	CHECK_INT(__LINE__, "arm", fault_arm(&s, "execute:3:deadlock"), 0);
	int fired_at = 0;
	for (int call = 1; call <= 6; call++) {
		CHECK_INT(__LINE__, "fetch never fires", fault_hit(&s, FAULT_FETCH), FE_NONE);
		if (fault_hit(&s, FAULT_EXECUTE) == FE_DEADLOCK) {
			CHECK_INT(__LINE__, "fires once", fired_at, 0);
			fired_at = call;
		}
	}
	CHECK_INT(__LINE__, "fired at", fired_at, 3);
	CHECK_INT(__LINE__, "execute count", s.fault.calls[FAULT_EXECUTE], 6);
	CHECK_INT(__LINE__, "fetch count", s.fault.calls[FAULT_FETCH], 6);
	/* Re-arming resets the counts and the plan. */
	CHECK_INT(__LINE__, "rearm", fault_arm(&s, NULL), 0);
	CHECK_INT(__LINE__, "reset", s.fault.calls[FAULT_EXECUTE], 0);
	CHECK_INT(__LINE__, "count only", fault_hit(&s, FAULT_EXECUTE), FE_NONE);
}
