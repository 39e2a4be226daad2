/* See fuzz_common.h. */
#include "fuzz_common.h"
#include "../../common/util/config.h"
#include "../../sql/store.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* sql/sync.c, compiled for the fuzzers with main renamed. */
int placement_sync_main(int argc, char **argv);

static struct config cfg;
static struct app app;
static struct response resp;
static char dir[256];
static char db_path[512];

/* Removes a database directory made by fz_app. */
static void
remove_db_dir(const char *d)
{
	char p[600];
	static const char *const names[] = {"db.sqlite", "db.sqlite-wal", "db.sqlite-shm",
	                                    "db.sqlite-journal"};
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", d, names[i]);
		unlink(p);
	}
	rmdir(d);
}

/* Removes the temp database at exit. */
static void
cleanup(void)
{
	if (app.db)
		store_close(app.db);
	app.db = NULL;
	remove_db_dir(dir);
}

/* A process that crashed (libFuzzer exits without atexit) leaves its
 * directory behind: remove those whose process is gone. */
static void
remove_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	char p[512];
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid;
		char *end;
		if (strncmp(e->d_name, "placement-fuzz-", 15) != 0)
			continue;
		pid = strtol(e->d_name + 15, &end, 10);
		if (*end != '\0' || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmp, e->d_name);
		remove_db_dir(p);
	}
	closedir(d);
}

/* One request for the fixtures; its answer is not checked (handlers
 * that are not written yet answer 501 and leave the fixture out). */
static void
setup_request(const char *method, const char *path, int mv, const char *body)
{
	struct request r = {0};
	char version[32];
	snprintf(version, sizeof(version), "placement 1.%d", mv);
	r.method = method;
	r.script_name = "";
	r.path = path;
	r.query = "";
	r.h_version = version;
	r.h_token = "admin";
	if (body) {
		r.content_type = "application/json";
		r.body = body;
		r.body_len = strlen(body);
	} else {
		r.body = "";
	}
	app_handle(&app, &r, &resp);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fixture: %s %s -> %d\n", method, path, resp.status);
	app_request_done(&app, &resp);
}

static void
load_fixtures(void)
{
	setup_request("POST", "/resource_providers", 20,
	              "{\"name\": \"fz-root\", \"uuid\": \"" FZ_RP_ROOT "\"}");
	setup_request("POST", "/resource_providers", 20,
	              "{\"name\": \"fz-child\", \"uuid\": \"" FZ_RP_CHILD "\", "
	              "\"parent_provider_uuid\": \"" FZ_RP_ROOT "\"}");
	setup_request("POST", "/resource_providers", 20,
	              "{\"name\": \"fz-share\", \"uuid\": \"" FZ_RP_SHARE "\"}");
	setup_request("POST", "/resource_classes", 2, "{\"name\": \"" FZ_CLASS "\"}");
	setup_request("PUT", "/traits/" FZ_TRAIT, 6, NULL);
	setup_request("PUT", "/resource_providers/" FZ_RP_ROOT "/inventories", 20,
	              "{\"resource_provider_generation\": 0, \"inventories\": {"
	              "\"VCPU\": {\"total\": 16}, \"MEMORY_MB\": {\"total\": 8192, \"step_size\": 256},"
	              "\"" FZ_CLASS "\": {\"total\": 4}}}");
	setup_request("PUT", "/resource_providers/" FZ_RP_SHARE "/inventories", 20,
	              "{\"resource_provider_generation\": 0, \"inventories\": {"
	              "\"DISK_GB\": {\"total\": 1000, \"reserved\": 10}}}");
	setup_request("PUT", "/resource_providers/" FZ_RP_SHARE "/traits", 20,
	              "{\"resource_provider_generation\": 1, \"traits\": [\"MISC_SHARES_VIA_AGGREGATE\"]}");
	setup_request("PUT", "/resource_providers/" FZ_RP_SHARE "/aggregates", 20,
	              "{\"resource_provider_generation\": 2, \"aggregates\": [\"" FZ_AGG "\"]}");
	setup_request("PUT", "/resource_providers/" FZ_RP_ROOT "/aggregates", 20,
	              "{\"resource_provider_generation\": 1, \"aggregates\": [\"" FZ_AGG "\"]}");
	setup_request("PUT", "/allocations/" FZ_CONSUMER, 28,
	              "{\"allocations\": {\"" FZ_RP_ROOT "\": {\"resources\": {\"VCPU\": 2}}},"
	              "\"project_id\": \"fz-project\", \"user_id\": \"fz-user\", \"consumer_generation\": null}");
}

struct app *
fz_app(void)
{
	static int ready;
	char err[512], ini[1024];
	if (ready)
		return &app;
	ready = 1;
	const char *tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	remove_stale(tmp);
	snprintf(dir, sizeof(dir), "%s/placement-fuzz-%ld", tmp, (long)getpid());
	remove_db_dir(dir);
	if (mkdir(dir, 0700) < 0) {
		perror("fuzz: mkdir");
		abort();
	}
	snprintf(db_path, sizeof(db_path), "%s/db.sqlite", dir);
	atexit(cleanup);
	char *argv[] = {"placement-sync", "--quiet", "--db", db_path, NULL};
	if (placement_sync_main(4, argv) != 0) {
		fprintf(stderr, "fuzz: placement-sync failed for %s\n", db_path);
		abort();
	}
	snprintf(ini, sizeof(ini),
	         "[placement_database]\nconnection = sqlite:///%s\nsynchronous = normal\n"
	         "[api]\nauth_strategy = noauth2\n", db_path);
	config_defaults(&cfg);
	if (config_parse(&cfg, ini, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: config: %s\n", err);
		abort();
	}
	app.cfg = &cfg;
	app.db = store_open(&cfg, err, sizeof(err));
	if (app.db == NULL) {
		fprintf(stderr, "fuzz: store_open: %s\n", err);
		abort();
	}
	load_fixtures();
	return &app;
}

/* Aborts with the request and the answer described. */
static void
violation(const struct request *req, const char *what)
{
	fprintf(stderr, "fuzz: %s: %s %s%s%s -> %d\n%.*s\n", what,
	        req->method ? req->method : "-", req->path ? req->path : "-",
	        req->query && *req->query ? "?" : "", req->query ? req->query : "",
	        resp.status, (int)(resp.body.len > 2000 ? 2000 : resp.body.len),
	        resp.body.p ? resp.body.p : "");
	abort();
}

int
fz_run(const struct request *req)
{
	fz_app();
	app_handle(&app, req, &resp);
	int status = resp.status;
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz: %s %s -> %d %.*s\n", req->method ? req->method : "-",
		        req->path ? req->path : "-", status,
		        (int)(resp.body.len > 300 ? 300 : resp.body.len), resp.body.p ? resp.body.p : "");
	if (status >= 500 && status != 501)
		violation(req, "server error");
	if (status < 100 || status > 599)
		violation(req, "bad status");
	if (resp.nheaders > RESP_MAXHEADERS)
		violation(req, "too many headers");
	if (resp.content_type && strncasecmp(resp.content_type, "application/json", 16) == 0) {
		/* Invalid UTF-8 echoed from the request is reported apart
		 * (FUZZ_STRICT_UTF8=1 makes it a failure). */
		static int strict_utf8 = -1;
		if (strict_utf8 < 0)
			strict_utf8 = getenv("FUZZ_STRICT_UTF8") != NULL;
		struct json_tokener *tok = json_tokener_new();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
		                       (strict_utf8 ? JSON_TOKENER_VALIDATE_UTF8 : 0));
		struct json_object *o = json_tokener_parse_ex(tok, resp.body.p ? resp.body.p : "",
		                                              (int)resp.body.len);
		int ok = json_tokener_get_error(tok) == json_tokener_success && o != NULL &&
		         json_tokener_get_parse_end(tok) == resp.body.len;
		json_object_put(o);
		json_tokener_free(tok);
		if (!ok)
			violation(req, "response body is not valid JSON");
	}
	if (status >= 400 && resp.content_type == NULL)
		violation(req, "error without a body");
	/* Nothing from the request may split a header line. */
	for (int i = 0; i < resp.nheaders; i++)
		if (resp.headers[i].name == NULL || resp.headers[i].value == NULL ||
		    strpbrk(resp.headers[i].name, "\r\n:") != NULL ||
		    strpbrk(resp.headers[i].value, "\r\n") != NULL)
			violation(req, "bad response header");
	if (resp.content_type && strpbrk(resp.content_type, "\r\n") != NULL)
		violation(req, "bad content type");
	app_request_done(&app, &resp);
	return status;
}

char *
fz_strndup(struct arena *a, const uint8_t *data, size_t n)
{
	return arena_strndup(a, (const char *)data, n);
}
