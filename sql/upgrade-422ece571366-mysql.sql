-- MariaDB/MySQL: from b5c396305c25 to 422ece571366 (consumer types): the
-- table of consumer types and the consumers' column, index and foreign
-- key that point to it.  DDL commits by itself here, so every statement
-- may run again: placement-sync records the revision after the last one,
-- and a run that stopped half way is finished by the next.  The table
-- takes the database's character set, as upstream's migration makes it.
CREATE TABLE IF NOT EXISTS `consumer_types` (
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uniq_consumer_types0name` (`name`)
) ENGINE=InnoDB;
ALTER TABLE `consumers` ADD COLUMN IF NOT EXISTS `consumer_type_id` int(11) DEFAULT NULL;
CREATE INDEX IF NOT EXISTS `consumers_consumer_type_id_idx` ON `consumers` (`consumer_type_id`);
ALTER TABLE `consumers` ADD CONSTRAINT `consumers_consumer_type_id_fkey`
  FOREIGN KEY IF NOT EXISTS (`consumer_type_id`) REFERENCES `consumer_types` (`id`);
