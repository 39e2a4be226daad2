/* The route table: one const array of {method, path pattern, handler,
 * lowest microversion, flags, policy rule}.  Patterns are '/'-separated;
 * a segment '*' captures one path segment into ctx->arg[].  What a flag
 * or the rule asks is enforced once, by the pipeline (app.c), in the
 * reference's order before the handler runs: 404/405, 406, 415, 403. */
#ifndef PLACEMENT_ROUTES_H
#define PLACEMENT_ROUTES_H
#include "app.h"

enum route_flags {
	RF_JSON_OUT = 1,   /* answers JSON: 406 unless Accept allows it */
	RF_405_BELOW = 2,  /* below min_mv the method is refused (405), not the path (404) */
	RF_JSON_BODY = 4,  /* takes a JSON body: 415 unless the Content-Type says JSON */
	RF_JSON_BODY_TO_1_6 = 8,  /* the same, up to 1.6 only (PUT /resource_classes/{name}) */
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	int min_mv;        /* 404 below this microversion */
	int flags;
	const char *policy;    /* the rule authorized before the handler; NULL: the
	                        * handler's own (GET /usages targets a project) */
};

extern const struct route routes[];
extern const int nroutes;

/* Handlers: one file per resource in common/api/ (a provider's
 * inventories, traits, aggregates, usages and allocations in the file of
 * that resource), allocation candidates in common/ac/. */
int h_root(struct ctx *c);
int h_rp_list(struct ctx *c);
int h_rp_create(struct ctx *c);
int h_rp_show(struct ctx *c);
int h_rp_update(struct ctx *c);
int h_rp_delete(struct ctx *c);
int h_inv_list(struct ctx *c);
int h_inv_create(struct ctx *c);
int h_inv_replace_all(struct ctx *c);
int h_inv_delete_all(struct ctx *c);
int h_inv_show(struct ctx *c);
int h_inv_update(struct ctx *c);
int h_inv_delete(struct ctx *c);
int h_rp_usages(struct ctx *c);
int h_rp_aggregates_get(struct ctx *c);
int h_rp_aggregates_put(struct ctx *c);
int h_rp_traits_get(struct ctx *c);
int h_rp_traits_put(struct ctx *c);
int h_rp_traits_delete(struct ctx *c);
int h_rp_allocations(struct ctx *c);
int h_rc_list(struct ctx *c);
int h_rc_create(struct ctx *c);
int h_rc_show(struct ctx *c);
int h_rc_update(struct ctx *c);
int h_rc_delete(struct ctx *c);
int h_trait_list(struct ctx *c);
int h_trait_show(struct ctx *c);
int h_trait_put(struct ctx *c);
int h_trait_delete(struct ctx *c);
int h_alloc_get(struct ctx *c);
int h_alloc_put(struct ctx *c);
int h_alloc_delete(struct ctx *c);
int h_alloc_post(struct ctx *c);
int h_usages(struct ctx *c);
int h_ac_list(struct ctx *c);
int h_reshaper(struct ctx *c);
#endif
