/* JSON bodies through the whole pipeline: app_handle() with a fake
 * struct request for POST/PUT on each body-taking route, against a real
 * database (see fuzz_common.c).  Input: a first line of up to four
 * numbers "ROUTE MV ARG1 ARG2" (route index into the table below,
 * microversion minor (40 = latest), indexes into the path arguments),
 * then the body.  Every answer must pass fz_run's checks. */
#include "fuzz_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *method, *pattern;
} routes[] = {
	{"POST", "/resource_providers"},
	{"PUT", "/resource_providers/%s"},
	{"POST", "/resource_providers/%s/inventories"},
	{"PUT", "/resource_providers/%s/inventories"},
	{"PUT", "/resource_providers/%s/inventories/%s"},
	{"PUT", "/resource_providers/%s/aggregates"},
	{"PUT", "/resource_providers/%s/traits"},
	{"POST", "/resource_classes"},
	{"PUT", "/resource_classes/%s"},
	{"PUT", "/traits/%s"},
	{"PUT", "/allocations/%s"},
	{"POST", "/allocations"},
	{"POST", "/reshaper"},
};
#define NROUTES ((unsigned)(sizeof(routes) / sizeof(routes[0])))

/* Path arguments: the fixtures first, then names that exist nowhere. */
static const char *const args[] = {
	FZ_RP_ROOT, FZ_RP_CHILD, FZ_RP_SHARE, FZ_CONSUMER, FZ_CLASS, FZ_TRAIT,
	"VCPU", "MEMORY_MB", "DISK_GB", "CUSTOM_NEW", "9e0a6c2e0b8e4d0e9a371c4c0f7d0009",
	"not-a-uuid", "CUSTOM_", "%FF", "..",
};
#define NARGS ((unsigned)(sizeof(args) / sizeof(args[0])))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app *app = fz_app();
	unsigned long num[4] = {0, 0, 0, 0};
	size_t i = 0;
	int k = 0;
	/* header line: numbers separated by anything but a newline */
	while (i < size && data[i] != '\n' && k < 4) {
		if (data[i] >= '0' && data[i] <= '9') {
			unsigned long v = 0;
			while (i < size && data[i] >= '0' && data[i] <= '9' && v < 100000)
				v = v * 10 + (unsigned long)(data[i++] - '0');
			num[k++] = v;
		} else {
			i++;
		}
	}
	while (i < size && data[i] != '\n')
		i++;
	if (i < size)
		i++;
	unsigned r = (unsigned)(num[0] % NROUTES);
	char path[256], version[32];
	snprintf(path, sizeof(path), routes[r].pattern, args[num[2] % NARGS], args[num[3] % NARGS]);
	if (num[1] % 41 == 40)
		snprintf(version, sizeof(version), "placement latest");
	else
		snprintf(version, sizeof(version), "placement 1.%lu", num[1] % 41);

	struct request req = {0};
	req.method = routes[r].method;
	req.script_name = "";
	req.path = path;
	req.query = "";
	req.h_version = version;
	req.h_token = "admin";
	req.content_type = "application/json";
	req.body = fz_strndup(&app->arena, data + i, size - i);
	req.body_len = size - i;
	fz_run(&req);
	return 0;
}
