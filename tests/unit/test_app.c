/* The whole request pipeline through app_handle() with a fake request
 * and no database: auth, microversions, routing (404, 405 + Allow),
 * Accept and Content-Type checks, and the error body in JSON, HTML and
 * plain text.  Expected answers are the reference server's.  A request
 * that passes every check reaches the store, which is not configured
 * here: its 503 proves the checks let the request through. */
#include "harness.h"
#include "../../common/http/app.h"
#include "../../common/util/config.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSON "application/json"
#define HTML "text/html; charset=UTF-8"
#define PLAIN "text/plain; charset=UTF-8"
#define ADMIN "admin"

/* The reference's wording, reused by many rows. */
#define EX_400 "The server could not comply with the request since it is either malformed or otherwise incorrect."
#define EX_401 "This server could not verify that you are authorized to access the document you requested. " \
	"Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand " \
	"how to supply the credentials required."
#define EX_404 "The resource could not be found."
#define NOT_ACC "The resource could not be generated that was acceptable to your browser"
#define NO_DB "The server is currently unavailable. Please try again at a later time.\n\n The database is not available.  "
#define PAGE(code, title, body) "<html>\n <head>\n  <title>" code " " title "</title>\n </head>\n <body>\n  <h1>" \
	code " " title "</h1>\n  " body "\n </body>\n</html>"

/* One request and what must come back.  headers: "name: value" present
 * (value "*": any), "!name" absent.  checks: "path=value" on the JSON
 * body ("!path" absent, "#path=N" member count), "=text" the exact body,
 * "~text" a part of it. */
static const struct app_case {
	int line;
	const char *method, *script, *path, *query;
	const char *version, *accept, *token, *ctype, *body;
	int too_large, length_required;
	int status;
	const char *ctype_want;
	const char *headers[6];
	const char *checks[8];
} app_cases[] = {
#define ROW .line = __LINE__
	/* --- GET / at several microversions; no token needed --- */
	{ROW, .path = "/", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.0", "vary: openstack-api-version",
	             "!last-modified", "!cache-control", "x-openstack-request-id: *"},
	 .checks = {"#versions=1", "versions[0].id=v1.0", "versions[0].max_version=1.39",
	            "versions[0].min_version=1.0", "versions[0].status=CURRENT",
	            "versions[0].links[0].rel=self", "versions[0].links[0].href=", "#versions[0]=5"}},
	{ROW, .path = "/", .token = ADMIN, .version = "placement 1.14", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.14", "!last-modified", "!cache-control"}},
	{ROW, .path = "/", .version = "placement 1.15", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.15", "last-modified: *", "cache-control: no-cache"}},
	{ROW, .path = "/", .version = "placement latest", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.39", "vary: openstack-api-version"}},
	{ROW, .path = "/", .version = "PLACEMENT 1.7", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.7"}},
	{ROW, .path = "/", .version = "compute 2.1, placement 1.7, placement 1.8", .status = 200,
	 .ctype_want = JSON, .headers = {"openstack-api-version: placement 1.8"}},
	{ROW, .path = "/", .version = "compute 2.1", .status = 200, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.0"}},
	{ROW, .path = "", .status = 200, .ctype_want = JSON, .checks = {"versions[0].id=v1.0"}},
	{ROW, .path = NULL, .status = 200, .ctype_want = JSON},
	{ROW, .script = "/placement", .path = "/", .status = 200, .ctype_want = JSON},
	{ROW, .path = "/", .accept = "application/json", .status = 200, .ctype_want = JSON},
	/* --- 400 / 406 for the microversion, before routing --- */
	{ROW, .path = "/", .version = "placement 1.2.3", .status = 400, .ctype_want = JSON,
	 .headers = {"!openstack-api-version", "!vary"},
	 .checks = {"errors[0].detail=" EX_400 "\n\n Invalid microversion: invalid version string: 1.2.3; "
	            "invalid literal for int() with base 10: '2.3'  ", "!errors[0].code", "#errors[0]=4"}},
	{ROW, .path = "/", .version = "placement pony.horse", .status = 400, .ctype_want = JSON,
	 .checks = {"~invalid version string: pony.horse"}},
	{ROW, .path = "/", .version = "placement 1", .status = 400, .ctype_want = JSON,
	 .checks = {"~invalid version string: 1; Version.__new__() missing 1 required positional argument: 'minor'"}},
	{ROW, .path = "/", .version = "placement LATEST", .status = 400, .ctype_want = JSON},
	{ROW, .path = "/nope", .token = ADMIN, .version = "placement 1.a", .status = 400, .ctype_want = JSON},
	{ROW, .path = "/", .version = "placement 2.0", .status = 406, .ctype_want = JSON,
	 .headers = {"!openstack-api-version", "!vary"},
	 .checks = {"errors[0].detail=" NOT_ACC " (content of type application/json. \n\n "
	            "Invalid microversion: Unacceptable version header: 2.0",
	            "errors[0].max_version=1.39", "errors[0].min_version=1.0", "!errors[0].code",
	            "#errors[0]=6"}},
	{ROW, .path = "/", .version = "placement 1.40", .status = 406, .ctype_want = JSON,
	 .checks = {"~Unacceptable version header: 1.40"}},
	{ROW, .path = "/", .version = "placement 0.5", .accept = "*/*", .status = 406, .ctype_want = JSON,
	 .checks = {"~content of type application/json. "}},
	{ROW, .path = "/", .version = "placement 0.5", .accept = "", .status = 406, .ctype_want = JSON,
	 .checks = {"~content of type application/json. "}},
	{ROW, .path = "/", .version = "placement 0.5", .accept = "text/html", .status = 406, .ctype_want = HTML,
	 .checks = {"=" PAGE("406", "Not Acceptable", NOT_ACC "\n(content of type text/html. <br /><br />\n"
	            "Invalid microversion: Unacceptable version header: 0.5")}},
	{ROW, .path = "/", .version = "placement pony.horse", .accept = "text/html", .status = 400,
	 .ctype_want = HTML,
	 .checks = {"=" PAGE("400", "Bad Request", EX_400 "<br /><br />\nInvalid microversion: invalid version "
	            "string: pony.horse; invalid literal for int() with base 10: &#x27;pony&#x27;\n\n")}},
	{ROW, .path = "/", .version = "placement 1.x", .accept = "text/plain", .status = 400, .ctype_want = PLAIN,
	 .checks = {"=400 Bad Request\n\n" EX_400 "\n\n Invalid microversion: invalid version string: 1.x; "
	            "invalid literal for int() with base 10: 'x'  "}},
	{ROW, .path = "/", .version = "placement 1.99", .accept = "text/plain", .status = 406, .ctype_want = PLAIN,
	 .checks = {"=406 Not Acceptable\n\n" NOT_ACC " (content of type text/plain. \n\n "
	            "Invalid microversion: Unacceptable version header: 1.99"}},
	/* --- 401 without a token, before the microversion is looked at --- */
	{ROW, .path = "/resource_providers", .status = 401, .ctype_want = JSON,
	 .headers = {"!openstack-api-version", "!vary", "x-openstack-request-id: *"},
	 .checks = {"message=" EX_401 "<br /><br />\n\n\n", "code=401 Unauthorized", "title=Unauthorized",
	            "#=3"}},
	{ROW, .path = "/resource_providers", .version = "placement 2.0", .status = 401, .ctype_want = JSON},
	{ROW, .path = "/nope", .version = "placement 1.a", .status = 401, .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .accept = "text/html", .status = 401, .ctype_want = HTML,
	 .checks = {"=" PAGE("401", "Unauthorized", EX_401 "<br /><br />\n\n\n")}},
	{ROW, .path = "/resource_providers", .accept = "text/plain", .status = 401, .ctype_want = PLAIN,
	 .checks = {"=401 Unauthorized\n\n" EX_401 "\n\n   "}},
	/* an empty token is a token (user ""), as in the reference */
	{ROW, .path = "/resource_providers", .token = "", .status = 503, .ctype_want = JSON},
	/* --- 404 --- */
	{ROW, .path = "/nope", .token = ADMIN, .status = 404, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.0", "!vary"},
	 .checks = {"errors[0].detail=" EX_404 "\n\n   ", "!errors[0].code", "#errors=1", "#errors[0]=4"}},
	{ROW, .path = "/nope", .token = ADMIN, .version = "placement 1.23", .status = 404, .ctype_want = JSON,
	 .headers = {"openstack-api-version: placement 1.23"},
	 .checks = {"errors[0].code=placement.undefined_code", "#errors[0]=5"}},
	{ROW, .path = "/nope", .token = ADMIN, .version = "placement 1.22", .status = 404, .ctype_want = JSON,
	 .checks = {"!errors[0].code"}},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "text/html", .status = 404, .ctype_want = HTML,
	 .checks = {"=" PAGE("404", "Not Found", EX_404 "<br /><br />\n\n\n")}},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "text/plain", .status = 404, .ctype_want = PLAIN,
	 .checks = {"=404 Not Found\n\n" EX_404 "\n\n   "}},
	{ROW, .path = "/resource_providers/", .token = ADMIN, .status = 404, .ctype_want = JSON},
	{ROW, .path = "/resource_providers/x/cows", .token = ADMIN, .status = 404, .ctype_want = JSON},
	{ROW, .path = "/resource_providers//inventories", .token = ADMIN, .status = 404, .ctype_want = JSON},
	{ROW, .path = "/RESOURCE_PROVIDERS", .token = ADMIN, .status = 404, .ctype_want = JSON},
	{ROW, .path = "/resource_providers/a/b/c", .token = ADMIN, .status = 404, .ctype_want = JSON},
	/* routes newer than the request's microversion */
	{ROW, .path = "/resource_classes", .token = ADMIN, .version = "placement 1.1", .status = 404,
	 .ctype_want = JSON},
	{ROW, .method = "POST", .path = "/resource_classes", .token = ADMIN, .version = "placement 1.1",
	 .status = 404, .ctype_want = JSON},
	{ROW, .path = "/traits", .token = ADMIN, .version = "placement 1.5", .status = 404, .ctype_want = JSON},
	{ROW, .method = "POST", .path = "/reshaper", .token = ADMIN, .version = "placement 1.29", .status = 404,
	 .ctype_want = JSON},
	/* --- 405 with Allow (every method of the path, whatever the version) --- */
	{ROW, .method = "DELETE", .path = "/", .status = 405, .ctype_want = JSON,
	 .headers = {"allow: GET", "openstack-api-version: placement 1.0", "vary: openstack-api-version"},
	 .checks = {"errors[0].detail=The method DELETE is not allowed for this resource. \n\n "
	            "The method specified is not allowed for this resource.", "!errors[0].code"}},
	{ROW, .method = "DELETE", .path = "/resource_providers", .token = ADMIN, .status = 405,
	 .ctype_want = JSON, .headers = {"allow: GET, POST"},
	 .checks = {"~The method DELETE is not allowed for this resource."}},
	{ROW, .method = "OPTIONS", .path = "/resource_providers", .token = ADMIN, .status = 405,
	 .ctype_want = JSON, .headers = {"allow: GET, POST"},
	 .checks = {"~The method OPTIONS is not allowed for this resource."}},
	{ROW, .method = "POST", .path = "/resource_providers/abc/usages", .token = ADMIN,
	 .version = "placement 1.23", .status = 405, .ctype_want = JSON,
	 .headers = {"allow: GET", "openstack-api-version: placement 1.23"},
	 .checks = {"errors[0].code=placement.undefined_code"}},
	{ROW, .method = "PATCH", .path = "/resource_classes", .token = ADMIN, .version = "placement 1.1",
	 .status = 405, .ctype_want = JSON, .headers = {"allow: GET, POST"}},
	{ROW, .method = "PATCH", .path = "/resource_providers/x/inventories", .token = ADMIN,
	 .version = "placement 1.4", .status = 405, .ctype_want = JSON,
	 .headers = {"allow: GET, POST, PUT, DELETE"}},
	{ROW, .method = "GET", .path = "/allocations", .token = ADMIN, .version = "placement latest",
	 .status = 405, .ctype_want = JSON, .headers = {"allow: POST"}},
	{ROW, .method = "GET", .path = "/reshaper", .token = ADMIN, .status = 405, .ctype_want = JSON,
	 .headers = {"allow: POST"}},
	{ROW, .method = "DELETE", .path = "/", .accept = "text/html", .status = 405, .ctype_want = HTML,
	 .headers = {"allow: GET"},
	 .checks = {"=" PAGE("405", "Method Not Allowed", "The method DELETE is not allowed for this resource. "
	            "<br /><br />\nThe method specified is not allowed for this resource.")}},
	{ROW, .method = "DELETE", .path = "/", .accept = "text/plain", .status = 405, .ctype_want = PLAIN,
	 .checks = {"=405 Method Not Allowed\n\nThe method DELETE is not allowed for this resource. \n\n "
	            "The method specified is not allowed for this resource."}},
	/* --- Accept: JSON routes answer 406 unless Accept allows JSON --- */
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/plain", .status = 406,
	 .ctype_want = PLAIN, .headers = {"openstack-api-version: placement 1.0", "vary: openstack-api-version"},
	 .checks = {"=406 Not Acceptable\n\n" NOT_ACC " (content of type text/plain. \n\n "
	            "Only application/json is provided"}},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/plain", .version = "placement 1.23",
	 .status = 406, .ctype_want = PLAIN},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "image/png", .version = "placement 1.23",
	 .status = 406, .ctype_want = PLAIN},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/html,application/xml",
	 .status = 406, .ctype_want = HTML,
	 .checks = {"=" PAGE("406", "Not Acceptable", NOT_ACC "\n(content of type text/html,application/xml. "
	            "<br /><br />\nOnly application/json is provided")}},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/json;q=0", .status = 406,
	 .ctype_want = PLAIN},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/html;q=0.5, application/json;q=0",
	 .status = 406, .ctype_want = HTML},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/*", .status = 406, .ctype_want = HTML},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "*/json", .status = 406, .ctype_want = PLAIN},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/jsonx", .status = 406,
	 .ctype_want = PLAIN},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/html,application/xhtml+xml,"
	 "application/xml;q=0.9", .status = 406, .ctype_want = HTML},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/json, text/html",
	 .version = "placement 1.23", .status = 503, .ctype_want = HTML},
	/* accepted: the request goes on to the (missing) database */
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/html,application/xhtml+xml,"
	 "application/xml;q=0.9,*/*;q=0.8", .status = 503, .ctype_want = HTML},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/json", .status = 503,
	 .ctype_want = JSON, .checks = {"errors[0].detail=" NO_DB}},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "APPLICATION/JSON", .status = 503,
	 .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/*", .status = 503,
	 .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "*/*;q=0, application/json", .status = 503,
	 .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "application/json ; q=0.2", .status = 503,
	 .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/plain, */*;q=0.1", .status = 503,
	 .ctype_want = HTML},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "", .status = 503, .ctype_want = JSON},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "*/*", .status = 503, .ctype_want = JSON},
	/* --- which media an error uses: text/html wins a tie --- */
	{ROW, .path = "/nope", .token = ADMIN, .accept = "application/json, text/html", .status = 404,
	 .ctype_want = HTML},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "*/*;q=0.5", .status = 404, .ctype_want = HTML},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "text/html;q=0.5, application/json", .status = 404,
	 .ctype_want = JSON},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "text/html;q=0", .status = 404, .ctype_want = PLAIN},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "application/*", .status = 404, .ctype_want = JSON},
	{ROW, .path = "/nope", .token = ADMIN, .accept = "text/*", .status = 404, .ctype_want = HTML},
	/* --- a body needs a Content-Type, checked before routing --- */
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .body = "x", .status = 400,
	 .ctype_want = JSON,
	 .checks = {"errors[0].detail=" EX_400 "\n\n content-type header required when content-length > 0  "}},
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .ctype = "", .body = "x",
	 .status = 400, .ctype_want = JSON, .checks = {"~content-type header required"}},
	{ROW, .method = "POST", .path = "/nope", .token = ADMIN, .body = "abc", .status = 400, .ctype_want = JSON,
	 .checks = {"~content-type header required"}},
	{ROW, .method = "DELETE", .path = "/resource_providers", .token = ADMIN, .body = "abc", .status = 400,
	 .ctype_want = JSON, .headers = {"!allow"}},
	{ROW, .path = "/resource_providers", .token = ADMIN, .accept = "text/plain", .body = "abc", .status = 400,
	 .ctype_want = PLAIN, .checks = {"=400 Bad Request\n\n" EX_400 "\n\n content-type header required when "
	 "content-length > 0  "}},
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .ctype = "text/plain", .body = "x",
	 .status = 503, .ctype_want = JSON},
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .status = 503, .ctype_want = JSON},
	/* the front end's verdicts on the body come first */
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .too_large = 1, .status = 413,
	 .ctype_want = JSON, .checks = {"~Request body too large (limit 1572864 bytes)."}},
	{ROW, .method = "POST", .path = "/resource_providers", .token = ADMIN, .length_required = 1, .status = 411,
	 .ctype_want = JSON},
#undef ROW
};

/* Finds path ("a[0].b"; "" is the root) in o.  1 if present (*out may
 * be NULL for a JSON null), 0 if absent. */
static int
jpath(struct json_object *o, const char *path, struct json_object **out)
{
	const char *p = path;
	while (*p) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);
			if (!json_object_is_type(o, json_type_array) || i < 0 ||
			    (size_t)i >= json_object_array_length(o))
				return 0;
			o = json_object_array_get_idx(o, (size_t)i);
			p = end + 1;
		} else {
			char key[64];
			size_t n = strcspn(p, ".[");
			snprintf(key, sizeof(key), "%.*s", (int)n, p);
			if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &o))
				return 0;
			p += n;
		}
	}
	*out = o;
	return 1;
}

static const char *
json_text(struct json_object *o)
{
	if (o == NULL)
		return "null";
	if (json_object_is_type(o, json_type_string))
		return json_object_get_string(o);
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

static const char *
header(const struct response *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static void
check_headers(const struct app_case *t, const struct response *resp)
{
	for (int k = 0; k < 6 && t->headers[k]; k++) {
		const char *h = t->headers[k];
		if (h[0] == '!') {
			CHECK(t->line, header(resp, h + 1) == NULL, "header %s should be absent, is \"%s\"",
			      h + 1, header(resp, h + 1));
			continue;
		}
		char name[64];
		const char *colon = strchr(h, ':');
		snprintf(name, sizeof(name), "%.*s", (int)(colon - h), h);
		const char *got = header(resp, name);
		if (strcmp(colon + 2, "*") == 0)
			CHECK(t->line, got != NULL, "header %s missing", name);
		else
			CHECK_STR(t->line, name, got, colon + 2);
	}
}

static void
check_body(const struct app_case *t, const struct response *resp, struct json_object *doc)
{
	const char *body = resp->body.p ? resp->body.p : "";
	for (int k = 0; k < 8 && t->checks[k]; k++) {
		const char *c = t->checks[k];
		struct json_object *v;
		if (c[0] == '=') {
			CHECK_STR(t->line, "body", body, c + 1);
		} else if (c[0] == '~') {
			CHECK_HAS(t->line, "body", body, c + 1);
		} else if (c[0] == '!') {
			CHECK(t->line, !jpath(doc, c + 1, &v), "%s should be absent", c + 1);
		} else if (c[0] == '#') {
			const char *eq = strchr(c, '=');
			char path[128];
			snprintf(path, sizeof(path), "%.*s", (int)(eq - c - 1), c + 1);
			int found = jpath(doc, path, &v);
			long n = !found || v == NULL ? -1
			       : json_object_is_type(v, json_type_array) ? (long)json_object_array_length(v)
			       : json_object_is_type(v, json_type_object) ? (long)json_object_object_length(v) : -1;
			CHECK_INT(t->line, c, n, atol(eq + 1));
		} else {
			const char *eq = strchr(c, '=');
			char path[128];
			snprintf(path, sizeof(path), "%.*s", (int)(eq - c), c);
			int found = jpath(doc, path, &v);
			CHECK(t->line, found, "%s missing from %s", path, body);
			if (found)
				CHECK_STR(t->line, path, json_text(v), eq + 1);
		}
	}
}

/* Every JSON error body: the error's status and title, a request id
 * that is the x-openstack-request-id header's. */
static void
check_error_shape(const struct app_case *t, const struct response *resp, struct json_object *doc)
{
	struct json_object *v;
	const char *rid = header(resp, "x-openstack-request-id");
	CHECK(t->line, rid && strncmp(rid, "req-", 4) == 0 && strlen(rid) == 40, "request id header \"%s\"", rid);
	if (resp->status == 401)
		return;
	CHECK(t->line, jpath(doc, "errors[0]", &v) && v, "no errors[0] in the error body");
	if (jpath(doc, "errors[0].status", &v))
		CHECK_INT(t->line, "errors[0].status", json_object_get_int(v), resp->status);
	if (jpath(doc, "errors[0].title", &v))
		CHECK_STR(t->line, "errors[0].title", json_text(v), http_reason(resp->status));
	if (CHECK(t->line, jpath(doc, "errors[0].request_id", &v), "errors[0].request_id missing"))
		CHECK_STR(t->line, "errors[0].request_id", json_text(v), rid);
}

static void
run_case(struct app *app, struct response *resp, const struct app_case *t)
{
	struct request req = {0};
	req.method = t->method ? t->method : "GET";
	req.script_name = t->script ? t->script : "";
	req.path = t->path;
	req.query = t->query ? t->query : "";
	req.content_type = t->ctype;
	req.body = t->body ? t->body : "";
	req.body_len = strlen(req.body);
	req.body_too_large = t->too_large;
	req.body_length_required = t->length_required;
	req.h_version = t->version;
	req.h_accept = t->accept;
	req.h_token = t->token;

	app_handle(app, &req, resp);
	CHECK_INT(t->line, "status", resp->status, t->status);
	CHECK_STR(t->line, "content type", resp->content_type, t->ctype_want);
	struct json_object *doc = NULL;
	if (resp->content_type && strcmp(resp->content_type, JSON) == 0) {
		doc = json_tokener_parse(resp->body.p ? resp->body.p : "");
		CHECK(t->line, doc != NULL, "body is not JSON: %s", resp->body.p);
	}
	check_headers(t, resp);
	check_body(t, resp, doc);
	if (doc && resp->status >= 400)
		check_error_shape(t, resp, doc);
	json_object_put(doc);
	/* the access-log line names the request and its answer, on one line */
	char want[64];
	const char *line = app_log_line(app, &req, resp, 12);
	snprintf(want, sizeof(want), " %d 12us", t->status);
	CHECK_HAS(t->line, "log line", line, want);
	CHECK(t->line, strchr(line, '\n') == NULL, "log line has a newline");
	app_request_done(app, resp);
}

/* The access-log line for odd request lines. */
static void
test_log_line(struct app *app, struct response *resp)
{
	static const struct {
		int line;
		const char *script, *path, *query, *want;
	} rows[] = {
		{__LINE__, "/placement", "/", "a=1", "GET /placement/?a=1 200 7us"},
		{__LINE__, "", "/x\ny", "", "GET /x?y 401 7us"},
		{__LINE__, "", "/", "q=\r\x7f", "GET /?q=?? 200 7us"},
	};
	for (int i = 0; i < NROWS(rows); i++) {
		struct request req = {0};
		req.method = "GET";
		req.script_name = rows[i].script;
		req.path = rows[i].path;
		req.query = rows[i].query;
		req.body = "";
		app_handle(app, &req, resp);
		const char *line = app_log_line(app, &req, resp, 7);
		CHECK(rows[i].line, strncmp(line, "placement req-", 14) == 0, "log line \"%s\"", line);
		CHECK_HAS(rows[i].line, "log line", line, rows[i].want);
		app_request_done(app, resp);
	}
}

void
test_app(void)
{
	struct config cfg;
	struct app app = {0};
	struct response resp = {0};
	config_defaults(&cfg);
	app.cfg = &cfg;
	for (int i = 0; i < NROWS(app_cases); i++)
		run_case(&app, &resp, &app_cases[i]);
	test_log_line(&app, &resp);
	buf_free(&resp.body);
	arena_free(&app.arena);
}
