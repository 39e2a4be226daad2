/* POST /reshaper (1.30): replaces inventories and allocations of several
 * providers and consumers in one transaction, as when inventory moves
 * from a root provider to a new child.
 *
 * The steps follow the reference so that errors and generations come out
 * the same: (1) each named provider gets the union of its current and its
 * new inventory, so nothing still allocated disappears yet; (2) the
 * consumers' allocations are replaced with the capacity checks of any
 * allocation write; (3) each provider gets exactly its new inventory,
 * which fails if a removed class still has allocations.  Every provider
 * generation is checked up front and moves with each step. */
#include "../http/app.h"
#include "../http/routes.h"
#include "../http/jschema.h"
#include "alloc_schema.h"
#include "allocations.h"
#include "../../sql/store_alloc.h"
#include "../../sql/store_inventory.h"
#include "../../sql/store_rc.h"
#include <string.h>

static const char schema_v1_30[] = AS_RESHAPER(AS_CONSUMER_V1_28);
static const char schema_v1_34[] = AS_RESHAPER(AS_CONSUMER_V1_34);
static const char schema_v1_38[] = AS_RESHAPER(AS_CONSUMER_V1_38);

/* The new inventory of one provider. */
struct new_inv {
	int prov;                     /* index into the batch providers */
	struct json_object *records;  /* class name -> record */
	struct inventory *inv;        /* resolved records */
	int n;
	int resolved;
};

/* A record's integer field, or its default. */
static long long
field(struct json_object *rec, const char *key, long long dflt)
{
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(rec, key, &v) || v == NULL)
		return dflt;
	return alloc_amount(v);
}

/* Resolves the class names of ni into ni->inv, with the reference's
 * defaults for missing fields. */
static enum wresult
resolve_inventory(struct ctx *c, struct new_inv *ni, const char **why)
{
	if (ni->resolved)
		return W_OK;
	ni->n = json_object_object_length(ni->records);
	ni->inv = arena_alloc(c->a, sizeof(*ni->inv) * (size_t)(ni->n + 1));
	if (ni->inv == NULL) {
		fail_oom(c);
		return W_FAILED;
	}
	int i = 0;
	json_object_object_foreach(ni->records, name, rec) {
		struct inventory *x = &ni->inv[i++];
		memset(x, 0, sizeof(*x));
		x->rc_name = name;
		enum wresult r = alloc_class_id(c, name, &x->rc_id, why);
		if (r != W_OK)
			return r;
		x->total = field(rec, "total", 0);
		x->reserved = field(rec, "reserved", 0);
		x->min_unit = field(rec, "min_unit", 1);
		x->max_unit = field(rec, "max_unit", 2147483647);
		x->step_size = field(rec, "step_size", 1);
		struct json_object *ratio = NULL;
		x->allocation_ratio = json_object_object_get_ex(rec, "allocation_ratio", &ratio) && ratio
			? json_object_get_double(ratio) : 1.0;
	}
	ni->resolved = 1;
	return W_OK;
}

/* The record for rc_id among v[0..n), or NULL. */
static const struct inventory *
find_inv(const struct inventory *v, int n, long long rc_id)
{
	for (int i = 0; i < n; i++)
		if (v[i].rc_id == rc_id)
			return &v[i];
	return NULL;
}

static enum wresult
store_failed(struct ctx *c, int rc)
{
	fail_store(c, rc);
	return W_FAILED;
}

/* Makes the provider's inventory exactly want[0..n) (final step) or, with
 * keep_others, want plus the classes it does not mention (interim step),
 * through the inventory store functions; then bumps the provider
 * generation. */
static enum wresult
set_inventory(struct ctx *c, struct wbatch *b, int prov, const struct inventory *want, int n,
              int keep_others, const char **why)
{
	long long rp_id = b->provs[prov].id;
	int rc;
	if (keep_others) {
		struct inventory *cur;
		int ncur;
		rc = st_inv_list(c->db, c->a, rp_id, &cur, &ncur);
		for (int i = 0; i < n && rc == ST_OK; i++)
			rc = find_inv(cur, ncur, want[i].rc_id) ? st_inv_update(c->db, rp_id, &want[i])
			                                        : st_inv_add(c->db, rp_id, &want[i]);
	} else {
		long long *inuse;
		int ninuse;
		rc = st_inv_set(c->db, c->a, rp_id, want, n, &inuse, &ninuse);
		if (rc == ST_CONFLICT && ninuse > 0) {
			struct buf names = {0};
			for (int i = 0; i < ninuse; i++) {
				const char *name = "";
				st_rc_name_by_id(c->db, c->a, inuse[i], &name);
				buf_printf(&names, "%s%s", i ? ", " : "", name);
			}
			*why = arena_printf(c->a, "Inventory for '%s' on resource provider '%s' in use.",
			                    names.p ? names.p : "", b->provs[prov].uuid);
			buf_free(&names);
			return W_INUSE;
		}
	}
	if (rc != ST_OK)
		return store_failed(c, rc);
	rc = alloc_bump_provider(c, b, prov);
	if (rc == ST_CONFLICT) {
		*why = "Another thread concurrently updated the resource provider data. "
		       "Please retry your update";
		return W_CONFLICT;
	}
	return rc == ST_OK ? W_OK : store_failed(c, rc);
}

/* The three steps of the reshape (see the top of the file). */
static enum wresult
reshape(struct ctx *c, struct wbatch *b, struct new_inv *invs, int ninv, const char **why)
{
	enum wresult r;
	for (int i = 0; i < ninv; i++) {
		if (json_object_object_length(invs[i].records) == 0)
			continue;   /* nothing to add: the reference skips it */
		if ((r = resolve_inventory(c, &invs[i], why)) != W_OK)
			return r;
		if ((r = set_inventory(c, b, invs[i].prov, invs[i].inv, invs[i].n, 1, why)) != W_OK)
			return r;
	}
	if ((r = alloc_replace(c, b, why)) != W_OK)
		return r;
	for (int i = 0; i < ninv; i++) {
		if ((r = resolve_inventory(c, &invs[i], why)) != W_OK)
			return r;
		if ((r = set_inventory(c, b, invs[i].prov, invs[i].inv, invs[i].n, 0, why)) != W_OK)
			return r;
	}
	return W_OK;
}

/* Looks up the providers of the inventories and checks their
 * generations: 0 or -1 with the error recorded. */
static int
check_inventory_providers(struct ctx *c, struct wbatch *b, struct json_object *inventories,
                          struct new_inv *invs, int *ninv)
{
	*ninv = 0;
	json_object_object_foreach(inventories, rp_uuid, data) {
		struct new_inv *ni = &invs[(*ninv)++];
		int rc = alloc_provider(c, b, rp_uuid, &ni->prov);
		if (rc == ST_NOTFOUND)
			return fail(c, 400, ERR_RP_NOT_FOUND,
			            "Resource provider %s in inventories not found: "
			            "No resource provider with uuid %s found", rp_uuid, rp_uuid);
		if (rc != ST_OK)
			return fail_store(c, rc);
		struct json_object *gen = NULL, *records = NULL;
		json_object_object_get_ex(data, "resource_provider_generation", &gen);
		json_object_object_get_ex(data, "inventories", &records);
		long long given = alloc_amount(gen);
		if (given != b->provs[ni->prov].generation)
			return fail(c, 409, ERR_CONCURRENT,
			            "resource provider generation conflict for provider %s: "
			            "actual: %lld, given: %lld", rp_uuid, b->provs[ni->prov].generation, given);
		ni->records = records;
	}
	return 0;
}

/* POST /reshaper */
int
h_reshaper(struct ctx *c)
{
	struct json_object *body, *inventories = NULL, *allocations = NULL;
	if (read_json_body(c, &body) < 0)
		return -1;
	const char *schema = mv_ge(c, 38) ? schema_v1_38 : mv_ge(c, 34) ? schema_v1_34 : schema_v1_30;
	if (js_validate(c, schema, body) < 0)
		return -1;
	json_object_object_get_ex(body, "inventories", &inventories);
	json_object_object_get_ex(body, "allocations", &allocations);

	struct wbatch b = {0};
	int ninv;
	struct new_inv *invs = arena_alloc(c->a, sizeof(*invs) *
	                                   (size_t)(json_object_object_length(inventories) + 1));
	b.cons = arena_alloc(c->a, sizeof(*b.cons) * (size_t)(json_object_object_length(allocations) + 1));
	if (invs == NULL || b.cons == NULL)
		return fail_oom(c);
	json_object_object_foreach(allocations, consumer, cbody) {
		if (alloc_parse_consumer(c, consumer, cbody, &b.cons[b.ncons]) < 0)
			return -1;
		b.ncons++;
	}

	int rc = store_begin(c->db, 1);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (check_inventory_providers(c, &b, inventories, invs, &ninv) < 0 ||
	    alloc_ensure_consumers(c, &b) < 0 || alloc_build_wanted(c, &b) < 0 ||
	    alloc_update_consumers(c, &b) < 0)
		return -1;
	const char *why = "";
	switch (reshape(c, &b, invs, ninv, &why)) {
	case W_OK:
		break;
	case W_NOTFOUND:
		return fail(c, 400, ERR_UNDEFINED, "malformed reshaper data: %s", why);
	case W_INUSE:
		return fail(c, 409, ERR_INVENTORY_INUSE, "update conflict: %s", why);
	case W_INVALID:
		return fail(c, 409, ERR_UNDEFINED, "Unable to allocate inventory: %s", why);
	case W_CONFLICT:
		return fail(c, 409, ERR_CONCURRENT, "update conflict: %s", why);
	case W_FAILED:
	default:
		return -1;
	}
	if ((rc = store_commit(c->db)) != ST_OK)
		return fail_store(c, rc);
	reply_empty(c, 204);
	return 0;
}
