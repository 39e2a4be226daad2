/* Every SQL statement as data: the texts of statements.def (and the
 * stmts_*.def files it includes), indexed by statement id. */
#include "statements.h"

const char *const stmt_sql[STMT_COUNT] = {
#define STMT(id, sql) [id] = sql,
#include "statements.def"
#undef STMT
};
