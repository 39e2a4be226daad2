-- Change counters (MariaDB; not part of the reference layout): per
-- provider, a number that every change to what allocation-candidate
-- queries read of it moves (its inventories, allocations, traits,
-- aggregates, the provider row itself), kept by triggers so that every
-- writer moves it, the reference serving the same database included.
-- A FastCGI responder reads all counters in its query's snapshot and
-- brings up to date only the providers whose counter moved
-- (common/ac_refresh.c).  A provider has a row once it has changed;
-- row 0 counts providers made and deleted.  sqlite has a change log instead
-- (schema-changes.sql); on MariaDB auto-increment numbers do not follow
-- commit order, so "the rows after mine" could miss a late commit, while
-- counters read in one snapshot cannot.
-- placement-sync runs this on every sync (one statement at a time).  A
-- database user without the TRIGGER privilege (or, with binary logging
-- on, without SUPER or log_bin_trust_function_creators) cannot make the
-- triggers: placement-sync says so, and the responders then keep no
-- allocation-candidates cache on that database (they check that every
-- trigger is there).
CREATE TABLE IF NOT EXISTS placement_provider_changes (
	resource_provider_id INT NOT NULL,
	changes BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (resource_provider_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO placement_provider_changes (resource_provider_id, changes) VALUES (0, 0);
CREATE OR REPLACE TRIGGER placement_changes_inv_insert AFTER INSERT ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_inv_update AFTER UPDATE ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_inv_delete AFTER DELETE ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_alloc_insert AFTER INSERT ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_alloc_update AFTER UPDATE ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_alloc_delete AFTER DELETE ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_trait_insert AFTER INSERT ON resource_provider_traits FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_trait_delete AFTER DELETE ON resource_provider_traits FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_agg_insert AFTER INSERT ON resource_provider_aggregates FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_agg_delete AFTER DELETE ON resource_provider_aggregates FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_rp_update AFTER UPDATE ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
-- row 0: the set of providers (a reader that sees it move reads everything again)
CREATE OR REPLACE TRIGGER placement_changes_rp_insert AFTER INSERT ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (0, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_changes_rp_delete AFTER DELETE ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (0, 1) ON DUPLICATE KEY UPDATE changes = changes + 1
