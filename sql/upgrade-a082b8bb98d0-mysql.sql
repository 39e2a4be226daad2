-- MariaDB/MySQL: from 422ece571366 to a082b8bb98d0 (upstream 15.0.0's
-- head): the five indexes that repeat a unique key go.  The inventories'
-- foreign key to its provider keeps an index: the unique key on
-- (resource_provider_id, resource_class_id) starts with its column.
ALTER TABLE `inventories` DROP INDEX IF EXISTS `inventories_resource_provider_id_idx`,
  DROP INDEX IF EXISTS `inventories_resource_provider_resource_class_idx`;
ALTER TABLE `placement_aggregates` DROP INDEX IF EXISTS `ix_placement_aggregates_uuid`;
ALTER TABLE `resource_providers` DROP INDEX IF EXISTS `resource_providers_name_idx`,
  DROP INDEX IF EXISTS `resource_providers_uuid_idx`;
