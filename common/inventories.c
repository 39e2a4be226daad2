/* /resource_providers/{uuid}/inventories[/{resource_class}]: list,
 * create one, replace all, delete all (1.5+), show, update and delete one.
 * Every change bumps the provider generation in the same transaction. */
#include "app.h"
#include "routes.h"
#include "validate.h"
#include "../sql/store_inventory.h"
#include "../sql/store_rc.h"
#include "../sql/store_rp.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INV_MAX_INT 2147483647LL
#define INV_MAX_RATIO 3.40282e+38

/* --- the reference's schemas, as jsonschema prints them --- */

/* Field schemas, in the order of the schema's properties. */
enum fkind { F_INT, F_NUM, F_RC };
struct field {
	const char *name;
	enum fkind kind;
	int has_limits;
	long long min;            /* F_INT with limits; max is INV_MAX_INT */
	const char *repr;
};
static const struct field FIELDS[] = {
	{"resource_provider_generation", F_INT, 0, 0, "{'type': 'integer'}"},
	{"total", F_INT, 1, 1, "{'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}"},
	{"reserved", F_INT, 1, 0, "{'maximum': 2147483647, 'minimum': 0, 'type': 'integer'}"},
	{"min_unit", F_INT, 1, 1, "{'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}"},
	{"max_unit", F_INT, 1, 1, "{'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}"},
	{"step_size", F_INT, 1, 1, "{'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}"},
	{"allocation_ratio", F_NUM, 1, 0, "{'maximum': 3.40282e+38, 'type': 'number'}"},
	{"resource_class", F_RC, 0, 0, "{'pattern': '^[A-Z0-9_]+$', 'type': 'string'}"},
};
#define NFIELDS_BASE 7            /* without resource_class */

/* The property list of the inventory schemas, pretty-printed at the
 * indentation each appears at (newlines shown as spaces, as the
 * reference's error bodies do). */
static const char POST_SCHEMA[] =
	"{'additionalProperties': False,      'properties': {'allocation_ratio': {'maximum': 3.40282e+38,"
	"                                          'type': 'number'},                     'max_unit': {'maximum': 2147483647,"
	"                                  'minimum': 1,                                  'type': 'integer'},"
	"                     'min_unit': {'maximum': 2147483647,                                  'minimum': 1,"
	"                                  'type': 'integer'},                     'reserved': {'maximum': 2147483647,"
	"                                  'minimum': 0,                                  'type': 'integer'},"
	"                     'resource_class': {'pattern': '^[A-Z0-9_]+$',                                        'type': 'string'},"
	"                     'resource_provider_generation': {'type': 'integer'},                     'step_size': {'maximum': 2147483647,"
	"                                   'minimum': 1,                                   'type': 'integer'},"
	"                     'total': {'maximum': 2147483647,                               'minimum': 1,"
	"                               'type': 'integer'}},      'required': ['total', 'resource_class'],      'type': 'object'}";
static const char BASE_SCHEMA[] =
	"{'additionalProperties': False,      'properties': {'allocation_ratio': {'maximum': 3.40282e+38,"
	"                                          'type': 'number'},                     'max_unit': {'maximum': 2147483647,"
	"                                  'minimum': 1,                                  'type': 'integer'},"
	"                     'min_unit': {'maximum': 2147483647,                                  'minimum': 1,"
	"                                  'type': 'integer'},                     'reserved': {'maximum': 2147483647,"
	"                                  'minimum': 0,                                  'type': 'integer'},"
	"                     'resource_provider_generation': {'type': 'integer'},                     'step_size': {'maximum': 2147483647,"
	"                                   'minimum': 1,                                   'type': 'integer'},"
	"                     'total': {'maximum': 2147483647,                               'minimum': 1,"
	"                               'type': 'integer'}},      'required': ['total', 'resource_provider_generation'],"
	"      'type': 'object'}";
static const char RECORD_SCHEMA[] =
	"{'additionalProperties': False,      'properties': {'allocation_ratio': {'maximum': 3.40282e+38,"
	"                                          'type': 'number'},                     'max_unit': {'maximum': 2147483647,"
	"                                  'minimum': 1,                                  'type': 'integer'},"
	"                     'min_unit': {'maximum': 2147483647,                                  'minimum': 1,"
	"                                  'type': 'integer'},                     'reserved': {'maximum': 2147483647,"
	"                                  'minimum': 0,                                  'type': 'integer'},"
	"                     'resource_provider_generation': {'type': 'integer'},                     'step_size': {'maximum': 2147483647,"
	"                                   'minimum': 1,                                   'type': 'integer'},"
	"                     'total': {'maximum': 2147483647,                               'minimum': 1,"
	"                               'type': 'integer'}},      'required': ['total'],      'type': 'object'}";
/* PUT all: the whole schema is long; jsonschema prints it in full. */
static const char PUT_SCHEMA[] =
	"{'additionalProperties': False,      'properties': {'inventories': {'patternProperties': {'^[A-Z0-9_]+$': {'additionalProperties': False,"
	"                                                                            'properties': {'allocation_ratio': {'maximum': 3.40282e+38,"
	"                                                                                                                'type': 'number'},"
	"                                                                                           'max_unit': {'maximum': 2147483647,"
	"                                                                                                        'minimum': 1,"
	"                                                                                                        'type': 'integer'},"
	"                                                                                           'min_unit': {'maximum': 2147483647,"
	"                                                                                                        'minimum': 1,"
	"                                                                                                        'type': 'integer'},"
	"                                                                                           'reserved': {'maximum': 2147483647,"
	"                                                                                                        'minimum': 0,"
	"                                                                                                        'type': 'integer'},"
	"                                                                                           'resource_provider_generation': {'type': 'integer'},"
	"                                                                                           'step_size': {'maximum': 2147483647,"
	"                                                                                                         'minimum': 1,"
	"                                                                                                         'type': 'integer'},"
	"                                                                                           'total': {'maximum': 2147483647,"
	"                                                                                                     'minimum': 1,"
	"                                                                                                     'type': 'integer'}},"
	"                                                                            'required': ['total'],"
	"                                                                            'type': 'object'}},"
	"                                     'type': 'object'},                     'resource_provider_generation': {'type': 'integer'}},"
	"      'required': ['resource_provider_generation', 'inventories'],      'type': 'object'}";
static const char INVENTORIES_SCHEMA[] =
	"{'patternProperties': {'^[A-Z0-9_]+$': {'additionalProperties': False,"
	"                                             'properties': {'allocation_ratio': {'maximum': 3.40282e+38,"
	"                                                                                 'type': 'number'},"
	"                                                            'max_unit': {'maximum': 2147483647,"
	"                                                                         'minimum': 1,"
	"                                                                         'type': 'integer'},"
	"                                                            'min_unit': {'maximum': 2147483647,"
	"                                                                         'minimum': 1,"
	"                                                                         'type': 'integer'},"
	"                                                            'reserved': {'maximum': 2147483647,"
	"                                                                         'minimum': 0,"
	"                                                                         'type': 'integer'},"
	"                                                            'resource_provider_generation': {'type': 'integer'},"
	"                                                            'step_size': {'maximum': 2147483647,"
	"                                                                          'minimum': 1,"
	"                                                                          'type': 'integer'},"
	"                                                            'total': {'maximum': 2147483647,"
	"                                                                      'minimum': 1,"
	"                                                                      'type': 'integer'}},"
	"                                             'required': ['total'],"
	"                                             'type': 'object'}},      'type': 'object'}";
#define RC_PATTERN "^[A-Z0-9_]+$"

/* --- schema validation with jsonschema's choice of the error to show ---
 *
 * jsonschema reports the "best" of all errors: the one nearest the top
 * of the document, and among those a type mismatch before other
 * failures, and otherwise the first found (schema order). */

struct verr {
	int set;
	int depth;
	int typeish;
	const char *detail;
};

/* Offers one error; it replaces the current one only if more relevant. */
static void
offer(struct ctx *c, struct verr *e, int depth, int typeish, const char *msg,
      const char *validator, const char *spath, const char *srepr,
      const char *ipath, const char *irepr)
{
	if (e->set && !(depth < e->depth || (depth == e->depth && typeish && !e->typeish)))
		return;
	e->set = 1;
	e->depth = depth;
	e->typeish = typeish;
	e->detail = arena_printf(c->a,
		"JSON does not validate: %s  Failed validating '%s' in %s:     %s  On %s:     %s",
		msg ? msg : "", validator, spath, srepr, ipath, irepr);
}

/* Records the chosen error as the 400 answer. */
static int
verr_fail(struct ctx *c, const struct verr *e)
{
	return fail(c, 400, ERR_UNDEFINED, "%s", e->detail ? e->detail : "JSON does not validate");
}

/* Whether s matches ^[A-Z0-9_]+$ as Python's re.search does ($ also
 * matches before one final newline). */
static int
rc_name_matches(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	return n > 0 && (s[n] == '\0' || (s[n] == '\n' && s[n + 1] == '\0'));
}

/* jsonschema's "integer": a JSON integer, or a number with no fraction. */
static int
json_integer(struct json_object *v, double *as_double)
{
	if (json_object_is_type(v, json_type_int)) {
		*as_double = (double)json_object_get_int64(v);
		return 1;
	}
	if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);
		*as_double = d;
		return isfinite(d) && d == floor(d);
	}
	return 0;
}

/* Checks one property value against its field schema. */
static void
check_field(struct ctx *c, struct verr *e, int depth, const struct field *f,
            struct json_object *v, const char *spath, const char *ipath)
{
	const char *sp = arena_printf(c->a, "%s['properties']['%s']", spath, f->name);
	const char *ip = arena_printf(c->a, "%s['%s']", ipath, f->name);
	const char *vr = jv_repr(c, v);
	const char *ir = jv_repr_sorted(c, v);
	double d;

	switch (f->kind) {
	case F_INT:
		if (!json_integer(v, &d)) {
			offer(c, e, depth, 1, arena_printf(c->a, "%s is not of type 'integer'", vr),
			      "type", sp, f->repr, ip, ir);
			return;
		}
		if (!f->has_limits)
			return;
		if (d > (double)INV_MAX_INT)
			offer(c, e, depth, 0, arena_printf(c->a, "%s is greater than the maximum of 2147483647", vr),
			      "maximum", sp, f->repr, ip, ir);
		else if (d < (double)f->min)
			offer(c, e, depth, 0, arena_printf(c->a, "%s is less than the minimum of %lld", vr, f->min),
			      "minimum", sp, f->repr, ip, ir);
		return;
	case F_NUM:
		if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
			offer(c, e, depth, 1, arena_printf(c->a, "%s is not of type 'number'", vr),
			      "type", sp, f->repr, ip, ir);
			return;
		}
		if (json_object_get_double(v) > INV_MAX_RATIO)
			offer(c, e, depth, 0, arena_printf(c->a, "%s is greater than the maximum of 3.40282e+38", vr),
			      "maximum", sp, f->repr, ip, ir);
		return;
	case F_RC:
		if (!json_object_is_type(v, json_type_string))
			offer(c, e, depth, 1, arena_printf(c->a, "%s is not of type 'string'", vr),
			      "type", sp, f->repr, ip, ir);
		else if (!rc_name_matches(json_object_get_string(v)))
			offer(c, e, depth, 0, arena_printf(c->a, "%s does not match '" RC_PATTERN "'", vr),
			      "pattern", sp, f->repr, ip, ir);
		return;
	}
}

/* An object schema of inventory fields: which fields, which required. */
struct objschema {
	int nfields;                  /* FIELDS[0..nfields) */
	const char *const *required;
	const char *repr;
};

static int
is_field(const char *key, int nfields)
{
	for (int i = 0; i < nfields; i++)
		if (strcmp(FIELDS[i].name, key) == 0)
			return 1;
	return 0;
}

/* Validates obj (at depth, reached by spath/ipath) against os. */
static void
check_object(struct ctx *c, struct verr *e, struct json_object *obj, int depth,
             const struct objschema *os, const char *spath, const char *ipath)
{
	struct json_object *v;
	if (!json_object_is_type(obj, json_type_object)) {
		offer(c, e, depth, 1, arena_printf(c->a, "%s is not of type 'object'", jv_repr(c, obj)),
		      "type", spath, os->repr, ipath, jv_repr_sorted(c, obj));
		return;
	}
	for (int i = 0; i < os->nfields; i++)
		if (json_object_object_get_ex(obj, FIELDS[i].name, &v))
			check_field(c, e, depth + 1, &FIELDS[i], v, spath, ipath);
	for (const char *const *r = os->required; *r; r++)
		if (!json_object_object_get_ex(obj, *r, NULL))
			offer(c, e, depth, 0, arena_printf(c->a, "'%s' is a required property", *r),
			      "required", spath, os->repr, ipath, jv_repr_sorted(c, obj));
	/* extra keys, named in sorted order as jsonschema does */
	const char *extra[64];
	int n = 0, more = 0;
	json_object_object_foreach(obj, k, val) {
		(void)val;
		if (is_field(k, os->nfields))
			continue;
		if (n == 64) {
			more = 1;
			continue;
		}
		int i = n++;
		while (i > 0 && strcmp(extra[i - 1], k) > 0) {
			extra[i] = extra[i - 1];
			i--;
		}
		extra[i] = k;
	}
	if (n > 0) {
		struct buf b = {0};
		for (int i = 0; i < n; i++)
			buf_printf(&b, "%s'%s'", i ? ", " : "", extra[i]);
		if (more)
			buf_puts(&b, ", ...");
		offer(c, e, depth, 0,
		      arena_printf(c->a, "Additional properties are not allowed (%s %s unexpected)",
		                   b.p ? b.p : "", n + more == 1 ? "was" : "were"),
		      "additionalProperties", spath, os->repr, ipath, jv_repr_sorted(c, obj));
		buf_free(&b);
	}
}

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

/* Writes one inventory's fields (as an object value). */
static void
write_inv(struct ctx *c, const char *key, const struct inventory *inv, long long generation)
{
	jw_obj(&c->w, key);
	jw_int(&c->w, "total", inv->total);
	jw_int(&c->w, "reserved", inv->reserved);
	jw_int(&c->w, "min_unit", inv->min_unit);
	jw_int(&c->w, "max_unit", inv->max_unit);
	jw_int(&c->w, "step_size", inv->step_size);
	jw_double(&c->w, "allocation_ratio", inv->allocation_ratio);
	/* the reference leaves a zero generation out */
	if (generation)
		jw_int(&c->w, "resource_provider_generation", generation);
	jw_obj_end(&c->w);
}

/* {"resource_provider_generation": g, "inventories": {...}} */
static void
write_invs(struct ctx *c, const struct inventory *v, int n, long long generation)
{
	jw_obj(&c->w, NULL);
	jw_int(&c->w, "resource_provider_generation", generation);
	jw_obj(&c->w, "inventories");
	for (int i = 0; i < n; i++)
		write_inv(c, v[i].rc_name, &v[i], 0);
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
	if (authorize(c, "placement:resource_providers:inventories:list", NULL) < 0)
		return -1;
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
	write_invs(c, v, n, rp.generation);
	return 0;
}

int
h_inv_show(struct ctx *c)
{
	struct rp rp;
	struct inventory inv;
	const char *rc_name = c->arg[1];
	if (authorize(c, "placement:resource_providers:inventories:show", NULL) < 0)
		return -1;
	if (find_rp(c, &rp, " : ") < 0)
		return -1;
	int r = st_inv_get(c->db, c->a, rp.id, rc_name, &inv);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No inventory of class %s for %s", rc_name, c->arg[0]);
	if (r != ST_OK)
		return fail_store(c, r);
	seen_inv(c, &inv);
	reply_json(c, 200);
	write_inv(c, NULL, &inv, rp.generation);
	return 0;
}

int
h_inv_create(struct ctx *c)
{
	static const char *const required[] = {"total", "resource_class", NULL};
	static const struct objschema os = {NFIELDS_BASE + 1, required, POST_SCHEMA};
	struct json_object *body, *v;
	struct verr e = {0};
	struct inventory inv;
	struct rp rp;

	if (authorize(c, "placement:resource_providers:inventories:create", NULL) < 0)
		return -1;
	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	check_object(c, &e, body, 0, &os, "schema", "instance");
	if (e.set)
		return verr_fail(c, &e);
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
	write_inv(c, NULL, &inv, rp.generation + 1);
	return 0;
}

int
h_inv_update(struct ctx *c)
{
	static const char *const required[] = {"total", "resource_provider_generation", NULL};
	static const struct objschema os = {NFIELDS_BASE, required, BASE_SCHEMA};
	struct json_object *body, *v;
	struct verr e = {0};
	struct inventory inv;
	struct rp rp;
	const char *rc_name = c->arg[1];

	if (authorize(c, "placement:resource_providers:inventories:update", NULL) < 0)
		return -1;
	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	check_object(c, &e, body, 0, &os, "schema", "instance");
	if (e.set)
		return verr_fail(c, &e);
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
	write_inv(c, NULL, &inv, rp.generation + 1);
	return 0;
}

int
h_inv_delete(struct ctx *c)
{
	struct rp rp;
	long long rc_id, *inuse;
	int ninuse;
	const char *rc_name = c->arg[1];

	if (authorize(c, "placement:resource_providers:inventories:delete", NULL) < 0)
		return -1;
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

/* Validates a PUT-all body: the top level, then each record whose class
 * name matches the pattern (others are not checked by the schema). */
static int
validate_put_all(struct ctx *c, struct json_object *body)
{
	static const char *const required[] = {"total", NULL};
	static const struct objschema rec = {NFIELDS_BASE, required, RECORD_SCHEMA};
	struct verr e = {0};
	struct json_object *v;

	if (!json_object_is_type(body, json_type_object)) {
		offer(c, &e, 0, 1, arena_printf(c->a, "%s is not of type 'object'", jv_repr(c, body)),
		      "type", "schema", PUT_SCHEMA, "instance", jv_repr_sorted(c, body));
		return verr_fail(c, &e);
	}
	if (json_object_object_get_ex(body, "resource_provider_generation", &v))
		check_field(c, &e, 1, &FIELDS[0], v, "schema", "instance");
	if (json_object_object_get_ex(body, "inventories", &v)) {
		const char *sp = "schema['properties']['inventories']";
		if (!json_object_is_type(v, json_type_object)) {
			offer(c, &e, 1, 1, arena_printf(c->a, "%s is not of type 'object'", jv_repr(c, v)),
			      "type", sp, INVENTORIES_SCHEMA, "instance['inventories']", jv_repr_sorted(c, v));
		} else {
			json_object_object_foreach(v, k, rv) {
				if (!rc_name_matches(k))
					continue;
				check_object(c, &e, rv, 2, &rec,
				             "schema['properties']['inventories']['patternProperties']['" RC_PATTERN "']",
				             arena_printf(c->a, "instance['inventories']['%s']", k));
			}
		}
	}
	static const char *const top_required[] = {"resource_provider_generation", "inventories"};
	for (int i = 0; i < 2; i++)
		if (!json_object_object_get_ex(body, top_required[i], NULL))
			offer(c, &e, 0, 0, arena_printf(c->a, "'%s' is a required property", top_required[i]),
			      "required", "schema", PUT_SCHEMA, "instance", jv_repr_sorted(c, body));
	{
		struct buf b = {0};
		int n = 0;
		const char *extra[64];
		json_object_object_foreach(body, k, val) {
			(void)val;
			if (strcmp(k, "resource_provider_generation") == 0 || strcmp(k, "inventories") == 0 || n == 64)
				continue;
			int i = n++;
			while (i > 0 && strcmp(extra[i - 1], k) > 0) {
				extra[i] = extra[i - 1];
				i--;
			}
			extra[i] = k;
		}
		for (int i = 0; i < n; i++)
			buf_printf(&b, "%s'%s'", i ? ", " : "", extra[i]);
		if (n > 0)
			offer(c, &e, 0, 0,
			      arena_printf(c->a, "Additional properties are not allowed (%s %s unexpected)",
			                   b.p, n == 1 ? "was" : "were"),
			      "additionalProperties", "schema", PUT_SCHEMA, "instance", jv_repr_sorted(c, body));
		buf_free(&b);
	}
	return e.set ? verr_fail(c, &e) : 0;
}

int
h_inv_replace_all(struct ctx *c)
{
	struct json_object *body, *v, *invs;
	struct rp rp;
	long long *inuse;
	int ninuse;

	if (authorize(c, "placement:resource_providers:inventories:update", NULL) < 0)
		return -1;
	if (begin_with_rp(c, &rp) < 0)
		return -1;
	if (read_json_body(c, &body) < 0)
		return -1;
	if (validate_put_all(c, body) < 0)
		return -1;
	json_object_object_get_ex(body, "resource_provider_generation", &v);
	if (json_object_get_int64(v) != rp.generation)
		return fail(c, 409, ERR_CONCURRENT, "resource provider generation conflict");

	json_object_object_get_ex(body, "inventories", &invs);
	int n = json_object_object_length(invs), i = 0;
	struct inventory *list = arena_alloc(c->a, sizeof(*list) * (size_t)(n + 1));
	if (list == NULL)
		return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
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
	write_invs(c, list, n, rp.generation + 1);
	return 0;
}

int
h_inv_delete_all(struct ctx *c)
{
	struct rp rp;
	long long *inuse;
	int ninuse;

	/* (Below 1.5 the router answers 405: RF_405_BELOW.) */
	if (authorize(c, "placement:resource_providers:inventories:delete", NULL) < 0)
		return -1;
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
