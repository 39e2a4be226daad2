#include "microversion.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Reads s[0..n) as Python's int() does in base 10, which is what the
 * reference applies to each half of "X.Y": blanks around, an optional
 * sign, digits with single '_' between them.  Values saturate near 1e9
 * (any such version is out of range anyway).  0, or -1 if malformed. */
static int
py_int(const char *s, size_t n, long *out)
{
	size_t i = 0;
	int neg = 0;
	long v = 0;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i >= n || !isdigit((unsigned char)s[i]))
		return -1;
	for (; i < n; i++) {
		if (s[i] == '_' && i + 1 < n && isdigit((unsigned char)s[i + 1]))
			continue;
		if (!isdigit((unsigned char)s[i]))
			return -1;
		if (v < 1000000000L)
			v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
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
	/* "X.Y" split at the first dot; each half must read as an integer. */
	const char *dot = memchr(ver, '.', vlen);
	long maj, min;
	if (dot == NULL || py_int(ver, (size_t)(dot - ver), &maj) < 0 ||
	    py_int(dot + 1, vlen - (size_t)(dot - ver) - 1, &min) < 0)
		return MV_INVALID;
	if (maj != 1 || min < MV_MIN || min > MV_MAX)
		return MV_UNACCEPTABLE;
	*minor = (int)min;
	if (badlen > 0)
		bad[0] = '\0';
	return MV_OK;
}
