/* Helpers shared by the libFuzzer harnesses that run the whole request
 * pipeline: one process-wide app with its own fresh database (made by
 * placement-sync's own code in a private temp directory and removed at
 * exit), a few fixtures in it, and the checks every answer must pass. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include "../../common/http/app.h"

/* Fixture names: providers, a consumer, a custom class and trait. */
#define FZ_RP_ROOT  "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0001"
#define FZ_RP_CHILD "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0002"
#define FZ_RP_SHARE "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0003"
#define FZ_CONSUMER "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d00c1"
#define FZ_AGG      "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d00a1"
#define FZ_CLASS    "CUSTOM_FZ"
#define FZ_TRAIT    "CUSTOM_FZ_TRAIT"

/* The process's app (created on first call, with fixtures loaded). */
struct app *fz_app(void);

/* Runs one request through app_handle and checks the answer: no 5xx
 * other than 501 (handlers not written yet), a JSON body that parses
 * whenever the content type says JSON (valid UTF-8 too with
 * FUZZ_STRICT_UTF8=1), an error body for every 4xx, header values
 * without CR or LF.  A violation aborts (libFuzzer records the input).  Releases the
 * request's memory.  Returns the status. */
int fz_run(const struct request *req);

/* A NUL-terminated arena copy of data[0..n). */
char *fz_strndup(struct arena *a, const uint8_t *data, size_t n);
#endif
