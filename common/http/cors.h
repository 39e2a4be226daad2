/* CORS, as the reference's oslo.middleware CORS filter answers it, from
 * [cors] allowed_origin, allow_headers, expose_headers, allow_methods,
 * max_age and allow_credentials.  Off (nothing at all happens) when
 * allowed_origin is empty. */
#ifndef PLACEMENT_CORS_H
#define PLACEMENT_CORS_H
#include "../util/arena.h"
#include "../util/config.h"
#include "request.h"

/* 1 when CORS is configured. */
int cors_enabled(const struct config *cfg);

/* Decorates the finished response.  An OPTIONS request is a preflight:
 * a non-2xx answer becomes an empty 200 (all headers dropped), then the
 * Access-Control-* preflight headers are added when the origin, method
 * and headers are allowed.  Other requests from an allowed Origin get
 * Access-Control-Allow-Origin, -Allow-Credentials, -Expose-Headers and
 * "Origin" added to Vary.  Header values are allocated from a. */
void cors_apply(const struct config *cfg, const struct request *req,
                struct response *resp, struct arena *a);
#endif
