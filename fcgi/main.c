/* placement-fcgi: a persistent FastCGI responder.  It accepts on the
 * socket its spawner hands it as fd 0 (lighttpd, spawn-fcgi, mod_fcgid)
 * and keeps its database connection and prepared statements for life. */
#include "../common/ac/ac_cache.h"
#include "../common/http/app.h"
#include "../common/view/view.h"
#include "../host/host.h"
#include "../sql/store.h"
#include <errno.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

extern char **environ;

/* Bound of the allocation-candidates read cache of one responder. */
#define AC_CACHE_BYTES ((size_t)256 << 20)
/* Address space of the request arena's region (mapped without reserving
 * memory; only the pages a request touches count). */
#define REQUEST_REGION_BYTES ((size_t)1 << 30)

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

/* Writes all of iov[0..n) to fd (blocking); 0, or -1 on error. */
static int
write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Sends a large body as FastCGI stdout records of up to 64 KiB, several
 * per writev: libfcgi's stream would cut it into 8 KiB records, one
 * write each, and the web server reads and queues them one by one.
 * What the stream holds (the head) goes first; its end-of-stream and
 * end-request records follow in FCGX_Finish_r as usual.  Small bodies,
 * or a connection libfcgi does not describe, take the stream. */
static void
put_body(FCGX_Request *r, const char *p, size_t n)
{
	enum { RECORD = 65528, BATCH = 16 };   /* content length of a record: at most 65535 */
	if (n < 4 * 8192 || r->ipcFd < 0 || FCGX_FFlush(r->out) < 0) {
		FCGX_PutStr(p, (int)n, r->out);
		return;
	}
	unsigned char hdr[BATCH][8];
	struct iovec iov[2 * BATCH];
	while (n > 0) {
		int k = 0;
		for (; k < BATCH && n > 0; k++) {
			size_t len = n < RECORD ? n : RECORD;
			unsigned char *h = hdr[k];
			h[0] = 1;                               /* FCGI_VERSION_1 */
			h[1] = 6;                               /* FCGI_STDOUT */
			h[2] = (unsigned char)(r->requestId >> 8);
			h[3] = (unsigned char)r->requestId;
			h[4] = (unsigned char)(len >> 8);
			h[5] = (unsigned char)len;
			h[6] = 0;                               /* no padding */
			h[7] = 0;
			iov[2 * k].iov_base = h;
			iov[2 * k].iov_len = 8;
			iov[2 * k + 1].iov_base = (void *)p;
			iov[2 * k + 1].iov_len = len;
			p += len;
			n -= len;
		}
		if (write_all(r->ipcFd, iov, 2 * k) < 0)
			return;   /* the server went away: FCGX_Finish_r fails the same way */
	}
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
	if (cfg.ignored[0])
		fprintf(stderr, "placement-fcgi: options of upstream Placement that do nothing here, "
		        "ignored: %s\n", cfg.ignored);
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

	/* Requests over large deployments take tens of MiB and give them back:
	 * keep that memory in the heap for the next request instead of
	 * mapping it afresh (page faults cost more than the work itself):
	 * blocks up to 32 MiB (glibc's most) come from the heap, and up to
	 * 128 MiB of free heap is kept.  Most of it is the request arena's,
	 * which has a region of its own instead (arena_use_region). */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	struct app app = {0};
	app.cfg = &cfg;
	app.view = view_handle;
	app.rid_state = host_random_seed();
	/* What allocation-candidate requests read stays valid until the
	 * database changes: a long-lived responder keeps it (bounded) for the
	 * next requests.  NULL (out of memory) just means no cache. */
	app.ac_cache = ac_cache_new(AC_CACHE_BYTES);
	arena_use_region(&app.arena, REQUEST_REGION_BYTES);
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
			put_body(&fr, resp.body.p, resp.body.len);
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
