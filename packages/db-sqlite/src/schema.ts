/** Schema version 1 of the smeconf SQLite store (PRAGMA user_version). */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  db TEXT NOT NULL,
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  props TEXT NOT NULL, -- JSON array of [name, value] pairs, names in byte order
  PRIMARY KEY (db, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  revision INTEGER NOT NULL,
  time INTEGER NOT NULL, -- milliseconds since the epoch
  db TEXT NOT NULL,
  key TEXT NOT NULL,
  prop TEXT, -- NULL: the record's type
  old TEXT,  -- NULL: did not exist
  new TEXT   -- NULL: removed
);
CREATE INDEX IF NOT EXISTS changes_by_key ON changes (db, key, revision);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0);
PRAGMA user_version = ${SCHEMA_VERSION};
`;
