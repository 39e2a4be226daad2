/* Microversions: parsing the OpenStack-API-Version header into a minor
 * version of 1.x, against the range this service speaks; see microversion.h. */
#include "microversion.h"
#include "../util/pytext.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Fills bad with the version and the reason, worded as the reference's
 * Python exception: int() refusing part[0..n), or no minor part at all. */
static enum mv_result
invalid(char *bad, int badlen, size_t vlen, const char *ver, size_t n, const char *part)
{
	char q = '\'';
	if (badlen <= 0)
		return MV_INVALID;
	if (part == NULL) {
		snprintf(bad, (size_t)badlen,
		         "%.*s; Version.__new__() missing 1 required positional argument: 'minor'",
		         (int)vlen, ver);
		return MV_INVALID;
	}
	/* repr() of the part: double quotes when it holds a single quote */
	if (memchr(part, '\'', n) != NULL && memchr(part, '"', n) == NULL)
		q = '"';
	snprintf(bad, (size_t)badlen, "%.*s; invalid literal for int() with base 10: %c%.*s%c",
	         (int)vlen, ver, q, (int)n, part, q);
	return MV_INVALID;
}

enum mv_result
mv_parse(const char *header, int *minor, char *bad, int badlen)
{
	const char *ver = NULL;
	size_t vlen = 0;
	*minor = MV_MIN;
	if (badlen > 0)
		bad[0] = '\0';
	if (header == NULL)
		return MV_OK;
	/* Entries are "service version", comma-separated; the last placement
	 * entry wins and entries without a version are skipped, as the
	 * reference's microversion_parse does. */
	for (const char *p = header;;) {
		const char *end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		const char *s = p, *e = end;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		const char *svc = s;
		while (s < e && !isspace((unsigned char)*s))
			s++;
		size_t svclen = (size_t)(s - svc);
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s < e && svclen == 9 && strncasecmp(svc, "placement", 9) == 0) {
			ver = s;
			vlen = (size_t)(e - s);
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	if (ver == NULL)
		return MV_OK;
	if (badlen > 0)
		snprintf(bad, (size_t)badlen, "%.*s", (int)vlen, ver);
	if (vlen == 6 && memcmp(ver, "latest", 6) == 0) {
		*minor = MV_MAX;
		if (badlen > 0)
			bad[0] = '\0';
		return MV_OK;
	}
	/* "X.Y" split at the first dot; each part must read as Python's
	 * int() reads it. */
	const char *dot = memchr(ver, '.', vlen);
	size_t l1 = dot ? (size_t)(dot - ver) : vlen;
	long long maj, min = 0;
	if (py_int(NULL, ver, l1, &maj, NULL) < 0)
		return invalid(bad, badlen, vlen, ver, l1, ver);
	if (dot != NULL && py_int(NULL, dot + 1, vlen - l1 - 1, &min, NULL) < 0)
		return invalid(bad, badlen, vlen, ver, vlen - l1 - 1, dot + 1);
	if (dot == NULL)
		return invalid(bad, badlen, vlen, ver, 0, NULL);
	if (maj != 1 || min < MV_MIN || min > MV_MAX)
		return MV_UNACCEPTABLE;
	*minor = (int)min;
	if (badlen > 0)
		bad[0] = '\0';
	return MV_OK;
}
