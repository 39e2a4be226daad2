/* placement.cgi: one request per process, from the CGI environment. */
#include "../common/http/app.h"
#include "../common/view/view.h"
#include "../host/host.h"
#include "../sql/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

extern char **environ;

static const char *
env_param(void *io, const char *name)
{
	(void)io;
	return getenv(name);
}

static long
stdin_read(void *io, char *buf, size_t n)
{
	(void)io;
	size_t got = fread(buf, 1, n, stdin);
	return got == 0 && ferror(stdin) ? -1 : (long)got;
}

static void
write_all(const char *p, size_t n)
{
	fwrite(p, 1, n, stdout);
}

int
main(void)
{
	struct config cfg;
	char err[1024];
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);

	/* Refuse to run as root unless PLACEMENT_ALLOW_ROOT=1: a server that
	 * forgot to drop privileges must not run the app with them.  Told by
	 * the environment only: a CGI program's argv comes from the URL. */
	const char *allow_root = getenv("PLACEMENT_ALLOW_ROOT");
	if (geteuid() == 0 && (allow_root == NULL || strcmp(allow_root, "1") != 0)) {
		fprintf(stderr, "placement.cgi: refusing to run as root (set PLACEMENT_ALLOW_ROOT=1 to allow)\n");
		static const char msg[] = "{\"errors\": [{\"status\": 503, \"title\": \"Service Unavailable\", \"detail\": \"The service is misconfigured.\"}]}";
		printf("Status: 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		       sizeof(msg) - 1, msg);
		return 0;
	}

	if (host_load_config(&cfg, environ, err, sizeof(err)) < 0 ||
	    host_load_policy(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "placement.cgi: %s\n", err);
		static const char msg[] = "{\"errors\": [{\"status\": 503, \"title\": \"Service Unavailable\", \"detail\": \"The service is misconfigured.\"}]}";
		printf("Status: 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		       sizeof(msg) - 1, msg);
		return 0;
	}
	struct app app = {0};
	app.cfg = &cfg;
	app.view = view_handle;
	app.rid_state = host_random_seed();
	struct request req;
	struct response resp = {0};
	struct host_io io = {env_param, stdin_read, NULL};
	host_build_request(&req, &app.arena, &io, cfg.max_body_bytes);
	app_handle(&app, &req, &resp);
	/* Read what is left of a refused body before answering: some servers
	 * (mod_cgid) drop the answer of a program that leaves input unread.
	 * Bounded, so a client cannot keep the process busy for ever. */
	if (req.body_too_large) {
		static char sink[65536];
		long left = 64L << 20;
		while (left > 0 && fread(sink, 1, sizeof(sink), stdin) > 0)
			left -= (long)sizeof(sink);
	}

	struct buf head = {0};
	host_format_head(&resp, &head);
	write_all(head.p, head.len);
	if (resp.content_type != NULL)
		write_all(resp.body.p, resp.body.len);
	fflush(stdout);
	gettimeofday(&t1, NULL);
	long usec = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_usec - t0.tv_usec);
	fprintf(stderr, "%s\n", app_log_line(&app, &req, &resp, usec));
	app_request_done(&app, &resp);
	buf_free(&head);
	buf_free(&resp.body);
	arena_free(&app.arena);
	store_close(app.db);
	return 0;
}
