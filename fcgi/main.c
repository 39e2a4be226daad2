/* placement-fcgi: a persistent FastCGI responder.  It accepts on the
 * socket its spawner hands it as fd 0 (lighttpd, spawn-fcgi, mod_fcgid)
 * and keeps its database connection and prepared statements for life. */
#include "../common/ac_cache.h"
#include "../common/app.h"
#include "../host/host.h"
#include "../sql/store.h"
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

extern char **environ;

/* Bound of the allocation-candidates read cache of one responder. */
#define AC_CACHE_BYTES ((size_t)256 << 20)

static const char *
fcgi_param(void *io, const char *name)
{
	FCGX_Request *r = io;
	return FCGX_GetParam(name, r->envp);
}

static long
fcgi_read(void *io, char *buf, size_t n)
{
	FCGX_Request *r = io;
	if (n > (1u << 30))
		n = 1u << 30;
	return FCGX_GetStr(buf, (int)n, r->in);
}

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

int
main(void)
{
	struct config cfg;
	char err[1024];

	/* Refuse to run as root unless PLACEMENT_ALLOW_ROOT=1: a spawner that
	 * forgot to drop privileges must not run the app with them. */
	const char *allow_root = getenv("PLACEMENT_ALLOW_ROOT");
	if (geteuid() == 0 && (allow_root == NULL || strcmp(allow_root, "1") != 0)) {
		fprintf(stderr, "placement-fcgi: refusing to run as root (set PLACEMENT_ALLOW_ROOT=1 to allow)\n");
		return 1;
	}
	if (host_load_config(&cfg, environ, err, sizeof(err)) < 0 ||
	    host_load_policy(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "placement-fcgi: %s\n", err);
		return 1;
	}
	if (FCGX_Init() != 0) {
		fprintf(stderr, "placement-fcgi: FCGX_Init failed\n");
		return 1;
	}
	/* SIGTERM keeps its default action: a responder holds no state that
	 * outlives a request (commits are done before answering).  SIGUSR1
	 * (mod_fcgid, spawn-fcgi restarts) finishes the current request. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct app app = {0};
	app.cfg = &cfg;
	/* What allocation-candidate requests read stays valid until the
	 * database changes: a long-lived responder keeps it (bounded) for the
	 * next requests.  NULL (out of memory) just means no cache. */
	app.ac_cache = ac_cache_new(AC_CACHE_BYTES);
	app.db = store_open(&cfg, err, sizeof(err));
	if (app.db == NULL)
		fprintf(stderr, "placement-fcgi: %s (will retry per request)\n", err);

	FCGX_Request fr;
	FCGX_InitRequest(&fr, 0, 0);
	struct response resp = {0};
	struct buf head = {0};
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		struct timeval t0, t1;
		struct request req;
		struct host_io io = {fcgi_param, fcgi_read, &fr};
		gettimeofday(&t0, NULL);
		host_build_request(&req, &app.arena, &io, cfg.max_body_bytes);
		app_handle(&app, &req, &resp);
		host_format_head(&resp, &head);
		FCGX_PutStr(head.p, (int)head.len, fr.out);
		if (resp.content_type != NULL && resp.body.len > 0)
			FCGX_PutStr(resp.body.p, (int)resp.body.len, fr.out);
		gettimeofday(&t1, NULL);
		long usec = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_usec - t0.tv_usec);
		/* The request's strings live in fr until FCGX_Finish_r. */
		const char *line = app_log_line(&app, &req, &resp, usec);
		FCGX_Finish_r(&fr);
		fprintf(stderr, "%s\n", line);
		app_request_done(&app, &resp);
	}
	buf_free(&head);
	buf_free(&resp.body);
	arena_free(&app.arena);
	ac_cache_free(app.ac_cache);
	store_close(app.db);
	return 0;
}
