/* Bringing the allocation-candidates cache up to the database version a
 * request reads (see ac_refresh.c). */
#ifndef PLACEMENT_AC_REFRESH_H
#define PLACEMENT_AC_REFRESH_H

struct ctx;
struct ac_cache;

/* Inside the request's read transaction: makes k hold what that
 * snapshot holds (patching what the commits since its version changed,
 * or dropping it), and starts the request on it.  k may be NULL.
 * 0, or -1 with the error set in c. */
int ac_refresh(struct ctx *c, struct ac_cache *k);
#endif
