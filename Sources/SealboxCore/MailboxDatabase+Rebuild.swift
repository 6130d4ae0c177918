// Rule: the file's layout does not keep the order in which reports arrived for longer
// than the daemon runs (issue 8, gap 11; docs/PROTOCOL.md §10.3). SQLite gives new rows
// pages in the order they are needed, so the pages of a day's envelopes and blobs lie in
// the file in arrival order; a rebuild writes every table anew in the order of its keys,
// which are random.
internal import GRDB

extension MailboxDatabase {
    /// Rebuilds the file (`VACUUM`): every table is written anew in key order, free pages
    /// are dropped, and the WAL is truncated afterwards. The daemon calls it at start. On
    /// failure (e.g. no room on the disk for the temporary copy) the file stays as it was.
    public func rebuild() throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            _ = try checkpointAndClear(db)
        }
    }
}
