/* Bringing the allocation-candidates cache (ac_cache.h) up to the version
 * of the database a request reads, instead of dropping it at every commit.
 *
 * In the scheduler's loop every query follows a claim: dropping the cache
 * at each commit made every query read every inventory of its classes
 * again, a cost that grew with the number of providers.  The database
 * keeps a change log (sql/schema-changes.sql: one row per provider a
 * commit touched, by triggers, whoever the writer); a request that finds
 * the cache behind reads the rows since the cache's position, inside its
 * own read transaction, and
 *   - patches in place the cached inventories of the providers whose
 *     inventories or usage changed (the class lists keep their size; a
 *     provider that gained or lost an inventory of a class drops that
 *     class's list, read again when next asked),
 *   - drops what the changes touch that cannot be patched: those
 *     providers' summaries, every whole answer, the trait and aggregate
 *     memberships when traits or aggregates changed, the list of classes
 *     when inventories did,
 *   - drops everything when a provider was made, deleted or moved, when
 *     classes or traits changed, when the log lost rows the cache needs
 *     (pruned), or when too much changed to be worth patching.
 * Since the refresh reads in the same snapshot as the query, the cache
 * then holds exactly that snapshot's state: never stale, whoever wrote.
 * MariaDB keeps change counters instead of a log (refresh_by_counters).
 * Without either (a database placement-sync has not seen, or a user who
 * may not make triggers) any new version drops everything (sqlite), or
 * nothing is kept at all (MariaDB: it has no cheap version to tell). */
#include "ac_refresh.h"
#include "ac_cache.h"
#include "../http/app.h"
#include "../../sql/store_ac.h"
#include <stdlib.h>
#include <string.h>

/* More changes than this since the cache's version: read everything again. */
#define MAX_CHANGES 4096

static int
cmp_ll(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

/* The row of provider id in a class list sorted by provider id, or NULL. */
static struct st_ac_inv *
find_row(struct st_ac_inv *rows, size_t n, long long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].rp_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo].rp_id == id ? &rows[lo] : NULL;
}

/* The fresh inventory (id, rc), or NULL: fresh is sorted by (id, rc). */
static const struct st_ac_inv *
find_fresh(const struct st_ac_inv *fresh, int n, long long id, int rc)
{
	if (n == 0)
		return NULL;
	struct st_ac_inv key;
	memset(&key, 0, sizeof(key));
	key.rp_id = id;
	key.rc_id = rc;
	return bsearch(&key, fresh, (size_t)n, sizeof(*fresh), st_ac_inv_cmp);
}

struct patch {
	const long long *ids;     /* providers whose inventories or usage changed, sorted */
	int nids;
	const struct st_ac_inv *fresh;   /* their inventories now, sorted by (id, class) */
	int nfresh;
};

/* Patches one class's cached list (id = class); 1 to drop it. */
static int
patch_class(void *arg, long long rc, void *val, size_t size)
{
	const struct patch *p = arg;
	struct st_ac_inv *rows = val;
	size_t n = size / sizeof(*rows);
	for (int i = 0; i < p->nids; i++) {
		struct st_ac_inv *row = find_row(rows, n, p->ids[i]);
		const struct st_ac_inv *now = find_fresh(p->fresh, p->nfresh, p->ids[i], (int)rc);
		if ((row == NULL) != (now == NULL))
			return 1;             /* an inventory came or went: read again */
		if (row == NULL)
			continue;
		row->total = now->total;
		row->reserved = now->reserved;
		row->min_unit = now->min_unit;
		row->max_unit = now->max_unit;
		row->step_size = now->step_size;
		row->ratio = now->ratio;
		row->used = now->used;
	}
	return 0;
}

/* Reads everything again from version v (at the log's newest position,
 * with classes and traits as they are, g). */
static int
reset(struct ctx *c, struct ac_cache *k, unsigned long long v, int has_log,
      const struct st_ac_globals *g)
{
	long long top = 0;
	if (has_log) {
		int rc = st_ac_changes_top(c->db, &top);
		if (rc != ST_OK)
			return fail_store(c, rc);
	}
	ac_cache_reset(k, v, top);
	if (g != NULL)
		ac_cache_put(k, ACK_GLOBALS, 0, NULL, g, sizeof(*g));
	return 0;
}

/* Drops what the changes (what: ST_AC_CH_* of them all) on providers
 * named[nnamed] may have made old, and patches the class lists of
 * providers ids[nids] (those whose inventories or usage changed; sorted
 * here): what both refresh paths share. */
static int
apply_changes(struct ctx *c, struct ac_cache *k, const long long *named, int nnamed,
              long long *ids, int nids, int what)
{
	ac_cache_drop_kind(k, ACK_ANSWER);
	for (int i = 0; i < nnamed; i++) {
		ac_cache_drop(k, ACK_SUMMARY, named[i], NULL);
		if (what & ST_AC_CH_TRAITS)
			ac_cache_drop(k, ACK_RP_TRAITS, named[i], NULL);
	}
	if (what & ST_AC_CH_TRAITS) {
		ac_cache_drop_kind(k, ACK_TRAIT_MEMBERS);
		ac_cache_drop_kind(k, ACK_ANCHORS);
	}
	if (what & ST_AC_CH_AGGS) {
		ac_cache_drop_kind(k, ACK_AGG_MEMBERS);
		ac_cache_drop_kind(k, ACK_ANCHORS);
	}
	if (what & ST_AC_CH_INV)
		ac_cache_drop_kind(k, ACK_CLASSES);
	if (nids == 0 || !(what & (ST_AC_CH_INV | ST_AC_CH_USAGE)))
		return 0;
	qsort(ids, (size_t)nids, sizeof(*ids), cmp_ll);
	int m = 0;
	for (int i = 0; i < nids; i++)
		if (m == 0 || ids[m - 1] != ids[i])
			ids[m++] = ids[i];
	struct st_ac_inv *fresh;
	int nfresh;
	int rc = st_ac_inventories_full(c->db, c->a, ids, m, &fresh, &nfresh);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (nfresh > 1)
		qsort(fresh, (size_t)nfresh, sizeof(*fresh), st_ac_inv_cmp);
	struct patch p = {ids, m, fresh, nfresh};
	ac_cache_each(k, ACK_CLASS_INV, patch_class, &p);
	return 0;
}

/* Versions of a cache kept by change counters: they only need to differ
 * from each other and from 0. */
static unsigned long long counter_version;

/* Starts again from the counters and globals just read. */
static void
reset_counters(struct ac_cache *k, const struct st_ac_globals *g,
               const struct st_ac_gen *gens, int n)
{
	ac_cache_reset(k, ++counter_version, 0);
	ac_cache_put(k, ACK_GLOBALS, 0, NULL, g, sizeof(*g));
	ac_cache_put(k, ACK_GENERATIONS, 0, NULL, gens, sizeof(*gens) * (size_t)n);
}

/* MariaDB: no change log (auto-increment numbers do not follow commit
 * order there, so "the rows after mine" could miss a commit that finished
 * late).  Instead every request reads every provider's change counter
 * (sql/schema-mysql-changes.sql, kept by triggers, the reference's writes
 * included) and classes and traits as a whole, in its own snapshot, and
 * patches the providers whose counter moved as above.  That read grows
 * with the providers (three integers each), the work done with them does
 * not. */
static int
refresh_by_counters(struct ctx *c, struct ac_cache *k)
{
	struct st_ac_globals g;
	struct st_ac_gen *gens;
	int n;
	int rc = st_ac_counters_globals(c->db, c->a, &g, &gens, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	size_t gsize, nsize;
	const struct st_ac_globals *kg = ac_cache_get(k, ACK_GLOBALS, 0, NULL, &gsize);
	struct st_ac_gen *kept = (struct st_ac_gen *)ac_cache_get(k, ACK_GENERATIONS, 0, NULL, &nsize);
	size_t nkept = kept != NULL ? nsize / sizeof(*kept) : 0;
	/* Row 0 counts providers made and deleted: when it moved, or classes
	 * or traits changed, everything is read again. */
	int same = ac_cache_has_version(k) && kg != NULL && kept != NULL &&
	           memcmp(kg, &g, sizeof(g)) == 0 && n > 0 && nkept > 0 &&
	           gens[0].id == 0 && kept[0].id == 0 && gens[0].changes == kept[0].changes;
	long long *ids = arena_alloc(c->a, sizeof(*ids) * (size_t)(n + 1));
	if (ids == NULL)
		return fail_oom(c);
	int nids = 0;
	/* What moved: only usage when each provider's usage counter moved
	 * as much as its counter of all changes. */
	int what = ST_AC_CH_USAGE;
	/* Both lists are sorted by id; a provider's row appears with its
	 * first change (a changed provider, from counters 0) and never goes. */
	size_t j = 0;
	for (int i = 0; same && i < n; i++) {
		while (j < nkept && kept[j].id < gens[i].id)
			same = 0, j++;          /* a row went: not ours to explain */
		struct st_ac_gen was = {gens[i].id, 0, 0};
		if (j < nkept && kept[j].id == gens[i].id)
			was = kept[j++];
		if (was.changes == gens[i].changes)
			continue;
		ids[nids++] = gens[i].id;
		if (gens[i].changes - was.changes != gens[i].usage - was.usage)
			what = ST_AC_CH_INV | ST_AC_CH_USAGE | ST_AC_CH_TRAITS | ST_AC_CH_AGGS;
	}
	if (j < nkept)
		same = 0;
	if (!same || nids > MAX_CHANGES) {
		reset_counters(k, &g, gens, n);
		return 0;
	}
	if (nids == 0) {
		ac_cache_begin(k, ac_cache_version(k));
		return 0;
	}
	/* the counters the cache reflects move with its entries: a new row
	 * changes the list's size, so it is stored again */
	if ((size_t)n == nkept) {
		for (int i = 0; i < n; i++)
			kept[i] = gens[i];
	} else {
		ac_cache_drop(k, ACK_GENERATIONS, 0, NULL);
		if (ac_cache_put(k, ACK_GENERATIONS, 0, NULL, gens, sizeof(*gens) * (size_t)n) == NULL) {
			ac_cache_reset(k, 0, 0);
			return 0;
		}
	}
	/* beyond usage, which of a provider's facts moved is not known: all */
	if (apply_changes(c, k, ids, nids, ids, nids, what) < 0) {
		ac_cache_reset(k, 0, 0);
		return -1;
	}
	ac_cache_advance(k, ++counter_version, 0);
	return 0;
}

int
ac_refresh(struct ctx *c, struct ac_cache *k)
{
	if (k == NULL)
		return 0;
	if (c->app != NULL && c->app->cache_stale) {
		ac_cache_reset(k, 0, 0);   /* another file's entries */
		c->app->cache_stale = 0;
	}
	if (st_ac_refresh_by_counters(c->db))
		return refresh_by_counters(c, k);
	unsigned long long v = store_data_version(c->db);
	if (v == 0 || ac_cache_is_current(k, v)) {
		ac_cache_begin(k, v);
		return 0;
	}
	int has_log = st_ac_has_change_log(c->db);
	if (!has_log)
		return reset(c, k, v, 0, NULL);
	/* classes and traits are not logged (see schema-changes.sql) */
	struct st_ac_globals g;
	int rc = st_ac_globals(c->db, &g);
	if (rc != ST_OK)
		return fail_store(c, rc);
	size_t gsize;
	const struct st_ac_globals *kg = ac_cache_get(k, ACK_GLOBALS, 0, NULL, &gsize);
	if (!ac_cache_has_version(k) || kg == NULL || memcmp(kg, &g, sizeof(g)) != 0)
		return reset(c, k, v, 1, &g);

	long long from = ac_cache_log_seq(k);
	struct st_ac_change *ch;
	int n;
	rc = st_ac_changes(c->db, c->a, from, MAX_CHANGES + 1, &ch, &n);
	if (rc != ST_OK)
		return fail_store(c, rc);
	if (n == 0) {
		/* the commits touched nothing the cache holds (consumers, ...) */
		ac_cache_advance(k, v, from);
		return 0;
	}
	/* One writer at a time: the log has no gaps, so a first row that is
	 * not the next one means rows were pruned. */
	if (ch[0].seq != from + 1 || n > MAX_CHANGES)
		return reset(c, k, v, 1, &g);
	int what = 0;
	long long *ids = arena_alloc(c->a, sizeof(*ids) * (size_t)n);
	if (ids == NULL)
		return fail_oom(c);
	int nids = 0;
	for (int i = 0; i < n; i++) {
		what |= ch[i].what;
		if (ch[i].what & (ST_AC_CH_INV | ST_AC_CH_USAGE))
			ids[nids++] = ch[i].rp_id;
	}
	if (what & (ST_AC_CH_GLOBAL | ST_AC_CH_PROVIDER))
		return reset(c, k, v, 1, &g);

	/* the summaries of every provider named, the class lists of those
	 * whose inventories or usage changed */
	long long *named = arena_alloc(c->a, sizeof(*named) * (size_t)n);
	if (named == NULL)
		return fail_oom(c);
	for (int i = 0; i < n; i++)
		named[i] = ch[i].rp_id;
	if (apply_changes(c, k, named, n, ids, nids, what) < 0)
		return -1;
	ac_cache_advance(k, v, ch[n - 1].seq);
	return 0;
}
