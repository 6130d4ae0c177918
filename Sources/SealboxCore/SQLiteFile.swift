// Opening a SQLite file, written once for both stores: the daemon's MailboxDatabase and
// the workstation's WorkstationStore (SealboxWorkstation).
//
// Rules this file enforces, on every connection:
// - the file is created with mode 0600 before SQLite opens it (SQLite gives its -wal,
//   -shm and -journal files the same mode);
// - `secure_delete` on, so that deleted content is overwritten rather than left in
//   free pages; temporary tables and indices in memory, never in a temporary file;
// - foreign keys enforced; a writer waits up to `busyTimeout` for a lock held by
//   another process (a second `sealbox` on the same store) instead of failing at once;
// - a pool (several readers beside one writer) uses WAL with synchronous=FULL: GRDB sets
//   NORMAL in WAL mode, which can lose a commit that was already answered in a power cut.
// Package-level: only the two stores see GRDB.
package import GRDB

package enum SQLiteFile {
    /// How long a writer waits for a lock held by another connection.
    package static let busyTimeout: Double = 10

    /// Opens the file at `path` as a WAL pool with synchronous=FULL, creating it (0600) when missing.
    package static func openPool(path: String) throws -> DatabasePool {
        try createIfMissing(path)
        let pool = try DatabasePool(path: path, configuration: configuration())
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return pool
    }

    /// Opens the file at `path` as one serial connection, creating it (0600) when missing.
    package static func openQueue(path: String) throws -> DatabaseQueue {
        try createIfMissing(path)
        return try DatabaseQueue(path: path, configuration: configuration())
    }

    /// The configuration every connection is opened with.
    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return config
    }

    /// Creates an empty file (an empty file is an empty database) with mode 0600.
    private static func createIfMissing(_ path: String) throws {
        do {
            try PrivateFile.create(at: path, contents: [])
        } catch where error.fileExists {
            return
        }
    }
}
