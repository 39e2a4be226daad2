#include "microversion.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Parses "X.Y" with X and Y decimal integers (no sign, no spaces). */
static int
parse_xy(const char *s, size_t n, long *maj, long *min)
{
	size_t i = 0;
	long a = 0, b = 0;
	if (n == 0 || !isdigit((unsigned char)s[0]))
		return -1;
	while (i < n && isdigit((unsigned char)s[i])) {
		if (a > 100000)
			return -1;
		a = a * 10 + (s[i++] - '0');
	}
	if (i >= n || s[i] != '.')
		return -1;
	i++;
	if (i >= n)
		return -1;
	while (i < n && isdigit((unsigned char)s[i])) {
		if (b > 100000)
			return -1;
		b = b * 10 + (s[i++] - '0');
	}
	if (i != n)
		return -1;
	*maj = a;
	*min = b;
	return 0;
}

enum mv_result
mv_parse(const char *header, int *minor, char *bad, int badlen)
{
	*minor = MV_MIN;
	if (badlen > 0)
		bad[0] = '\0';
	if (header == NULL)
		return MV_OK;
	const char *p = header;
	while (*p) {
		/* one comma-separated entry: "service version" */
		const char *end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		const char *s = p;
		while (s < end && isspace((unsigned char)*s))
			s++;
		const char *svc = s;
		while (s < end && !isspace((unsigned char)*s))
			s++;
		size_t svclen = (size_t)(s - svc);
		while (s < end && isspace((unsigned char)*s))
			s++;
		const char *ver = s;
		const char *vend = end;
		while (vend > ver && isspace((unsigned char)vend[-1]))
			vend--;
		if (svclen == 9 && strncasecmp(svc, "placement", 9) == 0) {
			size_t vlen = (size_t)(vend - ver);
			long maj, min;
			snprintf(bad, (size_t)badlen, "%.*s", (int)vlen, ver);
			if (vlen == 6 && strncasecmp(ver, "latest", 6) == 0) {
				*minor = MV_MAX;
				bad[0] = '\0';
				return MV_OK;
			}
			if (parse_xy(ver, vlen, &maj, &min) < 0)
				return MV_INVALID;
			if (maj != 1 || min < MV_MIN || min > MV_MAX)
				return MV_UNACCEPTABLE;
			*minor = (int)min;
			bad[0] = '\0';
			return MV_OK;
		}
		p = *end ? end + 1 : end;
	}
	return MV_OK;
}
