/* Writing allocations: the steps PUT /allocations/{consumer},
 * POST /allocations and POST /reshaper share (allocations.c).  All run
 * inside one write transaction the caller opened, so generation checks
 * and capacity checks see what the write will change. */
#ifndef PLACEMENT_ALLOCATIONS_H
#define PLACEMENT_ALLOCATIONS_H
#include <json-c/json.h>
#include "../http/app.h"
#include "../../sql/store_alloc.h"

/* The allocations a request gives one provider: its "resources" object. */
struct wrp {
	const char *uuid;
	struct json_object *resources;   /* class name -> amount */
};

/* One consumer of a write. */
struct wconsumer {
	const char *uuid;
	const char *project, *user;      /* external ids */
	int has_gen;                     /* consumer_generation given (1.28+) */
	int gen_null;
	long long gen;
	const char *type;                /* consumer_type (1.38+), else NULL */
	struct wrp *rps;                 /* nrps 0: remove its allocations */
	int nrps;
	/* filled by alloc_ensure_consumers */
	struct consumer_row row;         /* the existing or new row */
	long long project_id, user_id, type_id;
	int made_bumped;                 /* made by this write at its final generation */
};

/* A provider the write touches, with its generation as this write has
 * moved it. */
struct wprov {
	long long id;
	const char *uuid;
	long long generation;
};

/* One allocation to write (used > 0) or to remove (used 0: an existing
 * allocation of a consumer whose new allocations are empty). */
struct wanted {
	int consumer;                    /* index into batch cons */
	int prov;                        /* index into batch provs */
	const char *rc_name;             /* NULL when only rc_id is known */
	long long rc_id;                 /* -1 until resolved */
	long long used;
};

struct wbatch {
	struct wconsumer *cons;
	int ncons;
	struct wprov *provs;
	int nprovs, capprovs;
	struct wanted *want;
	int nwant, capwant;
};

/* Outcomes of alloc_replace and the reshaper's inventory steps, worded
 * (in *why) as the reference's exceptions; each caller wraps them. */
enum wresult {
	W_OK = 0,
	W_FAILED,      /* an error is already recorded in the ctx */
	W_NOTFOUND,    /* unknown resource class */
	W_INVALID,     /* no such inventory, constraints, capacity */
	W_INUSE,       /* inventory to remove still has allocations */
	W_CONFLICT,    /* a generation moved */
};

/* Reads one consumer's body (dict form, already schema-checked) into *out.
 * project/user default to the incomplete-consumer config when absent. */
int alloc_parse_consumer(struct ctx *c, const char *uuid, struct json_object *body,
                         struct wconsumer *out);
/* Finds (or loads and remembers) a provider by uuid: ST_OK with *idx,
 * ST_NOTFOUND, or an error. */
int alloc_provider(struct ctx *c, struct wbatch *b, const char *uuid, int *idx);
/* Bumps the generation of batch provider idx: ST_OK or an error. */
int alloc_bump_provider(struct ctx *c, struct wbatch *b, int idx);
/* Creates projects, users, consumer types and consumers as needed and
 * checks consumer generations (409 recorded): 0 or -1. */
int alloc_ensure_consumers(struct ctx *c, struct wbatch *b);
/* Turns each consumer's allocations into b->want: providers must exist
 * (400 recorded), empty allocations remove the existing ones: 0 or -1. */
int alloc_build_wanted(struct ctx *c, struct wbatch *b);
/* Gives existing consumers the project, user and type of the request. */
int alloc_update_consumers(struct ctx *c, struct wbatch *b);
/* Replaces the consumers' allocations with b->want after the capacity
 * checks; bumps provider and consumer generations; drops consumers left
 * without allocations. */
enum wresult alloc_replace(struct ctx *c, struct wbatch *b, const char **why);
/* Resolves a class name: W_OK, W_NOTFOUND (why set) or W_FAILED. */
enum wresult alloc_class_id(struct ctx *c, const char *name, long long *id, const char **why);
/* Reads an amount the schema accepted as an integer. */
long long alloc_amount(struct json_object *v);
#endif
