/* placement.conf: parsing its sections and keys into struct config, with
 * the reference's defaults (no I/O here: the host reads the file); see config.h. */
#include "config.h"
#include <ini.h>
#include <ctype.h>
#include <stddef.h>
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
	cfg->db_read_timeout_s = 60;
	cfg->db_write_timeout_s = 60;
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
	snprintf(cfg->policy_defaults, sizeof(cfg->policy_defaults), "8.0.0");
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
sqlite_url(struct config *cfg, const char *url)
{
	const char *p = url + 10;
	size_t n = strcspn(p, "?");
	if (n == 0 || n >= sizeof(cfg->db_path))
		return -1;
	memcpy(cfg->db_path, p, n);
	cfg->db_path[n] = '\0';
	cfg->db_kind = CONF_DB_SQLITE;
	return 0;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Copies n bytes of src percent-decoded (and '+' as a blank when plus)
 * as Python's unquote does: a '%' without two hex digits stays.  -1 when
 * it does not fit or decodes to a NUL. */
static int
url_decode(char *dst, size_t dstlen, const char *src, size_t n, int plus)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)src[i];
		if (ch == '%' && i + 2 < n && hexval((unsigned char)src[i + 1]) >= 0 &&
		    hexval((unsigned char)src[i + 2]) >= 0) {
			ch = hexval((unsigned char)src[i + 1]) * 16 + hexval((unsigned char)src[i + 2]);
			i += 2;
			if (ch == 0)
				return -1;
		} else if (ch == '+' && plus) {
			ch = ' ';
		}
		if (j + 1 >= dstlen)
			return -1;
		dst[j++] = (char)ch;
	}
	dst[j] = '\0';
	return 0;
}

/* Is the scheme (n bytes) mysql or mariadb, with or without +driver? */
static int
mysql_scheme(const char *s, size_t n)
{
	size_t base = strcspn(s, "+");
	if (base > n)
		base = n;
	if (!(base == 5 && strncmp(s, "mysql", 5) == 0) && !(base == 7 && strncmp(s, "mariadb", 7) == 0))
		return 0;
	for (size_t i = base + 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return base == n || base + 1 < n;
}

/* [v6host] or host, then :port, in p..auth_end; 0, or -1 with err set. */
static int
url_host_port(struct config *cfg, const char *p, const char *auth_end, char *err, size_t errlen)
{
	const char *hend;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(auth_end - p));
		if (close == NULL || close == p + 1 || (size_t)(close - p - 1) >= sizeof(cfg->db_host)) {
			snprintf(err, errlen, "bad host");
			return -1;
		}
		memcpy(cfg->db_host, p + 1, (size_t)(close - p - 1));
		cfg->db_host[close - p - 1] = '\0';
		hend = close + 1;
		if (hend < auth_end && *hend != ':') {
			snprintf(err, errlen, "bad host");
			return -1;
		}
	} else {
		hend = p + strcspn(p, ":/?");
		if ((size_t)(hend - p) >= sizeof(cfg->db_host)) {
			snprintf(err, errlen, "bad host");
			return -1;
		}
		memcpy(cfg->db_host, p, (size_t)(hend - p));
		cfg->db_host[hend - p] = '\0';
	}
	p = hend;
	if (*p == ':') {
		long port = 0;
		const char *d = ++p;
		while (p < auth_end && isdigit((unsigned char)*p) && port <= 65535)
			port = port * 10 + (*p++ - '0');
		if (p != auth_end || p == d || port < 1 || port > 65535) {
			snprintf(err, errlen, "bad port");
			return -1;
		}
		cfg->db_port = (int)port;
	}
	return 0;
}

/* The URL's options after '?': unix_socket is ours; 0, or -1 with err. */
static int
url_options(struct config *cfg, const char *p, char *err, size_t errlen)
{
	while (*p) {
		size_t n = strcspn(p, "&;");
		const char *eq = memchr(p, '=', n);
		if (eq != NULL && (size_t)(eq - p) == 11 && strncmp(p, "unix_socket", 11) == 0 &&
		    url_decode(cfg->db_socket, sizeof(cfg->db_socket), eq + 1,
		               n - 12, 1) < 0) {
			snprintf(err, errlen, "bad unix_socket");
			return -1;
		}
		/* charset and the driver's other options do not concern
		 * us: the connection always speaks utf8mb4. */
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* dialect[+driver]://[user[:password]@][host|[v6host]][:port][/dbname][?k=v&...]
 * as SQLAlchemy's make_url reads it (user and password percent-decoded). */
static int
mysql_url(struct config *cfg, const char *url, char *err, size_t errlen)
{
	const char *p = strstr(url, "://") + 3;
	const char *auth_end = p + strcspn(p, "/?");
	const char *at = memchr(p, '@', (size_t)(auth_end - p));
	if (at != NULL) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		const char *uend = colon ? colon : at;
		if (memchr(p, '/', (size_t)(uend - p)) ||
		    url_decode(cfg->db_user, sizeof(cfg->db_user), p, (size_t)(uend - p), 0) < 0) {
			snprintf(err, errlen, "bad user name");
			return -1;
		}
		if (colon && url_decode(cfg->db_password, sizeof(cfg->db_password), colon + 1,
		                        (size_t)(at - colon - 1), 0) < 0) {
			snprintf(err, errlen, "bad password");
			return -1;
		}
		p = at + 1;
	}
	if (url_host_port(cfg, p, auth_end, err, errlen) < 0)
		return -1;
	p = auth_end;
	if (*p == '/') {
		p++;
		size_t n = strcspn(p, "?");
		if (url_decode(cfg->db_name, sizeof(cfg->db_name), p, n, 0) < 0) {
			snprintf(err, errlen, "bad database name");
			return -1;
		}
		p += n;
	}
	if (cfg->db_name[0] == '\0') {
		snprintf(err, errlen, "no database name");
		return -1;
	}
	if (*p == '?' && url_options(cfg, p + 1, err, errlen) < 0)
		return -1;
	cfg->db_kind = CONF_DB_MYSQL;
	return 0;
}

int
config_parse_connection(struct config *cfg, const char *url, char *err, size_t errlen)
{
	char why[128] = "";
	cfg->db_kind = CONF_DB_NONE;
	cfg->db_path[0] = cfg->db_host[0] = cfg->db_user[0] = '\0';
	cfg->db_password[0] = cfg->db_name[0] = cfg->db_socket[0] = '\0';
	cfg->db_port = 0;
	if (url[0] == '\0')
		return 0;
	const char *sep = strstr(url, "://");
	int rc = -1;
	if (strncmp(url, "sqlite:///", 10) == 0)
		rc = sqlite_url(cfg, url);
	else if (sep != NULL && mysql_scheme(url, (size_t)(sep - url)))
		rc = mysql_url(cfg, url, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "unsupported scheme");
	if (rc == 0)
		return 0;
	char shown[512];
	config_redact_url(url, shown, sizeof(shown));
	snprintf(err, errlen, "[placement_database] connection: %s%sexpected sqlite:////absolute/path "
	         "or mysql+pymysql://user:password@host[:port]/dbname[?unix_socket=/path], got '%s'",
	         why, why[0] ? "; " : "", shown);
	cfg->db_kind = CONF_DB_NONE;
	cfg->db_password[0] = '\0';
	return -1;
}

void
config_redact_url(const char *url, char *out, size_t outlen)
{
	const char *sep = strstr(url, "://");
	const char *at = sep ? strrchr(sep + 3, '@') : NULL;
	if (sep == NULL || at == NULL) {
		snprintf(out, outlen, "%s", url);
		return;
	}
	const char *user = sep + 3;
	const char *colon = memchr(user, ':', (size_t)(at - user));
	if (colon == NULL) {
		snprintf(out, outlen, "%s", url);
		return;
	}
	snprintf(out, outlen, "%.*s***%s", (int)(colon + 1 - url), url, at);
}

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* Options of upstream Placement 15.0.0 (its own, oslo.db's, oslo.log's,
 * oslo.policy's, keystonemiddleware's, ...) that mean nothing to this
 * service: a configuration written for upstream loads as it is, and says
 * which of them it set.  "*": every key of the section. */
static const struct { const char *section, *key; } upstream_options[] = {
	{"DEFAULT", "debug"}, {"DEFAULT", "log_file"}, {"DEFAULT", "log_dir"},
	{"DEFAULT", "log_config_append"}, {"DEFAULT", "use_stderr"}, {"DEFAULT", "use_syslog"},
	{"DEFAULT", "use_journal"}, {"DEFAULT", "use_json"}, {"DEFAULT", "syslog_log_facility"},
	{"DEFAULT", "log_date_format"}, {"DEFAULT", "logging_context_format_string"},
	{"DEFAULT", "logging_default_format_string"}, {"DEFAULT", "default_log_levels"},
	{"DEFAULT", "watch_log_file"}, {"DEFAULT", "publish_errors"},
	{"DEFAULT", "state_path"}, {"DEFAULT", "pybasedir"}, {"DEFAULT", "tempdir"},
	{"placement", "policy_file"},
	{"placement_database", "connection_parameters"}, {"placement_database", "sqlite_synchronous"},
	{"placement_database", "slave_connection"}, {"placement_database", "mysql_sql_mode"},
	{"placement_database", "mysql_wsrep_sync_wait"}, {"placement_database", "connection_debug"},
	{"placement_database", "connection_trace"}, {"placement_database", "max_pool_size"},
	{"placement_database", "max_overflow"}, {"placement_database", "pool_timeout"},
	{"placement_database", "connection_recycle_time"}, {"placement_database", "max_retries"},
	{"placement_database", "retry_interval"}, {"placement_database", "db_max_retries"},
	{"placement_database", "db_retry_interval"}, {"placement_database", "db_inc_retry_interval"},
	{"placement_database", "db_max_retry_interval"}, {"placement_database", "sync_on_startup"},
	{"placement_database", "backend"}, {"placement_database", "use_db_reconnect"},
	{"placement_database", "mysql_enable_ndb"}, {"placement_database", "asyncio_connection"},
	{"placement_database", "asyncio_slave_connection"},
	{"workarounds", "optimize_for_wide_provider_trees"},
	{"oslo_policy", "policy_default_rule"}, {"oslo_policy", "policy_dirs"},
	{"oslo_policy", "remote_content_type"}, {"oslo_policy", "remote_ssl_verify_server_crt"},
	{"oslo_policy", "remote_ssl_ca_crt_file"}, {"oslo_policy", "remote_ssl_client_crt_file"},
	{"oslo_policy", "remote_ssl_client_key_file"}, {"oslo_policy", "remote_timeout"},
	{"keystone_authtoken", "*"}, {"keystone", "*"}, {"profiler", "*"},
	{"oslo_middleware", "*"}, {"oslo_concurrency", "*"}, {"oslo_messaging_notifications", "*"},
	{"healthcheck", "*"}, {"os_brick", "*"},
};

static int
is_upstream_option(const char *section, const char *key)
{
	for (size_t i = 0; i < sizeof(upstream_options) / sizeof(upstream_options[0]); i++)
		if (!strcasecmp(section, upstream_options[i].section) &&
		    (!strcmp(upstream_options[i].key, "*") || !strcasecmp(key, upstream_options[i].key)))
			return 1;
	return 0;
}

/* Adds text (or "[section] key") to cfg->ignored, once. */
static void
note_ignored_as(struct config *cfg, const char *text)
{
	size_t have = strlen(cfg->ignored), n = strlen(text);
	if (strstr(cfg->ignored, text) != NULL)
		return;
	if (have + n + 6 >= sizeof(cfg->ignored)) {
		if (have + 4 < sizeof(cfg->ignored) && (have < 3 || strcmp(cfg->ignored + have - 3, "...")))
			snprintf(cfg->ignored + have, sizeof(cfg->ignored) - have, "%s...", have ? ", " : "");
		return;
	}
	snprintf(cfg->ignored + have, sizeof(cfg->ignored) - have, "%s%s", have ? ", " : "", text);
}

static void
note_ignored_option(struct config *cfg, const char *section, const char *key)
{
	char text[160];
	snprintf(text, sizeof(text), "[%.60s] %.80s", section, key);
	note_ignored_as(cfg, text);
}

/* The options of placement.conf as data: where each goes in struct
 * config, how its value is read, and the message when it is refused. */
enum opt_kind {
	OPT_STR,        /* text that fits the field */
	OPT_CHOICE,     /* one of choices, "a|b", as written */
	OPT_CHOICE_ANYCASE,
	OPT_INT,        /* lo..hi into an int */
	OPT_LONG,       /* lo..hi into a long */
	OPT_CAP,        /* -1 (no cap) or 1..hi into a long */
	OPT_BOOL,
	OPT_OWN,        /* read by set_own() */
};

struct option {
	const char *section, *key;
	enum opt_kind kind;
	size_t off, size;
	long lo, hi;
	const char *choices;
	const char *bad;
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
static const struct option options[] = {
	{"placement_database", "connection", OPT_OWN, FIELD(connection), 0, 0, NULL,
	 "[placement_database] connection is too long"},
	{"placement_database", "synchronous", OPT_CHOICE_ANYCASE, FIELD(db_sync), 0, 0, "full|normal",
	 "[placement_database] synchronous must be full or normal"},
	{"placement_database", "busy_timeout_ms", OPT_INT, FIELD(db_busy_timeout_ms), 0, 600000, NULL,
	 "[placement_database] busy_timeout_ms must be 0..600000"},
	{"placement_database", "read_timeout", OPT_INT, FIELD(db_read_timeout_s), 1, 3600, NULL,
	 "[placement_database] read_timeout must be 1..3600 (seconds)"},
	{"placement_database", "write_timeout", OPT_INT, FIELD(db_write_timeout_s), 1, 3600, NULL,
	 "[placement_database] write_timeout must be 1..3600 (seconds)"},
	{"api", "auth_strategy", OPT_OWN, 0, 0, 0, 0, NULL,
	 "[api] auth_strategy must be noauth2 or keystone, got '%s'"},
	{"api", "max_body_bytes", OPT_LONG, FIELD(max_body_bytes), 1024, 1L << 30, NULL,
	 "[api] max_body_bytes must be 1024..1073741824"},
	{"placement", "randomize_allocation_candidates", OPT_BOOL, FIELD(randomize_allocation_candidates), 0, 0,
	 NULL, "[placement] randomize_allocation_candidates must be a boolean"},
	{"placement", "explain_empty_answers", OPT_BOOL, FIELD(explain_empty_answers), 0, 0,
	 NULL, "[placement] explain_empty_answers must be a boolean"},
	{"placement", "max_allocation_candidates", OPT_CAP, FIELD(max_allocation_candidates), -1, 1L << 30,
	 NULL, "[placement] max_allocation_candidates must be -1 or a positive integer"},
	{"placement", "allocation_candidates_generation_strategy", OPT_CHOICE,
	 FIELD(allocation_candidates_generation_strategy), 0, 0, "depth-first|breadth-first",
	 "[placement] allocation_candidates_generation_strategy must be depth-first or breadth-first"},
	{"placement", "allocation_conflict_retry_count", OPT_INT, FIELD(allocation_conflict_retry_count), 0, 1000,
	 NULL, "[placement] allocation_conflict_retry_count must be 0..1000"},
	{"placement", "incomplete_consumer_project_id", OPT_STR, FIELD(incomplete_consumer_project_id), 0, 0,
	 NULL, "[placement] incomplete_consumer_project_id is too long"},
	{"placement", "incomplete_consumer_user_id", OPT_STR, FIELD(incomplete_consumer_user_id), 0, 0,
	 NULL, "[placement] incomplete_consumer_user_id is too long"},
	{"oslo_policy", "enforce_scope", OPT_BOOL, FIELD(enforce_scope), 0, 0, NULL,
	 "[oslo_policy] enforce_scope must be a boolean"},
	{"oslo_policy", "enforce_new_defaults", OPT_BOOL, FIELD(enforce_new_defaults), 0, 0, NULL,
	 "[oslo_policy] enforce_new_defaults must be a boolean"},
	{"oslo_policy", "policy_file", OPT_STR, FIELD(policy_file), 0, 0, NULL,
	 "[oslo_policy] policy_file is too long"},
	{"oslo_policy", "mode", OPT_CHOICE, FIELD(policy_mode), 0, 0, "legacy|secure|open",
	 "[oslo_policy] mode must be legacy, secure or open"},
	{"oslo_policy", "defaults", OPT_CHOICE, FIELD(policy_defaults), 0, 0, "8.0.0|15.0.0",
	 "[oslo_policy] defaults must be 8.0.0 or 15.0.0"},
	{"cors", "allowed_origin", OPT_STR, FIELD(cors_allowed_origin), 0, 0, NULL,
	 "[cors] allowed_origin is too long"},
	{"cors", "allow_headers", OPT_STR, FIELD(cors_allow_headers), 0, 0, NULL,
	 "[cors] allow_headers is too long"},
	{"cors", "expose_headers", OPT_STR, FIELD(cors_expose_headers), 0, 0, NULL,
	 "[cors] expose_headers is too long"},
	{"cors", "allow_methods", OPT_STR, FIELD(cors_allow_methods), 0, 0, NULL,
	 "[cors] allow_methods is too long"},
	{"cors", "max_age", OPT_LONG, FIELD(cors_max_age), 0, 1L << 30, NULL,
	 "[cors] max_age must be a non-negative integer"},
	{"cors", "allow_credentials", OPT_BOOL, FIELD(cors_allow_credentials), 0, 0, NULL,
	 "[cors] allow_credentials must be a boolean"},
};
#undef FIELD

/* Whether value is one of choices ("a|b"). */
static int
is_choice(const char *choices, const char *value, int anycase)
{
	size_t n = strlen(value);
	for (const char *p = choices; *p;) {
		size_t len = strcspn(p, "|");
		if (len == n && (anycase ? strncasecmp(p, value, n) : strncmp(p, value, n)) == 0)
			return 1;
		p += len + (p[len] == '|');
	}
	return 0;
}

/* The options that are more than a kind (the connection URL and
 * auth_strategy): 0, or -1 with err set. */
static int
set_own(struct config *cfg, const struct option *o, const char *value, char *err, size_t errlen)
{
	if (strcmp(o->key, "connection") == 0) {
		if (copy_str(cfg->connection, sizeof(cfg->connection), value) < 0)
			BAD("%s", o->bad);
		return config_parse_connection(cfg, value, err, errlen);
	}
	/* auth_strategy: keystone, as upstream's deployment tools write it:
	 * tokens are not checked here, the web server sets the identity
	 * headers (see apache/, nginx/, lighttpd/), so it is noauth2 */
	if (strcmp(value, "noauth2") != 0 && strcmp(value, "keystone") != 0)
		BAD(o->bad, value);
	if (strcmp(value, "keystone") == 0)
		note_ignored_as(cfg, "[api] auth_strategy = keystone (the web server sets the identity)");
	return 0;
}

int
config_set(struct config *cfg, const char *section, const char *key,
           const char *value, char *err, size_t errlen)
{
	const struct option *o = NULL;
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]) && o == NULL; i++)
		if (!strcasecmp(section, options[i].section) && !strcasecmp(key, options[i].key))
			o = &options[i];
	if (o == NULL) {
		if (is_upstream_option(section, key))
			note_ignored_option(cfg, section, key);
		return 0;
	}
	char *field = (char *)cfg + o->off;
	long n;
	int b;
	switch (o->kind) {
	case OPT_STR:
		if (copy_str(field, o->size, value) < 0)
			BAD("%s", o->bad);
		return 0;
	case OPT_CHOICE:
	case OPT_CHOICE_ANYCASE:
		if (!is_choice(o->choices, value, o->kind == OPT_CHOICE_ANYCASE))
			BAD("%s", o->bad);
		snprintf(field, o->size, "%s", value);
		return 0;
	case OPT_INT:
	case OPT_LONG:
	case OPT_CAP:
		if (parse_long(value, o->lo, o->hi, &n) < 0 || (o->kind == OPT_CAP && n == 0))
			BAD("%s", o->bad);
		if (o->kind == OPT_INT)
			*(int *)(void *)field = (int)n;
		else
			*(long *)(void *)field = n;
		return 0;
	case OPT_BOOL:
		if (parse_bool(value, &b) < 0)
			BAD("%s", o->bad);
		*(int *)(void *)field = b;
		return 0;
	case OPT_OWN:
		break;
	}
	return set_own(cfg, o, value, err, errlen);
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
