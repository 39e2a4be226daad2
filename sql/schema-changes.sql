-- The change log (sqlite; not part of the reference layout): one row per
-- provider a commit touched, kept by triggers, so that every writer (this
-- service, the reference serving the same file, an operator's SQL) is in
-- it.  A FastCGI responder keeps what allocation-candidate queries read
-- (common/ac/ac_cache.h) across commits: it reads the rows after the last
-- one it has seen and brings up to date only what those providers touch,
-- instead of dropping everything (sql/store_ac.c st_ac_changes).
--
-- what: 1 inventories, 2 allocations (usage), 4 traits, 8 aggregates,
-- 16 the provider itself (made, deleted, renamed, moved in a tree).
-- Resource classes and traits as a whole are told apart by their counts,
-- highest ids and last rename (S_AC_GLOBALS), not logged: every trigger
-- here is parsed by every new connection (each CGI request), so there are
-- as few as the log needs and they are short.
--
-- sqlite writes one transaction at a time, so seq follows commit order and
-- has no gaps (AUTOINCREMENT: a number is never used twice, even after
-- the pruning below).  The log prunes itself: every 4096th row deletes
-- those 16384 and more behind it; a reader that finds the row after its
-- own gone reads everything again.  placement-sync runs this on every
-- sync; it keeps the rows, so readers carry on.  The service uses the log
-- only when the table and all its triggers are there (S_HAS_CHANGE_LOG).
CREATE TABLE IF NOT EXISTS placement_changes (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	resource_provider_id INTEGER NOT NULL,
	what INTEGER NOT NULL
);
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
DROP TRIGGER IF EXISTS placement_changes_rp_insert;
DROP TRIGGER IF EXISTS placement_changes_rp_update;
DROP TRIGGER IF EXISTS placement_changes_rp_delete;
DROP TRIGGER IF EXISTS placement_changes_prune;
DROP TRIGGER IF EXISTS placement_changes_rc_insert;
DROP TRIGGER IF EXISTS placement_changes_rc_update;
DROP TRIGGER IF EXISTS placement_changes_rc_delete;
DROP TRIGGER IF EXISTS placement_changes_traits_insert;
DROP TRIGGER IF EXISTS placement_changes_traits_update;
DROP TRIGGER IF EXISTS placement_changes_traits_delete;
CREATE TRIGGER placement_changes_inv_insert AFTER INSERT ON inventories BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (NEW.resource_provider_id, 1);
END;
CREATE TRIGGER placement_changes_inv_update AFTER UPDATE ON inventories BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 1), (NEW.resource_provider_id, 1);
END;
CREATE TRIGGER placement_changes_inv_delete AFTER DELETE ON inventories BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 1);
END;
CREATE TRIGGER placement_changes_alloc_insert AFTER INSERT ON allocations BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (NEW.resource_provider_id, 2);
END;
CREATE TRIGGER placement_changes_alloc_update AFTER UPDATE ON allocations BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 2), (NEW.resource_provider_id, 2);
END;
CREATE TRIGGER placement_changes_alloc_delete AFTER DELETE ON allocations BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 2);
END;
CREATE TRIGGER placement_changes_trait_insert AFTER INSERT ON resource_provider_traits BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (NEW.resource_provider_id, 4);
END;
CREATE TRIGGER placement_changes_trait_delete AFTER DELETE ON resource_provider_traits BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 4);
END;
CREATE TRIGGER placement_changes_agg_insert AFTER INSERT ON resource_provider_aggregates BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (NEW.resource_provider_id, 8);
END;
CREATE TRIGGER placement_changes_agg_delete AFTER DELETE ON resource_provider_aggregates BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.resource_provider_id, 8);
END;
CREATE TRIGGER placement_changes_rp_insert AFTER INSERT ON resource_providers BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (NEW.id, 16);
END;
CREATE TRIGGER placement_changes_rp_update AFTER UPDATE OF uuid, name, parent_provider_id, root_provider_id ON resource_providers BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.id, 16), (NEW.id, 16);
END;
CREATE TRIGGER placement_changes_rp_delete AFTER DELETE ON resource_providers BEGIN
	INSERT INTO placement_changes (resource_provider_id, what) VALUES (OLD.id, 16);
END;
CREATE TRIGGER placement_changes_prune AFTER INSERT ON placement_changes WHEN NEW.seq % 4096 = 0 BEGIN
	DELETE FROM placement_changes WHERE seq <= NEW.seq - 16384;
END;
