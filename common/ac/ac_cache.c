/* The allocation-candidates read cache; see ac_cache.h for the contract.
 *
 * Entries sit in an array in the order stored, found through an open-
 * addressing table of their indexes.  The cache lives across writes
 * (common/ac/ac_refresh.c drops and re-stores what each write touched, and
 * every whole answer), so dropping must not leave work behind: a dropped
 * entry leaves the table at once (backward-shift deletion, no tombstones
 * for later probes to walk), entries of one kind are chained so that
 * dropping a kind visits only that kind, and dropped entries are squeezed
 * out of the array before it grows. */
#include "ac_cache.h"
#include "../util/arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint64_t hash;
	long long id;
	const char *str;          /* NULL when the key has none */
	const void *val;
	size_t size;
	long older;               /* the entry of the same kind stored before, or -1 */
	int kind;                 /* 0: dropped (and out of the table) */
	int heap;                 /* val is malloc'd (whole answers), freed when dropped */
};

struct ac_cache {
	struct arena a;           /* keys and values */
	struct entry *ent;        /* the entries, in the order stored (malloc) */
	long n, cap;
	long ndead;               /* entries of ent dropped (kind 0) */
	long newest[ACK_NKINDS];  /* per kind, its last entry stored (-1: none) */
	unsigned *tab;            /* open addressing: live entry index + 1, 0 empty (malloc) */
	long tcap;                /* a power of two, at least twice n */
	size_t limit;
	unsigned long long version;
	long long seq;            /* the change-log position of version */
	size_t dead;              /* bytes of dropped entries (kind 0) left in the arena */
	size_t heap;              /* bytes of live malloc'd values */
	int off;                  /* this request bypasses the cache */
	int full;                 /* the bound was reached: keep what is there */
};

static uint64_t
key_hash(int kind, long long id, const char *str)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
	h = (h ^ (uint64_t)id) * 0x9e3779b97f4a7c15ULL;
	if (str != NULL)
		for (const unsigned char *p = (const unsigned char *)str; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static void drop_all(struct ac_cache *k);

struct ac_cache *
ac_cache_new(size_t limit)
{
	struct ac_cache *k = calloc(1, sizeof(*k));
	if (k == NULL)
		return NULL;
	k->limit = limit;
	k->off = 1;
	for (int i = 0; i < ACK_NKINDS; i++)
		k->newest[i] = -1;
	return k;
}

void
ac_cache_free(struct ac_cache *k)
{
	if (k == NULL)
		return;
	drop_all(k);
	arena_free(&k->a);
	free(k->ent);
	free(k->tab);
	free(k);
}

size_t
ac_cache_bytes(const struct ac_cache *k)
{
	if (k == NULL)
		return 0;
	return k->a.total + k->heap + sizeof(*k->ent) * (size_t)k->cap + sizeof(*k->tab) * (size_t)k->tcap;
}

/* Forgets every entry (keeping the tables' memory). */
static void
drop_all(struct ac_cache *k)
{
	for (long i = 0; i < k->n; i++)
		if (k->ent[i].heap && k->ent[i].kind != 0)
			free((void *)k->ent[i].val);
	k->heap = 0;
	arena_reset(&k->a);
	k->n = 0;
	k->ndead = 0;
	for (int i = 0; i < ACK_NKINDS; i++)
		k->newest[i] = -1;
	if (k->tab != NULL)
		memset(k->tab, 0, sizeof(*k->tab) * (size_t)k->tcap);
	k->full = 0;
	k->dead = 0;
}

void
ac_cache_begin(struct ac_cache *k, unsigned long long v)
{
	if (k == NULL)
		return;
	if (v == 0) {
		k->off = 1;
		return;
	}
	if (v != k->version) {
		drop_all(k);
		k->version = v;
		k->seq = 0;
	}
	k->off = 0;
}

int
ac_cache_is_current(const struct ac_cache *k, unsigned long long v)
{
	return k != NULL && v != 0 && k->version == v;
}

int
ac_cache_has_version(const struct ac_cache *k)
{
	return k != NULL && k->version != 0;
}

unsigned long long
ac_cache_version(const struct ac_cache *k)
{
	return k ? k->version : 0;
}

long long
ac_cache_log_seq(const struct ac_cache *k)
{
	return k ? k->seq : 0;
}

void
ac_cache_reset(struct ac_cache *k, unsigned long long v, long long seq)
{
	if (k == NULL)
		return;
	drop_all(k);
	k->version = v;
	k->seq = seq;
	k->off = v == 0;
}

void
ac_cache_advance(struct ac_cache *k, unsigned long long v, long long seq)
{
	if (k == NULL)
		return;
	/* Dropped entries' bytes come back only by a reset; letting them grow
	 * to the live entries' size (past a floor) keeps a long-running
	 * responder within about twice what it holds, and costs a reset (the
	 * next requests read again what they use) per as many bytes dropped
	 * as are held. */
	size_t live = k->a.total > k->dead ? k->a.total - k->dead : 0;
	if (k->dead > k->limit / 2 || (k->dead > k->limit / 64 && k->dead > live)) {
		ac_cache_reset(k, v, seq);
		return;
	}
	k->version = v;
	k->seq = seq;
	k->off = v == 0;
}

/* Empties table slot t, moving back the entries after it that probed
 * past it (linear probing needs no tombstone then). */
static void
unlink_slot(struct ac_cache *k, unsigned *t)
{
	unsigned long m = (unsigned long)k->tcap - 1;
	unsigned long i = (unsigned long)(t - k->tab);
	for (unsigned long j = (i + 1) & m; k->tab[j] != 0; j = (j + 1) & m) {
		unsigned long home = (unsigned long)k->ent[k->tab[j] - 1].hash & m;
		/* an entry whose home lies cyclically in (i, j] must stay */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		k->tab[i] = k->tab[j];
		i = j;
	}
	k->tab[i] = 0;
}

static unsigned *slot(const struct ac_cache *k, uint64_t h, int kind, long long id,
                      const char *str);

/* Drops live entry e: out of the table, its heap value freed, its arena
 * bytes counted as dead (an arena gives nothing back but by a reset). */
static void
kill_entry(struct ac_cache *k, struct entry *e)
{
	unlink_slot(k, slot(k, e->hash, e->kind, e->id, e->str));
	k->ndead++;
	if (e->heap) {
		free((void *)e->val);
		k->heap -= e->size;
		e->val = NULL;
	} else {
		k->dead += e->size;
	}
	e->kind = 0;
}

/* The table slot of the key: an entry's, or the empty one where it would go. */
static unsigned *
slot(const struct ac_cache *k, uint64_t h, int kind, long long id, const char *str)
{
	unsigned long m = (unsigned long)k->tcap - 1;
	for (unsigned long i = (unsigned long)h & m;; i = (i + 1) & m) {
		unsigned *t = &k->tab[i];
		if (*t == 0)
			return t;
		const struct entry *e = &k->ent[*t - 1];
		if (e->hash == h && e->kind == kind && e->id == id &&
		    (e->str == NULL ? str == NULL : (str != NULL && strcmp(e->str, str) == 0)))
			return t;
	}
}

const void *
ac_cache_get(struct ac_cache *k, int kind, long long id, const char *str, size_t *size)
{
	if (k == NULL || k->off || k->n == 0)
		return NULL;
	unsigned *t = slot(k, key_hash(kind, id, str), kind, id, str);
	if (*t == 0)
		return NULL;
	const struct entry *e = &k->ent[*t - 1];
	if (size != NULL)
		*size = e->size;
	return e->val;
}

/* Room for one more entry (the table kept at most half full); -1 when
 * that would pass the bound or memory is short. */
/* Puts entry i in the first free slot of its probe (its key is not there). */
static void
table_add(struct ac_cache *k, long i)
{
	unsigned long m = (unsigned long)k->tcap - 1;
	unsigned long j = (unsigned long)k->ent[i].hash & m;
	while (k->tab[j] != 0)
		j = (j + 1) & m;
	k->tab[j] = (unsigned)(i + 1);
}

/* Squeezes the dropped entries out of the array, keeping the order, and
 * makes the table and the chains of kinds again. */
static void
compact(struct ac_cache *k)
{
	long n = 0;
	for (long i = 0; i < k->n; i++)
		if (k->ent[i].kind != 0)
			k->ent[n++] = k->ent[i];
	k->n = n;
	k->ndead = 0;
	for (int i = 0; i < ACK_NKINDS; i++)
		k->newest[i] = -1;
	memset(k->tab, 0, sizeof(*k->tab) * (size_t)k->tcap);
	for (long i = 0; i < n; i++) {
		struct entry *e = &k->ent[i];
		e->older = k->newest[e->kind];
		k->newest[e->kind] = i;
		table_add(k, i);
	}
}

static int
make_room(struct ac_cache *k)
{
	if (k->n == k->cap && k->ndead * 2 >= k->n && k->ndead > 0)
		compact(k);
	if (k->n == k->cap) {
		long ncap = k->cap ? k->cap * 2 : 64;
		if (k->a.total + sizeof(*k->ent) * (size_t)ncap + sizeof(*k->tab) * (size_t)k->tcap > k->limit)
			return -1;
		struct entry *ne = realloc(k->ent, sizeof(*ne) * (size_t)ncap);
		if (ne == NULL)
			return -1;
		k->ent = ne;
		k->cap = ncap;
	}
	if ((k->n + 1) * 2 > k->tcap) {
		long ncap = k->tcap ? k->tcap * 2 : 128;
		if (ac_cache_bytes(k) + sizeof(*k->tab) * (size_t)(ncap - k->tcap) > k->limit)
			return -1;
		unsigned *nt = calloc((size_t)ncap, sizeof(*nt));
		if (nt == NULL)
			return -1;
		free(k->tab);
		k->tab = nt;
		k->tcap = ncap;
		for (long i = 0; i < k->n; i++)
			if (k->ent[i].kind != 0)
				table_add(k, i);
	}
	return 0;
}

const void *
ac_cache_put(struct ac_cache *k, int kind, long long id, const char *str,
             const void *val, size_t size)
{
	if (k == NULL || k->off || k->full)
		return NULL;
	if (make_room(k) < 0) {
		k->full = 1;
		return NULL;
	}
	uint64_t h = key_hash(kind, id, str);
	unsigned *t = slot(k, h, kind, id, str);
	if (*t != 0)
		return k->ent[*t - 1].val;
	/* the arena's own bound is what is left of ours */
	size_t tables = sizeof(*k->ent) * (size_t)k->cap + sizeof(*k->tab) * (size_t)k->tcap;
	k->a.limit = k->limit > tables + k->heap ? k->limit - tables - k->heap : 1;
	/* Whole answers come and go with every write: kept on the heap, so
	 * that dropping them gives their memory back at once. */
	int heap = kind == ACK_ANSWER;
	if (heap && ac_cache_bytes(k) + size > k->limit) {
		k->full = 1;
		return NULL;
	}
	void *copy = heap ? malloc(size ? size : 1) : arena_alloc_raw(&k->a, size ? size : 1);
	char *key = (copy != NULL && str != NULL) ? arena_strdup(&k->a, str) : NULL;
	if (copy == NULL || (str != NULL && key == NULL)) {
		if (heap)
			free(copy);
		k->full = 1;
		return NULL;
	}
	if (heap)
		k->heap += size;
	if (size)
		memcpy(copy, val, size);
	struct entry *e = &k->ent[k->n];
	e->hash = h;
	e->kind = kind;
	e->id = id;
	e->str = key;
	e->val = copy;
	e->size = size;
	e->heap = heap;
	e->older = k->newest[kind];
	k->newest[kind] = k->n;
	*t = (unsigned)(++k->n);
	return copy;
}

long
ac_cache_entries(const struct ac_cache *k)
{
	return k ? k->n - k->ndead : 0;
}

void
ac_cache_drop(struct ac_cache *k, int kind, long long id, const char *str)
{
	if (k == NULL || k->n == 0)
		return;
	unsigned *t = slot(k, key_hash(kind, id, str), kind, id, str);
	if (*t != 0)
		kill_entry(k, &k->ent[*t - 1]);
}

void
ac_cache_drop_kind(struct ac_cache *k, int kind)
{
	if (k == NULL || kind <= 0 || kind >= ACK_NKINDS)
		return;
	for (long i = k->newest[kind]; i >= 0; i = k->ent[i].older)
		if (k->ent[i].kind == kind)
			kill_entry(k, &k->ent[i]);
	k->newest[kind] = -1;
}

void
ac_cache_each(struct ac_cache *k, int kind,
              int (*fn)(void *arg, long long id, void *val, size_t size), void *arg)
{
	if (k == NULL)
		return;
	if (kind <= 0 || kind >= ACK_NKINDS)
		return;
	for (long i = k->newest[kind]; i >= 0; i = k->ent[i].older) {
		struct entry *e = &k->ent[i];
		/* the values live in the cache's own arena: the const is ours */
		if (e->kind == kind && fn(arg, e->id, (void *)e->val, e->size))
			kill_entry(k, e);
	}
}
