// The key store's own copy (docs/OPERATIONS.md §7): `sealboxd backup` writes it into a
// file of its own beside the database copy, with the same rules as the database's
// (MailboxDatabase+Backup.swift): a new 0600 file, `VACUUM INTO` from one read transaction
// (so the copy holds no free page with a destroyed key), a single self-contained file,
// flushed, checked with `integrity_check`; a copy that fails is removed. The key store is
// never written by a backup.
import Foundation
internal import GRDB

extension KeyStore {
    /// Copies the key store at `source` into the new file `destination` (mode 0600).
    /// Returns the number of keys copied.
    public static func backup(keyStoreAt source: String, to destination: String) throws(BackupError) -> Int {
        guard FileManager.default.fileExists(atPath: source) else { throw .noDatabase(source) }
        do {
            try PrivateFile.create(at: destination, contents: [])
        } catch {
            throw .cannotCreate(destination, error.reason)
        }
        do {
            let source = try DatabaseQueue(path: source, configuration: SQLiteFile.configuration())
            try source.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [destination])
            }
            try source.close()
            let copy = try DatabaseQueue(path: destination, configuration: SQLiteFile.configuration())
            let keys = try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                guard try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" else {
                    throw BackupError.failed(destination, "the copy does not pass integrity_check")
                }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM storage_keys") ?? 0
            }
            try copy.close()
            try MailboxDatabase.flush(destination)
            return keys
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(destination + suffix) }
            if let error = error as? BackupError { throw error }
            throw .failed(destination, "\(error)")
        }
    }

    /// The key store's copy beside a database copy at `path`: `X.sqlite` → `X.keystore.sqlite`.
    public static func backupPath(besideDatabaseCopy path: String) -> String {
        (path.hasSuffix(".sqlite") ? String(path.dropLast(7)) : path) + ".keystore.sqlite"
    }
}
