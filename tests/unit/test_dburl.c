/* The MariaDB side of the database configuration: connection URLs as the
 * reference's SQLAlchemy reads them (config_parse_connection), passwords
 * kept out of messages (config_redact_url), and the rewriting of sqlite's
 * numbered parameters into MariaDB's positional ones. */
#include "harness.h"
#include "../../common/util/config.h"
#include "../../sql/mysql_db.h"
#include <stdio.h>
#include <string.h>

static const struct url_case {
	int line;
	const char *url;
	int rc;
	int kind;
	const char *host, *user, *password, *name, *socket, *path;
	int port;
	const char *msg;          /* rc -1: a piece of the message */
} url_cases[] = {
#define OK(url, kind, host, user, pw, name, sock, path, port) \
	{__LINE__, url, 0, kind, host, user, pw, name, sock, path, port, NULL}
#define BAD(url, msg) {__LINE__, url, -1, 0, "", "", "", "", "", "", 0, msg}
	OK("", CONF_DB_NONE, "", "", "", "", "", "", 0),
	OK("sqlite:////var/lib/p.db", CONF_DB_SQLITE, "", "", "", "", "", "/var/lib/p.db", 0),
	OK("mysql+pymysql://placement:secret@db.example/placement?charset=utf8",
	   CONF_DB_MYSQL, "db.example", "placement", "secret", "placement", "", "", 0),
	OK("mysql://u:p@10.0.0.5:3307/pl", CONF_DB_MYSQL, "10.0.0.5", "u", "p", "pl", "", "", 3307),
	OK("mysql+pymysql://root@localhost/placement?unix_socket=/run/mysqld/mysqld.sock&charset=utf8",
	   CONF_DB_MYSQL, "localhost", "root", "", "placement", "/run/mysqld/mysqld.sock", "", 0),
	OK("mysql+pymysql://root@/placement?unix_socket=/tmp/my%20sock",
	   CONF_DB_MYSQL, "", "root", "", "placement", "/tmp/my sock", "", 0),
	OK("mariadb+pymysql://u:pa%40ss%3Aw@[::1]:3306/placement",
	   CONF_DB_MYSQL, "::1", "u", "pa@ss:w", "placement", "", "", 3306),
	OK("mysql+mysqldb://u:@h/d", CONF_DB_MYSQL, "h", "u", "", "d", "", "", 0),
	OK("mysql://h/d", CONF_DB_MYSQL, "h", "", "", "d", "", "", 0),
	OK("mysql://u:p%zz@h/d", CONF_DB_MYSQL, "h", "u", "p%zz", "d", "", "", 0),
	OK("mysql://u:p@h/d?charset=utf8&unix_socket=/s;x=1", CONF_DB_MYSQL, "h", "u", "p", "d", "/s", "", 0),
	BAD("mysql://u:secret@h", "no database name"),
	BAD("mysql://u:secret@h/", "no database name"),
	BAD("mysql://u:secret@h:0/d", "bad port"),
	BAD("mysql://u:secret@h:70000/d", "bad port"),
	BAD("mysql://u:secret@h:33x/d", "bad port"),
	BAD("mysql://u:secret@[::1/d", "bad host"),
	BAD("mysql://u:se%00cret@h/d", "bad password"),
	BAD("mysql+://u:secret@h/d", "unsupported scheme"),
	BAD("mysqlx://u:secret@h/d", "unsupported scheme"),
	BAD("postgresql+psycopg2://u:secret@h/d", "unsupported scheme"),
	BAD("sqlite:///", "connection"),
#undef OK
#undef BAD
};

/* Messages show the URL with its password hidden. */
static const struct redact_case {
	int line;
	const char *url, *want;
} redact_cases[] = {
	{__LINE__, "mysql://u:secret@h/d", "mysql://u:***@h/d"},
	{__LINE__, "mysql://u@h/d", "mysql://u@h/d"},
	{__LINE__, "mysql://u:a@b@h/d", "mysql://u:***@h/d"},
	{__LINE__, "mysql://h/d?x=a:b@c", "mysql://h/d?x=a:***@c"},
	{__LINE__, "sqlite:////a/b", "sqlite:////a/b"},
};

static const struct rewrite_case {
	int line;
	const char *in, *out;
	int n;
	unsigned char map[6];
} rewrite_cases[] = {
	{__LINE__, "SELECT 1", "SELECT 1", 0, {0}},
	{__LINE__, "SELECT a FROM t WHERE x = ?1 AND y = ?2", "SELECT a FROM t WHERE x = ? AND y = ?", 2, {1, 2}},
	{__LINE__, "VALUES (?5, ?1, ?2)", "VALUES (?, ?, ?)", 3, {5, 1, 2}},
	{__LINE__, "WHERE (?2 = 0 OR r = ?2) AND c = ?1", "WHERE (? = 0 OR r = ?) AND c = ?", 3, {2, 2, 1}},
	{__LINE__, "JSON_TABLE(?1, '$[*]' COLUMNS (v BIGINT PATH '$'))",
	 "JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$'))", 1, {1}},
	{__LINE__, "SELECT '?1', \"?2\", `?3`, ?12", "SELECT '?1', \"?2\", `?3`, ?", 1, {12}},
	{__LINE__, "SELECT 'it''s ?1', 'a\\'?2', ?3", "SELECT 'it''s ?1', 'a\\'?2', ?", 1, {3}},
	{__LINE__, "-- what's ?1\nSELECT ?1", "-- what's ?1\nSELECT ?", 1, {1}},
	{__LINE__, "SELECT ?255", "SELECT ?", 1, {255}},
	{__LINE__, "SELECT ?", NULL, -1, {0}},
	{__LINE__, "SELECT ?0", NULL, -1, {0}},
	{__LINE__, "SELECT ?256", NULL, -1, {0}},
	{__LINE__, "SELECT ?1, ?1, ?1, ?1, ?1, ?1, ?1", NULL, -1, {0}},   /* more than maxmap */
};

static const struct split_case {
	int line;
	const char *in;
	size_t len;
} split_cases[] = {
	{__LINE__, "SELECT 1", 8},
	{__LINE__, "UPDATE t SET a = 1; DELETE FROM t", 18},
	{__LINE__, "SELECT ';'; SELECT 2", 10},
	{__LINE__, "-- a; b\nSELECT 1; x", 16},
	{__LINE__, "", 0},
};

void
test_dburl(void)
{
	for (int i = 0; i < NROWS(url_cases); i++) {
		const struct url_case *t = &url_cases[i];
		struct config cfg;
		char err[1024] = "";
		config_defaults(&cfg);
		int rc = config_parse_connection(&cfg, t->url, err, sizeof(err));
		CHECK_INT(t->line, "rc", rc, t->rc);
		if (rc < 0) {
			CHECK_HAS(t->line, "message", err, t->msg);
			CHECK(t->line, strstr(err, "secret") == NULL, "password in the message: %s", err);
			CHECK_INT(t->line, "kind after an error", cfg.db_kind, CONF_DB_NONE);
			continue;
		}
		CHECK_INT(t->line, "kind", cfg.db_kind, t->kind);
		CHECK_STR(t->line, "host", cfg.db_host, t->host);
		CHECK_STR(t->line, "user", cfg.db_user, t->user);
		CHECK_STR(t->line, "password", cfg.db_password, t->password);
		CHECK_STR(t->line, "name", cfg.db_name, t->name);
		CHECK_STR(t->line, "socket", cfg.db_socket, t->socket);
		CHECK_STR(t->line, "path", cfg.db_path, t->path);
		CHECK_INT(t->line, "port", cfg.db_port, t->port);
	}
	for (int i = 0; i < NROWS(redact_cases); i++) {
		char out[256];
		config_redact_url(redact_cases[i].url, out, sizeof(out));
		CHECK_STR(redact_cases[i].line, "redacted", out, redact_cases[i].want);
	}
	for (int i = 0; i < NROWS(rewrite_cases); i++) {
		const struct rewrite_case *t = &rewrite_cases[i];
		char out[256];
		unsigned char map[6] = {0};
		int n = mysql_rewrite_params(t->in, strlen(t->in), out, sizeof(out), map, 6);
		CHECK_INT(t->line, "parameters", n, t->n);
		if (n < 0)
			continue;
		CHECK_STR(t->line, "text", out, t->out);
		for (int k = 0; k < n; k++)
			CHECK_INT(t->line, "map", map[k], t->map[k]);
	}
	/* out too small: refused, not cut */
	char small[8], exact[9];
	unsigned char map[4];
	CHECK_INT(__LINE__, "small out", mysql_rewrite_params("SELECT ?1", 9, small, sizeof(small), map, 4), -1);
	CHECK_INT(__LINE__, "exact out", mysql_rewrite_params("SELECT ?1", 9, exact, sizeof(exact), map, 4), 1);
	for (int i = 0; i < NROWS(split_cases); i++)
		CHECK_INT(split_cases[i].line, "statement length", (long long)mysql_statement_len(split_cases[i].in),
		          (long long)split_cases[i].len);
}
