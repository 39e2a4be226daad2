/* The explainer page: an /allocation_candidates query string as nova
 * sends it, its candidates (the API's own answer), and what each filter
 * of each request group left (common/ac/ac_explain.c). */
#include "view_pages.h"
#include "html.h"
#include "../ac/ac_explain.h"
#include "../http/query.h"
#include "../http/routes.h"
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_CAP 1000        /* candidates counted per search */
#define SHOWN_CANDIDATES 20

/* The form, filled with what was asked. */
static void
form(struct ctx *c, const char *query, const char *mv)
{
	struct buf *b = &c->resp->body;
	buf_puts(b, "<form method=\"get\" action=\"");
	html_text(b, view_base(c));
	buf_puts(b, "/explain\"><p><label>GET /allocation_candidates?<br><textarea name=\"q\" rows=\"3\" "
	            "id=\"query\" placeholder=\"resources=VCPU:1,MEMORY_MB:512&amp;required=HW_CPU_X86_AVX2\">");
	html_text(b, query);
	buf_puts(b, "</textarea></label></p><p><label>microversion 1.<input name=\"mv\" size=\"3\" value=\"");
	html_text(b, mv);
	buf_puts(b, "\"></label> <button>Explain</button></p></form>\n");
}

/* The API's answer to the query (h_ac_list into the response body),
 * parsed; NULL after an error (then c->err says it). */
static struct json_object *
api_answer(struct ctx *c)
{
	if (h_ac_list(c) < 0 || c->err.status)
		return NULL;
	struct json_object *j = json_tokener_parse(c->resp->body.p ? c->resp->body.p : "");
	buf_reset(&c->resp->body);
	c->resp->nheaders = 0;
	if (j == NULL)
		fail(c, 500, NULL, "The answer could not be read back.");
	return j;
}

/* The first candidates: a row each, provider -> amounts. */
static void
candidates(struct ctx *c, struct json_object *ans)
{
	struct buf *b = &c->resp->body;
	struct json_object *reqs = json_object_object_get(ans, "allocation_requests");
	size_t n = reqs ? json_object_array_length(reqs) : 0;
	buf_printf(b, "<h2>Candidates: <span id=\"ncandidates\">%zu</span></h2>\n", n);
	if (n == 0)
		return;
	buf_puts(b, "<table id=\"candidates\"><tr><th>#</th><th>allocations</th></tr>\n");
	for (size_t i = 0; i < n && i < SHOWN_CANDIDATES; i++) {
		struct json_object *allocs = json_object_object_get(json_object_array_get_idx(reqs, i),
		                                                    "allocations");
		buf_printf(b, "<tr><td>%zu</td><td>", i + 1);
		json_object_object_foreach(allocs, rp, body) {
			html_provider_link(b, view_base(c), rp, rp);
			struct json_object *res = json_object_object_get(body, "resources");
			buf_puts(b, ":");
			json_object_object_foreach(res, rc, amount) {
				buf_putc(b, ' ');
				html_text(b, rc);
				buf_printf(b, "=%lld", (long long)json_object_get_int64(amount));
			}
			buf_puts(b, "<br>");
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
	if (n > SHOWN_CANDIDATES)
		buf_printf(b, "<p class=\"note\">The first %d.</p>\n", SHOWN_CANDIDATES);
}

/* The steps: a row each, with what the step removed from the one before
 * it in the same run (a group's class, or a group). */
static void
steps(struct ctx *c, const struct ac_explanation *x)
{
	struct buf *b = &c->resp->body;
	struct buf line = {0};
	buf_puts(b, "<h2>Step by step</h2>\n<table id=\"steps\"><tr><th>group</th><th>step</th>"
	            "<th class=\"n\">left</th><th class=\"n\">removed</th></tr>\n");
	if (x->anchor_roots >= 0)
		buf_printf(b, "<tr data-step=\"root_required\" data-group=\"\" data-rc=\"\" data-count=\"%ld\"%s>"
		              "<td></td><td>root providers meeting root_required</td><td class=\"n\">%ld</td>"
		              "<td></td></tr>\n",
		           x->anchor_roots, x->anchor_roots == 0 ? " class=\"zero\"" : "", x->anchor_roots);
	static const char *const kind[] = {
		"has_class", "room", "in_tree", "required", "forbidden", "member_of",
		"not_in_aggregates", "root_required", "sharing", "trees", "group"
	};
	for (int i = 0; i < x->x.n; i++) {
		const struct ac_step_count *s = &x->x.v[i];
		/* a run starts at a class's first step or a new group */
		int first = s->step == AC_STEP_HAS_CLASS || s->step == AC_STEP_SHARING ||
		            i == 0 || x->x.v[i - 1].group != s->group;
		long before = first ? -1 : x->x.v[i - 1].count;
		if (s->step == AC_STEP_SHARING || s->step == AC_STEP_TREES)
			before = -1;   /* counts of another kind of thing */
		buf_printf(b, "<tr data-step=\"%s\" data-group=\"", kind[s->step]);
		html_text(b, x->r->g[s->group].suffix);
		buf_puts(b, "\" data-rc=\"");
		html_text(b, x->rc_name[i] ? x->rc_name[i] : "");
		buf_printf(b, "\" data-count=\"%ld\"%s><td>", s->count,
		           s->count == 0 && s->step != AC_STEP_SHARING ? " class=\"zero\"" : "");
		buf_reset(&line);
		ac_explain_group_name(x, s->group, &line);
		html_text(b, line.p ? line.p : "");
		buf_puts(b, "</td><td>");
		buf_reset(&line);
		ac_explain_step_what(x, i, &line);
		html_text(b, line.p ? line.p : "");
		buf_printf(b, "</td><td class=\"n\">%ld</td><td class=\"n\">", s->count);
		if (before >= 0 && before > s->count)
			buf_printf(b, "%ld", before - s->count);
		buf_puts(b, "</td></tr>\n");
	}
	buf_free(&line);
	struct { const char *key, *text; long n; } tail[] = {
		{"without_isolate", "candidates without group_policy=isolate", x->without_isolate},
		{"without_same_subtree", "candidates without same_subtree", x->without_same_subtree},
		{"candidates", "candidates", x->found},
	};
	for (size_t k = 0; k < sizeof(tail) / sizeof(tail[0]); k++) {
		if (tail[k].n < 0)
			continue;
		buf_printf(b, "<tr data-step=\"%s\" data-count=\"%ld\"%s><td></td><td>%s</td><td class=\"n\">%s%ld</td>"
		              "<td></td></tr>\n",
		           tail[k].key, tail[k].n, tail[k].n == 0 ? " class=\"zero\"" : "", tail[k].text,
		           tail[k].n >= x->cap ? "&ge; " : "", tail[k].n);
	}
	buf_puts(b, "</table>\n<p class=\"note\">Each step counts the providers that pass it and every "
	            "step above it in the same run: a class of the unsuffixed group (whose classes may "
	            "come from different providers of a tree, or from sharing providers), or a granular "
	            "group (one provider for all of it).</p>\n");
}

int
page_explain(struct ctx *c, const char *arg)
{
	(void)arg;
	struct buf *b = &c->resp->body;
	const char *query = q_last(c, "q");
	const char *mv = q_last(c, "mv");
	if (mv == NULL || mv[0] == '\0')
		mv = "39";
	char *end;
	long minor = strtol(mv, &end, 10);
	if (*end != '\0' || minor < 10 || minor > 39)
		return fail(c, 400, NULL, "The microversion must be 1.10 to 1.39 (the explainer "
		                          "answers /allocation_candidates).");
	c->mv = (int)minor;
	/* The API's own answer first (its handler writes the response), with
	 * the form's query in place of the page's; then the page. */
	struct request sub = *c->req;
	struct acreq r;
	struct json_object *ans = NULL;
	const char *query_error = NULL;
	if (query != NULL && query[0] != '\0') {
		sub.query = query;
		c->req = &sub;
		c->q = NULL;
		c->nq = 0;
		if (query_parse(c) < 0 || ac_parse_request(c, &r) < 0 || (ans = api_answer(c)) == NULL) {
			if (c->err.status != 400)
				return -1;
			query_error = c->err.detail;
			memset(&c->err, 0, sizeof(c->err));
		}
	}
	view_reply_html(c);
	html_page_start(b, view_base(c), "Why these candidates?");
	form(c, query ? query : "", mv);
	int rc = 0;
	if (query_error != NULL) {
		buf_puts(b, "<p class=\"error\" id=\"query-error\">");
		html_text(b, query_error);
		buf_puts(b, "</p>\n");
	} else if (ans != NULL) {
		candidates(c, ans);
		struct ac_explanation x;
		int st = store_begin(c->db, 0);
		if (st != ST_OK)
			rc = fail_store(c, st);
		else if ((rc = ac_explain_request(c, &r, EXPLAIN_CAP, &x)) == 0) {
			steps(c, &x);
			st = store_commit(c->db);
			rc = st == ST_OK ? 0 : fail_store(c, st);
		}
		json_object_put(ans);
	}
	html_page_end(b);
	return rc;
}
