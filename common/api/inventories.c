/* /resource_providers/{uuid}/inventories[/{resource_class}]: list,
 * create one, replace all, delete all (1.5+), show, update and delete one.
 * Every change bumps the provider generation in the same transaction. */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "../../sql/store_inventory.h"
#include "../../sql/store_rc.h"
#include "../../sql/store_rp.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INV_MAX_INT 2147483647LL

/* --- the reference's schemas (data for common/http/jschema.c) ---
 * Keys in the reference's order: jsonschema reports the first of equally
 * relevant errors in that order.  The limits are the database's: a
 * signed 32-bit integer and a single-precision float's maximum. */

#define INV_INT_FIELD(min) \
	"{\"type\": \"integer\", \"maximum\": 2147483647, \"minimum\": " #min "}"
#define INV_FIELDS \
	"\"resource_provider_generation\": {\"type\": \"integer\"}," \
	"\"total\": " INV_INT_FIELD(1) "," \
	"\"reserved\": " INV_INT_FIELD(0) "," \
	"\"min_unit\": " INV_INT_FIELD(1) "," \
	"\"max_unit\": " INV_INT_FIELD(1) "," \
	"\"step_size\": " INV_INT_FIELD(1) "," \
	"\"allocation_ratio\": {\"type\": \"number\", \"maximum\": 3.40282e+38}"
#define INV_RECORD(required) \
	"{\"type\": \"object\", \"properties\": {" INV_FIELDS "}," \
	" \"required\": " required ", \"additionalProperties\": false}"

/* PUT /inventories/{class}: one record, its provider's generation given. */
static const char UPDATE_SCHEMA[] =
	INV_RECORD("[\"total\", \"resource_provider_generation\"]");
/* POST /inventories: one record, its class named in it. */
static const char CREATE_SCHEMA[] =
	"{\"type\": \"object\", \"properties\": {" INV_FIELDS ","
	" \"resource_class\": {\"type\": \"string\", \"pattern\": \"^[A-Z0-9_]+$\"}},"
	" \"required\": [\"total\", \"resource_class\"], \"additionalProperties\": false}";
/* PUT /inventories: every record, keyed by class. */
static const char REPLACE_SCHEMA[] =
	"{\"type\": \"object\", \"properties\": {"
	" \"resource_provider_generation\": {\"type\": \"integer\"},"
	" \"inventories\": {\"type\": \"object\", \"patternProperties\": {"
	"  \"^[A-Z0-9_]+$\": " INV_RECORD("[\"total\"]") "}}},"
	" \"required\": [\"resource_provider_generation\", \"inventories\"],"
	" \"additionalProperties\": false}";

/* --- records --- */

/* An inventory with the reference's defaults for absent fields. */
static void
inv_defaults(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->reserved = 0;
	inv->min_unit = 1;
	inv->max_unit = INV_MAX_INT;
	inv->step_size = 1;
	inv->allocation_ratio = 1.0;
}

/* Reads the fields of a validated record over the defaults. */
static void
inv_from_json(struct json_object *obj, struct inventory *inv)
{
	struct json_object *v;
	inv_defaults(inv);
	if (!json_object_is_type(obj, json_type_object))
		return;
	struct { const char *key; long long *to; } ints[] = {
		{"total", &inv->total}, {"reserved", &inv->reserved},
		{"min_unit", &inv->min_unit}, {"max_unit", &inv->max_unit},
		{"step_size", &inv->step_size},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (json_object_object_get_ex(obj, ints[i].key, &v) &&
		    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
			*ints[i].to = json_object_get_int64(v);
	}
	if (json_object_object_get_ex(obj, "allocation_ratio", &v) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		inv->allocation_ratio = json_object_get_double(v);
}

/* Whether the capacity left after reserved is acceptable: positive, or
 * from 1.26 zero too (reserved may equal total). */
static int
capacity_ok(const struct ctx *c, const struct inventory *inv)
{
	double cap = trunc((double)(inv->total - inv->reserved) * inv->allocation_ratio);
	return mv_ge(c, 26) ? cap >= 0 : cap > 0;
}

/* The reference's message for a capacity failure. */
static const char *
capacity_msg(struct ctx *c, const char *rc_name, const char *rp_uuid)
{
	return arena_printf(c->a, "Invalid inventory for '%s' on resource provider '%s'. %s",
	                    rc_name, rp_uuid,
	                    mv_ge(c, 26) ? "The reserved value is greater than total."
	                                 : "The reserved value is greater than or equal to total.");
}

static const char *const CONCURRENT_MSG =
	"Another thread concurrently updated the resource provider data. Please retry your update";

/* --- output --- */

/* Writes an integer field as the request gave it, when it did: the
 * reference answers a write with the values of its body, so "total": 2.0
 * comes back 2.0 (and an allocation_ratio of 2 comes back 2). */
static void
write_given_int(struct ctx *c, struct json_object *given, const char *key, long long v)
{
	struct json_object *g;
	if (given != NULL && json_object_object_get_ex(given, key, &g) &&
	    json_object_is_type(g, json_type_double))
		jw_double(&c->w, key, json_object_get_double(g));
	else
		jw_int(&c->w, key, v);
}

/* Writes one inventory's fields (as an object value); given: the
 * request's record of it, or NULL. */
static void
write_inv(struct ctx *c, const char *key, const struct inventory *inv, long long generation,
          struct json_object *given)
{
	struct json_object *g;
	jw_obj(&c->w, key);
	write_given_int(c, given, "total", inv->total);
	write_given_int(c, given, "reserved", inv->reserved);
	write_given_int(c, given, "min_unit", inv->min_unit);
	write_given_int(c, given, "max_unit", inv->max_unit);
	write_given_int(c, given, "step_size", inv->step_size);
	if (given != NULL && json_object_object_get_ex(given, "allocation_ratio", &g) &&
	    json_object_is_type(g, json_type_int))
		jw_int(&c->w, "allocation_ratio", json_object_get_int64(g));
	else
		jw_double(&c->w, "allocation_ratio", inv->allocation_ratio);
	/* the reference leaves a zero generation out */
	if (generation)
		jw_int(&c->w, "resource_provider_generation", generation);
	jw_obj_end(&c->w);
}

/* {"resource_provider_generation": g, "inventories": {...}}; given: the
 * request's "inventories" object, or NULL. */
static void
write_invs(struct ctx *c, const struct inventory *v, int n, long long generation,
           struct json_object *given)
{
	jw_obj(&c->w, NULL);
	jw_int(&c->w, "resource_provider_generation", generation);
	jw_obj(&c->w, "inventories");
	for (int i = 0; i < n; i++)
		write_inv(c, v[i].rc_name, &v[i], 0,
		          given != NULL ? json_object_object_get(given, v[i].rc_name) : NULL);
	jw_obj_end(&c->w);
	jw_obj_end(&c->w);
}

/* Marks an inventory's modification time (now when it has none). */
static void
seen_inv(struct ctx *c, const struct inventory *inv)
{
	const char *t = inv->updated_at ? inv->updated_at : inv->created_at;
	time_t when = t ? store_parse_time(t) : 0;
	seen_modified(c, when ? when : time(NULL));
}

/* --- lookups --- */

/* The provider of the path.  joiner NULL: the plain 404 message; else the
 * message is repeated after it, as some reference handlers word it. */
static int
find_rp(struct ctx *c, struct rp *rp, const char *joiner)
{
	const char *uuid = c->arg[0];
	int r = st_rp_by_uuid(c->db, c->a, uuid, rp);
	if (r == ST_NOTFOUND) {
		if (joiner)
			return fail(c, 404, ERR_UNDEFINED,
			            "No resource provider with uuid %s found%sNo resource provider with uuid %s found",
			            uuid, joiner, uuid);
		return fail(c, 404, ERR_UNDEFINED, "No resource provider with uuid %s found", uuid);
	}
	if (r != ST_OK)
		return fail_store(c, r);
	return 0;
}

/* Starts the write transaction and finds the provider in it. */
static int
begin_with_rp(struct ctx *c, struct rp *rp)
{
	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	return find_rp(c, rp, NULL);
}

/* Commits, mapping failure to an error. */
static int
commit(struct ctx *c)
{
	int r = store_commit(c->db);
	return r == ST_OK ? 0 : fail_store(c, r);
}

/* "'A, B'"-style list of class names for in-use messages. */
static const char *
class_names(struct ctx *c, const long long *ids, int n)
{
	struct buf b = {0};
	for (int i = 0; i < n; i++) {
		const char *name = NULL;
		if (st_rc_name_by_id(c->db, c->a, ids[i], &name) != ST_OK || name == NULL)
			name = arena_printf(c->a, "%lld", ids[i]);
		buf_printf(&b, "%s%s", i ? ", " : "", name);
	}
	const char *s = arena_strdup(c->a, b.p ? b.p : "");
	buf_free(&b);
	return s ? s : "";
}

static const char *
inventory_url(struct ctx *c, const char *rp_uuid, const char *rc_name)
{
	return arena_printf(c->a, "%s/resource_providers/%s/inventories/%s",
	                    link_base(c), rp_uuid, rc_name);
}

/* --- handlers --- */

int
h_inv_list(struct ctx *c)
{
	struct rp rp;
	struct inventory *v;
	int n;
	if (find_rp(c, &rp, " : ") < 0)
		return -1;
	int r = st_inv_list(c->db, c->a, rp.id, &v, &n);
	if (r != ST_OK)
		return fail_store(c, r);
	for (int i = 0; i < n; i++)
		seen_inv(c, &v[i]);
	/* Nothing to date an empty list by: the reference sends none. */
	c->omit_last_modified = n == 0;
	reply_json(c, 200);
	write_invs(c, v, n, rp.generation, NULL);
	return 0;
}

int
h_inv_show(struct ctx *c)
{
	struct rp rp;
	struct inventory inv;
	const char *rc_name = c->arg[1];
	if (find_rp(c, &rp, " : ") < 0)
		return -1;
	int r = st_inv_get(c->db, c->a, rp.id, rc_name, &inv);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No inventory of class %s for %s", rc_name, c->arg[0]);
	if (r != ST_OK)
		return fail_store(c, r);
	seen_inv(c, &inv);
	reply_json(c, 200);
	write_inv(c, NULL, &inv, rp.generation, NULL);
	return 0;
}

int
h_inv_create(struct ctx *c)
{
	struct json_object *body, *v;
	struct inventory inv;
	struct rp rp;

	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	if (js_validate(c, CREATE_SCHEMA, body) < 0)
		return -1;
	inv_from_json(body, &inv);
	json_object_object_get_ex(body, "resource_class", &v);
	inv.rc_name = json_object_get_string(v);

	if (!capacity_ok(c, &inv))
		return fail(c, 400, ERR_UNDEFINED, "Unable to create inventory for resource provider %s: %s",
		            rp.uuid, capacity_msg(c, inv.rc_name, rp.uuid));
	int r = st_rc_id_by_name(c->db, inv.rc_name, &inv.rc_id);
	if (r == ST_NOTFOUND)
		return fail(c, 400, ERR_UNDEFINED,
		            "Unable to create inventory for resource provider %s: No such resource class %s.",
		            rp.uuid, inv.rc_name);
	if (r == ST_OK)
		r = st_inv_add(c->db, rp.id, &inv);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT,
		            "Update conflict: Inventory for '%s' on resource provider '%s' already exists.",
		            inv.rc_name, rp.uuid);
	if (r == ST_OK)
		r = st_rp_bump_generation(c->db, rp.id, rp.generation);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT, "Update conflict: %s", CONCURRENT_MSG);
	if (r != ST_OK)
		return fail_store(c, r);
	if (commit(c) < 0)
		return -1;
	reply_header(c, "Location", inventory_url(c, rp.uuid, inv.rc_name));
	reply_json(c, 201);
	write_inv(c, NULL, &inv, rp.generation + 1, body);
	return 0;
}

int
h_inv_update(struct ctx *c)
{
	struct json_object *body, *v;
	struct inventory inv;
	struct rp rp;
	const char *rc_name = c->arg[1];

	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	if (js_validate(c, UPDATE_SCHEMA, body) < 0)
		return -1;
	json_object_object_get_ex(body, "resource_provider_generation", &v);
	if (json_object_get_int64(v) != rp.generation)
		return fail(c, 409, ERR_CONCURRENT, "resource provider generation conflict");
	inv_from_json(body, &inv);
	inv.rc_name = rc_name;

	if (!capacity_ok(c, &inv))
		return fail(c, 400, ERR_UNDEFINED, "Unable to update inventory for resource provider %s: %s",
		            rp.uuid, capacity_msg(c, rc_name, rp.uuid));
	int r = st_rc_id_by_name(c->db, rc_name, &inv.rc_id);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such resource class %s.", rc_name);
	if (r == ST_OK)
		r = st_inv_update(c->db, rp.id, &inv);
	if (r == ST_NOTFOUND)
		return fail(c, 400, ERR_UNDEFINED,
		            "No inventory record with resource class for resource provider %s: No inventory of class %s found.",
		            rp.uuid, rc_name);
	if (r == ST_OK)
		r = st_rp_bump_generation(c->db, rp.id, rp.generation);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT, "update conflict: %s", CONCURRENT_MSG);
	if (r != ST_OK)
		return fail_store(c, r);
	if (commit(c) < 0)
		return -1;
	reply_json(c, 200);
	write_inv(c, NULL, &inv, rp.generation + 1, body);
	return 0;
}

int
h_inv_delete(struct ctx *c)
{
	struct rp rp;
	long long rc_id, *inuse;
	int ninuse;
	const char *rc_name = c->arg[1];

	if (begin_with_rp(c, &rp) < 0)
		return -1;
	int r = st_rc_id_by_name(c->db, rc_name, &rc_id);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED,
		            "No inventory of class %s found for delete: No such resource class %s.",
		            rc_name, rc_name);
	if (r == ST_OK)
		r = st_inv_allocated(c->db, c->a, rp.id, &rc_id, 1, &inuse, &ninuse);
	if (r != ST_OK)
		return fail_store(c, r);
	if (ninuse > 0)
		return fail(c, 409, ERR_CONCURRENT,
		            "Unable to delete inventory of class %s: Inventory for '%s' on resource provider '%s' in use.",
		            rc_name, rc_name, rp.uuid);
	r = st_inv_delete(c->db, rp.id, rc_id);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED,
		            "No inventory of class %s found for delete: No inventory of class %s found for delete",
		            rc_name, rc_name);
	if (r == ST_OK)
		r = st_rp_bump_generation(c->db, rp.id, rp.generation);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT, "Unable to delete inventory of class %s: %s",
		            rc_name, CONCURRENT_MSG);
	if (r != ST_OK)
		return fail_store(c, r);
	if (commit(c) < 0)
		return -1;
	reply_empty(c, 204);
	return 0;
}

int
h_inv_replace_all(struct ctx *c)
{
	struct json_object *body, *v, *invs;
	struct rp rp;
	long long *inuse;
	int ninuse;

	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	if (js_validate(c, REPLACE_SCHEMA, body) < 0)
		return -1;
	json_object_object_get_ex(body, "resource_provider_generation", &v);
	if (json_object_get_int64(v) != rp.generation)
		return fail(c, 409, ERR_CONCURRENT, "resource provider generation conflict");

	json_object_object_get_ex(body, "inventories", &invs);
	int n = json_object_object_length(invs), i = 0;
	struct inventory *list = arena_alloc(c->a, sizeof(*list) * (size_t)(n + 1));
	if (list == NULL)
		return fail_oom(c);
	json_object_object_foreach(invs, k, rv) {
		inv_from_json(rv, &list[i]);
		list[i].rc_name = k;
		i++;
	}
	for (i = 0; i < n; i++)
		if (!capacity_ok(c, &list[i]))
			return fail(c, 400, ERR_UNDEFINED, "Unable to update inventory for resource provider %s: %s",
			            rp.uuid, capacity_msg(c, list[i].rc_name, rp.uuid));
	for (i = 0; i < n; i++) {
		int r = st_rc_id_by_name(c->db, list[i].rc_name, &list[i].rc_id);
		if (r == ST_NOTFOUND)
			return fail(c, 400, ERR_UNDEFINED,
			            "Unknown resource class in inventory for resource provider %s: No such resource class %s.",
			            rp.uuid, list[i].rc_name);
		if (r != ST_OK)
			return fail_store(c, r);
	}
	int r = st_inv_set(c->db, c->a, rp.id, list, n, &inuse, &ninuse);
	if (r == ST_CONFLICT && ninuse > 0)
		return fail(c, 409, ERR_INVENTORY_INUSE,
		            "update conflict: Inventory for '%s' on resource provider '%s' in use.",
		            class_names(c, inuse, ninuse), rp.uuid);
	if (r == ST_OK)
		r = st_rp_bump_generation(c->db, rp.id, rp.generation);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT, "update conflict: %s", CONCURRENT_MSG);
	if (r != ST_OK)
		return fail_store(c, r);
	if (commit(c) < 0)
		return -1;
	reply_json(c, 200);
	write_invs(c, list, n, rp.generation + 1, invs);
	return 0;
}

int
h_inv_delete_all(struct ctx *c)
{
	struct rp rp;
	long long *inuse;
	int ninuse;

	/* (Below 1.5 the router answers 405: RF_405_BELOW.) */
	if (begin_with_rp(c, &rp) < 0)
		return -1;
	int r = st_inv_set(c->db, c->a, rp.id, NULL, 0, &inuse, &ninuse);
	if (r == ST_CONFLICT && ninuse > 0)
		return fail(c, 409, ERR_INVENTORY_INUSE,
		            "Inventory for '%s' on resource provider '%s' in use.",
		            class_names(c, inuse, ninuse), rp.uuid);
	if (r == ST_OK)
		r = st_rp_bump_generation(c->db, rp.id, rp.generation);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT,
		            "Unable to delete inventory for resource provider %s because the inventory was updated by another process. Please retry your request.",
		            rp.uuid);
	if (r != ST_OK)
		return fail_store(c, r);
	if (commit(c) < 0)
		return -1;
	reply_empty(c, 204);
	return 0;
}
