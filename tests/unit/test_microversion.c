/* mv_parse: the OpenStack-API-Version header.  Expected values come from
 * the reference's own parser (microversion_parse.extract_version with
 * placement's 1.0..1.39): last placement entry wins, entries without a
 * version are skipped, each half of X.Y read as Python's int(). */
#include "harness.h"
#include "../../common/http/microversion.h"
#include <string.h>

static const struct mv_case {
	int line;
	const char *header;
	enum mv_result result;
	int minor;
	const char *bad;          /* version text (and reason) on failure */
} mv_cases[] = {
#define R(h, r, m, b) {__LINE__, h, r, m, b}
	R(NULL, MV_OK, 0, ""),
	R("", MV_OK, 0, ""),
	R("placement 1.0", MV_OK, 0, ""),
	R("placement 1.39", MV_OK, 39, ""),
	R("placement latest", MV_OK, 39, ""),
	R("placement  latest", MV_OK, 39, ""),
	R("placement LATEST", MV_INVALID, 0, "LATEST; invalid literal for int() with base 10: 'LATEST'"),
	R("PLACEMENT 1.5", MV_OK, 5, ""),
	R("Placement 1.5", MV_OK, 5, ""),
	R("compute 2.1, placement 1.7", MV_OK, 7, ""),
	R("placement 1.7, placement 1.8", MV_OK, 8, ""),
	R("placement 1.2.3, placement 1.4", MV_OK, 4, ""),
	R("placement 1.4, placement 1.2.3", MV_INVALID, 0, "1.2.3; invalid literal for int() with base 10: '2.3'"),
	R("placement 1.4,placement 2.0", MV_UNACCEPTABLE, 0, "2.0"),
	R("placement latest, placement 1.4", MV_OK, 4, ""),
	R("placement 1.07", MV_OK, 7, ""),
	R("placement 01.5", MV_OK, 5, ""),
	R("placement 1. 5", MV_OK, 5, ""),
	R("placement 1.+5", MV_OK, 5, ""),
	R("placement 1.5 ", MV_OK, 5, ""),
	R("  placement 1.5", MV_OK, 5, ""),
	R("placement\t1.5", MV_OK, 5, ""),
	R("placement 1.0005", MV_OK, 5, ""),
	R("placement 1.2.3", MV_INVALID, 0, "1.2.3; invalid literal for int() with base 10: '2.3'"),
	R("placement 2.0", MV_UNACCEPTABLE, 0, "2.0"),
	R("placement 1.40", MV_UNACCEPTABLE, 0, "1.40"),
	R("placement 0.9", MV_UNACCEPTABLE, 0, "0.9"),
	R("placement 1.-1", MV_UNACCEPTABLE, 0, "1.-1"),
	R("placement 1.-0", MV_OK, 0, ""),
	R("placement 1.a", MV_INVALID, 0, "1.a; invalid literal for int() with base 10: 'a'"),
	R("placement pony.horse", MV_INVALID, 0, "pony.horse; invalid literal for int() with base 10: 'pony'"),
	R("placement 1", MV_INVALID, 0, "1; Version.__new__() missing 1 required positional argument: 'minor'"),
	R("placement 1_5", MV_INVALID, 0, "1_5; Version.__new__() missing 1 required positional argument: 'minor'"),
	R("placement 1.5_0", MV_UNACCEPTABLE, 0, "1.5_0"),
	R("placement 1.1_0", MV_OK, 10, ""),
	R("placement 1.__5", MV_INVALID, 0, "1.__5; invalid literal for int() with base 10: '__5'"),
	R("placement 1._5", MV_INVALID, 0, "1._5; invalid literal for int() with base 10: '_5'"),
	R("placement 1.5_", MV_INVALID, 0, "1.5_; invalid literal for int() with base 10: '5_'"),
	R("placement 1.5 foo", MV_INVALID, 0, "1.5 foo; invalid literal for int() with base 10: '5 foo'"),
	R("placement latest latest", MV_INVALID, 0, "latest latest; invalid literal for int() with base 10: 'latest latest'"),
	R("placement", MV_OK, 0, ""),
	R("placement ,compute 1.2", MV_OK, 0, ""),
	R("placement1.5", MV_OK, 0, ""),
	R("placement:1.5", MV_OK, 0, ""),
	R(",placement 1.3", MV_OK, 3, ""),
	R("placement 1.5,", MV_OK, 5, ""),
	R("placement 1.5,placement", MV_OK, 5, ""),
	R("compute 2.1", MV_OK, 0, ""),
	R("placement 1.99999999999999999999", MV_UNACCEPTABLE, 0, "1.99999999999999999999"),
	R("placement 1.5 , compute 2.1", MV_OK, 5, ""),
	R("placement 1.", MV_INVALID, 0, "1.; invalid literal for int() with base 10: ''"),
	R("placement .5", MV_INVALID, 0, ".5; invalid literal for int() with base 10: ''"),
	R("placement +1.5", MV_OK, 5, ""),
	R("placement - 1.5", MV_INVALID, 0, "- 1.5; invalid literal for int() with base 10: '- 1'"),
	R("placement 1 .5", MV_OK, 5, ""),
	R("placement 0x1.5", MV_INVALID, 0, "0x1.5; invalid literal for int() with base 10: '0x1'"),
	R("placement it's.1", MV_INVALID, 0, "it's.1; invalid literal for int() with base 10: \"it's\""),
	R("placement -1.5", MV_UNACCEPTABLE, 0, "-1.5"),
	R("placement 1.0e1", MV_INVALID, 0, "1.0e1; invalid literal for int() with base 10: '0e1'"),
	R("placement 1.5, compute", MV_OK, 5, ""),
	R("a b c, placement 1.6", MV_OK, 6, ""),
	R("placement 1.6,, ", MV_OK, 6, ""),
	R("placement 1.1.", MV_INVALID, 0, "1.1.; invalid literal for int() with base 10: '1.'"),
	R("placement 1.5\t", MV_OK, 5, ""),
	R("placement 1.39, placement", MV_OK, 39, ""),
	R(", , ,", MV_OK, 0, ""),
	R("placement 1.12345678901234567890123456789012345678901234567890123456789012345678901234567890", MV_UNACCEPTABLE, 0, "1.12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
#undef R
};

/* A bad-text buffer shorter than the text: truncated, still terminated. */
static const struct mv_small_case {
	int line;
	const char *header;
	int badlen;
	enum mv_result result;
	const char *bad;
} mv_small_cases[] = {
#define R(h, n, r, b) {__LINE__, h, n, r, b}
	R("placement 1.2.3", 4, MV_INVALID, "1.2"),
	R("placement 1.99", 3, MV_UNACCEPTABLE, "1."),
	R("placement 1.99", 1, MV_UNACCEPTABLE, ""),
	R("placement 1.5", 1, MV_OK, ""),
#undef R
};

void
test_microversion(void)
{
	for (int i = 0; i < NROWS(mv_cases); i++) {
		const struct mv_case *t = &mv_cases[i];
		char bad[512];
		int minor = -1;
		memset(bad, 'x', sizeof(bad));
		enum mv_result r = mv_parse(t->header, &minor, bad, sizeof(bad));
		CHECK_INT(t->line, "result", r, t->result);
		CHECK_INT(t->line, "minor", minor, t->result == MV_OK ? t->minor : MV_MIN);
		CHECK_STR(t->line, "bad", bad, t->bad);
	}
	for (int i = 0; i < NROWS(mv_small_cases); i++) {
		const struct mv_small_case *t = &mv_small_cases[i];
		char bad[16];
		int minor;
		memset(bad, 'x', sizeof(bad));
		enum mv_result r = mv_parse(t->header, &minor, bad, t->badlen);
		CHECK_INT(t->line, "result", r, t->result);
		CHECK_STR(t->line, "bad", bad, t->bad);
		CHECK(t->line, bad[t->badlen] == 'x', "wrote past badlen %d", t->badlen);
	}
}
