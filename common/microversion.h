/* OpenStack-API-Version negotiation for the placement service. */
#ifndef PLACEMENT_MICROVERSION_H
#define PLACEMENT_MICROVERSION_H

#define MV_MIN 0    /* 1.0 */
#define MV_MAX 39   /* 1.39 */

enum mv_result { MV_OK = 0, MV_INVALID = 1, MV_UNACCEPTABLE = 2 };

/* Reads the placement entry of an OpenStack-API-Version header value
 * ("placement 1.20", "compute 2.1, placement latest").  header NULL or no
 * placement entry: MV_OK with the minimum.  On MV_INVALID or
 * MV_UNACCEPTABLE, *bad points at the offending version text (in a
 * caller-provided buffer of badlen bytes).  Only major version 1 exists;
 * *minor gets the minor version. */
enum mv_result mv_parse(const char *header, int *minor, char *bad, int badlen);
#endif
