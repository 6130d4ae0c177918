// The one door to the server's SQLite database. SQLiteFile opens it as a WAL pool with
// synchronous=FULL (so that a commit that was answered survives a power cut),
// secure_delete on, and foreign keys enforced.
// It holds only sealed envelopes, sealed blobs, keyed hashes, public keys and days.
import Foundation
internal import GRDB

/// The daemon's storage: cases, sealed items and sealed attachment blobs.
public final class MailboxDatabase: Sendable {
    let writer: DatabasePool

    /// Opens (and migrates) the database file at `path`.
    public init(path: String) throws {
        writer = try SQLiteFile.openPool(path: path)
        try Self.migrator.migrate(writer)
    }

    /// The value of a pragma on the writer connection (for tests and diagnostics).
    public func pragma(_ name: String) throws -> String? {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" })
        return try writer.writeWithoutTransaction { db in
            try String.fetchOne(db, sql: "PRAGMA \(name)")
        }
    }

    /// Checkpoints the WAL into the main file (used at shutdown).
    public func checkpoint() throws {
        try writer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases-items-attachments") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    ref TEXT PRIMARY KEY NOT NULL,
                    lookup_hash BLOB NOT NULL UNIQUE,
                    reporter_key BLOB NOT NULL,
                    status TEXT NOT NULL DEFAULT 'received',
                    received_day TEXT NOT NULL,
                    acknowledged_day TEXT,
                    updated_day TEXT NOT NULL
                ) STRICT;
                CREATE TABLE items (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL REFERENCES cases(ref) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX items_case ON items(case_ref);
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    size INTEGER NOT NULL,
                    blob BLOB NOT NULL
                ) STRICT;
                CREATE INDEX attachments_item ON attachments(item_id);
                """)
        }
        migrator.registerMigration("v2-status-items-audit") { db in
            try db.execute(sql: """
                ALTER TABLE items ADD COLUMN status TEXT;
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    day TEXT NOT NULL,
                    staff_key TEXT NOT NULL,
                    action TEXT NOT NULL,
                    case_ref TEXT NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v3-cursor-tombstones") { db in
            // A deleted case's items leave only their random id and position, so that a
            // workstation whose sync cursor named one of them can go on from there.
            try db.execute(sql: """
                CREATE TABLE cursor_tombstones (
                    id TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL
                ) STRICT;
                """)
        }
        return migrator
    }
}
