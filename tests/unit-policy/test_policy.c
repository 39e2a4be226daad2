/* Unit tests of the policy engine (check-string parser and evaluator,
 * the three modes, policy files) and of CORS.  Table-driven; prints
 * "N passed, M failed" and exits non-zero on any failure. */
#include "../../common/util/buf.h"
#include "../../common/http/policy.h"
#include "../../common/http/cors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) passed++; \
	else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

/* The app's resp_header, which cors.c uses (app.c is not linked here). */
void
resp_header(struct response *r, const char *name, const char *value)
{
	if (r->nheaders < RESP_MAXHEADERS) {
		r->headers[r->nheaders].name = name;
		r->headers[r->nheaders].value = value;
		r->nheaders++;
	}
}

/* --- identities of the reference's RBAC tests --- */
static const struct identity sys_admin = {"user", NULL, "admin,member,reader", 1};
static const struct identity sys_reader = {"user", NULL, "reader", 1};
static const struct identity prj_admin = {"user", "p1", "admin,member,reader", 0};
static const struct identity prj_member = {"user", "p1", "member,reader", 0};
static const struct identity prj_reader = {"user", "p1", "reader", 0};
static const struct identity alt_reader = {"user", "p2", "reader", 0};
static const struct identity nobody = {"someone", "p1", "", 0};
static const struct identity admin_token = {"admin", "admin", "admin", 0};
static const struct identity role_p1 = {"u", "p1", "p1", 0};

static void
mode(struct config *cfg, const char *m)
{
	config_defaults(cfg);
	snprintf(cfg->policy_mode, sizeof(cfg->policy_mode), "%s", m);
	if (!strcmp(m, "secure"))
		cfg->enforce_scope = cfg->enforce_new_defaults = 1;
}

/* --- 1. parser: canonical form or an error --- */
static void
test_parser(void)
{
	static const struct { const char *in, *out, *err; } t[] = {
		{"", "@", NULL},
		{"@", "@", NULL},
		{"!", "!", NULL},
		{"role:admin", "role:admin", NULL},
		{"  role:admin  ", "role:admin", NULL},
		{"role:admin and system_scope:all", "(role:admin and system_scope:all)", NULL},
		{"role:a or role:b or role:c", "(role:a or role:b or role:c)", NULL},
		{"role:a and role:b or role:c and role:d", "((role:a and role:b) or (role:c and role:d))", NULL},
		{"role:a or role:b and role:c", "(role:a or (role:b and role:c))", NULL},
		{"(role:a or role:b) and not role:c", "((role:a or role:b) and not role:c)", NULL},
		{"role:a and (role:b or not (role:c))", "(role:a and (role:b or not role:c))", NULL},
		{"not not @", "not not @", NULL},
		{"NOT role:a AND role:b", "(not role:a and role:b)", NULL},
		{"((role:a))", "role:a", NULL},
		{"role:x:y", "role:x:y", NULL},
		{"project_id:%(project_id)s", "project_id:%(project_id)s", NULL},
		{"user_id:%(user_id)s", "user_id:%(user_id)s", NULL},
		{"'member':%(project_id)s", "'member':%(project_id)s", NULL},
		{"True:%(user_id)s", "True:%(user_id)s", NULL},
		{"rule:system_reader_api or rule:project_reader_api",
		 "(rule:system_reader_api or rule:project_reader_api)", NULL},
		{"role:100%%", "role:100%%", NULL},
		/* malformed: each an error, never a silent allow */
		{"   ", NULL, "blank"},
		{"role", NULL, "not a check"},
		{"role:a and", NULL, "missing"},
		{"and role:a", NULL, "expected"},
		{"role:a or or role:b", NULL, "expected"},
		{"(role:a", NULL, "')' expected"},
		{"role:a)", NULL, "unexpected"},
		{"()", NULL, "expected"},
		{"role:a role:b", NULL, "unexpected"},
		{"\"role:a\"", NULL, "quoted"},
		{"not", NULL, "missing"},
		{"foo:bar", NULL, "unknown check kind"},
		{"foo.bar:x", NULL, "unknown check kind"},
		{"http:example.com", NULL, "not supported"},
		{"role:%(domain_id)s", NULL, "substituted"},
		{"role:50%", NULL, "substituted"},
		{"rule:", NULL, "rule name"},
		{"((((((((((((((((((((((((((((((((((((role:a))))))))))))))))))))))))))))))))))))", NULL, "deeply"},
	};
	char out[512], err[512];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = '\0';
		struct policy_node *n = policy_parse(t[i].in, err, sizeof(err));
		if (t[i].out) {
			policy_node_str(n, out, sizeof(out));
			CHECK(n && !strcmp(out, t[i].out), "parse '%s': got '%s' (%s), want '%s'",
			      t[i].in, n ? out : "NULL", err, t[i].out);
		} else {
			CHECK(n == NULL && strstr(err, t[i].err), "parse '%s': want error ~'%s', got %s '%s'",
			      t[i].in, t[i].err, n ? "success" : "error", err);
		}
		policy_node_free(n);
	}
}

/* --- 2. evaluator: one check string, one identity --- */
static void
test_eval(void)
{
	static const struct {
		const char *check;
		const struct identity *who;
		const char *target;
		int want;
	} t[] = {
		{"@", &nobody, NULL, 1},
		{"!", &sys_admin, NULL, 0},
		{"", &nobody, NULL, 1},
		{"role:admin", &prj_admin, NULL, 1},
		{"role:ADMIN", &prj_admin, NULL, 1},
		{"role:admin", &prj_member, NULL, 0},
		{"role:admi", &prj_admin, NULL, 0},
		{"role:reader and system_scope:all", &sys_reader, NULL, 1},
		{"role:reader and system_scope:all", &prj_reader, NULL, 0},
		{"system_scope:None", &prj_reader, NULL, 1},
		{"system:all", &sys_reader, NULL, 1},
		{"system:all", &prj_reader, NULL, 0},
		{"not role:admin", &prj_member, NULL, 1},
		{"not role:admin", &prj_admin, NULL, 0},
		{"role:x or role:member", &prj_member, NULL, 1},
		{"role:member and not role:admin", &prj_admin, NULL, 0},
		{"(role:a or role:reader) and (role:b or role:member)", &prj_member, NULL, 1},
		/* the target: default {project_id, user_id} of the caller */
		{"project_id:%(project_id)s", &prj_reader, NULL, 1},
		{"project_id:%(project_id)s", &prj_reader, "p1", 1},
		{"project_id:%(project_id)s", &prj_reader, "p2", 0},
		{"project_id:%(project_id)s", &alt_reader, "p1", 0},
		{"project_id:p1", &prj_reader, NULL, 1},
		{"user_id:%(user_id)s", &nobody, NULL, 1},
		/* an explicit target has no user_id: the check fails */
		{"user_id:%(user_id)s", &nobody, "p1", 0},
		{"user_id:someone", &nobody, "p1", 1},
		{"role:%(project_id)s", &role_p1, NULL, 1},
		{"'p1':%(project_id)s", &prj_reader, NULL, 1},
		{"'p1':%(project_id)s", &alt_reader, NULL, 0},
		{"roles:member", &prj_member, NULL, 1},
		{"roles:admin", &prj_member, NULL, 0},
		{"is_admin_project:True", &nobody, NULL, 1},
		{"rule:system_reader_api", &sys_reader, NULL, 1},
		{"rule:system_reader_api", &prj_member, NULL, 0},
		/* legacy: the deprecated role:admin passes too */
		{"rule:system_admin_api", &admin_token, NULL, 1},
		{"rule:project_reader_api", &prj_reader, "p1", 1},
		{"rule:project_reader_api", &prj_reader, "p2", 0},
	};
	struct config cfg;
	char err[256];
	mode(&cfg, "legacy");
	policy_free();
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct policy_node *n = policy_parse(t[i].check, err, sizeof(err));
		int got = n ? policy_eval(&cfg, n, t[i].who, t[i].target) : -1;
		CHECK(got == t[i].want, "eval '%s' for %s/%s/%s on %s: got %d want %d (%s)",
		      t[i].check, t[i].who->user_id, t[i].who->project_id ? t[i].who->project_id : "-",
		      t[i].who->roles, t[i].target ? t[i].target : "(default)", got, t[i].want,
		      n ? "" : err);
		policy_node_free(n);
	}
}

/* --- 3. the modes, rule by rule --- */
static void
test_modes(void)
{
	static const struct {
		const char *mode, *rule;
		const struct identity *who;
		const char *target;
		int want;
	} t[] = {
		/* legacy: new default OR role:admin; no scope check */
		{"legacy", "placement:resource_providers:list", &sys_admin, NULL, 1},
		{"legacy", "placement:resource_providers:list", &sys_reader, NULL, 1},
		{"legacy", "placement:resource_providers:list", &prj_admin, NULL, 1},
		{"legacy", "placement:resource_providers:list", &admin_token, NULL, 1},
		{"legacy", "placement:resource_providers:list", &prj_member, NULL, 0},
		{"legacy", "placement:resource_providers:list", &prj_reader, NULL, 0},
		{"legacy", "placement:resource_providers:create", &sys_reader, NULL, 0},
		{"legacy", "placement:resource_providers:create", &prj_admin, NULL, 1},
		{"legacy", "placement:traits:update", &nobody, NULL, 0},
		{"legacy", "placement:usages", &prj_reader, "p1", 1},
		{"legacy", "placement:usages", &prj_reader, "p2", 0},
		{"legacy", "placement:usages", &prj_member, "p1", 1},
		{"legacy", "placement:usages", &prj_admin, "p2", 1},
		{"legacy", "placement:usages", &sys_reader, "p2", 1},
		{"legacy", "placement:usages", &nobody, "p1", 0},
		{"legacy", "placement:resource_providers:usages", &prj_reader, NULL, 0},
		{"legacy", "placement:no_such_rule", &admin_token, NULL, 0},
		{"legacy", "system_reader_api", &admin_token, NULL, 1},
		/* secure: new defaults only; project tokens off system rules */
		{"secure", "placement:resource_providers:list", &sys_admin, NULL, 1},
		{"secure", "placement:resource_providers:list", &sys_reader, NULL, 1},
		{"secure", "placement:resource_providers:list", &prj_admin, NULL, 0},
		{"secure", "placement:resource_providers:list", &admin_token, NULL, 0},
		{"secure", "placement:resource_providers:create", &sys_admin, NULL, 1},
		{"secure", "placement:resource_providers:create", &sys_reader, NULL, 0},
		{"secure", "placement:allocations:manage", &prj_admin, NULL, 0},
		{"secure", "placement:reshaper:reshape", &sys_admin, NULL, 1},
		{"secure", "placement:usages", &prj_reader, "p1", 1},
		{"secure", "placement:usages", &prj_member, "p1", 1},
		{"secure", "placement:usages", &prj_admin, "p1", 1},
		{"secure", "placement:usages", &prj_admin, "p2", 0},
		{"secure", "placement:usages", &alt_reader, "p1", 0},
		{"secure", "placement:usages", &sys_reader, "p1", 1},
		{"secure", "placement:usages", &nobody, "p1", 0},
		/* open: every rule but admin_api passes */
		{"open", "placement:resource_providers:create", &nobody, NULL, 1},
		{"open", "placement:reshaper:reshape", &nobody, NULL, 1},
		{"open", "placement:usages", &nobody, "p2", 1},
		{"open", "admin_api", &nobody, NULL, 0},
		{"open", "admin_api", &prj_admin, NULL, 1},
		{"open", "placement:no_such_rule", &nobody, NULL, 0},
	};
	struct config cfg;
	char err[256];
	CHECK(policy_init(NULL, NULL, err, sizeof(err)) == 0, "init defaults: %s", err);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mode(&cfg, t[i].mode);
		int got = policy_allows(&cfg, t[i].who, t[i].rule, t[i].target);
		CHECK(got == t[i].want, "%s %s for %s/%s on %s: got %d want %d", t[i].mode, t[i].rule,
		      t[i].who->project_id ? t[i].who->project_id : "system", t[i].who->roles,
		      t[i].target ? t[i].target : "(default)", got, t[i].want);
	}
	/* the scope check alone: enforce_scope without new defaults */
	mode(&cfg, "legacy");
	cfg.enforce_scope = 1;
	CHECK(!policy_allows(&cfg, &prj_admin, "placement:traits:list", NULL), "scope only: project admin");
	CHECK(policy_allows(&cfg, &sys_admin, "placement:traits:list", NULL), "scope only: system admin");
	/* every default rule parses and is known */
	mode(&cfg, "legacy");
	for (int i = 0; i < npolicy_defaults; i++)
		CHECK(policy_allows(&cfg, &admin_token, policy_defaults[i].name, NULL),
		      "legacy admin may %s", policy_defaults[i].name);
}

/* --- 4. policy files --- */

/* Every (rule, identity, target) answer under cfg, into out. */
static int
answers(const struct config *cfg, int *out)
{
	static const struct identity *const whos[] = {&sys_admin, &sys_reader, &prj_admin,
		&prj_member, &prj_reader, &alt_reader, &nobody, &admin_token};
	static const char *const targets[] = {NULL, "p1", "p2"};
	int n = 0;
	for (int r = 0; r < npolicy_defaults; r++)
		for (size_t w = 0; w < sizeof(whos) / sizeof(whos[0]); w++)
			for (size_t t = 0; t < 3; t++)
				out[n++] = policy_allows(cfg, whos[w], policy_defaults[r].name, targets[t]);
	return n;
}

#define CELLS_PER_RULE 24

static void
test_policy_file_changes(const char *how, const char *text)
{
	static int before[64 * CELLS_PER_RULE], after[64 * CELLS_PER_RULE];
	struct config cfg;
	char err[512];
	mode(&cfg, "legacy");
	CHECK(policy_init(&cfg, NULL, err, sizeof(err)) == 0, "defaults: %s", err);
	int n = answers(&cfg, before);
	CHECK(policy_init(&cfg, text, err, sizeof(err)) == 0, "%s policy file: %s", how, err);
	answers(&cfg, after);
	int opened = 0, closed = 0, other = 0;
	for (int i = 0; i < n; i++) {
		if (before[i] == after[i])
			continue;
		const char *rule = policy_defaults[i / CELLS_PER_RULE].name;
		if (!strcmp(rule, "placement:traits:list") && after[i])
			opened++;
		else if (!strcmp(rule, "placement:resource_providers:create") && !after[i])
			closed++;
		else if (!strcmp(rule, "placement:traits:list"))
			; /* admin without member loses it: the file's check stands alone */
		else
			other++;
	}
	CHECK(opened > 0, "%s: placement:traits:list opened to member", how);
	CHECK(closed > 0, "%s: placement:resource_providers:create closed", how);
	CHECK(other == 0, "%s: %d other answers changed", how, other);
	/* the two answers by name */
	CHECK(policy_allows(&cfg, &prj_member, "placement:traits:list", NULL), "%s: member lists traits", how);
	CHECK(!policy_allows(&cfg, &admin_token, "placement:resource_providers:create", NULL),
	      "%s: admin may not create providers", how);
	CHECK(policy_allows(&cfg, &admin_token, "placement:resource_providers:delete", NULL),
	      "%s: admin still deletes providers", how);
	policy_free();
}

static void
test_policy_files(void)
{
	test_policy_file_changes("YAML",
		"# operator overrides\n"
		"\"placement:traits:list\": \"role:member\"\n"
		"placement:resource_providers:create: \"!\"\n");
	test_policy_file_changes("JSON",
		"{\"placement:traits:list\": \"role:member\",\n"
		" \"placement:resource_providers:create\": \"!\"}\n");
	test_policy_file_changes("compact JSON",
		"{\"placement:traits:list\":\"role:member\",\"placement:resource_providers:create\":\"!\"}");
	test_policy_file_changes("list syntax",
		"placement:traits:list: [[\"role:member\"]]\n"
		"placement:resource_providers:create: [[]]\n");
	test_policy_file_changes("new rule referenced",
		"members: role:member\n"
		"placement:traits:list: rule:members\n"
		"placement:resource_providers:create: not @\n");

	static const struct { const char *text, *err; } bad[] = {
		{"placement:traits:list: role:member\n  bad: indent\n", "line"},
		{"{\"placement:traits:list\": \"role:member\"", "line"},
		{"- role:member\n", "mapping"},
		{"just a string\n", "mapping"},
		{"placement:traits:list: 1\n", "a number"},
		{"placement:traits:list: true\n", "a boolean"},
		{"placement:traits:list: {a: b}\n", "expected a check string"},
		{"placement:traits:list: foo:bar\n", "unknown check kind"},
		{"placement:traits:list: role:a and\n", "missing"},
		{"placement:traits:list: rule:nowhere\n", "not defined"},
		{"a: rule:b\nb: rule:a\n", "cycle"},
		{"placement:traits:list: rule:placement:traits:list\n", "cycle"},
		{"placement:traits:list: \"@\"\n---\nx: \"!\"\n", "more than one"},
		{"placement:traits:list: [[\"role:a\", [\"role:b\"]]]\n", "list rule"},
		{"placement:traits:list: [[\"nocolon\"]]\n", "not a check"},
		{"placement:traits:list: !!int 3\n", "tag"},
		{"? [a]\n: role:a\n", "rule name"},
		{"placement:traits:list: https:x\n", "not supported"},
	};
	struct config cfg;
	char err[512];
	mode(&cfg, "legacy");
	CHECK(policy_init(&cfg, "placement:traits:list: role:member\n", err, sizeof(err)) == 0,
	      "good file: %s", err);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		int rc = policy_init(&cfg, bad[i].text, err, sizeof(err));
		CHECK(rc < 0 && strstr(err, bad[i].err), "bad file %zu: want error ~'%s', got rc %d '%s'",
		      i, bad[i].err, rc, err);
	}
	/* a failed load keeps the earlier set */
	CHECK(policy_allows(&cfg, &prj_member, "placement:traits:list", NULL), "earlier set kept");

	/* empty files, null and empty values (oslo.policy: empty = pass) */
	CHECK(policy_init(&cfg, "", err, sizeof(err)) == 0, "empty file: %s", err);
	CHECK(policy_init(&cfg, "# nothing\n", err, sizeof(err)) == 0, "comment file: %s", err);
	CHECK(policy_init(&cfg, "{}", err, sizeof(err)) == 0, "{} file: %s", err);
	CHECK(!policy_allows(&cfg, &nobody, "placement:traits:list", NULL), "{}: defaults");
	CHECK(policy_init(&cfg, "placement:traits:list: \"\"\n", err, sizeof(err)) == 0, "'': %s", err);
	CHECK(policy_allows(&cfg, &nobody, "placement:traits:list", NULL), "'' passes");
	CHECK(policy_init(&cfg, "placement:traits:list: []\n", err, sizeof(err)) == 0, "[]: %s", err);
	CHECK(policy_allows(&cfg, &nobody, "placement:traits:list", NULL), "[] passes");
	CHECK(policy_init(&cfg, "a: role:x\na: role:member\nplacement:traits:list: rule:a\n",
	                  err, sizeof(err)) == 0, "repeated key: %s", err);
	CHECK(policy_allows(&cfg, &prj_member, "placement:traits:list", NULL), "repeated key: last wins");
	/* a file override of a base rule drops its deprecated role:admin */
	CHECK(policy_init(&cfg, "system_reader_api: role:reader and system_scope:all\n",
	                  err, sizeof(err)) == 0, "base override: %s", err);
	CHECK(!policy_allows(&cfg, &admin_token, "placement:traits:list", NULL),
	      "overridden base rule: no deprecated fallback");
	CHECK(policy_allows(&cfg, &admin_token, "placement:traits:update", NULL),
	      "other base rules keep theirs");
	/* open mode wins over the file for registered rules */
	mode(&cfg, "open");
	CHECK(policy_init(&cfg, "placement:traits:list: \"!\"\n", err, sizeof(err)) == 0, "open: %s", err);
	CHECK(policy_allows(&cfg, &nobody, "placement:traits:list", NULL), "open beats file");
	/* secure mode: the scope check applies to file rules too */
	mode(&cfg, "secure");
	CHECK(policy_init(&cfg, "placement:traits:list: \"@\"\n", err, sizeof(err)) == 0, "secure: %s", err);
	CHECK(!policy_allows(&cfg, &prj_admin, "placement:traits:list", NULL), "secure: scope first");
	CHECK(policy_allows(&cfg, &sys_reader, "placement:traits:list", NULL), "secure: system passes @");
	/* a configured file that was never loaded: refuse everything */
	policy_free();
	mode(&cfg, "legacy");
	snprintf(cfg.policy_file, sizeof(cfg.policy_file), "/etc/placement/policy.yaml");
	CHECK(!policy_allows(&cfg, &admin_token, "placement:traits:list", NULL), "unloaded file: refused");
	cfg.policy_file[0] = '\0';
	CHECK(policy_allows(&cfg, &admin_token, "placement:traits:list", NULL), "lazy defaults");
	mode(&cfg, "bogus");
	CHECK(policy_init(&cfg, NULL, err, sizeof(err)) < 0, "bad mode refused");
	policy_free();
}

/* --- 5. CORS --- */

static const char *
hdr(const struct response *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

static int
streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && !strcmp(a, b));
}

static void
test_cors(void)
{
	static const struct {
		const char *origins, *allow_headers, *allow_methods;
		int credentials;
		long max_age;
		const char *method, *origin, *acr_method, *acr_headers;
		int status_in, status_out;
		const char *acao, *acah, *acam, *vary, *maxage, *creds, *expose;
	} t[] = {
		/* CORS off: nothing happens */
		{"", "", "", 1, -1, "OPTIONS", "http://a", "GET", NULL, 405, 405,
		 NULL, NULL, NULL, "openstack-api-version", NULL, NULL, NULL},
		{"", "", "", 1, -1, "GET", "http://a", NULL, NULL, 200, 200,
		 NULL, NULL, NULL, "openstack-api-version", NULL, NULL, NULL},
		/* preflight, allowed */
		{"http://a", "openstack-api-version", "", 1, -1, "OPTIONS", "http://a", "GET",
		 "openstack-api-version", 405, 200, "http://a", "openstack-api-version", "GET",
		 "Origin", "3600", "true", NULL},
		{"http://a, http://b", "", "", 0, 60, "OPTIONS", "http://b", "PUT",
		 " X-Auth-Token ,,content-type", 401, 200, "http://b", "X-Auth-Token,content-type", "PUT",
		 "Origin", "60", NULL, NULL},
		{"http://a", "", "", 1, 0, "OPTIONS", "http://a", "DELETE", NULL, 405, 200,
		 "http://a", NULL, "DELETE", "Origin", NULL, "true", NULL},
		/* preflight, refused: still an empty 200 */
		{"http://a", "", "", 1, -1, "OPTIONS", "http://x", "GET", NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "", "", 1, -1, "OPTIONS", NULL, "GET", NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "", "", 1, -1, "OPTIONS", "http://a", NULL, NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "", "", 1, -1, "OPTIONS", "http://a", "OPTIONS", NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "", "", 1, -1, "OPTIONS", "http://a", "get", NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "x-one", "", 1, -1, "OPTIONS", "http://a", "GET", "x-one,x-two", 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"http://a", "", "GET", 1, -1, "OPTIONS", "http://a", "POST", NULL, 405, 200,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		/* simple headers are always allowed */
		{"http://a", "x-one", "", 1, -1, "OPTIONS", "http://a", "GET", "Content-Type,ACCEPT", 405, 200,
		 "http://a", "Content-Type,ACCEPT", "GET", "Origin", "3600", "true", NULL},
		/* wildcard */
		{"*", "", "", 1, -1, "OPTIONS", "http://z", "GET", NULL, 405, 200,
		 "*", NULL, "GET", "Origin", "3600", "true", NULL},
		/* actual requests */
		{"http://a", "", "", 1, -1, "GET", "http://a", NULL, NULL, 200, 200,
		 "http://a", NULL, NULL, "openstack-api-version,Origin", NULL, "true",
		 "X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,OpenStack-API-Version"},
		{"http://a", "", "", 0, -1, "GET", "http://x", NULL, NULL, 200, 200,
		 NULL, NULL, NULL, "openstack-api-version", NULL, NULL, NULL},
		{"http://a", "", "", 0, -1, "POST", "http://a", NULL, NULL, 401, 401,
		 "http://a", NULL, NULL, "openstack-api-version,Origin", NULL, NULL,
		 "X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,OpenStack-API-Version"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct config cfg;
		struct arena a = {0};
		struct request req = {0};
		struct response resp = {0};
		config_defaults(&cfg);
		snprintf(cfg.cors_allowed_origin, CONF_STR, "%s", t[i].origins);
		snprintf(cfg.cors_allow_headers, CONF_STR, "%s", t[i].allow_headers);
		snprintf(cfg.cors_allow_methods, CONF_STR, "%s", t[i].allow_methods);
		cfg.cors_allow_credentials = t[i].credentials;
		cfg.cors_max_age = t[i].max_age;
		req.method = t[i].method;
		req.path = "/";
		req.h_origin = t[i].origin;
		req.h_acr_method = t[i].acr_method;
		req.h_acr_headers = t[i].acr_headers;
		resp.status = t[i].status_in;
		resp.content_type = "application/json";
		buf_puts(&resp.body, "{}");
		resp_header(&resp, "vary", "openstack-api-version");
		cors_apply(&cfg, &req, &resp, &a);
		int emptied = resp.status != t[i].status_in;
		CHECK(resp.status == t[i].status_out, "cors %zu: status %d", i, resp.status);
		CHECK(!emptied || (resp.content_type == NULL && resp.body.len == 0), "cors %zu: emptied", i);
		CHECK(streq(hdr(&resp, "Access-Control-Allow-Origin"), t[i].acao), "cors %zu: ACAO %s", i,
		      hdr(&resp, "Access-Control-Allow-Origin"));
		CHECK(streq(hdr(&resp, "Access-Control-Allow-Headers"), t[i].acah), "cors %zu: ACAH %s", i,
		      hdr(&resp, "Access-Control-Allow-Headers"));
		CHECK(streq(hdr(&resp, "Access-Control-Allow-Methods"), t[i].acam), "cors %zu: ACAM %s", i,
		      hdr(&resp, "Access-Control-Allow-Methods"));
		CHECK(streq(hdr(&resp, "Vary"), t[i].vary), "cors %zu: Vary %s", i, hdr(&resp, "Vary"));
		CHECK(streq(hdr(&resp, "Access-Control-Max-Age"), t[i].maxage), "cors %zu: Max-Age %s", i,
		      hdr(&resp, "Access-Control-Max-Age"));
		CHECK(streq(hdr(&resp, "Access-Control-Allow-Credentials"), t[i].creds), "cors %zu: creds", i);
		CHECK(streq(hdr(&resp, "Access-Control-Expose-Headers"), t[i].expose), "cors %zu: expose %s", i,
		      hdr(&resp, "Access-Control-Expose-Headers"));
		buf_free(&resp.body);
		arena_free(&a);
	}
}

/* --- 5. upstream 15.0.0's defaults, and the sample file of each set --- */
static const struct identity prj_service = {"nova", "svc", "service", 0};
static const struct identity sys_service = {"nova", NULL, "service", 1};

static void
test_defaults_15(void)
{
	struct config cfg;
	char err[512];
	static const struct {
		const char *mode, *rule;
		const struct identity *who;
		const char *target;
		int want;
	} t[] = {
		/* admin or service, project-scoped */
		{"secure", "placement:resource_providers:create", &prj_admin, NULL, 1},
		{"secure", "placement:resource_providers:create", &prj_service, NULL, 1},
		{"secure", "placement:resource_providers:create", &prj_member, NULL, 0},
		{"secure", "placement:resource_providers:create", &sys_admin, NULL, 0},
		{"secure", "placement:allocation_candidates:list", &sys_service, NULL, 0},
		{"secure", "placement:allocation_candidates:list", &prj_service, NULL, 1},
		/* the reshaper: service only */
		{"secure", "placement:reshaper:reshape", &prj_service, NULL, 1},
		{"secure", "placement:reshaper:reshape", &prj_admin, NULL, 0},
		/* GET /usages: a reader of the project asked about */
		{"secure", "placement:usages", &prj_reader, "p1", 1},
		{"secure", "placement:usages", &alt_reader, "p1", 0},
		{"secure", "placement:usages", &prj_service, "p1", 1},
		/* legacy: the deprecated role:admin still passes, unscoped */
		{"legacy", "placement:reshaper:reshape", &prj_admin, NULL, 1},
		{"legacy", "placement:reshaper:reshape", &sys_admin, NULL, 1},
		{"legacy", "placement:traits:list", &prj_member, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mode(&cfg, t[i].mode);
		snprintf(cfg.policy_defaults, sizeof(cfg.policy_defaults), "15.0.0");
		CHECK(policy_init(&cfg, NULL, err, sizeof(err)) == 0, "15.0.0 defaults: %s", err);
		int got = policy_allows(&cfg, t[i].who, t[i].rule, t[i].target);
		CHECK(got == t[i].want, "15.0.0 %s %s for %s: got %d want %d", t[i].mode, t[i].rule,
		      t[i].who->roles, got, t[i].want);
	}
	/* each set's sample file, uncommented, is a policy file that decides
	 * every (rule, identity, target) as the defaults do */
	static const char *const sets[] = {"8.0.0", "15.0.0"};
	static const struct identity *const whos[] = {&sys_admin, &sys_reader, &prj_admin,
		&prj_member, &prj_reader, &alt_reader, &nobody, &admin_token, &prj_service,
		&sys_service};
	static const char *const targets[] = {NULL, "p1", "svc"};
	for (int k = 0; k < 2; k++) {
		for (int secure = 0; secure < 2; secure++) {
			mode(&cfg, secure ? "secure" : "legacy");
			snprintf(cfg.policy_defaults, sizeof(cfg.policy_defaults), "%s", sets[k]);
			struct buf sample = {0}, file = {0};
			policy_sample(&cfg, &sample);
			/* '#"rule": "check"' lines become rules */
			for (const char *p = sample.p; p != NULL && *p;) {
				const char *e = strchr(p, '\n');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				if (n > 2 && p[0] == '#' && p[1] == '"')
					buf_printf(&file, "%.*s\n", (int)(n - 1), p + 1);
				p += n + (e != NULL);
			}
			int n;
			const struct policy_default *tab = policy_default_table(&cfg, &n);
			int differ = 0, cells = 0;
			for (int r = 0; r < n; r++)
				for (size_t w = 0; w < sizeof(whos) / sizeof(whos[0]); w++)
					for (size_t g = 0; g < 3; g++) {
						CHECK(policy_init(&cfg, NULL, err, sizeof(err)) == 0, "defaults %s", err);
						int a = policy_allows(&cfg, whos[w], tab[r].name, targets[g]);
						CHECK(policy_init(&cfg, file.p, err, sizeof(err)) == 0,
						      "%s sample as a policy file: %s", sets[k], err);
						int b = policy_allows(&cfg, whos[w], tab[r].name, targets[g]);
						differ += a != b;
						cells++;
					}
			/* legacy mode ORs the deprecated check, which a file
			 * rule replaces: there only the new defaults must agree */
			if (secure)
				CHECK(differ == 0, "%s sample (secure): %d of %d answers differ", sets[k],
				      differ, cells);
			CHECK(n > 30 && file.len > 0, "%s sample: %d rules", sets[k], n);
			buf_free(&sample);
			buf_free(&file);
		}
	}
	policy_free();
}

int
main(void)
{
	test_parser();
	test_eval();
	test_modes();
	test_policy_files();
	test_cors();
	test_defaults_15();
	policy_free();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
