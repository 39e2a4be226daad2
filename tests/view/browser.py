#!/usr/bin/python3
"""The view in a real browser (headless Chromium through Debian's
python3-selenium and chromium-driver), against a server filled here with a
known dataset through the API.

usage: browser.py --port PORT [--shots DIR]

Checks what each page shows against the dataset: the totals per class (and
their chart), the trees of the providers page and their usage bars, a
provider's page (tree, inventory, traits, aggregates, consumers), search by
name, uuid, trait and aggregate; the explainer for queries built to fail at
one constraint each, every step count equal to a brute-force count over
the dataset; and a provider named with HTML and script that shows as text
and runs nothing.  Saves a screenshot of each page in DIR.  One line per
check ("ok ..." / "FAIL ..."), last "N passed, M failed".
"""
import argparse
import json
import os
import sys
import urllib.parse
import urllib.error
import urllib.request
import uuid as uuidlib

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">&amp;'
MV = '1.39'


def uid(name):
    """A stable uuid per name, so failures are reproducible."""
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_DNS, name + '.placement-view-test'))


class Api:
    def __init__(self, port):
        self.base = 'http://127.0.0.1:%d' % port

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement ' + MV,
            'Content-Type': 'application/json', 'Accept': 'application/json'})
        try:
            with urllib.request.urlopen(req) as r:
                raw = r.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raise SystemExit('%s %s: %d %s' % (method, path, e.code, e.read()[:300]))


# --- the dataset: providers, a few trees, a sharing provider, consumers ---

def dataset():
    """name -> dict(parent, inv {rc: (total, reserved, ratio)}, traits,
    aggs); consumers: [(consumer, {provider: {rc: amount}})]."""
    p = {}

    def add(name, parent=None, inv=None, traits=(), aggs=()):
        p[name] = dict(parent=parent, inv=inv or {}, traits=set(traits), aggs=set(aggs))

    for i in range(1, 25):
        name = 'cn%02d' % i
        traits = []
        if i <= 10:
            traits.append('HW_CPU_X86_AVX2')
        if i in (3, 4):
            traits.append('CUSTOM_GOLD')
        if i == 24:
            traits.append('COMPUTE_STATUS_DISABLED')
        inv = {'VCPU': (16, 2 if i % 5 == 0 else 0, 4.0 if i % 2 else 1.0),
               'MEMORY_MB': (32768, 512, 1.5)}
        if i <= 12:
            inv['DISK_GB'] = (200, 0, 1.0)
        add(name, inv=inv, traits=traits, aggs=['agg-a'] if i <= 12 else ['agg-b'])
    # a NUMA tree: resources on the children
    add('numa-host', inv={'DISK_GB': (500, 10, 1.0)}, traits=['CUSTOM_ROOT_ONLY'])
    add('numa-host-n0', parent='numa-host', inv={'VCPU': (8, 0, 1.0), 'MEMORY_MB': (16384, 0, 1.0)})
    add('numa-host-n1', parent='numa-host', inv={'VCPU': (8, 0, 1.0), 'MEMORY_MB': (16384, 0, 1.0)})
    add('numa-host-n1-gpu', parent='numa-host-n1', inv={'VGPU': (4, 0, 1.0)})
    # a split tree: VCPU only on one child, MEMORY_MB only on the other
    add('split', inv={})
    add('split-cpu', parent='split', inv={'VCPU': (4, 0, 1.0)})
    add('split-mem', parent='split', inv={'MEMORY_MB': (4096, 0, 1.0)})
    # shared storage for agg-a
    add('shared-disk', inv={'DISK_GB': (1000, 0, 1.0)},
        traits=['MISC_SHARES_VIA_AGGREGATE', 'CUSTOM_RARE'], aggs=['agg-a'])
    add('lonely', inv={'VCPU': (2, 0, 1.0)}, aggs=['agg-empty-of-vcpu'])
    add(HOSTILE, inv={'VCPU': (1, 0, 1.0)})
    consumers = [
        ('vm-1', {'cn01': {'VCPU': 40, 'MEMORY_MB': 8192}}),
        ('vm-2', {'cn02': {'VCPU': 10, 'MEMORY_MB': 30000}}),
        ('vm-3', {'cn03': {'VCPU': 60, 'MEMORY_MB': 2048}, 'shared-disk': {'DISK_GB': 900}}),
        ('vm-4', {'numa-host-n0': {'VCPU': 8, 'MEMORY_MB': 1024}}),
        ('vm-5', {'cn11': {'VCPU': 4, 'MEMORY_MB': 4096, 'DISK_GB': 150}}),
    ]
    return p, consumers


def load(api, p, consumers):
    for name in p:                        # parents come before children
        body = {'name': name, 'uuid': uid(name)}
        if p[name]['parent']:
            body['parent_provider_uuid'] = uid(p[name]['parent'])
        api.call('POST', '/resource_providers', body)
    traits = sorted({t for d in p.values() for t in d['traits'] if t.startswith('CUSTOM_')})
    for t in traits:
        api.call('PUT', '/traits/' + t)
    for name, d in p.items():
        rp = '/resource_providers/' + uid(name)
        gen = 0
        if d['inv']:
            # max_unit: the whole capacity (the default is the total)
            invs = {rc: {'total': t, 'reserved': r, 'allocation_ratio': ratio,
                         'max_unit': max(capacity(t, r, ratio), 1)}
                    for rc, (t, r, ratio) in d['inv'].items()}
            gen = api.call('PUT', rp + '/inventories',
                           {'resource_provider_generation': gen, 'inventories': invs})[
                               'resource_provider_generation']
        if d['traits']:
            gen = api.call('PUT', rp + '/traits', {'resource_provider_generation': gen,
                                                   'traits': sorted(d['traits'])})[
                                                       'resource_provider_generation']
        if d['aggs']:
            api.call('PUT', rp + '/aggregates', {'resource_provider_generation': gen,
                                                 'aggregates': sorted(uid(a) for a in d['aggs'])})
    for consumer, allocs in consumers:
        api.call('PUT', '/allocations/' + uid(consumer), {
            'allocations': {uid(n): {'resources': r} for n, r in allocs.items()},
            'project_id': 'project-1', 'user_id': 'user-1', 'consumer_generation': None,
            'consumer_type': 'INSTANCE'})


# --- brute force over the dataset ---

def capacity(total, reserved, ratio):
    return int((total - reserved) * ratio)


def used_of(consumers):
    u = {}
    for _, allocs in consumers:
        for n, res in allocs.items():
            for rc, amt in res.items():
                u[(n, rc)] = u.get((n, rc), 0) + amt
    return u


def root_of(p, n):
    while p[n]['parent']:
        n = p[n]['parent']
    return n


def room(p, used, n, rc, amt):
    if rc not in p[n]['inv']:
        return False
    t, r, ratio = p[n]['inv'][rc]
    cap = capacity(t, r, ratio)
    return 1 <= amt <= max(cap, 1) and used.get((n, rc), 0) + amt <= cap


def granular_counts(p, used, res, in_tree=None, required=(), forbidden=(), member_of=None):
    """The step counts of a granular group, in the engine's order."""
    alive = [n for n in p]
    out = []
    for rc, amt in res:
        alive = [n for n in alive if rc in p[n]['inv']]
        out.append(('has_class', len(alive)))
        alive = [n for n in alive if room(p, used, n, rc, amt)]
        out.append(('room', len(alive)))
    if in_tree:
        alive = [n for n in alive if root_of(p, n) == root_of(p, in_tree)]
        out.append(('in_tree', len(alive)))
    for t in required:
        alive = [n for n in alive if t in p[n]['traits']]
        out.append(('required', len(alive)))
    if forbidden:
        alive = [n for n in alive if not (set(forbidden) & p[n]['traits'])]
        out.append(('forbidden', len(alive)))
    if member_of is not None:
        alive = [n for n in alive if member_of in p[n]['aggs']]
        out.append(('member_of', len(alive)))
    return out, alive


def pairs(p, used, tree, a, b):
    """Two one-provider groups a and b (class, amount) in one tree: every
    (provider of a, provider of b), brute force; the amounts add up on a
    provider that takes both."""
    out = []
    for x in p:
        for y in p:
            if root_of(p, x) != root_of(p, tree) or root_of(p, y) != root_of(p, tree):
                continue
            if not (room(p, used, x, *a) and room(p, used, y, *b)):
                continue
            if x == y and a[0] == b[0] and not room(p, used, x, a[0], a[1] + b[1]):
                continue
            out.append((x, y))
    return out


def ancestor_or_self(p, a, b):
    while b is not None:
        if a == b:
            return True
        b = p[b]['parent']
    return False


def unsuffixed_class_counts(p, used, rc, amt):
    """has_class and room of one class of the unsuffixed group."""
    has = [n for n in p if rc in p[n]['inv']]
    return [('has_class', len(has)), ('room', len([n for n in has if room(p, used, n, rc, amt)]))]


# --- the browser ---

class Check:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, name, cond, detail=''):
        if cond:
            self.passed += 1
            print('ok', name)
        else:
            self.failed += 1
            print('FAIL', name, detail)


def browser():
    o = webdriver.ChromeOptions()
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--window-size=1280,1000',
              '--disable-dev-shm-usage', '--disable-extensions', '--no-first-run'):
        o.add_argument(a)
    o.binary_location = '/usr/bin/chromium'
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def steps_on_page(d):
    rows = d.find_elements(By.CSS_SELECTOR, '#steps tr[data-step]')
    return [(r.get_attribute('data-step'), r.get_attribute('data-group'),
             r.get_attribute('data-rc'), int(r.get_attribute('data-count'))) for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--shots', default=None)
    args = ap.parse_args()
    api = Api(args.port)
    p, consumers = dataset()
    load(api, p, consumers)
    used = used_of(consumers)
    view = 'http://127.0.0.1:%d/placement-view' % args.port
    check = Check()
    d = browser()

    def shot(name):
        if args.shots:
            d.save_screenshot(os.path.join(args.shots, 'view-%s.png' % name))

    try:
        # --- overview: counts and totals per class ---
        d.get(view + '/')
        check('overview title', d.title == 'Capacity - placement', d.title)
        counts = d.find_element(By.ID, 'counts')
        nroots = sum(1 for n in p if not p[n]['parent'])
        check('overview counts providers and trees',
              counts.find_element(By.CSS_SELECTOR, '[data-providers]').get_attribute('data-providers')
              == str(len(p)) and
              counts.find_element(By.CSS_SELECTOR, '[data-roots]').get_attribute('data-roots') == str(nroots))
        check('overview counts consumers',
              counts.find_element(By.CSS_SELECTOR, '[data-consumers]').get_attribute('data-consumers')
              == str(len(consumers)))
        for rc in sorted({rc for d_ in p.values() for rc in d_['inv']}):
            row = d.find_element(By.CSS_SELECTOR, '#totals tr[data-rc="%s"]' % rc)
            cells = [c.text for c in row.find_elements(By.TAG_NAME, 'td')][:7]
            invs = [(n, p[n]['inv'][rc]) for n in p if rc in p[n]['inv']]
            total = sum(t for _, (t, r, ra) in invs)
            reserved = sum(r for _, (t, r, ra) in invs)
            cap = sum(capacity(t, r, ra) for _, (t, r, ra) in invs)
            use = sum(v for (n, c), v in used.items() if c == rc)
            want = [rc, str(len(invs)), str(total), str(reserved), str(cap), str(use), str(max(cap - use, 0))]
            check('totals of %s' % rc, cells == want, '%s != %s' % (cells, want))
        check('the chart has a row per class',
              len(d.find_elements(By.CSS_SELECTOR, 'svg.chart text')) ==
              len({rc for d_ in p.values() for rc in d_['inv']}) + 3)
        shot('overview')

        # --- providers as trees ---
        d.get(view + '/providers')
        trees = d.find_elements(By.CSS_SELECTOR, '#trees > ul.tree')
        check('one tree per root', len(trees) == nroots, '%d != %d' % (len(trees), nroots))
        numa = d.find_element(By.CSS_SELECTOR, 'ul.tree[data-root="%s"]' % uid('numa-host'))
        gpu = numa.find_elements(By.CSS_SELECTOR, 'ul.tree ul.tree ul.tree li[data-uuid="%s"]'
                                 % uid('numa-host-n1-gpu'))
        check('a grandchild is nested two levels down its tree', len(gpu) == 1)
        bar = d.find_element(By.CSS_SELECTOR, 'li[data-uuid="%s"] .num' % uid('cn01'))
        t, r, ra = p['cn01']['inv']['MEMORY_MB']
        inv_nums = [(e.get_attribute('data-used'), e.get_attribute('data-capacity')) for e in
                    d.find_elements(By.CSS_SELECTOR, 'li[data-uuid="%s"] .num' % uid('cn01'))]
        want = sorted([(str(used.get(('cn01', rc), 0)), str(capacity(*p['cn01']['inv'][rc])))
                       for rc in p['cn01']['inv']])
        check('a provider\'s usage bars (used, capacity)', sorted(inv_nums) == want,
              '%s != %s' % (inv_nums, want))
        sharing = d.find_elements(By.CSS_SELECTOR, '.sharing a')
        check('sharing providers are shown beside the trees they share with',
              any(a.text == 'shared-disk' for a in sharing))
        # the hostile name: shown as text, nothing ran
        hostile = [a for a in d.find_elements(By.CSS_SELECTOR, 'a.rp') if a.text == HOSTILE]
        check('a provider named with HTML shows as text', len(hostile) == 1)
        check('and runs nothing', d.title == 'Providers - placement' and no_alert(d), d.title)
        check('the page source escapes it', '&lt;script&gt;' in d.page_source and
              '<script>document' not in d.page_source)
        shot('providers')

        # --- one provider ---
        d.get(view + '/providers/' + uid('numa-host-n1-gpu'))
        anc = d.find_element(By.ID, 'ancestors').text
        check('a provider\'s ancestors', anc == 'Tree: numa-host > numa-host-n1 > numa-host-n1-gpu', anc)
        d.get(view + '/providers/' + uid('cn03'))
        traits = sorted(e.text for e in d.find_elements(By.CSS_SELECTOR, '#traits a'))
        check('a provider\'s traits', traits == sorted(p['cn03']['traits']), str(traits))
        aggs = [e.text for e in d.find_elements(By.CSS_SELECTOR, '#aggregates a')]
        check('a provider\'s aggregates', aggs == [uid('agg-a')], str(aggs))
        rows = d.find_elements(By.CSS_SELECTOR, '#allocations tr')[1:]
        got = sorted((r.find_elements(By.TAG_NAME, 'td')[4].text,
                      int(r.find_elements(By.TAG_NAME, 'td')[5].text)) for r in rows)
        check('a provider\'s consumers', got == sorted(consumers[2][1]['cn03'].items()), str(got))
        shot('provider')
        d.get(view + '/providers/' + uid(HOSTILE))
        check('the hostile provider\'s own page runs nothing',
              d.find_element(By.TAG_NAME, 'h1').text == HOSTILE and no_alert(d) and
              d.title.startswith('<script>'), d.title)

        # --- search ---
        def matches(q):
            d.get(view + '/providers?' + urllib.parse.urlencode(q))
            return sorted(e.get_attribute('data-uuid') for e in
                          d.find_elements(By.CSS_SELECTOR, '#matches tr[data-uuid]'))
        check('search by name', matches({'q': 'numa'}) ==
              sorted(uid(n) for n in p if 'numa' in n))
        check('search by uuid', matches({'q': uid('cn07')}) == [uid('cn07')])
        check('search by trait', matches({'q': 'CUSTOM_GOLD'}) == sorted([uid('cn03'), uid('cn04')]))
        check('search by aggregate', matches({'q': uid('agg-b')}) ==
              sorted(uid(n) for n in p if 'agg-b' in p[n]['aggs']))

        # --- the explainer: one failing query per constraint ---
        def explain(query, name, want_steps, want_tail, shot_name=None):
            d.get(view + '/explain?' + urllib.parse.urlencode({'q': query}))
            got = steps_on_page(d)
            found = [(k, c) for k, g, rc, c in got if k not in ('candidates', 'without_isolate',
                                                                 'without_same_subtree')]
            tail = {k: c for k, g, rc, c in got if k in ('candidates', 'without_isolate',
                                                         'without_same_subtree')}
            api_n = len(api.call('GET', '/allocation_candidates?' + query)['allocation_requests'])
            ok = found[:len(want_steps)] == want_steps and all(tail.get(k) == v for k, v in want_tail.items())
            ok = ok and tail.get('candidates') == api_n and \
                int(d.find_element(By.ID, 'ncandidates').text) == api_n
            check('explain %s' % name, ok, 'steps %s (want %s), tail %s (want %s), API %d'
                  % (found, want_steps, tail, want_tail, api_n))
            if shot_name:
                shot(shot_name)

        want, _ = granular_counts(p, used, [('VCPU', 1000)])
        explain('resources1=VCPU:1000', 'capacity', want + [('group', 0)], {'candidates': 0})
        want, alive = granular_counts(p, used, [('VCPU', 1), ('MEMORY_MB', 1024)],
                                      required=['CUSTOM_RARE'])
        explain('resources1=VCPU:1,MEMORY_MB:1024&required1=CUSTOM_RARE', 'required trait',
                want + [('group', len(alive))], {'candidates': 0})
        want, alive = granular_counts(p, used, [('VCPU', 1)], required=['CUSTOM_GOLD'],
                                      forbidden=['HW_CPU_X86_AVX2'])
        explain('resources1=VCPU:1&required1=CUSTOM_GOLD,!HW_CPU_X86_AVX2', 'forbidden trait',
                want + [('group', len(alive))], {'candidates': 0})
        want, alive = granular_counts(p, used, [('VCPU', 2)], required=['CUSTOM_GOLD'], member_of='agg-b')
        explain('resources1=VCPU:2&member_of1=%s&required1=CUSTOM_GOLD' % uid('agg-b'), 'member_of',
                want + [('group', len(alive))], {'candidates': 0})
        want, alive = granular_counts(p, used, [('DISK_GB', 10)], in_tree='cn20')
        explain('resources1=DISK_GB:10&in_tree1=%s' % uid('cn20'), 'in_tree',
                want + [('group', len(alive))], {'candidates': 0})
        both = pairs(p, used, 'split', ('VCPU', 1), ('MEMORY_MB', 1))
        subtree = [(x, y) for x, y in both if ancestor_or_self(p, x, y) or ancestor_or_self(p, y, x)]
        check('the dataset fails same_subtree only', len(both) > 0 and not subtree)
        explain('resources_A=VCPU:1&resources_B=MEMORY_MB:1&in_tree_A=%s&in_tree_B=%s'
                '&same_subtree=_A,_B&group_policy=none' % (uid('split'), uid('split')),
                'same_subtree', [], {'without_same_subtree': len(both), 'candidates': len(subtree)},
                'explain')
        both = pairs(p, used, 'cn05', ('VCPU', 1), ('MEMORY_MB', 1))
        apart = [(x, y) for x, y in both if x != y]
        check('the dataset fails isolate only', len(both) > 0 and not apart)
        explain('resources1=VCPU:1&resources2=MEMORY_MB:1&in_tree1=%s&in_tree2=%s&group_policy=isolate'
                % (uid('cn05'), uid('cn05')), 'group_policy=isolate', [],
                {'without_isolate': len(both), 'candidates': len(apart)})
        d.get(view + '/explain?' + urllib.parse.urlencode(
            {'q': 'resources=VCPU:1&root_required=CUSTOM_RARE'}))
        got = steps_on_page(d)
        roots_rare = sum(1 for n in p if not p[n]['parent'] and 'CUSTOM_RARE' in p[n]['traits'])
        check('explain root_required', got[0][0] == 'root_required' and got[0][3] == roots_rare,
              str(got[:1]))
        # the VCPU providers whose root has it: none (shared-disk has no VCPU)
        want = sum(1 for n in p if 'VCPU' in p[n]['inv'] and room(p, used, n, 'VCPU', 1) and
                   'CUSTOM_RARE' in p[root_of(p, n)]['traits'])
        rr = [c for k, g, rc, c in got if k == 'root_required' and rc == 'VCPU']
        check('explain root_required per class', rr == [want], '%s != [%d]' % (rr, want))
        # sharing: the unsuffixed group's DISK_GB from shared-disk (900 of 1000 used)
        d.get(view + '/explain?' + urllib.parse.urlencode({'q': 'resources=DISK_GB:150'}))
        got = steps_on_page(d)
        want = unsuffixed_class_counts(p, used, 'DISK_GB', 150)
        sharing_room = sum(1 for n in p if 'MISC_SHARES_VIA_AGGREGATE' in p[n]['traits']
                           and room(p, used, n, 'DISK_GB', 150))
        got_k = [(k, c) for k, g, rc, c in got if k in ('has_class', 'room', 'sharing')]
        check('explain sharing providers', got_k == want + [('sharing', sharing_room)],
              '%s != %s' % (got_k, want + [('sharing', sharing_room)]))
        # a refused query: the API's 400, shown on the page
        d.get(view + '/explain?' + urllib.parse.urlencode({'q': 'resources=VCPU:x'}))
        err = d.find_elements(By.ID, 'query-error')
        check('a refused query shows the API\'s message',
              len(err) == 1 and 'expected positive integer' in err[0].text)
        # the hostile name through the explainer's candidates
        d.get(view + '/explain?' + urllib.parse.urlencode(
            {'q': 'resources=VCPU:1&in_tree=%s' % uid(HOSTILE)}))
        check('the explainer shows a hostile candidate as text, runs nothing',
              no_alert(d) and d.title == 'Why these candidates? - placement' and
              int(d.find_element(By.ID, 'ncandidates').text) == 1)
    finally:
        d.quit()
    print('%d passed, %d failed' % (check.passed, check.failed))
    return 1 if check.failed else 0


if __name__ == '__main__':
    sys.exit(main())
