/* The OpenStack-API-Version header: mv_parse.  Invariants: MV_OK gives
 * a minor in MV_MIN..MV_MAX; the error text is NUL-terminated inside
 * the caller's buffer; the same header always gives the same answer. */
#include "../../common/http/microversion.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1);
	if (h == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	/* Small buffers too: the error text must be cut, not overflow. */
	for (int badlen = 1; badlen <= 64; badlen *= 8) {
		char *bad = malloc((size_t)badlen);
		int minor = -1, minor2 = -1;
		memset(bad, 'x', (size_t)badlen);
		enum mv_result r = mv_parse(h, &minor, bad, badlen);
		if (r == MV_OK && (minor < MV_MIN || minor > MV_MAX))
			abort();
		if (r != MV_OK && r != MV_INVALID && r != MV_UNACCEPTABLE)
			abort();
		if (r != MV_OK && memchr(bad, '\0', (size_t)badlen) == NULL)
			abort();
		enum mv_result r2 = mv_parse(h, &minor2, bad, badlen);
		if (r2 != r || (r == MV_OK && minor2 != minor))
			abort();
		free(bad);
	}
	int minor = -1;
	char big[512];
	if (mv_parse(h, &minor, big, sizeof(big)) == MV_OK && (minor < MV_MIN || minor > MV_MAX))
		abort();
	free(h);
	return 0;
}
