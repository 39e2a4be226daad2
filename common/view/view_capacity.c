/* The capacity pages: totals per resource class, providers as trees (or
 * a search's matches), one provider. */
#include "view_pages.h"
#include "html.h"
#include "../util/pytext.h"
#include "../../sql/store_aggregate.h"
#include "../../sql/store_rp.h"
#include "../../sql/store_trait.h"
#include "../../sql/store_view.h"
#include <stdlib.h>
#include <string.h>

#define PAGE_ROOTS 50           /* trees per page */
#define PAGE_MATCHES 100        /* search matches per page */
#define TREE_NODES 60           /* providers of one tree shown in a list */
#define PROVIDER_ALLOCATIONS 500
#define SHARING_TRAIT "MISC_SHARES_VIA_AGGREGATE"

/* A store call's result: ST_OK goes on, anything else is the page's error. */
#define TRY(c, call) do { int r_ = (call); if (r_ != ST_OK) return fail_store((c), r_); } while (0)

/* One provider's inventories, a line each: class, bar, numbers. */
static int
inventory_lines(struct ctx *c, long long rp_id)
{
	struct buf *b = &c->resp->body;
	struct view_inv *v;
	int n;
	TRY(c, st_view_inventory(c->db, c->a, rp_id, &v, &n));
	buf_puts(b, "<div class=\"inv\">");
	for (int i = 0; i < n; i++) {
		buf_puts(b, "<div><span class=\"rc\">");
		html_text(b, v[i].rc);
		buf_puts(b, "</span> ");
		html_bar(b, v[i].used, v[i].reserved, v[i].capacity);
		buf_puts(b, "</div>");
	}
	buf_puts(b, "</div>");
	return 0;
}

/* The stacked chart of the totals: one row per class, used / reserved /
 * free as shares of capacity plus reserved. */
static void
totals_chart(struct buf *b, const struct view_total *t, int n)
{
	int h = 22 * n + 24;
	buf_printf(b, "<svg class=\"chart\" width=\"640\" height=\"%d\" role=\"img\" "
	              "aria-label=\"used, reserved and free per resource class\">", h);
	for (int i = 0; i < n; i++) {
		long long whole = t[i].capacity + t[i].reserved;
		long long used = t[i].used < t[i].capacity ? t[i].used : t[i].capacity;
		int wu = whole > 0 ? (int)(400 * used / whole) : 0;
		int wr = whole > 0 ? (int)(400 * t[i].reserved / whole) : 0;
		int y = 22 * i;
		buf_printf(b, "<text x=\"0\" y=\"%d\">", y + 14);
		html_text(b, t[i].rc);
		buf_printf(b, "</text><rect class=\"free\" x=\"200\" y=\"%d\" width=\"400\" height=\"16\"/>"
		              "<rect class=\"used\" x=\"200\" y=\"%d\" width=\"%d\" height=\"16\"/>"
		              "<rect class=\"reserved\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\"/>",
		           y, y, wu, 600 - wr, y, wr);
	}
	int y = 22 * n + 6;
	buf_printf(b, "<rect class=\"used\" x=\"200\" y=\"%d\" width=\"12\" height=\"12\"/>"
	              "<text x=\"216\" y=\"%d\">used</text>"
	              "<rect class=\"reserved\" x=\"270\" y=\"%d\" width=\"12\" height=\"12\"/>"
	              "<text x=\"286\" y=\"%d\">reserved</text>"
	              "<rect class=\"free\" x=\"360\" y=\"%d\" width=\"12\" height=\"12\"/>"
	              "<text x=\"376\" y=\"%d\">free</text></svg>\n",
	           y, y + 11, y, y + 11, y, y + 11);
}

int
page_overview(struct ctx *c, const char *arg)
{
	(void)arg;
	struct buf *b = &c->resp->body;
	struct view_counts k;
	struct view_total *t;
	int n;
	TRY(c, store_begin(c->db, 0));
	TRY(c, st_view_counts(c->db, &k));
	TRY(c, st_view_totals(c->db, c->a, &t, &n));
	TRY(c, store_commit(c->db));
	html_page_start(b, view_base(c), "Capacity");
	buf_printf(b, "<p id=\"counts\"><span data-providers=\"%lld\">%lld providers</span> in "
	              "<span data-roots=\"%lld\">%lld trees</span>, "
	              "<span data-consumers=\"%lld\">%lld consumers</span> holding allocations.</p>\n",
	           k.providers, k.providers, k.roots, k.roots, k.consumers, k.consumers);
	buf_puts(b, "<h2>Per resource class</h2>\n");
	totals_chart(b, t, n);
	buf_puts(b, "<table id=\"totals\"><tr><th>class</th><th class=\"n\">providers</th>"
	            "<th class=\"n\">total</th><th class=\"n\">reserved</th>"
	            "<th class=\"n\">capacity</th><th class=\"n\">used</th><th class=\"n\">free</th>"
	            "<th>usage</th></tr>\n");
	for (int i = 0; i < n; i++) {
		long long free_ = t[i].capacity - t[i].used;
		buf_puts(b, "<tr data-rc=\"");
		html_text(b, t[i].rc);
		buf_puts(b, "\"><td>");
		html_text(b, t[i].rc);
		buf_printf(b, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		              "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td>",
		           t[i].providers, t[i].total, t[i].reserved, t[i].capacity, t[i].used,
		           free_ > 0 ? free_ : 0);
		html_bar(b, t[i].used, t[i].reserved, t[i].capacity);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n<p class=\"note\">Capacity is (total - reserved) x allocation ratio, per "
	            "inventory, as the scheduler counts it.</p>\n");
	html_page_end(b);
	return 0;
}

/* One tree as a nested list: each provider with its inventories, at most
 * TREE_NODES of them (in id order, parents before children). */
static int
tree_list(struct ctx *c, long long root_id)
{
	struct buf *b = &c->resp->body;
	struct view_rp *v;
	int n;
	TRY(c, st_view_tree(c->db, c->a, root_id, &v, &n));
	int shown = n < TREE_NODES ? n : TREE_NODES;
	/* depth by parent: parents come first (lower ids) in a tree made
	 * through the API; a re-parented node may not, and is shown at the
	 * depth its parent had when met (0 if not yet). */
	int *depth = arena_alloc(c->a, sizeof(int) * (size_t)(n + 1));
	if (depth == NULL)
		return fail_oom(c);
	int open = 0;
	buf_puts(b, "<ul class=\"tree\" data-root=\"");
	html_text(b, n > 0 ? v[0].uuid : "");
	buf_puts(b, "\">");
	for (int i = 0; i < shown; i++) {
		depth[i] = 0;
		for (int j = i - 1; j >= 0 && v[i].parent_id; j--)
			if (v[j].id == v[i].parent_id) {
				depth[i] = depth[j] + 1;
				break;
			}
		for (; open < depth[i]; open++)
			buf_puts(b, "<li><ul class=\"tree\">");
		for (; open > depth[i]; open--)
			buf_puts(b, "</ul></li>");
		buf_puts(b, "<li data-uuid=\"");
		html_text(b, v[i].uuid);
		buf_puts(b, "\">");
		html_provider_link(b, view_base(c), v[i].uuid, v[i].name);
		buf_puts(b, " <span class=\"uuid\">");
		html_text(b, v[i].uuid);
		buf_puts(b, "</span>");
		if (inventory_lines(c, v[i].id) < 0)
			return -1;
		buf_puts(b, "</li>");
	}
	for (; open > 0; open--)
		buf_puts(b, "</ul></li>");
	if (n > shown)
		buf_printf(b, "<li class=\"note\">... and %d more providers in this tree</li>", n - shown);
	buf_puts(b, "</ul>");
	return 0;
}

/* The sharing providers in the aggregates of provider id, as links. */
static int
sharing_line(struct ctx *c, long long id)
{
	struct buf *b = &c->resp->body;
	struct view_rp *v;
	int n;
	TRY(c, st_view_sharing(c->db, c->a, id, SHARING_TRAIT, &v, &n));
	if (n == 0)
		return 0;
	buf_puts(b, "<div class=\"sharing\">shares with: ");
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		html_provider_link(b, view_base(c), v[i].uuid, v[i].name);
	}
	buf_puts(b, "</div>");
	return 0;
}

/* What the search box means: a uuid (a provider's, else an aggregate's),
 * a trait name (A-Z, 0-9, _; else a name), or part of a name.  Explicit
 * name=, uuid=, trait=, aggregate= parameters override. */
static void
read_search(struct ctx *c, struct view_find *f, int *trait_guess, int *uuid_guess)
{
	const char *q = q_last(c, "q");
	char hex[33];
	*trait_guess = *uuid_guess = 0;
	if (q != NULL && q[0] != '\0') {
		if (py_uuid_like(q, hex)) {
			f->uuid = q;
			*uuid_guess = 1;
		} else if (strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(q)) {
			f->trait = q;
			*trait_guess = 1;
		} else {
			f->name_part = q;
		}
	}
	const char *v;
	if ((v = q_last(c, "name")) && v[0])
		f->name_part = v;
	if ((v = q_last(c, "uuid")) && v[0]) {
		f->uuid = v;
		*uuid_guess = 0;
	}
	if ((v = q_last(c, "trait")) && v[0]) {
		f->trait = v;
		*trait_guess = 0;
	}
	if ((v = q_last(c, "aggregate")) && v[0])
		f->aggregate = v;
}

/* The search's matches, a row each with its inventories. */
static int
match_rows(struct ctx *c, const struct view_rp *v, int n)
{
	struct buf *b = &c->resp->body;
	buf_puts(b, "<table id=\"matches\"><tr><th>provider</th><th>tree</th><th>inventory</th></tr>\n");
	for (int i = 0; i < n; i++) {
		buf_puts(b, "<tr data-uuid=\"");
		html_text(b, v[i].uuid);
		buf_puts(b, "\"><td>");
		html_provider_link(b, view_base(c), v[i].uuid, v[i].name);
		buf_puts(b, "<br><span class=\"uuid\">");
		html_text(b, v[i].uuid);
		buf_puts(b, "</span></td><td>");
		buf_puts(b, v[i].parent_id ? "child" : "root");
		buf_puts(b, "</td><td>");
		if (inventory_lines(c, v[i].id) < 0)
			return -1;
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
	return 0;
}

/* " with trait <b>NAME</b>" when value is set. */
static void
criterion(struct buf *b, const char *label, const char *value)
{
	if (value == NULL)
		return;
	buf_puts(b, label);
	buf_puts(b, "<b>");
	html_text(b, value);
	buf_puts(b, "</b>");
}

int
page_providers(struct ctx *c, const char *arg)
{
	(void)arg;
	struct buf *b = &c->resp->body;
	struct view_find f;
	memset(&f, 0, sizeof(f));
	int trait_guess, uuid_guess;
	read_search(c, &f, &trait_guess, &uuid_guess);
	const char *after = q_last(c, "after");
	f.after = after ? atoll(after) : 0;
	int searching = f.name_part || f.uuid || f.trait || f.aggregate;
	f.roots_only = !searching;
	f.limit = searching ? PAGE_MATCHES : PAGE_ROOTS;
	struct view_rp *v;
	int n;
	TRY(c, store_begin(c->db, 0));
	TRY(c, st_view_find(c->db, c->a, &f, &v, &n));
	if (n == 0 && uuid_guess) {          /* not a provider: an aggregate? */
		f.aggregate = f.uuid;
		f.uuid = NULL;
		TRY(c, st_view_find(c->db, c->a, &f, &v, &n));
	}
	if (n == 0 && trait_guess) {         /* not a trait: a name */
		f.name_part = f.trait;
		f.trait = NULL;
		TRY(c, st_view_find(c->db, c->a, &f, &v, &n));
	}
	html_page_start(b, view_base(c), searching ? "Search" : "Providers");
	if (searching) {
		buf_puts(b, "<p>Providers");
		criterion(b, " whose name contains ", f.name_part);
		criterion(b, " with uuid ", f.uuid);
		criterion(b, " with trait ", f.trait);
		criterion(b, " in aggregate ", f.aggregate);
		buf_printf(b, ": <span id=\"nmatches\">%d</span>%s.</p>\n", n, n == f.limit ? " on this page" : "");
		if (match_rows(c, v, n) < 0)
			return -1;
	} else {
		buf_puts(b, "<p>Root providers with their trees, in creation order.</p>\n<div id=\"trees\">");
		for (int i = 0; i < n; i++) {
			if (tree_list(c, v[i].id) < 0 || sharing_line(c, v[i].id) < 0)
				return -1;
		}
		buf_puts(b, "</div>\n");
	}
	TRY(c, store_commit(c->db));
	if (n == f.limit) {
		buf_puts(b, "<p class=\"pager\"><a id=\"next\" href=\"");
		html_text(b, view_base(c));
		buf_printf(b, "/providers?after=%lld", v[n - 1].id);
		const char *keys[] = {"q", "name", "uuid", "trait", "aggregate"};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *val = q_last(c, keys[k]);
			if (val && val[0]) {
				buf_printf(b, "&amp;%s=", keys[k]);
				html_query(b, val);
			}
		}
		buf_puts(b, "\">Next page</a></p>\n");
	}
	html_page_end(b);
	return 0;
}

/* A list of tags; with link_key, each links to the search by it. */
static void
tag_list(struct ctx *c, const char *id, const char *const *names, int n, const char *link_key)
{
	struct buf *b = &c->resp->body;
	buf_printf(b, "<div class=\"tags\" id=\"%s\">", id);
	if (n == 0)
		buf_puts(b, "<i class=\"note\">none</i>");
	for (int i = 0; i < n; i++) {
		buf_puts(b, "<span><a href=\"");
		html_text(b, view_base(c));
		buf_printf(b, "/providers?%s=", link_key);
		html_query(b, names[i]);
		buf_puts(b, "\">");
		html_text(b, names[i]);
		buf_puts(b, "</a></span> ");
	}
	buf_puts(b, "</div>\n");
}

/* The provider's ancestors (root first) and children, from its tree. */
static void
family(struct ctx *c, const struct rp *rp, const struct view_rp *v, int n)
{
	struct buf *b = &c->resp->body;
	buf_puts(b, "<p id=\"ancestors\">Tree: ");
	/* walk up by parent ids, then print root first */
	const struct view_rp *chain[64];
	int depth = 0;
	long long want = rp->parent_id;
	while (want && depth < 64) {
		int j = 0;
		while (j < n && v[j].id != want)
			j++;
		if (j == n)
			break;
		chain[depth++] = &v[j];
		want = v[j].parent_id;
	}
	for (int i = depth - 1; i >= 0; i--) {
		html_provider_link(b, view_base(c), chain[i]->uuid, chain[i]->name);
		buf_puts(b, " &gt; ");
	}
	html_text(b, rp->name);
	buf_puts(b, "</p>\n<p id=\"children\">Children: ");
	int kids = 0;
	for (int i = 0; i < n; i++) {
		if (v[i].parent_id != rp->id)
			continue;
		if (kids++)
			buf_puts(b, ", ");
		html_provider_link(b, view_base(c), v[i].uuid, v[i].name);
	}
	if (kids == 0)
		buf_puts(b, "<i class=\"note\">none</i>");
	buf_puts(b, "</p>\n");
}

/* The allocations against the provider, a row per consumer and class. */
static int
allocation_rows(struct ctx *c, long long id)
{
	struct buf *b = &c->resp->body;
	struct view_alloc *v;
	int n;
	TRY(c, st_view_allocations(c->db, c->a, id, PROVIDER_ALLOCATIONS, &v, &n));
	buf_puts(b, "<table id=\"allocations\"><tr><th>consumer</th><th>project</th><th>user</th>"
	            "<th>type</th><th>class</th><th class=\"n\">used</th></tr>\n");
	for (int i = 0; i < n; i++) {
		buf_puts(b, "<tr><td class=\"uuid\">");
		html_text(b, v[i].consumer);
		buf_puts(b, "</td><td>");
		html_text(b, v[i].project);
		buf_puts(b, "</td><td>");
		html_text(b, v[i].user);
		buf_puts(b, "</td><td>");
		html_text(b, v[i].type);
		buf_puts(b, "</td><td>");
		html_text(b, v[i].rc);
		buf_printf(b, "</td><td class=\"n\">%lld</td></tr>\n", v[i].used);
	}
	buf_puts(b, "</table>\n");
	if (n == PROVIDER_ALLOCATIONS)
		buf_printf(b, "<p class=\"note\">The first %d allocations.</p>\n", n);
	return 0;
}

int
page_provider(struct ctx *c, const char *uuid)
{
	struct buf *b = &c->resp->body;
	struct rp rp;
	struct view_rp *tree;
	struct trait *tr;
	const char **aggs;
	int ntree, ntr, naggs;
	TRY(c, store_begin(c->db, 0));
	int r = st_rp_by_uuid(c->db, c->a, uuid, &rp);
	if (r == ST_NOTFOUND)
		return fail(c, 404, NULL, "No resource provider with uuid %s.", uuid);
	TRY(c, r);
	TRY(c, st_view_tree(c->db, c->a, rp.root_id, &tree, &ntree));
	TRY(c, st_rp_traits(c->db, c->a, rp.id, &tr, &ntr));
	TRY(c, st_rp_aggregates(c->db, c->a, rp.id, &aggs, &naggs));
	html_page_start(b, view_base(c), rp.name);
	buf_puts(b, "<p><span class=\"uuid\" id=\"uuid\">");
	html_text(b, rp.uuid);
	buf_printf(b, "</span> generation <span id=\"generation\">%lld</span></p>\n", rp.generation);
	family(c, &rp, tree, ntree);
	buf_puts(b, "<h2>Inventory</h2>\n");
	if (inventory_lines(c, rp.id) < 0)
		return -1;
	const char **names = arena_alloc(c->a, sizeof(char *) * (size_t)(ntr + 1));
	if (names == NULL)
		return fail_oom(c);
	for (int i = 0; i < ntr; i++)
		names[i] = tr[i].name;
	buf_puts(b, "<h2>Traits</h2>\n");
	tag_list(c, "traits", names, ntr, "trait");
	buf_puts(b, "<h2>Aggregates</h2>\n");
	tag_list(c, "aggregates", aggs, naggs, "aggregate");
	if (sharing_line(c, rp.id) < 0)
		return -1;
	buf_puts(b, "<h2>Consumers</h2>\n");
	if (allocation_rows(c, rp.id) < 0)
		return -1;
	TRY(c, store_commit(c->db));
	html_page_end(b);
	return 0;
}
