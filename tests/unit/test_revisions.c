/* The walk through upstream's schema revisions (sql/revisions.c), on a
 * backend that records what it is asked: every block ahead is checked
 * before anything changes, a block that holds changes nothing, the steps
 * run oldest first with their revision recorded after each, and an
 * unknown revision is refused. */
#include "harness.h"
#include "../../sql/revisions.h"
#include <stdio.h>
#include <string.h>

struct fake {
	long long roots, consumers;  /* rows the two blocks count; -1 an error */
	char log[512];               /* "count:R script stamp:X ..." in order */
};

static void
say(struct fake *f, const char *what)
{
	size_t n = strlen(f->log);
	snprintf(f->log + n, sizeof(f->log) - n, "%s%s", n ? " " : "", what);
}

static long long
fake_count(void *ctx, enum stmt_id id)
{
	struct fake *f = ctx;
	say(f, id == S_UPG_MISSING_ROOTS ? "count:roots" : "count:consumers");
	return id == S_UPG_MISSING_ROOTS ? f->roots : f->consumers;
}

static int
fake_script(void *ctx, const char *sql, const char *what)
{
	(void)sql;
	char w[80];
	snprintf(w, sizeof(w), "script(%s)", what + strlen("upgrading to "));
	say(ctx, w);
	return 0;
}

static int
fake_stamp(void *ctx, const char *rev)
{
	char w[80];
	snprintf(w, sizeof(w), "stamp:%s", rev);
	say(ctx, w);
	return 0;
}

static const struct rev_case {
	int line;
	const char *from;
	long long roots, consumers;
	int rc;
	const char *log;
	const char *err;  /* a piece of the message, rc -1 */
} cases[] = {
	{__LINE__, "a082b8bb98d0", 0, 0, 0, "", NULL},
	{__LINE__, "422ece571366", 0, 0, 1,
	 "script(a082b8bb98d0) stamp:a082b8bb98d0", NULL},
	{__LINE__, "b4ed3a175331", 0, 0, 4,
	 "count:roots count:consumers stamp:611cd6dffd7b stamp:b5c396305c25 "
	 "script(422ece571366) stamp:422ece571366 script(a082b8bb98d0) stamp:a082b8bb98d0", NULL},
	{__LINE__, "b4ed3a175331", 2, 0, -1, "count:roots", "missing its root provider id"},
	{__LINE__, "b4ed3a175331", 0, 3, -1, "count:roots count:consumers",
	 "missing a consumer record. Run the \"placement-manage db online_data_migrations\""},
	{__LINE__, "611cd6dffd7b", 5, 1, -1, "count:consumers", "missing a consumer record"},
	/* past both blocks: what they would count does not matter */
	{__LINE__, "b5c396305c25", 5, 5, 2,
	 "script(422ece571366) stamp:422ece571366 script(a082b8bb98d0) stamp:a082b8bb98d0", NULL},
	{__LINE__, "b4ed3a175331", -1, 0, -1, "count:roots", ""},
	{__LINE__, "ffffffffffff", 0, 0, -1, "", "'ffffffffffff' is not one"},
	{__LINE__, "", 0, 0, -1, "", "is not one"},
};

void
test_revisions(void)
{
	for (int i = 0; i < NROWS(cases); i++) {
		const struct rev_case *c = &cases[i];
		for (int mysql = 0; mysql < 2; mysql++) {
			struct fake f = {c->roots, c->consumers, ""};
			struct rev_backend b = {&f, mysql, fake_count, fake_script, fake_stamp};
			char err[512] = "x";
			int rc = rev_upgrade(&b, c->from, err, sizeof(err));
			CHECK_INT(c->line, "rev_upgrade", rc, c->rc);
			CHECK_STR(c->line, "what the backend was asked", f.log, c->log);
			if (c->err != NULL && c->err[0])
				CHECK_HAS(c->line, "message", err, c->err);
			else
				CHECK_STR(c->line, "message", err, "");
		}
	}
	CHECK_INT(__LINE__, "rev_index of the head", rev_index(SCHEMA_HEAD), 4);
	CHECK_INT(__LINE__, "rev_index of the first", rev_index("b4ed3a175331"), 0);
	CHECK_INT(__LINE__, "rev_index unknown", rev_index("b4ed3a17533"), -1);
}
