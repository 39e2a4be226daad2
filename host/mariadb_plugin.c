/* The MariaDB backend as a plugin, for placement-fcgi and placement.cgi.
 *
 * Linking libmariadb into the front ends made every CGI process load it
 * with libssl, libcrypto and libz, and resolve their symbols (75% of the
 * instructions of a one-shot `GET /`), even on sqlite.  The backend
 * (sql/mysql_db.c with its statement texts) is built as
 * placement-mariadb.so instead and opened here, beside the program's own
 * file, the first time a MariaDB connection is asked for; placement-sync,
 * a tool run once, links it directly. */
#include "../sql/db.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PLUGIN_NAME "placement-mariadb.so"

typedef struct store *(*open_fn)(const struct config *cfg, char *err, size_t errlen);

/* The plugin's path: the directory of the running program (the build
 * tree, or the installed libexec directory), where make and make install
 * put it. */
static int
plugin_path(char *out, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return -1;
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	return snprintf(out, n, "%s/" PLUGIN_NAME, exe) < (int)n ? 0 : -1;
}

struct store *
mysql_open(const struct config *cfg, char *err, size_t errlen)
{
	static open_fn open;
	if (open == NULL) {
		char path[PATH_MAX + 64];
		if (plugin_path(path, sizeof(path)) < 0) {
			snprintf(err, errlen, "cannot find the MariaDB backend (" PLUGIN_NAME ")");
			return NULL;
		}
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL) {
			snprintf(err, errlen, "cannot load the MariaDB backend: %s", dlerror());
			return NULL;
		}
		open = (open_fn)dlsym(h, "placement_mariadb_open");
		if (open == NULL) {
			snprintf(err, errlen, "%s is not the MariaDB backend of this build", path);
			return NULL;
		}
	}
	return open(cfg, err, errlen);
}
