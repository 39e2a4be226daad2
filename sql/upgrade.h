/* Operators' upgrade commands, as upstream Placement's tools answer them:
 * `placement-status upgrade check` and `placement-manage db version`,
 * `db sync`, `db online_data_migrations` (sql/upgrade.c), on either
 * backend.  Text goes to a buffer; the callers print it. */
#ifndef PLACEMENT_UPGRADE_H
#define PLACEMENT_UPGRADE_H
#include "../common/util/buf.h"
#include "../common/util/config.h"
#include "store.h"

/* The database's schema revision (alembic_version) into out, "" when it
 * has none: ST_OK or an error. */
int upgrade_db_version(struct store *s, char *out, size_t n);

/* The upgrade checks (root provider ids, incomplete consumers, a JSON
 * policy file: policy_is_json) as upstream's table, or as its JSON with
 * json set, into out.  Returns the exit status: 0 every check succeeded,
 * 1 a warning, 2 a failure; 255 when the database could not be read. */
int upgrade_check(struct store *s, int policy_is_json, int json, struct buf *out);

/* The online data migrations (providers without a root id, allocations
 * without a consumer row), max_count rows at most (limited), or in
 * batches of 50 until none is left, with upstream's report into out.
 * Returns the exit status: 0 nothing (more) to do, 1 limited and rows
 * were migrated (run it again), 2 a migration failed. */
int upgrade_migrate(struct store *s, const struct config *cfg, long max_count, int limited,
                    struct buf *out);

/* Writes a table as Python's prettytable prints it: ncols headers, nrows
 * rows of cells (row-major; a cell may hold several lines), every column
 * centred (align 'c') or left-aligned ('l'), a rule under every row
 * (all_rules) or only under the header and at the end. */
void upgrade_table(struct buf *out, const char *const *headers, int ncols,
                   const char *const *cells, int nrows, char align, int all_rules);

/* Python's textwrap.fill(text, width, subsequent_indent=indent): greedy
 * wrapping on whitespace and after hyphens inside words, words longer
 * than a line broken, into out. */
void upgrade_wrap(struct buf *out, const char *text, int width, const char *indent);
#endif
