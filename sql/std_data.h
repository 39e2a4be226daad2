/* Data compiled into the binaries (generated from data/ and sql/schema.sql
 * by tools/embed.sh): one name per line for classes and traits. */
#ifndef PLACEMENT_STD_DATA_H
#define PLACEMENT_STD_DATA_H
extern const char std_classes[];
extern const char std_traits[];
extern const char schema_sql[];
extern const char schema_totals_sql[];   /* sqlite: allocation totals */
extern const char schema_changes_sql[];  /* sqlite: the change log */
#define SCHEMA_VERSION "422ece571366"
#define CUSTOM_CLASS_MIN_ID 10000
#endif
