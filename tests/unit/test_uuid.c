/* is_uuid / uuid_normalize.  Expected values come from the reference's
 * check (oslo_utils.uuidutils.is_uuid_like, as placement's jsonschema
 * "uuid" format uses it) and str(uuid.UUID(s)) for the normal form. */
#include "harness.h"
#include "../../common/http/app.h"
#include <string.h>

static const struct uuid_case {
	int line;
	const char *in;
	int ok;
	const char *norm;
} uuid_cases[] = {
#define R(in, ok, norm) {__LINE__, in, ok, norm}
	R("7e1a2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7E1A2B3C-0000-4000-8000-00000000ABCD", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7e1a2b3c00004000800000000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("{7e1a2b3c-0000-4000-8000-00000000abcd}", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("urn:uuid:7e1a2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("URN:UUID:7e1a2b3c-0000-4000-8000-00000000abcd", 0, NULL),
	R("uuid:7e1a2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("urn:7e1a2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("{urn:uuid:7e1a2b3c-0000-4000-8000-00000000abcd}", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("urn:uuid:{7e1a2b3c-0000-4000-8000-00000000abcd}", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("{{7e1a2b3c-0000-4000-8000-00000000abcd}}", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("{7e1a2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7e1a2b3c-0000-4000-8000-00000000abcd}", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("}7e1a2b3c-0000-4000-8000-00000000abcd{", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7e1a-2b3c0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("-7e1a2b3c-0000-4000-8000-00000000abcd-", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("--7e1a2b3c00004000800000000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7e1a2b3c-0000-4000-8000-00000000abc", 0, NULL),
	R("7e1a2b3c-0000-4000-8000-00000000abcd0", 0, NULL),
	R("7e1a2b3c00004000800000000000abc", 0, NULL),
	R("7e1a2b3c00004000800000000000abcd0", 0, NULL),
	R("gggggggggggggggggggggggggggggggg", 0, NULL),
	R("", 0, NULL),
	R(" 7e1a2b3c-0000-4000-8000-00000000abcd", 0, NULL),
	R("7e1a2b3c-0000-4000-8000-00000000abcd ", 0, NULL),
	R("7e1a2b3c-0000-4000-8000-00000000abcd\n", 0, NULL),
	R("abc", 0, NULL),
	R("urn:uuid:", 0, NULL),
	R("{}", 0, NULL),
	R("0x1a2b3c00004000800000000000abcd", 0, NULL),
	R("+e1a2b3c00004000800000000000abcd", 0, NULL),
	R("7e1A2b3c-0000-4000-8000-00000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
	R("7e1a_2b3c0000400080000000000abcd", 0, NULL),
	R("00000000-0000-0000-0000-000000000000", 1, "00000000-0000-0000-0000-000000000000"),
	R("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", 1, "ffffffff-ffff-ffff-ffff-ffffffffffff"),
	R("uurn:rn:7e1a2b3c-0000-4000-8000-00000000abcd", 0, NULL),
	R("uuuid:id:7e1a2b3c-0000-4000-8000-00000000abcd", 0, NULL),
	R("7e1a2b3c{-0000-4000-8000-00000000abcd", 0, NULL),
	R("urn:7e1a2b3c00004000800000000000abcd", 1, "7e1a2b3c-0000-4000-8000-00000000abcd"),
#undef R
};

void
test_uuid(void)
{
	for (int i = 0; i < NROWS(uuid_cases); i++) {
		const struct uuid_case *t = &uuid_cases[i];
		char out[37];
		memset(out, 0, sizeof(out));
		int rc = uuid_normalize(t->in, out);
		CHECK_INT(t->line, "uuid_normalize rc", rc, t->ok ? 0 : -1);
		CHECK_INT(t->line, "is_uuid", is_uuid(t->in), t->ok);
		if (t->ok)
			CHECK_STR(t->line, "normal form", out, t->norm);
	}
	CHECK_INT(__LINE__, "NULL", is_uuid(NULL), 0);
	/* longer than any uuid the reference could take in practice */
	char longs[2048];
	memset(longs, '-', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	CHECK_INT(__LINE__, "very long", is_uuid(longs), 0);
}
