/* The schema engine (common/http/jschema.c) and read_json_body.  The expected
 * details are python-jsonschema 4.10.3's (the reference's), str() of
 * best_match's error for each {schema, instance} row with its newlines
 * shown as spaces, printed by that library with the reference's uuid
 * format checker (oslo_utils' is_uuid_like); "JSON does not validate: "
 * is the reference's prefix. */
#include "harness.h"
#include "../../common/http/app.h"
#include "../../common/http/jschema.h"
#include "../../common/http/query.h"
#include <json-c/json.h>
#include <string.h>

/* Schemas: static, as js_validate keeps them parsed by address. */
static const char S_INT[] = "{\"type\": \"integer\", \"maximum\": 2147483647, \"minimum\": 1}";
static const char S_NUM[] = "{\"type\": \"number\", \"maximum\": 3.40282e+38}";
static const char S_STR5[] = "{\"type\": \"string\", \"maxLength\": 5}";
static const char S_STRN[] = "{\"type\": [\"string\", \"null\"], \"maxLength\": 5}";
static const char S_UUID[] = "{\"type\": \"string\", \"format\": \"uuid\"}";
static const char S_PARENT[] = "{\"type\": \"object\", \"properties\": {\"p\": {\"anyOf\": [{\"type\": \"string\", \"format\": \"uuid\"}, {\"type\": \"null\"}]}}}";
static const char S_OBJ[] = "{\"type\": \"object\", \"properties\": {\"total\": {\"type\": \"integer\"}, \"name\": {\"type\": \"string\", \"pattern\": \"^[A-Z0-9_]+$\"}}, \"required\": [\"total\", \"name\"], \"additionalProperties\": false}";
static const char S_PAT[] = "{\"type\": \"object\", \"properties\": {\"inv\": {\"type\": \"object\", \"patternProperties\": {\"^[A-Z0-9_]+$\": {\"type\": \"object\", \"required\": [\"total\"], \"additionalProperties\": false, \"properties\": {\"total\": {\"type\": \"integer\", \"minimum\": 1}}}}}}}";
static const char S_ARR[] = "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}, \"minItems\": 1, \"maxItems\": 2}";
static const char S_ADDL[] = "{\"type\": \"object\", \"patternProperties\": {\"^[a-z]+$\": {\"type\": \"integer\"}}, \"additionalProperties\": false}";
static const char S_MINP[] = "{\"type\": \"object\", \"minProperties\": 1, \"maxProperties\": 2}";

static const char S_UNIQ[] = "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"format\": \"uuid\"}, \"uniqueItems\": true}";
static const char S_UNIQANY[] = "{\"type\": \"array\", \"uniqueItems\": true}";

static const struct js_case {
	int line;
	const char *schema;
	const char *instance;     /* JSON */
	const char *detail;       /* NULL: valid */
} js_cases[] = {
#define R(s, i, d) {__LINE__, s, i, d}
	R(S_INT, "1", NULL),
	R(S_INT, "1.0", NULL),
	R(S_INT, "1.5", "JSON does not validate: 1.5 is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     1.5"),
	R(S_INT, "\"1\"", "JSON does not validate: '1' is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     '1'"),
	R(S_INT, "true", "JSON does not validate: True is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     True"),
	R(S_INT, "null", "JSON does not validate: None is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     None"),
	R(S_INT, "[]", "JSON does not validate: [] is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     []"),
	R(S_INT, "{}", "JSON does not validate: {} is not of type 'integer'  Failed validating 'type' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     {}"),
	R(S_INT, "0", "JSON does not validate: 0 is less than the minimum of 1  Failed validating 'minimum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     0"),
	R(S_INT, "-5", "JSON does not validate: -5 is less than the minimum of 1  Failed validating 'minimum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     -5"),
	R(S_INT, "2147483648", "JSON does not validate: 2147483648 is greater than the maximum of 2147483647  Failed validating 'maximum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     2147483648"),
	R(S_INT, "2147483648.0", "JSON does not validate: 2147483648.0 is greater than the maximum of 2147483647  Failed validating 'maximum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     2147483648.0"),
	R(S_INT, "1e300", "JSON does not validate: 1e+300 is greater than the maximum of 2147483647  Failed validating 'maximum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     1e+300"),
	R(S_INT, "18446744073709551615", "JSON does not validate: 18446744073709551615 is greater than the maximum of 2147483647  Failed validating 'maximum' in schema:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance:     18446744073709551615"),
	R(S_NUM, "1.5", NULL),
	R(S_NUM, "\"x\"", "JSON does not validate: 'x' is not of type 'number'  Failed validating 'type' in schema:     {'maximum': 3.40282e+38, 'type': 'number'}  On instance:     'x'"),
	R(S_NUM, "true", "JSON does not validate: True is not of type 'number'  Failed validating 'type' in schema:     {'maximum': 3.40282e+38, 'type': 'number'}  On instance:     True"),
	R(S_NUM, "1e39", "JSON does not validate: 1e+39 is greater than the maximum of 3.40282e+38  Failed validating 'maximum' in schema:     {'maximum': 3.40282e+38, 'type': 'number'}  On instance:     1e+39"),
	R(S_NUM, "3.40282e+38", NULL),
	R(S_NUM, "-1e39", NULL),
	R(S_STR5, "\"abc\"", NULL),
	R(S_STR5, "\"abcdef\"", "JSON does not validate: 'abcdef' is too long  Failed validating 'maxLength' in schema:     {'maxLength': 5, 'type': 'string'}  On instance:     'abcdef'"),
	R(S_STR5, "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"", NULL),
	R(S_STR5, "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"", "JSON does not validate: '\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""' is too long  Failed validating 'maxLength' in schema:     {'maxLength': 5, 'type': 'string'}  On instance:     '\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""\xc3\xa9""'"),
	R(S_STR5, "1", "JSON does not validate: 1 is not of type 'string'  Failed validating 'type' in schema:     {'maxLength': 5, 'type': 'string'}  On instance:     1"),
	R(S_STR5, "null", "JSON does not validate: None is not of type 'string'  Failed validating 'type' in schema:     {'maxLength': 5, 'type': 'string'}  On instance:     None"),
	R(S_STR5, "[1]", "JSON does not validate: [1] is not of type 'string'  Failed validating 'type' in schema:     {'maxLength': 5, 'type': 'string'}  On instance:     [1]"),
	R(S_STRN, "null", NULL),
	R(S_STRN, "1", "JSON does not validate: 1 is not of type 'string', 'null'  Failed validating 'type' in schema:     {'maxLength': 5, 'type': ['string', 'null']}  On instance:     1"),
	R(S_STRN, "\"abcdef\"", "JSON does not validate: 'abcdef' is too long  Failed validating 'maxLength' in schema:     {'maxLength': 5, 'type': ['string', 'null']}  On instance:     'abcdef'"),
	R(S_UUID, "\"7e1a2b3c00004000800000000000ABCD\"", NULL),
	R(S_UUID, "\"abc\"", "JSON does not validate: 'abc' is not a 'uuid'  Failed validating 'format' in schema:     {'format': 'uuid', 'type': 'string'}  On instance:     'abc'"),
	R(S_UUID, "5", "JSON does not validate: 5 is not of type 'string'  Failed validating 'type' in schema:     {'format': 'uuid', 'type': 'string'}  On instance:     5"),
	R(S_UUID, "\"urn:uuid:7e1a2b3c-0000-4000-8000-00000000abcd\"", NULL),
	R(S_PARENT, "{\"p\": null}", NULL),
	R(S_PARENT, "{\"p\": 1}", "JSON does not validate: 1 is not valid under any of the given schemas  Failed validating 'anyOf' in schema['properties']['p']:     {'anyOf': [{'format': 'uuid', 'type': 'string'}, {'type': 'null'}]}  On instance['p']:     1"),
	R(S_PARENT, "{\"p\": []}", "JSON does not validate: [] is not valid under any of the given schemas  Failed validating 'anyOf' in schema['properties']['p']:     {'anyOf': [{'format': 'uuid', 'type': 'string'}, {'type': 'null'}]}  On instance['p']:     []"),
	R(S_PARENT, "{\"p\": \"zz\"}", "JSON does not validate: 'zz' is not a 'uuid'  Failed validating 'format' in schema[0]:     {'format': 'uuid', 'type': 'string'}  On instance:     'zz'"),
	R(S_PARENT, "{}", NULL),
	R(S_OBJ, "{\"total\": 1, \"name\": \"A\"}", NULL),
	R(S_OBJ, "[]", "JSON does not validate: [] is not of type 'object'  Failed validating 'type' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     []"),
	R(S_OBJ, "\"x\"", "JSON does not validate: 'x' is not of type 'object'  Failed validating 'type' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     'x'"),
	R(S_OBJ, "null", "JSON does not validate: None is not of type 'object'  Failed validating 'type' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     None"),
	R(S_OBJ, "{}", "JSON does not validate: 'total' is a required property  Failed validating 'required' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     {}"),
	R(S_OBJ, "{\"name\": \"A\"}", "JSON does not validate: 'total' is a required property  Failed validating 'required' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     {'name': 'A'}"),
	R(S_OBJ, "{\"total\": 1, \"name\": \"A\", \"zeta\": 1, \"beta\": 2}", "JSON does not validate: Additional properties are not allowed ('beta', 'zeta' were unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     {'beta': 2, 'name': 'A', 'total': 1, 'zeta': 1}"),
	R(S_OBJ, "{\"total\": \"x\", \"name\": \"A\", \"zz\": 1}", "JSON does not validate: Additional properties are not allowed ('zz' was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     {'name': 'A', 'total': 'x', 'zz': 1}"),
	R(S_OBJ, "{\"total\": 1, \"name\": \"a\"}", "JSON does not validate: 'a' does not match '^[A-Z0-9_]+$'  Failed validating 'pattern' in schema['properties']['name']:     {'pattern': '^[A-Z0-9_]+$', 'type': 'string'}  On instance['name']:     'a'"),
	R(S_OBJ, "{\"total\": 1, \"name\": \"A\\n\"}", NULL),
	R(S_OBJ, "{\"total\": 1, \"name\": \"A\\nB\"}", "JSON does not validate: 'A\\nB' does not match '^[A-Z0-9_]+$'  Failed validating 'pattern' in schema['properties']['name']:     {'pattern': '^[A-Z0-9_]+$', 'type': 'string'}  On instance['name']:     'A\\nB'"),
	R(S_OBJ, "{\"total\": 1, \"name\": \"A\", \"it's\": 1}", "JSON does not validate: Additional properties are not allowed (\"it's\" was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'name': {'pattern': '^[A-Z0-9_]+$', 'type': 'string'},                     'total': {'type': 'integer'}},      'required': ['total', 'name'],      'type': 'object'}  On instance:     {\"it's\": 1, 'name': 'A', 'total': 1}"),
	R(S_OBJ, "{\"total\": 1.5, \"name\": 5}", "JSON does not validate: 1.5 is not of type 'integer'  Failed validating 'type' in schema['properties']['total']:     {'type': 'integer'}  On instance['total']:     1.5"),
	R(S_PAT, "{\"inv\": {\"VCPU\": {\"total\": 0}}}", "JSON does not validate: 0 is less than the minimum of 1  Failed validating 'minimum' in schema['properties']['inv']['patternProperties']['^[A-Z0-9_]+$']['properties']['total']:     {'minimum': 1, 'type': 'integer'}  On instance['inv']['VCPU']['total']:     0"),
	R(S_PAT, "{\"inv\": {\"VCPU\\n\": {}}}", "JSON does not validate: 'total' is a required property  Failed validating 'required' in schema['properties']['inv']['patternProperties']['^[A-Z0-9_]+$']:     {'additionalProperties': False,      'properties': {'total': {'minimum': 1, 'type': 'integer'}},      'required': ['total'],      'type': 'object'}  On instance['inv']['VCPU\\n']:     {}"),
	R(S_PAT, "{\"inv\": {\"vcpu\": {}}}", NULL),
	R(S_PAT, "{\"inv\": {\"A\": {\"x\": 1}, \"B\": {}}}", "JSON does not validate: 'total' is a required property  Failed validating 'required' in schema['properties']['inv']['patternProperties']['^[A-Z0-9_]+$']:     {'additionalProperties': False,      'properties': {'total': {'minimum': 1, 'type': 'integer'}},      'required': ['total'],      'type': 'object'}  On instance['inv']['A']:     {'x': 1}"),
	R(S_PAT, "{\"inv\": []}", "JSON does not validate: [] is not of type 'object'  Failed validating 'type' in schema['properties']['inv']:     {'patternProperties': {'^[A-Z0-9_]+$': {'additionalProperties': False,                                             'properties': {'total': {'minimum': 1,                                                                      'type': 'integer'}},                                             'required': ['total'],                                             'type': 'object'}},      'type': 'object'}  On instance['inv']:     []"),
	R(S_ARR, "[\"a\"]", NULL),
	R(S_ARR, "[]", "JSON does not validate: [] is too short  Failed validating 'minItems' in schema:     {'items': {'enum': ['a', 'b'], 'type': 'string'},      'maxItems': 2,      'minItems': 1,      'type': 'array'}  On instance:     []"),
	R(S_ARR, "[\"a\", \"b\", \"a\"]", "JSON does not validate: ['a', 'b', 'a'] is too long  Failed validating 'maxItems' in schema:     {'items': {'enum': ['a', 'b'], 'type': 'string'},      'maxItems': 2,      'minItems': 1,      'type': 'array'}  On instance:     ['a', 'b', 'a']"),
	R(S_ARR, "[\"c\"]", "JSON does not validate: 'c' is not one of ['a', 'b']  Failed validating 'enum' in schema['items']:     {'enum': ['a', 'b'], 'type': 'string'}  On instance[0]:     'c'"),
	R(S_ARR, "[1]", "JSON does not validate: 1 is not of type 'string'  Failed validating 'type' in schema['items']:     {'enum': ['a', 'b'], 'type': 'string'}  On instance[0]:     1"),
	R(S_ARR, "{}", "JSON does not validate: {} is not of type 'array'  Failed validating 'type' in schema:     {'items': {'enum': ['a', 'b'], 'type': 'string'},      'maxItems': 2,      'minItems': 1,      'type': 'array'}  On instance:     {}"),
	R(S_ADDL, "{\"ab\": 1}", NULL),
	R(S_ADDL, "{\"AB\": 1}", "JSON does not validate: 'AB' does not match any of the regexes: '^[a-z]+$'  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'patternProperties': {'^[a-z]+$': {'type': 'integer'}},      'type': 'object'}  On instance:     {'AB': 1}"),
	R(S_ADDL, "{\"AB\": 1, \"1\": 2}", "JSON does not validate: '1', 'AB' do not match any of the regexes: '^[a-z]+$'  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'patternProperties': {'^[a-z]+$': {'type': 'integer'}},      'type': 'object'}  On instance:     {'1': 2, 'AB': 1}"),
	R(S_ADDL, "{\"ab\": \"x\"}", "JSON does not validate: 'x' is not of type 'integer'  Failed validating 'type' in schema['patternProperties']['^[a-z]+$']:     {'type': 'integer'}  On instance['ab']:     'x'"),
	R(S_MINP, "{}", "JSON does not validate: {} does not have enough properties  Failed validating 'minProperties' in schema:     {'maxProperties': 2, 'minProperties': 1, 'type': 'object'}  On instance:     {}"),
	R(S_MINP, "{\"a\": 1, \"b\": 2, \"c\": 3}", "JSON does not validate: {'a': 1, 'b': 2, 'c': 3} has too many properties  Failed validating 'maxProperties' in schema:     {'maxProperties': 2, 'minProperties': 1, 'type': 'object'}  On instance:     {'a': 1, 'b': 2, 'c': 3}"),
	R(S_UNIQ, "[]", NULL),
	R(S_UNIQ, "[\"7e1a2b3c-0000-4000-8000-00000000abcd\"]", NULL),
	R(S_UNIQ, "[\"7e1a2b3c-0000-4000-8000-00000000abcd\", \"7e1a2b3c-0000-4000-8000-00000000abcd\"]", "JSON does not validate: ['7e1a2b3c-0000-4000-8000-00000000abcd', '7e1a2b3c-0000-4000-8000-00000000abcd'] has non-unique elements  Failed validating 'uniqueItems' in schema:     {'items': {'format': 'uuid', 'type': 'string'},      'type': 'array',      'uniqueItems': True}  On instance:     ['7e1a2b3c-0000-4000-8000-00000000abcd',      '7e1a2b3c-0000-4000-8000-00000000abcd']"),
	R(S_UNIQ, "[\"a\", \"a\"]", "JSON does not validate: ['a', 'a'] has non-unique elements  Failed validating 'uniqueItems' in schema:     {'items': {'format': 'uuid', 'type': 'string'},      'type': 'array',      'uniqueItems': True}  On instance:     ['a', 'a']"),
	R(S_UNIQ, "[\"a\", \"b\"]", "JSON does not validate: 'a' is not a 'uuid'  Failed validating 'format' in schema['items']:     {'format': 'uuid', 'type': 'string'}  On instance[0]:     'a'"),
	R(S_UNIQANY, "[1, 1.0]", "JSON does not validate: [1, 1.0] has non-unique elements  Failed validating 'uniqueItems' in schema:     {'type': 'array', 'uniqueItems': True}  On instance:     [1, 1.0]"),
	R(S_UNIQANY, "[true, 1]", NULL),
	R(S_UNIQANY, "[{\"a\": 1}, {\"a\": 1}]", "JSON does not validate: [{'a': 1}, {'a': 1}] has non-unique elements  Failed validating 'uniqueItems' in schema:     {'type': 'array', 'uniqueItems': True}  On instance:     [{'a': 1}, {'a': 1}]"),
	R(S_UNIQANY, "[[1], [1, 2]]", NULL),
	R(S_UNIQANY, "[null, null]", "JSON does not validate: [None, None] has non-unique elements  Failed validating 'uniqueItems' in schema:     {'type': 'array', 'uniqueItems': True}  On instance:     [None, None]"),
#undef R
};

/* js_validate_query: the query as webob's dict(req.GET) (each key once,
 * its last value), with the reference's prefix. */
static const char S_QA[] = "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"additionalProperties\": false}";
static const char S_QAB[] = "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}, \"additionalProperties\": false}";
static const char S_QNONE[] = "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}";
static const char S_QNAME[] = "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}, \"additionalProperties\": false}";
static const struct q_case {
	int line;
	const char *schema;
	const char *query;
	const char *detail;       /* NULL: valid */
} q_cases[] = {
#define R(s, q, d) {__LINE__, s, q, d}
	R(S_QNONE, "", NULL),
	R(S_QA, "a=1", NULL),
	R(S_QA, "a=1&a=2", NULL),
	R(S_QAB, "a=1&b=2", NULL),
	R(S_QAB, "x=1", "Invalid query string parameters: Additional properties are not allowed ('x' was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'a': {'type': 'string'}, 'b': {'type': 'string'}},      'type': 'object'}  On instance:     {'x': '1'}"),
	R(S_QNONE, "b=1&a=2&b=3", "Invalid query string parameters: Additional properties are not allowed ('a', 'b' were unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False, 'properties': {}, 'type': 'object'}  On instance:     {'a': '2', 'b': '3'}"),
	R(S_QNAME, "zeta=1&beta=2&name=x&mid=3", "Invalid query string parameters: Additional properties are not allowed ('beta', 'mid', 'zeta' were unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'name': {'type': 'string'}},      'type': 'object'}  On instance:     {'beta': '2', 'mid': '3', 'name': 'x', 'zeta': '1'}"),
	R(S_QA, "=1", "Invalid query string parameters: Additional properties are not allowed ('' was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'a': {'type': 'string'}},      'type': 'object'}  On instance:     {'': '1'}"),
	R(S_QA, "a+b=1", "Invalid query string parameters: Additional properties are not allowed ('a b' was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'a': {'type': 'string'}},      'type': 'object'}  On instance:     {'a b': '1'}"),
	R(S_QA, "it's=1&a=x", "Invalid query string parameters: Additional properties are not allowed (\"it's\" was unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False,      'properties': {'a': {'type': 'string'}},      'type': 'object'}  On instance:     {'a': 'x', \"it's\": '1'}"),
	R(S_QNONE, "b=1&b=2&c=%0A", "Invalid query string parameters: Additional properties are not allowed ('b', 'c' were unexpected)  Failed validating 'additionalProperties' in schema:     {'additionalProperties': False, 'properties': {}, 'type': 'object'}  On instance:     {'b': '2', 'c': '\\n'}"),
#undef R
};

/* js_repr: the value as Python's repr() prints the decoded JSON. */
static const struct repr_case {
	int line;
	const char *json;
	const char *repr;
} repr_cases[] = {
#define R(j, r) {__LINE__, j, r}
	R("{\"a\": [1, \"x\", null, true, 1.5, {\"k\": \"v\"}]}", "{'a': [1, 'x', None, True, 1.5, {'k': 'v'}]}"),
	R("\"it's\"", "\"it's\""),
	R("\"a\\\"b\"", "'a\"b'"),
	R("\"it's \\\"x\\\"\"", "'it\\'s \"x\"'"),
	R("\"a\\nb\\tc\\rd\"", "'a\\nb\\tc\\rd'"),
	R("\"\\u0001\\u007f\"", "'\\x01\\x7f'"),
	R("\"\\\\\"", "'\\\\'"),
	R("{\"it's\": 1}", "{\"it's\": 1}"),
	R("100.0", "100.0"),
	R("1e16", "1e+16"),
	R("-0.0", "-0.0"),
	R("10", "10"),
	R("false", "False"),
	R("[]", "[]"),
	R("{}", "{}"),
	R("1e999", "inf"),
	R("-1e999", "-inf"),
#undef R
};

/* read_json_body: Content-Type and strict parsing. */
static const struct body_case {
	int line;
	const char *ctype;
	const char *body;
	int status;               /* 0: accepted */
	const char *detail;       /* exact for 415, a prefix for 400 */
} body_cases[] = {
#define R(ct, b, st, d) {__LINE__, ct, b, st, d}
	R("application/json", "{}", 0, NULL),
	R("application/json", " [1, 2] \n", 0, NULL),
	R("application/json; charset=UTF-8", "{\"a\": 1}", 0, NULL),
	R("APPLICATION/JSON", "{}", 0, NULL),
	R(NULL, "", 415,
	  "The request media type None is not supported by this server. \n\n The media type None is not supported, use application/json"),
	R("", "{}", 415,
	  "The request media type None is not supported by this server. \n\n The media type None is not supported, use application/json"),
	R("text/plain", "{}", 415,
	  "The request media type text/plain is not supported by this server. \n\n The media type text/plain is not supported, use application/json"),
	R("application/jsonx", "{}", 415,
	  "The request media type application/jsonx is not supported by this server. \n\n The media type application/jsonx is not supported, use application/json"),
	R("application/json", "", 400, "Malformed JSON: Expecting value: line 1 column 1 (char 0)"),
	R("application/json", "{", 400, "Malformed JSON: "),
	R("application/json", "{} x", 400, "Malformed JSON: "),
	R("application/json", "{}{}", 400, "Malformed JSON: "),
	/* json-c's strict mode lets these through; Python's json does not */
	R("application/json", "{'a': 1}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
	R("application/json", "{\n 'a': 1}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 2 column 2 (char 3)"),
	R("application/json", "{\"a\": \"it's\", 'b': 2}", 400,
	  "Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 15 (char 14)"),
	R("application/json", "[\"a\tb\"]", 400,
	  "Malformed JSON: Invalid control character at: line 1 column 4 (char 3)"),
	R("application/json", "{\"k\": \"x\ny\"}", 400,
	  "Malformed JSON: Invalid control character at: line 1 column 9 (char 8)"),
	R("application/json", "[\"\xff\"]", 400, "Malformed JSON: "),
	R("application/json", "[\"\xc3\"]", 400, "Malformed JSON: "),
	R("application/json", "{\"a\": \"it's \\\" \\\\ ok\"}", 0, NULL),
	R("application/json", "[\"\xc3\xa9\"]", 0, NULL),
	/* lone surrogates: json-c would store U+FFFD; pairs are characters */
	R("application/json", "[\"\\ud800\"]", 400, "Malformed JSON: Lone surrogate \\ud800 at: line 1 column 3 (char 2)"),
	R("application/json", "[\"ab\\udfff\"]", 400, "Malformed JSON: Lone surrogate \\udfff at: line 1 column 5 (char 4)"),
	R("application/json", "[\"\\uD83D\\u0041\"]", 400, "Malformed JSON: Lone surrogate \\ud83d at: line 1 column 3 (char 2)"),
	R("application/json", "[\"\\ud83d\\ude00\"]", 0, NULL),
	R("application/json", "[\"\\\\ud800\"]", 0, NULL),
	R("application/json", "[\"\\u00e9\"]", 0, NULL),
	R("application/json", "{\"a\": 1,}", 400, "Malformed JSON: "),
	R("application/json", "[1, 2,]", 400, "Malformed JSON: "),
	R("application/json", "nul", 400, "Malformed JSON: "),
	/* a whole body that is a number or a boolean is JSON too */
	R("application/json", "2", 0, NULL),
	R("application/json", "-1.5e3 ", 0, NULL),
	R("application/json", "true", 0, NULL),
	R("application/json", "false\n", 0, NULL),
	R("application/json", "tru", 400, "Malformed JSON: "),
	R("application/json", "1 2", 400, "Malformed JSON: "),
	R("application/json",
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	  "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	  400, "Malformed JSON: "),
#undef R
};

/* Parses as read_json_body does (strict, numbers and booleans at the end
 * of the text included); NULL on error or for null. */
static struct json_object *
parse_strict(const char *text)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
	json_tokener_free(tok);
	return o;
}

/* A context with just what validation needs. */
static void
setup(struct ctx *c, struct request *r, struct arena *a)
{
	memset(c, 0, sizeof(*c));
	memset(r, 0, sizeof(*r));
	c->req = r;
	c->a = a;
}

static void
test_schemas(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(js_cases); i++) {
		const struct js_case *t = &js_cases[i];
		struct ctx c;
		struct request r;
		setup(&c, &r, &a);
		struct json_object *o = parse_strict(t->instance);
		CHECK(t->line, o != NULL || strcmp(t->instance, "null") == 0, "test instance does not parse");
		int rc = js_validate(&c, t->schema, o);
		CHECK_INT(t->line, "rc", rc, t->detail ? -1 : 0);
		if (t->detail) {
			CHECK_INT(t->line, "status", c.err.status, 400);
			CHECK_STR(t->line, "detail", c.err.detail, t->detail);
		}
		json_object_put(o);
		arena_reset(&a);
	}
	/* JS_POSIX_END: "$" only at the very end */
	{
		struct ctx c;
		struct request r;
		setup(&c, &r, &a);
		struct json_object *o = parse_strict("{\"total\": 1, \"name\": \"A\\n\"}");
		CHECK_INT(__LINE__, "rc", js_validate_flags(&c, S_OBJ, o, JS_POSIX_END), -1);
		CHECK(__LINE__, c.err.detail && strstr(c.err.detail, "'A\\n' does not match '^[A-Z0-9_]+$'"),
		      "detail \"%s\"", c.err.detail);
		json_object_put(o);
		arena_reset(&a);
	}
	for (int i = 0; i < NROWS(q_cases); i++) {
		const struct q_case *t = &q_cases[i];
		struct ctx c;
		struct request r;
		setup(&c, &r, &a);
		r.query = t->query;
		CHECK_INT(t->line, "parse", query_parse(&c), 0);
		int rc = js_validate_query(&c, t->schema);
		CHECK_INT(t->line, "rc", rc, t->detail ? -1 : 0);
		if (t->detail)
			CHECK_STR(t->line, "detail", c.err.detail, t->detail);
		arena_reset(&a);
	}
	for (int i = 0; i < NROWS(repr_cases); i++) {
		struct ctx c;
		struct request r;
		setup(&c, &r, &a);
		struct json_object *o = parse_strict(repr_cases[i].json);
		CHECK_STR(repr_cases[i].line, "js_repr", js_repr(&c, o), repr_cases[i].repr);
		json_object_put(o);
		arena_reset(&a);
	}
	arena_free(&a);
}

static void
test_bodies(void)
{
	struct arena a = {0};
	for (int i = 0; i < NROWS(body_cases); i++) {
		const struct body_case *t = &body_cases[i];
		struct ctx c;
		struct request r;
		struct json_object *o = NULL;
		setup(&c, &r, &a);
		r.content_type = t->ctype;
		/* an exact-size heap copy: ASan sees any read past the body */
		char *body = arena_strdup(&a, t->body);
		r.body = body;
		r.body_len = strlen(body);
		int rc = read_json_body(&c, &o);
		CHECK_INT(t->line, "rc", rc, t->status ? -1 : 0);
		CHECK_INT(t->line, "status", c.err.status, t->status);
		if (t->status == 415)
			CHECK_STR(t->line, "detail", c.err.detail, t->detail);
		else if (t->status)
			CHECK(t->line, c.err.detail && strncmp(c.err.detail, t->detail, strlen(t->detail)) == 0,
			      "detail \"%s\" does not start with \"%s\"", c.err.detail, t->detail);
		else
			CHECK(t->line, o != NULL && o == c.body_json, "parsed body kept in the context");
		if (c.body_json)
			json_object_put(c.body_json);
		arena_reset(&a);
	}
	arena_free(&a);
}

void
test_jschema(void)
{
	test_schemas();
	test_bodies();
}
