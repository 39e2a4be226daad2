/* A tiny test harness: every check counts as one test; a failing check
 * prints where (the table row's line) and what differed.  test_main.c
 * runs every area and prints "N passed, M failed". */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H
#include <stddef.h>

extern int t_passed, t_failed;

/* Passes when ok; else prints "file:line: what" (printf-formatted). */
int t_check(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Compares strings (either may be NULL); prints both, escaped, on failure. */
int t_str(const char *file, int line, const char *what, const char *got, const char *want);
/* Compares integers. */
int t_int(const char *file, int line, const char *what, long long got, long long want);
/* Passes when hay contains needle. */
int t_has(const char *file, int line, const char *what, const char *hay, const char *needle);

#define CHECK(line, ok, ...) t_check((ok), __FILE__, (line), __VA_ARGS__)
#define CHECK_STR(line, what, got, want) t_str(__FILE__, (line), (what), (got), (want))
#define CHECK_INT(line, what, got, want) t_int(__FILE__, (line), (what), (got), (want))
#define CHECK_HAS(line, what, hay, needle) t_has(__FILE__, (line), (what), (hay), (needle))

/* Each table row records its own line, so a failure names the row. */
#define NROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* The areas, one file each. */
void test_microversion(void);
void test_query(void);
void test_uuid(void);
void test_config(void);
void test_buf(void);
void test_arena(void);
void test_jschema(void);
void test_app(void);
void test_ac_engine(void);
void test_store(void);
void test_dburl(void);
void test_ac_cache(void);
void test_html(void);
void test_fault(void);
void test_revisions(void);
void test_pytext(void);
void test_filters(void);
#endif
