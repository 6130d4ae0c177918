// The database's own facts (table `meta`, migration v6-pepper-check): the pepper check
// value and the day of the last successful backup; and the checks made before the daemon
// may use a database at all.
//
// Rules this file enforces:
// - a database that a newer release migrated (a migration name this release does not
//   know) is refused before anything is migrated or written: no silent downgrade;
// - the pepper check value is H(32, "sealbox/v1/pepper-check", key = pepper), which
//   reveals nothing of the pepper; it is compared in constant time;
// - a database that holds cases is never used with a pepper file that is missing (a new
//   pepper would orphan every code) or that does not match the recorded check value;
// - `inspect` opens the file read-only and creates, migrates and records nothing, not
//   even a -wal or -shm file (`sealboxd check-config`).
import Foundation
internal import GRDB
import SealboxCrypto

/// Why the daemon may not use a database file as it is.
public enum DatabaseStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A newer release migrated the database (the names of its unknown migrations).
    case newerRelease(path: String, migrations: [String])
    /// The database holds cases but the pepper file is missing.
    case pepperMissing(pepperFile: String, cases: Int)
    /// The pepper file is not the one the database's codes were derived with.
    case pepperMismatch(pepperFile: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .newerRelease(let path, let migrations):
            "the database \(path) was written by a newer Sealbox (schema \(migrations.joined(separator: ", "))); "
                + "install that release or restore a backup (this is \(SealboxRelease.version))"
        case .pepperMissing(let file, let cases):
            "the pepper file \(file) is missing, but the database holds \(cases) case\(cases == 1 ? "" : "s"): "
                + "a new pepper would make every reporter's code useless, so none is created. Put the pepper "
                + "file of this database back first (docs/OPERATIONS.md, \"Restore drill\")"
        case .pepperMismatch(let file):
            "the pepper file \(file) is not the pepper of this database (its check value differs): every "
                + "reporter's code would answer as unknown. Put the pepper file of this database back "
                + "(docs/OPERATIONS.md, \"Restore drill\")"
        case .unreadable(let path, let reason): "the database \(path) cannot be read (\(reason))"
        }
    }
}

/// What a read-only look at a database file found.
public struct DatabaseState: Sendable, Equatable {
    /// Cases held (0 when the schema has no cases table yet).
    public var cases: Int
    /// The recorded pepper check value, if any.
    public var pepperCheck: [UInt8]?
    /// Migration names this release does not know (a newer release wrote the file).
    public var unknownMigrations: [String]
    /// Migrations this release would still apply at start.
    public var pendingMigrations: [String]
}

/// The pepper check value and its rules, shared by the start and `check-config`.
public enum PepperCheck {
    static let label = Array("sealbox/v1/pepper-check".utf8)

    /// `H(32, "sealbox/v1/pepper-check", key = pepper)`.
    public static func value(of pepper: Pepper) -> [UInt8] {
        Hash.generic(32, label, key: pepper.secret)
    }

    /// The refusal a database state and a pepper (nil: the file is missing) call for, if any.
    public static func problem(pepperFile: String, pepper: Pepper?, cases: Int, recorded: [UInt8]?) -> DatabaseStateError? {
        guard let pepper else { return cases > 0 ? .pepperMissing(pepperFile: pepperFile, cases: cases) : nil }
        guard let recorded else { return nil }
        return constantTimeEquals(value(of: pepper), recorded) ? nil : .pepperMismatch(pepperFile: pepperFile)
    }
}

extension MailboxDatabase {
    static let pepperCheckKey = "pepper_check"
    static let lastBackupKey = "last_backup_day"

    /// Refuses a database some newer release migrated (called before migrating).
    static func refuseNewer(_ writer: DatabasePool, path: String) throws {
        let unknown = try writer.read { db in try unknownMigrations(db) }
        if !unknown.isEmpty { throw DatabaseStateError.newerRelease(path: path, migrations: unknown) }
    }

    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let known = Set(migrator.migrations)
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").filter { !known.contains($0) }
    }

    /// Looks at the database at `path` read-only; nil when there is no file.
    public static func inspect(path: String) throws(DatabaseStateError) -> DatabaseState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let queue = try openForInspection(path: path)
            defer { try? queue.close() }
            return try queue.read { db in
                let applied: Set<String> = try db.tableExists("grdb_migrations")
                    ? Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
                return DatabaseState(
                    cases: try db.tableExists("cases") ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0 : 0,
                    pepperCheck: try db.tableExists("meta") ? pepperCheck(db) : nil,
                    unknownMigrations: try unknownMigrations(db),
                    pendingMigrations: migrator.migrations.filter { !applied.contains($0) })
            }
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    /// A read-only connection that leaves no file behind. Without a WAL file (no daemon
    /// running, or one that stopped cleanly) the main file holds everything, and SQLite's
    /// `immutable` URI reads it without creating the -wal and -shm files a read-only WAL
    /// connection would leave. With a WAL file (a daemon running) those files exist already.
    static func openForInspection(path: String) throws -> DatabaseQueue {
        var config = SQLiteFile.configuration()
        config.readonly = true
        if !FileManager.default.fileExists(atPath: path + "-wal"),
           let encoded = URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed),
           let queue = try? DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: config) {
            // A SQLite built without URI names would have read no file by that name (read-only opens create nothing).
            return queue
        }
        return try DatabaseQueue(path: path, configuration: config)
    }

    static func pepperCheck(_ db: Database) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [pepperCheckKey]).map { Array($0) }
    }

    /// Checks `pepper` (nil: the pepper file is missing) against this database and records
    /// its check value when none is recorded yet (a database from before v6, or a new one).
    func adopt(pepper: Pepper?, pepperFile: String) throws(DatabaseStateError) {
        do {
            try writer.write { db in
                let cases = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0
                let recorded = try Self.pepperCheck(db)
                if let problem = PepperCheck.problem(pepperFile: pepperFile, pepper: pepper, cases: cases, recorded: recorded) {
                    throw problem
                }
                guard let pepper, recorded == nil else { return }
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)",
                               arguments: [Self.pepperCheckKey, Data(PepperCheck.value(of: pepper))])
            }
        } catch let error as DatabaseStateError {
            throw error
        } catch {
            throw .unreadable(path: writer.path, reason: "\(error)")
        }
    }

    /// Forgets the pepper check value (a database without cases whose pepper file is gone:
    /// the new pepper is recorded by the next `adopt`).
    func forgetPepperCheck() throws {
        try writer.write { db in
            guard try (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0) == 0 else { return }
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.pepperCheckKey])
        }
    }

    /// The day of the last successful `sealboxd backup`, if any.
    public func lastBackupDay() async throws -> Day? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.lastBackupKey]).flatMap(Day.init)
        }
    }

    /// Whether the database takes a write: BEGIN IMMEDIATE, a write to `meta`, rolled back.
    public func acceptsWrites() async -> Bool {
        do {
            try await writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('ready_probe', 0)")
                    return .rollback
                }
            }
            return true
        } catch {
            return false
        }
    }
}

extension MailboxDatabase {
    /// The pepper of this database from `path`: created only when the file is missing and
    /// the database holds no cases; refused when missing beside cases or when it does not
    /// match the recorded check value; its check value recorded when none is.
    public func pepper(fromFile path: String) throws -> Pepper {
        if !PepperFile.exists(path: path) {
            try adopt(pepper: nil, pepperFile: path)
            try forgetPepperCheck()
        }
        let pepper = try PepperFile.loadOrCreate(path: path)
        try adopt(pepper: pepper, pepperFile: path)
        return pepper
    }
}
