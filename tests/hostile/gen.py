#!/usr/bin/env python3
"""Generates tests/hostile/cases.jsonl, the hostile-request corpus that
tests/hostile/run replays.  Run again after editing: python3 tests/hostile/gen.py

One JSON object a line.  Every string that goes on the wire (target,
header values, body) holds bytes as code points 0-255 (latin-1), so raw
invalid UTF-8 and control bytes can be written down.  Fields:
  id       unique name               group   route it aims at
  method   request method            target  request-target as sent
  mv       OpenStack-API-Version minor ("1.39"), a raw header value
           ("placement x"), or null for no header
  token    X-Auth-Token or null      headers [[name, value], ...] more
  body     request body              gen     {"prefix","repeat","count","suffix"}
           for bodies too big to store
  ctype    Content-Type for a body (default application/json; null: none)
  setup    1: builds the fixtures; expect lists its acceptable statuses
  json     0: the error body need not be JSON (the client asked otherwise)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
RP1 = "0c1d5a4e-6f7b-4c3d-9e8f-000000000001"
RP2 = "0c1d5a4e-6f7b-4c3d-9e8f-000000000002"
C1 = "0c1d5a4e-6f7b-4c3d-9e8f-0000000000c1"
AGG = "0c1d5a4e-6f7b-4c3d-9e8f-0000000000a1"
NEW = "0c1d5a4e-6f7b-4c3d-9e8f-0000000000ff"

cases = []
ids = set()


def b(s):
    """Text as UTF-8 bytes, stored as latin-1 code points."""
    return s.encode("utf-8").decode("latin-1")


def pattern(target):
    """The route pattern a target aims at: /resource_providers/*/inventories/*."""
    segs = target.split("?")[0].split("/")
    for i in (2, 4):
        if i < len(segs) and segs[i]:
            segs[i] = "*"
    return "/".join(segs) or "/"


def add(id, method, target, group=None, mv="1.39", token="admin", headers=None,
        body=None, gen=None, ctype="application/json", **extra):
    assert id not in ids, id
    ids.add(id)
    c = {"id": id, "group": group or "%s %s" % (method, pattern(target)),
         "method": method, "target": target, "mv": mv, "token": token}
    if headers:
        c["headers"] = headers
    if body is not None:
        c["body"] = body
    if gen is not None:
        c["gen"] = gen
    if body is not None or gen is not None:
        c["ctype"] = ctype
    c.update(extra)
    cases.append(c)


def dumps(o):
    return json.dumps(o, ensure_ascii=False)


# --- fixtures, built through the API itself ---
add("setup.rp1", "POST", "/resource_providers", mv="1.20", setup=1, expect=[200],
    body=dumps({"name": "hostile-root", "uuid": RP1}))
add("setup.rp2", "POST", "/resource_providers", mv="1.20", setup=1, expect=[200],
    body=dumps({"name": "hostile-child", "uuid": RP2, "parent_provider_uuid": RP1}))
add("setup.inv", "PUT", "/resource_providers/%s/inventories" % RP1, setup=1, expect=[200],
    body=dumps({"resource_provider_generation": 0, "inventories": {
        "VCPU": {"total": 8}, "MEMORY_MB": {"total": 4096}, "DISK_GB": {"total": 100}}}))
add("setup.rc", "POST", "/resource_classes", setup=1, expect=[201],
    body=dumps({"name": "CUSTOM_HOSTILE"}))
add("setup.trait", "PUT", "/traits/CUSTOM_HOSTILE", setup=1, expect=[201])
add("setup.alloc", "PUT", "/allocations/" + C1, setup=1, expect=[204],
    body=dumps({"allocations": {RP1: {"resources": {"VCPU": 1}}}, "project_id": "p",
                "user_id": "u", "consumer_generation": None, "consumer_type": "INSTANCE"}))

# --- every route: a valid-looking target to start from ---
ROUTES = [
    ("GET", "/", None), ("GET", "/resource_providers", None),
    ("POST", "/resource_providers", {"name": "h-new", "uuid": NEW}),
    ("GET", "/resource_providers/" + RP1, None),
    ("PUT", "/resource_providers/" + RP2, {"name": "hostile-child", "parent_provider_uuid": RP1}),
    ("DELETE", "/resource_providers/" + NEW, None),
    ("GET", "/resource_providers/%s/inventories" % RP1, None),
    ("POST", "/resource_providers/%s/inventories" % RP2,
     {"resource_class": "DISK_GB", "total": 10, "resource_provider_generation": 99}),
    ("PUT", "/resource_providers/%s/inventories" % RP1,
     {"resource_provider_generation": 99, "inventories": {"VCPU": {"total": 8}}}),
    ("DELETE", "/resource_providers/%s/inventories" % RP2, None),
    ("GET", "/resource_providers/%s/inventories/VCPU" % RP1, None),
    ("PUT", "/resource_providers/%s/inventories/VCPU" % RP1,
     {"resource_provider_generation": 99, "total": 8}),
    ("DELETE", "/resource_providers/%s/inventories/DISK_GB" % RP2, None),
    ("GET", "/resource_providers/%s/usages" % RP1, None),
    ("GET", "/resource_providers/%s/aggregates" % RP1, None),
    ("PUT", "/resource_providers/%s/aggregates" % RP1,
     {"aggregates": [AGG], "resource_provider_generation": 99}),
    ("GET", "/resource_providers/%s/traits" % RP1, None),
    ("PUT", "/resource_providers/%s/traits" % RP1,
     {"traits": ["CUSTOM_HOSTILE"], "resource_provider_generation": 99}),
    ("DELETE", "/resource_providers/%s/traits" % RP2, None),
    ("GET", "/resource_providers/%s/allocations" % RP1, None),
    ("GET", "/resource_classes", None), ("POST", "/resource_classes", {"name": "CUSTOM_H2"}),
    ("GET", "/resource_classes/CUSTOM_HOSTILE", None),
    ("PUT", "/resource_classes/CUSTOM_H3", None),
    ("DELETE", "/resource_classes/CUSTOM_NOPE", None),
    ("GET", "/traits", None), ("GET", "/traits/CUSTOM_HOSTILE", None),
    ("PUT", "/traits/CUSTOM_H4", None), ("DELETE", "/traits/CUSTOM_NOPE", None),
    ("GET", "/allocations/" + C1, None),
    ("PUT", "/allocations/" + NEW,
     {"allocations": {RP1: {"resources": {"VCPU": 1}}}, "project_id": "p", "user_id": "u",
      "consumer_generation": 7, "consumer_type": "INSTANCE"}),
    ("DELETE", "/allocations/" + NEW, None),
    ("POST", "/allocations",
     {C1: {"allocations": {RP1: {"resources": {"VCPU": 1}}}, "project_id": "p", "user_id": "u",
           "consumer_generation": 99, "consumer_type": "INSTANCE"}}),
    ("GET", "/usages?project_id=p", None),
    ("GET", "/allocation_candidates?resources=VCPU:1", None),
    ("POST", "/reshaper", {"inventories": {}, "allocations": {}}),
]


def slug(method, target):
    t = target.split("?")[0].strip("/").replace(RP1, "RP1").replace(RP2, "RP2")
    t = t.replace(C1, "C1").replace(NEW, "NEW").replace("/", ".") or "root"
    return "%s.%s" % (method.lower(), t)


# Microversion headers: malformed (400), out of range (406), odd spellings.
BAD_MV = ["placement 1.99", "placement 1.a", "placement -1.5", "placement 2.0", "placement 1",
          "placement 1.2.3", "placement 1.99999999999999999999999", "placement \x01.\x02",
          "placement 1.\xff", "placement  latest ", "placement LATEST", "placement 0.9"]
for i, (method, target, body) in enumerate(ROUTES):
    s = slug(method, target)
    bodytext = dumps(body) if body is not None else None
    g = "%s %s" % (method, pattern(target))
    # two microversion cases per route, rotating through the list
    for k in range(2):
        mv = BAD_MV[(2 * i + k) % len(BAD_MV)]
        add("%s.mv%d" % (s, k), method, target, group=g, mv=mv, body=bodytext)
    add(s + ".mv_min", method, target, group=g, mv="1.0", body=bodytext)
    # no token, empty token, odd token and roles
    add(s + ".no_token", method, target, group=g, token=None, body=bodytext)
    add(s + ".odd_token", method, target, group=g, token="\x7f:\xff", body=bodytext,
        headers=[["X-Roles", "\x01reader,,admin\xff"], ["OpenStack-System-Scope", "all\xff"]])
    # wrong methods
    for m in ("PATCH", "TRACE", "get", "FOO_BAR"):
        if m.upper() != method:
            add("%s.method_%s" % (s, m), m, target, group=g, body=bodytext)
    # query abuse
    sep = "&" if "?" in target else "?"
    add(s + ".q_unknown", method, target + sep + "bogus=1&bogus=2", group=g, body=bodytext)
    add(s + ".q_badutf8", method, target + sep + "name=%FF%FE&%C0%80=x", group=g, body=bodytext)
    add(s + ".q_ctl", method, target + sep + "name=%00%01%0a%0d", group=g, body=bodytext)
    # every route that carries a body: wrong content types and broken JSON
    if body is not None:
        add(s + ".ct_text", method, target, group=g, body=bodytext, ctype="text/plain")
        add(s + ".ct_none", method, target, group=g, body=bodytext, ctype=None)
        add(s + ".ct_charset", method, target, group=g, body=bodytext,
            ctype="application/json; charset=latin-1")
        add(s + ".ct_junk", method, target, group=g, body=bodytext, ctype="application/json\x01\xff")
        add(s + ".empty", method, target, group=g, body="")
        add(s + ".truncated", method, target, group=g, body=bodytext[: len(bodytext) // 2])
        add(s + ".array", method, target, group=g, body="[]")
        add(s + ".null", method, target, group=g, body="null")
        add(s + ".string", method, target, group=g, body='"x"')
        add(s + ".deep_arr", method, target, group=g, gen={"repeat": "[", "count": 5000})
        add(s + ".deep_obj", method, target, group=g,
            gen={"repeat": '{"a":', "count": 3000, "suffix": "1" + "}" * 3000})
        add(s + ".trailing", method, target, group=g, body=bodytext + " {}")
        add(s + ".badutf8", method, target, group=g, body=bodytext.replace('"', '"\xff\xfe', 1))
        add(s + ".nan", method, target, group=g, body=bodytext[:-1] + ', "x": NaN}')
        add(s + ".huge", method, target, group=g,
            gen={"prefix": '{"name": "', "repeat": "A", "count": 3 * 1024 * 1024, "suffix": '"}'})

# --- per-field type confusion on each body route ---
WEIRD = [
    ("null", "null"), ("true", "true"), ("neg", "-1"), ("float", "1.5"), ("str", '"x"'),
    ("arr", "[]"), ("obj", "{}"), ("big", "18446744073709551616"), ("exp", "1e400"),
    ("negbig", "-9223372036854775809"), ("ctl", '"a\\u0000b\\u001f"'),
    ("surrogate", '"\\ud800"'), ("rawctl", '"a\x01b"'), ("rawbad", '"\xc3\x28"'),
    ("long", '"' + "x" * 3000 + '"'),
]
FIELD_ROUTES = [
    ("POST", "/resource_providers", {"name": "h-f", "uuid": NEW, "parent_provider_uuid": RP1}),
    ("PUT", "/resource_providers/" + RP2, {"name": "hostile-child", "parent_provider_uuid": RP1}),
    ("PUT", "/resource_providers/%s/inventories/VCPU" % RP1,
     {"resource_provider_generation": 99, "total": 8, "reserved": 0, "min_unit": 1,
      "max_unit": 8, "step_size": 1, "allocation_ratio": 1.0}),
    ("PUT", "/resource_providers/%s/aggregates" % RP1,
     {"aggregates": [AGG], "resource_provider_generation": 99}),
    ("PUT", "/resource_providers/%s/traits" % RP1,
     {"traits": ["CUSTOM_HOSTILE"], "resource_provider_generation": 99}),
    ("POST", "/resource_classes", {"name": "CUSTOM_H5"}),
    ("PUT", "/allocations/" + NEW,
     {"allocations": {RP1: {"resources": {"VCPU": 1}}}, "project_id": "p", "user_id": "u",
      "consumer_generation": 7, "consumer_type": "INSTANCE"}),
    ("POST", "/reshaper", {"inventories": {}, "allocations": {}}),
]
for method, target, body in FIELD_ROUTES:
    s = slug(method, target)
    for field in body:
        for wname, wtext in WEIRD:
            o = dict(body)
            o[field] = "@@WEIRD@@"
            text = dumps(o).replace('"@@WEIRD@@"', wtext)
            add("%s.field_%s.%s" % (s, field, wname), method, target, body=text)

# --- nested values: inventories, allocations ---
INV = "/resource_providers/%s/inventories" % RP1
for wname, wtext in WEIRD:
    add("inv_put_all.class_value.%s" % wname, "PUT", INV,
        body='{"resource_provider_generation": 99, "inventories": {"VCPU": %s}}' % wtext)
    add("inv_put_all.total.%s" % wname, "PUT", INV,
        body='{"resource_provider_generation": 99, "inventories": {"VCPU": {"total": %s}}}' % wtext)
    add("alloc_put.resources_amount.%s" % wname, "PUT", "/allocations/" + NEW,
        body=('{"allocations": {"%s": {"resources": {"VCPU": %s}}}, "project_id": "p", '
              '"user_id": "u", "consumer_generation": null, "consumer_type": "INSTANCE"}') % (RP1, wtext))
    add("alloc_post.consumer_value.%s" % wname, "POST", "/allocations", body='{"%s": %s}' % (C1, wtext))
for name in ["", "vcpu", "CUSTOM_", "CUSTOM_\xff", b("CUSTOM_É"), "X" * 300, "CUSTOM_a-b", "\x00"]:
    add("inv_put_all.class_name.%d" % len(cases), "PUT", INV,
        body='{"resource_provider_generation": 99, "inventories": {%s: {"total": 1}}}' % json.dumps(name))
    add("alloc_put.class_name.%d" % len(cases), "PUT", "/allocations/" + NEW,
        body=('{"allocations": {"%s": {"resources": {%s: 1}}}, "project_id": "p", "user_id": "u", '
              '"consumer_generation": null, "consumer_type": "INSTANCE"}') % (RP1, json.dumps(name)))
add("alloc_put.many_providers", "PUT", "/allocations/" + NEW,
    body=dumps({"allocations": {"%08d-0000-0000-0000-000000000000" % i: {"resources": {"VCPU": 1}}
                                for i in range(2000)}, "project_id": "p", "user_id": "u",
                "consumer_generation": None, "consumer_type": "INSTANCE"}))
add("traits_put.many", "PUT", "/resource_providers/%s/traits" % RP1,
    body=dumps({"traits": ["CUSTOM_T%d" % i for i in range(5000)], "resource_provider_generation": 99}))
add("aggs_put.dup", "PUT", "/resource_providers/%s/aggregates" % RP1,
    body=dumps({"aggregates": [AGG, AGG], "resource_provider_generation": 99}))
add("rp_create.dup_keys", "POST", "/resource_providers", body='{"name": "a", "name": "b"}')

# --- bad path arguments and path tricks on every kind of path ---
ARGS = [("bad_uuid", "not-a-uuid"), ("pct_ff", "%FF"), ("pct_00", "%00"), ("raw_ff", "\xff"),
        ("dotdot", ".."), ("enc_dotdot", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"), ("long", "a" * 4000),
        ("utf8", b("Ünïcødé")), ("slash", "%2F"), ("ctl", "%01%1f%7f")]
PATTERNS = ["/resource_providers/%s", "/resource_providers/%s/inventories",
            "/resource_providers/%s/inventories/VCPU", "/resource_providers/%s/usages",
            "/resource_providers/%s/aggregates", "/resource_providers/%s/traits",
            "/resource_providers/%s/allocations", "/resource_classes/%s", "/traits/%s",
            "/allocations/%s"]
for p in PATTERNS:
    for aname, arg in ARGS:
        add("path.%s.%s" % (p.strip("/").replace("/%s", "").replace("/", "."), aname), "GET", p % arg)
for aname, arg in ARGS:
    add("path.inv_class.%s" % aname, "GET", "/resource_providers/%s/inventories/%s" % (RP1, arg),
        group="GET /resource_providers/*/inventories/*")
    add("path.put_trait.%s" % aname, "PUT", "/traits/CUSTOM_%s" % arg, group="PUT /traits/*")
    add("path.put_rc.%s" % aname, "PUT", "/resource_classes/CUSTOM_%s" % arg, group="PUT /resource_classes/*")
for i, t in enumerate(["//resource_providers", "/resource_providers/", "/resource_providers//",
                       "/./resource_providers", "/../resource_providers", "/resource_providers/%2e%2e",
                       "/resource_providers/" + RP1 + "/", "/resource_providers/" + RP1 + "/inventories/",
                       "/%72esource_providers", "/RESOURCE_PROVIDERS", "/resource_providers;x=1",
                       "/resource_providers#frag", "/resource_providers/" + RP1 + "/nope",
                       "/placement/resource_providers", "/" + "x/" * 2000, "*",
                       "http://127.0.0.1/resource_providers", "/resource_providers\x00"]):
    add("path.trick.%d" % i, "GET", t, group="GET (path tricks)")

# --- query strings on the list routes ---
QUERIES = {
    "/resource_providers": ["name=%FF", "uuid=nope", "member_of=in:", "member_of=in:x,y",
                            "resources=VCPU", "resources=VCPU:-1", "resources=VCPU:99999999999999999999",
                            "required=", "required=!", "in_tree=bad", "name=" + "a" * 10000,
                            "name=a&name=b", "&&&;;;==", "%=%", "resources=VCPU:1,VCPU:2"],
    "/allocation_candidates": ["", "resources=", "resources=VCPU:0", "resources=:1", "resources=VCPU:1&limit=0",
                               "resources=VCPU:1&limit=-1", "resources=VCPU:1&limit=99999999999999999999",
                               "resources=VCPU:1&group_policy=bogus", "resources1=VCPU:1",
                               "resources=VCPU:1&required=!!X", "resources=VCPU:1&member_of=!in:",
                               "resources=VCPU:1&same_subtree=_X", "resources=VCPU:1&root_required=in:A",
                               "resources=VCPU:1&resources=VCPU:1",
                               "resources=" + ",".join("CUSTOM_R%d:1" % i for i in range(500)),
                               "resources_a=VCPU:1&group_policy=none&required_a=X",
                               "&".join("resources%d=VCPU:1" % i for i in range(200))],
    "/usages": ["", "project_id=", "project_id=%FF", "project_id=p&user_id=%00", "project_id=p&consumer_type=%FF",
                "project_id=p&project_id=q"],
    "/traits": ["name=bogus", "name=in:", "name=startswith:", "name=startswith:%FF", "associated=maybe",
                "associated=true&associated=false"],
    "/resource_classes": ["name=x"],
    "/resource_providers/%s/allocations" % RP1: ["x=1"],
}
for path, qs in QUERIES.items():
    for k, q in enumerate(qs):
        add("query.%s.%d" % (path.strip("/").replace("/", ".").replace(RP1, "RP1"), k), "GET",
            path + ("?" + q if q else ""))
add("query.too_many", "GET", "/resource_providers?" + "&".join("name=%d" % i for i in range(300)))

# --- headers ---
add("hdr.accept_html", "GET", "/resource_providers/nope", headers=[["Accept", "text/html"]], json=0)
add("hdr.accept_xml", "GET", "/resource_providers", headers=[["Accept", "application/xml"]], json=0)
add("hdr.accept_junk", "GET", "/resource_providers", headers=[["Accept", "\x01;q=x,,;"]], json=0)
add("hdr.accept_q0", "GET", "/resource_providers", headers=[["Accept", "application/json;q=0"]], json=0)
add("hdr.mv_twice", "GET", "/resource_providers",
    headers=[["OpenStack-API-Version", "placement 1.5"]])
add("hdr.mv_list", "GET", "/resource_providers", mv="compute 2.1, placement 1.20, placement 1.999")
add("hdr.token_twice", "GET", "/resource_providers", headers=[["X-Auth-Token", "other"]])
add("hdr.long_token", "GET", "/resource_providers", token="t" * 6000)
add("hdr.origin", "OPTIONS", "/resource_providers",
    headers=[["Origin", "http://evil.example"], ["Access-Control-Request-Method", "DELETE"]])
add("hdr.many", "GET", "/resource_providers", headers=[["X-H%d" % i, "v"] for i in range(60)])
add("hdr.cl_bad", "POST", "/resource_providers", headers=[["Content-Length", "abc"]], raw_cl=1,
    body='{"name": "x"}')
add("hdr.cl_neg", "POST", "/resource_providers", headers=[["Content-Length", "-5"]], raw_cl=1,
    body='{"name": "x"}')
add("hdr.cl_short", "POST", "/resource_providers", headers=[["Content-Length", "4"]], raw_cl=1,
    body='{"name": "x"}')
add("hdr.cl_get", "GET", "/resource_providers", body='{"name": "x"}')
add("hdr.cl_delete", "DELETE", "/traits/CUSTOM_NOPE", body="garbage", ctype="text/plain")
add("hdr.chunked", "POST", "/resource_providers", chunked=1, body='{"name": "h-chunked"}')

with open(os.path.join(HERE, "cases.jsonl"), "w", encoding="utf-8") as f:
    for c in cases:
        f.write(json.dumps(c, ensure_ascii=True) + "\n")
print("%d cases" % len(cases))
