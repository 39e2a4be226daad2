/* GET /allocation_candidates: rendering the answer; see ac_answer.h. */
#include "ac_answer.h"
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The answer */

/* Appends a string literal. */
#define PUT_LIT(b, lit) buf_append((b), (lit), sizeof(lit) - 1)

/* Copies s[0..n) to w; returns the end. */
static inline char *
put(char *w, const char *s, size_t n)
{
	memcpy(w, s, n);
	return w + n;
}
#define put_lit(w, lit) put((w), (lit), sizeof(lit) - 1)


/* One provider of the provider summaries. */
struct summary {
	long long id, root_id, parent_id;
	const char *uuid;         /* as a JSON string, quotes included */
	int uuid_len;
	int in_answer;            /* below 1.29 with trees: only these are shown */
	const char *text;         /* its rendered summary, when cached */
	size_t text_len;
	int first_inv, ninv;      /* rows read for rendering: inventories the engine lacks */
	int first_trait, ntraits; /* ... and traits */
};

/* What the answer is built from. */
struct answer {
	struct search *se;
	struct ac_result *res;
	long n;                   /* candidates answered */
	long nall;                /* candidates found (before limit) */
	char *used;               /* per engine provider: allocates in an answered one */
	char *used_any;           /* ... in any found one */
	long long *roots;         /* trees of those providers, sorted */
	int nroots;
	struct summary *sum;      /* every provider of those trees, by id */
	int nsum;
	const char **qu;          /* per engine provider: its uuid as a JSON string */
	int *qu_len;
	int cacheable;            /* summaries have the shape the cache keeps (1.29+) */
	struct st_ac_inv *more;   /* inventories of classes the engine lacks, by provider and class */
	int nmore;
	struct st_ac_trait *traits;   /* traits, by provider and trait id */
	int ntraits;
};

static int
trait_by_rp(const void *x, const void *y)
{
	const struct st_ac_trait *a = x, *b = y;
	if (a->rp_id != b->rp_id)
		return (a->rp_id > b->rp_id) - (a->rp_id < b->rp_id);
	return (a->trait_id > b->trait_id) - (a->trait_id < b->trait_id);
}

/* The summary of provider id (sum sorted by id), or NULL. */
static struct summary *
summary_of(struct summary *sum, int n, long long id)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (sum[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < n && sum[lo].id == id) ? &sum[lo] : NULL;
}

/* s as a JSON string (quotes included) in the arena, its length in *len;
 * NULL on OOM. */
static char *
json_quoted(struct arena *a, const char *s, int *len)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF-_ ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ.:");
	if (s[n] == '\0') {
		/* nothing to escape (uuids, class names) */
		char *q = arena_alloc(a, n + 3);
		if (q == NULL)
			return NULL;
		q[0] = '"';
		memcpy(q + 1, s, n);
		q[n + 1] = '"';
		*len = (int)n + 2;
		return q;
	}
	struct buf b = {0};
	buf_json_string(&b, s);
	char *q = b.oom ? NULL : arena_strndup(a, b.p, b.len);
	*len = (int)b.len;
	buf_free(&b);
	return q;
}

/* Provider id's uuid as a JSON string: raw (just read) is quoted and
 * cached; else the cache's.  NULL when neither has it (or OOM). */
static const char *
uuid_of(struct search *se, long long id, const char *raw, int *len)
{
	size_t size;
	if (raw == NULL) {
		const char *q = ac_cache_get(se->k, ACK_UUID, id, NULL, &size);
		if (q != NULL)
			*len = (int)size - 1;
		return q;
	}
	char *mine = json_quoted(se->c->a, raw, len);
	if (mine == NULL)
		return NULL;
	const char *q = ac_cache_put(se->k, ACK_UUID, id, NULL, mine, (size_t)*len + 1);
	return q ? q : mine;
}


/* The providers that allocate and the roots of their trees. */
static int
answer_trees(struct answer *an)
{
	struct ctx *c = an->se->c;
	struct ac_engine *e = an->se->e;
	int np = ac_nproviders(e);
	an->used = arena_alloc(c->a, (size_t)np + 1);
	an->used_any = arena_alloc(c->a, (size_t)np + 1);
	an->roots = arena_alloc(c->a, sizeof(long long) * (size_t)(np + 1));
	an->qu = arena_alloc(c->a, sizeof(char *) * (size_t)(np + 1));
	an->qu_len = arena_alloc(c->a, sizeof(int) * (size_t)(np + 1));
	if (an->used == NULL || an->used_any == NULL || an->roots == NULL || an->qu == NULL ||
	    an->qu_len == NULL)
		return fail_oom(c);
	for (long i = 0; i < an->nall; i++)
		for (int k = 0; k < an->res[i].nalloc; k++) {
			an->used_any[an->res[i].alloc[k].rp] = 1;
			if (i < an->n)
				an->used[an->res[i].alloc[k].rp] = 1;
		}
	int n = 0;
	for (int ix = 0; ix < np; ix++)
		if (an->used[ix])
			an->roots[n++] = ac_provider_root(e, ix);
	if ((an->nroots = search_sort_unique(c->a, an->roots, n)) < 0)
		return fail_oom(c);
	return 0;
}

/* Every provider of the answer's trees (an->roots), sorted by id. */
static int
summary_nodes(struct answer *an, struct st_ac_node **out, int *nout)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct st_ac_node *nodes = NULL;
	int nnodes = 0;
	if (se->has_trees) {
		if (an->nroots > 0 && search_tree_nodes(se, an->roots, an->nroots, &nodes, &nnodes) < 0)
			return -1;
	} else if (an->nroots > 0) {
		/* no trees anywhere: each allocating provider is its own tree */
		nodes = arena_alloc(c->a, sizeof(*nodes) * (size_t)an->nroots);
		if (nodes == NULL)
			return fail_oom(c);
		for (int i = 0; i < an->nroots; i++) {
			nodes[i].id = nodes[i].root_id = an->roots[i];
			nodes[i].parent_id = 0;
			nodes[i].uuid = NULL;
		}
		nnodes = an->nroots;
	}
	int sorted = 1;
	for (int i = 0; i < nnodes; i++)
		sorted &= i == 0 || nodes[i - 1].id < nodes[i].id;
	if (!sorted) {
		/* by id: each tree's nodes come sorted, but trees interleave */
		long long *keys = arena_alloc_raw(c->a, sizeof(long long) * (size_t)(nnodes + 1));
		int *perm = arena_alloc_raw(c->a, sizeof(int) * (size_t)(nnodes + 1));
		struct st_ac_node *by_id = arena_alloc_raw(c->a, sizeof(*by_id) * (size_t)(nnodes + 1));
		if (keys == NULL || perm == NULL || by_id == NULL)
			return fail_oom(c);
		for (int i = 0; i < nnodes; i++)
			keys[i] = nodes[i].id;
		if (search_radix_order(c->a, keys, nnodes, perm) < 0)
			return fail_oom(c);
		for (int i = 0; i < nnodes; i++)
			by_id[i] = nodes[perm[i]];
		nodes = by_id;
	}
	*out = nodes;
	*nout = nnodes;
	return 0;
}

/* The uuids neither the cache nor the tree reads gave: missing[0..nmiss)
 * read by id into their summaries and the engine's providers. */
static int
read_uuids(struct answer *an, struct summary *sum, int nnodes, const long long *missing, int nmiss)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct ac_engine *e = se->e;
	int rc;
	if (nmiss > 0) {
		struct st_ac_node *found;
		int nf;
		if ((rc = st_ac_nodes_by_id(se->s, c->a, missing, nmiss, &found, &nf)) != ST_OK)
			return fail_store(c, rc);
		for (int i = 0; i < nf; i++) {
			int len;
			const char *q = uuid_of(se, found[i].id, found[i].uuid, &len);
			if (q == NULL)
				return fail_oom(c);
			struct summary *s = summary_of(sum, nnodes, found[i].id);
			if (s != NULL) {
				s->uuid = q;
				s->uuid_len = len;
			}
			int ix = ac_find(e, found[i].id);
			if (ix >= 0) {
				an->qu[ix] = q;
				an->qu_len[ix] = len;
			}
		}
	}
	for (int i = 0; i < nnodes; i++)
		if (sum[i].uuid == NULL) {
			/* gone meanwhile: cannot happen inside one transaction */
			sum[i].uuid = "\"\"";
			sum[i].uuid_len = 2;
		}
	return 0;
}

/* One summary per provider of those trees, each with its uuid, and the
 * uuid of every provider the answered candidates name. */
static int
answer_summaries(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct ac_engine *e = se->e;
	struct st_ac_node *nodes = NULL;
	int nnodes = 0;
	if (summary_nodes(an, &nodes, &nnodes) < 0)
		return -1;
	struct summary *sum = arena_alloc(c->a, sizeof(*sum) * (size_t)(nnodes + 1));
	long long *missing = arena_alloc(c->a, sizeof(long long) * (size_t)(nnodes + ac_nproviders(e) + 1));
	if (sum == NULL || missing == NULL)
		return fail_oom(c);
	int nmiss = 0;
	for (int i = 0; i < nnodes; i++) {
		struct summary *s = &sum[i];
		s->id = nodes[i].id;
		s->root_id = nodes[i].root_id;
		s->parent_id = nodes[i].parent_id;
		s->uuid = uuid_of(se, s->id, nodes[i].uuid, &s->uuid_len);
		if (s->uuid == NULL)
			missing[nmiss++] = s->id;
	}
	for (int i = 0; i < nnodes; i++) {
		int ix = ac_find(e, sum[i].id);
		if (ix < 0)
			continue;
		sum[i].in_answer = an->used_any[ix];
		an->qu[ix] = sum[i].uuid ? sum[i].uuid : "\"\"";   /* "": asked for below */
		an->qu_len[ix] = sum[i].uuid ? sum[i].uuid_len : 2;
	}
	/* providers named only in mappings (resourceless groups) */
	int ng = se->r->ng;
	for (long i = 0; i < an->n; i++)
		for (int k = 0; k < an->res[i].map_off[ng]; k++) {
			int ix = an->res[i].map_rp[k];
			if (an->qu[ix] != NULL)
				continue;
			an->qu[ix] = uuid_of(se, ac_provider_id(e, ix), NULL, &an->qu_len[ix]);
			if (an->qu[ix] == NULL) {
				missing[nmiss++] = ac_provider_id(e, ix);
				an->qu[ix] = "\"\"";   /* marks it asked for */
				an->qu_len[ix] = 2;
			}
		}
	if (read_uuids(an, sum, nnodes, missing, nmiss) < 0)
		return -1;
	an->sum = sum;
	an->nsum = nnodes;
	return 0;
}

/* Whether summary s is shown (below 1.29 with trees only providers that
 * allocate in some candidate are). */
static int
shown(const struct answer *an, const struct summary *s)
{
	return !(an->se->c->mv < 29 && an->se->has_trees) || s->in_answer;
}

/* The traits of providers ids[0..n) (rows in no particular order): from
 * the cache, which keeps each provider's (ACK_RP_TRAITS: a count, then
 * trait id and NUL-ended name of each, by trait id), or read and kept.
 * They stay across commits that touch only usage: a summary that a claim
 * made old is rendered again without reading them. */
static int
provider_traits(struct search *se, const long long *ids, int n, struct st_ac_trait **out,
                int *nout)
{
	struct ctx *c = se->c;
	long long *miss = arena_alloc(c->a, sizeof(*miss) * (size_t)(n + 1));
	const char **blob = arena_alloc(c->a, sizeof(*blob) * (size_t)(n + 1));
	if (miss == NULL || blob == NULL)
		return fail_oom(c);
	int nmiss = 0, total = 0;
	for (int i = 0; i < n; i++) {
		size_t size = 0;
		blob[i] = ac_cache_get(se->k, ACK_RP_TRAITS, ids[i], NULL, &size);
		if (blob[i] == NULL || size < sizeof(long long)) {
			blob[i] = NULL;
			miss[nmiss++] = ids[i];
		} else {
			long long k;
			memcpy(&k, blob[i], sizeof(k));
			total += (int)k;
		}
	}
	struct st_ac_trait *fresh = NULL;
	int nfresh = 0;
	if (nmiss > 0) {
		int rc = st_ac_traits_of(se->s, c->a, miss, nmiss, &fresh, &nfresh);
		if (rc != ST_OK)
			return fail_store(c, rc);
		if (nfresh > 1)
			qsort(fresh, (size_t)nfresh, sizeof(*fresh), trait_by_rp);
		/* keep each missed provider's, none included */
		struct buf b = {0};
		int f = 0;
		for (int m = 0; m < nmiss && se->k != NULL; m++) {
			while (f < nfresh && fresh[f].rp_id < miss[m])
				f++;
			int first = f;
			long long k = 0;
			while (f < nfresh && fresh[f].rp_id == miss[m])
				f++, k++;
			buf_reset(&b);
			buf_append(&b, (const char *)&k, sizeof(k));
			for (int t = first; t < f; t++) {
				buf_append(&b, (const char *)&fresh[t].trait_id, sizeof(fresh[t].trait_id));
				buf_append(&b, fresh[t].name, strlen(fresh[t].name) + 1);
			}
			if (!b.oom)
				ac_cache_put(se->k, ACK_RP_TRAITS, miss[m], NULL, b.p, b.len);
		}
		buf_free(&b);
	}
	struct st_ac_trait *rows = arena_alloc(c->a, sizeof(*rows) * (size_t)(total + nfresh + 1));
	if (rows == NULL)
		return fail_oom(c);
	int nrows = 0;
	for (int i = 0; i < n; i++) {
		if (blob[i] == NULL)
			continue;
		long long k;
		const char *p = blob[i];
		memcpy(&k, p, sizeof(k));
		p += sizeof(k);
		for (long long t = 0; t < k; t++) {
			struct st_ac_trait *r = &rows[nrows++];
			r->rp_id = ids[i];
			memcpy(&r->trait_id, p, sizeof(r->trait_id));
			p += sizeof(r->trait_id);
			r->name = p;
			p += strlen(p) + 1;
		}
	}
	for (int f = 0; f < nfresh; f++)
		rows[nrows++] = fresh[f];
	*out = rows;
	*nout = nrows;
	return 0;
}

/* The cached summaries, and what rendering the others needs: their
 * inventories of the classes the engine lacks (only when some exist and
 * the microversion shows them) and their traits. */
static int
answer_rows(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	int rc;
	an->cacheable = c->mv >= 29;
	/* the providers whose summaries are to be rendered, by id */
	long long *ids = arena_alloc(c->a, sizeof(long long) * (size_t)(an->nsum + 1));
	if (ids == NULL)
		return fail_oom(c);
	int nids = 0;
	for (int i = 0; i < an->nsum; i++) {
		struct summary *s = &an->sum[i];
		s->first_inv = s->first_trait = -1;
		if (!shown(an, s))
			continue;
		if (an->cacheable)
			s->text = ac_cache_get(se->k, ACK_SUMMARY, s->id, NULL, &s->text_len);
		if (s->text == NULL)
			ids[nids++] = s->id;
	}
	if (nids == 0)
		return 0;
	int need_more = 0;
	if (c->mv >= 27 && search_other_classes(se, &need_more) < 0)
		return -1;
	for (int gi = 0; gi < se->r->ng && !need_more; gi++)
		for (int k = 0; se->rcs_of[gi] && k < se->r->g[gi].nres; k++)
			need_more |= !search_class_loaded(se, se->rcs_of[gi][k]);
	if (need_more) {
		if ((rc = st_ac_inventories_of(se->s, c->a, ids, nids, se->loaded, se->nloaded,
		                               &an->more, &an->nmore)) != ST_OK)
			return fail_store(c, rc);
		int sorted = 1;
		for (int i = 1; i < an->nmore && sorted; i++)
			sorted = st_ac_inv_cmp(&an->more[i - 1], &an->more[i]) <= 0;
		if (!sorted)
			qsort(an->more, (size_t)an->nmore, sizeof(*an->more), st_ac_inv_cmp);
		for (int i = 0; i < an->nmore; i++) {
			struct summary *s = summary_of(an->sum, an->nsum, an->more[i].rp_id);
			if (s == NULL)
				continue;
			if (s->first_inv < 0)
				s->first_inv = i;
			s->ninv++;
		}
	}
	if (c->mv >= 17) {
		if (provider_traits(se, ids, nids, &an->traits, &an->ntraits) < 0)
			return -1;
		int sorted = 1;
		for (int i = 1; i < an->ntraits && sorted; i++)
			sorted = trait_by_rp(&an->traits[i - 1], &an->traits[i]) <= 0;
		if (!sorted)
			qsort(an->traits, (size_t)an->ntraits, sizeof(*an->traits), trait_by_rp);
		for (int i = 0; i < an->ntraits; i++) {
			struct summary *s = summary_of(an->sum, an->nsum, an->traits[i].rp_id);
			if (s == NULL)
				continue;
			if (s->first_trait < 0)
				s->first_trait = i;
			s->ntraits++;
		}
	}
	return 0;
}

/* JSON keys written again and again: the classes asked for (by class id)
 * and the groups' suffixes, quoted once. */
struct req_keys {
	const char **rck, **gk;
	int *rck_len, *gk_len;
};

static int
request_keys(struct answer *an, struct req_keys *k)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	int ng = se->r->ng;
	k->rck = arena_alloc(c->a, sizeof(char *) * (size_t)(se->nrc + 1));
	k->rck_len = arena_alloc(c->a, sizeof(int) * (size_t)(se->nrc + 1));
	k->gk = arena_alloc(c->a, sizeof(char *) * (size_t)(ng + 1));
	k->gk_len = arena_alloc(c->a, sizeof(int) * (size_t)(ng + 1));
	if (k->rck == NULL || k->rck_len == NULL || k->gk == NULL || k->gk_len == NULL)
		return fail_oom(c);
	for (int gi = 0; gi < ng; gi++) {
		for (int j = 0; se->rcs_of[gi] && j < se->r->g[gi].nres; j++) {
			int rc = se->rcs_of[gi][j];
			if (rc >= 0 && rc < se->nrc && k->rck[rc] == NULL &&
			    (k->rck[rc] = json_quoted(c->a, search_rc_name(se, rc), &k->rck_len[rc])) == NULL)
				return fail_oom(c);
		}
		if ((k->gk[gi] = json_quoted(c->a, se->r->g[gi].suffix, &k->gk_len[gi])) == NULL)
			return fail_oom(c);
	}
	return 0;
}

/* The bytes candidate r can take written (a bound), its classes' keys
 * quoted on the way; 0 after an error. */
static size_t
request_room(struct answer *an, struct req_keys *k, const struct ac_result *r, int maps)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	size_t room = 64;
	for (int j = 0; j < r->nalloc; j++) {
		int rc = r->alloc[j].rc;
		if (rc < 0 || rc >= se->nrc) {
			fail(c, 500, ERR_UNDEFINED, "Unknown resource class.");
			return 0;
		}
		if (k->rck[rc] == NULL &&
		    (k->rck[rc] = json_quoted(c->a, search_rc_name(se, rc), &k->rck_len[rc])) == NULL) {
			fail_oom(c);
			return 0;
		}
		room += (size_t)an->qu_len[r->alloc[j].rp] + (size_t)k->rck_len[rc] + 80;
	}
	for (int gi = 0; maps && gi < se->r->ng; gi++) {
		room += (size_t)k->gk_len[gi] + 4;
		for (int j = r->map_off[gi]; j < r->map_off[gi + 1]; j++)
			room += (size_t)an->qu_len[r->map_rp[j]] + 1;
	}
	return room;
}

/* Candidate r's "allocations" at w (room reserved): a list before 1.12,
 * a dict by provider after; returns the end. */
static char *
put_allocations(const struct answer *an, const struct req_keys *k, const struct ac_result *r,
                char *w, int dict)
{
	w = put_lit(w, "{\"allocations\":");
	*w++ = dict ? '{' : '[';
	for (int i = 0; i < r->nalloc; i++) {
		int rp = r->alloc[i].rp, seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = r->alloc[j].rp == rp;
		if (seen)
			continue;
		if (w[-1] != '{' && w[-1] != '[')
			*w++ = ',';
		if (dict) {
			w = put(w, an->qu[rp], (size_t)an->qu_len[rp]);
			w = put_lit(w, ":{\"resources\":{");
		} else {
			w = put_lit(w, "{\"resource_provider\":{\"uuid\":");
			w = put(w, an->qu[rp], (size_t)an->qu_len[rp]);
			w = put_lit(w, "},\"resources\":{");
		}
		for (int j = i; j < r->nalloc; j++) {
			if (r->alloc[j].rp != rp)
				continue;
			int rc = r->alloc[j].rc;
			if (w[-1] != '{')
				*w++ = ',';
			w = put(w, k->rck[rc], (size_t)k->rck_len[rc]);
			*w++ = ':';
			w += fmt_int(w, r->alloc[j].amount);
		}
		w = put_lit(w, "}}");
	}
	*w++ = dict ? '}' : ']';
	return w;
}

/* Candidate r's "mappings" (1.34+) at w; returns the end. */
static char *
put_mappings(const struct answer *an, const struct req_keys *k, const struct ac_result *r, char *w)
{
	w = put_lit(w, ",\"mappings\":{");
	for (int gi = 0; gi < an->se->r->ng; gi++) {
		if (gi)
			*w++ = ',';
		w = put(w, k->gk[gi], (size_t)k->gk_len[gi]);
		*w++ = ':';
		*w++ = '[';
		for (int j = r->map_off[gi]; j < r->map_off[gi + 1]; j++) {
			if (j > r->map_off[gi])
				*w++ = ',';
			w = put(w, an->qu[r->map_rp[j]], (size_t)an->qu_len[r->map_rp[j]]);
		}
		*w++ = ']';
	}
	*w++ = '}';
	return w;
}

/* "allocation_requests": a list of allocations before 1.12, a dict by
 * provider after, with mappings from 1.34.  Each request is written in
 * place: room for all of it, then plain copies. */
static int
write_requests(struct answer *an)
{
	struct ctx *c = an->se->c;
	struct buf *b = c->w.b;
	struct req_keys k;
	if (request_keys(an, &k) < 0)
		return -1;
	int dict = c->mv >= 12, maps = c->mv >= 34;
	jw_key(&c->w, "allocation_requests");
	buf_putc(b, '[');
	for (long i = 0; i < an->n; i++) {
		const struct ac_result *r = &an->res[i];
		size_t room = request_room(an, &k, r, maps);
		char *w0 = room > 0 ? buf_room(b, room) : NULL, *w = w0;
		if (w == NULL)
			return room > 0 ? fail_oom(c) : -1;   /* room 0: the error is recorded */
		if (i)
			*w++ = ',';
		w = put_allocations(an, &k, r, w, dict);
		if (maps)
			w = put_mappings(an, &k, r, w);
		*w++ = '}';
		buf_advance(b, (size_t)(w - w0));
	}
	buf_putc(b, ']');
	return 0;
}

/* One inventory shown in a summary. */
struct shown_inv {
	int rc;
	long long capacity, used;
};

/* Appends summary s ("uuid":{...}): all its classes from 1.27 (else the
 * requested ones), traits from 1.17, parent and root from 1.29. */
static int
render_summary(struct answer *an, const struct summary *s, const char *requested, struct buf *b)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct ac_engine *e = se->e;
	struct ac_inv_info v;
	int ix = ac_find(e, s->id), cap = s->ninv, n = 0;
	for (int k = 0; ix >= 0 && ac_provider_inventory(e, ix, k, &v); k++)
		cap++;
	struct shown_inv *inv = arena_alloc(c->a, sizeof(*inv) * (size_t)(cap + 1));
	if (inv == NULL)
		return fail_oom(c);
	for (int k = 0; ix >= 0 && ac_provider_inventory(e, ix, k, &v); k++) {
		if (!search_class_loaded(se, v.rc))
			continue;
		inv[n].rc = v.rc;
		inv[n].capacity = (long long)((double)(v.total - v.reserved) * v.ratio);
		inv[n].used = v.used;
		n++;
	}
	for (int k = 0; k < s->ninv; k++) {
		const struct st_ac_inv *m = &an->more[s->first_inv + k];
		inv[n].rc = m->rc_id;
		inv[n].capacity = (long long)((double)(m->total - m->reserved) * m->ratio);
		inv[n].used = m->used;
		n++;
	}
	for (int i = 1; i < n; i++)          /* by class id, as the reference lists them */
		for (int j = i; j > 0 && inv[j - 1].rc > inv[j].rc; j--) {
			struct shown_inv t = inv[j];
			inv[j] = inv[j - 1];
			inv[j - 1] = t;
		}
	buf_append(b, s->uuid, (size_t)s->uuid_len);
	PUT_LIT(b, ":{\"resources\":{");
	int first = 1;
	for (int i = 0; i < n; i++) {
		int rc = inv[i].rc;
		if (c->mv < 27 && !(rc >= 0 && rc < se->nrc && requested[rc]))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		buf_json_string(b, search_rc_name(se, rc));
		PUT_LIT(b, ":{\"capacity\":");
		buf_put_int(b, inv[i].capacity);
		PUT_LIT(b, ",\"used\":");
		buf_put_int(b, inv[i].used);
		buf_putc(b, '}');
	}
	buf_putc(b, '}');
	if (c->mv >= 17) {
		PUT_LIT(b, ",\"traits\":[");
		for (int k = 0; k < s->ntraits; k++) {
			if (k)
				buf_putc(b, ',');
			buf_json_string(b, an->traits[s->first_trait + k].name);
		}
		buf_putc(b, ']');
	}
	if (c->mv >= 29) {
		const struct summary *p = s->parent_id ? summary_of(an->sum, an->nsum, s->parent_id) : NULL;
		const struct summary *r = summary_of(an->sum, an->nsum, s->root_id);
		if (r == NULL)
			r = s;
		PUT_LIT(b, ",\"parent_provider_uuid\":");
		if (p != NULL)
			buf_append(b, p->uuid, (size_t)p->uuid_len);
		else
			PUT_LIT(b, "null");
		PUT_LIT(b, ",\"root_provider_uuid\":");
		buf_append(b, r->uuid, (size_t)r->uuid_len);
	}
	buf_putc(b, '}');
	return 0;
}

/* "provider_summaries": every provider of the trees used (below 1.29,
 * with trees about, only the providers that allocate in some candidate,
 * limited or not: the reference filters before it limits). */
static int
write_summaries(struct answer *an)
{
	struct search *se = an->se;
	struct ctx *c = se->c;
	struct buf *b = c->w.b;
	char *requested = arena_alloc(c->a, (size_t)se->nrc + 1);
	if (requested == NULL)
		return fail_oom(c);
	for (int gi = 0; gi < se->r->ng; gi++)
		for (int k = 0; se->rcs_of[gi] && k < se->r->g[gi].nres; k++)
			if (se->rcs_of[gi][k] >= 0 && se->rcs_of[gi][k] < se->nrc)
				requested[se->rcs_of[gi][k]] = 1;
	jw_key(&c->w, "provider_summaries");
	buf_putc(b, '{');
	int first = 1;
	for (int i = 0; i < an->nsum; i++) {
		const struct summary *s = &an->sum[i];
		if (!shown(an, s))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		if (s->text != NULL) {
			buf_append(b, s->text, s->text_len);
			continue;
		}
		size_t start = b->len;
		if (render_summary(an, s, requested, b) < 0)
			return -1;
		if (an->cacheable && !b->oom)
			ac_cache_put(se->k, ACK_SUMMARY, s->id, NULL, b->p + start, b->len - start);
	}
	buf_putc(b, '}');
	return 0;
}

/* Writes the answer: the first n of the nall candidates found. */
int
answer_write(struct search *se, struct ac_result *res, long n, long nall)
{
	struct answer an;
	memset(&an, 0, sizeof(an));
	an.se = se;
	an.res = res;
	an.n = n;
	an.nall = nall;
	if (answer_trees(&an) < 0 || answer_summaries(&an) < 0 || answer_rows(&an) < 0)
		return -1;
	reply_json(se->c, 200);
	jw_obj(&se->c->w, NULL);
	if (write_requests(&an) < 0 || write_summaries(&an) < 0)
		return -1;
	jw_obj_end(&se->c->w);
	return 0;
}

/* An empty answer (no candidates). */
int
answer_write_empty(struct ctx *c)
{
	reply_json(c, 200);
	jw_obj(&c->w, NULL);
	jw_arr(&c->w, "allocation_requests");
	jw_arr_end(&c->w);
	jw_obj(&c->w, "provider_summaries");
	jw_obj_end(&c->w);
	jw_obj_end(&c->w);
	return 0;
}
