/* Process configuration: placement.conf (INI) plus OS_<SECTION>__<KEY>
 * environment overrides.  Parsed once per process; pure (the caller reads
 * the file and hands over the text and the environment). */
#ifndef PLACEMENT_CONFIG_H
#define PLACEMENT_CONFIG_H
#include <stddef.h>

#define CONF_STR 512
#define CONF_PATH 4096

enum { CONF_DB_NONE = 0, CONF_DB_SQLITE = 1, CONF_DB_MYSQL = 2 };

struct config {
	/* [placement_database] connection: sqlite:////abs/path, or
	 * mysql[+driver]://user:password@host[:port]/dbname[?unix_socket=/path]
	 * (the reference's SQLAlchemy URLs).  The fields below derive from it. */
	char connection[CONF_PATH];
	int db_kind;                    /* CONF_DB_NONE, _SQLITE or _MYSQL */
	char db_path[CONF_PATH];        /* sqlite file */
	char db_host[256];              /* mysql: empty with a socket */
	int db_port;                    /* 0: the default (3306) */
	char db_user[256];
	char db_password[256];          /* never logged */
	char db_name[256];
	char db_socket[CONF_PATH];      /* ?unix_socket= */
	/* sqlite synchronous mode: "full" (durable, default) or "normal" */
	char db_sync[16];
	int db_busy_timeout_ms;         /* [placement_database] busy_timeout_ms */
	int db_read_timeout_s;          /* [placement_database] read_timeout (MariaDB) */
	int db_write_timeout_s;         /* [placement_database] write_timeout (MariaDB) */
	/* [api] */
	char auth_strategy[32];         /* noauth2 (only one supported) */
	/* [placement] */
	int randomize_allocation_candidates;
	int explain_empty_answers;       /* project extension: log why an answer is empty */
	long max_allocation_candidates;  /* -1: no cap */
	char allocation_candidates_generation_strategy[16]; /* depth-first | breadth-first */
	int allocation_conflict_retry_count;
	char incomplete_consumer_project_id[CONF_STR];
	char incomplete_consumer_user_id[CONF_STR];
	/* [oslo_policy] */
	int enforce_scope;
	int enforce_new_defaults;
	char policy_file[CONF_PATH];
	char policy_mode[16];           /* project extension: legacy|secure|open */
	char policy_defaults[16];       /* project extension: 8.0.0|15.0.0 */
	/* [cors]; empty allowed_origin: CORS off */
	char cors_allowed_origin[CONF_STR];
	char cors_allow_headers[CONF_STR];
	char cors_expose_headers[CONF_STR];
	char cors_allow_methods[CONF_STR];
	long cors_max_age;              /* -1: not sent */
	int cors_allow_credentials;
	/* [api] max_body_bytes: hard request body limit of the front ends */
	long max_body_bytes;
	/* upstream Placement's options that do nothing here, as "[section]
	 * key" joined by ", " (cut short with "..."): a front end says so
	 * once at start */
	char ignored[CONF_STR];
};

void config_defaults(struct config *cfg);
/* Parses INI text (may be NULL: defaults only) then applies environment
 * overrides from envp (NULL-terminated "KEY=VALUE" array, may be NULL).
 * Returns 0, or -1 with a message in err. */
int config_parse(struct config *cfg, const char *ini_text, char *const *envp,
                 char *err, size_t errlen);
/* Sets one option; section and key are matched case-insensitively.
 * Unknown options are ignored, as the reference's oslo.config does;
 * upstream 15.0.0's options that do nothing here are noted in ignored.
 * Returns 0, or -1 with a message in err for a bad value. */
int config_set(struct config *cfg, const char *section, const char *key,
               const char *value, char *err, size_t errlen);
/* Parses a connection URL into cfg's db_* fields (all cleared first; an
 * empty URL is CONF_DB_NONE).  0, or -1 with a message in err that never
 * holds the password. */
int config_parse_connection(struct config *cfg, const char *url, char *err, size_t errlen);
/* The URL with its password replaced by "***", for messages. */
void config_redact_url(const char *url, char *out, size_t outlen);
#endif
