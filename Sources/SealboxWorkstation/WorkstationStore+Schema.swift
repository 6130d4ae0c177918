// The schema of the workstation's local store, as plain SQL.
//
// Rules this file enforces: migrations are named and append-only. Never edit a
// released one (stores on counsellors' computers have run it); add a new one.
// Each migration is tested from the state before it (SealboxWorkstationTests).
internal import GRDB

extension WorkstationStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-items-attachments-state") { db in
            try db.execute(sql: """
                CREATE TABLE items (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX items_case ON items(case_ref, seq);
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    size INTEGER NOT NULL,
                    blob BLOB
                ) STRICT;
                CREATE INDEX attachments_item ON attachments(item_id);
                CREATE TABLE state (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) STRICT;
                """)
        }
        // Issue 3: status changes (no envelope), where an item came from, the server's
        // view of each case. SQLite cannot make a column nullable in place, so `items`
        // is rebuilt (foreign keys are off during a migration; seq values are kept).
        migrator.registerMigration("v2-status-origin-cases") { db in
            try db.execute(sql: """
                CREATE TABLE items_v2 (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB,
                    status TEXT,
                    origin TEXT NOT NULL DEFAULT 'sync' CHECK (origin IN ('sync', 'local')),
                    CHECK ((kind = 'status') = (envelope IS NULL)),
                    CHECK ((kind = 'status') = (status IS NOT NULL))
                ) STRICT;
                INSERT INTO items_v2 (seq, id, case_ref, kind, day, envelope)
                    SELECT seq, id, case_ref, kind, day, envelope FROM items ORDER BY seq;
                DROP TABLE items;
                ALTER TABLE items_v2 RENAME TO items;
                CREATE INDEX items_case ON items(case_ref, seq);
                CREATE TABLE cases (
                    ref TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    received TEXT NOT NULL,
                    acknowledged TEXT,
                    updated TEXT NOT NULL
                ) STRICT;
                """)
        }
        return migrator
    }
}
