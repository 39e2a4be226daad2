/* Allocations: GET/PUT/DELETE /allocations/{consumer_uuid},
 * POST /allocations, GET /resource_providers/{uuid}/allocations, and the
 * write steps the reshaper shares (allocations.h).
 *
 * A write runs in one BEGIN IMMEDIATE transaction: consumers (with their
 * projects, users and types) are found or made and their generations
 * checked; the consumers' old allocations are deleted; every new
 * allocation is checked against its inventory (min_unit, max_unit,
 * step_size, and used + requested <= (total - reserved) * ratio);
 * the rows are written; provider and consumer generations are bumped;
 * consumers left with nothing are deleted.  Generations move exactly as
 * the reference moves them: providers named in the new allocations (or
 * holding the removed allocations of a consumer whose allocations are
 * emptied) and every consumer that had an allocation in the write. */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "alloc_schema.h"
#include "allocations.h"
#include "../../sql/store_alloc.h"
#include "../../sql/store_rp.h"
#include "../../sql/store_rc.h"
#include <stdlib.h>
#include <string.h>

static const char schema_put_v1_0[] = AS_PUT_V1_0;
static const char schema_put_v1_8[] = AS_PUT_V1_8;
static const char schema_put_v1_12[] = AS_CONSUMER_V1_12;
static const char schema_put_v1_28[] = AS_CONSUMER_V1_28;
static const char schema_put_v1_34[] = AS_CONSUMER_V1_34;
static const char schema_put_v1_38[] = AS_CONSUMER_V1_38;
static const char schema_post_v1_13[] = AS_POST("1", AS_CONSUMER_V1_13);
static const char schema_post_v1_28[] = AS_POST("1", AS_CONSUMER_V1_28);
static const char schema_post_v1_34[] = AS_POST("1", AS_CONSUMER_V1_34);
static const char schema_post_v1_38[] = AS_POST("1", AS_CONSUMER_V1_38);

/* --- small helpers --- */

/* The member key of obj, or NULL (also for JSON null). */
static struct json_object *
member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

long long
alloc_amount(struct json_object *v)
{
	if (json_object_is_type(v, json_type_double))
		return (long long)json_object_get_double(v);
	return (long long)json_object_get_int64(v);
}

/* Grows an arena array of elem-sized items to hold one more. */
static void *
grow(struct ctx *c, void *arr, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	int ncap = *cap ? *cap * 2 : 16;
	void *bigger = arena_alloc(c->a, elem * (size_t)ncap);
	if (bigger == NULL)
		return NULL;
	if (n)
		memcpy(bigger, arr, elem * (size_t)n);
	*cap = ncap;
	return bigger;
}

/* --- parsing request bodies --- */

/* Adds (or, for a repeated uuid, replaces as a Python dict would) one
 * provider's resources. */
static int
add_wrp(struct ctx *c, struct wconsumer *w, int *cap, const char *uuid, struct json_object *res)
{
	for (int i = 0; i < w->nrps; i++) {
		if (strcmp(w->rps[i].uuid, uuid) == 0) {
			w->rps[i].resources = res;
			return 0;
		}
	}
	w->rps = grow(c, w->rps, w->nrps, cap, sizeof(*w->rps));
	if (w->rps == NULL)
		return fail_oom(c);
	w->rps[w->nrps].uuid = uuid;
	w->rps[w->nrps].resources = res;
	w->nrps++;
	return 0;
}

int
alloc_parse_consumer(struct ctx *c, const char *uuid, struct json_object *body,
                     struct wconsumer *out)
{
	int cap = 0;
	memset(out, 0, sizeof(*out));
	out->uuid = uuid;
	struct json_object *allocs = member(body, "allocations");
	if (json_object_is_type(allocs, json_type_array)) {
		size_t n = json_object_array_length(allocs);
		for (size_t i = 0; i < n; i++) {
			struct json_object *item = json_object_array_get_idx(allocs, i);
			struct json_object *rp = member(item, "resource_provider");
			const char *rp_uuid = json_object_get_string(member(rp, "uuid"));
			if (rp_uuid && add_wrp(c, out, &cap, rp_uuid, member(item, "resources")) < 0)
				return -1;
		}
	} else if (json_object_is_type(allocs, json_type_object)) {
		json_object_object_foreach(allocs, rp_uuid, v) {
			if (add_wrp(c, out, &cap, rp_uuid, member(v, "resources")) < 0)
				return -1;
		}
	}
	struct json_object *project = member(body, "project_id");
	if (project != NULL) {
		out->project = json_object_get_string(project);
		out->user = json_object_get_string(member(body, "user_id"));
	} else {
		out->project = c->cfg->incomplete_consumer_project_id;
		out->user = c->cfg->incomplete_consumer_user_id;
	}
	if (mv_ge(c, 28)) {
		struct json_object *gen = member(body, "consumer_generation");
		out->has_gen = 1;
		out->gen_null = gen == NULL;
		if (gen != NULL)
			out->gen = alloc_amount(gen);
	}
	struct json_object *type = member(body, "consumer_type");
	if (type != NULL)
		out->type = json_object_get_string(type);
	return 0;
}

/* --- the write steps --- */

/* Remembers a provider known by id (no lookup); returns its index. */
static int
remember_provider(struct ctx *c, struct wbatch *b, long long id, const char *uuid, long long gen)
{
	for (int i = 0; i < b->nprovs; i++)
		if (b->provs[i].id == id)
			return i;
	b->provs = grow(c, b->provs, b->nprovs, &b->capprovs, sizeof(*b->provs));
	if (b->provs == NULL)
		return -1;
	b->provs[b->nprovs] = (struct wprov){id, uuid, gen};
	return b->nprovs++;
}

int
alloc_provider(struct ctx *c, struct wbatch *b, const char *uuid, int *idx)
{
	for (int i = 0; i < b->nprovs; i++) {
		if (strcmp(b->provs[i].uuid, uuid) == 0) {
			*idx = i;
			return ST_OK;
		}
	}
	long long id, generation;
	int rc = st_alloc_rp(c->db, uuid, &id, &generation);
	if (rc != ST_OK)
		return rc;
	*idx = remember_provider(c, b, id, uuid, generation);
	return *idx < 0 ? ST_ERROR : ST_OK;
}

int
alloc_bump_provider(struct ctx *c, struct wbatch *b, int idx)
{
	int rc = st_rp_bump_generation(c->db, b->provs[idx].id, b->provs[idx].generation);
	if (rc == ST_OK)
		b->provs[idx].generation++;
	return rc;
}

int
alloc_ensure_consumers(struct ctx *c, struct wbatch *b)
{
	for (int i = 0; i < b->ncons; i++) {
		struct wconsumer *w = &b->cons[i];
		int rc = st_project_user_ensure(c->db, w->project, w->user, &w->project_id, &w->user_id);
		if (rc != ST_OK)
			return fail_store(c, rc);
		rc = st_consumer_get(c->db, c->a, w->uuid, &w->row);
		if (rc == ST_OK) {
			if (w->has_gen && (w->gen_null || w->gen != w->row.generation))
				return fail(c, 409, ERR_CONCURRENT,
				            "consumer generation conflict - expected %lld but got %s",
				            w->row.generation,
				            w->gen_null ? "None" : arena_printf(c->a, "%lld", w->gen));
		} else if (rc == ST_NOTFOUND) {
			if (w->has_gen && !w->gen_null)
				return fail(c, 409, ERR_CONCURRENT,
				            "consumer generation conflict - expected null but got %lld", w->gen);
		} else {
			return fail_store(c, rc);
		}
		if (w->type && (rc = st_consumer_type_ensure(c->db, w->type, &w->type_id)) != ST_OK)
			return fail_store(c, rc);
		if (w->row.id == 0) {
			/* a new consumer that gets allocations is written at the
			 * generation the write leaves it at (1), saving the bump */
			long long id, gen = w->nrps > 0;
			rc = st_consumer_create(c->db, w->uuid, w->project_id, w->user_id, w->type_id,
			                        gen, &id);
			if (rc != ST_OK)
				return fail_store(c, rc);
			w->row = (struct consumer_row){id, gen, w->type_id, w->project_id, w->user_id,
			                               w->project, w->user};
			w->made_bumped = (int)gen;
		}
	}
	return 0;
}

/* Appends one wanted allocation. */
static int
push_wanted(struct ctx *c, struct wbatch *b, struct wanted w)
{
	b->want = grow(c, b->want, b->nwant, &b->capwant, sizeof(*b->want));
	if (b->want == NULL)
		return fail_oom(c);
	b->want[b->nwant++] = w;
	return 0;
}

int
alloc_build_wanted(struct ctx *c, struct wbatch *b)
{
	for (int i = 0; i < b->ncons; i++) {
		struct wconsumer *w = &b->cons[i];
		if (w->nrps == 0) {
			/* empty allocations: remove what the consumer has */
			struct alloc_row *rows;
			int n, rc = st_alloc_by_consumer(c->db, c->a, w->uuid, &rows, &n);
			if (rc != ST_OK)
				return fail_store(c, rc);
			for (int k = 0; k < n; k++) {
				int p = remember_provider(c, b, rows[k].rp_id, rows[k].rp_uuid,
				                          rows[k].rp_generation);
				if (p < 0 || push_wanted(c, b, (struct wanted){i, p, NULL, rows[k].rc_id, 0}) < 0)
					return fail_oom(c);
			}
			continue;
		}
		int *prov = arena_alloc(c->a, sizeof(*prov) * (size_t)w->nrps);
		if (prov == NULL)
			return fail_oom(c);
		for (int k = 0; k < w->nrps; k++) {
			int rc = alloc_provider(c, b, w->rps[k].uuid, &prov[k]);
			if (rc == ST_NOTFOUND)
				return fail(c, 400, ERR_UNDEFINED,
				            "Allocation for resource provider '%s' that does not exist.",
				            w->rps[k].uuid);
			if (rc != ST_OK)
				return fail_store(c, rc);
		}
		for (int k = 0; k < w->nrps; k++) {
			json_object_object_foreach(w->rps[k].resources, rc_name, amount) {
				if (push_wanted(c, b, (struct wanted){i, prov[k], rc_name, -1,
				                                      alloc_amount(amount)}) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int
alloc_update_consumers(struct ctx *c, struct wbatch *b)
{
	for (int i = 0; i < b->ncons; i++) {
		struct wconsumer *w = &b->cons[i];
		struct consumer_row *r = &w->row;
		int change = r->project_id != w->project_id || r->user_id != w->user_id;
		if (change) {
			r->project_id = w->project_id;
			r->user_id = w->user_id;
		}
		if (w->type_id != 0 && w->type_id != r->type_id) {
			r->type_id = w->type_id;
			change = 1;
		}
		if (!change)
			continue;
		int rc = st_consumer_update(c->db, r->id, r->project_id, r->user_id, r->type_id);
		if (rc != ST_OK)
			return fail_store(c, rc);
	}
	return 0;
}

enum wresult
alloc_class_id(struct ctx *c, const char *name, long long *id, const char **why)
{
	int rc = st_rc_id_by_name(c->db, name, id);
	if (rc == ST_NOTFOUND) {
		*why = arena_printf(c->a, "No such resource class %s.", name);
		return W_NOTFOUND;
	}
	if (rc != ST_OK) {
		fail_store(c, rc);
		return W_FAILED;
	}
	return W_OK;
}

/* The name of want w's class. */
static const char *
want_class_name(struct ctx *c, struct wanted *w)
{
	if (w->rc_name == NULL && st_rc_name_by_id(c->db, c->a, w->rc_id, &w->rc_name) != ST_OK)
		w->rc_name = arena_printf(c->a, "%lld", w->rc_id);
	return w->rc_name;
}

/* Records a store failure for alloc_replace. */
static enum wresult
replace_store_fail(struct ctx *c, int rc)
{
	fail_store(c, rc);
	return W_FAILED;
}

/* The reference's check that every provider has inventory of at least one
 * of the classes written: W_OK or W_INVALID naming all of them. */
/* Every inventory of each provider written, with what is allocated from
 * it, read once per provider (after the consumers' old allocations were
 * removed): inv[p], ninv[p] for batch provider p. */
struct prov_invs {
	struct alloc_inv_used **inv;
	int *ninv;
	struct alloc_gone *gone;    /* the consumers' allocations the write removed */
	int ngone, capgone;
};

static enum wresult
read_provider_inventories(struct ctx *c, struct wbatch *b, struct prov_invs *pi)
{
	pi->inv = arena_alloc(c->a, sizeof(*pi->inv) * (size_t)(b->nprovs + 1));
	pi->ninv = arena_alloc(c->a, sizeof(*pi->ninv) * (size_t)(b->nprovs + 1));
	char *seen = arena_alloc(c->a, (size_t)b->nprovs + 1);
	if (pi->inv == NULL || pi->ninv == NULL || seen == NULL)
		return replace_store_fail(c, ST_ERROR);
	for (int i = 0; i < b->nwant; i++) {
		int p = b->want[i].prov;
		if (seen[p])
			continue;
		seen[p] = 1;
		int rc = st_alloc_rp_inventories(c->db, c->a, b->provs[p].id, &pi->inv[p], &pi->ninv[p]);
		if (rc != ST_OK)
			return replace_store_fail(c, rc);
	}
	return W_OK;
}

/* The inventory of class rc_id among a provider's, or NULL. */
static const struct alloc_inv_used *
find_inventory(const struct prov_invs *pi, int p, long long rc_id)
{
	for (int k = 0; k < pi->ninv[p]; k++)
		if (pi->inv[p][k].inv.rc_id == rc_id)
			return &pi->inv[p][k];
	return NULL;
}

/* Every provider written must have an inventory of at least one of the
 * classes the write names (any consumer's, any provider's). */
static enum wresult
check_providers_have_inventory(struct ctx *c, struct wbatch *b, const struct prov_invs *pi,
                               const char **why)
{
	long long *ids = arena_alloc(c->a, sizeof(*ids) * (size_t)(b->nwant + 1));
	char *provs_seen = arena_alloc(c->a, (size_t)b->nprovs + 1);
	if (ids == NULL || provs_seen == NULL)
		return replace_store_fail(c, ST_ERROR);
	int nids = 0;
	struct buf classes = {0}, missing = {0};
	for (int i = 0; i < b->nwant; i++) {
		int seen = 0;
		for (int k = 0; k < nids; k++)
			seen |= ids[k] == b->want[i].rc_id;
		if (!seen) {
			buf_printf(&classes, "%s%s", nids ? ", " : "", want_class_name(c, &b->want[i]));
			ids[nids++] = b->want[i].rc_id;
		}
	}
	for (int i = 0; i < b->nwant; i++) {
		int p = b->want[i].prov;
		if (provs_seen[p])
			continue;
		provs_seen[p] = 1;
		int has = 0;
		for (int k = 0; k < nids && !has; k++)
			has = find_inventory(pi, p, ids[k]) != NULL;
		if (!has)
			buf_printf(&missing, "%s%s", missing.len ? ", " : "", b->provs[p].uuid);
	}
	enum wresult res = W_OK;
	if (classes.oom || missing.oom) {
		res = replace_store_fail(c, ST_ERROR);
	} else if (missing.len) {
		*why = arena_printf(c->a, "Inventory for '%s' on resource provider '%s' invalid.",
		                    classes.p, missing.p);
		res = W_INVALID;
	}
	buf_free(&classes);
	buf_free(&missing);
	return res;
}

/* Whether the write leaves the usage of want w's provider and class no
 * higher than it was before it (what the write asks of them is no more
 * than what it removed from them): such a write is accepted even when
 * they are over capacity, e.g. after an operator lowered the inventory
 * under its usage, so that a consumer can still shrink or move off
 * (upstream 14.0.0, bug 2104040). */
static int
keeps_within_usage(const struct wbatch *b, const struct prov_invs *pi, const struct wanted *w)
{
	long long asked = 0, removed = 0;
	for (int k = 0; k < b->nwant; k++)
		if (b->want[k].prov == w->prov && b->want[k].rc_id == w->rc_id)
			asked += b->want[k].used;
	for (int k = 0; k < pi->ngone; k++)
		if (pi->gone[k].rp_id == b->provs[w->prov].id && pi->gone[k].rc_id == w->rc_id)
			removed += pi->gone[k].used;
	return asked <= removed;
}

/* Checks want i against its inventory; sum is what the write asks of that
 * (provider, class) so far, this want included. */
static enum wresult
check_want(struct ctx *c, struct wbatch *b, const struct prov_invs *pi, int i, long long sum,
           const char **why)
{
	struct wanted *w = &b->want[i];
	const char *rp_uuid = b->provs[w->prov].uuid;
	const struct alloc_inv_used *iu = find_inventory(pi, w->prov, w->rc_id);
	if (iu == NULL) {
		*why = arena_printf(c->a, "Inventory for '%s' on resource provider '%s' invalid.",
		                    want_class_name(c, w), rp_uuid);
		return W_INVALID;
	}
	const struct alloc_inv *inv = &iu->inv;
	long long used = iu->used;
	if (w->used < inv->min_unit || w->used > inv->max_unit ||
	    (inv->step_size > 0 && w->used % inv->step_size != 0)) {
		*why = arena_printf(c->a, "Unable to create allocation for '%s' on resource provider "
		                    "'%s'. The requested amount would violate inventory constraints.",
		                    want_class_name(c, w), rp_uuid);
		return W_INVALID;
	}
	double capacity = (double)(inv->total - inv->reserved) * inv->allocation_ratio;
	if ((capacity < (double)(used + w->used) || capacity < (double)(used + sum)) &&
	    !keeps_within_usage(b, pi, w)) {
		*why = arena_printf(c->a, "Unable to create allocation for '%s' on resource provider "
		                    "'%s'. The requested amount would exceed the capacity.",
		                    want_class_name(c, w), rp_uuid);
		return W_INVALID;
	}
	return W_OK;
}

enum wresult
alloc_replace(struct ctx *c, struct wbatch *b, const char **why)
{
	enum wresult res;
	int rc;
	char *visited = arena_alloc(c->a, (size_t)b->ncons + 1);
	char *keeps = arena_alloc(c->a, (size_t)b->ncons + 1);
	if (visited == NULL || keeps == NULL)
		return replace_store_fail(c, ST_ERROR);
	for (int i = 0; i < b->nwant; i++) {
		visited[b->want[i].consumer] = 1;
		if (b->want[i].used > 0)
			keeps[b->want[i].consumer] = 1;
	}
	/* a clean slate for every consumer written */
	struct prov_invs pi = {0};
	for (int i = 0; i < b->ncons; i++)
		if (visited[i] && (rc = st_alloc_delete_consumer(c->db, c->a, b->cons[i].uuid,
		                                                 &pi.gone, &pi.ngone, &pi.capgone)) != ST_OK)
			return replace_store_fail(c, rc);
	for (int i = 0; i < b->nwant; i++) {
		struct wanted *w = &b->want[i];
		if (w->rc_id < 0 && (res = alloc_class_id(c, w->rc_name, &w->rc_id, why)) != W_OK)
			return res;
	}
	if (b->nwant > 0 && ((res = read_provider_inventories(c, b, &pi)) != W_OK ||
	                     (res = check_providers_have_inventory(c, b, &pi, why)) != W_OK))
		return res;
	for (int i = 0; i < b->nwant; i++) {
		if (b->want[i].used == 0)
			continue;
		long long sum = 0;
		for (int k = 0; k <= i; k++)
			if (b->want[k].prov == b->want[i].prov && b->want[k].rc_id == b->want[i].rc_id)
				sum += b->want[k].used;
		if ((res = check_want(c, b, &pi, i, sum, why)) != W_OK)
			return res;
	}
	struct alloc_new *rows = arena_alloc(c->a, sizeof(*rows) * (size_t)(b->nwant + 1));
	if (rows == NULL)
		return replace_store_fail(c, ST_ERROR);
	int nrows = 0;
	for (int i = 0; i < b->nwant; i++) {
		struct wanted *w = &b->want[i];
		if (w->used > 0)
			rows[nrows++] = (struct alloc_new){b->provs[w->prov].id, b->cons[w->consumer].uuid,
			                                   w->rc_id, w->used};
	}
	if ((rc = st_alloc_insert(c->db, rows, nrows)) != ST_OK)
		return replace_store_fail(c, rc);
	/* generations: each provider once, in the order first written */
	char *bumped = arena_alloc(c->a, (size_t)b->nprovs + 1);
	if (bumped == NULL)
		return replace_store_fail(c, ST_ERROR);
	for (int i = 0; i < b->nwant; i++) {
		int p = b->want[i].prov;
		if (bumped[p])
			continue;
		bumped[p] = 1;
		rc = alloc_bump_provider(c, b, p);
		if (rc == ST_CONFLICT) {
			*why = "Another thread concurrently updated the resource provider data. "
			       "Please retry your update";
			return W_CONFLICT;
		}
		if (rc != ST_OK)
			return replace_store_fail(c, rc);
	}
	for (int i = 0; i < b->ncons; i++) {
		if (!visited[i] || b->cons[i].made_bumped)
			continue;
		rc = st_consumer_bump(c->db, b->cons[i].row.id, b->cons[i].row.generation);
		if (rc == ST_CONFLICT) {
			*why = "Another thread concurrently updated the data. Please retry your update";
			return W_CONFLICT;
		}
		if (rc != ST_OK)
			return replace_store_fail(c, rc);
		b->cons[i].row.generation++;
		if (!keeps[i] && (rc = st_consumer_delete_if_unused(c->db, b->cons[i].uuid)) != ST_OK)
			return replace_store_fail(c, rc);
	}
	return W_OK;
}

/* --- handlers --- */

/* Runs the write steps for the consumers of b inside the caller's
 * transaction; wording of the failures is the caller's (kind 'P' for
 * PUT with the consumer uuid, 'B' for the batch POST). */
static int
write_batch(struct ctx *c, struct wbatch *b, char kind)
{
	const char *why = "";
	if (alloc_ensure_consumers(c, b) < 0 || alloc_build_wanted(c, b) < 0 ||
	    alloc_update_consumers(c, b) < 0)
		return -1;
	switch (alloc_replace(c, b, &why)) {
	case W_OK:
		return 0;
	case W_NOTFOUND:
		if (kind == 'P')
			return fail(c, 400, ERR_UNDEFINED, "Unable to allocate inventory for consumer %s: %s",
			            b->cons[0].uuid, why);
		return fail(c, 400, ERR_UNDEFINED, "Unable to allocate inventory %s", why);
	case W_INVALID:
	case W_INUSE:
		return fail(c, 409, ERR_UNDEFINED, "Unable to allocate inventory: %s", why);
	case W_CONFLICT:
		return fail(c, 409, ERR_CONCURRENT,
		            "Inventory and/or allocations changed while attempting to allocate: %s", why);
	case W_FAILED:
	default:
		return -1;
	}
}

/* Commits, answering 204. */
static int
commit_204(struct ctx *c)
{
	int rc = store_commit(c->db);
	if (rc != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, 204);
	return 0;
}

/* PUT /allocations/{consumer_uuid} */
int
h_alloc_put(struct ctx *c)
{
	char uuid[37];
	struct json_object *body;
	if (uuid_normalize(c->arg[0], uuid) < 0)
		return fail(c, 400, ERR_UNDEFINED, "Malformed consumer_uuid: %s", c->arg[0]);
	if (read_json_body(c, &body) < 0)
		return -1;
	const char *schema = mv_ge(c, 38) ? schema_put_v1_38 : mv_ge(c, 34) ? schema_put_v1_34
		: mv_ge(c, 28) ? schema_put_v1_28 : mv_ge(c, 12) ? schema_put_v1_12
		: mv_ge(c, 8) ? schema_put_v1_8 : schema_put_v1_0;
	if (js_validate(c, schema, body) < 0)
		return -1;
	struct wconsumer con;
	struct wbatch b = {.cons = &con, .ncons = 1};
	if (alloc_parse_consumer(c, arena_strdup(c->a, uuid), body, &con) < 0)
		return -1;
	int rc = store_begin(c->db, 1);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (write_batch(c, &b, 'P') < 0)
		return -1;
	return commit_204(c);
}

/* POST /allocations (1.13): many consumers in one transaction. */
int
h_alloc_post(struct ctx *c)
{
	struct json_object *body;
	if (read_json_body(c, &body) < 0)
		return -1;
	const char *schema = mv_ge(c, 38) ? schema_post_v1_38 : mv_ge(c, 34) ? schema_post_v1_34
		: mv_ge(c, 28) ? schema_post_v1_28 : schema_post_v1_13;
	if (js_validate(c, schema, body) < 0)
		return -1;
	struct wbatch b = {0};
	b.cons = arena_alloc(c->a, sizeof(*b.cons) * (size_t)(json_object_object_length(body) + 1));
	if (b.cons == NULL)
		return fail_oom(c);
	json_object_object_foreach(body, consumer, cbody) {
		if (alloc_parse_consumer(c, consumer, cbody, &b.cons[b.ncons]) < 0)
			return -1;
		b.ncons++;
	}
	int rc = store_begin(c->db, 1);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (write_batch(c, &b, 'B') < 0)
		return -1;
	return commit_204(c);
}

/* DELETE /allocations/{consumer_uuid}: no generations move. */
int
h_alloc_delete(struct ctx *c)
{
	const char *uuid = c->arg[0];
	long long n = 0;
	int rc = store_begin(c->db, 1);
	if (rc == ST_OK)
		rc = st_alloc_delete_seen(c->db, uuid, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (n == 0)
		return fail(c, 404, ERR_UNDEFINED, "No allocations for consumer '%s'", uuid);
	rc = st_consumer_delete_if_unused(c->db, uuid);
	if (rc != ST_OK)
		return fail_store(c, rc);
	return commit_204(c);
}

/* --- listings --- */

/* Rows sharing a key (provider uuid or consumer uuid), in the order the
 * keys first appear, as the reference's dicts come out. */
struct group {
	const char *key;
	int first;
	int start, n;          /* a run of the sorted order[] */
};
struct keyed {
	const char *key;
	int pos;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int d = strcmp(x->key, y->key);
	return d ? d : x->pos - y->pos;
}

static int
cmp_group(const void *a, const void *b)
{
	return ((const struct group *)a)->first - ((const struct group *)b)->first;
}

/* Groups rows by key: *order lists row positions grouped, *groups the
 * runs ordered by first appearance. */
static int
group_rows(struct ctx *c, const char **keys, int n, struct keyed **order,
           struct group **groups, int *ngroups)
{
	struct keyed *o = arena_alloc(c->a, sizeof(*o) * (size_t)(n + 1));
	struct group *g = arena_alloc(c->a, sizeof(*g) * (size_t)(n + 1));
	if (o == NULL || g == NULL)
		return fail_oom(c);
	for (int i = 0; i < n; i++)
		o[i] = (struct keyed){keys[i], i};
	qsort(o, (size_t)n, sizeof(*o), cmp_keyed);
	int ng = 0;
	for (int i = 0; i < n; i++) {
		if (i == 0 || strcmp(o[i].key, o[i - 1].key) != 0)
			g[ng++] = (struct group){o[i].key, o[i].pos, i, 0};
		g[ng - 1].n++;
	}
	qsort(g, (size_t)ng, sizeof(*g), cmp_group);
	*order = o;
	*groups = g;
	*ngroups = ng;
	return 0;
}

/* Writes "resources": {class: used, ...} for one group of rows. */
static int
write_resources(struct ctx *c, struct alloc_row *rows, struct keyed *order, struct group *g)
{
	jw_obj(&c->w, "resources");
	for (int k = 0; k < g->n; k++) {
		struct alloc_row *r = &rows[order[g->start + k].pos];
		const char *name;
		int rc = st_rc_name_by_id(c->db, c->a, r->rc_id, &name);
		if (rc != ST_OK)
			return fail_store(c, rc == ST_NOTFOUND ? ST_ERROR : rc);
		jw_int(&c->w, name, r->used);
	}
	jw_obj_end(&c->w);
	return 0;
}

static void
seen_row(struct ctx *c, const struct alloc_row *r)
{
	const char *t = r->updated_at ? r->updated_at : r->created_at;
	if (t != NULL)
		seen_modified(c, store_parse_time(t));
}

/* GET /allocations/{consumer_uuid} */
int
h_alloc_get(struct ctx *c)
{
	struct alloc_row *rows;
	struct keyed *order;
	struct group *groups;
	int n, ng;
	int rc = store_begin(c->db, 0);
	if (rc == ST_OK)
		rc = st_alloc_by_consumer(c->db, c->a, c->arg[0], &rows, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	const char **keys = arena_alloc(c->a, sizeof(*keys) * (size_t)(n + 1));
	if (keys == NULL)
		return fail_oom(c);
	for (int i = 0; i < n; i++)
		keys[i] = rows[i].rp_uuid;
	if (group_rows(c, keys, n, &order, &groups, &ng) < 0)
		return -1;
	const char *type_name = "unknown";
	if (n > 0 && mv_ge(c, 38) && rows[0].consumer_type_id != 0) {
		rc = st_consumer_type_name(c->db, c->a, rows[0].consumer_type_id, &type_name);
		if (rc != ST_OK && rc != ST_NOTFOUND)
			return fail_store(c, rc);
	}
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_obj(&c->w, "allocations");
	for (int i = 0; i < ng; i++) {
		struct alloc_row *first = &rows[groups[i].first];
		jw_obj(&c->w, groups[i].key);
		if (write_resources(c, rows, order, &groups[i]) < 0)
			return -1;
		jw_int(&c->w, "generation", first->rp_generation);
		jw_obj_end(&c->w);
	}
	jw_obj_end(&c->w);
	if (n > 0 && mv_ge(c, 12)) {
		jw_str(&c->w, "project_id", rows[0].project);
		jw_str(&c->w, "user_id", rows[0].user);
		if (mv_ge(c, 28))
			jw_int(&c->w, "consumer_generation", rows[0].consumer_generation);
		if (mv_ge(c, 38))
			jw_str(&c->w, "consumer_type", type_name);
	}
	jw_obj_end(&c->w);
	for (int i = 0; i < n; i++)
		seen_row(c, &rows[i]);
	store_commit(c->db);
	return 0;
}

/* GET /resource_providers/{uuid}/allocations */
int
h_rp_allocations(struct ctx *c)
{
	const char *uuid = c->arg[0];
	struct rp rp;
	struct alloc_row *rows;
	struct keyed *order;
	struct group *groups;
	int n, ng;
	int rc = store_begin(c->db, 0);
	if (rc == ST_OK)
		rc = st_rp_by_uuid(c->db, c->a, uuid, &rp);
	if (rc == ST_NOTFOUND)
		return fail(c, 404, ERR_UNDEFINED,
		            "Resource provider '%s' not found: No resource provider with uuid %s found",
		            uuid, uuid);
	if (rc == ST_OK)
		rc = st_alloc_by_rp(c->db, c->a, rp.id, &rows, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	const char **keys = arena_alloc(c->a, sizeof(*keys) * (size_t)(n + 1));
	if (keys == NULL)
		return fail_oom(c);
	for (int i = 0; i < n; i++)
		keys[i] = rows[i].consumer_uuid;
	if (group_rows(c, keys, n, &order, &groups, &ng) < 0)
		return -1;
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_obj(&c->w, "allocations");
	for (int i = 0; i < ng; i++) {
		jw_obj(&c->w, groups[i].key);
		if (write_resources(c, rows, order, &groups[i]) < 0)
			return -1;
		if (mv_ge(c, 28))
			jw_int(&c->w, "consumer_generation", rows[groups[i].first].consumer_generation);
		jw_obj_end(&c->w);
	}
	jw_obj_end(&c->w);
	jw_int(&c->w, "resource_provider_generation", rp.generation);
	jw_obj_end(&c->w);
	for (int i = 0; i < n; i++)
		seen_row(c, &rows[i]);
	store_commit(c->db);
	return 0;
}
