/* OpenStack-API-Version negotiation for the placement service. */
#ifndef PLACEMENT_MICROVERSION_H
#define PLACEMENT_MICROVERSION_H

#define MV_MIN 0    /* 1.0 */
#define MV_MAX 39   /* 1.39 */

enum mv_result { MV_OK = 0, MV_INVALID = 1, MV_UNACCEPTABLE = 2 };

/* Reads the placement entry of an OpenStack-API-Version header value
 * ("placement 1.20", "compute 2.1, placement latest"; the last placement
 * entry wins).  header NULL or no placement entry: MV_OK with the minimum.
 * On MV_UNACCEPTABLE, bad (a caller-provided buffer of badlen bytes)
 * gets the offending version text; on MV_INVALID, that text and the
 * reason as the reference words it ("1.a; invalid literal for int() with
 * base 10: 'a'").  Only major version 1 exists; *minor gets the minor. */
enum mv_result mv_parse(const char *header, int *minor, char *bad, int badlen);
#endif
