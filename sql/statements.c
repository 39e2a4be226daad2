#include "statements.h"

const char *const stmt_sql[STMT_COUNT] = {
#define STMT(id, sql) [id] = sql,
#include "statements.def"
#undef STMT
};
