/* GET /resource_providers/{uuid}/usages and GET /usages (1.9+, split by
 * consumer type from 1.38). */
#include "../http/app.h"
#include "../http/jschema.h"
#include "../http/routes.h"
#include "../../sql/store_rp.h"
#include "../../sql/store_usage.h"
#include <string.h>

int
h_rp_usages(struct ctx *c)
{
	struct rp rp;
	struct usage *u;
	int n;
	const char *uuid = c->arg[0];

	int r = store_begin(c->db, 0);
	if (r == ST_OK)
		r = st_rp_by_uuid(c->db, c->a, uuid, &rp);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED,
		            "No resource provider with uuid %s found: No resource provider with uuid %s found",
		            uuid, uuid);
	if (r == ST_OK)
		r = st_usage_by_rp(c->db, c->a, rp.id, &u, &n);
	if (r == ST_OK)
		r = store_commit(c->db);
	if (r != ST_OK)
		return fail_store(c, r);
	/* Last-Modified stays "now": usage is a question about the present. */
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_int(&c->w, "resource_provider_generation", rp.generation);
	jw_obj(&c->w, "usages");
	for (int i = 0; i < n; i++)
		jw_int(&c->w, u[i].rc_name, u[i].used);
	jw_obj_end(&c->w);
	jw_obj_end(&c->w);
	return 0;
}

/* --- GET /usages: the reference's query schemas (data for jschema) --- */

#define USAGES_ID "{\"type\": \"string\", \"minLength\": 1, \"maxLength\": 255}"
#define USAGES_PROPS "\"project_id\": " USAGES_ID ", \"user_id\": " USAGES_ID
#define USAGES_TAIL ", \"required\": [\"project_id\"], \"additionalProperties\": false}"
static const char USAGES_SCHEMA_1_9[] =
	"{\"type\": \"object\", \"properties\": {" USAGES_PROPS "}" USAGES_TAIL;
/* 1.38 adds consumer_type after the others */
static const char USAGES_SCHEMA_1_38[] =
	"{\"type\": \"object\", \"properties\": {" USAGES_PROPS ","
	" \"consumer_type\": {\"type\": \"string\", \"pattern\": \"^[A-Z0-9_]+$|^all|^unknown$\","
	"  \"minLength\": 1, \"maxLength\": 255}}" USAGES_TAIL;

/* Validates the query of GET /usages for this microversion. */
static int
validate_usages_query(struct ctx *c)
{
	return js_validate_query(c, mv_ge(c, 38) ? USAGES_SCHEMA_1_38 : USAGES_SCHEMA_1_9);
}

/* Writes {"consumer_count": n, CLASS: amount, ...} under key. */
static void
write_group(struct ctx *c, const char *key, long long consumers, const struct usage *u, int n)
{
	jw_obj(&c->w, key);
	jw_int(&c->w, "consumer_count", consumers);
	for (int i = 0; i < n; i++)
		jw_int(&c->w, u[i].rc_name, u[i].used);
	jw_obj_end(&c->w);
}

int
h_usages(struct ctx *c)
{
	const char *project = q_last(c, "project_id");
	const char *user = q_last(c, "user_id");
	const char *type = q_last(c, "consumer_type");
	struct usage *u;
	int n, r;

	if (authorize(c, "placement:usages", project) < 0)
		return -1;
	if (validate_usages_query(c) < 0)
		return -1;
	if (!mv_ge(c, 38)) {
		r = st_usage_totals(c->db, c->a, project, user, 0, &u, &n, NULL);
		if (r != ST_OK)
			return fail_store(c, r);
		reply_json(c, 200);
		jw_obj(&c->w, NULL);
		jw_obj(&c->w, "usages");
		for (int i = 0; i < n; i++)
			jw_int(&c->w, u[i].rc_name, u[i].used);
		jw_obj_end(&c->w);
		jw_obj_end(&c->w);
		return 0;
	}
	if (type && (strcmp(type, "all") == 0 || strcmp(type, "unknown") == 0)) {
		long long consumers = 0;
		r = st_usage_totals(c->db, c->a, project, user, type[0] == 'u', &u, &n, &consumers);
		if (r != ST_OK)
			return fail_store(c, r);
		reply_json(c, 200);
		jw_obj(&c->w, NULL);
		jw_obj(&c->w, "usages");
		if (n > 0)
			write_group(c, type, consumers, u, n);
		jw_obj_end(&c->w);
		jw_obj_end(&c->w);
		return 0;
	}
	struct usage_group *g;
	r = st_usage_by_type(c->db, c->a, project, user, type, &g, &n);
	if (r != ST_OK)
		return fail_store(c, r);
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_obj(&c->w, "usages");
	for (int i = 0; i < n; i++)
		write_group(c, g[i].consumer_type ? g[i].consumer_type : "unknown",
		            g[i].consumer_count, g[i].u, g[i].n);
	jw_obj_end(&c->w);
	jw_obj_end(&c->w);
	return 0;
}
