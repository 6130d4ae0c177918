// The key store: one storage key per case, in its own SQLite file
// `<storage>/keystore.sqlite`, never in sealbox.sqlite nor in its backups
// (docs/PROTOCOL.md §10.4, TEAM.md §9). Destroying a case's key makes every copy of the
// case's stored rows unreadable; the key store has its own short backup rotation, so that
// a deleted case is unreadable from every backup once that horizon has passed
// (docs/OPERATIONS.md §7).
//
// Rules this file enforces:
// - the file has mode 0600, `secure_delete` on, WAL with synchronous=FULL; after every
//   deletion of keys the WAL is checkpointed into the main file and truncated, so that no
//   frame of the file still holds a destroyed key once `delete` returned;
// - one serial connection: no reader of this process can keep a checkpoint from completing;
// - keys leave the file only as `StorageKey` (secure memory, wiped on release); the copies
//   of key bytes this code hands to SQLite are zeroed after use;
// - inserting keys that exist already keeps the existing ones (a migration that was killed
//   and runs again reuses the keys it committed before).
import Foundation
internal import GRDB
import SealboxCrypto

/// Why the key store cannot be used.
public enum KeyStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database holds cases but their key store is missing.
    case missing(path: String, cases: Int)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path, let cases):
            "the key store \(path) is missing, but the database holds \(cases) case\(cases == 1 ? "" : "s"): "
                + "without it no stored item can be read, so none is created. Put the key store of this database "
                + "back (docs/OPERATIONS.md, \"Restore drill\")"
        case .unreadable(let path, let reason): "the key store \(path) cannot be read (\(reason))"
        }
    }
}

/// The storage keys of the cases, one row each: `(case_ref, key)`.
public final class KeyStore: Sendable {
    /// The file name beside sealbox.sqlite.
    public static let fileName = "keystore.sqlite"
    let queue: DatabaseQueue
    public let path: String

    /// Opens the key store at `path`, creating it (mode 0600) when it is missing.
    public init(path: String) throws {
        self.path = path
        queue = try SQLiteFile.openQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS storage_keys (
                    case_ref TEXT PRIMARY KEY NOT NULL,
                    key BLOB NOT NULL CHECK (length(key) = 32)
                ) STRICT, WITHOUT ROWID;
                """)
        }
    }

    /// Whether a key store file exists at `path`.
    public static func exists(path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The key of a case, or nil when it has none (deleted, or never stored).
    public func key(for reference: CaseReference) throws -> StorageKey? {
        try queue.read { db in try Self.key(db, reference) }
    }

    static func key(_ db: Database, _ reference: CaseReference) throws -> StorageKey? {
        guard let row = try Row.fetchOne(db, sql: "SELECT key FROM storage_keys WHERE case_ref = ?", arguments: [reference]),
              let data = row.dataNoCopy(atIndex: 0)
        else { return nil }
        return try data.withUnsafeBytes { raw in try StorageKey(copying: raw) }
    }

    /// The keys of several cases at once (those without a key are missing from the result).
    public func keys(for references: Set<CaseReference>) throws -> [CaseReference: StorageKey] {
        guard !references.isEmpty else { return [:] }
        return try queue.read { db in
            var out: [CaseReference: StorageKey] = [:]
            for reference in references {
                if let key = try Self.key(db, reference) { out[reference] = key }
            }
            return out
        }
    }

    /// Every case that has a key.
    public func references() throws -> Set<CaseReference> {
        try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT case_ref FROM storage_keys").compactMap { try? CaseReference(parsing: $0) })
        }
    }

    /// Stores new random keys for `references` in one transaction (committed and synced when
    /// this returns) and returns the key of each; a case that has a key keeps it.
    @discardableResult
    public func create(for references: [CaseReference]) throws -> [CaseReference: StorageKey] {
        guard !references.isEmpty else { return [:] }
        return try queue.write { db in
            var out: [CaseReference: StorageKey] = [:]
            for reference in references {
                if let existing = try Self.key(db, reference) {
                    out[reference] = existing
                    continue
                }
                let key = StorageKey.generate()
                var data = key.withUnsafeBytes { Data($0) }
                defer { data.resetBytes(in: 0..<data.count) }
                try db.execute(sql: "INSERT INTO storage_keys (case_ref, key) VALUES (?, ?)", arguments: [reference, data])
                out[reference] = key
            }
            return out
        }
    }

    /// Stores new random keys for the new cases `references` in one transaction (committed
    /// and synced when this returns). A reference that has a key already (another case has
    /// it) gets none and is missing from the result: its case collides.
    public func createNew(for references: [CaseReference]) throws -> [CaseReference: StorageKey] {
        guard !references.isEmpty else { return [:] }
        return try queue.write { db in
            var out: [CaseReference: StorageKey] = [:]
            for reference in references where out[reference] == nil {
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM storage_keys WHERE case_ref = ?", arguments: [reference]) == nil
                else { continue }
                let key = StorageKey.generate()
                var data = key.withUnsafeBytes { Data($0) }
                defer { data.resetBytes(in: 0..<data.count) }
                try db.execute(sql: "INSERT INTO storage_keys (case_ref, key) VALUES (?, ?)", arguments: [reference, data])
                out[reference] = key
            }
            return out
        }
    }

    /// Destroys the keys of `references`, then checkpoints the WAL into the main file and
    /// truncates it, so that the file holds no frame with those keys. Idempotent.
    public func delete(_ references: [CaseReference]) throws {
        guard !references.isEmpty else { return }
        try queue.writeWithoutTransaction { db in
            try db.inTransaction {
                for reference in references {
                    try db.execute(sql: "DELETE FROM storage_keys WHERE case_ref = ?", arguments: [reference])
                }
                return .commit
            }
            try Self.truncate(db)
        }
    }

    /// Checkpoints and truncates the WAL (another process's reader, a backup, may hold it up
    /// for a moment: it is tried for up to two seconds, then an error).
    static func truncate(_ db: Database) throws {
        var lastError: (any Error)?
        for _ in 0..<40 {
            do {
                _ = try db.checkpoint(.truncate)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                lastError = error
                usleep(50_000)
            }
        }
        throw lastError ?? KeyStoreError.unreadable(path: db.description, reason: "checkpoint")
    }

    /// Checkpoints and truncates the WAL (at shutdown).
    public func checkpoint() throws {
        try queue.writeWithoutTransaction { db in try Self.truncate(db) }
    }

    /// The number of keys (tests, diagnostics).
    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM storage_keys") ?? 0 }
    }
}
