#!/usr/bin/python3
"""Deployment checks against one running web server (tests/deploy/start).

usage: checks.py --port N --label NAME --mode app|echo [--roles ROLES]
                 [--mount /placement|/]

The API is expected at --mount (default /placement; / for a server started
with tests/deploy/start --root).
mode app  (the real placement behind the server's configuration):
  mount     the API answers at /placement, /placement/ and below (at the
            root: /, and /placement is not the API), with the identity the
            server supplies (no client token needed)
  body      1 MiB bodies work; larger ones get a JSON 413; chunked bodies
            work or get a JSON 411
  badinput  malformed requests get a 4xx (a JSON one where the app answers)
  spoof     identity-changing client headers leave the caller admin
            (observable: a demoted caller gets 401/403 on an admin route)
  view      the view answers at /placement-view and /placement-view/ (HTML
            with its Content-Security-Policy, the identity supplied by the
            server), its pages and stylesheet too; a client cannot turn an
            API request into a view request (a Placement-App header, a
            PLACEMENT_APP query parameter)
mode echo (tests/deploy/echo in place of the app, same configuration):
  spoof     the same attempts; the variables that reach the program must
            be exactly the configured identity: HTTP_X_AUTH_TOKEN=admin once,
            HTTP_X_ROLES=ROLES once if --roles is given, and no
            HTTP_X_PROJECT_ID, HTTP_OPENSTACK_SYSTEM_SCOPE or HTTP_PROXY.

Prints one line per check ("ok ..." or "FAIL ...: why") and last
"N passed, M failed".  Exit status 1 if anything failed.
"""
import argparse
import json
import socket
import sys
import uuid

# The API's mount point: '/placement', or '' for the root (--mount /).
MOUNT = '/placement'
IDENTITY_VARS = ('HTTP_X_AUTH_TOKEN', 'HTTP_X_ROLES', 'HTTP_X_PROJECT_ID',
                 'HTTP_OPENSTACK_SYSTEM_SCOPE', 'HTTP_PROXY')
MIB = 1024 * 1024


class Response:
    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        parts = lines[0].split(' ', 2)
        try:
            self.status = int(parts[1])
        except (IndexError, ValueError):
            self.status = 0   # no HTTP answer at all
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            self.headers.setdefault(name.strip().lower(), []).append(value.strip())
        if 'chunked' in ','.join(self.headers.get('transfer-encoding', [])):
            self.body = dechunk(self.body)

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def json(self):
        try:
            return json.loads(self.body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            return None

    def is_json_error(self, status=None):
        doc = self.json()
        ok = (isinstance(doc, dict) and isinstance(doc.get('errors'), list)
              and doc['errors'] and 'application/json' in (self.header('content-type') or ''))
        return ok and (status is None or doc['errors'][0].get('status') == status)

    def variables(self):
        """The echo program's NAME=VALUE lines, in order."""
        out = []
        for line in self.body.decode('latin-1').splitlines():
            name, sep, value = line.partition('=')
            if sep:
                out.append((name, value))
        return out

    def brief(self):
        return '%s %s' % (self.status or 'no answer', self.body[:120])


def skip_one(raw):
    """What follows the first complete response in raw (b'' if none)."""
    head, sep, rest = raw.partition(b'\r\n\r\n')
    if not sep:
        return b''
    fields = {}
    for line in head.split(b'\r\n')[1:]:
        name, _, value = line.partition(b':')
        fields[name.strip().lower()] = value.strip().lower()
    if b'chunked' in fields.get(b'transfer-encoding', b''):
        while True:
            size_line, _, rest = rest.partition(b'\r\n')
            size = int(size_line.split(b';')[0] or b'0', 16)
            rest = rest[size + 2:] if size else rest.partition(b'\r\n')[2]
            if size == 0:
                return rest
    return rest[int(fields.get(b'content-length', b'0')):]


def dechunk(data):
    out = b''
    while data:
        size_line, _, rest = data.partition(b'\r\n')
        try:
            size = int(size_line.split(b';')[0], 16)
        except ValueError:
            return out
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


class Client:
    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout

    def raw(self, data, responses=1):
        """Sends raw bytes on one connection; returns the raw answer(s).
        Never half-closes (nginx takes that for a client abort)."""
        s = socket.create_connection(('127.0.0.1', self.port), timeout=self.timeout)
        out = b''
        try:
            try:
                s.sendall(data)
            except (ConnectionResetError, BrokenPipeError):
                pass   # refused mid-body: its answer may be waiting
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
        finally:
            s.close()
        return out

    def request(self, method, path, headers=(), body=None, version='HTTP/1.1'):
        """headers: list of raw header lines (bytes or str), sent as given."""
        lines = [('%s %s %s' % (method, path, version)).encode(), b'Host: placement']
        for h in headers:
            lines.append(h if isinstance(h, bytes) else h.encode('latin-1'))
        if body is not None and not any(
                l.lower().startswith((b'content-length:', b'transfer-encoding:'))
                for l in lines):
            lines.append(b'Content-Length: %d' % len(body))
        lines.append(b'Connection: close')
        data = b'\r\n'.join(lines) + b'\r\n\r\n' + (body or b'')
        return Response(self.raw(data))


class Checks:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, why=''):
        if ok:
            self.passed += 1
            print('ok   %s %s' % (self.label, name))
        else:
            self.failed += 1
            print('FAIL %s %s: %s' % (self.label, name, why))
        sys.stdout.flush()


def chunked(body, size=65536, trailer=b''):
    out = b''
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b'%x\r\n' % len(piece) + piece + b'\r\n'
    return out + b'0\r\n' + trailer + b'\r\n'


def class_body(n, name=None):
    """A valid POST /resource_classes body padded to n bytes."""
    name = name or 'CUSTOM_DEPLOY_%s' % uuid.uuid4().hex[:12].upper()
    body = json.dumps({'name': name}).encode()
    return body[:-1] + b' ' * max(0, n - len(body)) + b'}'


# --- identity spoofing attempts: (name, extra header lines, how) ---
# how: None (a GET), 'trailer' (a chunked POST with the header as a
# trailer), 'http10', 'pipeline' (second request on a kept-alive
# connection), 'absolute' (absolute-form request target).
def spoof_attempts():
    t = 'X-Auth-Token'
    return [
        ('token', ['X-Auth-Token: spoof-user'], None),
        ('token lower case', ['x-auth-token: spoof-user'], None),
        ('token upper case', ['X-AUTH-TOKEN: spoof-user'], None),
        ('token underscores', ['X_Auth_Token: spoof-user'], None),
        ('token mixed separators', ['X-Auth_Token: spoof-user', 'X_Auth-Token: spoof-user2'], None),
        ('token dots', ['X.Auth.Token: spoof-user'], None),
        ('token tildes', ['X~Auth~Token: spoof-user'], None),
        ('token twice', [t + ': spoof-a', t + ': spoof-b'], None),
        ('token underscore before dash', ['X_Auth_Token: spoof-first', t + ': spoof-second'], None),
        ('token with project', [t + ': spoof-user:spoof-project'], None),
        ('token empty', [t + ':'], None),
        ('roles', ['X-Roles: reader'], None),
        ('roles empty', ['X-Roles:'], None),
        ('roles underscore', ['X_Roles: reader'], None),
        ('roles odd case and dot', ['x.ROLES: reader'], None),
        ('project id', ['X-Project-Id: spoof-project'], None),
        ('project id underscores', ['X_Project_Id: spoof-project'], None),
        ('project id mixed', ['X-Project_Id: spoof-project'], None),
        ('system scope', ['OpenStack-System-Scope: all'], None),
        ('system scope underscores', ['OpenStack_System_Scope: all'], None),
        ('system scope odd case', ['openstack-SYSTEM-scope: all'], None),
        ('system scope plus', ['Openstack+System+Scope: all'], None),
        ('space before colon', [t + ' : spoof-user'], None),
        ('obs-fold continuation', ['X-Harmless: a', ' ' + t + ': spoof-user'], None),
        ('tab in name', [t + '\t: spoof-user'], None),
        ('nul in name', [(t + '\x00x: spoof-user')], None),
        ('httpoxy', ['Proxy: http://spoof.invalid/'], None),
        ('everything at once', [
            'X_Auth_Token: spoof-1', t + ': spoof-2', 'X-Roles: reader',
            'X_Roles: reader', 'X-Project-Id: spoof-p', 'X_Project_Id: spoof-p',
            'OpenStack-System-Scope: all', 'OpenStack_System_Scope: all'], None),
        ('chunked trailer', [t + ': spoof-user'], 'trailer'),
        ('HTTP/1.0', [t + ': spoof-user', 'X-Roles: reader'], 'http10'),
        ('pipelined second request', [t + ': spoof-user', 'X-Roles: reader'], 'pipeline'),
        ('absolute-form target', [t + ': spoof-user', 'X-Roles: reader'], 'absolute'),
        ('query string', [], 'query'),
    ]


def send_attempt(client, path, headers, how):
    """Returns the Response to the spoofing request of an attempt."""
    hdr = [b'OpenStack-API-Version: placement latest'] + [h.encode('latin-1') for h in headers]
    if how == 'trailer':
        body = class_body(40)
        return client.request('POST', path, hdr[:1] + [b'Content-Type: application/json',
                                                       b'Transfer-Encoding: chunked',
                                                       b'Trailer: X-Auth-Token'],
                              chunked(body, trailer=b'\r\n'.join(hdr[1:]) + b'\r\n'))
    if how == 'http10':
        return client.request('GET', path, hdr, version='HTTP/1.0')
    if how == 'absolute':
        return client.request('GET', 'http://placement' + path, hdr)
    if how == 'query':
        sep = '&' if '?' in path else '?'
        return client.request('GET', path + sep + 'HTTP_X_AUTH_TOKEN=spoof&X-Auth-Token=spoof'
                              '&HTTP_X_ROLES=reader', hdr[:1])
    if how == 'pipeline':
        first = b'GET %s HTTP/1.1\r\nHost: placement\r\n\r\n' % path.encode()
        second = (b'GET %s HTTP/1.1\r\nHost: placement\r\n' % path.encode()
                  + b''.join(h + b'\r\n' for h in hdr) + b'Connection: close\r\n\r\n')
        # The second answer is the one that carries the spoof.
        return Response(skip_one(client.raw(first + second)))
    return client.request('GET', path, hdr)


def spoof_echo(c, client, roles):
    expected = [('HTTP_X_AUTH_TOKEN', 'admin')]
    if roles:
        expected.append(('HTTP_X_ROLES', roles))
    for name, headers, how in spoof_attempts():
        r = send_attempt(client, MOUNT + '/echo', headers, how)
        if r.status != 200:
            # Refused by the server: nothing reached the program.
            c.check('spoof(echo) %s' % name, 400 <= r.status < 500,
                    'server answered %s' % r.brief())
            continue
        got = sorted(v for v in r.variables() if v[0] in IDENTITY_VARS)
        c.check('spoof(echo) %s' % name, got == sorted(expected),
                'program saw %s, want %s' % (got, sorted(expected)))


def spoof_app(c, client):
    # An admin-only route: a caller demoted to another user or role gets
    # 403 (or 401 without a token).  The query-string attempt needs a
    # route that takes query parameters.
    for name, headers, how in spoof_attempts():
        path = MOUNT + '/traits' if how == 'query' else MOUNT + '/resource_classes'
        r = send_attempt(client, path, headers, how)
        want = (201, 400, 411) if how == 'trailer' else (200, 400)
        if how == 'query':
            want = (400,)   # unknown query parameters, as the admin sees them
        c.check('spoof(app) %s' % name, r.status in want,
                'identity changed or request broke: %s' % r.brief())


def mount(c, client):
    paths = ('/', '/?x=1') if not MOUNT else (MOUNT, MOUNT + '/', MOUNT + '?x=1')
    for path in paths:
        r = client.request('GET', path)
        doc = r.json()
        c.check('mount GET %s' % path, r.status == 200 and isinstance(doc, dict)
                and 'versions' in doc, r.brief())
    # No client token at all: the server supplies the identity (admin).
    r = client.request('GET', MOUNT + '/resource_classes',
                       [b'OpenStack-API-Version: placement latest'])
    doc = r.json()
    c.check('mount GET %s/resource_classes as the supplied admin' % MOUNT,
            r.status == 200 and isinstance(doc, dict) and 'resource_classes' in doc, r.brief())
    links = json.dumps(doc) if doc else ''
    c.check('mount links carry %s/' % MOUNT,
            '"%s/resource_classes/' % MOUNT in links, links[:200])
    # Beside the mount point (at the root: the usual one) is not the API.
    other = MOUNT + 'x' if MOUNT else '/placement'
    r = client.request('GET', other + '/resource_classes')
    c.check('mount %s is not the API' % other, r.status == 404, r.brief())


def view(c, client):
    for path in ('/placement-view', '/placement-view/', '/placement-view/providers',
                 '/placement-view/explain?q=resources%3DVCPU%3A1'):
        r = client.request('GET', path)
        c.check('view GET %s' % path, r.status == 200 and
                (r.header('content-type') or '').startswith('text/html') and
                "script-src" not in (r.header('content-security-policy') or 'script-src') and
                b'<main>' in r.body, r.brief())
    r = client.request('GET', '/placement-view/style.css')
    c.check('view GET /placement-view/style.css', r.status == 200 and
            (r.header('content-type') or '').startswith('text/css'), r.brief())
    for name, headers, path in (
            ('header', [b'Placement-App: view'], MOUNT + '/'),
            ('underscore header', [b'Placement_App: view'], MOUNT + '/'),
            ('query', [], MOUNT + '/?PLACEMENT_APP=view')):
        r = client.request('GET', path, headers)
        doc = r.json()
        c.check('view cannot be asked for by a %s' % name,
                r.status in (200, 400) and doc is not None and 'html' not in (r.header('content-type') or ''),
                r.brief())


def body_size(c, client):
    json_hdr = [b'Content-Type: application/json', b'OpenStack-API-Version: placement 1.7']
    path = MOUNT + '/resource_classes'
    r = client.request('POST', path, json_hdr, class_body(MIB))
    c.check('body 1 MiB with Content-Length is accepted', r.status == 201, r.brief())
    r = client.request('POST', path, json_hdr + [b'Transfer-Encoding: chunked'],
                       chunked(class_body(MIB)))
    c.check('body 1 MiB chunked is accepted or 411', r.status == 201
            or (r.status == 411 and r.is_json_error(411)), r.brief())
    r = client.request('POST', path, json_hdr + [b'Transfer-Encoding: chunked'],
                       chunked(class_body(100)))
    c.check('body small chunked is accepted or 411', r.status == 201
            or (r.status == 411 and r.is_json_error(411)), r.brief())
    for n in (1600 * 1024, 3 * MIB, 16 * MIB):
        r = client.request('POST', path, json_hdr, class_body(n))
        c.check('body %d bytes gets a JSON 413' % n,
                r.status == 413 and r.is_json_error(413), r.brief())
    # Declares a huge length, sends little: refused up front, not awaited.
    r = client.request('POST', path, json_hdr + [b'Content-Length: 1073741824'], b'{')
    c.check('body declared 1 GiB gets a JSON 413 at once',
            r.status == 413 and r.is_json_error(413), r.brief())
    r = client.request('POST', path, json_hdr + [b'Transfer-Encoding: chunked'],
                       chunked(class_body(3 * MIB)))
    c.check('body 3 MiB chunked gets a JSON 413 or 411',
            r.status in (411, 413) and r.is_json_error(r.status), r.brief())


def bad_input(c, client):
    js = b'Content-Type: application/json'
    app_cases = [
        ('truncated JSON', 'POST', MOUNT + '/resource_classes', [js], b'{"name": '),
        ('wrong content type', 'POST', MOUNT + '/resource_classes',
         [b'Content-Type: text/plain'], b'{"name": "CUSTOM_X"}'),
        ('unknown path', 'GET', MOUNT + '/no_such_thing', [], None),
        ('wrong method', 'DELETE', MOUNT + '/resource_classes', [], None),
        ('microversion too new', 'GET', MOUNT + '/resource_classes',
         [b'OpenStack-API-Version: placement 9.99'], None),
        ('microversion garbage', 'GET', MOUNT + '/resource_classes',
         [b'OpenStack-API-Version: placement x.y.z'], None),
        ('unknown query parameter', 'GET', MOUNT + '/traits?no_such=1',
         [b'OpenStack-API-Version: placement 1.6'], None),
        ('invalid UTF-8 in body', 'POST', MOUNT + '/resource_classes', [js],
         b'{"name": "CUSTOM_\xff\xfe"}'),
        ('deeply nested JSON', 'POST', MOUNT + '/resource_classes', [js],
         b'[' * 100000 + b']' * 100000),
        ('body on a bad resource class name', 'POST', MOUNT + '/resource_classes', [js],
         b'{"name": "not custom"}'),
    ]
    for name, method, path, headers, body in app_cases:
        r = client.request(method, path, headers, body)
        c.check('badinput %s' % name, 400 <= r.status < 500 and r.is_json_error(),
                r.brief())
    server_cases = [
        ('NUL in path', 'GET', MOUNT + '/resource_classes/%00', [], None),
        ('20 KB URL', 'GET', MOUNT + '/resource_classes/' + 'A' * 20000, [], None),
        ('bad Content-Length', 'POST', MOUNT + '/resource_classes',
         [js, b'Content-Length: ten'], b'{}'),
        ('Content-Length and chunked', 'POST', MOUNT + '/resource_classes',
         [js, b'Content-Length: 4', b'Transfer-Encoding: chunked'], chunked(b'{}')),
        ('dot segments out of the mount', 'GET', MOUNT + '/../etc/passwd', [], None),
    ]
    for name, method, path, headers, body in server_cases:
        r = client.request(method, path, headers, body)
        c.check('badinput %s' % name, 400 <= r.status < 500, r.brief())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--label', required=True)
    ap.add_argument('--mode', choices=('app', 'echo'), required=True)
    ap.add_argument('--roles', default='')
    ap.add_argument('--mount', default='/placement', help="the API's mount point (/ for the root)")
    args = ap.parse_args()
    global MOUNT
    MOUNT = args.mount.rstrip('/')
    c = Checks(args.label)
    client = Client(args.port)
    if args.mode == 'echo':
        spoof_echo(c, client, args.roles)
    else:
        mount(c, client)
        view(c, client)
        body_size(c, client)
        bad_input(c, client)
        spoof_app(c, client)
    print('%d passed, %d failed' % (c.passed, c.failed))
    sys.exit(1 if c.failed else 0)


if __name__ == '__main__':
    main()
