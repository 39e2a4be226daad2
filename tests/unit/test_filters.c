/* The filters GET /resource_providers and GET /allocation_candidates
 * share (common/api/filters.c): each row is a query string at a
 * microversion and what it reads as, or the 400 it gets.  The 400s were
 * printed by the reference (GET /resource_providers, Debian's
 * python3-placement); a parsed filter is shown as
 * "member_of: [any-of]...[...] not[...]", likewise "required:", and
 * "resources: CLASS=N,...". */
#include "harness.h"
#include "../../common/api/filters.h"
#include "../../common/http/query.h"
#include <stdio.h>
#include <string.h>

static const struct filter_case {
	int line, mv;
	const char *query, *want, *detail;
} cases[] = {
	{__LINE__, 23, "member_of=11111111-2222-4333-8444-555555555555&member_of=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", NULL,
	 "Multiple member_of parameters are not supported"},
	{__LINE__, 24, "member_of=11111111-2222-4333-8444-555555555555,aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", NULL,
	 "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: 11111111-2222-4333-8444-555555555555,aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"},
	{__LINE__, 24, "member_of=in:11111111-2222-4333-8444-555555555555,bogus", NULL,
	 "Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: bogus"},
	{__LINE__, 24, "member_of=!11111111-2222-4333-8444-555555555555", NULL,
	 "Forbidden member_of parameters are not supported in the specified microversion"},
	{__LINE__, 32, "member_of=", NULL,
	 "Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: "},
	{__LINE__, 32, "member_of=in:", NULL,
	 "Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: "},
	{__LINE__, 18, "required=HW_CPU_X86_VMX,,CUSTOM_X", NULL,
	 "Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: HW_CPU_X86_VMX,,CUSTOM_X"},
	{__LINE__, 22, "required=HW_CPU_X86_VMX,,CUSTOM_X", NULL,
	 "Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: HW_CPU_X86_VMX,,CUSTOM_X"},
	{__LINE__, 21, "required=!CUSTOM_X", NULL,
	 "Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !CUSTOM_X"},
	{__LINE__, 22, "required=!!", NULL,
	 "Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: !!"},
	{__LINE__, 38, "required=in:CUSTOM_A,CUSTOM_B", NULL,
	 "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: in:CUSTOM_A,CUSTOM_B"},
	{__LINE__, 39, "required=in:CUSTOM_A,!CUSTOM_B", NULL,
	 "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: in:CUSTOM_A,!CUSTOM_B"},
	{__LINE__, 39, "required=in:CUSTOM_A,,CUSTOM_B", NULL,
	 "Invalid query string parameters: Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: in:CUSTOM_A,,CUSTOM_B"},
	{__LINE__, 4, "resources=", NULL,
	 "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: empty string."},
	{__LINE__, 4, "resources=%20", NULL,
	 "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: empty string."},
	{__LINE__, 4, "resources=VCPU", NULL,
	 "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: VCPU."},
	{__LINE__, 4, "resources=VCPU:1:2", NULL,
	 "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: VCPU:1:2."},
	{__LINE__, 4, "resources=VCPU:x", NULL,
	 "Requested resource VCPU expected positive integer amount. Got: x."},
	{__LINE__, 4, "resources=VCPU:0", NULL,
	 "Requested resource VCPU requires amount >= 1. Got: 0."},
	{__LINE__, 4, "resources=VCPU:-00", NULL,
	 "Requested resource VCPU requires amount >= 1. Got: 0."},
	{__LINE__, 4, "resources=VCPU:1.5", NULL,
	 "Requested resource VCPU expected positive integer amount. Got: 1.5."},
	{__LINE__, 4, "resources=VCPU:1,MEMORY_MB:-99999999999999999999999", NULL,
	 "Requested resource MEMORY_MB requires amount >= 1. Got: -99999999999999999999999."},
	{__LINE__, 32, "member_of=!in:11111111-2222-4333-8444-555555555555,aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
	 "member_of: not[11111111-2222-4333-8444-555555555555|aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee]", NULL},
	{__LINE__, 24, "member_of=in:11111111-2222-4333-8444-555555555555,11111111-2222-4333-8444-555555555555&member_of=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
	 "member_of: [11111111-2222-4333-8444-555555555555][aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee]", NULL},
	{__LINE__, 22, "required=CUSTOM_A,!CUSTOM_B,!!CUSTOM_B&required=CUSTOM_C",
	 "required: [CUSTOM_C]", NULL},
	{__LINE__, 39, "required=CUSTOM_A,!CUSTOM_B,!!CUSTOM_B&required=in:CUSTOM_C,%20CUSTOM_D%20",
	 "required: [CUSTOM_A][CUSTOM_C|CUSTOM_D] not[CUSTOM_B]", NULL},
	{__LINE__, 4, "resources=VCPU:1,MEMORY_MB:%2B0_512,VCPU:2",
	 "resources: VCPU=2,MEMORY_MB=512", NULL},
};

/* Appends f to b as "what: [a|b][c] not[x]" (nothing when f is empty). */
static void
show_filter(struct buf *b, const char *what, const struct name_filter *f)
{
	if (f->nany == 0 && f->forbidden.n == 0)
		return;
	buf_printf(b, "%s%s:", b->len ? " " : "", what);
	for (int i = 0; i < f->nany; i++) {
		buf_puts(b, i ? "[" : " [");
		for (int k = 0; k < f->any[i].n; k++)
			buf_printf(b, "%s%s", k ? "|" : "", f->any[i].v[k]);
		buf_putc(b, ']');
		CHECK(__LINE__, f->any[i].v[f->any[i].n] == NULL, "clause NULL-terminated");
	}
	if (f->forbidden.n > 0) {
		buf_puts(b, " not[");
		for (int k = 0; k < f->forbidden.n; k++)
			buf_printf(b, "%s%s", k ? "|" : "", f->forbidden.v[k]);
		buf_putc(b, ']');
	}
}

void
test_filters(void)
{
	struct arena a = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct filter_case *t = &cases[i];
		struct ctx c;
		struct request r;
		memset(&c, 0, sizeof(c));
		memset(&r, 0, sizeof(r));
		r.query = t->query;
		c.req = &r;
		c.a = &a;
		c.mv = t->mv;
		CHECK_INT(t->line, "query_parse", query_parse(&c), 0);
		struct name_filter aggs = {0}, traits = {0};
		const char **names = NULL;
		long long *amounts = NULL;
		int n = 0, rc = filter_member_of(&c, "", &aggs);
		if (rc == 0)
			rc = filter_required(&c, "required", &traits);
		const char *res = q_last(&c, "resources");
		if (rc == 0 && res != NULL)
			rc = filter_resources(&c, res, &names, &amounts, &n);
		if (t->detail != NULL) {
			CHECK_INT(t->line, "status", rc == 0 ? 0 : c.err.status, 400);
			CHECK_STR(t->line, "detail", rc == 0 ? "(parsed)" : c.err.detail, t->detail);
			arena_reset(&a);
			continue;
		}
		CHECK_INT(t->line, "parsed", rc, 0);
		struct buf b = {0};
		show_filter(&b, "member_of", &aggs);
		show_filter(&b, "required", &traits);
		for (int k = 0; k < n; k++)
			buf_printf(&b, "%s%s=%lld", k ? "," : b.len ? " resources: " : "resources: ",
			           names[k], amounts[k]);
		CHECK_STR(t->line, "filter", b.p ? b.p : "", t->want);
		buf_free(&b);
		arena_reset(&a);
	}
	arena_free(&a);
}
