/* Aggregates of a provider: /resource_providers/{uuid}/aggregates (1.1+;
 * from 1.19 with the provider generation). */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "../../sql/store_aggregate.h"
#include "../../sql/store_rp.h"
#include <stdlib.h>
#include <string.h>

#define GENERATION_MV 19

/* Looks up the provider of the path: 0, or -1 with the reference's 404. */
static int
find_provider(struct ctx *c, struct rp *rp)
{
	int rc = st_rp_by_uuid(c->db, c->a, c->arg[0], rp);
	if (rc == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No resource provider with uuid %s found", c->arg[0]);
	if (rc != ST_OK)
		return fail_store(c, rc);
	return 0;
}

/* Writes {"aggregates": [...], and from 1.19 the generation} */
static void
write_aggregates(struct ctx *c, const char *const *uuids, int n, long long generation)
{
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_arr(&c->w, "aggregates");
	for (int i = 0; i < n; i++)
		jw_str(&c->w, NULL, uuids[i]);
	jw_arr_end(&c->w);
	if (mv_ge(c, GENERATION_MV))
		jw_int(&c->w, "resource_provider_generation", generation);
	jw_obj_end(&c->w);
}

/* GET /resource_providers/{uuid}/aggregates */
int
h_rp_aggregates_get(struct ctx *c)
{
	struct rp rp;
	const char **uuids;
	int n, rc;

	if ((rc = store_begin(c->db, 0)) != ST_OK)
		return fail_store(c, rc);
	if (find_provider(c, &rp) < 0)
		return -1;
	if ((rc = st_rp_aggregates(c->db, c->a, rp.id, &uuids, &n)) != ST_OK)
		return fail_store(c, rc);
	store_commit(c->db);
	/* Links carry no useful time: Last-Modified is now, as upstream. */
	write_aggregates(c, uuids, n, rp.generation);
	return 0;
}

/* The reference's schemas (key order matters: errors are chosen in
 * schema order).  Before 1.19 the body is the bare list. */
#define AGG_LIST_SCHEMA \
	"{\"type\": \"array\", \"items\": {\"type\": \"string\", \"format\": \"uuid\"}," \
	" \"uniqueItems\": true}"
static const char agg_list_schema[] = AGG_LIST_SCHEMA;
static const char agg_body_schema[] =
	"{\"type\": \"object\","
	" \"properties\": {\"aggregates\": " AGG_LIST_SCHEMA ","
	"  \"resource_provider_generation\": {\"type\": \"integer\"}},"
	" \"required\": [\"aggregates\", \"resource_provider_generation\"],"
	" \"additionalProperties\": false}";
/* Validates the body for the microversion; sets *list, and from 1.19
 * *gen / *gen_fits. */
static int
check_aggregates_body(struct ctx *c, struct json_object *body, struct json_object **list,
                      long long *gen, int *gen_fits)
{
	if (!mv_ge(c, GENERATION_MV)) {
		*list = body;
		return js_validate(c, agg_list_schema, body);
	}
	if (js_validate(c, agg_body_schema, body) < 0)
		return -1;
	struct json_object *g;
	json_object_object_get_ex(body, "aggregates", list);
	json_object_object_get_ex(body, "resource_provider_generation", &g);
	js_integer(g, gen, gen_fits);
	return 0;
}

/* PUT /resource_providers/{uuid}/aggregates: a bare list before 1.19;
 * from 1.19 {aggregates, resource_provider_generation}, checked and
 * bumped. */
int
h_rp_aggregates_put(struct ctx *c)
{
	struct json_object *body = NULL, *list;
	struct rp rp;
	long long gen = 0;
	int gen_fits = 1, rc;

	/* The reference's order: (415, policy: the pipeline) provider
	 * lookup, body. */
	if ((rc = store_begin(c->db, 1)) != ST_OK)
		return fail_store(c, rc);
	if (find_provider(c, &rp) < 0 || read_json_body(c, &body) < 0)
		return -1;
	if (check_aggregates_body(c, body, &list, &gen, &gen_fits) < 0)
		return -1;
	int consider_generation = mv_ge(c, GENERATION_MV);
	if (consider_generation && (!gen_fits || gen != rp.generation))
		return fail(c, 409, ERR_CONCURRENT,
		            "Resource provider's generation already changed. Please update "
		            "the generation and try again.");

	int n = (int)json_object_array_length(list);
	const char **uuids = arena_alloc(c->a, (size_t)(n + 1) * sizeof(*uuids));
	if (uuids == NULL)
		return fail_oom(c);
	for (int i = 0; i < n; i++)
		uuids[i] = json_object_get_string(json_object_array_get_idx(list, i));
	if ((rc = st_rp_aggregates_set(c->db, c->a, rp.id, uuids, n)) != ST_OK)
		return fail_store(c, rc);
	if (consider_generation) {
		/* From 1.19 the generation moves even when nothing changed. */
		rc = st_rp_bump_generation(c->db, rp.id, rp.generation);
		if (rc == ST_CONFLICT)
			return fail(c, 409, ERR_CONCURRENT,
			            "Update conflict: Another thread concurrently updated the data. "
			            "Please retry your update");
		if (rc != ST_OK)
			return fail_store(c, rc);
		rp.generation++;
	}
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	write_aggregates(c, uuids, n, rp.generation);
	return 0;
}
