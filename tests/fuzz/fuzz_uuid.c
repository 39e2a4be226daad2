/* uuid_normalize and is_uuid.  Invariants: a success gives the 36-byte
 * lower-case dashed form, which normalises to itself; is_uuid agrees. */
#include "../../common/http/app.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[37], again[37];
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(out, 0x55, sizeof(out));
	int rc = uuid_normalize(s, out);
	if ((rc == 0) != (is_uuid(s) == 1))
		abort();
	if (rc == 0) {
		if (strlen(out) != 36)
			abort();
		for (int i = 0; i < 36; i++) {
			int dash = i == 8 || i == 13 || i == 18 || i == 23;
			if (dash ? out[i] != '-' : !(isdigit((unsigned char)out[i]) ||
			                              (out[i] >= 'a' && out[i] <= 'f')))
				abort();
		}
		if (uuid_normalize(out, again) != 0 || strcmp(out, again) != 0)
			abort();
	} else if (rc != -1) {
		abort();
	}
	free(s);
	return 0;
}
