/* /resource_providers and /resource_providers/{uuid}: list (with its
 * filters), create, show, update (rename, re-parent) and delete. */
#include "../http/app.h"
#include "filters.h"
#include "../util/pytext.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "../../sql/store_rp.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

/* ------------------------------------------------------------------ */
/* JSON out */

/* Writes one link {"rel": rel, "href": self[/rel]}; self is the
 * provider's path, a JSON-safe string of selflen bytes. */
static void
write_link(struct ctx *c, const char *self, size_t selflen, const char *rel)
{
	struct buf *b = c->w.b;
	jw_obj(&c->w, NULL);
	jw_str(&c->w, "rel", rel ? rel : "self");
	jw_key(&c->w, "href");
	buf_putc(b, '"');
	buf_append(b, self, selflen);
	if (rel != NULL) {
		buf_putc(b, '/');
		buf_puts(b, rel);
	}
	buf_putc(b, '"');
	jw_obj_end(&c->w);
}

/* The provider's URL path, mount-aware (NULL when out of memory). */
static const char *
rp_url(struct ctx *c, const struct rp *rp)
{
	const char *base = link_base(c);
	size_t bl = strlen(base), ul = strlen(rp->uuid);
	static const char mid[] = "/resource_providers/";
	char *s = arena_alloc(c->a, bl + sizeof(mid) + ul);
	if (s == NULL)
		return NULL;
	memcpy(s, base, bl);
	memcpy(s + bl, mid, sizeof(mid) - 1);
	memcpy(s + bl + sizeof(mid) - 1, rp->uuid, ul + 1);
	return s;
}

/* Writes a provider as the microversion shapes it. */
static void
write_rp(struct ctx *c, const char *key, const struct rp *rp)
{
	/* The provider's path, mount-aware, JSON-escaped once for all links. */
	struct buf self = {0};
	const char *path = rp_url(c, rp);
	buf_json_string(&self, path ? path : "");
	const char *selfp = self.oom ? "" : self.p + 1;
	size_t selflen = self.oom ? 0 : self.len - 2;

	jw_obj(&c->w, key);
	jw_str(&c->w, "uuid", rp->uuid);
	jw_str(&c->w, "name", rp->name);
	jw_int(&c->w, "generation", rp->generation);
	jw_arr(&c->w, "links");
	write_link(c, selfp, selflen, NULL);
	write_link(c, selfp, selflen, "inventories");
	write_link(c, selfp, selflen, "usages");
	if (mv_ge(c, 1))
		write_link(c, selfp, selflen, "aggregates");
	if (mv_ge(c, 6))
		write_link(c, selfp, selflen, "traits");
	if (mv_ge(c, 11))
		write_link(c, selfp, selflen, "allocations");
	jw_arr_end(&c->w);
	if (mv_ge(c, 14)) {
		jw_str(&c->w, "parent_provider_uuid", rp->parent_uuid);
		jw_str(&c->w, "root_provider_uuid", rp->root_uuid);
	}
	jw_obj_end(&c->w);
	buf_free(&self);
}

/* Last-Modified candidate of a stored provider. */
static void
note_modified(struct ctx *c, const struct rp *rp)
{
	const char *t = rp->updated_at ? rp->updated_at : rp->created_at;
	if (t != NULL)
		seen_modified(c, store_parse_time(t));
}

/* ------------------------------------------------------------------ */
/* Body validation, worded as the reference's jsonschema does */

/* The reference's body schemas (data for jschema): POST or PUT, before
 * or from 1.14 (which adds parent_provider_uuid after the others). */
#define RP_SCHEMA_HEAD \
	"{\"type\": \"object\", \"properties\": {" \
	"\"name\": {\"type\": \"string\", \"maxLength\": 200}"
#define RP_SCHEMA_UUID ", \"uuid\": {\"type\": \"string\", \"format\": \"uuid\"}"
#define RP_SCHEMA_PARENT \
	", \"parent_provider_uuid\": {\"anyOf\": [" \
	"{\"type\": \"string\", \"format\": \"uuid\"}, {\"type\": \"null\"}]}"
#define RP_SCHEMA_TAIL "}, \"required\": [\"name\"], \"additionalProperties\": false}"
static const char *
body_schema_text(int post, int nested)
{
	static const char *const texts[4] = {
		RP_SCHEMA_HEAD RP_SCHEMA_TAIL,
		RP_SCHEMA_HEAD RP_SCHEMA_PARENT RP_SCHEMA_TAIL,
		RP_SCHEMA_HEAD RP_SCHEMA_UUID RP_SCHEMA_TAIL,
		RP_SCHEMA_HEAD RP_SCHEMA_UUID RP_SCHEMA_PARENT RP_SCHEMA_TAIL,
	};
	return texts[(post ? 2 : 0) + (nested ? 1 : 0)];
}

/* The validated body of POST/PUT. */
struct rp_body {
	const char *name;
	const char *uuid_raw;        /* POST: as given, NULL if absent */
	int has_parent;              /* parent_provider_uuid key present */
	const char *parent;          /* as given; NULL: JSON null */
};

/* Validates body against the reference's schema for this method and
 * microversion, and picks its fields. */
static int
validate_body(struct ctx *c, struct json_object *body, int post, struct rp_body *out)
{
	int nested = mv_ge(c, 14);
	struct json_object *v;
	memset(out, 0, sizeof(*out));
	if (js_validate(c, body_schema_text(post, nested), body) < 0)
		return -1;
	out->name = json_object_get_string(json_object_object_get(body, "name"));
	if (post && json_object_object_get_ex(body, "uuid", &v))
		out->uuid_raw = json_object_get_string(v);
	if (nested && json_object_object_get_ex(body, "parent_provider_uuid", &v)) {
		out->has_parent = 1;
		out->parent = v == NULL ? NULL : json_object_get_string(v);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* GET /resource_providers/{uuid} */

int
h_rp_show(struct ctx *c)
{
	struct rp rp;
	int r = st_rp_by_uuid(c->db, c->a, c->arg[0], &rp);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No resource provider with uuid %s found", c->arg[0]);
	if (r != ST_OK)
		return fail_store(c, r);
	reply_json(c, 200);
	write_rp(c, NULL, &rp);
	note_modified(c, &rp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* POST /resource_providers */

int
h_rp_create(struct ctx *c)
{
	struct json_object *body;
	struct rp_body in;
	char uuid[37];

	if (read_json_body(c, &body) < 0)
		return -1;
	if (validate_body(c, body, 1, &in) < 0)
		return -1;

	if (in.uuid_raw != NULL) {
		uuid_normalize(in.uuid_raw, uuid);
	} else {
		uuid_t u;
		uuid_generate_random(u);
		uuid_unparse_lower(u, uuid);
	}
	if (in.name[0] == '\0')
		return fail(c, 400, ERR_UNDEFINED,
		            "Unable to create resource provider \"%s\", %s: Object action create failed because: name is required",
		            in.name, uuid);
	if (in.parent != NULL && strcmp(in.parent, uuid) == 0)
		return fail(c, 400, ERR_UNDEFINED,
		            "Unable to create resource provider \"%s\", %s: Object action create failed because: "
		            "parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.",
		            in.name, uuid);

	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	struct rp parent, created;
	if (in.parent != NULL) {
		r = st_rp_by_uuid(c->db, c->a, in.parent, &parent);
		if (r == ST_NOTFOUND)
			return fail(c, 400, ERR_UNDEFINED,
			            "Unable to create resource provider \"%s\", %s: Object action create failed because: "
			            "parent provider UUID does not exist.", in.name, uuid);
		if (r != ST_OK)
			return fail_store(c, r);
	}
	const char *dup = NULL;
	r = st_rp_create(c->db, c->a, uuid, in.name, in.parent ? &parent : NULL, &created, &dup);
	if (r == ST_CONFLICT && dup != NULL)
		return fail(c, 409, ERR_DUPLICATE_NAME,
		            "Conflicting resource provider %s: %s already exists.",
		            dup, strcmp(dup, "uuid") == 0 ? uuid : in.name);
	if (r != ST_OK)
		return fail_store(c, r);
	r = store_commit(c->db);
	if (r != ST_OK)
		return fail_store(c, r);

	reply_header(c, "Location", rp_url(c, &created));
	if (mv_ge(c, 20)) {
		reply_json(c, 200);
		write_rp(c, NULL, &created);
	} else {
		reply_empty(c, 201);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* PUT /resource_providers/{uuid} */

/* Applies the reference's re-parenting rules; 0 with *new_parent set
 * (NULL: none), or -1 with the 400 recorded. */
static int
check_new_parent(struct ctx *c, const struct rp *rp, const char *parent_uuid,
                 struct rp *parent, const struct rp **new_parent)
{
	const char *why = NULL;
	const char *action = "update";
	*new_parent = NULL;
	if (parent_uuid != NULL) {
		int r = st_rp_by_uuid(c->db, c->a, parent_uuid, parent);
		if (r == ST_NOTFOUND) {
			action = "create";
			why = "parent provider UUID does not exist.";
		} else if (r != ST_OK) {
			return fail_store(c, r);
		} else if (rp->parent_id != 0 && rp->parent_id != parent->id && !mv_ge(c, 37)) {
			why = "re-parenting a provider is not currently allowed.";
		} else {
			int loop = st_rp_is_in_subtree(c->db, rp->id, parent->id);
			if (loop < 0)
				return fail_store(c, -loop);
			if (loop)
				why = "creating loop in the provider tree is not allowed.";
			*new_parent = parent;
		}
	} else if (rp->parent_id != 0 && !mv_ge(c, 37)) {
		why = "un-parenting a provider is not currently allowed.";
	}
	if (why != NULL)
		return fail(c, 400, ERR_UNDEFINED,
		            "Unable to save resource provider %s: Object action %s failed because: %s",
		            c->arg[0], action, why);
	return 0;
}

int
h_rp_update(struct ctx *c)
{
	struct json_object *body;
	struct rp_body in;
	struct rp rp, parent;
	const struct rp *new_parent;

	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	r = st_rp_by_uuid(c->db, c->a, c->arg[0], &rp);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No resource provider with uuid %s found", c->arg[0]);
	if (r != ST_OK)
		return fail_store(c, r);
	if (read_json_body(c, &body) < 0)
		return -1;
	if (validate_body(c, body, 0, &in) < 0)
		return -1;

	/* The reference always re-applies the parent: absent means "keep". */
	const char *parent_uuid = in.has_parent ? in.parent : rp.parent_uuid;
	if (check_new_parent(c, &rp, parent_uuid, &parent, &new_parent) < 0)
		return -1;

	/* Last-Modified is the provider's time as it was read. */
	struct rp before = rp;
	r = st_rp_update(c->db, c->a, &rp, in.name, new_parent);
	if (r == ST_CONFLICT)
		return fail(c, 409, ERR_DUPLICATE_NAME,
		            "Conflicting resource provider %s already exists.", in.name);
	if (r != ST_OK)
		return fail_store(c, r);
	r = store_commit(c->db);
	if (r != ST_OK)
		return fail_store(c, r);

	reply_json(c, 200);
	write_rp(c, NULL, &rp);
	note_modified(c, &before);
	return 0;
}

/* ------------------------------------------------------------------ */
/* DELETE /resource_providers/{uuid} */

int
h_rp_delete(struct ctx *c)
{
	struct rp rp;
	int r = store_begin(c->db, 1);
	if (r != ST_OK)
		return fail_store(c, r);
	r = st_rp_by_uuid(c->db, c->a, c->arg[0], &rp);
	if (r == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED,
		            "No resource provider with uuid %s found for delete", c->arg[0]);
	if (r != ST_OK)
		return fail_store(c, r);
	int yes = st_rp_has_children(c->db, rp.id);
	if (yes < 0)
		return fail_store(c, -yes);
	if (yes)
		return fail(c, 409, ERR_RP_DELETE_PARENT,
		            "Unable to delete parent resource provider %s: It has child resource providers.",
		            c->arg[0]);
	yes = st_rp_has_allocations(c->db, rp.id);
	if (yes < 0)
		return fail_store(c, -yes);
	if (yes)
		return fail(c, 409, ERR_RP_INUSE,
		            "Unable to delete resource provider %s: Resource provider has allocations.",
		            c->arg[0]);
	r = st_rp_delete(c->db, rp.id);
	if (r != ST_OK)
		return fail_store(c, r);
	r = store_commit(c->db);
	if (r != ST_OK)
		return fail_store(c, r);
	reply_empty(c, 204);
	return 0;
}

/* ------------------------------------------------------------------ */
/* GET /resource_providers: query parsing */

/* member_of, required and resources (common/api/filters.c) into f. */
static int
parse_filters(struct ctx *c, struct rp_filter *f)
{
	struct name_filter aggs, traits;
	if (filter_member_of(c, "", &aggs) < 0 || filter_required(c, "required", &traits) < 0)
		return -1;
	f->member_of = aggs.any;
	f->nmember = aggs.nany;
	f->forbidden_aggs = aggs.forbidden;
	f->required_traits = traits.any;
	f->nrequired = traits.nany;
	f->forbidden_traits = traits.forbidden;
	const char *qs = q_last(c, "resources");
	if (qs == NULL)
		return 0;
	long long *amounts;
	if (filter_resources(c, qs, &f->rc_names.v, &amounts, &f->rc_names.n) < 0)
		return -1;
	/* the SQL adds an amount to what is used: no amount may overflow it */
	for (int i = 0; i < f->rc_names.n; i++)
		if (amounts[i] > LLONG_MAX / 2)
			amounts[i] = LLONG_MAX / 2;
	f->amounts = amounts;
	return 0;
}

/* The reference's query schemas of GET /resource_providers (data for
 * jschema): each version adds its parameter after the others. */
#define RPQ_HEAD "{\"type\": \"object\", \"properties\": {" \
	"\"name\": {\"type\": \"string\"}, \"uuid\": {\"type\": \"string\", \"format\": \"uuid\"}"
#define RPQ_1_3 ", \"member_of\": {\"type\": \"string\"}"
#define RPQ_1_4 ", \"resources\": {\"type\": \"string\"}"
#define RPQ_1_14 ", \"in_tree\": {\"type\": \"string\", \"format\": \"uuid\"}"
#define RPQ_1_18 ", \"required\": {\"type\": \"string\"}"
#define RPQ_TAIL "}, \"additionalProperties\": false}"
static const char *
list_schema(const struct ctx *c)
{
	static const char v1_0[] = RPQ_HEAD RPQ_TAIL;
	static const char v1_3[] = RPQ_HEAD RPQ_1_3 RPQ_TAIL;
	static const char v1_4[] = RPQ_HEAD RPQ_1_3 RPQ_1_4 RPQ_TAIL;
	static const char v1_14[] = RPQ_HEAD RPQ_1_3 RPQ_1_4 RPQ_1_14 RPQ_TAIL;
	static const char v1_18[] = RPQ_HEAD RPQ_1_3 RPQ_1_4 RPQ_1_14 RPQ_1_18 RPQ_TAIL;
	if (mv_ge(c, 18)) return v1_18;
	if (mv_ge(c, 14)) return v1_14;
	if (mv_ge(c, 4)) return v1_4;
	if (mv_ge(c, 3)) return v1_3;
	return v1_0;
}

/* ------------------------------------------------------------------ */
/* GET /resource_providers */

/* Streaming state of a list answer. */
struct list_state {
	struct ctx *c;
	int started;
	char newest[64];          /* newest updated_at/created_at seen */
};

/* Opens the answer once. */
static void
list_begin(struct list_state *st)
{
	if (st->started)
		return;
	st->started = 1;
	reply_json(st->c, 200);
	jw_obj(&st->c->w, NULL);
	jw_arr(&st->c->w, "resource_providers");
}

/* Writes one listed provider (rp_row_fn). */
static void
list_row(void *arg, const struct rp *row)
{
	struct list_state *st = arg;
	const char *t = row->updated_at ? row->updated_at : row->created_at;
	list_begin(st);
	write_rp(st->c, NULL, row);
	if (t != NULL && strcmp(t, st->newest) > 0)
		snprintf(st->newest, sizeof(st->newest), "%s", t);
}

int
h_rp_list(struct ctx *c)
{
	struct rp_filter f;
	memset(&f, 0, sizeof(f));
	if (js_validate_query(c, list_schema(c)) < 0)
		return -1;
	f.uuid = q_last(c, "uuid");
	if (mv_ge(c, 14))
		f.in_tree = q_last(c, "in_tree");
	if (parse_filters(c, &f) < 0)
		return -1;
	f.name = q_last(c, "name");
	if (f.name != NULL && f.name[0] == '\0')
		f.name = NULL;    /* an empty filter is no filter */

	/* Rows are written as they come; the answer starts only once the
	 * filters have been validated (an unknown trait fails first). */
	struct list_state st = {.c = c};
	int r = store_begin(c->db, 0);
	if (r != ST_OK)
		return fail_store(c, r);
	r = st_rp_list(c->db, c->a, &f, list_row, &st);
	store_rollback(c->db);
	if (r == ST_NOTFOUND && f.missing_is_rc)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid resource class in resources parameter: No such resource class %s.",
		            f.missing_name);
	if (r == ST_NOTFOUND)
		return fail(c, 400, ERR_UNDEFINED,
		            "Invalid trait(s) in \"required\" parameter: No such trait(s): %s.", f.missing_name);
	if (r != ST_OK)
		return fail_store(c, r);
	list_begin(&st);
	jw_arr_end(&c->w);
	jw_obj_end(&c->w);
	/* Stored times sort as text: parse only the newest. */
	if (st.newest[0] != '\0')
		seen_modified(c, store_parse_time(st.newest));
	return 0;
}
