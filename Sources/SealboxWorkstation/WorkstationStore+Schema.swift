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
        // Gap 11 of issue 8: nothing orders the items of one day by when they arrived
        // here (`seq` numbered them in the order syncs stored them, which follows the
        // order they reached the server). Items are keyed by their random id and carry
        // the server's `position` in their case (from `seq` inside each case for items
        // stored before); every table with rows per item or case is WITHOUT ROWID. The
        // item cursor becomes the newest day synced (`synced_day`): a sync reads again
        // from the day before it, so an item stored later on a synced day is not missed.
        migrator.registerMigration("v3-positions-synced-day") { db in
            try db.execute(sql: """
                CREATE TABLE items_v3 (
                    id TEXT PRIMARY KEY NOT NULL,
                    case_ref TEXT NOT NULL,
                    position INTEGER NOT NULL CHECK (position >= 1),
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB,
                    status TEXT,
                    origin TEXT NOT NULL DEFAULT 'sync' CHECK (origin IN ('sync', 'local')),
                    CHECK ((kind = 'status') = (envelope IS NULL)),
                    CHECK ((kind = 'status') = (status IS NOT NULL))
                ) STRICT, WITHOUT ROWID;
                INSERT INTO items_v3 (id, case_ref, position, kind, day, envelope, status, origin)
                    SELECT id, case_ref, ROW_NUMBER() OVER (PARTITION BY case_ref ORDER BY seq),
                           kind, day, envelope, status, origin
                    FROM items ORDER BY id;
                CREATE TABLE attachments_v3 (
                    id TEXT PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    size INTEGER NOT NULL,
                    blob BLOB
                ) STRICT, WITHOUT ROWID;
                INSERT INTO attachments_v3 (id, item_id, size, blob) SELECT id, item_id, size, blob FROM attachments ORDER BY id;
                CREATE TABLE cases_v3 (
                    ref TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    received TEXT NOT NULL,
                    acknowledged TEXT,
                    updated TEXT NOT NULL
                ) STRICT, WITHOUT ROWID;
                INSERT INTO cases_v3 (ref, status, received, acknowledged, updated)
                    SELECT ref, status, received, acknowledged, updated FROM cases ORDER BY ref;
                INSERT OR REPLACE INTO state (key, value)
                    SELECT 'synced_day', day FROM (
                        SELECT COALESCE((SELECT i.day FROM items i JOIN state s ON s.key = 'cursor' AND s.value = i.id),
                                        (SELECT MAX(day) FROM items WHERE origin = 'sync')) AS day)
                    WHERE day IS NOT NULL;
                DELETE FROM state WHERE key = 'cursor';
                DROP TABLE attachments;
                DROP TABLE items;
                DROP TABLE cases;
                ALTER TABLE items_v3 RENAME TO items;
                ALTER TABLE attachments_v3 RENAME TO attachments;
                ALTER TABLE cases_v3 RENAME TO cases;
                CREATE INDEX items_case ON items(case_ref, position);
                CREATE INDEX attachments_item ON attachments(item_id);
                """)
        }
        // Issue 9: the cases the server's audit log says were deleted, so that a case the
        // server no longer has is told apart as deleted there or lost (the server was
        // restored from a backup older than the case).
        migrator.registerMigration("v4-server-deletions") { db in
            try db.execute(sql: """
                CREATE TABLE server_deletions (
                    ref TEXT PRIMARY KEY NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // Issue 10, slice 1: the roster entries this workstation has verified from its
        // trusted leads, keyed by seq; the newest row is the pin (its seq and hash) that
        // every later roster must extend (docs/PROTOCOL.md §12.4).
        migrator.registerMigration("v5-roster-pin") { db in
            try db.execute(sql: """
                CREATE TABLE roster (
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    entry BLOB NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // Issue 10: what the server says of each case's retention and of a deletion asked
        // for and not yet confirmed (four eyes), for `sealbox list` and `show`.
        migrator.registerMigration("v6-retention-deletion-requests") { db in
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN expires TEXT;
                ALTER TABLE cases ADD COLUMN retained_until TEXT;
                ALTER TABLE cases ADD COLUMN deletion_by TEXT;
                ALTER TABLE cases ADD COLUMN deletion_day TEXT;
                ALTER TABLE cases ADD COLUMN deletion_expires TEXT;
                """)
        }
        // Issue 10, slice 2: the user's grants (docs/PROTOCOL.md §12.5), kept sealed to her
        // member key as the server sent them; opened in memory by each command that needs them.
        migrator.registerMigration("v7-grants") { db in
            try db.execute(sql: """
                CREATE TABLE grants (
                    scope TEXT PRIMARY KEY NOT NULL,
                    sealed BLOB NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // Issue 10: the audit chain's pin (docs/PROTOCOL.md §11.1): the last entry of the
        // days before the newest day verified (`settled` = 1, with its chain hash), and each
        // entry of that newest day (`settled` = 0, with the digest of its fields), so that a
        // later audit log must still hold them unchanged (no rollback, no rewrite).
        migrator.registerMigration("v8-audit-pin") { db in
            try db.execute(sql: """
                CREATE TABLE audit_pin (
                    day TEXT NOT NULL,
                    id TEXT NOT NULL,
                    settled INTEGER NOT NULL CHECK (settled IN (0, 1)),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (day, id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // Issue 11 (speed): the items' plain metadata in an index of its own, so that the
        // case list (`list`, the desk's inbox) reads it without reading past the sealed
        // envelopes stored in the same rows (10,000 cases / 100,000 items: ~400 MB). It
        // replaces items_case, whose columns it starts with.
        migrator.registerMigration("v9-items-meta-index") { db in
            try db.execute(sql: """
                CREATE INDEX items_meta ON items(case_ref, position, kind, day, status);
                DROP INDEX items_case;
                """)
        }
        // Issue 11: which cases changed since the user last looked (`sealbox list --new`,
        // `sync` naming changed cases): a sync stores the store-wide number of the change
        // in `changed`, `show` copies it to `read` (WorkstationStore+Attention.swift).
        migrator.registerMigration("v10-case-marks") { db in
            try db.execute(sql: """
                CREATE TABLE case_marks (
                    ref TEXT PRIMARY KEY NOT NULL,
                    changed INTEGER NOT NULL CHECK (changed >= 1),
                    read INTEGER NOT NULL DEFAULT 0 CHECK (read >= 0)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
