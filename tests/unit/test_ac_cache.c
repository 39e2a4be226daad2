/* The allocation-candidates read cache: keys, versions (an entry never
 * outlives the version it was read at), bypass, and the byte bound. */
#include "harness.h"
#include "../../common/ac/ac_cache.h"
#include <stdio.h>
#include <string.h>

/* Whether (kind, id, str) holds the text want (NULL: absent). */
static void
expect(int line, struct ac_cache *k, int kind, long long id, const char *str, const char *want)
{
	size_t size = 0;
	const char *got = ac_cache_get(k, kind, id, str, &size);
	if (want == NULL) {
		CHECK(line, got == NULL, "expected no entry, got %.*s", got ? (int)size : 0, got ? got : "");
		return;
	}
	CHECK(line, got != NULL && size == strlen(want) + 1 && strcmp(got, want) == 0,
	      "expected %s, got %s", want, got ? got : "(none)");
}

static void
put(struct ac_cache *k, int kind, long long id, const char *str, const char *val)
{
	ac_cache_put(k, kind, id, str, val, strlen(val) + 1);
}

/* ac_cache_each callback: drops even ids, upper-cases odd ones' values. */
static int
each_even(void *arg, long long id, void *val, size_t size)
{
	(*(int *)arg)++;
	if (id % 2 == 0)
		return 1;
	for (char *p = val; (size_t)(p - (char *)val) < size && *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return 0;
}

/* Churn as the scheduler's loop makes it (the same keys dropped and
 * stored again thousands of times, whole answers dropped as a kind),
 * checked against a plain array of what should be there: drops leave the
 * table at once and the dropped entries are squeezed out, so every key
 * must still read as the model says and the count stay that of the live
 * ones. */
static void
churn(void)
{
	enum { NKEYS = 300 };
	static const int kinds[3] = {ACK_SUMMARY, ACK_ANSWER, ACK_UUID};
	int model[NKEYS];             /* the value's number, -1: absent */
	for (int i = 0; i < NKEYS; i++)
		model[i] = -1;
	struct ac_cache *k = ac_cache_new(64 << 20);
	ac_cache_reset(k, 1, 0);
	unsigned long x = 12345;
	int bad = 0;
	for (int step = 0; step < 60000 && !bad; step++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		int key = (int)((x >> 33) % NKEYS), kind = kinds[key % 3], op = (int)((x >> 20) % 10);
		char val[32];
		snprintf(val, sizeof(val), "v%d", step);
		if (op < 5) {
			/* stored only where absent (a put of a present key keeps it) */
			if (model[key] < 0)
				model[key] = step;
			put(k, kind, key, kind == ACK_ANSWER ? "q" : NULL, val);
		} else if (op < 9) {
			ac_cache_drop(k, kind, key, kind == ACK_ANSWER ? "q" : NULL);
			model[key] = -1;
		} else {
			ac_cache_drop_kind(k, ACK_ANSWER);
			for (int i = 0; i < NKEYS; i++)
				if (kinds[i % 3] == ACK_ANSWER)
					model[i] = -1;
		}
		if (step % 997 != 0)
			continue;
		long live = 0;
		for (int i = 0; i < NKEYS && !bad; i++) {
			const char *got = ac_cache_get(k, kinds[i % 3], i, kinds[i % 3] == ACK_ANSWER ? "q" : NULL, NULL);
			char want[32];
			snprintf(want, sizeof(want), "v%d", model[i]);
			live += model[i] >= 0;
			if (model[i] < 0 ? got != NULL : (got == NULL || strcmp(got, want) != 0)) {
				CHECK(__LINE__, 0, "step %d key %d: want %s, got %s", step, i,
				      model[i] < 0 ? "(none)" : want, got ? got : "(none)");
				bad = 1;
			}
		}
		if (!bad && ac_cache_entries(k) != live) {
			CHECK_INT(__LINE__, "live entries", ac_cache_entries(k), live);
			bad = 1;
		}
	}
	CHECK(__LINE__, !bad, "churn matches the model");
	ac_cache_free(k);
}

void
test_ac_cache(void)
{
	churn();

	/* no cache at all: every call is harmless */
	ac_cache_begin(NULL, 7);
	CHECK(__LINE__, ac_cache_put(NULL, ACK_UUID, 1, NULL, "x", 2) == NULL, "no cache: put");
	expect(__LINE__, NULL, ACK_UUID, 1, NULL, NULL);

	struct ac_cache *k = ac_cache_new(1 << 20);
	CHECK(__LINE__, k != NULL, "new");
	/* before any version: bypassed */
	put(k, ACK_UUID, 1, NULL, "a");
	expect(__LINE__, k, ACK_UUID, 1, NULL, NULL);

	ac_cache_begin(k, 5);
	put(k, ACK_UUID, 1, NULL, "a");
	put(k, ACK_SUMMARY, 1, NULL, "summary");
	put(k, ACK_AGG_MEMBERS, 0, "agg-1", "members");
	put(k, ACK_TRAIT_ID, 0, "CUSTOM_X", "id");
	/* keys differ by kind, id and string */
	expect(__LINE__, k, ACK_UUID, 1, NULL, "a");
	expect(__LINE__, k, ACK_SUMMARY, 1, NULL, "summary");
	expect(__LINE__, k, ACK_UUID, 2, NULL, NULL);
	expect(__LINE__, k, ACK_AGG_MEMBERS, 0, "agg-1", "members");
	expect(__LINE__, k, ACK_AGG_MEMBERS, 0, "agg-2", NULL);
	expect(__LINE__, k, ACK_AGG_MEMBERS, 0, NULL, NULL);
	expect(__LINE__, k, ACK_TRAIT_ID, 0, "CUSTOM_X", "id");
	/* the first value stays */
	put(k, ACK_UUID, 1, NULL, "b");
	expect(__LINE__, k, ACK_UUID, 1, NULL, "a");

	/* the same version: kept; another: all gone */
	ac_cache_begin(k, 5);
	expect(__LINE__, k, ACK_UUID, 1, NULL, "a");
	ac_cache_begin(k, 6);
	expect(__LINE__, k, ACK_UUID, 1, NULL, NULL);
	expect(__LINE__, k, ACK_AGG_MEMBERS, 0, "agg-1", NULL);
	CHECK_INT(__LINE__, "entries after a new version", ac_cache_entries(k), 0);

	/* version 0 (unknown): bypassed, and nothing it might hold is used */
	put(k, ACK_UUID, 3, NULL, "c");
	ac_cache_begin(k, 0);
	expect(__LINE__, k, ACK_UUID, 3, NULL, NULL);
	put(k, ACK_UUID, 4, NULL, "d");
	ac_cache_begin(k, 6);
	expect(__LINE__, k, ACK_UUID, 3, NULL, "c");
	expect(__LINE__, k, ACK_UUID, 4, NULL, NULL);

	/* many entries: the table grows and keeps them all */
	char val[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(val, sizeof(val), "v%d", i);
		put(k, ACK_TREE, i, NULL, val);
	}
	int all = 1;
	for (int i = 0; i < 5000; i++) {
		size_t size;
		const char *got = ac_cache_get(k, ACK_TREE, i, NULL, &size);
		snprintf(val, sizeof(val), "v%d", i);
		all &= got != NULL && strcmp(got, val) == 0;
	}
	CHECK(__LINE__, all, "5000 entries kept");
	ac_cache_free(k);

	/* the byte bound: past it nothing more is stored, what is there stays
	 * readable (also in the next request of the same version), and a new
	 * version starts afresh */
	k = ac_cache_new(64 << 10);
	ac_cache_begin(k, 1);
	char big[4096];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	int stored = 0;
	for (int i = 0; i < 100; i++)
		stored += ac_cache_put(k, ACK_SUMMARY, i, NULL, big, sizeof(big)) != NULL;
	CHECK(__LINE__, stored > 0 && stored < 100, "bounded: %d of 100 stored", stored);
	CHECK(__LINE__, ac_cache_bytes(k) <= (64 << 10), "within the bound");
	expect(__LINE__, k, ACK_SUMMARY, 0, NULL, big);
	CHECK(__LINE__, ac_cache_put(k, ACK_UUID, 1, NULL, "a", 2) == NULL, "full: no more");
	ac_cache_begin(k, 1);
	expect(__LINE__, k, ACK_SUMMARY, 0, NULL, big);
	CHECK(__LINE__, ac_cache_put(k, ACK_UUID, 1, NULL, "a", 2) == NULL, "still full");
	ac_cache_begin(k, 2);
	expect(__LINE__, k, ACK_SUMMARY, 0, NULL, NULL);
	put(k, ACK_UUID, 1, NULL, "a");
	expect(__LINE__, k, ACK_UUID, 1, NULL, "a");
	ac_cache_free(k);

	/* kept across versions (ac_refresh.c): dropped keys read as absent and
	 * can be stored again, the others stay; each visits live entries of a
	 * kind and may change or drop them */
	k = ac_cache_new(1 << 20);
	ac_cache_reset(k, 5, 100);
	CHECK(__LINE__, ac_cache_is_current(k, 5) && !ac_cache_is_current(k, 6), "current");
	CHECK_INT(__LINE__, "log seq", ac_cache_log_seq(k), 100);
	for (int i = 0; i < 50; i++) {
		snprintf(val, sizeof(val), "s%d", i);
		put(k, ACK_SUMMARY, i, NULL, val);
	}
	put(k, ACK_TREE, 7, NULL, "tree");
	put(k, ACK_ANSWER, 39, "resources=VCPU:1", "answer");
	ac_cache_drop(k, ACK_SUMMARY, 3, NULL);
	ac_cache_drop(k, ACK_SUMMARY, 999, NULL);     /* absent: nothing */
	expect(__LINE__, k, ACK_SUMMARY, 3, NULL, NULL);
	expect(__LINE__, k, ACK_SUMMARY, 4, NULL, "s4");
	put(k, ACK_SUMMARY, 3, NULL, "again");
	expect(__LINE__, k, ACK_SUMMARY, 3, NULL, "again");
	ac_cache_drop_kind(k, ACK_ANSWER);
	expect(__LINE__, k, ACK_ANSWER, 39, "resources=VCPU:1", NULL);
	expect(__LINE__, k, ACK_TREE, 7, NULL, "tree");
	int seen = 0;
	ac_cache_each(k, ACK_SUMMARY, each_even, &seen);
	CHECK_INT(__LINE__, "live summaries visited", seen, 50);
	expect(__LINE__, k, ACK_SUMMARY, 2, NULL, NULL);
	expect(__LINE__, k, ACK_SUMMARY, 3, NULL, "AGAIN");
	ac_cache_advance(k, 6, 120);
	CHECK(__LINE__, ac_cache_is_current(k, 6), "advanced");
	CHECK_INT(__LINE__, "advanced seq", ac_cache_log_seq(k), 120);
	expect(__LINE__, k, ACK_TREE, 7, NULL, "tree");
	/* answers live on the heap: dropping one gives its bytes back */
	size_t before = ac_cache_bytes(k);
	char answer[8192];
	memset(answer, 'a', sizeof(answer) - 1);
	answer[sizeof(answer) - 1] = '\0';
	CHECK(__LINE__, ac_cache_put(k, ACK_ANSWER, 39, "q", answer, sizeof(answer)) != NULL, "answer stored");
	size_t with = ac_cache_bytes(k);
	CHECK(__LINE__, with >= before + sizeof(answer), "answer counted");
	ac_cache_drop_kind(k, ACK_ANSWER);
	CHECK(__LINE__, ac_cache_bytes(k) == with - sizeof(answer), "answer bytes given back");
	ac_cache_reset(k, 7, 0);
	expect(__LINE__, k, ACK_TREE, 7, NULL, NULL);
	ac_cache_free(k);

	/* garbage is let grow to the size of what is live (past a 64th of the
	 * bound: 32 KiB here), then everything goes at the next advance */
	k = ac_cache_new(2 << 20);
	ac_cache_reset(k, 1, 0);
	char kb[1024];
	memset(kb, 'k', sizeof(kb) - 1);
	kb[sizeof(kb) - 1] = '\0';
	for (int i = 0; i < 48; i++)
		CHECK(__LINE__, ac_cache_put(k, ACK_SUMMARY, i, NULL, kb, sizeof(kb)) != NULL, "live kB");
	int cycles = 0;
	unsigned long long v = 1;
	while (cycles < 200) {
		ac_cache_drop(k, ACK_SUMMARY, 0, NULL);
		ac_cache_put(k, ACK_SUMMARY, 0, NULL, kb, sizeof(kb));
		cycles++;
		ac_cache_advance(k, ++v, 0);
		if (ac_cache_get(k, ACK_SUMMARY, 1, NULL, NULL) == NULL)
			break;
	}
	/* 48 kB live: the reset comes once about 48 kB were dropped */
	CHECK(__LINE__, cycles >= 40 && cycles <= 56, "reset after %d cycles of 1 kB", cycles);
	ac_cache_free(k);
}
