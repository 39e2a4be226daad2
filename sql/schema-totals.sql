-- Allocation totals (sqlite only; not part of the reference layout): what is
-- allocated per (provider, class), kept by triggers so that every writer,
-- this service or the reference serving the same file, keeps it exact.
-- The capacity check of an allocation write reads one row here instead of
-- summing every allocation of the provider (linear in its consumers).
-- placement-sync runs this on every sync: it (re)creates the table and the
-- triggers and recounts the totals from the allocations, so a database
-- written while the triggers were missing is repaired.  The service uses
-- the table only when all of it is present (checked by a connection's
-- first capacity check).
CREATE TABLE IF NOT EXISTS allocation_totals (
	resource_provider_id INTEGER NOT NULL,
	resource_class_id INTEGER NOT NULL,
	used INTEGER NOT NULL,
	PRIMARY KEY (resource_provider_id, resource_class_id)
) WITHOUT ROWID;
DROP TRIGGER IF EXISTS allocation_totals_insert;
DROP TRIGGER IF EXISTS allocation_totals_delete;
DROP TRIGGER IF EXISTS allocation_totals_update;
CREATE TRIGGER allocation_totals_insert AFTER INSERT ON allocations BEGIN
	INSERT INTO allocation_totals (resource_provider_id, resource_class_id, used)
	VALUES (NEW.resource_provider_id, NEW.resource_class_id, NEW.used)
	ON CONFLICT (resource_provider_id, resource_class_id) DO UPDATE SET used = used + excluded.used;
END;
CREATE TRIGGER allocation_totals_delete AFTER DELETE ON allocations BEGIN
	UPDATE allocation_totals SET used = used - OLD.used
	WHERE resource_provider_id = OLD.resource_provider_id AND resource_class_id = OLD.resource_class_id;
END;
CREATE TRIGGER allocation_totals_update AFTER UPDATE OF resource_provider_id, resource_class_id, used ON allocations BEGIN
	UPDATE allocation_totals SET used = used - OLD.used
	WHERE resource_provider_id = OLD.resource_provider_id AND resource_class_id = OLD.resource_class_id;
	INSERT INTO allocation_totals (resource_provider_id, resource_class_id, used)
	VALUES (NEW.resource_provider_id, NEW.resource_class_id, NEW.used)
	ON CONFLICT (resource_provider_id, resource_class_id) DO UPDATE SET used = used + excluded.used;
END;
DELETE FROM allocation_totals;
INSERT INTO allocation_totals (resource_provider_id, resource_class_id, used)
	SELECT resource_provider_id, resource_class_id, SUM(used) FROM allocations
	GROUP BY resource_provider_id, resource_class_id;
