"""Servers and API calls shared by the Python tests (tests/dropin,
tests/revisions): a server process started in its own process group and
waited for until it answers, a JSON call with the noauth admin token, and
answers in a canonical order for comparing two servers."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


class Broken(Exception):
    """A server did not start: the backend's test cannot go on."""


def api_responders(server_pid):
    """The API's FastCGI responders under a server started by tests/serve
    (lighttpd, or the shell that runs it): every process below it whose
    standard input is one of the API's listening sockets (the view's pool,
    placement-view.sock, is left out; so is anything else), by pid."""
    paths = {}
    try:
        with open('/proc/net/unix') as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if len(parts) >= 8:
                    paths[parts[6]] = parts[7]
    except OSError:
        pass
    out, todo = [], [server_pid]
    while todo:
        pid = todo.pop()
        try:
            with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
                kids = [int(p) for p in f.read().split()]
        except OSError:
            continue
        for kid in kids:
            todo.append(kid)
            try:
                inode = os.readlink('/proc/%d/fd/0' % kid)
            except OSError:
                continue
            if inode.startswith('socket:[') and \
                    'placement-fcgi.sock' in paths.get(inode[8:-1], ''):
                out.append(kid)
    return sorted(out)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A server process in its own process group, answering on port."""

    def __init__(self, what, argv, env, log, cwd=ROOT):
        self.what = what
        self.port = int(env['PORT'])
        log.write('=== %s: %s\n' % (what, ' '.join(argv)))
        log.flush()
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=log,
                                     start_new_session=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Broken('%s exited early (status %s; see %s)'
                                 % (what, self.proc.returncode, log.name))
            try:
                conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=5)
                conn.request('GET', '/')
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise Broken('%s did not answer on port %d' % (what, self.port))

    def stop(self):
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def call(port, method, path, body=None, mv='1.39'):
    headers = {'x-auth-token': 'admin', 'accept': 'application/json'}
    if mv:
        headers['openstack-api-version'] = 'placement %s' % mv
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers['content-type'] = 'application/json'
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    conn.request(method, path, data, headers)
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    try:
        doc = json.loads(raw) if raw else None
    except ValueError:
        doc = raw.decode(errors='replace')
    return resp.status, doc


def canonical(doc):
    """JSON with request ids dropped and every list in a canonical order."""
    if isinstance(doc, dict):
        return {k: canonical(v) for k, v in doc.items() if k != 'request_id'}
    if isinstance(doc, list):
        items = [canonical(v) for v in doc]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return doc
