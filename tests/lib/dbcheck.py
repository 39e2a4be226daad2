"""What no request may ever leave in a placement database, as SQL that
both backends run: shared by tests/faults/run and tests/galera/run."""

CHECKS = [
    ('allocation without its consumer',
     'SELECT COUNT(*) FROM allocations a WHERE NOT EXISTS '
     '(SELECT 1 FROM consumers c WHERE c.uuid = a.consumer_id)'),
    ('allocation without its provider',
     'SELECT COUNT(*) FROM allocations a WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_providers p WHERE p.id = a.resource_provider_id)'),
    ('allocation without its class',
     'SELECT COUNT(*) FROM allocations a WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_classes r WHERE r.id = a.resource_class_id)'),
    ('consumer without its project',
     'SELECT COUNT(*) FROM consumers c WHERE NOT EXISTS '
     '(SELECT 1 FROM projects p WHERE p.id = c.project_id)'),
    ('consumer without its user',
     'SELECT COUNT(*) FROM consumers c WHERE NOT EXISTS '
     '(SELECT 1 FROM users u WHERE u.id = c.user_id)'),
    ('consumer without allocations',
     'SELECT COUNT(*) FROM consumers c WHERE NOT EXISTS '
     '(SELECT 1 FROM allocations a WHERE a.consumer_id = c.uuid)'),
    ('inventory without its provider',
     'SELECT COUNT(*) FROM inventories i WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_providers p WHERE p.id = i.resource_provider_id)'),
    ('inventory without its class',
     'SELECT COUNT(*) FROM inventories i WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_classes r WHERE r.id = i.resource_class_id)'),
    ('allocation on a class without inventory',
     'SELECT COUNT(*) FROM allocations a WHERE NOT EXISTS (SELECT 1 FROM inventories i '
     'WHERE i.resource_provider_id = a.resource_provider_id '
     'AND i.resource_class_id = a.resource_class_id)'),
    ('trait link without its provider or trait',
     'SELECT COUNT(*) FROM resource_provider_traits t WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_providers p WHERE p.id = t.resource_provider_id) '
     'OR NOT EXISTS (SELECT 1 FROM traits x WHERE x.id = t.trait_id)'),
    ('aggregate link without its provider or aggregate',
     'SELECT COUNT(*) FROM resource_provider_aggregates t WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_providers p WHERE p.id = t.resource_provider_id) '
     'OR NOT EXISTS (SELECT 1 FROM placement_aggregates x WHERE x.id = t.aggregate_id)'),
    ('provider without its root or parent',
     'SELECT COUNT(*) FROM resource_providers p WHERE NOT EXISTS '
     '(SELECT 1 FROM resource_providers r WHERE r.id = p.root_provider_id) '
     'OR (p.parent_provider_id IS NOT NULL AND NOT EXISTS '
     '(SELECT 1 FROM resource_providers r WHERE r.id = p.parent_provider_id))'),
]

TOTALS = ('allocation totals that differ from the sums',
          'SELECT COUNT(*) FROM (SELECT resource_provider_id AS p, resource_class_id AS c, '
          'SUM(used) AS u FROM allocations GROUP BY resource_provider_id, resource_class_id) s '
          'LEFT JOIN allocation_totals t ON t.resource_provider_id = s.p '
          'AND t.resource_class_id = s.c WHERE t.used IS NULL OR t.used != s.u')


def integrity(query, with_totals=False):
    """The problems found, as phrases ('2 consumer without its project');
    query(sql) returns the rows of one SELECT."""
    problems = []
    for what, sql in CHECKS + ([TOTALS] if with_totals else []):
        n = query(sql)[0][0]
        if n:
            problems.append('%d %s' % (n, what))
    return problems
