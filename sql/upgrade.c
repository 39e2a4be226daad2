/* Operators' upgrade commands: the implementation of upgrade.h.  The
 * texts, tables and exit statuses are upstream's (placement-status is
 * oslo.upgradecheck's table, placement-manage prints prettytable's), so
 * that deployment tools that read them keep working. */
#include "upgrade.h"
#include "db.h"
#include "store_alloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- text as Python's prettytable and textwrap lay it out --- */

/* Width of the widest line of a cell. */
static int
cell_width(const char *s)
{
	int w = 0, cur = 0;
	for (; *s; s++) {
		if (*s == '\n') {
			cur = 0;
			continue;
		}
		if (++cur > w)
			w = cur;
	}
	return w;
}

/* Line k of a cell (its start and length), or NULL past its last. */
static const char *
cell_line(const char *s, int k, int *len)
{
	while (k-- > 0) {
		s = strchr(s, '\n');
		if (s == NULL)
			return NULL;
		s++;
	}
	*len = (int)strcspn(s, "\n");
	return s;
}

static int
cell_lines(const char *s)
{
	int n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
pad(struct buf *out, int n)
{
	while (n-- > 0)
		buf_putc(out, ' ');
}

/* One justified line of text, as prettytable's _justify: centred text
 * with an odd excess gets the extra space on the right when the text's
 * length is odd, on the left when it is even. */
static void
justify(struct buf *out, const char *text, int len, int width, char align)
{
	int excess = width - len;
	int left = 0, right = excess;
	if (align == 'c') {
		left = right = excess / 2;
		if (excess % 2) {
			if (len % 2)
				right++;
			else
				left++;
		}
	}
	pad(out, left);
	buf_printf(out, "%.*s", len, text);
	pad(out, right);
}

static void
rule(struct buf *out, const int *w, int ncols)
{
	for (int c = 0; c < ncols; c++) {
		buf_putc(out, '+');
		for (int i = 0; i < w[c] + 2; i++)
			buf_putc(out, '-');
	}
	buf_printf(out, "+\n");
}

static void
row(struct buf *out, const char *const *cells, const int *w, int ncols, char align)
{
	int lines = 1;
	for (int c = 0; c < ncols; c++)
		if (cell_lines(cells[c]) > lines)
			lines = cell_lines(cells[c]);
	for (int k = 0; k < lines; k++) {
		for (int c = 0; c < ncols; c++) {
			int len = 0;
			const char *t = cell_line(cells[c], k, &len);
			buf_printf(out, "| ");
			justify(out, t ? t : "", t ? len : 0, w[c], align);
			buf_putc(out, ' ');
		}
		buf_printf(out, "|\n");
	}
}

void
upgrade_table(struct buf *out, const char *const *headers, int ncols,
              const char *const *cells, int nrows, char align, int all_rules)
{
	int w[8] = {0};
	if (ncols > 8)
		ncols = 8;
	for (int c = 0; c < ncols; c++) {
		w[c] = cell_width(headers[c]);
		for (int r = 0; r < nrows; r++)
			if (cell_width(cells[r * ncols + c]) > w[c])
				w[c] = cell_width(cells[r * ncols + c]);
	}
	rule(out, w, ncols);
	row(out, headers, w, ncols, align);
	rule(out, w, ncols);
	for (int r = 0; r < nrows; r++) {
		row(out, cells + r * ncols, w, ncols, align);
		if (all_rules && r < nrows - 1)
			rule(out, w, ncols);
	}
	if (nrows > 0)
		rule(out, w, ncols);
}

/* textwrap's "letter": a word character that is not a digit. */
static int
letter(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

/* The length of the chunk at s (text from its start t): a run of
 * spaces, or a word up to its end or to just after a hyphen that
 * textwrap may break at (two letters, or letter-hyphen-letter, before
 * it; a letter, maybe a hyphen, and a letter after). */
static size_t
chunk_len(const char *t, const char *s)
{
	size_t n = 0;
	if (s[0] == ' ') {
		while (s[n] == ' ')
			n++;
		return n;
	}
	while (s[n] && s[n] != ' ') {
		n++;
		if (s[n - 1] != '-')
			continue;
		const char *h = s + n - 1;          /* the hyphen */
		int before = (h - t >= 2 && letter(h[-1]) && letter(h[-2])) ||
		             (h - t >= 3 && letter(h[-1]) && h[-2] == '-' && letter(h[-3]));
		int after = letter(h[1]) && (letter(h[2]) || (h[2] == '-' && letter(h[3])));
		if (before && after)
			return n;
	}
	return n;
}

void
upgrade_wrap(struct buf *out, const char *text, int width, const char *indent)
{
	/* every whitespace character is a space, as replace_whitespace does */
	size_t tn = strlen(text);
	char *t = malloc(tn + 1);
	if (t == NULL) {
		out->oom = 1;
		return;
	}
	for (size_t i = 0; i <= tn; i++)
		t[i] = text[i] && isspace((unsigned char)text[i]) ? ' ' : text[i];
	/* the chunks, then greedy lines over them */
	size_t cap = tn + 1, n = 0;
	struct chunk { const char *p; size_t len; } *ch = malloc(sizeof(*ch) * cap);
	if (ch == NULL) {
		free(t);
		out->oom = 1;
		return;
	}
	for (const char *s = t; *s;) {
		size_t len = chunk_len(t, s);
		ch[n++] = (struct chunk){s, len};
		s += len;
	}
	size_t i = 0;
	int lines = 0;
	while (i < n) {
		const char *ind = lines ? indent : "";
		int room = width - (int)strlen(ind);
		if (lines && ch[i].p[0] == ' ')
			i++;                            /* no space at a line's start */
		if (i >= n)
			break;
		size_t first = i, cur = 0;
		while (i < n && cur + ch[i].len <= (size_t)room)
			cur += ch[i++].len;
		/* a chunk longer than a line: as much as fits, after its last
		 * hyphen that fits when there is one */
		size_t cut = 0;
		if (i < n && ch[i].len > (size_t)room) {
			size_t left = room < 1 ? 1 : (size_t)room - cur;
			cut = left;
			for (size_t k = left; k-- > 1;) {
				if (ch[i].p[k] == '-') {
					int other = 0;
					for (size_t q = 0; q < k; q++)
						other |= ch[i].p[q] != '-';
					if (other)
						cut = k + 1;
					break;
				}
			}
		}
		size_t last = i;                        /* chunks first..last-1 */
		while (last > first && cut == 0 && ch[last - 1].p[0] == ' ')
			last--;                                 /* no space at its end */
		if (last > first || cut) {
			if (lines)
				buf_putc(out, '\n');
			buf_printf(out, "%s", ind);
			for (size_t k = first; k < last; k++)
				buf_printf(out, "%.*s", (int)ch[k].len, ch[k].p);
			if (cut) {
				buf_printf(out, "%.*s", (int)cut, ch[i].p);
				ch[i].p += cut;
				ch[i].len -= cut;
			}
			lines++;
		}
	}
	free(ch);
	free(t);
}

/* --- the checks --- */

int
upgrade_db_version(struct store *s, char *out, size_t n)
{
	out[0] = '\0';
	struct dbstmt *st = st_prep(s, S_SYNC_GET_VERSION);
	if (st == NULL)
		return ST_ERROR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *v = db_col_text(st, 0);
		snprintf(out, n, "%s", v ? v : "");
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? ST_OK : st_rc(s, rc);
}

static const char *const results[] = {"Success", "Warning", "Failure"};

int
upgrade_check(struct store *s, int policy_is_json, int json, struct buf *out)
{
	static const char *const names[] = {"Missing Root Provider IDs", "Incomplete Consumers",
		"Policy File JSON to YAML Migration"};
	long long missing_roots = 0, missing_consumers = 0;
	if (store_begin(s, 0) != ST_OK ||
	    st_one_int(s, st_prep(s, S_UPG_MISSING_ROOTS), &missing_roots) != ST_OK ||
	    st_one_int(s, st_prep(s, S_UPG_MISSING_CONSUMERS), &missing_consumers) != ST_OK) {
		store_rollback(s);
		buf_printf(out, "Error:\n%s\n", store_errmsg(s));
		return 255;
	}
	store_rollback(s);
	int code[3] = {missing_roots ? 2 : 0, missing_consumers ? 1 : 0, policy_is_json ? 2 : 0};
	char consumers[256];
	snprintf(consumers, sizeof(consumers), "There are %lld incomplete consumers table records "
	         "for existing allocations. Run the \"placement-manage db online_data_migrations\" "
	         "command.", missing_consumers);
	const char *details[3] = {
		missing_roots ? "There is at least one resource provider table record which misses "
		                "its root provider id. Run the \"placement-manage db "
		                "online_data_migrations\" command." : NULL,
		missing_consumers ? consumers : NULL,
		policy_is_json ? "Your policy file is JSON-formatted which is deprecated. You need to "
		                 "switch to YAML-formatted file. Use the "
		                 "``oslopolicy-convert-json-to-yaml`` tool to convert the existing "
		                 "JSON-formatted files to YAML in a backwards-compatible manner: "
		                 "https://docs.openstack.org/oslo.policy/latest/cli/"
		                 "oslopolicy-convert-json-to-yaml.html." : NULL};
	int worst = 0;
	for (int i = 0; i < 3; i++)
		if (code[i] > worst)
			worst = code[i];
	if (json) {
		buf_printf(out, "{\"name\": \"Upgrade Check Results\", \"checks\": [");
		for (int i = 0; i < 3; i++) {
			buf_printf(out, "%s{\"check\": \"%s\", \"result\": %d, \"details\": ", i ? ", " : "",
			           names[i], code[i]);
			if (details[i] != NULL)
				buf_json_string(out, details[i]);
			else
				buf_printf(out, "null");
			buf_putc(out, '}');
		}
		buf_printf(out, "]}\n");
		return worst;
	}
	struct buf cell[3] = {{0}};
	const char *cells[3];
	for (int i = 0; i < 3; i++) {
		buf_printf(&cell[i], "Check: %s\nResult: %s\nDetails: ", names[i], results[code[i]]);
		if (details[i] != NULL)
			upgrade_wrap(&cell[i], details[i], 60, "  ");
		else
			buf_printf(&cell[i], "None");
		if (cell[i].oom)
			out->oom = 1;
		cells[i] = cell[i].p ? cell[i].p : "";
	}
	static const char *const head[] = {"Upgrade Check Results"};
	upgrade_table(out, head, 1, cells, 3, 'l', 1);
	for (int i = 0; i < 3; i++)
		buf_free(&cell[i]);
	return worst;
}

/* --- the online data migrations --- */

/* One batch of one migration, in its own transaction: rows found and
 * migrated (the same for both of these: each fixes what it finds). */
static int
migrate_batch(struct store *s, const struct config *cfg, int which, long long limit,
              long long *found)
{
	*found = 0;
	char now[64];                   /* bound: lives as long as the statement runs */
	int rc = store_begin(s, 1);
	if (rc != ST_OK)
		return rc;
	struct dbstmt *st;
	if (which == 0) {
		st = st_prep(s, S_UPG_SET_ROOTS);
		if (st == NULL) {
			store_rollback(s);
			return ST_ERROR;
		}
		db_bind_int(st, 1, limit);
	} else {
		long long project, user;
		rc = st_project_user_ensure(s, cfg->incomplete_consumer_project_id,
		                            cfg->incomplete_consumer_user_id, &project, &user);
		st = rc == ST_OK ? st_prep(s, S_UPG_ADD_CONSUMERS) : NULL;
		if (st == NULL) {
			store_rollback(s);
			return rc != ST_OK ? rc : ST_ERROR;
		}
		store_now(now);
		db_bind_int(st, 1, limit);
		db_bind_int(st, 2, project);
		db_bind_int(st, 3, user);
		st_bind_text(st, 4, now);
	}
	rc = st_exec(s, st);
	if (rc == ST_OK)
		*found = db_changes(s);
	if (rc == ST_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	if (rc != ST_OK)
		*found = 0;
	return rc;
}

int
upgrade_migrate(struct store *s, const struct config *cfg, long max_count, int limited,
                struct buf *out)
{
	static const char *const names[] = {"set_root_provider_ids", "create_incomplete_consumers"};
	long long total[2] = {0, 0};
	int seen[2] = {0, 0}, failed = 0;
	long long ran = -1;
	if (!limited)
		buf_printf(out, "Running batches of %ld until complete\n", max_count);
	while (ran != 0) {
		ran = 0;
		failed = 0;
		for (int m = 0; m < 2; m++) {
			long long found = 0;
			if (migrate_batch(s, cfg, m, max_count - ran, &found) != ST_OK) {
				buf_printf(out, "Error attempting to run %s: %s\n", names[m], store_errmsg(s));
				failed = 1;
			}
			if (found)
				buf_printf(out, "%lld rows matched query %s, %lld migrated\n", found,
				           names[m], found);
			seen[m] = 1;
			total[m] += found;
			ran += found;
			if (ran >= max_count)
				break;
		}
		if (limited)
			break;
	}
	static const char *const head[] = {"Migration", "Total Found", "Completed"};
	char num[2][2][32];
	const char *cells[6];
	int nrows = 0;
	for (int m = 0; m < 2; m++) {
		if (!seen[m])
			continue;
		snprintf(num[m][0], sizeof(num[m][0]), "%lld", total[m]);
		snprintf(num[m][1], sizeof(num[m][1]), "%lld", total[m]);
		cells[nrows * 3] = names[m];
		cells[nrows * 3 + 1] = num[m][0];
		cells[nrows * 3 + 2] = num[m][1];
		nrows++;
	}
	upgrade_table(out, head, 3, cells, nrows, 'c', 0);
	if (failed && !(limited && ran)) {
		buf_printf(out, "Some migrations failed unexpectedly. Check log for details.\n");
		return 2;
	}
	return ran ? 1 : 0;
}
