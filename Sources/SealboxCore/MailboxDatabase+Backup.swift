// `sealboxd backup --to FILE`: a consistent copy of the live database while the daemon
// goes on accepting reports (docs/OPERATIONS.md §7).
//
// Rules this file enforces:
// - the copy is made with `VACUUM INTO`, inside one read transaction of the source: a
//   snapshot of one moment, while writers go on in the WAL; it writes every table anew in
//   the order of its keys (random), so that the copy's pages do not lie in the order in
//   which reports arrived, as the live file's may (docs/PROTOCOL.md §10.3);
// - the backup file is new (never overwrites anything, never follows a link) and has
//   mode 0600 (PrivateFile); a copy that fails is removed;
// - the copy is a single self-contained file (rollback journal, not WAL), flushed to
//   disk, and passes `PRAGMA integrity_check` before the command reports success;
// - the source is never created or migrated by a backup; its only write is the day of
//   this backup in `meta` (for monitoring), after the copy is taken.
import Foundation
internal import GRDB

/// Why a backup could not be made.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    case noDatabase(String)
    case cannotCreate(String, String)
    case failed(String, String)
    case cannotRotate(String, String)

    public var description: String {
        switch self {
        case .noDatabase(let path): "there is no database at \(path)"
        case .cannotCreate(let path, let reason): "cannot create the backup file \(path) (\(reason))"
        case .failed(let path, let reason): "the backup into \(path) failed and was removed (\(reason))"
        case .cannotRotate(let path, let reason): "cannot remove expired backups in \(path) (\(reason))"
        }
    }
}

/// What a finished backup holds.
public struct BackupSummary: Sendable, Equatable {
    public let cases: Int
    public let bytes: Int
}

extension MailboxDatabase {
    /// Copies the database at `source` into the new file `destination` (mode 0600).
    public static func backup(databaseAt source: String, to destination: String) throws(BackupError) -> BackupSummary {
        guard FileManager.default.fileExists(atPath: source) else { throw .noDatabase(source) }
        do {
            try PrivateFile.create(at: destination, contents: [])
        } catch {
            throw .cannotCreate(destination, error.reason)
        }
        do {
            let pool = try DatabasePool(path: source, configuration: SQLiteFile.configuration())
            // VACUUM INTO reads in a transaction of its own and never takes the write lock;
            // it writes into the empty 0600 file PrivateFile made.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [destination])
            }
            let copy = try DatabaseQueue(path: destination, configuration: SQLiteFile.configuration())
            let cases = try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                guard try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" else {
                    throw BackupError.failed(destination, "the copy does not pass integrity_check")
                }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0
            }
            try copy.close()
            try flush(destination)
            try? recordBackup(in: pool)
            try pool.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            return BackupSummary(cases: cases, bytes: size)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(destination + suffix) }
            if let error = error as? BackupError { throw error }
            throw .failed(destination, "\(error)")
        }
    }

    /// Records today as the day of the last successful backup in the live database (read
    /// by /metrics); a database from before v6 has no `meta` table and records nothing.
    private static func recordBackup(in pool: DatabasePool) throws {
        try pool.write { db in
            guard try db.tableExists("meta") else { return }
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           arguments: [lastBackupKey, Day.today().text])
        }
    }

    static func flush(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw BackupError.failed(path, "cannot flush the copy to disk")
        }
        close(fd)
    }
}
