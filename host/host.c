/* Process glue for the front ends and the sync tool; see host.h. */
#include "host.h"
#include "../common/http/query.h"
#include "../common/http/policy.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <strings.h>
#include <sys/stat.h>

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot open config %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 8192, len = 0;
	char *text = malloc(cap);
	while (text != NULL) {
		size_t n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 >= cap) {
			if (cap > (1u << 22)) {
				free(text);
				text = NULL;
				snprintf(err, errlen, "config %s is too large", path);
				fclose(f);
				return NULL;
			}
			char *t = realloc(text, cap *= 2);
			if (t == NULL)
				free(text);
			text = t;
		}
	}
	if (text == NULL)
		snprintf(err, errlen, "out of memory reading %s", path);
	else
		text[len] = '\0';
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read config %s", path);
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

int
host_load_config(struct config *cfg, char *const *envp, char *err, size_t errlen)
{
	const char *path = getenv("PLACEMENT_CONFIG");
	char *text = NULL;
	char perr[512];
	config_defaults(cfg);
	if (path != NULL && path[0] != '\0') {
		text = read_file(path, err, errlen);
		if (text == NULL)
			return -1;
	} else {
		struct stat sb;
		path = HOST_DEFAULT_CONFIG;
		if (stat(path, &sb) == 0) {
			text = read_file(path, err, errlen);
			if (text == NULL)
				return -1;
		}
	}
	int rc = config_parse(cfg, text, envp, perr, sizeof(perr));
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return -1;
	}
	return 0;
}

static const char *
param(const struct host_io *io, const char *name)
{
	return io->param(io->io, name);
}

/* Whether path_info is client_path with its control characters (and
 * only those) turned into '_'. */
static int
same_but_controls(const char *client_path, const char *path_info)
{
	int changed = 0;
	for (; *client_path && *path_info; client_path++, path_info++) {
		unsigned char c = (unsigned char)*client_path;
		if (c < 0x20 || c == 0x7f) {
			if (*path_info != '_')
				return 0;
			changed = 1;
		} else if (*client_path != *path_info) {
			return 0;
		}
	}
	return changed && *client_path == '\0' && *path_info == '\0';
}

/* The path and the mount point (script_name, never ending in '/') from
 * PATH_INFO, SCRIPT_NAME and REQUEST_URI, as each web server sets them. */
static void
request_path(struct request *req, struct arena *a, const struct host_io *io)
{
	const char *sn = param(io, "SCRIPT_NAME");
	const char *pi = param(io, "PATH_INFO");
	const char *uri = param(io, "REQUEST_URI");
	if (pi != NULL && pi[0] != '\0') {
		req->path = pi;
		req->script_name = sn ? sn : "";
		/* The mount point is what the client's URL has before PATH_INFO;
		 * SCRIPT_NAME may name a rewritten-to script instead. */
		if (uri != NULL) {
			size_t ul = strcspn(uri, "?");
			char *dec = url_decode(a, uri, ul, 0);
			size_t dl = dec ? strlen(dec) : 0, pl = strlen(pi);
			if (dec && dl >= pl && strcmp(dec + dl - pl, pi) == 0)
				req->script_name = arena_strndup(a, dec, dl - pl);
			else if (dec && dl >= pl && same_but_controls(dec + dl - pl, pi)) {
				/* lighttpd hands on control characters as '_': the
				 * app must see what the client sent, to refuse it
				 * as the reference does, not to store "CUSTOM__". */
				req->script_name = arena_strndup(a, dec, dl - pl);
				req->path = dec + dl - pl;
			}
		}
	} else if (sn != NULL && sn[0] != '\0' && req->view) {
		/* The view's bare mount point (it is never mounted at the root). */
		req->script_name = sn;
		req->path = "/";
	} else if (sn != NULL && sn[0] != '\0') {
		/* Mounted at the root without fix-root-scriptname. */
		req->script_name = "";
		req->path = sn;
	} else {
		req->script_name = sn ? sn : "";
		req->path = "/";
	}
	/* A mount point never ends in '/'. */
	size_t snl = strlen(req->script_name);
	while (snl > 0 && req->script_name[snl - 1] == '/')
		snl--;
	if (snl != strlen(req->script_name))
		req->script_name = arena_strndup(a, req->script_name, snl);
}

/* The body: CONTENT_LENGTH bytes read whole, up to max_body (past it, or
 * without a length it can trust, the request says so instead). */
static void
request_body(struct request *req, struct arena *a, const struct host_io *io, long max_body)
{
	const char *cl = param(io, "CONTENT_LENGTH");
	long len = 0;
	if (cl != NULL && cl[0] != '\0') {
		char *end;
		errno = 0;
		len = strtol(cl, &end, 10);
		if (errno || *end != '\0' || len < 0)
			len = -1;
	} else if (param(io, "HTTP_TRANSFER_ENCODING") != NULL) {
		req->body_length_required = 1;
		len = 0;
	}
	if (len < 0) {
		/* The server let through a Content-Length it could not parse. */
		req->body_length_required = 1;
		len = 0;
	}
	if (len > max_body) {
		req->body_too_large = 1;
		len = 0;
	}
	char *body = arena_alloc(a, (size_t)len + 1);
	size_t got = 0;
	if (body == NULL) {
		req->body_too_large = 1;
		req->body = "";
		return;
	}
	while (got < (size_t)len) {
		long n = io->read(io->io, body + got, (size_t)len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	body[got] = '\0';
	req->body = body;
	req->body_len = got;
}

void
host_build_request(struct request *req, struct arena *a,
                   const struct host_io *io, long max_body)
{
	memset(req, 0, sizeof(*req));
	const char *m = param(io, "REQUEST_METHOD");
	req->method = m && *m ? m : "GET";
	/* Not an HTTP_ variable: only the web server's configuration sets it. */
	const char *app_name = param(io, "PLACEMENT_APP");
	req->view = app_name != NULL && strcmp(app_name, "view") == 0;
	request_path(req, a, io);
	const char *qs = param(io, "QUERY_STRING");
	req->query = qs ? qs : "";
	const char *ct = param(io, "CONTENT_TYPE");
	req->content_type = ct && *ct ? ct : NULL;
	req->h_version = param(io, "HTTP_OPENSTACK_API_VERSION");
	req->h_accept = param(io, "HTTP_ACCEPT");
	req->h_token = param(io, "HTTP_X_AUTH_TOKEN");
	req->h_roles = param(io, "HTTP_X_ROLES");
	req->h_project_id = param(io, "HTTP_X_PROJECT_ID");
	req->h_system_scope = param(io, "HTTP_OPENSTACK_SYSTEM_SCOPE");
	req->h_origin = param(io, "HTTP_ORIGIN");
	req->h_acr_method = param(io, "HTTP_ACCESS_CONTROL_REQUEST_METHOD");
	req->h_acr_headers = param(io, "HTTP_ACCESS_CONTROL_REQUEST_HEADERS");
#ifdef PLACEMENT_FAULTS
	req->h_fault = param(io, "HTTP_X_PLACEMENT_FAULT");
#endif

	const char *host = param(io, "HTTP_HOST");
	if (host == NULL || host[0] == '\0')
		host = param(io, "SERVER_NAME");
	if (host != NULL && host[0] != '\0' && strpbrk(host, "/\r\n ") == NULL) {
		const char *https = param(io, "HTTPS");
		int tls = https != NULL && strcasecmp(https, "on") == 0;
		req->origin_url = arena_cat(a, tls ? "https://" : "http://", host);
	}
	request_body(req, a, io, max_body);
}

void
host_format_head(const struct response *resp, struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "Status: ");
	buf_put_int(out, resp->status);
	buf_putc(out, ' ');
	buf_puts(out, http_reason(resp->status));
	buf_puts(out, "\r\n");
	if (resp->content_type != NULL) {
		buf_puts(out, "Content-Type: ");
		buf_puts(out, resp->content_type);
		buf_puts(out, "\r\nContent-Length: ");
		buf_put_int(out, (long long)resp->body.len);
		buf_puts(out, "\r\n");
	} else if (resp->status != 204 && resp->status != 304) {
		buf_puts(out, "Content-Length: 0\r\n");
	}
	/* Apache takes a CGI/FastCGI 200 answer carrying Location for a
	 * redirect; its configuration names a header to send instead and
	 * renames it back (the apache configurations). */
	static const char *loc_name;
	static int loc_read;
	if (!loc_read) {
		loc_name = getenv("PLACEMENT_LOCATION_HEADER");
		loc_read = 1;
	}
	for (int i = 0; i < resp->nheaders; i++) {
		const char *name = resp->headers[i].name;
		if (resp->status == 200 && loc_name != NULL && loc_name[0] != '\0' &&
		    strcasecmp(name, "Location") == 0)
			name = loc_name;
		buf_puts(out, name);
		buf_puts(out, ": ");
		buf_puts(out, resp->headers[i].value);
		buf_puts(out, "\r\n");
	}
	buf_puts(out, "\r\n");
}

/* Where [oslo_policy] policy_file is: a relative name beside the config
 * file, as oslo.config's find_file looks for it. */
static void
policy_path(const struct config *cfg, char *path, size_t n)
{
	const char *name = cfg->policy_file;
	if (name[0] != '\0' && name[0] != '/') {
		const char *conf = getenv("PLACEMENT_CONFIG");
		if (conf == NULL || conf[0] == '\0')
			conf = HOST_DEFAULT_CONFIG;
		const char *slash = strrchr(conf, '/');
		int dl = slash ? (int)(slash - conf) : 1;
		snprintf(path, n, "%.*s/%s", dl, slash ? conf : ".", name);
	} else {
		snprintf(path, n, "%s", name);
	}
}

char *
host_policy_text(const struct config *cfg, char *err, size_t errlen)
{
	char path[CONF_PATH * 2];
	char perr[512];
	struct stat sb;
	char *text = NULL;
	err[0] = '\0';
	policy_path(cfg, path, sizeof(path));
	if (path[0] != '\0' && stat(path, &sb) == 0) {
		text = read_file(path, perr, sizeof(perr));
		if (text == NULL)
			snprintf(err, errlen, "policy file %s: %s", path, perr);
	}
	return text;
}

/* Loads the policy rules: the defaults plus [oslo_policy] policy_file
 * when it names a file (relative names are looked up beside the config
 * file, as oslo.config's find_file does).  A missing file means the
 * defaults, as oslo.policy; an unreadable or malformed one is an error. */
int
host_load_policy(const struct config *cfg, char *err, size_t errlen)
{
	char perr[512], path[CONF_PATH * 2];
	char *text = host_policy_text(cfg, err, errlen);
	if (text == NULL && err[0] != '\0')
		return -1;
	policy_path(cfg, path, sizeof(path));
	int rc = policy_init(cfg, text, perr, sizeof(perr));
	int had_file = text != NULL;
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "%s%s%s", had_file ? path : "", had_file ? ": " : "", perr);
		return -1;
	}
	return 0;
}

unsigned long long
host_random_seed(void)
{
	unsigned long long seed = 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (unsigned long long)ts.tv_sec * 1000000007ULL ^ (unsigned long long)ts.tv_nsec ^
		       (unsigned long long)getpid() << 32;
	}
	return seed;
}

void
host_policy_sample(const struct config *cfg, struct buf *out)
{
	policy_sample(cfg, out);
}
