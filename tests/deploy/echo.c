/* echo: a test stand-in for placement-fcgi / placement.cgi that answers
 * every request with the request variables its web server handed it, one
 * "NAME=VALUE" line each, in order and with duplicates kept.  The spoofing
 * suite runs it in place of the app (same configuration, only the program
 * path changes) to see exactly which identity variables reach the app.
 * Works as a CGI program and as a FastCGI responder (socket on fd 0).
 * With QUERY_STRING "location-200" it answers 200 with its Location under
 * the name $PLACEMENT_LOCATION_HEADER (as the app does behind Apache). */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* Writes the variables of one request (envp) as the response body. */
static void
answer(FCGX_Stream *out, char **envp)
{
	const char *qs = FCGX_GetParam("QUERY_STRING", envp);
	const char *loc = getenv("PLACEMENT_LOCATION_HEADER");
	FCGX_FPrintF(out, "Status: 200 OK\r\nContent-Type: text/plain\r\n");
	if (qs != NULL && strcmp(qs, "location-200") == 0)
		FCGX_FPrintF(out, "%s: /placement/elsewhere\r\n", loc ? loc : "Location");
	FCGX_FPrintF(out, "\r\n");
	for (char **e = envp; *e != NULL; e++)
		FCGX_FPrintF(out, "%s\n", *e);
}

int
main(void)
{
	if (FCGX_IsCGI()) {
		/* CGI: drain the body so the server never sees a broken pipe. */
		char buf[65536];
		while (fread(buf, 1, sizeof(buf), stdin) > 0)
			;
		const char *qs = getenv("QUERY_STRING");
		const char *loc = getenv("PLACEMENT_LOCATION_HEADER");
		printf("Status: 200 OK\r\nContent-Type: text/plain\r\n");
		if (qs != NULL && strcmp(qs, "location-200") == 0)
			printf("%s: /placement/elsewhere\r\n", loc ? loc : "Location");
		printf("\r\n");
		for (char **e = environ; *e != NULL; e++)
			printf("%s\n", *e);
		return 0;
	}
	FCGX_Init();
	FCGX_Request r;
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		char buf[65536];
		while (FCGX_GetStr(buf, sizeof(buf), r.in) > 0)
			;
		answer(r.out, r.envp);
		FCGX_Finish_r(&r);
	}
	return 0;
}
