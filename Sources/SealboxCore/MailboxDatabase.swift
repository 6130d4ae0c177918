// The one door to the server's SQLite database. SQLiteFile opens it as a WAL pool with
// synchronous=FULL (so that a commit that was answered survives a power cut),
// secure_delete on, and foreign keys enforced.
// It holds only sealed envelopes, sealed blobs, keyed hashes, public keys and days.
// At every open it finishes what an interrupted run left undone: the purge of deleted
// cases from the WAL (MailboxDatabase+Purge.swift), and the code cost of cases stored
// before costs were recorded (v4). A database some newer release migrated is refused
// before anything is migrated (MailboxDatabase+Meta.swift).
// Nothing in it orders the rows of one day by arrival (v5, docs/PROTOCOL.md §10): every
// table is WITHOUT ROWID and keyed by random values, and the only order kept is an
// item's position inside its own case.
// Every envelope and blob is stored wrapped with its case's storage key, kept apart in the
// key store (KeyStore.swift, docs/PROTOCOL.md §10.4): a case without a key is gone.
import Foundation
internal import GRDB
import SealboxCrypto

/// The daemon's storage: cases, sealed items and sealed attachment blobs.
public final class MailboxDatabase: Sendable {
    let writer: DatabasePool
    /// The storage keys of the cases (`keystore.sqlite` beside the database).
    public let keys: KeyStore
    /// The cases the database held at open whose key is missing (deleted after this
    /// database was backed up, or a key store older than the database): treated as gone.
    public let keylessCasesAtOpen: Int
    /// Cases waiting for the next group commit (MailboxDatabase+GroupCommit.swift).
    let commits = CommitQueue()

    /// Opens (and migrates) the database file at `path`, then completes the purge of any
    /// deletion an earlier run committed but could not checkpoint. `codeCost` is the
    /// Argon2id cost configured now: cases stored before costs were recorded (migration
    /// v4) were derived with the cost configured then, which is this one unless the
    /// office changed it in the same upgrade (docs/PROTOCOL.md §6.2).
    /// The key store is `keyStorePath`, by default `keystore.sqlite` beside the database:
    /// created with the database (or by the migration that brings in storage keys), and
    /// refused when missing beside a database whose cases need it (KeyStoreError.missing).
    public init(path: String, codeCost: KDFCost? = nil, keyStorePath: String? = nil) throws {
        writer = try SQLiteFile.openPool(path: path)
        try Self.refuseNewer(writer, path: path)
        let keyStorePath = keyStorePath ?? Self.keyStorePath(besideDatabase: path)
        if !KeyStore.exists(path: keyStorePath) {
            let cases = try writer.read { db -> Int in
                guard try db.tableExists("grdb_migrations"), try db.tableExists("cases"),
                      try Int.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = ?",
                                       arguments: [Self.storageKeysMigration]) != nil
                else { return 0 }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0
            }
            if cases > 0 { throw KeyStoreError.missing(path: keyStorePath, cases: cases) }
        }
        keys = try KeyStore(path: keyStorePath)
        try Self.migrator(keys: keys).migrate(writer)
        if let codeCost {
            try writer.write { db in
                try db.execute(
                    sql: "UPDATE cases SET kdf_opslimit = ?, kdf_memlimit = ? WHERE kdf_opslimit IS NULL OR kdf_memlimit IS NULL",
                    arguments: [Int64(codeCost.opslimit), codeCost.memlimit])
            }
        }
        let stored = try writer.read { db in try String.fetchAll(db, sql: "SELECT ref FROM cases") }
        let keyed = try keys.references()
        keylessCasesAtOpen = stored.filter { text in (try? CaseReference(parsing: text)).map { !keyed.contains($0) } ?? true }.count
        try purgeAtStart()
    }

    /// `keystore.sqlite` in the directory of the database at `path`.
    public static func keyStorePath(besideDatabase path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(KeyStore.fileName).path
    }

    /// The value of a pragma on the writer connection (for tests and diagnostics).
    public func pragma(_ name: String) throws -> String? {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" })
        return try writer.writeWithoutTransaction { db in
            try String.fetchOne(db, sql: "PRAGMA \(name)")
        }
    }

    /// Checkpoints the WAL into the main file and truncates it (used at shutdown); clears
    /// the pending purges when the checkpoint completed.
    public func checkpoint() throws {
        try writer.writeWithoutTransaction { db in
            _ = try checkpointAndClear(db)
        }
        try keys.checkpoint()
    }

    static let storageKeysMigration = "v12-storage-keys"
    /// The migration that brings in storage keys (until it ran, a database needs no key store).
    public static var storageKeysMigrationName: String { storageKeysMigration }

    /// The migrations by name (the migration that needs the key store cannot run from here).
    static var migrator: DatabaseMigrator { migrator(keys: nil) }

    static func migrator(keys: KeyStore?) -> DatabaseMigrator {
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
        migrator.registerMigration("v4-code-cost-pending-purges") { db in
            // The Argon2id cost each case's code was derived with (NULL only for cases
            // stored before this migration, filled in at the next open with a known cost),
            // and the deletions whose checkpoint has not yet removed them from the WAL.
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN kdf_opslimit INTEGER;
                ALTER TABLE cases ADD COLUMN kdf_memlimit INTEGER;
                CREATE INDEX cases_kdf_cost ON cases(kdf_opslimit, kdf_memlimit);
                CREATE TABLE pending_purges (
                    case_ref TEXT PRIMARY KEY NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v5-without-arrival-order") { db in
            try db.execute(sql: MailboxDatabase.withoutArrivalOrderSQL)
        }
        migrator.registerMigration("v6-pepper-check") { db in
            // The database's own facts, one row each: the pepper check value (recorded at the
            // first start with this migration, from the pepper then in use) and the day of
            // the last successful backup (MailboxDatabase+Meta.swift).
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value ANY NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-roster") { db in
            // The team roster (docs/PROTOCOL.md §12.2): one row per signed entry, keyed by
            // its seq in the chain; the entry's JSON as received and its hash. Appended
            // only, by MailboxDatabase+Roster.swift.
            try db.execute(sql: """
                CREATE TABLE roster (
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    entry BLOB NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v8-audit-chain") { db in
            // The audit log as a hash chain (MailboxDatabase+Audit.swift).
            try MailboxDatabase.migrateToAuditChain(db)
        }
        migrator.registerMigration("v9-deletion-requests") { db in
            // Four eyes (docs/PROTOCOL.md §9.5): a deletion asked for by one member, waiting
            // for a second; gone with the case.
            try db.execute(sql: """
                CREATE TABLE deletion_requests (
                    case_ref TEXT PRIMARY KEY NOT NULL REFERENCES cases(ref) ON DELETE CASCADE,
                    member TEXT NOT NULL,
                    day TEXT NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v10-retention") { db in
            // Retention (docs/PROTOCOL.md §9.6): the day until which a member asked to keep a
            // case (`sealbox retain`), NULL for none.
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN retain_until TEXT;")
        }
        migrator.registerMigration("v11-grants") { db in
            // Grants (docs/PROTOCOL.md §12.5): an epoch's secret key sealed to one member
            // (or the recovery key), stored unread and served only to that member.
            try db.execute(sql: """
                CREATE TABLE grants (
                    member_id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    sealed BLOB NOT NULL,
                    PRIMARY KEY (member_id, scope)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration(storageKeysMigration) { db in
            // Storage keys (docs/PROTOCOL.md §10.4): every case gets its key in the key store
            // (committed there first; a killed run reuses them), then every envelope and blob
            // is wrapped, in this one transaction (MailboxDatabase+StorageKeys.swift).
            guard let keys else { throw KeyStoreError.unreadable(path: "(none)", reason: "no key store to migrate with") }
            try MailboxDatabase.wrapEverything(db, keys: keys)
        }
        migrator.registerMigration("v13-statistics") { db in
            // Statistics that survive deletion (docs/PROTOCOL.md §3.5): sealed records keyed
            // by a random id, with the month in clear and nothing that names a case.
            try db.execute(sql: """
                CREATE TABLE statistics (
                    id TEXT PRIMARY KEY NOT NULL,
                    month TEXT NOT NULL,
                    envelope BLOB NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
