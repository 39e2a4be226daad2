/* config_parse: placement.conf text plus OS_<SECTION>__<KEY> environment
 * overrides (applied after the file), bad values refused with a message,
 * unknown options ignored as oslo.config does. */
#include "harness.h"
#include "../../common/util/config.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields a row may check, by name. */
enum ftype { F_STR, F_INT, F_LONG };
static const struct field {
	const char *name;
	size_t off;
	enum ftype type;
} fields[] = {
#define S(f) {#f, offsetof(struct config, f), F_STR}
#define I(f) {#f, offsetof(struct config, f), F_INT}
#define L(f) {#f, offsetof(struct config, f), F_LONG}
	S(connection), I(db_kind), S(db_path), S(db_host), I(db_port), S(db_user), S(db_password),
	S(db_name), S(db_socket), S(db_sync), I(db_busy_timeout_ms), I(db_read_timeout_s),
	I(db_write_timeout_s), S(auth_strategy),
	I(randomize_allocation_candidates), L(max_allocation_candidates),
	S(allocation_candidates_generation_strategy), I(allocation_conflict_retry_count),
	S(incomplete_consumer_project_id), S(incomplete_consumer_user_id),
	I(enforce_scope), I(enforce_new_defaults), S(policy_file), S(policy_mode),
	S(cors_allowed_origin), S(cors_allow_headers), S(cors_expose_headers),
	S(cors_allow_methods), L(cors_max_age), I(cors_allow_credentials), L(max_body_bytes),
	S(ignored), S(policy_defaults),
#undef S
#undef I
#undef L
};

/* The field's value as text; NULL for an unknown name. */
static const char *
field_text(const struct config *cfg, const char *name, char *tmp, size_t n)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *p = (const char *)cfg + fields[i].off;
		if (strcmp(fields[i].name, name) != 0)
			continue;
		switch (fields[i].type) {
		case F_STR: return p;
		case F_INT: snprintf(tmp, n, "%d", *(const int *)(const void *)p); return tmp;
		case F_LONG: snprintf(tmp, n, "%ld", *(const long *)(const void *)p); return tmp;
		}
	}
	return NULL;
}

/* A row: INI text (NULL: none), up to 3 environment entries, the result,
 * then "field=value" checks (rc 0) or a piece of the message (rc -1). */
static const struct conf_case {
	int line;
	const char *ini;
	const char *env[4];
	int rc;
	const char *expect[4];
} conf_cases[] = {
#define R(ini, env, rc, ...) {__LINE__, ini, env, rc, {__VA_ARGS__}}
#define E(...) {__VA_ARGS__}
#define NOENV {NULL}
	/* defaults */
	R(NULL, NOENV, 0, "db_path=", "db_sync=full", "db_busy_timeout_ms=10000", "auth_strategy=noauth2"),
	R(NULL, NOENV, 0, "max_allocation_candidates=-1", "allocation_conflict_retry_count=10",
	  "policy_mode=legacy", "cors_max_age=-1"),
	R(NULL, NOENV, 0, "incomplete_consumer_project_id=00000000-0000-0000-0000-000000000000",
	  "incomplete_consumer_user_id=00000000-0000-0000-0000-000000000000",
	  "allocation_candidates_generation_strategy=depth-first", "max_body_bytes=1572864"),
	R("", NOENV, 0, "db_path=", "randomize_allocation_candidates=0"),
	/* [placement_database] connection */
	R("[placement_database]\nconnection = sqlite:////var/lib/placement/db.sqlite\n", NOENV, 0,
	  "db_path=/var/lib/placement/db.sqlite", "connection=sqlite:////var/lib/placement/db.sqlite"),
	R("[placement_database]\nconnection = sqlite:///rel.sqlite\n", NOENV, 0, "db_path=rel.sqlite"),
	R("[placement_database]\nconnection = sqlite:////tmp/x.sqlite?mode=ro\n", NOENV, 0, "db_path=/tmp/x.sqlite"),
	R("[PLACEMENT_DATABASE]\nCONNECTION=sqlite:////tmp/up.sqlite\n", NOENV, 0, "db_path=/tmp/up.sqlite"),
	R("[placement_database]\nconnection =\n", NOENV, 0, "db_path="),
	R("[placement_database]\nconnection = mysql+pymysql://u:p@db/placement\n", NOENV, 0,
	  "db_kind=2", "db_host=db", "db_name=placement", "db_password=p"),
	R("[placement_database]\nconnection = postgresql://u:secret@db/placement\n", NOENV, -1,
	  "unsupported scheme", "postgresql://u:***@db/placement"),
	R("[placement_database]\nconnection = sqlite:///\n", NOENV, -1, "[placement_database] connection"),
	R("[placement_database]\nconnection = sqlite:///?x=1\n", NOENV, -1, "[placement_database] connection"),
	R("[placement_database]\nsynchronous = NORMAL\n", NOENV, 0, "db_sync=NORMAL"),
	R("[placement_database]\nsynchronous = off\n", NOENV, -1, "synchronous must be full or normal"),
	R("[placement_database]\nbusy_timeout_ms = 0\n", NOENV, 0, "db_busy_timeout_ms=0"),
	R("[placement_database]\nbusy_timeout_ms = 600001\n", NOENV, -1, "busy_timeout_ms must be 0..600000"),
	R("[placement_database]\nbusy_timeout_ms = 5s\n", NOENV, -1, "busy_timeout_ms"),
	R(NULL, NOENV, 0, "db_read_timeout_s=60", "db_write_timeout_s=60"),
	R("[placement_database]\nread_timeout = 5\nwrite_timeout = 7\n", NOENV, 0,
	  "db_read_timeout_s=5", "db_write_timeout_s=7"),
	R("[placement_database]\nread_timeout = 0\n", NOENV, -1, "read_timeout must be 1..3600"),
	R("[placement_database]\nwrite_timeout = 3601\n", NOENV, -1, "write_timeout must be 1..3600"),
	/* [api] */
	R("[api]\nauth_strategy = noauth2\n", NOENV, 0, "auth_strategy=noauth2"),
	R("[api]\nauth_strategy = keystone\n", NOENV, 0, "auth_strategy=noauth2",
	  "ignored=[api] auth_strategy = keystone (the web server sets the identity)"),
	R("[api]\nauth_strategy = noauth\n", NOENV, -1, "must be noauth2 or keystone, got 'noauth'"),
	/* a configuration written for upstream 15.0.0 loads; what does
	 * nothing here is named once, unknown options pass silently */
	R("[DEFAULT]\ndebug = True\nlog_file = /var/log/placement/placement-api.log\n"
	  "[placement_database]\nconnection = sqlite:////tmp/x.db\nmax_pool_size = 5\n"
	  "max_overflow = 50\nsync_on_startup = true\n[workarounds]\n"
	  "optimize_for_wide_provider_trees = true\n[keystone_authtoken]\nwww_authenticate_uri = "
	  "http://k:5000\nauth_type = password\n[oslo_policy]\npolicy_dirs = policy.d\n"
	  "[somebody_else]\nanything = 1\n[placement]\nmystery_option = 3\n", NOENV, 0,
	  "db_path=/tmp/x.db",
	  "ignored=[DEFAULT] debug, [DEFAULT] log_file, [placement_database] max_pool_size, "
	  "[placement_database] max_overflow, [placement_database] sync_on_startup, "
	  "[workarounds] optimize_for_wide_provider_trees, [keystone_authtoken] www_authenticate_uri, "
	  "[keystone_authtoken] auth_type, [oslo_policy] policy_dirs"),
	R("[oslo_policy]\ndefaults = 15.0.0\n", NOENV, 0, "policy_defaults=15.0.0"),
	R(NULL, NOENV, 0, "policy_defaults=8.0.0", "ignored="),
	R("[oslo_policy]\ndefaults = 9.0.0\n", NOENV, -1, "defaults must be 8.0.0 or 15.0.0"),
	R("[api]\nmax_body_bytes = 1024\n", NOENV, 0, "max_body_bytes=1024"),
	R("[api]\nmax_body_bytes = 1023\n", NOENV, -1, "max_body_bytes must be"),
	/* [placement] */
	R("[placement]\nmax_allocation_candidates = 5\n", NOENV, 0, "max_allocation_candidates=5"),
	R("[placement]\nmax_allocation_candidates = -1\n", NOENV, 0, "max_allocation_candidates=-1"),
	R("[placement]\nmax_allocation_candidates = 0\n", NOENV, -1, "max_allocation_candidates must be"),
	R("[placement]\nmax_allocation_candidates = -2\n", NOENV, -1, "max_allocation_candidates must be"),
	R("[placement]\nmax_allocation_candidates = abc\n", NOENV, -1, "max_allocation_candidates must be"),
	R("[placement]\nmax_allocation_candidates = 5x\n", NOENV, -1, "max_allocation_candidates must be"),
	R("[placement]\nmax_allocation_candidates =\n", NOENV, -1, "max_allocation_candidates must be"),
	R("[placement]\nmax_allocation_candidates = 99999999999999999999\n", NOENV, -1,
	  "max_allocation_candidates must be"),
	R("[placement]\nrandomize_allocation_candidates = True\n", NOENV, 0, "randomize_allocation_candidates=1"),
	R("[placement]\nrandomize_allocation_candidates = yes\n", NOENV, 0, "randomize_allocation_candidates=1"),
	R("[placement]\nrandomize_allocation_candidates = on\n", NOENV, 0, "randomize_allocation_candidates=1"),
	R("[placement]\nrandomize_allocation_candidates = 1\n", NOENV, 0, "randomize_allocation_candidates=1"),
	R("[placement]\nrandomize_allocation_candidates = FALSE\n", NOENV, 0, "randomize_allocation_candidates=0"),
	R("[placement]\nrandomize_allocation_candidates = 0\n", NOENV, 0, "randomize_allocation_candidates=0"),
	R("[placement]\nrandomize_allocation_candidates = maybe\n", NOENV, -1, "must be a boolean"),
	R("[placement]\nrandomize_allocation_candidates = 2\n", NOENV, -1, "must be a boolean"),
	R("[placement]\nallocation_candidates_generation_strategy = breadth-first\n", NOENV, 0,
	  "allocation_candidates_generation_strategy=breadth-first"),
	R("[placement]\nallocation_candidates_generation_strategy = random\n", NOENV, -1,
	  "depth-first or breadth-first"),
	R("[placement]\nallocation_conflict_retry_count = 0\n", NOENV, 0, "allocation_conflict_retry_count=0"),
	R("[placement]\nallocation_conflict_retry_count = 1001\n", NOENV, -1, "allocation_conflict_retry_count must be 0..1000"),
	R("[placement]\nincomplete_consumer_project_id = proj\nincomplete_consumer_user_id = user\n", NOENV, 0,
	  "incomplete_consumer_project_id=proj", "incomplete_consumer_user_id=user"),
	/* [oslo_policy] */
	R("[oslo_policy]\nenforce_scope = true\nenforce_new_defaults = true\n", NOENV, 0,
	  "enforce_scope=1", "enforce_new_defaults=1"),
	R("[oslo_policy]\nmode = secure\n", NOENV, 0, "policy_mode=secure"),
	R("[oslo_policy]\nmode = open\n", NOENV, 0, "policy_mode=open"),
	R("[oslo_policy]\nmode = Secure\n", NOENV, -1, "mode must be legacy, secure or open"),
	R("[oslo_policy]\npolicy_file = /etc/placement/policy.yaml\n", NOENV, 0,
	  "policy_file=/etc/placement/policy.yaml"),
	/* [cors] */
	R("[cors]\nallowed_origin = http://a.example\nmax_age = 3600\nallow_credentials = false\n", NOENV, 0,
	  "cors_allowed_origin=http://a.example", "cors_max_age=3600", "cors_allow_credentials=0"),
	R("[cors]\nallow_headers = X-A,X-B\nexpose_headers = X-C\nallow_methods = GET,PUT\n", NOENV, 0,
	  "cors_allow_headers=X-A,X-B", "cors_expose_headers=X-C", "cors_allow_methods=GET,PUT"),
	R("[cors]\nmax_age = -1\n", NOENV, -1, "max_age must be a non-negative integer"),
	/* unknown options and sections are ignored; comments and blanks */
	R("[placement]\nfoo = bar\n[nosuch]\nconnection = x\n", NOENV, 0, "db_path="),
	R("# comment\n; another\n\n[placement_database]\n  connection = sqlite:////a.db  \n", NOENV, 0,
	  "db_path=/a.db"),
	R("[DEFAULT]\ndebug = true\n", NOENV, 0, "db_path="),
	/* the last of two settings wins */
	R("[placement]\nmax_allocation_candidates = 5\nmax_allocation_candidates = 6\n", NOENV, 0,
	  "max_allocation_candidates=6"),
	/* syntax errors */
	R("[placement\nx = 1\n", NOENV, -1, "syntax error on line 1"),
	R("[placement]\njust words\n", NOENV, -1, "syntax error on line 2"),
	/* environment overrides: after the file, names upper-case */
	R(NULL, E("OS_PLACEMENT_DATABASE__CONNECTION=sqlite:////env.db"), 0, "db_path=/env.db"),
	R("[placement_database]\nconnection = sqlite:////file.db\n",
	  E("OS_PLACEMENT_DATABASE__CONNECTION=sqlite:////env.db"), 0, "db_path=/env.db"),
	R(NULL, E("OS_PLACEMENT__MAX_ALLOCATION_CANDIDATES=7", "OS_API__AUTH_STRATEGY=noauth2"), 0,
	  "max_allocation_candidates=7", "auth_strategy=noauth2"),
	R(NULL, E("OS_CORS__ALLOWED_ORIGIN=http://a/?x=1"), 0, "cors_allowed_origin=http://a/?x=1"),
	R(NULL, E("OS_OSLO_POLICY__MODE=secure"), 0, "policy_mode=secure"),
	R(NULL, E("OS_API__AUTH_STRATEGY=other"), -1, "must be noauth2 or keystone"),
	R(NULL, E("OS_PLACEMENT__MAX_ALLOCATION_CANDIDATES=zero"), -1, "max_allocation_candidates must be"),
	/* not overrides: other variables, no "__", empty parts, no '=' */
	R(NULL, E("PATH=/usr/bin:/bin", "HOME=/root", "OS_PLACEMENT_MAX=1"), 0, "max_allocation_candidates=-1"),
	R(NULL, E("OS___MAX_ALLOCATION_CANDIDATES=1", "OS_PLACEMENT__=1", "OS_PLACEMENT__MAX_ALLOCATION_CANDIDATES"), 0,
	  "max_allocation_candidates=-1"),
	R(NULL, E("os_placement__max_allocation_candidates=3"), 0, "max_allocation_candidates=-1"),
	R(NULL, E("OS_PLACEMENT__MAX_ALLOCATION_CANDIDATES="), -1, "max_allocation_candidates must be"),
#undef R
#undef E
#undef NOENV
};

/* Values too long for their field are refused, not cut. */
static const struct long_case {
	int line;
	const char *section, *key;
	size_t len;
	int rc;
} long_cases[] = {
#define R(s, k, n, rc) {__LINE__, s, k, n, rc}
	R("placement", "incomplete_consumer_project_id", CONF_STR - 1, 0),
	R("placement", "incomplete_consumer_project_id", CONF_STR, -1),
	R("placement", "incomplete_consumer_user_id", CONF_STR, -1),
	R("cors", "allowed_origin", CONF_STR, -1),
	R("oslo_policy", "policy_file", CONF_PATH, -1),
	R("placement_database", "connection", CONF_PATH, -1),
#undef R
};

void
test_config(void)
{
	for (int i = 0; i < NROWS(conf_cases); i++) {
		const struct conf_case *t = &conf_cases[i];
		struct config cfg;
		char err[512] = "";
		char tmp[64];
		config_defaults(&cfg);
		int rc = config_parse(&cfg, t->ini, (char *const *)t->env, err, sizeof(err));
		CHECK_INT(t->line, "config_parse rc", rc, t->rc);
		for (int k = 0; k < 4 && t->expect[k]; k++) {
			if (t->rc < 0) {
				CHECK_HAS(t->line, "error message", err, t->expect[k]);
				continue;
			}
			const char *eq = strchr(t->expect[k], '=');
			char name[64];
			snprintf(name, sizeof(name), "%.*s", (int)(eq - t->expect[k]), t->expect[k]);
			const char *got = field_text(&cfg, name, tmp, sizeof(tmp));
			CHECK(t->line, got != NULL, "unknown field %s", name);
			if (got)
				CHECK_STR(t->line, name, got, eq + 1);
		}
	}
	for (int i = 0; i < NROWS(long_cases); i++) {
		const struct long_case *t = &long_cases[i];
		struct config cfg;
		char err[256] = "";
		char *v = malloc(t->len + 1);
		memset(v, 'a', t->len);
		v[t->len] = '\0';
		if (strcmp(t->key, "connection") == 0)
			memcpy(v, "sqlite:////", 11);
		config_defaults(&cfg);
		CHECK_INT(t->line, "config_set rc", config_set(&cfg, t->section, t->key, v, err, sizeof(err)), t->rc);
		if (t->rc < 0)
			CHECK_HAS(t->line, "message", err, "too long");
		free(v);
	}
}
