-- sqlite: from b5c396305c25 to 422ece571366 (consumer types): the table
-- of consumer types, and consumers rebuilt with a consumer_type_id column,
-- table text and index names as upstream's migration leaves them (its
-- batch mode copies the table), so that an upgraded database is the same
-- as one made at this revision.  Runs in placement-sync's transaction.
CREATE TABLE consumer_types (
	created_at DATETIME, 
	updated_at DATETIME, 
	id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uniq_consumer_types0name UNIQUE (name)
);
DROP INDEX IF EXISTS consumers_project_id_user_id_uuid_idx;
DROP INDEX IF EXISTS consumers_project_id_uuid_idx;
ALTER TABLE consumers RENAME TO placement_consumers_before_types;
CREATE TABLE IF NOT EXISTS "consumers" (
	created_at DATETIME, 
	updated_at DATETIME, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	project_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	generation INTEGER DEFAULT 0 NOT NULL, 
	consumer_type_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT uniq_consumers0uuid UNIQUE (uuid), 
	CONSTRAINT consumers_consumer_type_id_fkey FOREIGN KEY(consumer_type_id) REFERENCES consumer_types (id)
);
INSERT INTO consumers (created_at, updated_at, id, uuid, project_id, user_id, generation)
	SELECT created_at, updated_at, id, uuid, project_id, user_id, generation
	FROM placement_consumers_before_types;
DROP TABLE placement_consumers_before_types;
CREATE INDEX consumers_project_id_user_id_uuid_idx ON consumers (project_id, user_id, uuid);
CREATE INDEX consumers_project_id_uuid_idx ON consumers (project_id, uuid);
CREATE INDEX consumers_consumer_type_id_idx ON consumers (consumer_type_id);
