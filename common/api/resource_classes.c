/* /resource_classes: list, create, show, update (rename before 1.7,
 * create-or-verify from 1.7) and delete. */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "../../sql/store_rc.h"
#include <stdlib.h>
#include <string.h>

/* The reference's schema of a class name body (data for jschema). */
static const char RC_SCHEMA[] =
	"{\"type\": \"object\","
	" \"properties\": {\"name\": {\"type\": \"string\", \"pattern\": \"^CUSTOM_[A-Z0-9_]+$\","
	"  \"maxLength\": 255}},"
	" \"required\": [\"name\"], \"additionalProperties\": false}";

/* Validates body against the class-name schema; *name on success.  The
 * pattern's "$" is POSIX's here: Python's also lets one final newline
 * through, and the reference then fails with a 500 writing the Location
 * header, so such names are refused as not matching. */
static int
validate_name_body(struct ctx *c, struct json_object *body, const char **name)
{
	if (js_validate_flags(c, RC_SCHEMA, body, JS_POSIX_END) < 0)
		return -1;
	*name = json_object_get_string(json_object_object_get(body, "name"));
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
		return fail_oom(c);
	json_object_object_add(inst, "name", json_object_new_string(name));
	int bad = validate_name_body(c, inst, &name);
	if (!bad)
		name = arena_strdup(c->a, name);
	json_object_put(inst);
	if (bad || name == NULL)
		return bad ? -1 : fail_oom(c);

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
	return mv_ge(c, 7) ? rc_ensure(c) : rc_rename(c);
}

int
h_rc_delete(struct ctx *c)
{
	const char *name = c->arg[0];
	struct rc rc;
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
