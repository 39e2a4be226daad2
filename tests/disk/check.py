#!/usr/bin/python3
"""Full, read-only and vanishing disks under a running FastCGI pool.

usage: check.py --port PORT --fs DIR --img IMAGE --db FILE --sync PLACEMENT-SYNC --acked FILE

DIR is a small ext4 file system of its own (IMAGE on a loop device,
mounted with errors=remount-ro by tests/disk/run) holding the database
FILE, served by one responder.  Every answer must be a 2xx, or a 503
JSON error with the code placement.database.unavailable and a Retry-After
header, within the timeout (never a 500, never a hang):
  full      a filler file leaves little room; writes go on until they are
            refused; reads keep working; every write acknowledged before
            is there; once the filler is gone writes succeed again without
            a restart; PRAGMA integrity_check is ok
  readonly  (last) the file system fails (ext4's trigger_fs_error: it goes
            read-only at once, as on a disk error): writes refused, reads
            work, nothing acknowledged lost; the acknowledged providers are
            written to ACKED for tests/disk/run, which repairs the file
            system with the pool stopped and checks them again
  replaced  the database file renamed over by another database (a backup
            of it): the responders serve the new file from their next
            request on, and a write lands in it (not in the old one, which
            nobody would read again)
  removed   the database file deleted: 503s (writes and reads), a log
            line; a new database made at the path: served again
One line per check, last "N passed, M failed".
"""
import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid

TIMEOUT = 20
CODE = 'placement.database.unavailable'


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            print('ok', name)
        else:
            self.failed += 1
            print('FAIL', name, detail)
        return ok


def call(port, method, path, body=None):
    """(status, headers dict, parsed body or None, seconds)."""
    data = json.dumps(body).encode() if body is not None else b''
    head = ['%s %s HTTP/1.1' % (method, path), 'Host: placement', 'Connection: close',
            'X-Auth-Token: admin', 'OpenStack-API-Version: placement 1.39',
            'Accept: application/json']
    if body is not None:
        head += ['Content-Type: application/json', 'Content-Length: %d' % len(data)]
    t0 = time.monotonic()
    s = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
    try:
        s.sendall(('\r\n'.join(head) + '\r\n\r\n').encode() + data)
        raw = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    except socket.timeout:
        return 0, {}, None, time.monotonic() - t0
    finally:
        s.close()
    h, _, b = raw.partition(b'\r\n\r\n')
    lines = h.decode('latin-1').split('\r\n')
    status = int(lines[0].split(' ')[1]) if len(lines[0].split(' ')) > 1 else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(':')
        headers[k.strip().lower()] = v.strip()
    try:
        doc = json.loads(b) if b else None
    except ValueError:
        doc = None
    return status, headers, doc, time.monotonic() - t0


def refused_well(status, headers, doc):
    """A 503 as promised: JSON, our code, a Retry-After."""
    return (status == 503 and isinstance(doc, dict) and doc.get('errors')
            and doc['errors'][0].get('code') == CODE and headers.get('retry-after', '').isdigit())


class Run:
    def __init__(self, args, check):
        self.a = args
        self.check = check
        self.acked = []          # provider uuids the server acknowledged
        self.bad = []            # answers that broke the promise

    def answer_ok(self, what, r):
        status, headers, doc, secs = r
        ok = 200 <= status < 300 or refused_well(status, headers, doc)
        if not ok or secs > TIMEOUT:
            self.bad.append('%s: %d %s (%.1f s)' % (what, status, json.dumps(doc)[:160], secs))
        return ok

    def create(self, name):
        u = str(uuid.uuid4())
        r = call(self.a.port, 'POST', '/resource_providers', {'name': name, 'uuid': u})
        self.answer_ok('POST %s' % name, r)
        if r[0] == 200:
            rp = '/resource_providers/' + u
            inv = call(self.a.port, 'PUT', rp + '/inventories', {
                'resource_provider_generation': 0,
                'inventories': {'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 4096}}})
            self.answer_ok('PUT inventories %s' % name, inv)
            self.acked.append((u, name, inv[0] == 200))
        return r

    def present(self):
        """Every acknowledged provider (and inventory) is there."""
        missing = []
        for u, name, with_inv in self.acked:
            r = call(self.a.port, 'GET', '/resource_providers/%s/inventories' % u)
            if r[0] != 200 or (with_inv and 'VCPU' not in (r[2] or {}).get('inventories', {})):
                missing.append('%s %s: %d' % (name, u, r[0]))
        return missing

    def integrity(self):
        con = sqlite3.connect('file:%s?mode=ro' % self.a.db, uri=True, timeout=10)
        try:
            return con.execute('PRAGMA integrity_check').fetchone()[0]
        finally:
            con.close()

    def writes_work(self, what):
        r = self.create('%s-%s' % (what, uuid.uuid4().hex[:8]))
        return self.check('%s: writes succeed' % what, r[0] == 200, '%d %s' % (r[0], r[2]))

    def reads_work(self, what):
        r1 = call(self.a.port, 'GET', '/resource_providers')
        r2 = call(self.a.port, 'GET', '/allocation_candidates?resources=VCPU:1')
        return self.check('%s: reads work' % what, r1[0] == 200 and r2[0] == 200,
                          '%d %d' % (r1[0], r2[0]))

    def full(self):
        fs = os.statvfs(self.a.fs)
        free = fs.f_bavail * fs.f_frsize
        filler = os.path.join(self.a.fs, 'filler')
        # leave about 600 KiB: a few hundred providers fit, then none
        with open(filler, 'wb') as f:
            f.write(b'\0' * max(free - 600 * 1024, 0))
        refused = 0
        for i in range(20000):
            r = self.create('full-%05d-%s' % (i, 'x' * 150))
            if r[0] == 503:
                refused += 1
                if refused >= 20:
                    break
        self.check('full: writes are refused once the disk is full', refused >= 20,
                   '%d acknowledged, %d refused' % (len(self.acked), refused))
        self.check('full: every refusal a 503 JSON with %s and Retry-After' % CODE, not self.bad,
                   '; '.join(self.bad[:3]))
        self.reads_work('full')
        missing = self.present()
        self.check('full: %d acknowledged writes are all there' % len(self.acked), not missing,
                   '; '.join(missing[:3]))
        os.unlink(filler)
        self.writes_work('full, space freed, no restart')
        self.check('full: integrity_check', self.integrity() == 'ok')

    def readonly(self):
        for i in range(20):
            self.create('before-readonly-%02d' % i)
        dev = subprocess.run(['findmnt', '-n', '-o', 'SOURCE', self.a.fs], capture_output=True,
                             text=True, check=True).stdout.strip()
        with open('/sys/fs/ext4/%s/trigger_fs_error' % os.path.basename(dev), 'w') as f:
            f.write('1')
        self.bad = []
        r = self.create('readonly-%s' % uuid.uuid4().hex[:8])
        self.check('readonly: a write is refused with a 503 JSON and Retry-After',
                   refused_well(r[0], r[1], r[2]) and not self.bad, '%d %s' % (r[0], r[2]))
        if r[0] == 200:
            self.acked.pop()
        self.reads_work('readonly')
        missing = self.present()
        self.check('readonly: every acknowledged write is there', not missing, '; '.join(missing[:3]))
        # (the repair needs the pool stopped: tests/disk/run does it, and
        # checks the acknowledged writes and integrity on the repaired file)
        with open(self.a.acked, 'w') as f:
            f.write(''.join('%s %d\n' % (u, with_inv) for u, _, with_inv in self.acked))

    def replaced(self):
        backup = os.path.join(self.a.fs, 'backup.sqlite')
        src = sqlite3.connect(self.a.db, timeout=10)
        dst = sqlite3.connect(backup)
        src.backup(dst)
        dst.close()
        src.close()
        # a provider only the old file has, then the backup put in its place
        r = self.create('only-in-old-%s' % uuid.uuid4().hex[:8])
        old = self.acked.pop()[0] if r[0] == 200 else None
        # as an operator restoring a backup would: the WAL checkpointed
        # into the file, the backup renamed over it, the old WAL gone
        con = sqlite3.connect(self.a.db, timeout=10)
        con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        con.close()
        os.rename(backup, self.a.db)
        for suffix in ('-wal', '-shm'):
            try:
                os.unlink(self.a.db + suffix)
            except FileNotFoundError:
                pass
        # each responder sees it on its next request: ask several times
        seen_old = [call(self.a.port, 'GET', '/resource_providers/%s' % old)[0] for _ in range(6)]
        self.check('replaced: the responders serve the new file', old and all(s == 404 for s in seen_old),
                   str(seen_old))
        u = str(uuid.uuid4())
        r = call(self.a.port, 'POST', '/resource_providers', {'name': 'after-replace', 'uuid': u})
        con = sqlite3.connect(self.a.db, timeout=10)
        there = con.execute('SELECT count(*) FROM resource_providers WHERE uuid = ?', (u,)).fetchone()[0]
        con.close()
        self.check('replaced: a write lands in the new file', r[0] == 200 and there == 1,
                   '%d, %d rows' % (r[0], there))
        self.check('replaced: integrity_check', self.integrity() == 'ok')

    def removed(self):
        for suffix in ('', '-wal', '-shm'):
            try:
                os.unlink(self.a.db + suffix)
            except FileNotFoundError:
                pass
        answers = [call(self.a.port, m, p, b) for m, p, b in (
            ('GET', '/resource_providers', None),
            ('POST', '/resource_providers', {'name': 'into-the-void'}),
            ('GET', '/allocation_candidates?resources=VCPU:1', None),
            ('GET', '/resource_providers', None))]
        self.check('removed: every answer a 503 JSON with Retry-After',
                   all(refused_well(*a[:3]) for a in answers), str([a[0] for a in answers]))
        self.check('removed: no database made at the path by the responders',
                   not os.path.exists(self.a.db))
        subprocess.run([self.a.sync, '--quiet', '--db', self.a.db], check=True)
        self.acked = []          # a new, empty database from here on
        self.writes_work('removed, then a new database made')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--fs', required=True)
    ap.add_argument('--img', required=True)
    ap.add_argument('--acked', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--sync', required=True)
    args = ap.parse_args()
    check = Checks()
    run = Run(args, check)
    run.writes_work('start')
    run.full()
    run.replaced()
    run.removed()
    run.readonly()
    print('%d passed, %d failed' % (check.passed, check.failed))
    return 1 if check.failed else 0


if __name__ == '__main__':
    sys.exit(main())
