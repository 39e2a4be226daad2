/* GET /resource_providers/{uuid}/usages and GET /usages (1.9+, split by
 * consumer type from 1.38). */
#include "app.h"
#include "pytext.h"
#include "routes.h"
#include "../sql/store_rp.h"
#include "../sql/store_usage.h"
#include <string.h>

int
h_rp_usages(struct ctx *c)
{
	struct rp rp;
	struct usage *u;
	int n;
	const char *uuid = c->arg[0];

	if (authorize(c, "placement:resource_providers:usages", NULL) < 0)
		return -1;
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

/* --- GET /usages query validation, worded as jsonschema does --- */

static const char USAGES_SCHEMA_1_9[] =
	"{'additionalProperties': False,      'properties': {'project_id': {'maxLength': 255,"
	"                                    'minLength': 1,                                    'type': 'string'},"
	"                     'user_id': {'maxLength': 255,                                 'minLength': 1,"
	"                                 'type': 'string'}},      'required': ['project_id'],      'type': 'object'}";
static const char USAGES_SCHEMA_1_38[] =
	"{'additionalProperties': False,      'properties': {'consumer_type': {'maxLength': 255,"
	"                                       'minLength': 1,                                       'pattern': '^[A-Z0-9_]+$|^all|^unknown$',"
	"                                       'type': 'string'},                     'project_id': {'maxLength': 255,"
	"                                    'minLength': 1,                                    'type': 'string'},"
	"                     'user_id': {'maxLength': 255,                                 'minLength': 1,"
	"                                 'type': 'string'}},      'required': ['project_id'],      'type': 'object'}";
static const char ID_SCHEMA[] = "{'maxLength': 255, 'minLength': 1, 'type': 'string'}";
static const char TYPE_SCHEMA[] =
	"{'maxLength': 255,      'minLength': 1,      'pattern': '^[A-Z0-9_]+$|^all|^unknown$',      'type': 'string'}";
#define ID_MAXLEN 255

/* The distinct query keys, sorted (as Python prints a dict). */
static int
sorted_keys(const struct ctx *c, const char **out)
{
	int n = 0;
	for (int i = 0; i < c->nq; i++) {
		int dup = 0;
		for (int j = 0; j < n && !dup; j++)
			dup = strcmp(out[j], c->q[i].key) == 0;
		if (dup)
			continue;
		int k = n++;
		while (k > 0 && strcmp(out[k - 1], c->q[i].key) > 0) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = c->q[i].key;
	}
	return n;
}

/* The query as the dict jsonschema was given, in Python's notation. */
static const char *
query_repr(struct ctx *c, const char **keys, int n)
{
	struct buf b = {0};
	buf_putc(&b, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%s: %s", i ? ", " : "", py_repr_str(c->a, keys[i]),
		           py_repr_str(c->a, q_last(c, keys[i])));
	buf_putc(&b, '}');
	const char *r = arena_strdup(c->a, b.p);
	buf_free(&b);
	return r ? r : "{}";
}

static int
query_fail(struct ctx *c, const char *msg, const char *validator, const char *spath,
           const char *srepr, const char *ipath, const char *irepr)
{
	return fail(c, 400, ERR_UNDEFINED,
	            "Invalid query string parameters: %s  Failed validating '%s' in %s:     %s  On %s:     %s",
	            msg, validator, spath, srepr, ipath, irepr);
}

/* Python re.search of ^[A-Z0-9_]+$|^all|^unknown$ ($ also before a
 * final newline). */
static int
consumer_type_matches(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	if (n > 0 && (s[n] == '\0' || (s[n] == '\n' && s[n + 1] == '\0')))
		return 1;
	if (strncmp(s, "all", 3) == 0)
		return 1;
	return strcmp(s, "unknown") == 0 || strcmp(s, "unknown\n") == 0;
}

/* Checks one string property: pattern (consumer_type only), then length. */
static int
check_param(struct ctx *c, const char *key, const char *schema, int with_pattern)
{
	const char *v = q_last(c, key);
	if (v == NULL)
		return 0;
	const char *spath = arena_printf(c->a, "schema['properties']['%s']", key);
	const char *ipath = arena_printf(c->a, "instance['%s']", key);
	const char *vr = py_repr_str(c->a, v);
	if (with_pattern && !consumer_type_matches(v))
		return query_fail(c, arena_printf(c->a, "%s does not match '^[A-Z0-9_]+$|^all|^unknown$'", vr),
		                  "pattern", spath, schema, ipath, vr);
	size_t len = py_len(v, strlen(v));
	if (len < 1)
		return query_fail(c, arena_printf(c->a, "%s is too short", vr), "minLength",
		                  spath, schema, ipath, vr);
	if (len > ID_MAXLEN)
		return query_fail(c, arena_printf(c->a, "%s is too long", vr), "maxLength",
		                  spath, schema, ipath, vr);
	return 0;
}

/* Validates the query of GET /usages for this microversion. */
static int
validate_usages_query(struct ctx *c)
{
	int with_type = mv_ge(c, 38);
	const char *schema = with_type ? USAGES_SCHEMA_1_38 : USAGES_SCHEMA_1_9;
	const char **keys = arena_alloc(c->a, sizeof(*keys) * (size_t)(c->nq + 1));
	if (keys == NULL)
		return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
	int n = sorted_keys(c, keys);

	if (q_last(c, "project_id") == NULL)
		return query_fail(c, "'project_id' is a required property", "required", "schema",
		                  schema, "instance", query_repr(c, keys, n));
	struct buf b = {0};
	int extra = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(keys[i], "project_id") == 0 || strcmp(keys[i], "user_id") == 0 ||
		    (with_type && strcmp(keys[i], "consumer_type") == 0))
			continue;
		buf_printf(&b, "%s%s", extra++ ? ", " : "", py_repr_str(c->a, keys[i]));
	}
	if (extra) {
		const char *msg = arena_printf(c->a, "Additional properties are not allowed (%s %s unexpected)",
		                               b.p, extra == 1 ? "was" : "were");
		buf_free(&b);
		return query_fail(c, msg ? msg : "", "additionalProperties", "schema", schema,
		                  "instance", query_repr(c, keys, n));
	}
	/* properties in the schema's order (consumer_type was added last) */
	if (check_param(c, "project_id", ID_SCHEMA, 0) < 0 ||
	    check_param(c, "user_id", ID_SCHEMA, 0) < 0)
		return -1;
	if (with_type && check_param(c, "consumer_type", TYPE_SCHEMA, 1) < 0)
		return -1;
	return 0;
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
