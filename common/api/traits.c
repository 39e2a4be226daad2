/* Traits: /traits, /traits/{name} and /resource_providers/{uuid}/traits
 * (microversion 1.6+). */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "../../sql/store_trait.h"
#include "../../sql/store_rp.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define TRAIT_MAX_LEN 255
#define CUSTOM_PREFIX "CUSTOM_"

/* 1 if name is a valid custom trait: ^CUSTOM_[A-Z0-9_]+$, at most 255. */
static int
valid_custom_trait(const char *name)
{
	size_t len = strlen(name);
	if (len <= strlen(CUSTOM_PREFIX) || len > TRAIT_MAX_LEN ||
	    strncmp(name, CUSTOM_PREFIX, strlen(CUSTOM_PREFIX)) != 0)
		return 0;
	for (const char *p = name + strlen(CUSTOM_PREFIX); *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* Last-Modified (when t is known) and Cache-Control from 1.15, for the
 * empty answers (201, 204) the app does not stamp by itself. */
static void
cache_headers(struct ctx *c, time_t t)
{
	if (!mv_ge(c, 15))
		return;
	if (t) {
		char date[64];
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		reply_header(c, "Last-Modified", date);
	}
	reply_header(c, "Cache-Control", "no-cache");
}

/* Writes {"traits": [names...] and records their modification times;
 * the caller closes the object. */
static void
write_traits(struct ctx *c, const struct trait *t, int n)
{
	jw_obj(&c->w, NULL);
	jw_arr(&c->w, "traits");
	for (int i = 0; i < n; i++) {
		jw_str(&c->w, NULL, t[i].name);
		seen_modified(c, t[i].modified);
	}
	jw_arr_end(&c->w);
}

/* GET /traits[?name=in:A,B|startswith:X][&associated=true|false] */
int
h_trait_list(struct ctx *c)
{
	/* the reference's query schema (data for jschema) */
	static const char schema[] = "{\"type\": \"object\", \"properties\": {"
		"\"name\": {\"type\": \"string\"}, \"associated\": {\"type\": \"string\"}},"
		" \"additionalProperties\": false}";
	struct trait_filter f = {.associated = -1};
	struct trait *traits;
	int n, rc;

	if (js_validate_query(c, schema) < 0)
		return -1;
	const char *name = q_last(c, "name");
	if (name != NULL) {
		const char *colon = strchr(name, ':');
		if (colon == NULL)
			return fail(c, 400, ERR_UNDEFINED,
			            "Badly formatted name parameter. Expected name query string "
			            "parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. "
			            "Got: \"%s\"", name);
		size_t oplen = (size_t)(colon - name);
		const char *value = colon + 1;
		if (oplen == 2 && strncmp(name, "in", 2) == 0) {
			/* Split on every comma; empty names simply match nothing. */
			int count = 1;
			for (const char *p = value; *p; p++)
				count += *p == ',';
			const char **names = arena_alloc(c->a, (size_t)count * sizeof(*names));
			if (names == NULL)
				return fail_oom(c);
			const char *p = value;
			for (int i = 0; i < count; i++) {
				size_t len = strcspn(p, ",");
				names[i] = arena_strndup(c->a, p, len);
				if (names[i] == NULL)
					return fail_oom(c);
				p += len + (p[len] == ',');
			}
			f.name_in = names;
			f.n_in = count;
		} else if (oplen == 10 && strncmp(name, "startswith", 10) == 0) {
			f.prefix = value;
		}
		/* any other operator filters nothing, as in the reference */
	}
	const char *assoc = q_last(c, "associated");
	if (assoc != NULL) {
		if (strcasecmp(assoc, "true") == 0)
			f.associated = 1;
		else if (strcasecmp(assoc, "false") == 0)
			f.associated = 0;
		else
			return fail(c, 400, ERR_UNDEFINED,
			            "The query parameter \"associated\" only accepts \"true\" or \"false\"");
	}
	if ((rc = store_begin(c->db, 0)) != ST_OK)
		return fail_store(c, rc);
	rc = st_trait_list(c->db, c->a, &f, &traits, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	store_commit(c->db);
	reply_json(c, 200);
	write_traits(c, traits, n);
	jw_obj_end(&c->w);
	return 0;
}

/* GET /traits/{name}: 204 when it exists. */
int
h_trait_show(struct ctx *c)
{
	struct trait t;
	int rc = st_trait_by_name(c->db, c->a, c->arg[0], &t);
	if (rc == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such trait(s): %s.", c->arg[0]);
	if (rc != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, 204);
	cache_headers(c, t.created);
	return 0;
}

/* PUT /traits/{name}: 201 when created, 204 when it already existed. */
int
h_trait_put(struct ctx *c)
{
	const char *name = c->arg[0];
	struct trait t;
	int status = 204, rc;

	if (!valid_custom_trait(name))
		return fail(c, 400, ERR_UNDEFINED,
		            "The trait is invalid. A valid trait must be no longer than 255 "
		            "characters, start with the prefix \"CUSTOM_\" and use following "
		            "characters: \"A\"-\"Z\", \"0\"-\"9\" and \"_\"");
	if ((rc = store_begin(c->db, 1)) != ST_OK)
		return fail_store(c, rc);
	rc = st_trait_by_name(c->db, c->a, name, &t);
	if (rc == ST_NOTFOUND) {
		rc = st_trait_create(c->db, c->a, name, &t);
		status = 201;
	}
	if (rc != ST_OK)
		return fail_store(c, rc);
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, status);
	reply_header(c, "Location", arena_printf(c->a, "%s/traits/%s", link_base(c), name));
	cache_headers(c, t.created ? t.created : time(NULL));
	return 0;
}

/* DELETE /traits/{name}: only unused custom traits. */
int
h_trait_delete(struct ctx *c)
{
	const char *name = c->arg[0];
	struct trait t;
	int rc;

	if ((rc = store_begin(c->db, 1)) != ST_OK)
		return fail_store(c, rc);
	rc = st_trait_by_name(c->db, c->a, name, &t);
	if (rc == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED, "No such trait(s): %s.", name);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (strncmp(name, CUSTOM_PREFIX, strlen(CUSTOM_PREFIX)) != 0)
		return fail(c, 400, ERR_UNDEFINED, "Cannot delete standard trait %s.", name);
	int used = st_trait_in_use(c->db, t.id);
	if (used < 0)
		return fail_store(c, -used);
	if (used)
		return fail(c, 409, ERR_UNDEFINED,
		            "The trait %s is in use by a resource provider.", name);
	if ((rc = st_trait_delete(c->db, t.id)) != ST_OK)
		return fail_store(c, rc);
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, 204);
	return 0;
}

/* Looks up the provider of the path; 404 worded as the reference (the
 * trait listing repeats the message after a colon). */
static int
find_provider(struct ctx *c, struct rp *rp, int repeat_message)
{
	const char *uuid = c->arg[0];
	int rc = st_rp_by_uuid(c->db, c->a, uuid, rp);
	if (rc == ST_NOTFOUND) {
		if (repeat_message)
			return fail(c, 404, ERR_UNDEFINED,
			            "No resource provider with uuid %s found: "
			            "No resource provider with uuid %s found", uuid, uuid);
		return fail(c, 404, ERR_UNDEFINED, "No resource provider with uuid %s found", uuid);
	}
	if (rc != ST_OK)
		return fail_store(c, rc);
	return 0;
}

/* GET /resource_providers/{uuid}/traits */
int
h_rp_traits_get(struct ctx *c)
{
	struct rp rp;
	struct trait *traits;
	int n, rc;

	if ((rc = store_begin(c->db, 0)) != ST_OK)
		return fail_store(c, rc);
	if (find_provider(c, &rp, 1) < 0)
		return -1;
	if ((rc = st_rp_traits(c->db, c->a, rp.id, &traits, &n)) != ST_OK)
		return fail_store(c, rc);
	store_commit(c->db);
	reply_json(c, 200);
	write_traits(c, traits, n);
	jw_int(&c->w, "resource_provider_generation", rp.generation);
	jw_obj_end(&c->w);
	return 0;
}

/* The body of PUT /resource_providers/{uuid}/traits, as the reference's
 * schema has it (key order matters: errors are chosen in schema order). */
static const char rp_traits_schema[] =
	"{\"type\": \"object\","
	" \"properties\": {"
	"  \"traits\": {\"type\": \"array\","
	"   \"items\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 255}},"
	"  \"resource_provider_generation\": {\"type\": \"integer\"}},"
	" \"required\": [\"traits\", \"resource_provider_generation\"],"
	" \"additionalProperties\": false}";

/* A provider's traits changed: its generation moves (409 when another
 * writer moved it first). */
static int
bump_generation(struct ctx *c, struct rp *rp)
{
	int rc = st_rp_bump_generation(c->db, rp->id, rp->generation);
	if (rc == ST_CONFLICT)
		return fail(c, 409, ERR_CONCURRENT,
		            "Another thread concurrently updated the data. Please retry your update");
	if (rc != ST_OK)
		return fail_store(c, rc);
	rp->generation++;
	return 0;
}

/* PUT /resource_providers/{uuid}/traits */
int
h_rp_traits_put(struct ctx *c)
{
	struct json_object *body;
	struct rp rp;
	long long gen = 0;
	int gen_exact = 1, rc;

	if (read_json_body(c, &body) < 0)
		return -1;
	if (js_validate(c, rp_traits_schema, body) < 0)
		return -1;
	struct json_object *list, *g;
	json_object_object_get_ex(body, "traits", &list);
	json_object_object_get_ex(body, "resource_provider_generation", &g);
	js_integer(g, &gen, &gen_exact);
	int nwant = (int)json_object_array_length(list);
	const char **want = arena_alloc(c->a, (size_t)(nwant + 1) * sizeof(*want));
	long long *ids = arena_alloc(c->a, (size_t)(nwant + 1) * sizeof(*ids));
	if (want == NULL || ids == NULL)
		return fail_oom(c);
	for (int i = 0; i < nwant; i++)
		want[i] = json_object_get_string(json_object_array_get_idx(list, i));

	if ((rc = store_begin(c->db, 1)) != ST_OK)
		return fail_store(c, rc);
	if (find_provider(c, &rp, 0) < 0)
		return -1;
	if (!gen_exact || rp.generation != gen)
		return fail(c, 409, ERR_CONCURRENT,
		            "Resource provider's generation already changed. Please update "
		            "the generation and try again.");

	struct trait_filter f = {.name_in = want, .n_in = nwant, .associated = -1};
	struct trait *found;
	int nfound;
	if ((rc = st_trait_list(c->db, c->a, &f, &found, &nfound)) != ST_OK)
		return fail_store(c, rc);
	if (nfound < nwant) {
		/* Name the unknown ones, each once, in the order given. */
		struct buf missing = {0};
		for (int i = 0; i < nwant; i++) {
			int known = 0;
			for (int j = 0; j < nfound && !known; j++)
				known = strcmp(found[j].name, want[i]) == 0;
			for (int j = 0; j < i && !known; j++)
				known = strcmp(want[j], want[i]) == 0;
			if (known)
				continue;
			if (missing.len)
				buf_puts(&missing, ", ");
			buf_puts(&missing, want[i]);
		}
		if (missing.len) {
			const char *names = arena_strdup(c->a, missing.p);
			buf_free(&missing);
			return fail(c, 400, ERR_UNDEFINED, "No such trait %s", names ? names : "");
		}
		buf_free(&missing);
	}
	for (int i = 0; i < nfound; i++)
		ids[i] = found[i].id;
	int changed = 0;
	if ((rc = st_rp_traits_set(c->db, c->a, rp.id, ids, nfound, &changed)) != ST_OK)
		return fail_store(c, rc);
	if (changed && bump_generation(c, &rp) < 0)
		return -1;
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	reply_json(c, 200);
	write_traits(c, found, nfound);
	jw_int(&c->w, "resource_provider_generation", rp.generation);
	jw_obj_end(&c->w);
	return 0;
}

/* DELETE /resource_providers/{uuid}/traits: removes every trait. */
int
h_rp_traits_delete(struct ctx *c)
{
	struct rp rp;
	int changed = 0, rc;

	if ((rc = store_begin(c->db, 1)) != ST_OK)
		return fail_store(c, rc);
	if (find_provider(c, &rp, 0) < 0)
		return -1;
	if ((rc = st_rp_traits_set(c->db, c->a, rp.id, NULL, 0, &changed)) != ST_OK)
		return fail_store(c, rc);
	if (changed && bump_generation(c, &rp) < 0)
		return -1;
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, 204);
	return 0;
}
