/* One table of every SQL statement, built from statements.def. */
#ifndef PLACEMENT_STATEMENTS_H
#define PLACEMENT_STATEMENTS_H
enum stmt_id {
#define STMT(id, sql) id,
#include "statements.def"
#undef STMT
	STMT_COUNT
};
extern const char *const stmt_sql[STMT_COUNT];
#endif
