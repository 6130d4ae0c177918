// Deletion that leaves nothing behind (docs/PROTOCOL.md §10.1). With secure_delete the
// deleting transaction overwrites the case's pages with zeros, but in WAL mode those
// zeros first go to the WAL: until a checkpoint copies them into the main file and the
// WAL is truncated, the old envelope and lookup hash are still on disk, in the main
// file and in older WAL frames.
//
// Rules this file enforces:
// - a deletion records its case in `pending_purges` in the same transaction, so that a
//   kill between the commit and the checkpoint is finished at the next open;
// - the checkpoint is TRUNCATE, retried with a short busy timeout for a bounded time
//   while readers finish; the writer lock is released between attempts, so that
//   submissions are not held up by a long-lived reader;
// - a checkpoint that cannot complete never turns a committed deletion into an error:
//   the purge stays pending and is retried by the next deletion, at shutdown and at
//   the next start;
// - `pending_purges` is cleared only in the same connection right after a complete
//   checkpoint, and only once the storage keys of its cases are destroyed in the key
//   store (whose WAL is truncated too): a deletion destroys the case's key in the same
//   step as its rows, and a kill in between is finished at the next open (PROTOCOL §10.4).
import Foundation
internal import GRDB

extension MailboxDatabase {
    /// How long one checkpoint attempt waits for readers, in milliseconds.
    static let purgeAttemptTimeout = 200
    /// The busy timeout every connection has otherwise (SQLiteFile.busyTimeout).
    static let normalBusyTimeout = Int(SQLiteFile.busyTimeout * 1000)

    /// Deletions committed but not yet checkpointed out of the WAL.
    public func pendingPurges() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_purges") ?? 0 }
    }

    /// Tries, for up to `patience`, to checkpoint the WAL into the main file and truncate
    /// it. True when it completed (and the pending purges are cleared); false when readers
    /// kept it from completing, and the purge stays pending. Never throws.
    @discardableResult
    public func purgeDeleted(patience: Duration = .seconds(5)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        // The keys first: readers may hold the checkpoint up, never the key store.
        try? await writer.read { db in try Self.destroyPendingKeys(db, keys: keys) }
        while true {
            let done = (try? await writer.writeWithoutTransaction { db in
                try Self.withShortBusyTimeout(db) { try checkpointAndClear(db) }
            }) ?? false
            if done { return true }
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// At open: completes the purge an earlier run left pending (no reader of this
    /// process exists yet; another process's reader may still hold it up).
    func purgeAtStart() throws {
        try writer.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_purges") ?? 0 > 0 else { return }
            for _ in 0..<10 {
                if (try? Self.withShortBusyTimeout(db, { try checkpointAndClear(db) })) == true { return }
                usleep(50_000)
            }
        }
    }

    /// Destroys the storage keys of the pending purges, then a TRUNCATE checkpoint; when it
    /// completed, clears `pending_purges` and checkpoints that too. False when readers kept
    /// it from completing.
    func checkpointAndClear(_ db: Database) throws -> Bool {
        try Self.destroyPendingKeys(db, keys: keys)
        do {
            _ = try db.checkpoint(.truncate)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return false
        }
        if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_purges") ?? 0 > 0 {
            try db.execute(sql: "DELETE FROM pending_purges")
            _ = try? db.checkpoint(.truncate)
        }
        return true
    }

    static func withShortBusyTimeout<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA busy_timeout = \(purgeAttemptTimeout)")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(normalBusyTimeout)") }
        return try body()
    }
}
