/* The allocation-candidates read cache: keys, versions (an entry never
 * outlives the version it was read at), bypass, and the byte bound. */
#include "harness.h"
#include "../../common/ac_cache.h"
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

void
test_ac_cache(void)
{
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
}
