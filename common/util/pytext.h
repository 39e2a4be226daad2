/* The reference's text rules: how Python prints and measures the values
 * its messages quote (repr of a str, len in code points, str.strip).
 * Each rule is here once; tests/unit/test_pytext.c holds rows taken from
 * Python 3's own behaviour.  No I/O. */
#ifndef PLACEMENT_PYTEXT_H
#define PLACEMENT_PYTEXT_H
#include "arena.h"
#include "buf.h"
#include <stddef.h>

/* Number of code points of UTF-8 text s[0..n) (Python's len of the str). */
size_t py_len(const char *s, size_t n);

/* Appends repr(s[0..n)) as Python 3 writes a str: single quotes unless
 * the text holds a single quote and no double quote; backslash, the quote,
 * \n \r \t escaped, other control characters and the non-printable
 * U+0080..U+00A0 and U+00AD as \xNN; the rest as it is (UTF-8). */
void py_repr(struct buf *b, const char *s, size_t n);

/* repr(s) as an arena string ("''" when out of memory). */
const char *py_repr_str(struct arena *a, const char *s);

/* Python's str.isspace for one ASCII byte (space, \t..\r, \x1c..\x1f). */
int py_isspace(int ch);

/* Python's str.strip() of ASCII whitespace, into the arena (NULL: out of
 * memory). */
char *py_strip(struct arena *a, const char *s);

/* oslo_utils' is_uuid_like, the reference's test of a uuid: without
 * every "urn:" and then every "uuid:" (str.replace), braces stripped
 * from both ends and dashes dropped, exactly 32 hex digits remain; with
 * hex, those digits in lower case (NUL-terminated).  1 when s is one, 0
 * when not (or memory is short). */
int py_uuid_like(const char *s, char hex[33]);

/* Python's s.split(sep) into the arena: *n items (empty ones kept), the
 * list NULL-terminated; NULL when out of memory. */
const char **py_split(struct arena *a, const char *s, char sep, int *n);

/* Reads s[0..n) as Python's int() does in base 10: blanks around, an
 * optional sign, digits with single '_' between two digits.  *val gets
 * the value, saturated to LLONG_MIN / LLONG_MAX beyond 18 digits; with an
 * arena a, *canon the decimal Python would print (no '+', underscores or
 * leading zeros; "0" for any zero).  0, or -1 when int() would refuse it
 * (or a is out of memory). */
int py_int(struct arena *a, const char *s, size_t n, long long *val, const char **canon);
#endif
