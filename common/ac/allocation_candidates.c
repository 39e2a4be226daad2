/* GET /allocation_candidates (1.10+): the handler.  The request is
 * parsed by ac_request.c, the search is ac_search.c (feeding the engine,
 * ac_engine.c, from the read cache), the answer is ac_answer.c. */
#include "ac_answer.h"
#include "ac_explain.h"
#include "ac_refresh.h"
#include "../http/routes.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


/* Picks `limit` of the n candidates at random and shuffles them (the
 * reference's randomize_allocation_candidates). */
static void
shuffle(struct ac_result *res, long n, long keep)
{
	static int seeded;
	if (!seeded) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
		seeded = 1;
	}
	for (long i = 0; i < keep && i < n - 1; i++) {
		long j = i + (long)(random() % (n - i));
		struct ac_result t = res[i];
		res[i] = res[j];
		res[j] = t;
	}
}


/* A memoized answer to key (see search_and_answer) written out: 1; 0
 * when there is none; -1 after an error. */
static int
answer_from_memo(struct ctx *c, struct ac_cache *k, const char *key)
{
	size_t len;
	const char *hit = key != NULL ? ac_cache_get(k, ACK_ANSWER, c->mv, key, &len) : NULL;
	if (hit == NULL)
		return 0;
	reply_json(c, 200);
	buf_append(&c->resp->body, hit, len);
	if (c->resp->body.oom)
		return fail_oom(c);
	store_commit(c->db);
	return 1;
}

/* How many of the n candidates found are answered, after limit (< 0:
 * the reference slices [:limit]) and, with randomize, a shuffle of the
 * ones kept to the front. */
static long
apply_limit(struct ac_result *res, long n, long long limit, int randomize)
{
	if (limit < 0) {
		long drop = limit < -(long long)n ? n : (long)-limit;
		if (randomize)
			shuffle(res, n, n);
		return n - drop;
	}
	if (randomize && n > 1) {
		long keep = (limit > 0 && limit < n) ? (long)limit : n;
		shuffle(res, n, keep);
		return keep;
	}
	return (limit > 0 && limit < n) ? (long)limit : n;
}

/* [placement] explain_empty_answers: why the answer is empty, as lines
 * after the request's log line (one per step of the explainer).  Never
 * changes the answer: an error of the explainer only loses the lines. */
static void
log_explanation(struct ctx *c, const struct acreq *r)
{
	if (!c->cfg->explain_empty_answers || c->app == NULL)
		return;
	struct app_error saved = c->err;
	struct ac_explanation x;
	struct buf lines = {0};
	if (ac_explain_request(c, r, 1, &x) == 0) {
		const char *prefix = arena_printf(c->a, "  %s explain: ", c->request_id);
		buf_putc(&lines, '\n');
		if (prefix != NULL)
			ac_explain_text(&x, prefix, &lines);
		if (lines.len > 1 && !lines.oom) {
			lines.p[lines.len - 1] = '\0';   /* the last newline */
			c->app->log_extra = arena_strdup(c->a, lines.p);
		}
	}
	buf_free(&lines);
	c->err = saved;
}

static int
search_and_answer(struct ctx *c, struct acreq *r)
{
	struct search se;
	memset(&se, 0, sizeof(se));
	se.c = c;
	se.s = c->db;
	se.r = r;
	int rc = store_begin(c->db, 0);
	if (rc != ST_OK)
		return fail_store(c, rc);
	se.k = c->app ? c->app->ac_cache : NULL;
	if (ac_refresh(c, se.k) < 0)
		return -1;
	/* The same query (microversion and query string, byte for byte) on
	 * the same database version has the same answer, unless answers are
	 * random: a repeated one is copied from the cache. */
	const char *memo_key = se.k != NULL && !c->cfg->randomize_allocation_candidates
	                       ? c->req->query : NULL;
	int hit = answer_from_memo(c, se.k, memo_key);
	if (hit != 0)
		return hit > 0 ? 0 : -1;
	if (search_load_has_trees(&se) < 0 || search_load_rc_table(&se) < 0)
		return -1;

	struct ac_options opt;
	memset(&opt, 0, sizeof(opt));
	opt.isolate = r->group_policy && strcmp(r->group_policy, "isolate") == 0;
	opt.exclude_nested = c->mv < 29 && se.has_trees;
	opt.load_anchors = search_load_anchors;
	opt.load_arg = &se;
	if (search_anchor_filter(&se, &opt) < 0)
		return -1;
	if (se.empty) {
		log_explanation(c, r);
		store_commit(c->db);
		return answer_write_empty(c);
	}
	struct ac_idset sharing = {0};
	if (search_trait_set(&se, "MISC_SHARES_VIA_AGGREGATE", &sharing) < 0) {
		/* a database without the standard traits: no sharing */
		c->err.status = 0;
		memset(&sharing, 0, sizeof(sharing));
	}
	se.sharing = sharing;
	opt.sharing = &se.sharing;

	/* Below 1.29 with trees the summaries depend on every candidate,
	 * so the limit cannot stop the search early there. */
	long cap = c->cfg->max_allocation_candidates >= 0 ? c->cfg->max_allocation_candidates : -1;
	int randomize = c->cfg->randomize_allocation_candidates;
	int whole = c->mv < 29 && se.has_trees;
	if (r->limit > 0 && !randomize && !whole && (cap < 0 || r->limit < cap))
		cap = r->limit > LONG_MAX ? LONG_MAX : (long)r->limit;
	int breadth = strcmp(c->cfg->allocation_candidates_generation_strategy, "breadth-first") == 0;
	struct ac_result *res;
	long nall, n;
	se.prefix = search_flat_prefix(&se, cap, randomize);
	if (search_solve(&se, &opt, cap, breadth, &res, &nall) < 0)
		return -1;
	if (se.partial && (se.empty || nall < cap)) {
		/* the providers left out may hold candidates: all of them */
		se.prefix = 0;
		se.partial = se.empty = 0;
		se.loaded = NULL;
		se.nloaded = 0;
		if (search_solve(&se, &opt, cap, breadth, &res, &nall) < 0)
			return -1;
	}
	if (se.empty || nall == 0) {
		log_explanation(c, r);
		if (se.empty) {
			store_commit(c->db);
			return answer_write_empty(c);
		}
	}
	n = apply_limit(res, nall, r->limit, randomize);
	if (answer_write(&se, res, n, nall) < 0)
		return -1;
	if (memo_key != NULL && !c->resp->body.oom)
		ac_cache_put(se.k, ACK_ANSWER, c->mv, memo_key, c->resp->body.p, c->resp->body.len);
	store_commit(c->db);
	return 0;
}

int
h_ac_list(struct ctx *c)
{
	struct acreq r;
	if (ac_parse_request(c, &r) < 0)
		return -1;
	return search_and_answer(c, &r);
}
