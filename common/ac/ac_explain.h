/* The explainer: why GET /allocation_candidates finds what it finds.  The
 * request is searched as the handler searches it, with the engine
 * counting what each filter of each group leaves (ac_engine.h, struct
 * ac_explain), and again without group_policy=isolate and without
 * same_subtree to show what those removed.  Used by the view's explain
 * page and, with [placement] explain_empty_answers, by the handler to log
 * why an answer is empty.  No I/O: the caller shows or logs the text. */
#ifndef PLACEMENT_AC_EXPLAIN_H
#define PLACEMENT_AC_EXPLAIN_H
#include "ac_engine.h"
#include "ac_request.h"

struct ac_explanation {
	const struct acreq *r;
	struct ac_explain x;          /* the engine's steps, every constraint on */
	const char **rc_name;         /* per step: its class's name, or NULL */
	long anchor_roots;            /* roots meeting root_required; -1: not asked */
	long found;                   /* candidates, at most cap */
	long cap;
	long without_isolate;         /* found without group_policy=isolate; -1: not asked */
	long without_same_subtree;    /* found without same_subtree; -1: not asked */
};

/* Explains request r (parsed from c's query by ac_parse_request) on c's
 * database, inside a read transaction the caller holds, counting at most
 * cap candidates.  0 with *out filled, or -1 with c's error recorded. */
int ac_explain_request(struct ctx *c, const struct acreq *r, long cap,
                       struct ac_explanation *out);

/* Step i of x as one line of plain text ("group 1: with room for 4 VCPU:
 * 2"), appended to out; its parts: the group's name ("unsuffixed group",
 * "group 1") and what the step counts ("with room for 4 VCPU"). */
void ac_explain_step_text(const struct ac_explanation *x, int i, struct buf *out);
void ac_explain_group_name(const struct ac_explanation *x, int gi, struct buf *out);
void ac_explain_step_what(const struct ac_explanation *x, int i, struct buf *out);
/* The whole explanation as lines of plain text, each starting with
 * prefix: the steps, then the request-wide results. */
void ac_explain_text(const struct ac_explanation *x, const char *prefix, struct buf *out);
#endif
