/* Process glue shared by the front ends (cgi/, fcgi/) and placement-sync:
 * reading placement.conf and the environment, turning CGI variables into
 * a struct request, and writing a struct response as a CGI answer. */
#ifndef PLACEMENT_HOST_H
#define PLACEMENT_HOST_H
#include <stddef.h>
#include "../common/util/config.h"
#include "../common/http/request.h"
#include "../common/util/arena.h"

#define HOST_DEFAULT_CONFIG "/etc/placement/placement.conf"

/* Loads the config: the file named by $PLACEMENT_CONFIG (which must
 * exist) or HOST_DEFAULT_CONFIG (optional), then OS_<SECTION>__<KEY>
 * overrides from envp.  Returns 0, or -1 with a message in err. */
int host_load_config(struct config *cfg, char *const *envp, char *err, size_t errlen);

/* The configuration's default policy as a sample file (what
 * placement-sync --policy-defaults prints): the tool itself keeps to
 * sql/ and host/, the policy is common/http/policy.c's. */
void host_policy_sample(const struct config *cfg, struct buf *out);

/* The text of [oslo_policy] policy_file (a relative name beside the
 * config file), to free; NULL when there is none (err "") or it cannot be
 * read (err says why). */
char *host_policy_text(const struct config *cfg, char *err, size_t errlen);
/* Loads the policy rules once per process: the defaults plus the file
 * named by [oslo_policy] policy_file (YAML or JSON; relative to the config
 * file's directory; a missing file means the defaults).  Returns 0, or -1
 * with a message in err for an unreadable or malformed file. */
int host_load_policy(const struct config *cfg, char *err, size_t errlen);

/* Where CGI variables come from, and how the body is read. */
struct host_io {
	const char *(*param)(void *io, const char *name);   /* NULL if unset */
	long (*read)(void *io, char *buf, size_t n);        /* <0 error, 0 EOF */
	void *io;
};

/* Fills req from CGI variables; the body is read up to max_body bytes
 * (more sets req->body_too_large and the rest is not read).  All memory
 * comes from the arena. */
void host_build_request(struct request *req, struct arena *a,
                        const struct host_io *io, long max_body);

/* Formats the CGI response head ("Status: ...\r\n" headers "\r\n") into
 * out; the body follows it unchanged. */
void host_format_head(const struct response *resp, struct buf *out);
/* 64 bits from the OS's randomness (getrandom), to seed a process's
 * request-id stream; falls back to time and pid. */
unsigned long long host_random_seed(void);
#endif
