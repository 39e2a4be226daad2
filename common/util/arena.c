/* The per-request arena: bump allocation freed all at once; see arena.h. */
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#define ARENA_BLOCK 16384

/* Under AddressSanitizer, free space and a red zone after every
 * allocation are poisoned, so an overflow into the neighbouring
 * allocation of the same block is reported like a heap overflow. */
#define REDZONE ARENA_REDZONE
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void *
arena_alloc_raw(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	size_t counted = (n + align - 1) & ~(align - 1);  /* toward the limit */
	size_t need = counted + REDZONE;
	struct arena_block *b = a->head;

	if (counted < n || need < counted)
		return NULL;
	if (a->limit && (a->total + counted > a->limit || counted > a->limit))
		return NULL;
	if (a->region != NULL && a->region_size - a->region_used >= need) {
		void *p = a->region + a->region_used;
		a->region_used += need;
		a->total += counted;
		UNPOISON(p, n);
		/* The region is not poisoned ahead (its shadow would be an
		 * eighth of its size): each allocation's tail is, as it goes. */
		POISON((char *)p + n, need - n);
		return p;
	}
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		POISON(b->data, size);
		/* A large one-off block goes behind the current block so the
		 * current block's free space stays usable. */
		if (a->head != NULL && need > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	a->total += counted;
	UNPOISON(p, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_cat(struct arena *a, const char *s1, const char *s2)
{
	size_t n1 = strlen(s1), n2 = strlen(s2);
	char *p = arena_alloc(a, n1 + n2 + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s1, n1);
	memcpy(p + n1, s2, n2 + 1);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p != NULL)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int
arena_use_region(struct arena *a, size_t bytes)
{
	bytes &= ~(size_t)4095;
	if (a->region != NULL || bytes == 0)
		return -1;
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	a->region = p;
	a->region_size = bytes;
	a->region_used = a->region_high = 0;
	return 0;
}

/* Rewinds the region; pages past ARENA_REGION_KEEP that a big request
 * touched go back to the system. */
static void
region_rewind(struct arena *a)
{
	if (a->region == NULL)
		return;
	if (a->region_used > a->region_high)
		a->region_high = a->region_used;
	if (a->region_high > ARENA_REGION_KEEP) {
		madvise(a->region + ARENA_REGION_KEEP, a->region_high - ARENA_REGION_KEEP,
		        MADV_DONTNEED);
		a->region_high = ARENA_REGION_KEEP;
	}
	POISON(a->region, a->region_used);
	a->region_used = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *keep = NULL;
	region_rewind(a);
	/* Keep one standard block: a large one-off block may sit behind it,
	 * so it is not always the last in the list. */
	while (b != NULL) {
		struct arena_block *next = b->next;
		if (keep == NULL && b->size == ARENA_BLOCK) {
			keep = b;
			keep->used = 0;
			POISON(keep->data, keep->size);
			keep->next = NULL;
		} else {
			free(b);
		}
		b = next;
	}
	a->head = keep;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
	if (a->region != NULL)
		munmap(a->region, a->region_size);
	a->region = NULL;
	a->region_size = a->region_used = a->region_high = 0;
}
