-- Change counters (MariaDB; not part of the reference layout): per
-- provider, a number that every change to what allocation-candidate
-- queries read of it moves (its inventories, allocations, traits,
-- aggregates), and a second one that only its allocations move, kept by
-- triggers so that every writer moves them, the reference serving the
-- same database included.  A FastCGI responder reads all counters in its
-- query's snapshot and brings up to date only the providers whose counter
-- moved (common/ac/ac_refresh.c); when only usage_changes moved as much, it
-- keeps what does not depend on usage (trait and aggregate members, the
-- classes in use).  A provider has a row once it has changed.  Row 0
-- counts the changes to the set of providers and their trees: a provider
-- made or deleted, renamed, given a new uuid, parent or root (a reader
-- that sees it move reads everything again); a provider's generation
-- alone, which every write bumps, moves nothing.  sqlite has a change log
-- instead (schema-changes.sql); on MariaDB auto-increment numbers do not
-- follow commit order, so "the rows after mine" could miss a late commit,
-- while counters read in one snapshot cannot.
-- placement-sync runs this once (one statement at a time), and again when
-- the triggers it finds are not all these: the triggers of an older
-- layout (placement_changes_*) are dropped at the end.  The responders
-- use the counters only when every trigger below is there (S_AC_HAS_COUNTERS).
-- A database user without the TRIGGER privilege (or, with binary logging
-- on, without SUPER or log_bin_trust_function_creators) cannot make the
-- triggers: placement-sync says so, and the responders then keep no
-- allocation-candidates cache on that database.
CREATE TABLE IF NOT EXISTS placement_provider_changes (
	resource_provider_id INT NOT NULL,
	changes BIGINT NOT NULL DEFAULT 0,
	usage_changes BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (resource_provider_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO placement_provider_changes (resource_provider_id, changes) VALUES (0, 0);
ALTER TABLE placement_provider_changes ADD COLUMN IF NOT EXISTS usage_changes BIGINT NOT NULL DEFAULT 0;
CREATE OR REPLACE TRIGGER placement_counter_inv_insert AFTER INSERT ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_inv_update AFTER UPDATE ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1), (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_inv_delete AFTER DELETE ON inventories FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_alloc_insert AFTER INSERT ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes, usage_changes)
	VALUES (NEW.resource_provider_id, 1, 1) ON DUPLICATE KEY UPDATE changes = changes + 1, usage_changes = usage_changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_alloc_update AFTER UPDATE ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes, usage_changes)
	VALUES (OLD.resource_provider_id, 1, 1), (NEW.resource_provider_id, 1, 1) ON DUPLICATE KEY UPDATE changes = changes + 1, usage_changes = usage_changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_alloc_delete AFTER DELETE ON allocations FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes, usage_changes)
	VALUES (OLD.resource_provider_id, 1, 1) ON DUPLICATE KEY UPDATE changes = changes + 1, usage_changes = usage_changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_trait_insert AFTER INSERT ON resource_provider_traits FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_trait_delete AFTER DELETE ON resource_provider_traits FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_agg_insert AFTER INSERT ON resource_provider_aggregates FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (NEW.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_agg_delete AFTER DELETE ON resource_provider_aggregates FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (OLD.resource_provider_id, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
-- row 0: the set of providers and their trees (a reader that sees it move
-- reads everything again); a write that only bumps the generation, or the
-- reference's updated_at, moves nothing
CREATE OR REPLACE TRIGGER placement_counter_rp_update AFTER UPDATE ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	SELECT 0, 1 FROM DUAL WHERE NOT (NEW.uuid <=> OLD.uuid AND NEW.name <=> OLD.name
		AND NEW.parent_provider_id <=> OLD.parent_provider_id
		AND NEW.root_provider_id <=> OLD.root_provider_id)
	ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_rp_insert AFTER INSERT ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (0, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
CREATE OR REPLACE TRIGGER placement_counter_rp_delete AFTER DELETE ON resource_providers FOR EACH ROW
	INSERT INTO placement_provider_changes (resource_provider_id, changes)
	VALUES (0, 1) ON DUPLICATE KEY UPDATE changes = changes + 1;
-- the triggers of the first layout (one counter, generations counted)
DROP TRIGGER IF EXISTS placement_changes_inv_insert;
DROP TRIGGER IF EXISTS placement_changes_inv_update;
DROP TRIGGER IF EXISTS placement_changes_inv_delete;
DROP TRIGGER IF EXISTS placement_changes_alloc_insert;
DROP TRIGGER IF EXISTS placement_changes_alloc_update;
DROP TRIGGER IF EXISTS placement_changes_alloc_delete;
DROP TRIGGER IF EXISTS placement_changes_trait_insert;
DROP TRIGGER IF EXISTS placement_changes_trait_delete;
DROP TRIGGER IF EXISTS placement_changes_agg_insert;
DROP TRIGGER IF EXISTS placement_changes_agg_delete;
DROP TRIGGER IF EXISTS placement_changes_rp_update;
DROP TRIGGER IF EXISTS placement_changes_rp_insert;
DROP TRIGGER IF EXISTS placement_changes_rp_delete;
