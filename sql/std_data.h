/* Data compiled into the binaries (generated from data/ and sql/schema.sql
 * by tools/embed.sh): one name per line for classes and traits. */
#ifndef PLACEMENT_STD_DATA_H
#define PLACEMENT_STD_DATA_H
extern const char std_classes[];
extern const char std_traits[];
extern const char schema_sql[];
extern const char schema_totals_sql[];   /* sqlite: allocation totals */
extern const char schema_changes_sql[];  /* sqlite: the change log */
/* the steps between upstream's schema revisions (sql/revisions.c) */
extern const char upgrade_422ece571366_sql[];
extern const char upgrade_422ece571366_mysql_sql[];
extern const char upgrade_a082b8bb98d0_sql[];
extern const char upgrade_a082b8bb98d0_mysql_sql[];
#define CUSTOM_CLASS_MIN_ID 10000
#endif
