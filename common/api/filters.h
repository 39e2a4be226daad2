/* The filters GET /resource_providers and GET /allocation_candidates take
 * alike: member_of, required (and root_required's value) and resources,
 * read from query values with the reference's rules (Python's strip, int
 * and split; the values of a repeated key before and after the
 * microversions that allow it) and its messages.  Both handlers call
 * these; neither parses a filter of its own. */
#ifndef PLACEMENT_FILTERS_H
#define PLACEMENT_FILTERS_H
#include "../http/app.h"
#include "../../sql/store_rp.h"

/* Names that must match every clause (any name of a clause) and none of
 * the forbidden.  Every list is counted and NULL-terminated; a clause
 * and the forbidden list hold each name once. */
struct name_filter {
	struct rp_strlist *any;
	int nany;
	struct rp_strlist forbidden;
};

/* member_of{suffix}: every value (only one before 1.24), each a uuid,
 * "in:" uuids (any of them), or from 1.32 "!" uuid / "!in:" uuids
 * (none of them).  out is cleared first; 0, or -1 with a 400 recorded. */
int filter_member_of(struct ctx *c, const char *suffix, struct name_filter *out);

/* required{suffix} as key: the last value before 1.39, every value from
 * 1.39 (each one more clause).  out is cleared first. */
int filter_required(struct ctx *c, const char *key, struct name_filter *out);

/* One trait value added to out: "A,B" (a clause each), "!A" from 1.22
 * when allow_forbidden, "in:A,B" (one clause) when allow_any. */
int filter_traits_value(struct ctx *c, const char *val, int allow_forbidden, int allow_any,
                        struct name_filter *out);

/* One resources value "CLASS:AMOUNT,...": the classes in their first
 * order with their last amounts (each at least 1). */
int filter_resources(struct ctx *c, const char *val, const char ***names, long long **amounts,
                     int *n);
#endif
