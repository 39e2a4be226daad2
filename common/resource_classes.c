/* /resource_classes: list, create, show, update (rename before 1.7,
 * create-or-verify from 1.7) and delete. */
#include "app.h"
#include "pytext.h"
#include "routes.h"
#include "validate.h"
#include "../sql/store_rc.h"
#include <stdlib.h>
#include <string.h>

/* The reference's schema for a class name body, as jsonschema prints it
 * in its messages (pformat, newlines shown as spaces). */
static const char RC_SCHEMA[] =
	"{'additionalProperties': False,      'properties': {'name': {'maxLength': 255,"
	"                              'pattern': '^CUSTOM_[A-Z0-9_]+$',"
	"                              'type': 'string'}},      'required': ['name'],"
	"      'type': 'object'}";
static const char RC_NAME_SCHEMA[] =
	"{'maxLength': 255, 'pattern': '^CUSTOM_[A-Z0-9_]+$', 'type': 'string'}";
#define RC_NAME_MAXLEN 255

/* Records the reference's 400 for a schema violation: the jsonschema
 * message followed by where it failed. */
static int
schema_fail(struct ctx *c, const char *msg, const char *validator,
            const char *schema_path, const char *schema_repr,
            const char *inst_path, const char *inst_repr)
{
	return fail(c, 400, ERR_UNDEFINED,
	            "JSON does not validate: %s  Failed validating '%s' in %s:     %s  On %s:     %s",
	            msg, validator, schema_path, schema_repr, inst_path, inst_repr);
}

/* Whether name matches ^CUSTOM_[A-Z0-9_]+$.  (Python's $ would also let
 * one final newline through; the reference then fails with a 500 while
 * writing the Location header, so such names are refused here.) */
static int
custom_name_matches(const char *name)
{
	if (strncmp(name, "CUSTOM_", 7) != 0)
		return 0;
	const char *p = name + 7;
	size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	return n > 0 && p[n] == '\0';
}


/* Validates body against the class-name schema; *name on success. */
static int
validate_name_body(struct ctx *c, struct json_object *body, const char **name)
{
	static const char *const allowed[] = {"name", NULL};
	struct json_object *v;

	if (!json_object_is_type(body, json_type_object))
		return schema_fail(c, arena_printf(c->a, "%s is not of type 'object'", jv_repr(c, body)),
		                   "type", "schema", RC_SCHEMA, "instance", jv_repr_sorted(c, body));
	if (!json_object_object_get_ex(body, "name", &v))
		return schema_fail(c, "'name' is a required property", "required", "schema",
		                   RC_SCHEMA, "instance", jv_repr_sorted(c, body));
	if (json_object_object_length(body) > 1) {
		/* jsonschema names the extras sorted */
		struct buf b = {0};
		const char *extra[64];
		int n = 0;
		json_object_object_foreach(body, k, val) {
			(void)val;
			if (strcmp(k, allowed[0]) == 0 || n == 64)
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
		char *msg = arena_printf(c->a, "Additional properties are not allowed (%s %s unexpected)",
		                         b.p ? b.p : "", n == 1 ? "was" : "were");
		buf_free(&b);
		return schema_fail(c, msg ? msg : "", "additionalProperties", "schema",
		                   RC_SCHEMA, "instance", jv_repr_sorted(c, body));
	}
	const char *vr = jv_repr(c, v);
	if (!json_object_is_type(v, json_type_string))
		return schema_fail(c, arena_printf(c->a, "%s is not of type 'string'", vr), "type",
		                   "schema['properties']['name']", RC_NAME_SCHEMA, "instance['name']",
		                   jv_repr_sorted(c, v));
	const char *s = json_object_get_string(v);
	if (!custom_name_matches(s))
		return schema_fail(c, arena_printf(c->a, "%s does not match '^CUSTOM_[A-Z0-9_]+$'", vr),
		                   "pattern", "schema['properties']['name']", RC_NAME_SCHEMA,
		                   "instance['name']", vr);
	if (py_len(s, strlen(s)) > RC_NAME_MAXLEN)
		return schema_fail(c, arena_printf(c->a, "%s is too long", vr), "maxLength",
		                   "schema['properties']['name']", RC_NAME_SCHEMA, "instance['name']", vr);
	*name = s;
	return 0;
}

/* Reads and validates a {"name": ...} body. */
static int
read_name_body(struct ctx *c, const char **name)
{
	struct json_object *body;
	if (read_json_body(c, &body) < 0)
		return -1;
	return validate_name_body(c, body, name);
}

/* Marks the class's own modification time (now when it has none). */
static void
seen_class(struct ctx *c, const struct rc *rc)
{
	const char *t = rc->updated_at ? rc->updated_at : rc->created_at;
	time_t when = t ? store_parse_time(t) : 0;
	seen_modified(c, when ? when : time(NULL));
}

static const char *
class_url(struct ctx *c, const char *name)
{
	return arena_printf(c->a, "%s/resource_classes/%s", link_base(c), name);
}

/* Writes {"name": ..., "links": [...]} (as a value or array item). */
static void
write_class(struct ctx *c, const char *key, const char *name)
{
	jw_obj(&c->w, key);
	jw_str(&c->w, "name", name);
	jw_arr(&c->w, "links");
	jw_obj(&c->w, NULL);
	jw_str(&c->w, "rel", "self");
	jw_str(&c->w, "href", class_url(c, name));
	jw_obj_end(&c->w);
	jw_arr_end(&c->w);
	jw_obj_end(&c->w);
}

/* Looks up the class named in the path: 404 as the reference words it. */
static int
find_class(struct ctx *c, const char *name, struct rc *out)
{
	int r = st_rc_by_name(c->db, c->a, name, out);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such resource class %s.", name);
	if (r != ST_OK)
		return fail_store(c, r);
	return 0;
}

int
h_rc_list(struct ctx *c)
{
	struct rc *v;
	int n;
	if (authorize(c, "placement:resource_classes:list", NULL) < 0)
		return -1;
	int r = st_rc_list(c->db, c->a, &v, &n);
	if (r != ST_OK)
		return fail_store(c, r);
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_arr(&c->w, "resource_classes");
	for (int i = 0; i < n; i++) {
		seen_class(c, &v[i]);
		write_class(c, NULL, v[i].name);
	}
	jw_arr_end(&c->w);
	jw_obj_end(&c->w);
	return 0;
}

int
h_rc_show(struct ctx *c)
{
	struct rc rc;
	if (authorize(c, "placement:resource_classes:show", NULL) < 0)
		return -1;
	if (find_class(c, c->arg[0], &rc) < 0)
		return -1;
	seen_class(c, &rc);
	reply_json(c, 200);
	write_class(c, NULL, rc.name);
	return 0;
}

int
h_rc_create(struct ctx *c)
{
	const char *name;
	long long id;
	if (authorize(c, "placement:resource_classes:create", NULL) < 0)
		return -1;
	if (read_name_body(c, &name) < 0)
		return -1;
	int r = store_begin(c->db, 1);
	if (r == ST_OK)
		r = st_rc_create(c->db, name, &id);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_UNDEFINED, "Conflicting resource class already exists: %s", name);
	if (r != ST_OK || (r = store_commit(c->db)) != ST_OK)
		return fail_store(c, r);
	reply_header(c, "Location", class_url(c, name));
	reply_empty(c, 201);
	return 0;
}

/* PUT before 1.7: renames a custom class. */
static int
rc_rename(struct ctx *c)
{
	const char *old = c->arg[0], *name;
	struct rc rc;
	if (read_name_body(c, &name) < 0)
		return -1;
	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	if (find_class(c, old, &rc) < 0)
		return -1;
	if (st_rc_is_standard_id(rc.id))
		return fail(c, 400, ERR_UNDEFINED, "Cannot update standard resource class %s", old);
	r = st_rc_rename(c->db, rc.id, name);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_UNDEFINED, "Resource class already exists: %s", name);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such resource class %s.", old);
	if (r != ST_OK || (r = store_commit(c->db)) != ST_OK)
		return fail_store(c, r);
	reply_json(c, 200);
	write_class(c, NULL, name);
	return 0;
}

/* PUT from 1.7: creates the class (201) or confirms it exists (204). */
static int
rc_ensure(struct ctx *c)
{
	const char *name = c->arg[0];
	struct rc rc;
	long long id;
	/* The reference validates the path's name as a {"name": ...} body. */
	struct json_object *inst = json_object_new_object();
	if (inst == NULL)
		return fail(c, 503, ERR_UNDEFINED, "Out of memory.");
	json_object_object_add(inst, "name", json_object_new_string(name));
	int bad = validate_name_body(c, inst, &name);
	if (!bad)
		name = arena_strdup(c->a, name);
	json_object_put(inst);
	if (bad || name == NULL)
		return bad ? -1 : fail(c, 503, ERR_UNDEFINED, "Out of memory.");

	int status = 204;
	int r = store_begin(c->db, 1);
	if (r == ST_OK)
		r = st_rc_by_name(c->db, c->a, name, &rc);
	if (r == ST_NOTFOUND) {
		r = st_rc_create(c->db, name, &id);
		status = 201;
	}
	if (r != ST_OK || (r = store_commit(c->db)) != ST_OK)
		return fail_store(c, r);
	reply_header(c, "Location", class_url(c, name));
	reply_empty(c, status);
	return 0;
}

int
h_rc_update(struct ctx *c)
{
	if (authorize(c, "placement:resource_classes:update", NULL) < 0)
		return -1;
	return mv_ge(c, 7) ? rc_ensure(c) : rc_rename(c);
}

int
h_rc_delete(struct ctx *c)
{
	const char *name = c->arg[0];
	struct rc rc;
	if (authorize(c, "placement:resource_classes:delete", NULL) < 0)
		return -1;
	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	if (find_class(c, name, &rc) < 0)
		return -1;
	if (st_rc_is_standard_id(rc.id))
		return fail(c, 400, ERR_UNDEFINED,
		            "Error in delete resource class: Cannot delete standard resource class %s.", name);
	int used = st_rc_in_use(c->db, rc.id);
	if (used < 0)
		return fail_store(c, -used);
	if (used)
		return fail(c, 409, ERR_UNDEFINED,
		            "Error in delete resource class: Cannot delete resource class %s. Class is in use in inventory.",
		            name);
	r = st_rc_delete(c->db, rc.id);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such resource class %s.", name);
	if (r != ST_OK || (r = store_commit(c->db)) != ST_OK)
		return fail_store(c, r);
	reply_empty(c, 204);
	return 0;
}
