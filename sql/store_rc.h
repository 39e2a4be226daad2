/* Data access for resource classes (store_rc.c).  Other areas use
 * st_rc_id_by_name / st_rc_name_by_id to map names and ids; standard
 * classes are answered from memory, custom ones from the database. */
#ifndef PLACEMENT_STORE_RC_H
#define PLACEMENT_STORE_RC_H
#include "store.h"

/* One resource_classes row. */
struct rc {
	long long id;                 /* < 10000: standard */
	const char *name;
	const char *created_at;       /* may be NULL */
	const char *updated_at;       /* may be NULL */
};

/* Whether id belongs to a standard class (they can't change). */
int st_rc_is_standard_id(long long id);

/* Every class, ordered by id: ST_OK with *out (arena array) and *n. */
int st_rc_list(struct store *s, struct arena *a, struct rc **out, int *n);
/* One class by name: ST_OK, ST_NOTFOUND, or an error. */
int st_rc_by_name(struct store *s, struct arena *a, const char *name, struct rc *out);
/* Name -> id: ST_OK, ST_NOTFOUND, or an error. */
int st_rc_id_by_name(struct store *s, const char *name, long long *id);
/* Id -> name (in the arena, or static for standard classes). */
int st_rc_name_by_id(struct store *s, struct arena *a, long long id, const char **name);

/* Creates a custom class with the next free id (at least 10000): ST_OK
 * with *id, ST_CONFLICT when the name exists.  Write transaction. */
int st_rc_create(struct store *s, const char *name, long long *id);
/* Renames class id: ST_OK, ST_CONFLICT when the name is taken,
 * ST_NOTFOUND.  Write transaction. */
int st_rc_rename(struct store *s, long long id, const char *name);
/* 1 if inventories or allocations refer to class id, 0 if not, <0 error. */
int st_rc_in_use(struct store *s, long long id);
/* Deletes class id: ST_OK or ST_NOTFOUND.  Write transaction. */
int st_rc_delete(struct store *s, long long id);
#endif
