/* The MariaDB backend's own entry points beyond db.h: placement-sync's
 * needs (plain SQL without values, creating the database) and the text
 * rewriting, exposed for the unit tests. */
#ifndef PLACEMENT_MYSQL_DB_H
#define PLACEMENT_MYSQL_DB_H
#include <stddef.h>

struct store;
struct config;

/* The reference's MySQL schema (sql/schema-mysql.sql, embedded), and our
 * change counters (sql/schema-mysql-changes.sql). */
extern const char schema_mysql_sql[];
extern const char schema_mysql_changes_sql[];

/* Opens a connection as mysql_open does; with create_db, a database that
 * does not exist yet is created first (utf8mb4).  NULL with a message. */
struct store *mysql_open_db(const struct config *cfg, int create_db, char *err, size_t errlen);
/* Runs one statement that takes no values and returns no rows (DDL).
 * A db_code; the message in the store's errmsg. */
int mysql_exec_sql(struct store *s, const char *sql);
/* The first column of the first row of a statement without values, as
 * an integer; -1 on error or no row. */
long long mysql_query_int(struct store *s, const char *sql);

/* The length of the statement at p: up to (not including) the first ';'
 * outside quotes, or to the end. */
size_t mysql_statement_len(const char *p);
/* Rewrites the n bytes of one statement from sqlite's numbered
 * parameters (?N, N >= 1) to MariaDB's positional '?' into out (outlen
 * bytes, NUL-terminated); map[k] gets the N of the k-th '?'.  Quoted
 * strings and identifiers are copied as they are.  Returns the number of
 * parameters, or -1 for a bare '?' or ?0, more than maxmap parameters, N
 * above 255, or an out too small. */
int mysql_rewrite_params(const char *in, size_t n, char *out, size_t outlen,
                         unsigned char *map, int maxmap);
#endif
