#!/usr/bin/python3
"""Compares a deployment's conformance results with tests/serve's.

usage: compare.py LABEL BASELINE.json DEPLOYMENT.json GABBITS_DIR

Every test that passes through tests/serve (the app alone behind a plain
lighttpd, at the root) must pass through the deployment too, except where
the deployment differs by design:
  identity  the test sends its own identity (a token other than admin, no
            token, X-Roles, X-Project-Id or OpenStack-System-Scope): the
            deployment replaces it with the operator's (admin);
  prefix    the test asserts a link without the /placement mount point;
  framing   the test sends its own Content-Length or Transfer-Encoding,
            which the web server parses (and refuses) before the app.
Prints one line per counted failure and a summary, last
"N passed, M failed" (tests counted), exit 1 if any failed.
"""
import json
import os
import re
import sys

import yaml

IDENTITY_HEADERS = ('x-roles', 'x-project-id', 'openstack-system-scope')


def file_tests(gabbits_dir, fname):
    """The test names of a file, and those that send an identity of their
    own (a token other than admin, none, or another identity header)."""
    with open(os.path.join(gabbits_dir, fname), encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    defaults = {k.lower(): v for k, v in
                ((doc.get('defaults') or {}).get('request_headers') or {}).items()}
    names, own_identity, own_framing = [], set(), set()
    for test in doc.get('tests', []):
        names.append(test['name'])
        headers = dict(defaults)
        headers.update({k.lower(): v for k, v in (test.get('request_headers') or {}).items()})
        token = headers.get('x-auth-token')
        if (token is None or str(token) != 'admin'
                or any(h in headers for h in IDENTITY_HEADERS)):
            own_identity.add(test['name'])
        if 'content-length' in headers or 'transfer-encoding' in headers:
            own_framing.add(test['name'])
    return names, own_identity, own_framing


PREFIX_RE = re.compile(r"'([^']*)' != '([^']*)'")


def prefix_only(reason):
    """True if the failure is an expected link seen with the mount point."""
    m = PREFIX_RE.search(reason or '')
    return bool(m) and m.group(2).replace('/placement/', '/') == m.group(1)


def main():
    label, base_path, dep_path, gabbits_dir = sys.argv[1:5]
    with open(base_path) as f:
        base = json.load(f)
    with open(dep_path) as f:
        dep = json.load(f)
    passed = failed = identity = prefix = framing = base_failed = 0
    raw_pass = sum(v['passed'] for v in dep.values())
    raw_fail = sum(v['failed'] for v in dep.values())
    for fname in sorted(base):
        not_passing = {x['name'] for x in base[fname]['failures'] + base[fname].get('skips', [])}
        dep_fails = {x['name']: x['reason'] or ''
                     for x in dep.get(fname, {}).get('failures', [])}
        if fname not in dep:
            dep_fails = {'(whole file)': 'not run through the deployment'}
        names, own_identity, own_framing = file_tests(gabbits_dir, fname)
        for name in names + [n for n in dep_fails if n not in names]:
            if name in not_passing:
                base_failed += 1
            elif name not in dep_fails:
                passed += 1
            elif name in own_identity:
                identity += 1
            elif prefix_only(dep_fails[name]):
                prefix += 1
            elif name in own_framing:
                framing += 1
            else:
                failed += 1
                print('FAIL %s conformance %s :: %s: %s' % (
                    label, fname, name, dep_fails[name].splitlines()[0][:200]
                    if dep_fails[name] else ''))
    print('%s conformance as run: %d passed, %d failed; not passing through tests/serve '
          'either: %d; differences by design: %d identity, %d prefix links, %d framing'
          % (label, raw_pass, raw_fail, base_failed, identity, prefix, framing))
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
