/* The per-request arena: aligned zeroed memory, large blocks, the byte
 * limit, overflow, the string helpers, and reset/free. */
#include "harness.h"
#include "../../common/util/arena.h"
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A sequence of allocations under a limit: each row says whether it
 * must succeed.  Sizes are rounded up to alignof(max_align_t). */
static const struct alloc_case {
	int line;
	size_t limit;             /* 0: none */
	size_t sizes[6];          /* 0 ends the list */
	int ok[6];
} alloc_cases[] = {
#define R(limit, sizes, ok) {__LINE__, limit, sizes, ok}
#define L(...) {__VA_ARGS__}
	R(0, L(1, 2, 3, 100, 16384, 0), L(1, 1, 1, 1, 1)),
	R(0, L(20000, 10, 100000, 10, 0), L(1, 1, 1, 1)),
	R(1000, L(500, 400, 200, 0), L(1, 1, 0)),
	R(1000, L(1001, 992, 9, 0), L(0, 1, 0)),
	R(1000, L(1000, 0), L(0)),            /* 1000 rounds up past the limit */
	R(64, L(64, 0), L(1)),
	R(64, L(49, 0), L(1)),
	R(64, L(65, 0), L(0)),
	R(0, L(SIZE_MAX, 0), L(0)),
	R(0, L(SIZE_MAX - 8, 0), L(0)),
	R(1 << 20, L(SIZE_MAX / 2, 0), L(0)),
#undef L
#undef R
};

/* arena_printf with a format taking one string then one int. */
static const struct fmt_case {
	int line;
	const char *fmt;
	const char *s;
	int n;
	const char *out;
} fmt_cases[] = {
#define R(f, s, n, out) {__LINE__, f, s, n, out}
	R("%s%d", "", 42, "42"),
	R("%s-%d", "req", 7, "req-7"),
	R("%.3s|%5d", "abcdef", -1, "abc|   -1"),
	R("%s%.0d", "", 0, ""),
#undef R
};

static void
test_alloc(void)
{
	for (int i = 0; i < NROWS(alloc_cases); i++) {
		const struct alloc_case *t = &alloc_cases[i];
		struct arena a = {0};
		a.limit = t->limit;
		for (int k = 0; k < 6 && t->sizes[k]; k++) {
			size_t n = t->sizes[k];
			unsigned char *p = arena_alloc(&a, n);
			CHECK(t->line, (p != NULL) == t->ok[k], "alloc #%d of %zu: got %p", k, n, (void *)p);
			if (p == NULL)
				continue;
			CHECK(t->line, (uintptr_t)p % alignof(max_align_t) == 0, "alloc #%d misaligned", k);
			/* zeroed, and all of it writable (ASan checks the bounds) */
			size_t nonzero = 0;
			for (size_t j = 0; j < n; j++)
				nonzero += p[j] != 0;
			CHECK(t->line, nonzero == 0, "alloc #%d not zeroed", k);
			memset(p, 0xa5, n);
		}
		CHECK(t->line, !t->limit || a.total <= t->limit, "total %zu past limit", a.total);
		arena_free(&a);
	}
}

static void
test_reuse(void)
{
	struct arena a = {0};
	/* memory handed out again after a reset is zeroed again */
	unsigned char *p = arena_alloc(&a, 256);
	memset(p, 0xff, 256);
	arena_alloc(&a, 50000);        /* a large one-off block */
	arena_reset(&a);
	CHECK(__LINE__, a.head != NULL, "first block kept across reset");
	CHECK_INT(__LINE__, "total after reset", (long long)a.total, 0);
	unsigned char *q = arena_alloc(&a, 256);
	CHECK(__LINE__, q == p, "the kept block is reused");
	size_t nonzero = 0;
	for (int j = 0; j < 256; j++)
		nonzero += q[j] != 0;
	CHECK(__LINE__, nonzero == 0, "reused memory zeroed");
	/* a large block does not waste the current block's free space */
	unsigned char *small1 = arena_alloc(&a, 64);
	arena_alloc(&a, 40000);
	unsigned char *small2 = arena_alloc(&a, 64);
	CHECK(__LINE__, small2 == small1 + 64 + ARENA_REDZONE, "small allocations continue in the current block");
	/* many resets do not leak (ASan's leak check at exit) */
	for (int i = 0; i < 100; i++) {
		for (int k = 0; k < 10; k++)
			arena_alloc(&a, 5000);
		arena_reset(&a);
	}
	arena_free(&a);
	CHECK(__LINE__, a.head == NULL, "freed");
	/* a freed arena is usable again */
	CHECK(__LINE__, arena_alloc(&a, 8) != NULL, "usable after free");
	arena_free(&a);
}

static void
test_strings(void)
{
	struct arena a = {0};
	CHECK_STR(__LINE__, "strdup", arena_strdup(&a, "hello"), "hello");
	CHECK_STR(__LINE__, "strdup empty", arena_strdup(&a, ""), "");
	CHECK(__LINE__, arena_strdup(&a, NULL) == NULL, "strdup NULL");
	CHECK_STR(__LINE__, "strndup", arena_strndup(&a, "hello", 3), "hel");
	CHECK_STR(__LINE__, "strndup 0", arena_strndup(&a, "hello", 0), "");
	for (int i = 0; i < NROWS(fmt_cases); i++) {
		const struct fmt_case *t = &fmt_cases[i];
		CHECK_STR(t->line, t->fmt, arena_printf(&a, t->fmt, t->s, t->n), t->out);
	}
	/* a formatted string larger than a block */
	char big[40000];
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char *p = arena_printf(&a, "[%s]", big);
	CHECK(__LINE__, p && strlen(p) == sizeof(big) + 1 && p[0] == '[' && p[sizeof(big)] == ']',
	      "large printf");
	/* under a limit the helpers fail cleanly */
	arena_reset(&a);
	a.limit = 32;
	CHECK(__LINE__, arena_printf(&a, "%s", big) == NULL, "printf past limit");
	CHECK(__LINE__, arena_strdup(&a, big) == NULL, "strdup past limit");
	CHECK_STR(__LINE__, "small still fits", arena_strdup(&a, "ok"), "ok");
	arena_free(&a);
}

/* A region: allocations come from it, in order, zeroed; a reset rewinds
 * it to the same addresses; past its end the arena falls back to blocks;
 * the limit still holds; free unmaps it and the arena works again. */
static void
test_region(void)
{
	struct arena a = {0};
	CHECK(__LINE__, arena_use_region(&a, 64 << 10) == 0, "region mapped");
	CHECK(__LINE__, arena_use_region(&a, 64 << 10) == -1, "one region per arena");
	unsigned char *p = arena_alloc(&a, 100);
	CHECK(__LINE__, p == (unsigned char *)a.region, "first allocation at the region's start");
	memset(p, 0xff, 100);
	unsigned char *q = arena_alloc(&a, 1000);
	CHECK(__LINE__, q >= p + 100 && q < (unsigned char *)a.region + a.region_size,
	      "second allocation after the first, in the region");
	CHECK(__LINE__, (uintptr_t)q % alignof(max_align_t) == 0, "aligned");
	CHECK(__LINE__, a.head == NULL, "no block while the region has room");
	/* larger than what is left: a block */
	unsigned char *big = arena_alloc(&a, 70 << 10);
	CHECK(__LINE__, big != NULL && a.head != NULL, "a block past the region's end");
	memset(big, 0xa5, 70 << 10);
	arena_reset(&a);
	CHECK_INT(__LINE__, "region rewound", (long long)a.region_used, 0);
	unsigned char *r = arena_alloc(&a, 100);
	CHECK(__LINE__, r == p, "the same address after a reset");
	size_t nonzero = 0;
	for (int j = 0; j < 100; j++)
		nonzero += r[j] != 0;
	CHECK(__LINE__, nonzero == 0, "zeroed again");
	/* the limit counts region bytes too */
	arena_reset(&a);
	a.limit = 256;
	CHECK(__LINE__, arena_alloc(&a, 200) != NULL, "under the limit");
	CHECK(__LINE__, arena_alloc(&a, 200) == NULL, "past the limit");
	a.limit = 0;
	/* filling the region exactly, then one more */
	arena_reset(&a);
	size_t room = (a.region_size - ARENA_REDZONE) & ~(sizeof(max_align_t) - 1);
	CHECK(__LINE__, arena_alloc_raw(&a, room) == (void *)a.region, "the whole region");
	unsigned char *next = arena_alloc(&a, 64);
	CHECK(__LINE__, next != NULL && (next < (unsigned char *)a.region ||
	      next >= (unsigned char *)a.region + a.region_size), "the next from a block");
	arena_free(&a);
	CHECK(__LINE__, a.region == NULL && a.head == NULL, "unmapped and freed");
	CHECK(__LINE__, arena_alloc(&a, 8) != NULL, "usable after free");
	arena_free(&a);
}

void
test_arena(void)
{
	test_alloc();
	test_reuse();
	test_strings();
	test_region();
}
