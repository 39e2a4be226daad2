/* A process-level memo of what GET /allocation_candidates reads, valid
 * for one version of the database.
 *
 * A FastCGI responder answers the same kinds of query many times between
 * writes; the rows they read (a class's inventories, a trait's providers,
 * a provider's summary) are the same until something commits.  The store
 * tells the version of the snapshot a read transaction sees
 * (store_data_version: it changes with every commit, by any process);
 * entries are kept for that version only and all dropped when a request
 * sees another.  A version of 0 (a backend that cannot tell) bypasses the
 * cache.  Values are flat copies (no pointers inside) in the cache's own
 * arena, bounded by a byte limit: past it nothing more is stored (what is
 * there stays until the version changes: no churn when the working set is
 * larger than the bound).  One thread per process: no locking.
 * Besides rows it holds whole answers (ACK_ANSWER): an identical query
 * on the same version is answered with the same bytes. */
#ifndef PLACEMENT_AC_CACHE_H
#define PLACEMENT_AC_CACHE_H
#include <stddef.h>

/* What an entry holds; the key is (kind, id, str). */
enum ac_cache_kind {
	ACK_HAS_TREES = 1,    /* id 0: int */
	ACK_RC_TABLE,         /* id 0: every resource class (see allocation_candidates.c) */
	ACK_CLASSES,          /* id 0: ids of the classes some inventory has */
	ACK_TRAIT_ID,         /* str name: long long id, or -1 when unknown */
	ACK_TRAIT_MEMBERS,    /* id trait id: a flat idset */
	ACK_AGG_MEMBERS,      /* str aggregate uuid: a flat idset */
	ACK_CLASS_INV,        /* id class id: its inventories, every provider */
	ACK_ANCHORS,          /* id sharing provider id: roots sharing with it */
	ACK_TREE,             /* id root id: the providers of that tree */
	ACK_UUID,             /* id provider id: its uuid as a JSON string */
	ACK_SUMMARY,          /* id provider id: its provider summary (1.29+ shape) */
	ACK_ANSWER,           /* id microversion, str query string: the whole JSON answer */
	ACK_GENERATIONS,      /* id 0: every provider's generation when read (ac_refresh.c) */
	ACK_GLOBALS,          /* id 0: classes and traits as a whole when read (ac_refresh.c) */
	ACK_RP_TRAITS,        /* id provider id: its traits (allocation_candidates.c) */
	ACK_NKINDS            /* not a kind: their number, plus one */
};

struct ac_cache;

/* A cache holding at most limit bytes; NULL when out of memory. */
struct ac_cache *ac_cache_new(size_t limit);
void ac_cache_free(struct ac_cache *k);

/* Starts a request that reads version v of the database: drops every
 * entry when v differs from theirs; v == 0 bypasses the cache for this
 * request.  k may be NULL (no cache). */
void ac_cache_begin(struct ac_cache *k, unsigned long long v);

/* Keeping entries across versions (common/ac/ac_refresh.c): a caller that
 * knows what changed between the entries' version and v drops or patches
 * the entries it touched, then declares them current. */
/* Whether the entries are of version v (nothing to do). */
int ac_cache_is_current(const struct ac_cache *k, unsigned long long v);
/* Whether the cache holds any entry of some version (0: a reset is as
 * cheap as a refresh). */
int ac_cache_has_version(const struct ac_cache *k);
/* The version of the entries (0: none). */
unsigned long long ac_cache_version(const struct ac_cache *k);
/* The change-log position the entries reflect (the caller's). */
long long ac_cache_log_seq(const struct ac_cache *k);
/* Drops every entry and starts version v at log position seq. */
void ac_cache_reset(struct ac_cache *k, unsigned long long v, long long seq);
/* The entries left are of version v, log position seq; starts the
 * request as ac_cache_begin does.  When dropped entries hold more than
 * the live ones (and a 64th of the bound), or half the bound, everything
 * is dropped instead (their memory is only given back by a reset). */
void ac_cache_advance(struct ac_cache *k, unsigned long long v, long long seq);
/* Drops the entry of the key, if any. */
void ac_cache_drop(struct ac_cache *k, int kind, long long id, const char *str);
/* Drops every entry of a kind (the time it takes grows with the entries
 * of that kind stored since the last such drop, not with the cache). */
void ac_cache_drop_kind(struct ac_cache *k, int kind);
/* Calls fn for every live entry of a kind with its value (which fn may
 * change in place, not in size) and size; fn returns 1 to drop the entry. */
void ac_cache_each(struct ac_cache *k, int kind,
                   int (*fn)(void *arg, long long id, void *val, size_t size), void *arg);

/* The value stored under the key (str may be NULL), valid until the next
 * ac_cache_begin, with its size in *size; NULL when absent. */
const void *ac_cache_get(struct ac_cache *k, int kind, long long id, const char *str,
                         size_t *size);

/* Stores a copy of val[0..size) under the key (replacing nothing: the
 * first value stays).  Returns the stored copy, or NULL when there is no
 * cache, it is bypassed or full (the caller keeps using its own value). */
const void *ac_cache_put(struct ac_cache *k, int kind, long long id, const char *str,
                         const void *val, size_t size);

/* Entries and bytes held (for tests and logs). */
long ac_cache_entries(const struct ac_cache *k);
size_t ac_cache_bytes(const struct ac_cache *k);
#endif
