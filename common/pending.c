/* Routes whose handlers are not written yet answer 501 through these weak
 * definitions; a real handler in its own file replaces each one. */
#include "app.h"
#include "routes.h"

#define PENDING(name) \
	__attribute__((weak)) int name(struct ctx *c) \
	{ return fail(c, 501, ERR_UNDEFINED, "Not implemented yet."); }

PENDING(h_rp_list) PENDING(h_rp_create) PENDING(h_rp_show) PENDING(h_rp_update)
PENDING(h_rp_delete) PENDING(h_inv_list) PENDING(h_inv_create)
PENDING(h_inv_replace_all) PENDING(h_inv_delete_all) PENDING(h_inv_show)
PENDING(h_inv_update) PENDING(h_inv_delete) PENDING(h_rp_usages)
PENDING(h_rp_aggregates_get) PENDING(h_rp_aggregates_put) PENDING(h_rp_traits_get)
PENDING(h_rp_traits_put) PENDING(h_rp_traits_delete) PENDING(h_rp_allocations)
PENDING(h_rc_list) PENDING(h_rc_create) PENDING(h_rc_show) PENDING(h_rc_update)
PENDING(h_rc_delete) PENDING(h_trait_list) PENDING(h_trait_show) PENDING(h_trait_put)
PENDING(h_trait_delete) PENDING(h_alloc_get) PENDING(h_alloc_put) PENDING(h_alloc_delete)
PENDING(h_alloc_post) PENDING(h_usages) PENDING(h_ac_list) PENDING(h_reshaper)
