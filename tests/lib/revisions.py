"""Databases at each of upstream's schema revisions, for the tests of
placement-sync's upgrades (tests/revisions, tests/dropin).

The four revisions of Placement 8.0.0 are made by its own alembic history
(Debian's python3-placement: placement.db.sqlalchemy.migration.upgrade to
that revision); upstream 15.0.0's head, a082b8bb98d0, which 8.0.0 does
not have, is made from 422ece571366 the way its migration does it: the
five indexes that repeat a unique constraint's are dropped and the
revision recorded (../shared/reference/upstream-15.0.0.md)."""

import subprocess
import tempfile

# oldest first, as alembic chains them (each revises the one before)
REVISIONS = ['b4ed3a175331', '611cd6dffd7b', 'b5c396305c25', '422ece571366', 'a082b8bb98d0']
HEAD = REVISIONS[-1]
A082_INDEXES = [('inventories', 'inventories_resource_provider_id_idx'),
                ('inventories', 'inventories_resource_provider_resource_class_idx'),
                ('placement_aggregates', 'ix_placement_aggregates_uuid'),
                ('resource_providers', 'resource_providers_name_idx'),
                ('resource_providers', 'resource_providers_uuid_idx')]

_ALEMBIC = '''
import sys
from oslo_config import cfg
from placement import conf, db_api
from placement.db.sqlalchemy import migration
CONF = cfg.ConfigOpts()
conf.register_opts(CONF)
CONF(['--config-file', sys.argv[1]], project='placement', default_config_files=[])
db_api.configure(CONF)
migration.upgrade(sys.argv[2])
'''


def make(url, revision, execute):
    """Makes the schema at revision in the empty database of url (an
    oslo.db connection URL); execute(sql) runs one statement on it."""
    with tempfile.NamedTemporaryFile('w', suffix='.conf') as conf:
        conf.write('[placement_database]\nconnection = %s\n' % url)
        conf.flush()
        target = '422ece571366' if revision == HEAD else revision
        subprocess.run(['/usr/bin/python3', '-c', _ALEMBIC, conf.name, target], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if revision == HEAD:
        to_head(url, execute)


def to_head(url, execute):
    """Upstream 15.0.0's last migration on a database at 422ece571366."""
    for table, index in A082_INDEXES:
        if url.startswith('sqlite'):
            execute('DROP INDEX %s' % index)
        else:
            execute('ALTER TABLE %s DROP INDEX %s' % (table, index))
    execute("UPDATE alembic_version SET version_num = '%s'" % HEAD)


__all__ = ['REVISIONS', 'HEAD', 'make', 'to_head']
