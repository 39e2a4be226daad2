/* Per-request memory: a bump allocator released in one place, after the
 * response is written.  Not thread-safe; one arena per owner. */
#ifndef PLACEMENT_ARENA_H
#define PLACEMENT_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena_block;
struct arena {
	struct arena_block *head;   /* newest block first */
	size_t total;               /* bytes handed out since the last reset */
	size_t limit;               /* 0: unlimited; else arena_alloc fails past it */
	/* A region of its own (arena_use_region), used before any block. */
	char *region;
	size_t region_size, region_used, region_high;
};

/* Bytes left unusable after each allocation: a poisoned red zone in
 * AddressSanitizer builds (so overflows between neighbours are caught). */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_REDZONE 16
#else
#define ARENA_REDZONE 0
#endif

/* Returns zeroed memory aligned for any type, or NULL past arena->limit
 * or when malloc fails.  Valid until arena_reset. */
void *arena_alloc(struct arena *a, size_t n);
/* The same, not zeroed: for memory the caller writes in full at once. */
void *arena_alloc_raw(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* The concatenation of two strings (cheaper than arena_printf). */
char *arena_cat(struct arena *a, const char *s1, const char *s2);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Gives a long-lived arena (a FastCGI responder's per-request one) a
 * region of `bytes` of address space of its own, mapped once, that it
 * bump-allocates from before falling back to malloc'd blocks, and that a
 * reset rewinds.  Why: a request's tens of MiB of short-lived blocks
 * interleaved in malloc's heap with what lives across requests (the read
 * cache) left the heap ever more holes than data, and a responder's RSS
 * crept up for an hour (tests/soak).  The region's pages stay mapped for
 * the next request (no page faults) up to ARENA_REGION_KEEP; beyond that
 * a reset gives them back.  Returns 0, or -1 (no region: blocks as before). */
int arena_use_region(struct arena *a, size_t bytes);
#define ARENA_REGION_KEEP ((size_t)128 << 20)
/* Frees every block but one of the standard size, kept for the next
 * request, and rewinds the region. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);
#endif
