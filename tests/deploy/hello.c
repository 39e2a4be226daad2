/* hello: the floor of "a CGI program behind this web server": answers
 * every request with the bytes and headers of placement's GET / (so that
 * compare's root check passes) and does nothing else: no configuration,
 * no libraries but libc, no database.  tests/deploy/bench --floor runs it
 * in place of placement.cgi (tests/deploy/start APP=...). */
#include <stdio.h>

static const char body[] =
    "{\"versions\":[{\"id\":\"v1.0\",\"max_version\":\"1.39\",\"min_version\":\"1.0\","
    "\"status\":\"CURRENT\",\"links\":[{\"rel\":\"self\",\"href\":\"\"}]}]}";

int
main(void)
{
	printf("Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	       "openstack-api-version: placement 1.0\r\nvary: openstack-api-version\r\n"
	       "x-openstack-request-id: req-00000000-0000-0000-0000-000000000000\r\n\r\n%s",
	       sizeof(body) - 1, body);
	return 0;
}
