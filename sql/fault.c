/* Fault injection for the test build (see fault.h).  Nothing of this is
 * compiled without PLACEMENT_FAULTS. */
#ifdef PLACEMENT_FAULTS
#include "db.h"
#include "fault.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stage_name[FAULT_STAGES] = {
	[FAULT_PREPARE] = "prepare",
	[FAULT_EXECUTE] = "execute",
	[FAULT_STORE] = "store_result",
	[FAULT_FETCH] = "fetch",
	[FAULT_COMMIT] = "commit",
};

static const struct {
	const char *name;
	int err;
} errors[] = {
	{"deadlock", FE_DEADLOCK},
	{"lock_wait", FE_LOCK_WAIT},
	{"lost", FE_LOST},
	{"not_ready", FE_NOT_READY},
	{"busy", FE_BUSY},
	{"full", FE_FULL},
	{"ioerr", FE_IOERR},
};

/* The next ':'-separated field of *p into out (at most n-1 bytes). */
static int
field(const char **p, char *out, size_t n)
{
	size_t len = strcspn(*p, ":");
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p += len;
	if (**p == ':')
		(*p)++;
	return 0;
}

int
fault_parse(const char *spec, struct fault_plan *p, int *fresh)
{
	memset(p, 0, sizeof(*p));
	p->stage = -1;
	*fresh = 0;
	if (spec == NULL || strcmp(spec, "none") == 0)
		return 0;
	char stage[32], num[16], err[32];
	const char *q = spec;
	if (field(&q, stage, sizeof(stage)) < 0 || field(&q, num, sizeof(num)) < 0 ||
	    field(&q, err, sizeof(err)) < 0)
		return -1;
	if (*q != '\0') {
		if (strcmp(q, "fresh") != 0)
			return -1;
		*fresh = 1;
	}
	int st = -1;
	for (int i = 0; i < FAULT_STAGES; i++)
		if (strcmp(stage, stage_name[i]) == 0)
			st = i;
	char *end;
	long n = strtol(num, &end, 10);
	if (st < 0 || *end != '\0' || n < 1 || n > 1000000)
		return -1;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		if (strcmp(err, errors[i].name) == 0) {
			p->stage = st;
			p->n = (int)n;
			p->err = errors[i].err;
			return 0;
		}
	}
	p->stage = -1;
	return -1;
}

int
fault_arm(struct store *s, const char *spec)
{
	int fresh;
	int r = fault_parse(spec, &s->fault, &fresh);
	if (r == 0 && fresh) {
		for (int i = 0; i < STMT_COUNT; i++) {
			if (s->stmt[i].impl != NULL) {
				s->ops->finalize(&s->stmt[i]);
				s->stmt[i].impl = NULL;
			}
		}
	}
	return r;
}

int
fault_hit(struct store *s, enum fault_stage stage)
{
	struct fault_plan *p = &s->fault;
	p->calls[stage]++;
	if (p->fired || p->stage != (int)stage || p->calls[stage] != p->n)
		return FE_NONE;
	p->fired = 1;
	return p->err;
}

const char *
fault_report(struct store *s, char *out, size_t n)
{
	const int *c = s->fault.calls;
	snprintf(out, n, "prepare=%d execute=%d store_result=%d fetch=%d commit=%d fired=%d",
	         c[FAULT_PREPARE], c[FAULT_EXECUTE], c[FAULT_STORE], c[FAULT_FETCH],
	         c[FAULT_COMMIT], s->fault.fired);
	return out;
}
#endif
