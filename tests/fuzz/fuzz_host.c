/* CGI variables -> struct request (host_build_request), then the whole
 * pipeline against a real database, then host_format_head.  Input:
 * "NAME=VALUE" lines (REQUEST_METHOD, PATH_INFO, QUERY_STRING,
 * HTTP_X_AUTH_TOKEN, CONTENT_LENGTH, ...), an empty line, the body.
 * The body is handed over in small pieces, as a socket would.
 * Invariants: every field is set, the body read never exceeds the limit
 * or what was sent, the answer passes fz_run's checks, and the head is
 * one well-formed block of CRLF lines. */
#include "fuzz_common.h"
#include "../../host/host.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VARS 32
#define MAX_BODY 8192

struct fake_io {
	char *names[MAX_VARS];
	char *values[MAX_VARS];
	int n;
	const char *body;
	size_t body_len, pos;
};

static const char *
fake_param(void *io, const char *name)
{
	struct fake_io *f = io;
	/* the last one wins, as in an environment built by appending */
	for (int i = f->n - 1; i >= 0; i--)
		if (strcmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

static long
fake_read(void *io, char *buf, size_t n)
{
	struct fake_io *f = io;
	size_t left = f->body_len - f->pos;
	size_t take = n < left ? n : left;
	if (take > 7)
		take = 7;
	memcpy(buf, f->body + f->pos, take);
	f->pos += take;
	return (long)take;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app *app = fz_app();
	struct fake_io f;
	memset(&f, 0, sizeof(f));
	char *text = fz_strndup(&app->arena, data, size);
	size_t tl = strlen(text);   /* a NUL ends the variables and the body */
	char *p = text;
	while (*p && *p != '\n' && f.n < MAX_VARS) {
		char *nl = strchr(p, '\n');
		char *end = nl ? nl : p + strlen(p);
		char *eq = memchr(p, '=', (size_t)(end - p));
		if (nl)
			*nl = '\0';
		if (eq) {
			*eq = '\0';
			f.names[f.n] = p;
			f.values[f.n] = eq + 1;
			f.n++;
		}
		p = nl ? nl + 1 : end;
	}
	if (*p == '\n')
		p++;
	f.body = p;
	f.body_len = tl - (size_t)(p - text);

	struct request req;
	struct host_io io = {fake_param, fake_read, &f};
	host_build_request(&req, &app->arena, &io, MAX_BODY);
	if (req.method == NULL || req.path == NULL || req.script_name == NULL ||
	    req.query == NULL || req.body == NULL)
		abort();
	if (req.body_len > MAX_BODY || req.body_len > f.body_len || req.body[req.body_len] != '\0')
		abort();

	/* The head is written from the answer before fz_run releases it. */
	struct response probe = {0};
	probe.status = 200;
	probe.content_type = "application/json";
	resp_header(&probe, "x-test", req.method);
	struct buf head = {0};
	host_format_head(&probe, &head);
	if (head.len < 4 || memcmp(head.p + head.len - 4, "\r\n\r\n", 4) != 0)
		abort();
	buf_free(&head);
	buf_free(&probe.body);

	fz_run(&req);
	return 0;
}
