/* JSON Schemas of the allocation and reshaper bodies, as JSON text for
 * js_validate (jschema.h).  Keys are in the reference's order so that,
 * of several errors, the same one is reported. */
#ifndef PLACEMENT_ALLOC_SCHEMA_H
#define PLACEMENT_ALLOC_SCHEMA_H

#define AS_RC_PAT    "^[A-Z0-9_]+$"
#define AS_UUID_PAT  "^[0-9a-fA-F-]{36}$"
#define AS_GROUP_PAT "[a-zA-Z0-9_-]{1,64}"

/* resource class -> amount */
#define AS_RESOURCES "{\"type\":\"object\",\"minProperties\":1,\"patternProperties\":{\"" \
	AS_RC_PAT "\":{\"type\":\"integer\",\"minimum\":1}},\"additionalProperties\":false}"
#define AS_ID_STRING "{\"type\":\"string\",\"minLength\":1,\"maxLength\":255}"

/* Before 1.12: a list of {resource_provider: {uuid}, resources}. */
#define AS_LIST_ALLOCS "{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\"," \
	"\"properties\":{\"resource_provider\":{\"type\":\"object\",\"properties\":{\"uuid\":" \
	"{\"type\":\"string\",\"format\":\"uuid\"}},\"additionalProperties\":false," \
	"\"required\":[\"uuid\"]},\"resources\":" AS_RESOURCES "}," \
	"\"required\":[\"resource_provider\",\"resources\"],\"additionalProperties\":false}}"
#define AS_PUT_V1_0 "{\"type\":\"object\",\"properties\":{\"allocations\":" AS_LIST_ALLOCS "}," \
	"\"required\":[\"allocations\"],\"additionalProperties\":false}"
#define AS_PUT_V1_8 "{\"type\":\"object\",\"properties\":{\"allocations\":" AS_LIST_ALLOCS "," \
	"\"project_id\":" AS_ID_STRING ",\"user_id\":" AS_ID_STRING "}," \
	"\"required\":[\"allocations\",\"project_id\",\"user_id\"],\"additionalProperties\":false}"

/* From 1.12: provider uuid -> {generation (ignored), resources}. */
#define AS_DICT_ALLOCS(minp) "{\"type\":\"object\",\"minProperties\":" minp "," \
	"\"patternProperties\":{\"" AS_UUID_PAT "\":{\"type\":\"object\",\"properties\":" \
	"{\"generation\":{\"type\":\"integer\"},\"resources\":" AS_RESOURCES "}," \
	"\"required\":[\"resources\"],\"additionalProperties\":false}},\"additionalProperties\":false}"
#define AS_GEN "{\"type\":[\"integer\",\"null\"],\"additionalProperties\":false}"
#define AS_MAPPINGS "{\"type\":\"object\",\"minProperties\":1,\"patternProperties\":{\"" \
	AS_GROUP_PAT "\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"," \
	"\"format\":\"uuid\"}}}}"
#define AS_CTYPE "{\"type\":\"string\",\"pattern\":\"" AS_RC_PAT "\",\"minLength\":1,\"maxLength\":255}"

/* One consumer's body; props and req add properties and required keys. */
#define AS_CONSUMER(minp, props, req) "{\"type\":\"object\",\"properties\":{\"allocations\":" \
	AS_DICT_ALLOCS(minp) ",\"project_id\":" AS_ID_STRING ",\"user_id\":" AS_ID_STRING props "}," \
	"\"additionalProperties\":false,\"required\":[\"allocations\",\"project_id\",\"user_id\"" req "]}"
#define AS_P_GEN  ",\"consumer_generation\":" AS_GEN
#define AS_R_GEN  ",\"consumer_generation\""
#define AS_P_MAP  ",\"mappings\":" AS_MAPPINGS
#define AS_P_TYPE ",\"consumer_type\":" AS_CTYPE
#define AS_R_TYPE ",\"consumer_type\""

#define AS_CONSUMER_V1_12 AS_CONSUMER("1", "", "")
#define AS_CONSUMER_V1_13 AS_CONSUMER("0", "", "")
#define AS_CONSUMER_V1_28 AS_CONSUMER("0", AS_P_GEN, AS_R_GEN)
#define AS_CONSUMER_V1_34 AS_CONSUMER("0", AS_P_GEN AS_P_MAP, AS_R_GEN)
#define AS_CONSUMER_V1_38 AS_CONSUMER("0", AS_P_GEN AS_P_MAP AS_P_TYPE, AS_R_GEN AS_R_TYPE)

/* POST /allocations: consumer uuid -> consumer body. */
#define AS_POST(minp, consumer) "{\"type\":\"object\",\"minProperties\":" minp "," \
	"\"additionalProperties\":false,\"patternProperties\":{\"" AS_UUID_PAT "\":" consumer "}}"

/* POST /reshaper inventories: provider uuid -> PUT inventories body. */
#define AS_INT_FIELD(min) "{\"type\":\"integer\",\"maximum\":2147483647,\"minimum\":" min "}"
#define AS_INVENTORY_RECORD "{\"type\":\"object\",\"properties\":{" \
	"\"resource_provider_generation\":{\"type\":\"integer\"}," \
	"\"total\":" AS_INT_FIELD("1") ",\"reserved\":" AS_INT_FIELD("0") "," \
	"\"min_unit\":" AS_INT_FIELD("1") ",\"max_unit\":" AS_INT_FIELD("1") "," \
	"\"step_size\":" AS_INT_FIELD("1") "," \
	"\"allocation_ratio\":{\"type\":\"number\",\"maximum\":3.40282e+38}}," \
	"\"required\":[\"total\"],\"additionalProperties\":false}"
#define AS_PUT_INVENTORIES "{\"type\":\"object\",\"properties\":{" \
	"\"resource_provider_generation\":{\"type\":\"integer\"},\"inventories\":{\"type\":\"object\"," \
	"\"patternProperties\":{\"" AS_RC_PAT "\":" AS_INVENTORY_RECORD "}}}," \
	"\"required\":[\"resource_provider_generation\",\"inventories\"],\"additionalProperties\":false}"
#define AS_RESHAPER(consumer) "{\"type\":\"object\",\"properties\":{\"inventories\":{" \
	"\"type\":\"object\",\"patternProperties\":{\"" AS_UUID_PAT "\":" AS_PUT_INVENTORIES "}," \
	"\"minProperties\":1,\"additionalProperties\":false},\"allocations\":" \
	AS_POST("0", consumer) "},\"required\":[\"inventories\",\"allocations\"]," \
	"\"additionalProperties\":false}"
#endif
