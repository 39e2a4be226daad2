/* placement-manage and placement-status: upstream's operator commands,
 * for the deployment tools that run them (kolla-ansible, OpenStack-
 * Ansible, charms, devstack).  The same program as placement-sync, run
 * under these names (ops.h); they read the same placement.conf as the
 * service. */
#include "ops.h"
#include "upgrade.h"
#include "../common/util/config.h"
#include "../host/host.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char manage_usage[] =
"usage: placement-manage [--config-file FILE] [--config-dir DIR] db COMMAND\n"
"\n"
"  db sync                       create or upgrade the database (placement-sync)\n"
"  db version                    print the database's schema revision\n"
"  db online_data_migrations [--max-count N]\n"
"                                give providers without a root id their own, and\n"
"                                allocations without a consumer row the incomplete\n"
"                                consumer's; exit 0 when nothing is left, 1 when\n"
"                                --max-count rows were migrated and more may be\n"
"                                left, 2 on an error, 127 on a bad --max-count\n";

static const char status_usage[] =
"usage: placement-status [--config-file FILE] [--config-dir DIR] upgrade check [--json]\n"
"\n"
"Checks that the database is ready for an upgrade: exit 0 every check\n"
"succeeded, 1 a warning, 2 a failure.\n";

/* Reads the global options (--config-file, --config-dir) off argv and
 * loads the configuration; returns the index of the first other
 * argument, or -1 after a message. */
static int
load(const char *prog, const char *usage, int argc, char **argv, struct config *cfg)
{
	const char *file = NULL, *dir = NULL;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--config-file") && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(argv[i], "--config-file=", 14))
			file = argv[i] + 14;
		else if (!strcmp(argv[i], "--config-dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strncmp(argv[i], "--config-dir=", 13))
			dir = argv[i] + 13;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			exit(0);
		} else
			break;
	}
	char path[4200];
	if (file == NULL && dir != NULL) {
		snprintf(path, sizeof(path), "%s/placement.conf", dir);
		if (access(path, R_OK) == 0)
			file = path;
	}
	if (file != NULL)
		setenv("PLACEMENT_CONFIG", file, 1);
	char err[1024];
	if (host_load_config(cfg, environ, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	return i;
}

static struct store *
open_db(const char *prog, const struct config *cfg)
{
	char err[1024];
	struct store *s = store_open(cfg, err, sizeof(err));
	if (s == NULL)
		fprintf(stderr, "%s: %s\n", prog, err);
	return s;
}

static int
emit(struct buf *b)
{
	int bad = b->oom || (b->len && fwrite(b->p, 1, b->len, stdout) != b->len) ||
	          fflush(stdout) != 0;
	buf_free(b);
	return bad;
}

int
manage_main(int argc, char **argv, int (*db_sync)(const struct config *cfg))
{
	struct config cfg;
	int i = load("placement-manage", manage_usage, argc, argv, &cfg);
	if (i < 0)
		return 1;
	if (i + 1 >= argc || strcmp(argv[i], "db") != 0) {
		fputs(manage_usage, stderr);
		return 2;
	}
	const char *cmd = argv[i + 1];
	if (!strcmp(cmd, "sync") && i + 2 == argc)
		return db_sync(&cfg);
	if (!strcmp(cmd, "version") && i + 2 == argc) {
		struct store *s = open_db("placement-manage", &cfg);
		if (s == NULL)
			return 1;
		char v[64];
		int rc = upgrade_db_version(s, v, sizeof(v));
		if (rc == ST_OK)
			printf("%s\n", v[0] ? v : "None");
		else
			fprintf(stderr, "placement-manage: %s\n", store_errmsg(s));
		store_close(s);
		return rc == ST_OK ? 0 : 1;
	}
	if (!strcmp(cmd, "online_data_migrations")) {
		long max = 50;
		int limited = 0;
		for (int k = i + 2; k < argc; k++) {
			const char *v = NULL;
			if (!strcmp(argv[k], "--max-count") && k + 1 < argc)
				v = argv[++k];
			else if (!strncmp(argv[k], "--max-count=", 12))
				v = argv[k] + 12;
			else {
				fputs(manage_usage, stderr);
				return 2;
			}
			char *end;
			max = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || max < 1) {
				printf("Must supply a positive value for max_count\n");
				return 127;
			}
			limited = 1;
		}
		struct store *s = open_db("placement-manage", &cfg);
		if (s == NULL)
			return 1;
		struct buf out = {0};
		int rc = upgrade_migrate(s, &cfg, max, limited, &out);
		store_close(s);
		return emit(&out) ? 1 : rc;
	}
	fputs(manage_usage, stderr);
	return 2;
}

/* Whether the configured policy file holds JSON (upstream's check warns
 * that JSON policy files are deprecated). */
static int
policy_is_json(const struct config *cfg)
{
	char err[600];
	char *text = host_policy_text(cfg, err, sizeof(err));
	if (text == NULL)
		return 0;
	enum json_tokener_error e;
	json_object *j = json_tokener_parse_verbose(text, &e);
	int yes = j != NULL;
	json_object_put(j);
	free(text);
	return yes;
}

int
status_main(int argc, char **argv)
{
	struct config cfg;
	int i = load("placement-status", status_usage, argc, argv, &cfg);
	if (i < 0)
		return 1;
	int json = 0;
	if (i + 1 >= argc || strcmp(argv[i], "upgrade") != 0 || strcmp(argv[i + 1], "check") != 0) {
		fputs(status_usage, stderr);
		return 2;
	}
	for (int k = i + 2; k < argc; k++) {
		if (strcmp(argv[k], "--json") != 0) {
			fputs(status_usage, stderr);
			return 2;
		}
		json = 1;
	}
	struct store *s = open_db("placement-status", &cfg);
	if (s == NULL)
		return 255;
	struct buf out = {0};
	int rc = upgrade_check(s, policy_is_json(&cfg), json, &out);
	store_close(s);
	return emit(&out) ? 255 : rc;
}
