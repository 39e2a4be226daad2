/* Backend-neutral store helpers: the timestamp reader behind
 * Last-Modified (stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" UTC). */
#include "harness.h"
#include "../../sql/store.h"

static const struct time_case {
	int line;
	const char *in;
	long long want;   /* seconds since the epoch; 0 = refused */
} time_cases[] = {
	{__LINE__, "1970-01-01 00:00:00", 0},
	{__LINE__, "1970-01-01 00:00:01", 1},
	{__LINE__, "2026-11-26 07:00:00", 1795676400LL},
	{__LINE__, "2026-11-26 07:00:00.123456", 1795676400LL},
	{__LINE__, "2026-11-26T07:00:00", 1795676400LL},
	{__LINE__, "2000-02-29 23:59:59", 951868799LL},
	{__LINE__, "", 0},
	{__LINE__, NULL, 0},
	{__LINE__, "2026-11-26", 0},
	{__LINE__, "2026-11-26 07:00", 0},
	{__LINE__, "2026/11/26 07:00:00", 0},
	{__LINE__, "26-11-26 07:00:00", 0},
	{__LINE__, "2026-1x-26 07:00:00", 0},
};

void
test_store(void)
{
	for (int i = 0; i < NROWS(time_cases); i++)
		CHECK_INT(time_cases[i].line, time_cases[i].in ? time_cases[i].in : "(null)",
		          (long long)store_parse_time(time_cases[i].in), time_cases[i].want);
}
