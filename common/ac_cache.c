/* The allocation-candidates read cache; see ac_cache.h for the contract. */
#include "ac_cache.h"
#include "arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint64_t hash;
	long long id;
	const char *str;          /* NULL when the key has none */
	const void *val;
	size_t size;
	int kind;
};

struct ac_cache {
	struct arena a;           /* keys and values */
	struct entry *ent;        /* the entries, in the order stored (malloc) */
	long n, cap;
	unsigned *tab;            /* open addressing: entry index + 1, 0 empty (malloc) */
	long tcap;                /* a power of two, at least twice n */
	size_t limit;
	unsigned long long version;
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

struct ac_cache *
ac_cache_new(size_t limit)
{
	struct ac_cache *k = calloc(1, sizeof(*k));
	if (k == NULL)
		return NULL;
	k->limit = limit;
	k->off = 1;
	return k;
}

void
ac_cache_free(struct ac_cache *k)
{
	if (k == NULL)
		return;
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
	return k->a.total + sizeof(*k->ent) * (size_t)k->cap + sizeof(*k->tab) * (size_t)k->tcap;
}

/* Forgets every entry (keeping the tables' memory). */
static void
drop_all(struct ac_cache *k)
{
	arena_reset(&k->a);
	k->n = 0;
	if (k->tab != NULL)
		memset(k->tab, 0, sizeof(*k->tab) * (size_t)k->tcap);
	k->full = 0;
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
	}
	k->off = 0;
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
static int
make_room(struct ac_cache *k)
{
	if (k->n == k->cap) {
		long ncap = k->cap ? k->cap * 2 : 1024;
		if (k->a.total + sizeof(*k->ent) * (size_t)ncap + sizeof(*k->tab) * (size_t)k->tcap > k->limit)
			return -1;
		struct entry *ne = realloc(k->ent, sizeof(*ne) * (size_t)ncap);
		if (ne == NULL)
			return -1;
		k->ent = ne;
		k->cap = ncap;
	}
	if ((k->n + 1) * 2 > k->tcap) {
		long ncap = k->tcap ? k->tcap * 2 : 2048;
		if (ac_cache_bytes(k) + sizeof(*k->tab) * (size_t)(ncap - k->tcap) > k->limit)
			return -1;
		unsigned *nt = calloc((size_t)ncap, sizeof(*nt));
		if (nt == NULL)
			return -1;
		free(k->tab);
		k->tab = nt;
		k->tcap = ncap;
		for (long i = 0; i < k->n; i++) {
			const struct entry *e = &k->ent[i];
			*slot(k, e->hash, e->kind, e->id, e->str) = (unsigned)(i + 1);
		}
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
	k->a.limit = k->limit > tables ? k->limit - tables : 1;
	void *copy = arena_alloc_raw(&k->a, size ? size : 1);
	char *key = (copy != NULL && str != NULL) ? arena_strdup(&k->a, str) : NULL;
	if (copy == NULL || (str != NULL && key == NULL)) {
		k->full = 1;
		return NULL;
	}
	if (size)
		memcpy(copy, val, size);
	struct entry *e = &k->ent[k->n];
	e->hash = h;
	e->kind = kind;
	e->id = id;
	e->str = key;
	e->val = copy;
	e->size = size;
	*t = (unsigned)(++k->n);
	return copy;
}

long
ac_cache_entries(const struct ac_cache *k)
{
	return k ? k->n : 0;
}
