#include "config.h"
#include <ini.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->db_sync, sizeof(cfg->db_sync), "full");
	cfg->db_busy_timeout_ms = 10000;
	snprintf(cfg->auth_strategy, sizeof(cfg->auth_strategy), "noauth2");
	cfg->max_allocation_candidates = -1;
	snprintf(cfg->allocation_candidates_generation_strategy,
	         sizeof(cfg->allocation_candidates_generation_strategy), "depth-first");
	cfg->allocation_conflict_retry_count = 10;
	snprintf(cfg->incomplete_consumer_project_id,
	         sizeof(cfg->incomplete_consumer_project_id),
	         "00000000-0000-0000-0000-000000000000");
	snprintf(cfg->incomplete_consumer_user_id,
	         sizeof(cfg->incomplete_consumer_user_id),
	         "00000000-0000-0000-0000-000000000000");
	snprintf(cfg->policy_mode, sizeof(cfg->policy_mode), "legacy");
	cfg->cors_max_age = -1;
	cfg->cors_allow_credentials = 1;   /* the reference's default */
	cfg->max_body_bytes = 1L << 20 | 1L << 19;   /* 1.5 MiB */
}

static int
parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int
parse_long(const char *v, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

static int
copy_str(char *dst, size_t dstlen, const char *v)
{
	size_t n = strlen(v);
	if (n >= dstlen)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* sqlite:////abs/path -> /abs/path; sqlite:///rel -> rel */
static int
connection_to_path(struct config *cfg)
{
	const char *c = cfg->connection;
	cfg->db_path[0] = '\0';
	if (c[0] == '\0')
		return 0;
	if (strncmp(c, "sqlite:///", 10) != 0)
		return -1;
	const char *p = c + 10;
	size_t n = strcspn(p, "?");
	if (n == 0 || n >= sizeof(cfg->db_path))
		return -1;
	memcpy(cfg->db_path, p, n);
	cfg->db_path[n] = '\0';
	return 0;
}

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int
config_set(struct config *cfg, const char *section, const char *key,
           const char *value, char *err, size_t errlen)
{
	long n;
	int b;
#define IS(s, k) (!strcasecmp(section, s) && !strcasecmp(key, k))
	if (IS("placement_database", "connection")) {
		if (copy_str(cfg->connection, sizeof(cfg->connection), value) < 0)
			BAD("[placement_database] connection is too long");
		if (connection_to_path(cfg) < 0)
			BAD("[placement_database] connection: only sqlite:////absolute/path is supported, got '%s'", value);
	} else if (IS("placement_database", "synchronous")) {
		if (strcasecmp(value, "full") && strcasecmp(value, "normal"))
			BAD("[placement_database] synchronous must be full or normal");
		snprintf(cfg->db_sync, sizeof(cfg->db_sync), "%s", value);
	} else if (IS("placement_database", "busy_timeout_ms")) {
		if (parse_long(value, 0, 600000, &n) < 0)
			BAD("[placement_database] busy_timeout_ms must be 0..600000");
		cfg->db_busy_timeout_ms = (int)n;
	} else if (IS("api", "auth_strategy")) {
		if (strcmp(value, "noauth2") != 0)
			BAD("[api] auth_strategy: only noauth2 is supported, got '%s'", value);
		snprintf(cfg->auth_strategy, sizeof(cfg->auth_strategy), "%s", value);
	} else if (IS("api", "max_body_bytes")) {
		if (parse_long(value, 1024, 1L << 30, &n) < 0)
			BAD("[api] max_body_bytes must be 1024..1073741824");
		cfg->max_body_bytes = n;
	} else if (IS("placement", "randomize_allocation_candidates")) {
		if (parse_bool(value, &b) < 0)
			BAD("[placement] randomize_allocation_candidates must be a boolean");
		cfg->randomize_allocation_candidates = b;
	} else if (IS("placement", "max_allocation_candidates")) {
		if (parse_long(value, -1, 1L << 30, &n) < 0 || n == 0)
			BAD("[placement] max_allocation_candidates must be -1 or a positive integer");
		cfg->max_allocation_candidates = n;
	} else if (IS("placement", "allocation_candidates_generation_strategy")) {
		if (strcmp(value, "depth-first") && strcmp(value, "breadth-first"))
			BAD("[placement] allocation_candidates_generation_strategy must be depth-first or breadth-first");
		snprintf(cfg->allocation_candidates_generation_strategy,
		         sizeof(cfg->allocation_candidates_generation_strategy), "%s", value);
	} else if (IS("placement", "allocation_conflict_retry_count")) {
		if (parse_long(value, 0, 1000, &n) < 0)
			BAD("[placement] allocation_conflict_retry_count must be 0..1000");
		cfg->allocation_conflict_retry_count = (int)n;
	} else if (IS("placement", "incomplete_consumer_project_id")) {
		if (copy_str(cfg->incomplete_consumer_project_id, CONF_STR, value) < 0)
			BAD("[placement] incomplete_consumer_project_id is too long");
	} else if (IS("placement", "incomplete_consumer_user_id")) {
		if (copy_str(cfg->incomplete_consumer_user_id, CONF_STR, value) < 0)
			BAD("[placement] incomplete_consumer_user_id is too long");
	} else if (IS("oslo_policy", "enforce_scope")) {
		if (parse_bool(value, &b) < 0)
			BAD("[oslo_policy] enforce_scope must be a boolean");
		cfg->enforce_scope = b;
	} else if (IS("oslo_policy", "enforce_new_defaults")) {
		if (parse_bool(value, &b) < 0)
			BAD("[oslo_policy] enforce_new_defaults must be a boolean");
		cfg->enforce_new_defaults = b;
	} else if (IS("oslo_policy", "policy_file")) {
		if (copy_str(cfg->policy_file, sizeof(cfg->policy_file), value) < 0)
			BAD("[oslo_policy] policy_file is too long");
	} else if (IS("oslo_policy", "mode")) {
		if (strcmp(value, "legacy") && strcmp(value, "secure") && strcmp(value, "open"))
			BAD("[oslo_policy] mode must be legacy, secure or open");
		snprintf(cfg->policy_mode, sizeof(cfg->policy_mode), "%s", value);
	} else if (IS("cors", "allowed_origin")) {
		if (copy_str(cfg->cors_allowed_origin, CONF_STR, value) < 0)
			BAD("[cors] allowed_origin is too long");
	} else if (IS("cors", "allow_headers")) {
		if (copy_str(cfg->cors_allow_headers, CONF_STR, value) < 0)
			BAD("[cors] allow_headers is too long");
	} else if (IS("cors", "expose_headers")) {
		if (copy_str(cfg->cors_expose_headers, CONF_STR, value) < 0)
			BAD("[cors] expose_headers is too long");
	} else if (IS("cors", "allow_methods")) {
		if (copy_str(cfg->cors_allow_methods, CONF_STR, value) < 0)
			BAD("[cors] allow_methods is too long");
	} else if (IS("cors", "max_age")) {
		if (parse_long(value, 0, 1L << 30, &n) < 0)
			BAD("[cors] max_age must be a non-negative integer");
		cfg->cors_max_age = n;
	} else if (IS("cors", "allow_credentials")) {
		if (parse_bool(value, &b) < 0)
			BAD("[cors] allow_credentials must be a boolean");
		cfg->cors_allow_credentials = b;
	}
#undef IS
	return 0;
}

struct ini_ctx {
	struct config *cfg;
	char *err;
	size_t errlen;
	int failed;
};

static int
on_ini(void *user, const char *section, const char *key, const char *value)
{
	struct ini_ctx *ic = user;
	if (ic->failed)
		return 0;
	if (config_set(ic->cfg, section, key, value ? value : "", ic->err, ic->errlen) < 0) {
		ic->failed = 1;
		return 0;
	}
	return 1;
}

int
config_parse(struct config *cfg, const char *ini_text, char *const *envp,
             char *err, size_t errlen)
{
	if (ini_text != NULL) {
		struct ini_ctx ic = {cfg, err, errlen, 0};
		int rc = ini_parse_string(ini_text, on_ini, &ic);
		if (ic.failed)
			return -1;
		if (rc != 0) {
			snprintf(err, errlen, "syntax error on line %d", rc);
			return -1;
		}
	}
	for (; envp != NULL && *envp != NULL; envp++) {
		const char *e = *envp;
		if (strncmp(e, "OS_", 3) != 0)
			continue;
		const char *sep = strstr(e + 3, "__");
		const char *eq = strchr(e, '=');
		if (sep == NULL || eq == NULL || sep > eq)
			continue;
		char section[64], key[128];
		size_t sl = (size_t)(sep - (e + 3)), kl = (size_t)(eq - (sep + 2));
		if (sl == 0 || sl >= sizeof(section) || kl == 0 || kl >= sizeof(key))
			continue;
		for (size_t i = 0; i < sl; i++)
			section[i] = (char)tolower((unsigned char)e[3 + i]);
		section[sl] = '\0';
		for (size_t i = 0; i < kl; i++)
			key[i] = (char)tolower((unsigned char)sep[2 + i]);
		key[kl] = '\0';
		if (config_set(cfg, section, key, eq + 1, err, errlen) < 0)
			return -1;
	}
	return 0;
}
