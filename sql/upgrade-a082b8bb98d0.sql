-- sqlite: from 422ece571366 to a082b8bb98d0 (upstream 15.0.0's head): the
-- five indexes that repeat a unique constraint's go; the constraints'
-- own indexes serve the same lookups.
DROP INDEX IF EXISTS inventories_resource_provider_id_idx;
DROP INDEX IF EXISTS inventories_resource_provider_resource_class_idx;
DROP INDEX IF EXISTS ix_placement_aggregates_uuid;
DROP INDEX IF EXISTS resource_providers_name_idx;
DROP INDEX IF EXISTS resource_providers_uuid_idx;
