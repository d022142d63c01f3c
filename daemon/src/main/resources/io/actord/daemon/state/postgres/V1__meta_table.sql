-- The PostgreSQL state store's fixed schema (Flyway runs this once per database). Each TableDef is a table
-- "kv_<name>" of bytea keys and values, created when a store declaring it opens; the meta table, which holds the
-- store's schema version (StateStore.SCHEMA_VERSION), is one of them and exists from the start. bytea compares as
-- unsigned bytes, shorter first on a common prefix: the order RocksDB's default comparator gives.
CREATE TABLE kv_meta (k bytea PRIMARY KEY, v bytea NOT NULL);
