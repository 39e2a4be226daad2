#!/usr/bin/env python3
"""Writes the seed corpus of each harness into tests/fuzz/corpus/<harness>/.

Seeds are named seed-<n>; regression inputs (crashes found and fixed)
are kept beside them as regress-<what> and are never touched here.
Run again after changing a seed list: python3 tests/fuzz/seeds.py"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0001"
CHILD = "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0002"
SHARE = "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0003"
CONSUMER = "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d00c1"
AGG = "5f0a6c2e-0b8e-4d0e-9a37-1c4c0f7d00a1"
NEW = "9e0a6c2e-0b8e-4d0e-9a37-1c4c0f7d0009"

QUERY = [
    "", "name=foo", "name=foo%20bar&uuid=" + ROOT,
    "resources=VCPU:1,MEMORY_MB:512&required=HW_CPU_X86_AVX,!CUSTOM_X&member_of=in:%s,%s&limit=10" % (AGG, NEW),
    "resources1=VCPU:1&resources2=DISK_GB:10&group_policy=isolate&same_subtree=1,2",
    "root_required=!HW_NUMA_ROOT&in_tree=" + ROOT,
    "a=%ZZ&b=%c3%28", "%00=%00", "a;b;c", "+%2B+=+", "x=%4", "x=%+1",
    "&".join("k%d=v" % i for i in range(40)),
    "required=in:A,B&required=C", "member_of=!in:a,b", "name=%e2%82%ac",
]

MV = [
    "placement 1.0", "placement latest", "compute 2.1, placement 1.20", "placement 1.2.3",
    "PLACEMENT 1.39", "placement 1.40", "placement 01.5", "placement 1. 5", "",
    "placement", "placement  1.1", "placement 1.a", "placement -1.1", "placement 2.0",
    "placement 1.99999999999999999999", "compute 2.1,placement 1.3 ,  placement 1.7",
]

UUID = [
    ROOT, ROOT.replace("-", ""), "{%s}" % ROOT, "urn:uuid:" + ROOT, ROOT.upper(),
    ROOT + "0", "not-a-uuid", "uuid:urn:{{" + ROOT + "}}", "----" + ROOT.replace("-", "") + "----",
    "urn:urn:uuid:" + ROOT, "", "g" * 32,
]

CONF = [
    "[placement_database]\nconnection = sqlite:////var/lib/placement/p.sqlite\n",
    "[placement_database]\nconnection = sqlite:///relative.db\n",
    "[api]\nauth_strategy = noauth2\nmax_body_bytes = 4096\n[placement]\n"
    "randomize_allocation_candidates = true\nmax_allocation_candidates = 1000\n"
    "allocation_conflict_retry_count = 10\n",
    "[oslo_policy]\nenforce_scope = yes\nenforce_new_defaults = 1\nmode = secure\npolicy_file = policy.yaml\n",
    "[cors]\nallowed_origin = http://a.example\nallow_headers = X-A,X-B\nmax_age = 3600\nallow_credentials = off\n",
    "[placement]\nincomplete_consumer_project_id = 00000000-0000-0000-0000-000000000000\n",
    "no section = here\n", "[unterminated\n", "[a]\n  continued\n",
    "[placement]\nallocation_candidates_generation_strategy = breadth-first\n\0"
    "OS_PLACEMENT_DATABASE__CONNECTION=sqlite:////tmp/x.db\nOS_API__MAX_BODY_BYTES=2048\n"
    "OS_CORS__ALLOWED_ORIGIN=*\nOS___=x\nOS_A__=\nOS___B=c\n",
    "\0OS_PLACEMENT__MAX_ALLOCATION_CANDIDATES=0\n",
]

POLICY_CHECKS = [
    "role:admin and system_scope:all", "rule:admin_api or (role:reader and project_id:%(project_id)s)",
    "not @", "!", "@", "", "(role:a or role:b) and not (role:c)", "rule:context_is_admin",
    "project_id:%(project_id)s", "user_id:%(user_id)s", "role:%(target.role)s",
    "((((((role:a))))))", "role:admin or", "and", "http://example.com/check", "is_admin:True",
    "'member':%(role.name)s", "rule:placement:resource_providers:list",
]
POLICY_FILES = [
    '"placement:resource_providers:list": "role:admin"\n',
    '{"placement:resource_providers:list": "@", "admin_api": "role:admin"}',
    '{"admin_api": [["role:admin"], ["role:superuser", "project_id:%(project_id)s"]]}',
    'admin_api: "rule:a"\na: "rule:admin_api"\n',
    '"placement:traits:list": "rule:nonexistent"\n',
    '- a\n- b\n', '{{{', '"x": !!binary aGk=\n', 'a: &x "role:a"\nb: *x\n',
    '"context_is_admin": "role:admin"\n"placement:usages": ""\n',
]

# (route index, microversions, path args, body) as fuzz_app_body.c numbers them
APP = [
    (0, [0, 14, 20, 39], [0, 0], {"name": "fz-new", "uuid": NEW}),
    (0, [14, 20], [0, 0], {"name": "fz-kid", "parent_provider_uuid": ROOT}),
    (0, [0], [0, 0], {"name": "x" * 300}),
    (1, [0, 14, 37], [0, 0], {"name": "fz-root2"}),
    (1, [14], [1, 0], {"name": "fz-child", "parent_provider_uuid": SHARE}),
    (2, [0, 20], [0, 0], {"resource_class": "DISK_GB", "total": 100, "reserved": 1,
                          "min_unit": 1, "max_unit": 50, "step_size": 1, "allocation_ratio": 1.5,
                          "resource_provider_generation": 1}),
    (3, [0, 20], [0, 0], {"resource_provider_generation": 1, "inventories": {
        "VCPU": {"total": 32, "allocation_ratio": 16.0}, "MEMORY_MB": {"total": 65536, "reserved": 512}}}),
    (4, [0, 20], [0, 6], {"resource_provider_generation": 1, "total": 64, "reserved": 2}),
    (5, [1, 19], [0, 0], [AGG, NEW]),
    (5, [19, 39], [0, 0], {"aggregates": [AGG], "resource_provider_generation": 1}),
    (6, [6, 39], [0, 0], {"traits": ["HW_CPU_X86_AVX", "CUSTOM_FZ_TRAIT"], "resource_provider_generation": 1}),
    (7, [2, 39], [0, 0], {"name": "CUSTOM_NEW_CLASS"}),
    (8, [2, 7], [0, 4], {"name": "CUSTOM_RENAMED"}),
    (8, [7], [0, 9], None),
    (9, [6], [0, 5], None),
    (10, [0], [3, 0], {"allocations": [{"resource_provider": {"uuid": ROOT}, "resources": {"VCPU": 1}}]}),
    (10, [8, 12], [3, 0], {"allocations": {ROOT: {"resources": {"VCPU": 1, "MEMORY_MB": 512}}},
                           "project_id": "p", "user_id": "u"}),
    (10, [28, 38, 39], [3, 0], {"allocations": {ROOT: {"resources": {"VCPU": 1}},
                                                SHARE: {"resources": {"DISK_GB": 10}}},
                                "project_id": "p", "user_id": "u", "consumer_generation": 1,
                                "consumer_type": "INSTANCE"}),
    (11, [13, 28, 38], [0, 0], {CONSUMER: {"allocations": {ROOT: {"resources": {"VCPU": 1}}},
                                           "project_id": "p", "user_id": "u", "consumer_generation": 1},
                                NEW: {"allocations": {}, "project_id": "p", "user_id": "u",
                                      "consumer_generation": None}}),
    (12, [30, 34, 38], [0, 0], {"inventories": {ROOT: {"resource_provider_generation": 5, "inventories": {
        "VCPU": {"total": 8}}}}, "allocations": {CONSUMER: {"allocations": {ROOT: {"resources": {"VCPU": 1}}},
                                                          "project_id": "p", "user_id": "u",
                                                          "consumer_generation": 1}}}),
]
APP_RAW = [
    (0, 20, "{"), (0, 20, "[" * 200), (0, 20, '{"name": "\\ud800"}'), (0, 20, '{"name": 1e999}'),
    (3, 20, '{"inventories": {"VCPU": {"total": 99999999999999999999999}}, "resource_provider_generation": 0}'),
    (0, 20, '{"name": "a", "name": "b"}'), (0, 20, "null"), (0, 20, '{"name": "x"} trailing'),
    (10, 28, '{"allocations": {"%s": {"resources": {"VCPU": -1}}}, "project_id": 1, "user_id": []}' % ROOT),
]

HOST = [
    {"REQUEST_METHOD": "GET", "PATH_INFO": "/resource_providers", "QUERY_STRING": "name=fz-root",
     "HTTP_X_AUTH_TOKEN": "admin", "HTTP_OPENSTACK_API_VERSION": "placement 1.20"},
    {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "/placement", "PATH_INFO": "/traits",
     "REQUEST_URI": "/placement/traits?name=startswith:CUSTOM", "QUERY_STRING": "name=startswith:CUSTOM",
     "HTTP_X_AUTH_TOKEN": "admin", "HTTP_OPENSTACK_API_VERSION": "placement latest"},
    {"REQUEST_METHOD": "GET", "PATH_INFO": "/allocation_candidates",
     "QUERY_STRING": "resources=VCPU:1,DISK_GB:10&required=!HW_CPU_X86_AVX&limit=5",
     "HTTP_X_AUTH_TOKEN": "admin", "HTTP_OPENSTACK_API_VERSION": "placement 1.39"},
    {"REQUEST_METHOD": "GET", "PATH_INFO": "/resource_providers/%s/usages" % ROOT,
     "HTTP_X_AUTH_TOKEN": "alice:p1", "HTTP_X_ROLES": "reader", "HTTP_ACCEPT": "text/html"},
    {"REQUEST_METHOD": "DELETE", "PATH_INFO": "/allocations/" + CONSUMER, "HTTP_X_AUTH_TOKEN": "admin"},
    {"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/", "HTTP_ORIGIN": "http://a.example",
     "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"},
    {"REQUEST_METHOD": "POST", "PATH_INFO": "/resource_providers", "CONTENT_TYPE": "application/json",
     "CONTENT_LENGTH": "17", "HTTP_X_AUTH_TOKEN": "admin", "_body": '{"name": "fz-h1"}'},
    {"REQUEST_METHOD": "PUT", "PATH_INFO": "/traits/CUSTOM_H", "HTTP_TRANSFER_ENCODING": "chunked",
     "HTTP_X_AUTH_TOKEN": "admin", "HTTP_OPENSTACK_API_VERSION": "placement 1.6"},
    {"REQUEST_METHOD": "POST", "PATH_INFO": "/resource_classes", "CONTENT_TYPE": "text/plain",
     "CONTENT_LENGTH": "99999999999999999999", "HTTP_X_AUTH_TOKEN": "admin"},
    {"REQUEST_METHOD": "GET", "PATH_INFO": "/usages", "QUERY_STRING": "project_id=p&user_id=u",
     "HTTP_X_AUTH_TOKEN": "admin", "HTTP_OPENSTACK_API_VERSION": "placement 1.9",
     "HTTP_OPENSTACK_SYSTEM_SCOPE": "all", "HTTP_X_PROJECT_ID": "p"},
    {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "/placement/", "REQUEST_URI": "/placement/", "PATH_INFO": ""},
]


def write(name, items):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("seed-"):
            os.unlink(os.path.join(d, f))
    for i, data in enumerate(items):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
            f.write(data)


def main():
    write("query", QUERY)
    write("mv", MV)
    write("uuid", UUID)
    write("config", CONF)
    write("policy", [b"\x00" + c.encode() for c in POLICY_CHECKS] +
          [b"\x02" + c.encode() for c in POLICY_CHECKS[:4]] +
          [b"\x01" + f.encode() for f in POLICY_FILES] + [b"\x03" + POLICY_FILES[0].encode()])
    app = []
    for route, mvs, args, body in APP:
        for mv in mvs:
            text = "" if body is None else json.dumps(body)
            app.append("%d %d %d %d\n%s" % (route, mv, args[0], args[1], text))
    for route, mv, raw in APP_RAW:
        app.append("%d %d 0 0\n%s" % (route, mv, raw))
    write("app_body", app)
    host = []
    for env in HOST:
        env = dict(env)
        body = env.pop("_body", "")
        host.append("".join("%s=%s\n" % kv for kv in env.items()) + "\n" + body)
    write("host", host)


if __name__ == "__main__":
    main()
