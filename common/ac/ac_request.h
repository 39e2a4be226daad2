/* GET /allocation_candidates: the request.  The query string is checked
 * against the reference's query schema of the microversion (data below,
 * for jschema), then read into request groups (resources, required,
 * member_of, in_tree with their suffix) and the request-wide parameters,
 * with the reference's messages for what it refuses. */
#ifndef PLACEMENT_AC_REQUEST_H
#define PLACEMENT_AC_REQUEST_H
#include "../http/app.h"
#include "../api/filters.h"

struct rgroup {
	const char *suffix;
	int nres;
	const char **rc_name;
	long long *amount;
	struct name_filter tr;    /* required{suffix}: trait names */
	struct name_filter aggs;  /* member_of{suffix}: aggregate uuids */
	const char *in_tree;      /* stripped uuid text, or NULL */
	int has_resources_key;
};

struct acreq {
	struct rgroup *g;
	int ng;
	long long limit;          /* 0: none; < 0: all but the last -limit */
	const char *group_policy; /* NULL: not given */
	const char **root_req;    /* root_required, required part */
	int nroot_req;
	const char **root_forb;
	int nroot_forb;
	const char ***same;       /* same_subtree sets of suffixes */
	int *nsame_each;
	int nsame;
};

/* Checks and parses c's query string into *r: 0, or -1 with the error
 * recorded (a 400 for what the reference refuses). */
int ac_parse_request(struct ctx *c, struct acreq *r);
/* The index of the group with that suffix in r, or -1. */
int ac_find_group(const struct acreq *r, const char *suffix);
#endif
