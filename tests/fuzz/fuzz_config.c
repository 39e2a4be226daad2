/* placement.conf text and OS_<SECTION>__<KEY> overrides: config_parse.
 * The input is INI text, then (after a NUL byte) environment entries,
 * one a line.  Invariants: fixed-size fields stay NUL-terminated, an
 * error leaves a message, and a success gives a db_path whenever a
 * connection was set. */
#include "../../common/util/config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENV 64

/* 1 if the field has a NUL inside its size. */
#define TERMINATED(f) (memchr((f), '\0', sizeof(f)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char *envv[MAX_ENV + 1];
	int nenv = 0;
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t tl = strlen(text);
	if (tl < size) {
		/* environment part: split the rest on newlines */
		char *p = text + tl + 1;
		while (*p && nenv < MAX_ENV) {
			envv[nenv++] = p;
			char *nl = strchr(p, '\n');
			if (nl == NULL)
				break;
			*nl = '\0';
			p = nl + 1;
		}
	}
	envv[nenv] = NULL;
	struct config *cfg = malloc(sizeof(*cfg));
	char err[256];
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	config_defaults(cfg);
	int rc = config_parse(cfg, text, envv, err, sizeof(err));
	if (rc < 0 && strlen(err) == 0)
		abort();
	if (rc != 0 && rc != -1)
		abort();
	if (!TERMINATED(cfg->connection) || !TERMINATED(cfg->db_path) || !TERMINATED(cfg->db_sync) ||
	    !TERMINATED(cfg->auth_strategy) || !TERMINATED(cfg->policy_file) ||
	    !TERMINATED(cfg->policy_mode) || !TERMINATED(cfg->cors_allowed_origin) ||
	    !TERMINATED(cfg->cors_allow_headers) || !TERMINATED(cfg->cors_expose_headers) ||
	    !TERMINATED(cfg->cors_allow_methods) || !TERMINATED(cfg->incomplete_consumer_project_id) ||
	    !TERMINATED(cfg->incomplete_consumer_user_id) ||
	    !TERMINATED(cfg->allocation_candidates_generation_strategy) ||
	    !TERMINATED(cfg->db_host) || !TERMINATED(cfg->db_user) || !TERMINATED(cfg->db_password) ||
	    !TERMINATED(cfg->db_name) || !TERMINATED(cfg->db_socket))
		abort();
	/* a connection always yields a sqlite path (sqlite:///rel is
	 * relative) or a MariaDB database name */
	if (rc == 0 && cfg->connection[0] != '\0' &&
	    !(cfg->db_kind == CONF_DB_SQLITE && cfg->db_path[0] != '\0') &&
	    !(cfg->db_kind == CONF_DB_MYSQL && cfg->db_name[0] != '\0' && cfg->db_path[0] == '\0'))
		abort();

	free(cfg);
	free(text);
	return 0;
}
